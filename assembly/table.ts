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
import { inputPtr, addTotal } from './io';
import { setGet, setUpdate, setNeedsGrow, setGrow, setInsert, setRemove, removedEntry } from './idset';
import { isBitset, bitsetPays, toBitset, fromBitset, entryBytesLimit } from './pathset';
import { BITSET, bitsCovers, bitsWiden, bitsCnt, bitsWords, bitsBase, wordAt, widenedBytes } from './bitset';
import { vecFull, vecCount, vecIsInline, vecCnt, vecCap, vecGrow, vecSortUnique, vecSlots, vecPush, vecAppend, vecAt, vecPop, vecAfterPop, vecFree } from './vec';
import * as paths from './paths';
import * as watchers from './watchers';
import { validPath } from './validate';

export const STANDARD: u32 = 1;
export const RECURSIVE: u32 = 4;
/** Path-side entries keep the mode in the low 3 bits. */
export const PSHIFT: u32 = 3;

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
  if (mode == RECURSIVE) paths.reserveRecursive();
  const h = hashBytes(p, n);
  const id = paths.lookup(p, n, h);
  if (id) {
    const fast = addToBits(id, w, mode);
    return (<i32>id << 2) | (fast >= 0 ? fast : addKnown(id, w, mode));
  }
  paths.reserveNewPath(n);
  reserveWatcherSlot(w);
  // Nothing below allocates.
  const fresh = paths.intern(p, n, h);
  insertPair(fresh, w, mode);
  return (<i32>fresh << 2) | FRESH | 1;
}

/**
 * addWatch by the id an earlier addWatch returned: no bytes cross, nothing is hashed. STALE when
 * the id is not interned (JS then falls back to the bytes; a retired path is still the same path
 * and is revived). An id is only ever reused by an addWatch that reports FRESH, which is how JS
 * knows its cached id still names the same path. The bitset fast path is not tried here: the
 * caller (src/watch/wasm-manager.ts) has just tried the same in JS (src/wasm/fast-add.ts).
 */
export function addWatchId(id: u32, w: u32, mode: u32): i32 {
  if (!paths.pathInterned(id)) return STALE; // a retired path is still the same path: revive it
  watchers.ensureWatcher(w);
  if (mode == RECURSIVE) paths.reserveRecursive();
  return addKnown(id, w, mode);
}

/** The add on an interned path: 1 when the mode was new, 0 when present. */
function addKnown(id: u32, w: u32, mode: u32): i32 {
  const e = setGet(paths.pathSet(id), w, PSHIFT);
  if (e) {
    if (e & mode) return 0;
    // A second mode on a pair kept as a bit: the path's set goes back to entries with modes.
    if (isBitset(paths.pathSet(id))) paths.setPathSet(id, fromBitset(paths.pathSet(id), 0));
    return addMode(id, w, e, mode);
  }
  reservePathSlot(id, w, mode);
  reserveWatcherSlot(w);
  // Nothing below allocates.
  insertPair(id, w, mode);
  return 1;
}

/**
 * The common add in one straight pass, no calls: a STANDARD watch on a path whose set is a bitset
 * covering `w`, by a registered watcher whose vector has room. A dense table (many sessions on the
 * same paths: shapes A, D, E of bench/watch) takes this path for nearly every add; the general
 * path (addKnown) costs four calls and re-reads the set handle in each. Nothing here allocates.
 * Returns 1 added, 0 already there, -1 when addKnown must decide. `id` < pathIdLimit, `w` < watcherCap.
 */
@inline function addToBits(id: u32, w: u32, mode: u32): i32 {
  if (mode != STANDARD) return -1;
  const b = paths.pathSet(id);
  if (!isBitset(b)) return -1;
  const i = w - bitsBase(b); // wraps below the base: one compare checks both ends
  if (i >= bitsWords(b) << 5) return -1;
  const word = wordAt(b, i >>> 5);
  const bits = load<u32>(word);
  const bit: u32 = 1 << (i & 31);
  if (bits & bit) return 0;
  const state = watchers.watcherState(w);
  const ws = watchers.watcherSet(w);
  if (!(state & watchers.REGISTERED) || ws == 0 || vecIsInline(ws) || vecCnt(ws) == vecCap(ws)) return -1;
  store<u32>(word, bits | bit);
  store<u32>(b, bitsCnt(b) + 1, 4);
  vecAppend(ws, id);
  watchers.setWatcherState(w, state + 1);
  addTotal(1);
  return 1;
}

/** A second mode on an existing pair: ZooKeeper's WatchStats.addMode. */
function addMode(id: u32, w: u32, e: u32, mode: u32): i32 {
  if (e & mode) return 0;
  paths.setPathSet(id, setUpdate(paths.pathSet(id), e | mode, PSHIFT));
  if (mode == RECURSIVE) countRecursive(id, 1);
  return 1;
}

