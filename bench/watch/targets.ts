// The targets for the WASM watch table, judged from one run's figures:
//   trigger <= 0.5x WatchManagerOptimized's ns per fired watch; add <= WatchManagerOptimized's;
//   removeWatcher <= 50 ns per removed watch; <= 24 bytes per watch in every shape; shape E completes.
// A shape where WatchManagerOptimized has no figure (it ran out of memory) is listed as n/a and
// does not fail a ratio target; a shape where wasm has no figure fails every target it touches.

import { nsOf, type Metric, type Results } from './report.js';
import type { Shape } from './shapes.js';

interface Verdict {
  readonly name: string;
  readonly pass: boolean;
  readonly detail: string;
}

type Check = (shape: string) => { ok: boolean | null; text: string };

function judge(name: string, shapes: readonly Shape[], check: Check): Verdict {
  if (shapes.length === 0) return { name, pass: false, detail: 'not run' };
  const parts = shapes.map((s) => ({ shape: s.name, ...check(s.name) }));
  const pass = parts.every((p) => p.ok !== false);
  return { name, pass, detail: parts.map((p) => `${p.shape} ${p.text}`).join(', ') };
}

function ratioCheck(r: Results, op: 'add' | 'trigger', limit: number, metric: Metric): Check {
  return (shape) => {
    const w = nsOf(r.get('wasm', shape, op), metric);
    const z = nsOf(r.get('zk-WatchManagerOptimized', shape, op), metric);
    if (w === undefined) return { ok: false, text: 'no wasm figure' };
    if (z === undefined) return { ok: null, text: 'n/a (no Optimized figure)' };
    return { ok: w <= limit * z, text: `${(w / z).toFixed(2)}x` };
  };
}

function absoluteCheck(get: (shape: string) => number | undefined, limit: number, unit: string): Check {
  return (shape) => {
    const v = get(shape);
    if (v === undefined) return { ok: false, text: 'no wasm figure' };
    return { ok: v <= limit, text: `${v.toFixed(1)} ${unit}` };
  };
}

export function verdicts(r: Results, shapes: readonly Shape[], metric: Metric): Verdict[] {
  const e = shapes.filter((s) => s.name === 'E');
  const ops = ['add', 'trigger', 'removeWatcher'] as const;
  return [
    judge('wasm trigger <= 0.5x WatchManagerOptimized (ns per fired watch)', shapes, ratioCheck(r, 'trigger', 0.5, metric)),
    judge('wasm add <= WatchManagerOptimized (ns per addWatch)', shapes, ratioCheck(r, 'add', 1, metric)),
    judge('wasm removeWatcher <= 50 ns per removed watch', shapes,
      absoluteCheck((s) => nsOf(r.get('wasm', s, 'removeWatcher'), metric), 50, 'ns')),
    judge('wasm <= 24 bytes per watch (path bytes apart)', shapes,
      absoluteCheck((s) => r.get('wasm', s, 'add')?.bytesPerWatch, 24, 'B')),
    judge('shape E completes (wasm add, trigger, removeWatcher)', e, (s) => {
      const done = ops.every((op) => r.get('wasm', s, op) !== undefined);
      return { ok: done, text: done ? 'completed' : 'did not complete' };
    }),
  ];
}

export function targetsText(r: Results, shapes: readonly Shape[], metric: Metric): string {
  return verdicts(r, shapes, metric)
    .map((v) => `- ${v.pass ? 'PASS' : 'FAIL'} ${v.name}: ${v.detail}`)
    .join('\n');
}
