// The watch table: ZooKeeper's WatchManager (server/watch/WatchManager.java, 3.9) over integer
// ids. Two indexes, as in ZooKeeper:
//   path id  -> set of (watcher << 3 | mode bits)   the truth: a pair exists iff it is here
//   watcher  -> set of path ids                     a superset: may hold stale ids
// A trigger removes STANDARD pairs from the path side only and lowers the watcher's live count;
// the stale ids left behind are skipped by removeWatcher and reports (each checks the path side)
// and purged when the watcher's set would grow. That keeps a trigger to one pass over the path's
// set, and removeWatcher to its own (at most ~2x) entries.
// Every mutating export reserves (allocates) first and mutates after, so memory exhaustion traps
// before anything changed; the only thing a trap can leave is a reserved bytes block (recover()).
import { hashBytes } from './hash';
import { inputPtr } from './io';
import { setCount, setGet, setUpdate, setNeedsGrow, setGrow, setInsert, setRemove, setFree, removedEntry } from './idset';
import { isInline, inlineEntry, blockCap, blockNew, blockPut, slotsOf, capFor } from './idset';
import * as paths from './paths';
import * as watchers from './watchers';
import { validPath } from './validate';

export const STANDARD: u32 = 1;
export const RECURSIVE: u32 = 4;
/** Path-side entries keep the mode in the low 3 bits. */
export const PSHIFT: u32 = 3;
const WSHIFT: u32 = 0;

/** Pairs in the table (IWatchManager.size). */
export let totalWatches: u32 = 0;
/** Registered watchers (watch2Paths.size()). */
export let connections: u32 = 0;
/** Pairs with the PERSISTENT_RECURSIVE bit (WatchManager.recursiveWatchQty). */
export let recursiveQty: u32 = 0;

export const INVALID_PATH: i32 = -1;

@inline export function liveCount(w: u32): u32 {
  return watchers.watcherState(w) & ~watchers.REGISTERED;
}
@inline export function isRegistered(w: u32): bool {
  return w < watchers.watcherCap() && (watchers.watcherState(w) & watchers.REGISTERED) != 0;
}

/** The id of the `n`-byte input path, or 0 when nothing watches it. */
export function lookupInput(n: u32): u32 {
  return paths.lookup(inputPtr(), n, hashBytes(inputPtr(), n));
}

/** True when the pair (path id, watcher) is in the table. */
@inline export function pairLive(id: u32, w: u32): bool {
  return paths.pathLive(id) && setGet(paths.pathSet(id), w, PSHIFT) != 0;
}

/** What the add exports return besides the low "added" bit: the path was interned by this call. */
export const FRESH: i32 = 2;
/** addWatchId's answer when the id no longer names a live path (the caller's cache is stale). */
export const STALE: i32 = -2;

/**
 * addWatch(path, watcher, mode) on the input bytes: -1 for an invalid path, else
 * (path id << 2) | FRESH when the path was interned by this call | 1 when the mode was new. The id
 * lets JS skip the bytes next time (addWatchId); FRESH tells it the id may have named another path.
 */
export function addWatch(n: u32, w: u32, mode: u32): i32 {
  const p = inputPtr();
  if (!validPath(p, n)) return INVALID_PATH;
  watchers.ensureWatcher(w);
  const h = hashBytes(p, n);
  const id = paths.lookup(p, n, h);
  if (id) return (<i32>id << 2) | addKnown(id, w, mode);
  paths.reserveNewPath(n);
  const listed = reserveWatcherSlot(w, paths.nextPathId());
  // Nothing below allocates.
  const fresh = paths.intern(p, n, h);
  insertPair(fresh, w, mode, listed);
  return (<i32>fresh << 2) | FRESH | 1;
}

/**
 * addWatch by the id an earlier addWatch returned: no bytes cross, nothing is hashed. STALE when
 * the id is not live (JS then falls back to the bytes). An id is only ever reused by an addWatch
 * that reports FRESH, which is how JS knows its cached id still names the same path.
 */
export function addWatchId(id: u32, w: u32, mode: u32): i32 {
  if (!paths.pathLive(id)) return STALE;
  watchers.ensureWatcher(w);
  return addKnown(id, w, mode);
}

/** The add on an interned path: 1 when the mode was new, 0 when present. */
function addKnown(id: u32, w: u32, mode: u32): i32 {
  const e = setGet(paths.pathSet(id), w, PSHIFT);
  if (e) return addMode(id, w, e, mode);
  if (setNeedsGrow(paths.pathSet(id))) paths.setPathSet(id, setGrow(paths.pathSet(id), PSHIFT));
  const listed = reserveWatcherSlot(w, id);
  // Nothing below allocates.
  insertPair(id, w, mode, listed);
  return 1;
}

/** A second mode on an existing pair: ZooKeeper's WatchStats.addMode. */
function addMode(id: u32, w: u32, e: u32, mode: u32): i32 {
  if (e & mode) return 0;
  paths.setPathSet(id, setUpdate(paths.pathSet(id), e | mode, PSHIFT));
  if (mode == RECURSIVE) countRecursive(id, 1);
  return 1;
}

/** Links a new pair into both indexes; `listed`: the watcher's set already names the id. */
function insertPair(id: u32, w: u32, mode: u32, listed: bool): void {
  paths.setPathSet(id, setInsert(paths.pathSet(id), (w << PSHIFT) | mode, PSHIFT));
  if (!listed) watchers.setWatcherSet(w, setInsert(watchers.watcherSet(w), id, WSHIFT));
  const state = watchers.watcherState(w);
  if (!(state & watchers.REGISTERED)) connections++;
  watchers.setWatcherState(w, (state | watchers.REGISTERED) + 1);
  totalWatches++;
  if (mode == RECURSIVE) countRecursive(id, 1);
}

