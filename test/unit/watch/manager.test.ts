// One suite over every WatchManager implementation: the TypeScript reference and the WASM core
// (release and debug builds). Expected values come from Apache ZooKeeper's WatchManager.java.
import { describe, expect, it } from 'vitest';
import { EventType } from '../../../src/proto/constants.js';
import { buildNotificationFrame } from '../../../src/watch/frame.js';
import { ReferenceWatchManager } from '../../../src/watch/reference.js';
import { InvalidPathError, WatcherMode, type WatchManager } from '../../../src/watch/types.js';
import { WasmWatchManager } from '../../../src/watch/wasm-manager.js';

const { Standard: STD, Persistent: PER, PersistentRecursive: REC } = WatcherMode;
const enc = new TextEncoder();

type Impl = WatchManager & { recursiveWatchCount(): number };
const IMPLS: [string, () => Impl][] = [
  ['reference', () => new ReferenceWatchManager()],
  ['wasm release', () => new WasmWatchManager({ build: 'release' })],
  ['wasm debug', () => new WasmWatchManager({ build: 'debug' })],
];

/** The watchers a trigger lists, sorted (the WASM core lists them in table order). */
function fire(m: WatchManager, path: string, type: number = EventType.NodeDataChanged, suppress?: ArrayLike<number>): number[] {
  return Array.from(m.triggerWatch(path, type, 7n, suppress).watchers).sort((a, b) => a - b);
}

const sortedReport = <K, V>(m: Map<K, V[]>) => new Map([...m].map(([k, v]) => [k, [...v].sort()]));

