// Retired paths and the bulk sweep (assembly/paths.ts): a path whose last watch ends stays
// interned until enough of them wait, then one sweep frees them all. Whatever the timing, the
// table must answer exactly as the reference does, and memory and ids must come back.
import { describe, expect, it } from 'vitest';
import { ReferenceWatchManager } from '../../../src/watch/reference.js';
import { WasmWatchManager } from '../../../src/watch/wasm-manager.js';
import { EventType } from '../../../src/proto/constants.js';
import { WatcherMode } from '../../../src/watch/types.js';

const norm = (m: Map<unknown, unknown[]>) => [...m].map(([k, v]) => [k, [...v].sort()]).sort();

type Manager = WasmWatchManager | ReferenceWatchManager;

function same(wasm: WasmWatchManager, ref: ReferenceWatchManager): void {
  expect(wasm.checkConsistency()).toBe(0);
  expect(wasm.summary()).toEqual(ref.summary());
  expect(norm(wasm.watchesByPath())).toEqual(norm(ref.watchesByPath()));
  expect(norm(wasm.watchesByWatcher())).toEqual(norm(ref.watchesByWatcher()));
}

describe.each(['release', 'debug'] as const)('retired paths and the sweep (%s)', (build) => {
  it('gives back the memory of 12,000 one-watch sessions once they close (default threshold)', () => {
    const wasm = new WasmWatchManager({ build });
    const ref = new ReferenceWatchManager();
    const both = (f: (m: Manager) => void) => (f(wasm), f(ref));
    both((m) => m.addWatch('/keep', 1));
    const base = wasm.heapBytes();
    const n = 12_000;
    for (let w = 2; w < n + 2; w++) both((m) => m.addWatch(`/sessions/s${w}/lock`, w));
    const full = wasm.heapBytes();
    for (let w = 2; w < n + 2; w++) both((m) => m.removeWatcher(w));
    same(wasm, ref);
    // The path copies (a 32-byte block each) are freed, but for at most 4,096 waiting for the next
    // sweep; the records, table and watcher arrays keep their size (they never shrink).
    expect(full - wasm.heapBytes()).toBeGreaterThanOrEqual((n - 4096) * 32);
    // The same sessions again: ids come from the free list, nothing grows, nothing leaked.
    const memory = wasm.memoryBytes();
    for (let w = 2; w < n + 2; w++) both((m) => m.addWatch(`/sessions/s${w}/lock`, w, WatcherMode.Persistent));
    same(wasm, ref);
    expect(wasm.memoryBytes()).toBe(memory);
    expect(wasm.heapBytes()).toBeLessThanOrEqual(full);
    expect(base).toBeGreaterThan(0);
  });

  it('treats a retired path as unwatched, and revives it on a new watch (sweep never due)', () => {
    const wasm = new WasmWatchManager({ build, sweepMin: 1_000_000 });
    const ref = new ReferenceWatchManager();
    const both = <T>(f: (m: Manager) => T): [T, T] => [f(wasm), f(ref)];
    // A second add of the same string puts it in the JS path-id cache.
    for (let w = 1; w <= 3; w++) both((m) => m.addWatch('/a/b', w));
    both((m) => m.removeWatcher(1));
    both((m) => m.removeWatch('/a/b', 2));
    const [fired, expected] = both((m) => m.triggerWatch('/a/b', EventType.NodeDataChanged, 5n).watchers.length);
    expect(fired).toBe(expected);
    expect(wasm.summary().numPaths).toBe(0);
    expect(both((m) => m.containsWatcher('/a/b', 3))).toEqual([false, false]);
    same(wasm, ref);
    // Revived through the cached id and through the bytes.
    expect(both((m) => m.addWatch('/a/b', 4, WatcherMode.PersistentRecursive))).toEqual([true, true]);
    expect(both((m) => m.addWatch(new TextEncoder().encode('/a/b'), 5))).toEqual([true, true]);
    const [got, want] = both((m) => [...m.triggerWatch('/a/b/c', EventType.NodeCreated, 6n).watchers].sort());
    expect(got).toEqual(want);
    same(wasm, ref);
  });

  it('agrees with the reference when every removal sweeps (sweepMin 0), ids reused at once', () => {
    const wasm = new WasmWatchManager({ build, sweepMin: 0 });
    const ref = new ReferenceWatchManager();
    const both = (f: (m: Manager) => unknown) => expect(f(wasm)).toEqual(f(ref));
    for (let round = 0; round < 30; round++) {
      for (let i = 0; i < 40; i++) both((m) => m.addWatch(`/p${(i * 7 + round) % 50}`, 1 + (i % 6)));
      both((m) => [...m.triggerWatch(`/p${round % 50}`, EventType.NodeDeleted, 1n).watchers].sort());
      both((m) => m.removeWatch(`/p${(round + 3) % 50}`, 1 + (round % 6)));
      both((m) => m.removeWatcher(1 + (round % 6)));
      same(wasm, ref);
    }
  });
});