@inline function countRecursive(id: u32, delta: i32): void {
  paths.addRecursive(id, delta);
  recursiveQty += delta;
}

/**
 * Makes sure `pid` can be added to the watcher's path set without allocating; returns true when
 * the set already names it (a stale id that becomes live again). When the set is full and holds
 * stale ids, rebuild it with only live ones (amortised: it is rebuilt only when a quarter or more
 * is stale, or when it doubles anyway).
 */
function reserveWatcherSlot(w: u32, pid: u32): bool {
  const ws = watchers.watcherSet(w);
  if (setGet(ws, pid, WSHIFT)) return true; // a stale entry for this id: it becomes live again
  if (!setNeedsGrow(ws)) return false;
  const count = setCount(ws);
  const live = liveCount(w);
  if (live == count) {
    watchers.setWatcherSet(w, setGrow(ws, WSHIFT));
    return false;
  }
  const want = (count - live) * 4 >= count ? live + 1 : count + 1;
  watchers.setWatcherSet(w, rebuildLive(w, ws, want));
  return false;
}

/** A new set for `w` holding only ids whose pair is live, sized for `want`. Allocates. */
function rebuildLive(w: u32, ws: u32, want: u32): u32 {
  if (want <= 1) {
    setFree(ws);
    return 0; // live == 0: every entry was stale
  }
  const b = blockNew(capFor(want));
  if (isInline(ws)) {
    if (pairLive(inlineEntry(ws), w)) blockPut(b, inlineEntry(ws), WSHIFT);
    return b;
  }
  const s = slotsOf(ws);
  const end = s + (<usize>blockCap(ws) << 2);
  for (let q = s; q < end; q += 4) {
    const id = load<u32>(q);
    if (id && pairLive(id, w)) blockPut(b, id, WSHIFT);
  }
  setFree(ws);
  return b;
}

/** containsWatcher(path, watcher, mode): mode 0 means any. 1 / 0, or -1 for an invalid path. */
export function containsWatch(n: u32, w: u32, mode: u32): i32 {
  if (!validPath(inputPtr(), n)) return INVALID_PATH;
  if (!isRegistered(w)) return 0;
  const id = lookupInput(n);
  if (!id) return 0;
  const e = setGet(paths.pathSet(id), w, PSHIFT);
  return e != 0 && (mode == 0 || (e & mode) != 0) ? 1 : 0;
}

/** removeWatcher(path, watcher, mode), mode 0 = all modes: 1 when something was removed. */
export function removeWatch(n: u32, w: u32, mode: u32): i32 {
  if (!validPath(inputPtr(), n)) return INVALID_PATH;
  if (!isRegistered(w)) return 0;
  const id = lookupInput(n);
  if (!id) return 0;
  const e = setGet(paths.pathSet(id), w, PSHIFT);
  if (!e) return 0;
  const old = e & 7;
  const next = mode ? old & ~mode : 0;
  if (next == old) return 0;
  if ((old & RECURSIVE) && !(next & RECURSIVE)) countRecursive(id, -1);
  if (next) {
    paths.setPathSet(id, setUpdate(paths.pathSet(id), (w << PSHIFT) | next, PSHIFT));
    return 1;
  }
  dropFromPath(id, w);
  dropLive(w);
  return 1;
}

/** Removes watcher `w`'s pair from path `id`, forgetting the path when it empties. */
function dropFromPath(id: u32, w: u32): void {
  const h = setRemove(paths.pathSet(id), w, PSHIFT);
  paths.setPathSet(id, h);
  totalWatches--;
  if (h == 0) paths.unintern(id);
}

/** One live pair of `w` is gone; like ZooKeeper's unwatch, the last one unregisters it. */
function dropLive(w: u32): void {
  const state = watchers.watcherState(w) - 1;
  if ((state & ~watchers.REGISTERED) != 0) {
    watchers.setWatcherState(w, state);
    return;
  }
  unregister(w);
}

function unregister(w: u32): void {
  setFree(watchers.watcherSet(w));
  watchers.setWatcherSet(w, 0);
  watchers.setWatcherState(w, 0);
  connections--;
}

/** removeWatcher(watcher): every pair of `w`, at a cost of its own (possibly stale) entries. */
export function removeWatcher(w: u32): void {
  if (!isRegistered(w)) return;
  const ws = watchers.watcherSet(w);
  if (liveCount(w) != 0) {
    if (isInline(ws)) dropPairIfLive(inlineEntry(ws), w);
    else if (ws) dropAllIn(ws, w);
  }
  unregister(w);
}

function dropAllIn(ws: u32, w: u32): void {
  const s = slotsOf(ws);
  const end = s + (<usize>blockCap(ws) << 2);
  for (let q = s; q < end; q += 4) {
    const id = load<u32>(q);
    if (id) dropPairIfLive(id, w);
  }
}

/** removeWatcher's step for one (possibly stale) path id: one probe finds and removes the pair. */
function dropPairIfLive(id: u32, w: u32): void {
  if (!paths.pathLive(id)) return;
  const h = setRemove(paths.pathSet(id), w, PSHIFT);
  const e = removedEntry;
  if (!e) return;
  if (e & RECURSIVE) countRecursive(id, -1);
  paths.setPathSet(id, h);
  totalWatches--;
  if (h == 0) paths.unintern(id);
}

/** A trigger ended a pair. */
@inline export function dropTotal(): void {
  totalWatches--;
}
