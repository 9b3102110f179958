// A readable, field-level diff of two normalised reply lists, one block per differing step:
//   step 7: get s2 /a
//     .stat.version: zookeeper 1, watchkeeper 0
import { isDeepStrictEqual } from 'node:util';

function show(v: unknown): string {
  return v === undefined ? '(absent)' : JSON.stringify(v);
}

function fieldDiffs(path: string, a: unknown, b: unknown, out: string[]): void {
  if (isDeepStrictEqual(a, b)) return;
  const bothObjects = a !== null && b !== null && typeof a === 'object' && typeof b === 'object';
  const sameShape = bothObjects && Array.isArray(a) === Array.isArray(b);
  if (!sameShape || (Array.isArray(a) && Array.isArray(b) && a.length !== b.length)) {
    out.push(`    ${path || '.'}: zookeeper ${show(a)}, subject ${show(b)}`);
    return;
  }
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const k of keys) {
    const sub = Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`;
    fieldDiffs(sub, (a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], out);
  }
}

/** Empty when equal; otherwise lines naming each differing step and field. */
export function diffReplies(lines: string[], reference: unknown[], subject: unknown[]): string[] {
  const out: string[] = [];
  const n = Math.max(reference.length, subject.length);
  for (let i = 0; i < n; i++) {
    const fields: string[] = [];
    fieldDiffs('', reference[i], subject[i], fields);
    if (fields.length > 0) out.push(`  step ${i + 1}: ${lines[i] ?? '(none)'}`, ...fields);
  }
  return out;
}
