// The memory-saving layout of the WASM core and the JS add fast path (session 3): adds done by
// src/wasm/fast-add.ts on the core's memory, table slots of freed ids left behind until the table
// is rebuilt, recursive counts and trigger marks made on first need. Each case runs the same
// operations on the reference and compares everything the table can be asked.
import { describe, expect, it } from 'vitest';
import { ReferenceWatchManager } from '../../../src/watch/reference.js';
import { WasmWatchManager } from '../../../src/watch/wasm-manager.js';
import { EventType } from '../../../src/proto/constants.js';
import { WatcherMode } from '../../../src/watch/types.js';

type Manager = WasmWatchManager | ReferenceWatchManager;
const norm = (m: Map<unknown, unknown[]>) => [...m].map(([k, v]) => [k, [...v].sort()]).sort();
const sorted = (a: ArrayLike<number>) => Array.from(a).sort((x, y) => x - y);

function pair(build: 'release' | 'debug', sweepMin?: number) {
  const wasm = new WasmWatchManager({ build, sweepMin });
  const ref = new ReferenceWatchManager();
  const both = (f: (m: Manager) => unknown) => {
    const a = f(wasm);
    const b = f(ref);
    if (a !== b) expect(a).toEqual(b); // expect() per call would dominate the run time
  };
  const same = () => {
    expect(wasm.checkConsistency()).toBe(0);
    expect(wasm.size()).toBe(ref.size());
    expect(wasm.summary()).toEqual(ref.summary());
    expect(norm(wasm.watchesByPath())).toEqual(norm(ref.watchesByPath()));
    expect(norm(wasm.watchesByWatcher())).toEqual(norm(ref.watchesByWatcher()));
  };
  return { wasm, ref, both, same };
}

describe.each(['release', 'debug'] as const)('compact layout and the JS add path (%s)', (build) => {
  it('adds to bitset paths from JS exactly as the core would, across memory growth', () => {
    const { wasm, both, same } = pair(build);
    const paths = Array.from({ length: 100 }, (_, i) => `/dense/p${i}`);
    // Watchers in rising order widen each path's bits; repeats answer "already there".
    for (let w = 1; w <= 3000; w++) for (const p of paths) both((m) => m.addWatch(p, w));
    for (let w = 1; w <= 3000; w += 97) for (const p of paths) both((m) => m.addWatch(p, w));
    same();
    expect(wasm.memoryBytes()).toBeGreaterThan(16 * 65536); // memory grew while JS added
    both((m) => sorted(m.triggerWatch(paths[3]!, EventType.NodeDataChanged, 1n).watchers));
    for (let w = 1; w <= 3000; w += 3) both((m) => m.removeWatcher(w));
    same();
  });

  it('never answers for a freed path from the slot it left behind, when its id names another path', () => {
    const { both, same } = pair(build, 0); // sweep on nearly every removal
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 300; i++) both((m) => m.addWatch(`/r${round}/n${i}`, i % 17));
      for (let i = 0; i < 300; i += 2) both((m) => m.removeWatch(`/r${round}/n${i}`, i % 17));
      // Freed ids are reused by the next round's paths; the old names must stay unknown.
      for (let i = 0; i < 300; i++) both((m) => m.containsWatcher(`/r${round}/n${i}`, i % 17));
      if (round > 0) for (let i = 0; i < 300; i += 5) both((m) => m.containsWatcher(`/r${round - 1}/n${i}`, i % 17));
    }
    same();
  });

  it('makes recursive counts and trigger marks on first need, then behaves as before', () => {
    const { wasm, both, same } = pair(build);
    for (let w = 0; w < 200; w++) both((m) => m.addWatch(`/app/s${w}`, w));
    const plain = wasm.heapBytes();
    both((m) => m.addWatch('/app', 500, WatcherMode.PersistentRecursive));
    expect(wasm.heapBytes()).toBeGreaterThan(plain); // the counts were made
    expect(wasm.recursiveWatchCount()).toBe(1);
    both((m) => sorted(m.triggerWatch('/app/s7', EventType.NodeDeleted, 2n, [7]).watchers));
    both((m) => sorted(m.triggerWatch('/app/s8', EventType.NodeDataChanged, 3n).watchers));
    both((m) => m.removeWatch('/app', 500, WatcherMode.PersistentRecursive));
    same();
  });
});