describe.each(IMPLS)('WatchManager: %s', (_name, make) => {
  it('adds each mode once and lets modes coexist on one pair', () => {
    const m = make();
    expect(m.addWatch('/a', 1)).toBe(true);
    expect(m.addWatch('/a', 1)).toBe(false);
    expect(m.addWatch('/a', 1, PER)).toBe(true);
    expect(m.addWatch('/a', 1, REC)).toBe(true);
    expect(m.addWatch('/a', 1, REC)).toBe(false);
    expect(m.size()).toBe(1);
    for (const mode of [STD, PER, REC, undefined]) expect(m.containsWatcher('/a', 1, mode)).toBe(true);
    expect(m.containsWatcher('/a', 2)).toBe(false);
    expect(m.containsWatcher('/b', 1)).toBe(false);
    expect(m.recursiveWatchCount()).toBe(1);
  });

  it('fires a standard watch once, keeps persistent ones, strips only the standard bit', () => {
    const m = make();
    m.addWatch('/a', 1);
    m.addWatch('/a', 2, PER);
    m.addWatch('/a', 3);
    m.addWatch('/a', 3, PER);
    expect(fire(m, '/a')).toEqual([1, 2, 3]);
    expect(m.containsWatcher('/a', 1)).toBe(false);
    expect(m.containsWatcher('/a', 3, STD)).toBe(false);
    expect(m.containsWatcher('/a', 3, PER)).toBe(true);
    expect(fire(m, '/a')).toEqual([2, 3]);
    expect(m.size()).toBe(2);
  });

  it('fires persistent-recursive watches on the path and every descendant, never siblings or parents', () => {
    const m = make();
    m.addWatch('/a', 1, REC);
    m.addWatch('/', 2, REC);
    m.addWatch('/a', 3, STD); // a standard watch on an ancestor does not fire for descendants
    expect(fire(m, '/a/b/c')).toEqual([1, 2]);
    expect(fire(m, '/ab')).toEqual([2]);
    expect(fire(m, '/')).toEqual([2]);
    expect(fire(m, '/a')).toEqual([1, 2, 3]);
    expect(fire(m, '/a/b')).toEqual([1, 2]); // recursive watches stay
    expect(m.recursiveWatchCount()).toBe(2);
  });

  it('lists a watcher once when several paths fire it', () => {
    const m = make();
    m.addWatch('/', 1, REC);
    m.addWatch('/a', 1, REC);
    m.addWatch('/a/b', 1, STD);
    m.addWatch('/a/b', 2, PER);
    expect(fire(m, '/a/b')).toEqual([1, 2]);
    expect(m.containsWatcher('/a/b', 1)).toBe(false);
  });

  it('suppressed watchers lose one-shot watches but are not listed', () => {
    const m = make();
    m.addWatch('/a', 1);
    m.addWatch('/a', 2, PER);
    m.addWatch('/a', 3);
    m.addWatch('/', 4, REC);
    expect(fire(m, '/a', EventType.NodeDeleted, [1, 2, 4, 99])).toEqual([3]);
    expect(m.containsWatcher('/a', 1)).toBe(false);
    expect(m.containsWatcher('/a', 2)).toBe(true);
    expect(fire(m, '/a')).toEqual([2, 4]);
  });

  it('notifies a watcher with data and child watches once on delete (DataTree.deleteNode)', () => {
    const data = make();
    const child = make();
    data.addWatch('/n', 1);
    child.addWatch('/n', 1);
    child.addWatch('/n', 2);
    const fired = data.triggerWatch('/n', EventType.NodeDeleted, 5n);
    expect(Array.from(fired.watchers)).toEqual([1]);
    expect(fire(child, '/n', EventType.NodeDeleted, fired.watchers)).toEqual([2]);
    expect(child.size()).toBe(0);
  });

  it('removeWatch removes one mode, or all without a mode, and says whether anything changed', () => {
    const m = make();
    m.addWatch('/a', 1);
    m.addWatch('/a', 1, REC);
    expect(m.removeWatch('/a', 1, PER)).toBe(false);
    expect(m.removeWatch('/a', 1, REC)).toBe(true);
    expect(m.recursiveWatchCount()).toBe(0);
    expect(m.containsWatcher('/a', 1, STD)).toBe(true);
    m.addWatch('/a', 1, PER);
    expect(m.removeWatch('/a', 1)).toBe(true);
    expect(m.removeWatch('/a', 1)).toBe(false);
    expect(m.removeWatch('/nope', 1)).toBe(false);
    expect(m.removeWatch('/a', 42)).toBe(false);
    expect(m.summary()).toEqual({ numConnections: 0, numPaths: 0, totalWatches: 0 });
  });

  it('removeWatcher drops every watch of one watcher and nothing else', () => {
    const m = make();
    for (let i = 0; i < 40; i++) m.addWatch(`/p${i}`, 1, i % 2 ? STD : REC);
    m.addWatch('/p3', 2);
    m.removeWatcher(1);
    m.removeWatcher(1);
    m.removeWatcher(77); // unknown: no-op
    expect(m.summary()).toEqual({ numConnections: 1, numPaths: 1, totalWatches: 1 });
    expect(m.recursiveWatchCount()).toBe(0);
    expect(fire(m, '/p3')).toEqual([2]);
  });

  it('keeps a watcher counted after a trigger took its last watch, as ZooKeeper does', () => {
    const m = make();
    m.addWatch('/a', 1);
    m.addWatch('/b', 2);
    fire(m, '/a');
    expect(m.summary()).toEqual({ numConnections: 2, numPaths: 1, totalWatches: 1 });
    expect(m.watchesByWatcher()).toEqual(new Map([[1, []], [2, ['/b']]]));
    expect(m.removeWatch('/b', 2)).toBe(true); // unwatch of the last pair unregisters
    m.removeWatcher(1);
    expect(m.summary()).toEqual({ numConnections: 0, numPaths: 0, totalWatches: 0 });
  });

  it('rejects invalid paths with ZooKeeper reasons and changes nothing', () => {
    const m = make();
    m.addWatch('/ok', 1);
    const bad: [string | Uint8Array, string][] = [
      ['', 'Path length must be > 0'],
      ['a/b', 'Path must start with / character'],
      ['/a/', 'Path must not end with / character'],
      ['/a//b', 'empty node name specified @3'],
      ['/a/./b', 'relative paths not allowed @3'],
      ['/a/..', 'relative paths not allowed @4'],
      ['/a\u0000', 'null character not allowed @2'],
      ['/\ud83d\ude00', 'invalid character @1'],
      [Uint8Array.from([0x2f, 0x61, 0xff]), 'invalid character @2'],
    ];
    for (const [path, reason] of bad) {
      for (const op of [
        () => m.addWatch(path, 1),
        () => m.triggerWatch(path, 1, 1n),
        () => m.containsWatcher(path, 1),
        () => m.removeWatch(path, 1),
      ]) {
        let err: unknown;
        try {
          op();
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(InvalidPathError);
        expect((err as InvalidPathError).reason).toBe(reason);
      }
    }
    expect(m.summary()).toEqual({ numConnections: 1, numPaths: 1, totalWatches: 1 });
    expect(m.containsWatcher('/ok', 1)).toBe(true);
  });

  it('rejects bad watcher ids and modes', () => {
    const m = make();
    expect(() => m.addWatch('/a', -1)).toThrow(RangeError);
    expect(() => m.addWatch('/a', 1.5)).toThrow(RangeError);
    expect(() => m.addWatch('/a', 2 ** 28)).toThrow(RangeError);
    expect(() => m.addWatch('/a', 1, 3 as never)).toThrow(RangeError);
    expect(m.size()).toBe(0);
  });

  it('treats string and UTF-8 byte paths alike and builds the frame once per event', () => {
    const m = make();
    m.addWatch('/ünï/çødé', 1, PER);
    m.addWatch(enc.encode('/ünï/çødé'), 2);
    expect(m.containsWatcher(enc.encode('/ünï/çødé'), 1)).toBe(true);
    const r = m.triggerWatch(enc.encode('/ünï/çødé'), EventType.NodeCreated, 0x1234_5678_9abcn);
    expect(Array.from(r.watchers).sort()).toEqual([1, 2]);
    expect(Array.from(r.frame)).toEqual(Array.from(buildNotificationFrame(EventType.NodeCreated, 0x1234_5678_9abcn, enc.encode('/ünï/çødé'))));
    const none = m.triggerWatch('/nobody', EventType.NodeDeleted, -1n);
    expect(none.watchers.length).toBe(0);
    expect(Array.from(none.frame)).toEqual(Array.from(buildNotificationFrame(EventType.NodeDeleted, -1n, enc.encode('/nobody'))));
  });

  it('reports watches by watcher and by path (wchc, wchp, wchs)', () => {
    const m = make();
    m.addWatch('/a', 1);
    m.addWatch('/b', 1, PER);
    m.addWatch('/a', 2, REC);
    m.addWatch('/', 3);
    expect(m.summary()).toEqual({ numConnections: 3, numPaths: 3, totalWatches: 4 });
    expect(sortedReport(m.watchesByWatcher())).toEqual(new Map([[1, ['/a', '/b']], [2, ['/a']], [3, ['/']]]));
    expect(sortedReport(m.watchesByPath())).toEqual(new Map([['/a', [1, 2]], ['/b', [1]], ['/', [3]]]));
  });

  it('handles hundreds of watchers on one path and many paths per watcher', () => {
    const m = make();
    for (let w = 0; w < 500; w++) m.addWatch('/hot', w, w % 5 === 0 ? PER : STD);
    for (let i = 0; i < 500; i++) m.addWatch(`/w/${i}`, 7);
    expect(m.size()).toBe(1000);
    expect(fire(m, '/hot').length).toBe(500);
    expect(fire(m, '/hot').length).toBe(100);
    for (let w = 0; w < 500; w += 10) m.removeWatcher(w);
    expect(fire(m, '/hot').length).toBe(50);
    m.removeWatcher(7);
    expect(m.summary()).toEqual({ numConnections: 449, numPaths: 1, totalWatches: 50 });
  });
});
