// Behaviour only the WASM core has: memory growth (which detaches JS views), out-of-memory on a
// capped instance, id recycling under churn, and the loader. Run over both builds.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot, watchCoreModule, type WatchCoreBuild } from '../../../src/wasm/loader.js';
import { ReferenceWatchManager } from '../../../src/watch/reference.js';
import { WatchMemoryError, WatcherMode } from '../../../src/watch/types.js';
import { WasmWatchManager } from '../../../src/watch/wasm-manager.js';

const sorted = (a: ArrayLike<number>) => Array.from(a).sort((x, y) => x - y);
const norm = (m: Map<unknown, unknown[]>) => [...m].map(([k, v]) => [k, [...v].sort()]).sort();

/** Adds watches on fresh paths until `until` says stop or the core runs out of memory. */
function fill(m: WasmWatchManager, ref: ReferenceWatchManager | null, from: number, until: () => boolean): number {
  let i = from;
  for (; i < from + 400_000 && !until(); i++) {
    const path = `/fill/node-${i}`;
    m.addWatch(path, i % 50, i % 7 === 0 ? WatcherMode.PersistentRecursive : WatcherMode.Standard);
    ref?.addWatch(path, i % 50, i % 7 === 0 ? WatcherMode.PersistentRecursive : WatcherMode.Standard);
  }
  return i;
}

describe.each<WatchCoreBuild>(['release', 'debug'])('WASM core (%s build)', (build) => {
  it('rebuilds its views when memory grows mid-sequence', () => {
    const m = new WasmWatchManager({ build });
    const start = m.memoryBytes();
    const i = fill(m, null, 0, () => m.memoryBytes() > start);
    expect(m.memoryBytes()).toBeGreaterThan(start);
    // The very next calls write a string through encodeInto: a stale view would write nothing.
    expect(m.addWatch('/after/growth', 9)).toBe(true);
    expect(m.containsWatcher(`/fill/node-${i - 1}`, (i - 1) % 50)).toBe(true);
    const r = m.triggerWatch('/after/growth', 3, 1n);
    expect(Array.from(r.watchers)).toEqual([9]);
    expect(new TextDecoder().decode(r.frame.subarray(32))).toBe('/after/growth');
  });

  it('grows its output buffer inside a trigger and its input buffer for long paths', () => {
    const m = new WasmWatchManager({ build });
    for (let w = 0; w < 120_000; w++) m.addWatch('/hot', w);
    const r = m.triggerWatch('/hot', 3, 1n);
    expect(r.watchers.length).toBe(120_000);
    expect(new Set(r.watchers).size).toBe(120_000);
    const long = '/' + 'é'.repeat(200_000);
    expect(m.addWatch(long, 1)).toBe(true);
    expect(m.containsWatcher(long, 1)).toBe(true);
    expect(m.triggerWatch(long, 2, 2n).frame.length).toBe(32 + 400_001);
  });

  it('reports out-of-memory as WatchMemoryError and leaves the table consistent', () => {
    const m = new WasmWatchManager({ build, maximumPages: 24 });
    const ref = new ReferenceWatchManager();
    let err: unknown;
    try {
      fill(m, ref, 0, () => false);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WatchMemoryError);
    expect(m.checkConsistency()).toBe(0);
    expect(m.memoryBytes()).toBeLessThanOrEqual(24 * 65536);
    // The failed add changed nothing; everything before it is intact.
    expect(m.size()).toBe(ref.size());
    expect(m.summary()).toEqual(ref.summary());
    expect(m.recursiveWatchCount()).toBe(ref.recursiveWatchCount());
    expect(norm(m.watchesByPath())).toEqual(norm(ref.watchesByPath()));
    expect(sorted(m.triggerWatch('/fill/node-3', 3, 1n).watchers)).toEqual(sorted(ref.triggerWatch('/fill/node-3', 3, 1n).watchers));
    expect(() => m.addWatch('/' + 'x'.repeat(3_000_000), 1)).toThrow(WatchMemoryError);
    // Freed memory is reused: after dropping every watcher the same load fits again.
    for (let w = 0; w < 50; w++) m.removeWatcher(w);
    expect(m.size()).toBe(0);
    expect(m.checkConsistency()).toBe(0);
    const added = fill(m, null, 0, () => m.size() >= ref.size() - 1);
    expect(added).toBeGreaterThan(0);
    expect(m.size()).toBe(ref.size() - 1);
  });

  it('recycles path ids and memory under churn', () => {
    const m = new WasmWatchManager({ build });
    const round = (r: number) => {
      for (let i = 0; i < 2000; i++) m.addWatch(`/churn/${r}/${i}`, i % 64, i % 3 === 0 ? WatcherMode.Persistent : WatcherMode.Standard);
      for (let i = 0; i < 2000; i += 3) m.removeWatch(`/churn/${r}/${i}`, i % 64, WatcherMode.Persistent);
      for (let i = 0; i < 2000; i++) m.triggerWatch(`/churn/${r}/${i}`, 2, 1n);
    };
    for (let r = 0; r < 5; r++) round(r);
    const heap = m.heapBytes();
    const mem = m.memoryBytes();
    for (let r = 5; r < 40; r++) round(r);
    expect(m.size()).toBe(0);
    expect(m.heapBytes()).toBeLessThanOrEqual(heap);
    expect(m.memoryBytes()).toBe(mem);
  });
});

describe('WASM loader', () => {
  it('finds the package root and compiles each build once', () => {
    expect(existsSync(join(packageRoot(), 'package.json'))).toBe(true);
    expect(watchCoreModule('release')).toBe(watchCoreModule('release'));
    expect(watchCoreModule('debug')).not.toBe(watchCoreModule('release'));
  });
});
