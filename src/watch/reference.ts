// The plain TypeScript watch manager: Apache ZooKeeper 3.9's server/watch/WatchManager.java, with
// the same two indexes (watchTable: path → watchers, watch2Paths: watcher → path → mode bits) and
// the same quirks, so it can serve as the oracle the WASM core is tested against:
// - addWatch registers the watcher even when the mode was already there (returns false then);
// - a trigger removes STANDARD bits and drops the pair when no bits remain, but leaves the watcher's
//   (possibly empty) path map in watch2Paths, so it still counts as a connection in reports until
//   removeWatcher(watcher) or a removeWatch that empties the map (ZooKeeper's unwatch);
// - the ancestor walk for persistent-recursive watches only happens while any exist
//   (recursiveWatchQty), exactly like getPathParentIterator.
// Order: triggerWatch returns watchers in ascending id order; reports list ids ascending and
// paths in the order they were first watched.
import { checkMode, checkWatcher } from './args.js';
import { buildNotificationFrame } from './frame.js';
import { decodePath, validatePath, validatePathBytes } from './path.js';
import {
  WatcherMode,
  type TriggerResult,
  type WatchManager,
  type WatcherModeBit,
  type WatchesSummary,
} from './types.js';

const encoder = new TextEncoder();
const STANDARD = WatcherMode.Standard;
const RECURSIVE = WatcherMode.PersistentRecursive;

/** Validates a path argument and returns it as a string. */
function pathString(path: string | Uint8Array): string {
  if (typeof path === 'string') {
    validatePath(path);
    return path;
  }
  validatePathBytes(path);
  return decodePath(path);
}

/** PathParentIterator: the path itself, then each parent up to "/" (when `all`). */
function* pathAndParents(path: string, all: boolean): Generator<string> {
  yield path;
  if (!all) return;
  let p = path;
  while (p !== '/') {
    p = p.substring(0, p.lastIndexOf('/')) || '/';
    yield p;
  }
}

export class ReferenceWatchManager implements WatchManager {
  private readonly watchTable = new Map<string, Set<number>>();
  private readonly watch2Paths = new Map<number, Map<string, number>>();
  private recursiveWatchQty = 0;

  addWatch(path: string | Uint8Array, watcher: number, mode: WatcherModeBit = STANDARD): boolean {
    checkWatcher(watcher);
    checkMode(mode);
    const p = pathString(path);
    let watchers = this.watchTable.get(p);
    if (!watchers) this.watchTable.set(p, (watchers = new Set()));
    watchers.add(watcher);
    let paths = this.watch2Paths.get(watcher);
    if (!paths) this.watch2Paths.set(watcher, (paths = new Map()));
    const stats = paths.get(p) ?? 0;
    if (stats & mode) return false;
    paths.set(p, stats | mode);
    if (mode === RECURSIVE) this.recursiveWatchQty++;
    return true;
  }

  containsWatcher(path: string | Uint8Array, watcher: number, mode?: WatcherModeBit): boolean {
    checkWatcher(watcher);
    if (mode !== undefined) checkMode(mode);
    const stats = this.watch2Paths.get(watcher)?.get(pathString(path));
    return stats !== undefined && (mode === undefined || (stats & mode) !== 0);
  }

  removeWatch(path: string | Uint8Array, watcher: number, mode?: WatcherModeBit): boolean {
    checkWatcher(watcher);
    if (mode !== undefined) checkMode(mode);
    const p = pathString(path);
    const paths = this.watch2Paths.get(watcher);
    const watchers = this.watchTable.get(p);
    if (!paths || !watchers) return false;
    const oldStats = paths.get(p) ?? 0;
    const newStats = mode === undefined ? 0 : oldStats & ~mode;
    if (newStats !== 0) {
      paths.set(p, newStats);
    } else if (oldStats !== 0) {
      this.unwatch(p, watcher, paths, watchers);
    }
    if (oldStats & RECURSIVE && !(newStats & RECURSIVE)) this.recursiveWatchQty--;
    return oldStats !== newStats;
  }

  /** ZooKeeper's unwatch: drop the pair, and the watcher's map once it is empty. */
  private unwatch(path: string, watcher: number, paths: Map<string, number>, watchers: Set<number>): void {
    paths.delete(path);
    if (paths.size === 0) this.watch2Paths.delete(watcher);
    watchers.delete(watcher);
    if (watchers.size === 0) this.watchTable.delete(path);
  }

  removeWatcher(watcher: number): void {
    checkWatcher(watcher);
    const paths = this.watch2Paths.get(watcher);
    if (!paths) return;
    this.watch2Paths.delete(watcher);
    for (const [p, stats] of paths) {
      const watchers = this.watchTable.get(p);
      watchers?.delete(watcher);
      if (watchers?.size === 0) this.watchTable.delete(p);
      if (stats & RECURSIVE) this.recursiveWatchQty--;
    }
  }

  triggerWatch(path: string | Uint8Array, type: number, zxid: bigint, suppress?: ArrayLike<number>): TriggerResult {
    const p = pathString(path);
    const fired = new Set<number>();
    let atParent = false;
    for (const local of pathAndParents(p, this.recursiveWatchQty > 0)) {
      this.fireAt(local, atParent, fired);
      atParent = true;
    }
    const skip = new Set(suppress ? Array.from(suppress) : []);
    const watchers = Int32Array.from([...fired].filter((w) => !skip.has(w))).sort();
    const bytes = typeof path === 'string' ? encoder.encode(path) : path;
    return { watchers, frame: buildNotificationFrame(type, zxid, bytes) };
  }

  /** One step of ZooKeeper's trigger loop: every watcher on the path itself, recursive ones above. */
  private fireAt(local: string, atParent: boolean, fired: Set<number>): void {
    const watchers = this.watchTable.get(local);
    if (!watchers) return;
    for (const w of watchers) {
      const paths = this.watch2Paths.get(w);
      const stats = paths?.get(local);
      if (!paths || stats === undefined) continue; // inconsistent table; ZooKeeper logs and skips
      if (atParent) {
        if (stats & RECURSIVE) fired.add(w);
        continue;
      }
      fired.add(w);
      const next = stats & ~STANDARD;
      if (next === 0) {
        watchers.delete(w);
        paths.delete(local); // the watcher's map stays, even when empty (ZooKeeper does the same)
      } else paths.set(local, next);
    }
    if (watchers.size === 0) this.watchTable.delete(local);
  }

  size(): number {
    let n = 0;
    for (const watchers of this.watchTable.values()) n += watchers.size;
    return n;
  }

  summary(): WatchesSummary {
    let totalWatches = 0;
    for (const paths of this.watch2Paths.values()) totalWatches += paths.size;
    return { numConnections: this.watch2Paths.size, numPaths: this.watchTable.size, totalWatches };
  }

  watchesByWatcher(): Map<number, string[]> {
    const ids = [...this.watch2Paths.keys()].sort((a, b) => a - b);
    return new Map(ids.map((id) => [id, [...this.watch2Paths.get(id)!.keys()]]));
  }

  watchesByPath(): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const [p, watchers] of this.watchTable) out.set(p, [...watchers].sort((a, b) => a - b));
    return out;
  }

  /** Number of pairs holding a persistent-recursive bit (WatchManager.getRecursiveWatchQty). */
  recursiveWatchCount(): number {
    return this.recursiveWatchQty;
  }
}
