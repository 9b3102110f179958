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
  cpuNsPerOp?: number;
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

/**
 * Wall-clock and CPU time of one timed section. CPU time (process.cpuUsage: user + system, every
 * thread, so V8's GC helpers count) leaves out the time other processes held the cores, which on
 * a shared machine can triple the wall time; run.ts can show both.
 */
export interface Span {
  wall: number;
  cpu: number;
}

function timed(section: () => void): Span {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  section();
  const wall = Number(process.hrtime.bigint() - t0);
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) * 1000 };
}

/** Watcher ids are dense small integers from 1, as a session table would hand them out. */
function addAll(m: WatchManager, s: Shape, paths: readonly string[]): Span {
  return timed(() => {
    for (let w = 0; w < s.watchers; w++) {
      for (let k = 0; k < s.perWatcher; k++) m.addWatch(paths[pathIndex(s, w, k)]!, w + 1);
    }
  });
}

/** Triggers each path once; returns the time and the number of watchers listed to notify. */
function triggerAll(m: WatchManager, paths: readonly string[]): { span: Span; fired: number } {
  let fired = 0;
  const span = timed(() => {
    for (const p of paths) fired += m.triggerWatch(p, EventType.NodeDataChanged, 1n).watchers.length;
  });
  return { span, fired };
}

function removeAll(m: WatchManager, s: Shape): Span {
  return timed(() => {
    for (let w = 0; w < s.watchers; w++) m.removeWatcher(w + 1);
  });
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`consistency check failed: ${what}`);
}

/** The figures of one round over a shape. */
interface Round {
  add: Span;
  trigger: Span;
  remove: Span;
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
  const add = addAll(subject.manager, s, paths);
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
  const remove = removeAll(fresh, s);
  check(fresh.size() === 0, `size ${fresh.size()} after removing every watcher`);
  return { add, trigger: trig.span, remove, bytes };
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
    `(linear memory ${mib(off.memory)} MiB); JS heap change ${mib(heap)} MiB (noise, not counted when negative)`;
  return { table, paths: off.pathBytes / watches, note };
}

/**
 * Keeps the fastest time of each op (scheduling noise only adds time) and the first round's
 * memory figure (GC noise goes both ways, so no round is "better").
 */
function best(a: Round | undefined, b: Round): Round {
  if (!a) return b;
  const bytes = a.bytes ?? b.bytes;
  return { add: faster(a.add, b.add), trigger: faster(a.trigger, b.trigger), remove: faster(a.remove, b.remove), bytes };
}

/** Best wall time and best CPU time, each over the rounds on its own. */
function faster(a: Span, b: Span): Span {
  return { wall: Math.min(a.wall, b.wall), cpu: Math.min(a.cpu, b.cpu) };
}

function perOp(span: Span, watches: number): { nsPerOp: number; cpuNsPerOp: number } {
  return { nsPerOp: round2(span.wall / watches), cpuNsPerOp: round2(span.cpu / watches) };
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
  emit({ ...base, op: 'add', ...perOp(r!.add, watches), note: r!.bytes!.note });
  emit({ ...base, op: 'trigger', ...perOp(r!.trigger, watches) });
  emit({ ...base, op: 'removeWatcher', ...perOp(r!.remove, watches) });
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
