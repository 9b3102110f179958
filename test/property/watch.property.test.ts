// WASM core vs TypeScript reference: random sequences of every operation must give identical
// answers (booleans, sorted watcher lists, frame bytes, sizes, summaries, reports), over both the
// release and the debug build. Some runs add tens of thousands of watches and long paths, so the
// core's memory grows mid-sequence and every JS view has to be rebuilt.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReferenceWatchManager } from '../../src/watch/reference.js';
import { WasmWatchManager } from '../../src/watch/wasm-manager.js';
import { instantiateWatchCore, type WatchCoreBuild } from '../../src/wasm/loader.js';
import { decodePath, isValidPathBytes, pathProblem } from '../../src/watch/path.js';
import { WatchMemoryError, type WatchManager, type WatcherModeBit } from '../../src/watch/types.js';

const enc = new TextEncoder();
const PATHS = ['/', '/a', '/a/b', '/a/b/c', '/a/bc', '/ab', '/b', '/b/a', '/é', '/é/ü', '/a/b/c/d/e', '/x.y', '/...'];
const pathArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PATHS) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom('a', 'b', 'é', 'zz', '日本'), { minLength: 1, maxLength: 5 }).map((c) => '/' + c.join('/')) },
);
const watcherArb = fc.oneof(
  { weight: 9, arbitrary: fc.integer({ min: 0, max: 6 }) },
  { weight: 2, arbitrary: fc.integer({ min: 7, max: 130 }) },
  { weight: 1, arbitrary: fc.constantFrom(300, 5000) },
);
const modeArb = fc.constantFrom<WatcherModeBit | undefined>(1, 2, 4, undefined);

type Op =
  | { k: 'add' | 'contains' | 'remove'; p: string; w: number; m: WatcherModeBit | undefined; bytes: boolean }
  | { k: 'removeWatcher'; w: number }
  | { k: 'trigger'; p: string; type: number; zxid: bigint; sup: number[]; bytes: boolean }
  | { k: 'delete'; p: string; zxid: bigint }
  | { k: 'fan'; p: string; from: number; count: number; seed: number }
  | { k: 'bulk'; w: number; n: number; tag: number }
  | { k: 'long'; w: number; len: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constant('add' as const), p: pathArb, w: watcherArb, m: modeArb, bytes: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constantFrom('contains' as const, 'remove' as const), p: pathArb, w: watcherArb, m: modeArb, bytes: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('removeWatcher' as const), w: watcherArb }) },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('trigger' as const),
      p: pathArb,
      type: fc.integer({ min: 1, max: 4 }),
      zxid: fc.bigInt({ min: -1n, max: 2n ** 63n - 1n }),
      sup: fc.array(watcherArb, { maxLength: 3 }),
      bytes: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('delete' as const), p: pathArb, zxid: fc.bigInt({ min: 0n, max: 1000n }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('fan' as const),
      p: pathArb,
      from: fc.integer({ min: 0, max: 40 }),
      count: fc.integer({ min: 1, max: 90 }),
      seed: fc.integer({ min: 0, max: 7 }),
    }),
  },
);
const bigOpArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ k: fc.constant('bulk' as const), w: watcherArb, n: fc.integer({ min: 5000, max: 20000 }), tag: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('long' as const), w: watcherArb, len: fc.integer({ min: 1000, max: 70000 }) }) },
);

/** One side of the comparison: a data manager and a child manager, as DataTree holds them. */
interface Side {
  data: WatchManager;
  child: WatchManager;
}

const asInput = (p: string, bytes: boolean) => (bytes ? enc.encode(p) : p);
const sorted = (a: ArrayLike<number>) => Array.from(a).sort((x, y) => x - y);

/** Applies one op to a side and returns a plain, comparable result. */
function apply(s: Side, op: Op): unknown {
  switch (op.k) {
    case 'add':
      return s.data.addWatch(asInput(op.p, op.bytes), op.w, op.m);
    case 'contains':
      return s.data.containsWatcher(asInput(op.p, op.bytes), op.w, op.m);
    case 'remove':
      return s.data.removeWatch(asInput(op.p, op.bytes), op.w, op.m);
    case 'removeWatcher':
      s.data.removeWatcher(op.w);
      return null;
    case 'trigger': {
      const r = s.data.triggerWatch(asInput(op.p, op.bytes), op.type, op.zxid, op.sup);
      return [sorted(r.watchers), Array.from(r.frame)];
    }
    case 'delete':
      return deleteLike(s, op.p, op.zxid);
    case 'fan':
      return fan(s, op);
    case 'bulk':
      return bulk(s, op);
    case 'long': {
      const p = '/' + 'x'.repeat(op.len);
      return [s.data.addWatch(p, op.w), sorted(s.data.triggerWatch(p, 2, 1n).watchers)];
    }
  }
}

