// One benchmark child process: drives a TypeScript WatchManager (reference or wasm) through one
// shape and prints one JSON line per operation, the same lines bench/watch/java/WatchBench.java
// prints, for run.ts to parse:
//
//   node --expose-gc dist/bench/watch/driver.js IMPL NAME WATCHERS K P
//
// Why not tinybench here: every measured operation is a whole-table bulk pass that changes the
// table (one-shot triggers empty it, removeWatcher empties it), so it cannot be repeated by an
// iteration harness without rebuilding a table of up to 10M watches between samples. Each pass is
// millions of calls, so one process.hrtime.bigint() reading around the loop is precise to far
// below a nanosecond per op; the JIT is warmed first by two passes over a twentieth of the shape.

import { EventType } from '../../src/proto/constants.js';
import type { WatchManager } from '../../src/watch/types.js';
import { pathIndex, poolPaths, totalWatches, warmUpShape, type Shape, type ShapeName } from './shapes.js';
import { loadSubject, type OffHeap, type Subject, type SubjectFactory, type TsImpl } from './subjects.js';

interface Line {
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

const gc = (globalThis as { gc?: () => void }).gc;

function emit(line: Line): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** JS heap in use after full collections (run twice: weak callbacks free more on the second). */
function heapUsed(): number {
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

/** One untimed pass of every phase, to get the hot functions optimized before timing. */
function warmUp(make: SubjectFactory, s: Shape): void {
  const paths = poolPaths(s);
  for (let round = 0; round < 2; round++) {
    const first = make().manager;
    addAll(first, s, paths);
    triggerAll(first, paths);
    const second = make().manager;
    addAll(second, s, paths);
    removeAll(second, s);
  }
}

/** Bytes per watch the subject holds: JS heap growth plus off-heap memory minus path bytes. */
function bytesOf(subject: Subject, heapBase: number, watches: number): { table: number; paths?: number; note?: string } {
  const heap = heapUsed() - heapBase;
  const off: OffHeap | null = subject.offHeap();
  if (!off) return { table: heap / watches };
  const table = (off.inUse - off.pathBytes + heap) / watches;
  const note = `WASM ${(off.inUse / 2 ** 20).toFixed(1)} MiB in use incl. ${(off.pathBytes / 2 ** 20).toFixed(1)} MiB path bytes, JS heap +${(heap / 2 ** 20).toFixed(1)} MiB`;
  return { table, paths: off.pathBytes / watches, note };
}

function measure(impl: string, make: SubjectFactory, s: Shape): void {
  const paths = poolPaths(s);
  const watches = totalWatches(s);
  const base = { impl, shape: s.name, count: watches };
  const heapBase = heapUsed();
  let subject: Subject | null = make();
  const addNs = addAll(subject.manager, s, paths);
  check(subject.manager.size() === watches, `size ${subject.manager.size()} after add, expected ${watches}`);
  const bytes = bytesOf(subject, heapBase, watches);
  const mem = { bytesPerWatch: round2(bytes.table), pathBytesPerWatch: bytes.paths === undefined ? undefined : round2(bytes.paths) };
  emit({ ...base, op: 'add', nsPerOp: round2(addNs / watches), ...mem, note: bytes.note });

  const trig = triggerAll(subject.manager, paths);
  check(trig.fired === watches, `fired ${trig.fired}, expected ${watches}`);
  check(subject.manager.size() === 0, `size ${subject.manager.size()} after triggering every path`);
  emit({ ...base, op: 'trigger', nsPerOp: round2(trig.ns / watches), ...mem });
  subject = null;
  heapUsed();

  const fresh = make().manager;
  addAll(fresh, s, paths);
  heapUsed();
  const removeNs = removeAll(fresh, s);
  check(fresh.size() === 0, `size ${fresh.size()} after removing every watcher`);
  emit({ ...base, op: 'removeWatcher', nsPerOp: round2(removeNs / watches), ...mem });
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function parseShape(argv: readonly string[]): Shape {
  const [name, watchers, perWatcher, pool] = argv;
  const n = (v: string | undefined): number => {
    const x = Number(v);
    if (!Number.isInteger(x) || x <= 0) throw new Error(`bad shape argument ${v}`);
    return x;
  };
  return { name: name as ShapeName, label: name ?? '', watchers: n(watchers), perWatcher: n(perWatcher), pool: n(pool) };
}

async function main(): Promise<void> {
  const [implArg, ...rest] = process.argv.slice(2);
  const impl = implArg as TsImpl;
  const shape = parseShape(rest);
  let make: SubjectFactory;
  try {
    make = await loadSubject(impl);
  } catch (e) {
    emit({ impl, shape: shape.name, skip: `not available: ${(e as Error).message.split('\n')[0]}` });
    return;
  }
  try {
    warmUp(make, warmUpShape(shape));
    measure(impl, make, shape);
  } catch (e) {
    emit({ impl, shape: shape.name, skip: `${(e as Error).name}: ${(e as Error).message}` });
  }
}

await main();
