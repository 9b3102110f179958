// The timed phases of one TypeScript benchmark run, used by driver.ts (one child process per
// implementation and shape) and by the smoke test, which runs a tiny shape in-process.
//
// Why not tinybench here: every measured operation is a whole-table bulk pass that changes the
// table (one-shot triggers empty it, removeWatcher empties it), so it cannot be repeated by an
// iteration harness without rebuilding a table of up to 10M watches between samples. Each pass is
// millions of calls, so one process.hrtime.bigint() reading around the loop is precise to far
// below a nanosecond per op. The JIT is warmed first by rounds over a twentieth of the shape, then
// the full-size rounds are repeated (2 to 5) and the best is kept.

import { EventType } from '../../src/proto/constants.js';
import type { WatchManager } from '../../src/watch/types.js';
import { pathIndex, poolPaths, totalWatches, type Shape } from './shapes.js';
import type { OffHeap, Subject, SubjectFactory } from './subjects.js';

/** One result line, the same JSON the Java harness prints. */
export interface Line {
  impl: string;
  shape: string;
  op?: string;
  nsPerOp?: number;
  bytesPerWatch?: number;
  pathBytesPerWatch?: number;
  count?: number;
  note?: string;
  skip?: string;
}

/** JS heap in use after full collections (run twice: weak callbacks free more on the second). */
function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function nsSince(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0);
}

/** Watcher ids are dense small integers from 1, as a session table would hand them out. */
function addAll(m: WatchManager, s: Shape, paths: readonly string[]): number {
  const t0 = process.hrtime.bigint();
  for (let w = 0; w < s.watchers; w++) {
    for (let k = 0; k < s.perWatcher; k++) m.addWatch(paths[pathIndex(s, w, k)]!, w + 1);
  }
  return nsSince(t0);
}

/** Triggers each path once; returns the time and the number of watchers listed to notify. */
function triggerAll(m: WatchManager, paths: readonly string[]): { ns: number; fired: number } {
  let fired = 0;
  const t0 = process.hrtime.bigint();
  for (const p of paths) fired += m.triggerWatch(p, EventType.NodeDataChanged, 1n).watchers.length;
  return { ns: nsSince(t0), fired };
}

function removeAll(m: WatchManager, s: Shape): number {
  const t0 = process.hrtime.bigint();
  for (let w = 0; w < s.watchers; w++) m.removeWatcher(w + 1);
  return nsSince(t0);
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`consistency check failed: ${what}`);
}

/** The figures of one round over a shape. */
interface Round {
  addNs: number;
  triggerNs: number;
  removeNs: number;
  bytes?: Bytes;
}

interface Bytes {
  table: number;
  paths?: number;
  note?: string;
}

/**
 * add, trigger, then removeWatcher on a second fresh table, with consistency checks (every watch
 * fires exactly once, both tables end empty); bytes per watch when `withBytes`.
 */
function runRound(make: SubjectFactory, s: Shape, paths: readonly string[], withBytes: boolean): Round {
  const watches = totalWatches(s);
  const heapBase = withBytes ? heapUsed() : 0;
  let subject: Subject | null = make();
  const addNs = addAll(subject.manager, s, paths);
  check(subject.manager.size() === watches, `size ${subject.manager.size()} after add, expected ${watches}`);
  const bytes = withBytes ? bytesOf(subject, heapBase, watches) : undefined;
  const trig = triggerAll(subject.manager, paths);
  check(trig.fired === watches, `fired ${trig.fired}, expected ${watches}`);
  check(subject.manager.size() === 0, `size ${subject.manager.size()} after triggering every path`);
  subject = null;
  if (withBytes) heapUsed();
  const fresh = make().manager;
  addAll(fresh, s, paths);
  if (withBytes) heapUsed();
  const removeNs = removeAll(fresh, s);
  check(fresh.size() === 0, `size ${fresh.size()} after removing every watcher`);
  return { addNs, triggerNs: trig.ns, removeNs, bytes };
}

/** Rounds over `s` for at least warmMs (and at least 3), so the hot functions are optimized. */
export function warmUp(make: SubjectFactory, s: Shape, warmMs: number): void {
  const paths = poolPaths(s);
  const end = Date.now() + warmMs;
  for (let round = 0; round < 3 || Date.now() < end; round++) runRound(make, s, paths, false);
}

/**
 * Bytes per watch the subject holds: JS heap growth for the reference; for wasm, the core's heap
 * blocks in use minus the path copies, plus the wrapper's JS heap growth when positive (its few
 * objects are below the heap readings' noise, which can come out at minus a few MiB).
 */
function bytesOf(subject: Subject, heapBase: number, watches: number): Bytes {
  const heap = heapUsed() - heapBase;
  const off: OffHeap | null = subject.offHeap();
  if (!off) return { table: heap / watches };
  const table = (off.inUse - off.pathBytes + Math.max(0, heap)) / watches;
  const mib = (x: number): string => (x / 2 ** 20).toFixed(1);
  const note = `WASM heap blocks ${mib(off.inUse)} MiB in use incl. ${mib(off.pathBytes)} MiB path copies ` +
    `(linear memory ${mib(off.memory)} MiB), JS heap +${mib(heap)} MiB`;
  return { table, paths: off.pathBytes / watches, note };
}

/**
 * Keeps the fastest time of each op (scheduling noise only adds time) and the first round's
 * memory figure (GC noise goes both ways, so no round is "better").
 */
function best(a: Round | undefined, b: Round): Round {
  if (!a) return b;
  const bytes = a.bytes ?? b.bytes;
  return {
    addNs: Math.min(a.addNs, b.addNs),
    triggerNs: Math.min(a.triggerNs, b.triggerNs),
    removeNs: Math.min(a.removeNs, b.removeNs),
    bytes,
  };
}

/**
 * Full-size rounds, at least two and more while budgetMs lasts (at most 5), as the Java harness
 * does; prints the best round. The first full-size round also finishes the warm-up at real sizes.
 */
export function measure(impl: string, make: SubjectFactory, s: Shape, budgetMs: number, emit: (line: Line) => void): void {
  const paths = poolPaths(s);
  const end = Date.now() + budgetMs;
  let r: Round | undefined;
  for (let round = 0; round < 5 && (round < 2 || Date.now() < end); round++) r = best(r, runRound(make, s, paths, true));
  const watches = totalWatches(s);
  const mem = {
    bytesPerWatch: round2(r!.bytes!.table),
    pathBytesPerWatch: r!.bytes!.paths === undefined ? undefined : round2(r!.bytes!.paths),
  };
  const base = { impl, shape: s.name, count: watches, ...mem };
  emit({ ...base, op: 'add', nsPerOp: round2(r!.addNs / watches), note: r!.bytes!.note });
  emit({ ...base, op: 'trigger', nsPerOp: round2(r!.triggerNs / watches) });
  emit({ ...base, op: 'removeWatcher', nsPerOp: round2(r!.removeNs / watches) });
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