/** DataTree.deleteNode: the child trigger suppresses watchers the data trigger already notified. */
function deleteLike(s: Side, p: string, zxid: bigint): unknown {
  s.child.addWatch(p, 1);
  s.child.addWatch(p, 2);
  const fired = s.data.triggerWatch(p, 2, zxid);
  const firedList = sorted(fired.watchers);
  const child = s.child.triggerWatch(p, 2, zxid, fired.watchers);
  return [firedList, sorted(child.watchers), s.child.size()];
}

/** Many watchers on one path, so its set becomes a hashed table; modes vary per watcher. */
function fan(s: Side, op: { p: string; from: number; count: number; seed: number }): unknown {
  const added: boolean[] = [];
  for (let i = 0; i < op.count; i++) {
    const mode = (1 << ((i * (op.seed + 1)) % 3)) as WatcherModeBit;
    added.push(s.data.addWatch(op.p, op.from + i, mode));
  }
  return added;
}

function bulk(s: Side, op: { w: number; n: number; tag: number }): unknown {
  let added = 0;
  for (let i = 0; i < op.n; i++) if (s.data.addWatch(`/bulk${op.tag}/n${i}`, op.w + (i % 3), (1 << i % 3) as WatcherModeBit)) added++;
  const fired = sorted(s.data.triggerWatch(`/bulk${op.tag}/n7`, 3, 9n).watchers);
  return [added, fired, s.data.size()];
}

function sameReports(a: WatchManager, b: WatchManager): void {
  const norm = (m: Map<unknown, unknown[]>) =>
    [...m.entries()].map(([k, v]) => [k, [...v].sort()] as const).sort((x, y) => String(x[0]).localeCompare(String(y[0])));
  expect(norm(a.watchesByWatcher())).toEqual(norm(b.watchesByWatcher()));
  expect(norm(a.watchesByPath())).toEqual(norm(b.watchesByPath()));
}

/** sweepMin 0: emptied paths are swept at nearly every removal instead of waiting (paths.ts). */
function run(build: WatchCoreBuild, ops: Op[], sweepMin?: number): WasmWatchManager {
  const wasm = { data: new WasmWatchManager({ build, sweepMin }), child: new WasmWatchManager({ build, sweepMin }) };
  // (checkConsistency walks the whole table after every step: the core's own invariants.)
  const ref = { data: new ReferenceWatchManager(), child: new ReferenceWatchManager() };
  for (const op of ops) {
    expect(apply(wasm, op), JSON.stringify(op, (_, v) => (typeof v === 'bigint' ? String(v) : v))).toEqual(apply(ref, op));
    expect(wasm.data.summary()).toEqual(ref.data.summary());
    expect(wasm.data.size()).toBe(ref.data.size());
    expect(wasm.data.recursiveWatchCount()).toBe(ref.data.recursiveWatchCount());
    expect(wasm.data.checkConsistency()).toBe(0);
  }
  expect(wasm.child.checkConsistency()).toBe(0);
  sameReports(wasm.data, ref.data);
  sameReports(wasm.child, ref.child);
  return wasm.data;
}

/**
 * On a small, capped memory: every single call either succeeds on both sides or fails on the WASM
 * side with WatchMemoryError, in which case the reference does not apply it — the tables must
 * still agree, so a failed call changed nothing.
 */
function runCapped(build: WatchCoreBuild, pages: number, ops: Op[], sweepMin?: number): number {
  const wasm = { data: new WasmWatchManager({ build, maximumPages: pages, sweepMin }), child: new WasmWatchManager({ build }) };
  const ref = { data: new ReferenceWatchManager(), child: new ReferenceWatchManager() };
  let failures = 0;
  const step = (op: Op) => {
    let got: unknown;
    try {
      got = apply(wasm, op);
    } catch (e) {
      if (!(e instanceof WatchMemoryError)) throw e;
      failures++;
      return;
    }
    expect(got).toEqual(apply(ref, op));
  };
  for (const op of ops) {
    if (op.k !== 'bulk') step(op);
    else for (let i = 0; i < op.n; i++) step({ k: 'add', p: `/bulk${op.tag}/n${i}`, w: op.w + (i % 3), m: (1 << i % 3) as WatcherModeBit, bytes: false });
    expect(wasm.data.summary()).toEqual(ref.data.summary());
    expect(wasm.data.checkConsistency()).toBe(0);
  }
  expect(wasm.data.recursiveWatchCount()).toBe(ref.data.recursiveWatchCount());
  sameReports(wasm.data, ref.data);
  return failures;
}

/** The default sweep threshold, or 0: emptied paths reclaimed at nearly every removal. */
const sweepArb = fc.constantFrom<number | undefined>(undefined, 0);

/**
 * One op that always runs out of a capped memory / always grows an uncapped one: a watch on a path
 * of 1,500,000 bytes needs an input buffer (two copies of the path) far past the 22 pages the
 * out-of-memory test allows, and one of 600,000 bytes grows memory past the initial 16 pages. The
 * tests that assert "some call failed" / "memory grew" splice one into every sequence: with only
 * the random bulks about 46% of capped runs saw no failure and 23% of growth runs no growth, so
 * all 8 (or 6) runs doing so failed the test by chance about once in 500 (or 7,000) seeds:
 * fast-check seed 1194 failed the memory test in both builds ("expected 0 to be greater than 0"),
 * the flake seen once after 9e7ab9a. (The random bulks still exhaust the tables in about half.)
 */