/** Links a new pair into both indexes (room was reserved in both). */
function insertPair(id: u32, w: u32, mode: u32): void {
  const h = paths.pathSet(id);
  if (h == 0) paths.pathFilled();
  paths.setPathSet(id, setInsert(h, (w << PSHIFT) | mode, PSHIFT));
  watchers.setWatcherSet(w, vecPush(watchers.watcherSet(w), id));
  const state = watchers.watcherState(w);
  if (!(state & watchers.REGISTERED)) connections++;
  watchers.setWatcherState(w, (state | watchers.REGISTERED) + 1);
  addTotal(1);
  if (mode == RECURSIVE) countRecursive(id, 1);
}

/**
 * Makes room for watcher `w`'s new pair of `mode` in path `id`'s set, choosing its kind (see
 * pathset.ts): a bitset takes STANDARD pairs inside its range as they are, widens for one outside
 * (or turns back into entries when the wider bits would cost more than entries), and turns back
 * into entries for any other mode. Allocates; on a trap the set is as it was.
 */
function reservePathSlot(id: u32, w: u32, mode: u32): void {
  const h = paths.pathSet(id);
  if (isBitset(h)) {
    if (mode == STANDARD && bitsCovers(h, w)) return;
    const grow = mode == STANDARD ? widening(h, w) : 0;
    paths.setPathSet(id, grow ? bitsWiden(h, w, grow) : fromBitset(h, 1));
    return;
  }
  if (!setNeedsGrow(h)) return;
  if (mode == STANDARD && bitsetPays(h, w)) paths.setPathSet(id, toBitset(h));
  else paths.setPathSet(id, setGrow(h, PSHIFT));
}

/**
 * How far to widen bits to take `w`: double the width, or else a quarter more, whichever still
 * costs no more than entries would; 0 when neither does (the set goes back to entries).
 */
function widening(b: u32, w: u32): u32 {
  const width = bitsWords(b) << 5;
  const limit = entryBytesLimit(bitsCnt(b) + 1);
  if (widenedBytes(b, w, width) <= limit) return width;
  return widenedBytes(b, w, width >>> 2) <= limit ? width >>> 2 : 0;
}

@inline function countRecursive(id: u32, delta: i32): void {
  paths.addRecursive(id, delta);
  recursiveQty += delta;
}

/**
 * Makes sure one more id can be appended to the watcher's vector without allocating. A full
 * vector with a quarter or more stale entries is compacted in place (stale and repeated ids
 * dropped, no allocation); otherwise it grows. Either way the work is amortised over the pushes
 * that filled it.
 */
function reserveWatcherSlot(w: u32): void {
  const ws = watchers.watcherSet(w);
  if (!vecFull(ws)) return;
  const count = vecCount(ws);
  const live = liveCount(w);
  if (vecIsInline(ws)) {
    if (live == 0) watchers.setWatcherSet(w, 0); // its one entry is stale
    else watchers.setWatcherSet(w, vecGrow(ws));
    return;
  }
  if ((count - live) * 4 >= count) compactWatcher(ws, w);
  if (vecFull(ws)) watchers.setWatcherSet(w, vecGrow(ws));
}

/** Drops the watcher's stale and repeated path ids in place (no allocation). */
function compactWatcher(ws: u32, w: u32): void {
  const s = vecSlots(ws);
  const n = vecCount(ws);
  let m: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const id = load<u32>(s + (<usize>i << 2));
    if (!pairLive(id, w)) continue;
    store<u32>(s + (<usize>m << 2), id);
    m++;
  }
  vecSortUnique(ws, m);
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
  paths.maybeSweep();
  return 1;
}

/** Removes watcher `w`'s pair from path `id`, retiring the path when it empties. */
function dropFromPath(id: u32, w: u32): void {
  const h = setRemove(paths.pathSet(id), w, PSHIFT);
  paths.setPathSet(id, h);
  addTotal(-1);
  if (h == 0) paths.pathEmptied();
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
  vecFree(watchers.watcherSet(w));
  watchers.setWatcherSet(w, 0);
  watchers.setWatcherState(w, 0);
  connections--;
}

/** removeWatcher(watcher): every pair of `w`, at a cost of its own (possibly stale) entries. */
export function removeWatcher(w: u32): void {
  if (!isRegistered(w)) return;
  const ws = watchers.watcherSet(w);
  if (liveCount(w) != 0) {
    const n = vecCount(ws);
    if (vecIsInline(ws)) dropPairIfLive(ws >>> 1, w);
    else for (let k: u32 = 0; k < n; k += CHUNK) dropChunk(vecSlots(ws), k, min(n, k + CHUNK), w);
  }
  unregister(w);
  paths.maybeSweep();
}

