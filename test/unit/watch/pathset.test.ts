// The per-path watcher set kinds of the WASM core (assembly/pathset.ts): dense runs of plain
// STANDARD watches are kept as bits, and the set turns back into entries with modes when a pair
// needs one. Every step is compared with the reference and followed by the core's consistency check.
import { describe, expect, it } from 'vitest';
import { ReferenceWatchManager } from '../../../src/watch/reference.js';
import { WasmWatchManager } from '../../../src/watch/wasm-manager.js';
import { WatcherMode, type WatchManager, type WatcherModeBit } from '../../../src/watch/types.js';

const sorted = (a: ArrayLike<number>) => Array.from(a).sort((x, y) => x - y);
const norm = (m: Map<unknown, unknown[]>) => [...m].map(([k, v]) => [k, [...v].sort()]).sort();

class Pair {
  readonly wasm: WasmWatchManager;
  readonly ref = new ReferenceWatchManager();
  constructor(build: 'release' | 'debug') {
    this.wasm = new WasmWatchManager({ build });
  }
  do<T>(f: (m: WatchManager) => T): T {
    const a = f(this.wasm);
    const b = f(this.ref);
    expect(a instanceof Int32Array ? sorted(a) : a).toEqual(b instanceof Int32Array ? sorted(b) : b);
    expect(this.wasm.checkConsistency()).toBe(0);
    expect(this.wasm.summary()).toEqual(this.ref.summary());
    return a;
  }
  add(p: string, w: number, m: WatcherModeBit = WatcherMode.Standard): void {
    this.do((x) => x.addWatch(p, w, m));
  }
  fire(p: string, suppress?: number[]): void {
    this.do((x) => sorted(x.triggerWatch(p, 3, 1n, suppress).watchers));
  }
  reports(): void {
    expect(norm(this.wasm.watchesByPath())).toEqual(norm(this.ref.watchesByPath()));
    expect(norm(this.wasm.watchesByWatcher())).toEqual(norm(this.ref.watchesByWatcher()));
  }
}

describe.each(['release', 'debug'] as const)('per-path set kinds (%s)', (build) => {
  it('keeps a dense run of standard watches in about a bit per watcher', () => {
    const t = new Pair(build);
    t.add('/hot', 0);
    const before = t.wasm.heapBytes();
    for (let w = 1; w < 4000; w++) t.wasm.addWatch('/hot', w);
    // The watcher records (10 bytes each, in a power-of-two array: ~10.4 per watcher here) plus
    // ~500 bytes of bits; a hashed set of 4,000 entries would add 32 KiB (~8 more per watch).
    const perWatch = (t.wasm.heapBytes() - before) / 3999;
    expect(perWatch).toBeLessThan(12);
    for (let w = 1; w < 4000; w++) t.ref.addWatch('/hot', w);
    t.reports();
    t.fire('/hot', [5, 17]);
  });

  it('turns bits back into entries for other modes, widens both ways, inlines the last one', () => {
    const t = new Pair(build);
    for (let w = 100; w < 160; w++) t.add('/p', w);
    t.add('/p', 120, WatcherMode.Persistent); // existing pair gets a second mode
    t.add('/p', 121); // already there
    t.fire('/p');
    for (let w = 500; w < 600; w += 2) t.add('/q', w);
    t.add('/q', 3); // far below: widen down (or entries)
    t.add('/q', 5000); // far above
    t.add('/q', 777, WatcherMode.PersistentRecursive); // a new pair with another mode
    t.add('/q/child', 9);
    t.fire('/q/child');
    for (let w = 500; w < 600; w += 2) t.do((x) => x.removeWatch('/q', w));
    t.reports();
    for (let w = 0; w < 40; w++) t.add('/r', w);
    for (let w = 0; w < 39; w++) t.do((x) => x.removeWatch('/r', w, w % 2 ? WatcherMode.Standard : undefined));
    t.do((x) => x.containsWatcher('/r', 39));
    t.do((x) => x.removeWatch('/r', 39, WatcherMode.Persistent));
    for (let w = 0; w < 40; w += 3) t.do((x) => (x.removeWatcher(w), null));
    t.reports();
    t.fire('/r');
  });

  it('session closes clear bits one by one down to the last watcher (removeWatcher fast path)', () => {
    const t = new Pair(build);
    // Three bitset paths over overlapping watcher ranges; each watcher also has a path of its own.
    for (let w = 1; w <= 120; w++) {
      t.add('/b/one', w);
      if (w % 2 === 0) t.add('/b/two', w);
      if (w > 60) t.add('/b/three', w);
      t.add(`/own/${w}`, w);
    }
    t.reports();
    // Close every session in an order that empties the paths at different times; some in slices.
    for (let w = 120; w >= 1; w -= 1) {
      if (w % 7 === 0) t.do((x) => (x instanceof WasmWatchManager ? (x.removeWatcherSome(w, 1), x.removeWatcher(w)) : x.removeWatcher(w), null));
      else t.do((x) => (x.removeWatcher(w), null));
      if (w % 20 === 0 || w < 4) t.reports();
    }
    expect(t.wasm.size()).toBe(0);
  });
});