const hugePathArb: fc.Arbitrary<Op> = fc.record({
  k: fc.constant('add' as const),
  p: fc.constant('/' + 'x'.repeat(1_500_000)),
  w: watcherArb,
  m: modeArb,
  bytes: fc.boolean(),
});
const growArb: fc.Arbitrary<Op> = fc.record({ k: fc.constant('long' as const), w: watcherArb, len: fc.constant(600_000) });

/** `list` with `op` inserted at a random position. */
function withOne(list: fc.Arbitrary<Op[]>, op: fc.Arbitrary<Op>): fc.Arbitrary<Op[]> {
  return fc.tuple(list, op, fc.nat()).map(([l, x, at]) => {
    const out = l.slice();
    out.splice(at % (out.length + 1), 0, x);
    return out;
  });
}

describe.each<WatchCoreBuild>(['release', 'debug'])('WASM core (%s build) vs reference', (build) => {
  it('agrees when memory runs out (failed calls change nothing)', () => {
    let failures = 0;
    const single = opArb.filter((op) => op.k !== 'delete' && op.k !== 'fan');
    const bulkArb = fc.record({ k: fc.constant('bulk' as const), w: watcherArb, n: fc.integer({ min: 3000, max: 12000 }), tag: fc.integer({ min: 0, max: 3 }) });
    const random = fc.array(fc.oneof({ weight: 3, arbitrary: single }, { weight: 1, arbitrary: bulkArb }), { minLength: 5, maxLength: 25, size: 'max' });
    const ops = withOne(random, hugePathArb);
    fc.assert(
      fc.property(fc.integer({ min: 17, max: 22 }), ops, sweepArb, (pages, list, sweepMin) => {
        failures += runCapped(build, pages, list, sweepMin);
      }),
      { numRuns: 8, endOnFailure: true },
    );
    expect(failures).toBeGreaterThanOrEqual(8); // at least the huge path of every run
  });

  it('agrees on random operation sequences', () => {
    const ops = fc.array(opArb, { minLength: 10, maxLength: 80, size: 'max' });
    fc.assert(fc.property(ops, sweepArb, (list, sweepMin) => void run(build, list, sweepMin)), { numRuns: 150 });
  });

  it('agrees while memory grows (bulk adds, long paths)', () => {
    let grew = 0;
    const random = fc.array(fc.oneof({ weight: 3, arbitrary: opArb }, { weight: 1, arbitrary: bigOpArb }), { minLength: 10, maxLength: 30, size: 'max' });
    const ops = withOne(random, growArb);
    fc.assert(
      fc.property(ops, sweepArb, (list, sweepMin) => {
        const m = run(build, list, sweepMin);
        if (m.memoryBytes() > 16 * 65536) grew++;
      }),
      { numRuns: 6 },
    );
    expect(grew).toBe(6); // every run holds a 600,000-byte path
  });

  it('validates path bytes exactly as the TypeScript rules do', () => {
    const { exports, memory } = instantiateWatchCore({ build });
    const piece = fc.oneof(
      fc.constantFrom('/', '.', 'a', '\u0000', '\u001f', '\u007f', '\u0080', '\u00a0', '\ud7ff', '\ue000', '\uf900', '\ufff0', '\uffef'),
      fc.string({ unit: 'binary', maxLength: 2 }),
    );
    const raw = fc.uint8Array({ maxLength: 12 }).map((b) => Uint8Array.from([0x2f, ...b]));
    // Long, mostly plain paths with rare specials exercise the core's 8-bytes-at-a-time scan.
    const common = fc.constantFrom('a', 'b', 'z', '0', '-', '_', '~', '/', '/', '.', '\u0001', '\u007f', 'é', '\uffff');
    const long = fc.array(fc.oneof({ weight: 10, arbitrary: fc.constantFrom('a', 'k', '9') }, { weight: 2, arbitrary: fc.constant('/') }, { weight: 1, arbitrary: common }), { maxLength: 40, size: 'max' });
    const bytesArb = fc.oneof(
      fc.array(piece, { maxLength: 8 }).map((p) => enc.encode(p.join(''))),
      raw,
      long.map((p) => enc.encode('/' + p.join(''))),
    );
    fc.assert(
      fc.property(bytesArb, (b) => {
        new Uint8Array(memory.buffer).set(b, exports.inputPtr());
        const wasm = exports.validPath(exports.inputPtr(), b.length) === 1;
        expect(isValidPathBytes(b)).toBe(wasm);
        expect(pathProblem(decodePath(b)) === null).toBe(wasm);
      }),
      { numRuns: 3000 },
    );
  });
});