/**
 * Ids per prefetch pass: their sets' lines (~2 each, 8 KB) stay inside L1. On shape E, 64 was
 * ~20% faster than 32 and no slower than 128.
 */
const CHUNK: u32 = 64;
/** Where the prefetch pass leaves what it read, so the optimizer keeps the loads. */
let sink: u32 = 0;

/**
 * removeWatcher over entries [k, end) of a watcher's vector in two passes. The first only loads
 * each path's set header and, for a bitset, the word holding `w`'s bit: the loads do not depend on
 * each other, so the CPU overlaps their cache misses; the second pass then finds those lines in
 * cache. A watcher of many big paths (bench/watch shape E: 1,000 paths of 1.3 KB bitsets spread
 * over 130 MB) otherwise waits for two misses in a row per path.
 */
function dropChunk(s: usize, k: u32, end: u32, w: u32): void {
  let acc: u32 = 0;
  for (let i = k; i < end; i++) acc += touchPair(load<u32>(s + (<usize>i << 2)), w);
  sink = acc;
  // The pair count lives in memory (io.ts status words): counted here, stored once per chunk.
  let dropped: i32 = 0;
  for (let i = k; i < end; i++) {
    const id = load<u32>(s + (<usize>i << 2));
    const r = dropFromBits(id, w);
    if (r < 0) dropPairIfLive(id, w);
    else dropped += r;
  }
  addTotal(-dropped);
}

/**
 * dropPairIfLive's common case in one pass, no calls: `id`'s set is a bitset (so the path is live)
 * that keeps at least two watchers after `w`'s bit goes (so it stays a bitset). 1 when it removed
 * the pair, 0 when `w` had none (the caller counts them), -1 when dropPairIfLive must decide.
 */
@inline function dropFromBits(id: u32, w: u32): i32 {
  const b = paths.pathSet(id);
  if (!isBitset(b)) return -1;
  const i = w - bitsBase(b);
  if (i >= bitsWords(b) << 5) return 0; // outside the range: no pair
  const word = wordAt(b, i >>> 5);
  const bits = load<u32>(word);
  const bit: u32 = 1 << (i & 31);
  if (!(bits & bit)) return 0;
  const cnt = bitsCnt(b);
  if (cnt <= 2) return -1;
  store<u32>(word, bits & ~bit);
  store<u32>(b, cnt - 1, 4);
  return 1;
}

/** Reads (only) the lines dropPairIfLive(id, w) will need; ids in a vector are < pathIdLimit. */
@inline function touchPair(id: u32, w: u32): u32 {
  const h = paths.pathSet(id);
  if (h == 0 || (h & 1) != 0) return h;
  const head = load<u32>(h);
  if (head != BITSET) return head;
  const i = w - bitsBase(h);
  return i < bitsWords(h) << 5 ? load<u32>(wordAt(h, i >>> 5)) : head;
}

/**
 * removeWatcher in slices, for a server that must not stall its event loop on a session with
 * millions of watches: ends at most `budget` of `w`'s entries (popped off its vector, so the
 * next call resumes there) and returns the budget left once `w` is gone, or -1 when the budget ran
 * out first (call again). Between slices the table stays consistent: `w` simply has fewer pairs.
 */
export function removeWatcherSome(w: u32, budget: i32): i32 {
  if (!isRegistered(w)) return budget;
  while (liveCount(w) != 0) {
    if (budget <= 0) return -1;
    const ws = watchers.watcherSet(w);
    const id = vecPop(ws);
    watchers.setWatcherSet(w, vecAfterPop(ws));
    if (dropPairIfLive(id, w)) watchers.setWatcherState(w, watchers.watcherState(w) - 1);
    budget--;
  }
  unregister(w);
  paths.maybeSweep();
  return budget;
}

/** removeWatcher's step for one (possibly stale) path id: one probe finds and removes the pair. */
function dropPairIfLive(id: u32, w: u32): bool {
  if (!paths.pathLive(id)) return false;
  const h = setRemove(paths.pathSet(id), w, PSHIFT);
  const e = removedEntry;
  if (!e) return false;
  if (e & RECURSIVE) countRecursive(id, -1);
  paths.setPathSet(id, h);
  addTotal(-1);
  if (h == 0) paths.pathEmptied();
  return true;
}

/** A trigger ended a pair. */
@inline export function dropTotal(): void {
  addTotal(-1);
}
/** A trigger ended `n` pairs. */
@inline export function dropTotals(n: u32): void {
  addTotal(-<i32>n);
}
