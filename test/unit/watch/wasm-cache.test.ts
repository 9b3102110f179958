// The path-id cache in WasmWatchManager: repeated string paths cross as ids. The core reuses a
// freed path id for the next new path, so a cached id must never be taken for another path.
// Checked against the reference manager and the core's own consistency check.
import { describe, expect, it } from 'vitest';
import { ReferenceWatchManager } from '../../../src/watch/reference.js';
import { WasmWatchManager } from '../../../src/watch/wasm-manager.js';
import type { WatchManager } from '../../../src/watch/types.js';

const sorted = (a: ArrayLike<number>) => Array.from(a).sort((x, y) => x - y);
const sortedMap = (m: Map<string, number[]>) => [...m].map(([k, v]) => [k, sorted(v)]).sort();

function both(op: (m: WatchManager) => unknown): [unknown, unknown, WasmWatchManager] {
  return [op(wasm), op(ref), wasm];
}
let wasm: WasmWatchManager;
let ref: ReferenceWatchManager;

describe.each(['release', 'debug'] as const)('WasmWatchManager path-id cache (%s)', (build) => {
  it('never applies a cached id to the path that reused it', () => {
    wasm = new WasmWatchManager({ build });
    ref = new ReferenceWatchManager();
    const trig = (p: string) => (m: WatchManager) => sorted(m.triggerWatch(p, 3, 1n).watchers);
    // /a is seen twice (cached), then freed by a trigger; /b takes its id; /a must still be /a.
    for (const step of [
      (m: WatchManager) => m.addWatch('/a', 1),
      (m: WatchManager) => m.addWatch('/a', 2),
      trig('/a'),
      (m: WatchManager) => m.addWatch('/b', 3),
      (m: WatchManager) => m.addWatch('/a', 4),
      (m: WatchManager) => m.addWatch('/b', 5),
      trig('/a'),
      (m: WatchManager) => m.containsWatcher('/b', 3),
      trig('/b'),
      (m: WatchManager) => m.addWatch(new TextEncoder().encode('/c'), 6),
      (m: WatchManager) => m.addWatch('/b', 7),
      trig('/b'),
      trig('/c'),
    ]) {
      const [a, b] = both(step);
      expect(a).toEqual(b);
      expect(wasm.checkConsistency()).toBe(0);
      expect(wasm.summary()).toEqual(ref.summary());
    }
  });

  it('agrees with the reference under heavy id churn over a small path pool', () => {
    wasm = new WasmWatchManager({ build });
    ref = new ReferenceWatchManager();
    let seed = 12345;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    for (let i = 0; i < 20_000; i++) {
      const p = `/p${rnd(40)}`;
      const w = rnd(8);
      const k = rnd(10);
      const mode = (1 << rnd(3)) as 1 | 2 | 4;
      const [a, b] = both((m) =>
        k < 6 ? m.addWatch(p, w, mode)
        : k < 8 ? sorted(m.triggerWatch(p, 3, 1n).watchers)
        : k < 9 ? m.removeWatch(p, w)
        : (m.removeWatcher(w), null));
      expect(a).toEqual(b);
    }
    expect(wasm.checkConsistency()).toBe(0);
    expect(wasm.summary()).toEqual(ref.summary());
  });

  it('holds at most one entry per 16 watches once past 4,096 entries, and stays exact', () => {
    wasm = new WasmWatchManager({ build });
    ref = new ReferenceWatchManager();
    const cache = (wasm as unknown as { pathIds: { size: number } }).pathIds;
    // 6,000 paths with two watches each: 12,000 watches allow 750 entries, so the floor (4,096)
    // is the cap. Then 16 watches per path on 6,000 more: 96,000 more watches lift it past 6,000.
    for (let w = 1; w <= 2; w++) for (let i = 0; i < 6_000; i++) both((m) => m.addWatch(`/pair/n${i}`, w));
    expect(cache.size).toBe(4096);
    for (let w = 1; w <= 16; w++) for (let i = 0; i < 6_000; i++) both((m) => m.addWatch(`/wide/n${i}`, w));
    expect(cache.size).toBeGreaterThan(4096);
    expect(cache.size).toBeLessThanOrEqual(wasm.size() / 16);
    for (let i = 0; i < 6_000; i += 97) {
      const [a, b] = both((m) => sorted(m.triggerWatch(`/pair/n${i}`, 3, 1n).watchers));
      expect(a).toEqual(b);
    }
    expect(wasm.checkConsistency()).toBe(0);
    expect(wasm.summary()).toEqual(ref.summary());
  });

  it('stops looking up while new paths stream into a big table, resumes when paths repeat, stays exact', () => {
    wasm = new WasmWatchManager({ build });
    ref = new ReferenceWatchManager();
    const cache = (wasm as unknown as { pathIds: { on: boolean; size: number } }).pathIds;
    // Two sightings of 200 paths: cached.
    for (let i = 0; i < 400; i++) both((m) => m.addWatch(`/hot/n${i % 200}`, 1 + (i >= 200 ? 1 : 0)));
    expect(cache.size).toBe(200);
    // 10,000 paths seen once (a path per session): past 8,192 paths, lookups go off; entries stay.
    for (let i = 0; i < 10_000; i++) both((m) => m.addWatch(`/once/n${i}`, 3 + (i % 5)));
    expect(cache.on).toBe(false);
    expect(cache.size).toBe(200);
    // The hot paths end, the one-path sessions close (the sweep frees every id), and new paths
    // take all the ids while lookups are off: each reuse must drop the hot string's entry.
    for (let i = 0; i < 200; i++) expect(both((m) => sorted(m.triggerWatch(`/hot/n${i}`, 3, 1n).watchers)).slice(0, 1)).toEqual([[1, 2]]);
    for (let w = 3; w < 8; w++) both((m) => m.removeWatcher(w));
    expect(wasm.summary().numPaths).toBe(0);
    for (let i = 0; i < 10_300; i++) both((m) => m.addWatch(`/new/n${i}`, 9));
    expect(cache.size).toBe(0);
    // A repeat turns lookups back on; the old strings are added again, on new ids.
    both((m) => m.addWatch('/new/n7', 8));
    expect(cache.on).toBe(true);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 200; i++) {
        const [a, b] = both((m) => m.addWatch(`/hot/n${i}`, 10 + round));
        expect(a).toEqual(b);
      }
    }
    for (let i = 0; i < 200; i += 7) {
      const [a, b] = both((m) => sorted(m.triggerWatch(`/hot/n${i}`, 3, 1n).watchers));
      expect(a).toEqual(b);
    }
    expect(wasm.checkConsistency()).toBe(0);
    expect(wasm.summary()).toEqual(ref.summary());
    expect(sortedMap(wasm.watchesByPath())).toEqual(sortedMap(ref.watchesByPath()));
  });
});
