// Turns the children's JSON lines into the Markdown table, the pass/fail targets and the
// --json records.

import type { ChildLine, Impl } from './children.js';
import { IMPLS } from './children.js';
import type { Shape } from './shapes.js';

export type Op = 'add' | 'trigger' | 'removeWatcher';

/** Which time a table or target reads: wall clock (the figure) or process CPU time. */
export type Metric = 'wall' | 'cpu';

export function nsOf(line: ChildLine | undefined, metric: Metric): number | undefined {
  return metric === 'wall' ? line?.nsPerOp : line?.cpuNsPerOp;
}
const OPS: readonly Op[] = ['add', 'trigger', 'removeWatcher'];

/** One --json record: the fields the issue asks for, plus the CPU-time figure. */
export interface Result {
  impl: Impl;
  shape: string;
  op: Op;
  nsPerOp: number;
  bytesPerWatch: number;
  cpuNsPerOp?: number;
}

export class Results {
  private readonly lines: ChildLine[] = [];

  add(lines: readonly ChildLine[]): void {
    this.lines.push(...lines);
  }

  get(impl: Impl, shape: string, op: Op): ChildLine | undefined {
    return this.lines.find((l) => l.impl === impl && l.shape === shape && l.op === op && l.skip === undefined);
  }

  skips(): ChildLine[] {
    return this.lines.filter((l) => l.skip !== undefined);
  }

  notes(): ChildLine[] {
    return this.lines.filter((l) => l.note !== undefined && l.skip === undefined);
  }

  records(): Result[] {
    return this.lines
      .filter((l) => l.skip === undefined && l.op !== undefined)
      .map((l) => ({
        impl: l.impl, shape: l.shape, op: l.op!, nsPerOp: l.nsPerOp!, bytesPerWatch: l.bytesPerWatch!, cpuNsPerOp: l.cpuNsPerOp,
      }));
  }
}

const SHORT: Record<Impl, string> = {
  wasm: 'wasm',
  reference: 'reference',
  'zk-WatchManager': 'zk WatchManager',
  'zk-WatchManagerOptimized': 'zk WatchManagerOptimized',
};

function num(x: number): string {
  if (Math.abs(x) < 0.005) return '0';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function ratio(a: number | undefined, b: number | undefined): string {
  return a === undefined || b === undefined || b === 0 ? '—' : `${(a / b).toFixed(2)}x`;
}

function nsCell(r: Results, impl: Impl, shape: string, op: Op, metric: Metric): string {
  const ns = nsOf(r.get(impl, shape, op), metric);
  return ns === undefined ? '—' : num(ns);
}

function bytesCell(r: Results, impl: Impl, shape: string): string {
  const l = r.get(impl, shape, 'add');
  if (l?.bytesPerWatch === undefined) return '—';
  const paths = l.pathBytesPerWatch === undefined ? '' : ` (+${num(l.pathBytesPerWatch)} path)`;
  return `${num(l.bytesPerWatch)}${paths}`;
}

function ratioRow(r: Results, shape: string, pick: (impl: Impl) => number | undefined): string[] {
  const w = pick('wasm');
  return [ratio(w, pick('zk-WatchManager')), ratio(w, pick('zk-WatchManagerOptimized'))];
}

/** The Markdown table: ns per op (by `metric`) for each op, then bytes per watch, per shape. */
export function markdownTable(r: Results, shapes: readonly Shape[], metric: Metric): string {
  const head = ['shape', 'op', ...IMPLS.map((i) => SHORT[i]), 'wasm ÷ WatchManager', 'wasm ÷ Optimized'];
  const rows = [head, head.map(() => '---')];
  for (const s of shapes) {
    const label = `${s.name} ${s.label}`;
    for (const op of OPS) {
      const cells = IMPLS.map((i) => nsCell(r, i, s.name, op, metric));
      rows.push([label, `${op} (ns)`, ...cells, ...ratioRow(r, s.name, (i) => nsOf(r.get(i, s.name, op), metric))]);
    }
    const bytes = IMPLS.map((i) => bytesCell(r, i, s.name));
    rows.push([label, 'bytes/watch', ...bytes, ...ratioRow(r, s.name, (i) => r.get(i, s.name, 'add')?.bytesPerWatch)]);
  }
  return rows.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Skip reasons and measurement notes, one bullet each, under the table. */
export function footnotes(r: Results): string {
  const out: string[] = [];
  for (const l of r.skips()) out.push(`- ${l.impl} ${l.shape}: skipped: ${l.skip}`);
  for (const l of r.notes()) out.push(`- ${l.impl} ${l.shape} ${l.op}: ${l.note}`);
  return out.join('\n');
}
