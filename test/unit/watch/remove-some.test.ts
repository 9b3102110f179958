// removeWatcherSome: a session close spread over several loop turns. Each slice ends at most
// `budget` watches, the table stays consistent between slices (other watchers keep adding and
// triggering), and once it reports done the table equals the reference after removeWatcher.
import { describe, expect, it } from 'vitest';
import { ReferenceWatchManager } from '../../../src/watch/reference.js';
import { WasmWatchManager } from '../../../src/watch/wasm-manager.js';
import { WatcherMode } from '../../../src/watch/types.js';

const norm = (m: Map<unknown, unknown[]>) => [...m].map(([k, v]) => [k, [...v].sort()]).sort();

describe.each(['release', 'debug'] as const)('removeWatcherSome (%s)', (build) => {
  it('removes in slices of at most budget watches, consistent in between', () => {
    const wasm = new WasmWatchManager({ build });
    const ref = new ReferenceWatchManager();
    const both = (f: (m: WasmWatchManager | ReferenceWatchManager) => void) => (f(wasm), f(ref));
    for (let i = 0; i < 5000; i++) {
      const mode = i % 11 === 0 ? WatcherMode.PersistentRecursive : i % 7 === 0 ? WatcherMode.Persistent : WatcherMode.Standard;
      both((m) => m.addWatch(`/s/n${i % 1500}`, 1 + (i % 4), mode));
    }
    // Some of watcher 1's pairs end by trigger first, leaving stale entries in its vector.
    for (let i = 0; i < 1500; i += 5) both((m) => m.triggerWatch(`/s/n${i}`, 3, 1n));
    const before = wasm.size();
    let slices = 0;
    while (!wasm.removeWatcherSome(1, 37)) {
      slices++;
      expect(wasm.checkConsistency()).toBe(0);
      expect(before - wasm.size()).toBeLessThanOrEqual(37 * slices);
      // Other sessions go on between slices.
      both((m) => m.addWatch(`/other/${slices}`, 2));
      both((m) => m.triggerWatch(`/s/n${slices * 3}`, 3, 2n));
      expect(slices).toBeLessThan(100);
    }
    expect(slices).toBeGreaterThan(3);
    ref.removeWatcher(1);
    expect(wasm.checkConsistency()).toBe(0);
    expect(wasm.summary()).toEqual(ref.summary());
    expect(norm(wasm.watchesByPath())).toEqual(norm(ref.watchesByPath()));
    expect(norm(wasm.watchesByWatcher())).toEqual(norm(ref.watchesByWatcher()));
    // Done means done: an unknown watcher, or a second call, is done at once.
    expect(wasm.removeWatcherSome(1, 1)).toBe(true);
    expect(wasm.removeWatcherSome(99, 1)).toBe(true);
  });

  it('finishes in one call when the budget covers every watch, and says what is left', () => {
    const wasm = new WasmWatchManager({ build });
    for (let i = 0; i < 300; i++) wasm.addWatch(`/x/${i}`, 5);
    for (let i = 0; i < 50; i++) wasm.addWatch(`/y/${i}`, 6);
    expect(wasm.removeWatcherWithin(6, 30)).toBe(-1);
    expect(wasm.removeWatcherWithin(6, 100)).toBe(80);
    expect(wasm.removeWatcherSome(5, 300)).toBe(true);
    expect(wasm.size()).toBe(0);
    expect(wasm.summary().numConnections).toBe(0);
    expect(wasm.checkConsistency()).toBe(0);
  });
});
