// triggerWatch: ZooKeeper's WatchManager.triggerWatch over the id tables. Every watcher on the path
// itself is listed; its STANDARD bit is removed and the pair dropped when no bit remains. While any
// persistent-recursive pair exists (recursiveQty, like ZooKeeper's recursiveWatchQty), each
// ancestor is looked up by hashing the path's own prefixes — ancestors are never interned — and
// its recursive watchers are listed too. A watcher is listed once however many paths fire it, and
// suppressed watchers (ids JS wrote to the output buffer) lose their one-shot watches but are not
// listed, as ZooKeeper's delete path needs. Output order is table order, not sorted.
import { hashBytes } from './hash';
import { inputPtr, ensureOutput, outputCap, putOut, getOut, writeFrame } from './io';
import { isInline, inlineEntry, blockCap, slotsOf, blockDropped, setRepair, setCount, setFree } from './idset';
import { isBitset, bitsWords, bitsBase, bitsCnt, wordAt } from './bitset';
import * as paths from './paths';
import * as watchers from './watchers';
import { validPath } from './validate';
import * as table from './table';

/** No empty slot seen yet (see the gap in the hashed-set pass below). */
const NO_GAP: u32 = 0xffffffff;

const SLASH: u8 = 0x2f;

let listed: u32 = 0;

export function trigger(n: u32, type: i32, zxid: i64, nSuppress: u32): i32 {
  if (!validPath(inputPtr(), n)) return table.INVALID_PATH;
  return fire(table.lookupInput(n), n, type, zxid, nSuppress);
}

/**
 * trigger by an id addWatch returned (JS caches them per path string): the interned bytes are
 * copied into the input buffer (which has held them before, so it is big enough) instead of
 * crossing from JS, and neither validation nor the hash lookup is needed. STALE when not interned.
 */
export function triggerId(id: u32, type: i32, zxid: i64, nSuppress: u32): i32 {
  if (!paths.pathInterned(id)) return table.STALE; // retired: still this path, with no watchers
  const n = paths.pathLength(id);
  memory.copy(inputPtr(), paths.pathBytes(id), n);
  return fire(id, n, type, zxid, nSuppress);
}

/** The trigger proper, on the valid input path whose id is `id` (0 when not watched). */
function fire(id: u32, n: u32, type: i32, zxid: i64, nSuppress: u32): i32 {
  const walk = table.recursiveQty > 0 && n > 1;
  const marking = walk || nSuppress > 0;
  let base: u32 = 0;
  if (marking) base = markSuppressed(nSuppress);
  reserveOutput(id, n, walk);
  // Nothing below allocates.
  listed = 0;
  if (id && paths.pathSet(id) != 0) fireExact(id, marking, base);
  if (walk) fireAncestors(n, base);
  writeFrame(type, zxid, n);
  paths.maybeSweep();
  return listed;
}

/** Marks the suppressed ids (read from the output buffer before it is reused). */
function markSuppressed(nSuppress: u32): u32 {
  watchers.ensureMarks();
  const base = watchers.nextEpoch();
  const cap = watchers.watcherCap();
  for (let i: u32 = 0; i < nSuppress; i++) {
    const w = getOut(i);
    if (w < cap) watchers.setMark(w, base);
  }
  return base;
}

/** Room for every watcher that can be listed; exact ancestor counts only when the cheap bound fails. */
function reserveOutput(id: u32, n: u32, walk: bool): void {
  let bound: u64 = id ? setCount(paths.pathSet(id)) : 0;
  if (walk) {
    if (bound + table.recursiveQty <= outputCap()) return;
    for (let j = n - 1; j >= 1; j--) {
      if (load<u8>(inputPtr() + j) == SLASH) bound += recursiveAt(j);
    }
    bound += recursiveAt(1);
  }
  ensureOutput(<u32>bound);
}

function recursiveAt(len: u32): u32 {
  const id = paths.lookup(inputPtr(), len, hashBytes(inputPtr(), len));
  return id ? paths.recursiveCount(id) : 0;
}

/** Lists every watcher on the path and strips STANDARD bits; repairs the set afterwards. */
function fireExact(id: u32, marking: bool, base: u32): void {
  const h = paths.pathSet(id);
  if (isBitset(h)) {
    fireBits(h, marking, base);
    setFree(h);
    paths.setPathSet(id, 0);
    paths.pathEmptied();
    return;
  }
  if (isInline(h)) {
    const e = inlineEntry(h);
    const keep = fireEntry(e, marking, base);
    if (keep == 0) {
      paths.setPathSet(id, 0);
      paths.pathEmptied();
    } else if (keep != e) paths.setPathSet(id, (keep << 1) | 1);
    return;
  }
  const s = slotsOf(h);
  const end = s + (<usize>blockCap(h) << 2);
  let removed: u32 = 0;
  // The first slot found empty was empty before any zeroing here: setRepair rehashes from it. A
  // hashed block always has one (at most 3/4 full); only a full linear block, which setRepair
  // compacts instead, leaves NO_GAP.
  let gap = NO_GAP;
  for (let q = s; q < end; q += 4) {
    const e = load<u32>(q);
    if (e == 0) {
      if (gap == NO_GAP) gap = <u32>((q - s) >>> 2);
      continue;
    }
    const keep = fireEntry(e, marking, base);
    if (keep == e) continue;
    store<u32>(q, keep);
    if (keep == 0) removed++;
  }
  if (removed == 0) return;
  blockDropped(h, removed);
  const next = setRepair(h, table.PSHIFT, gap);
  paths.setPathSet(id, next);
  if (next == 0) paths.pathEmptied();
}

/**
 * A bitset path: every pair is a plain STANDARD watch, so every watcher is listed (unless
 * suppressed or already listed) and every pair ends; the caller frees the bits wholesale.
 */
function fireBits(b: u32, marking: bool, base: u32): void {
  const n = bitsWords(b);
  const first = bitsBase(b);
  for (let i: u32 = 0; i < n; i++) {
    let x = load<u32>(wordAt(b, i));
    while (x != 0) {
      const w = first + (i << 5) + ctz(x);
      x &= x - 1;
      if (!marking) putOut(listed++, w);
      else if (watchers.mark(w) != base) {
        putOut(listed++, w);
        watchers.setMark(w, base + 1);
      }
      watchers.setWatcherState(w, watchers.watcherState(w) - 1); // stays registered, as in ZooKeeper
    }
  }
  table.dropTotals(bitsCnt(b));
}

/** One pair on the fired path: list its watcher, return the entry to keep (0 ends the pair). */
@inline function fireEntry(e: u32, marking: bool, base: u32): u32 {
  const w = e >>> table.PSHIFT;
  if (!marking) putOut(listed++, w);
  else if (watchers.mark(w) != base) {
    putOut(listed++, w);
    watchers.setMark(w, base + 1);
  }
  if (!(e & table.STANDARD)) return e;
  const rest = e & ~table.STANDARD;
  if (rest & 7) return rest;
  watchers.setWatcherState(w, watchers.watcherState(w) - 1); // stays registered, as in ZooKeeper
  table.dropTotal();
  return 0;
}

/** Parent, grandparent, ... "/": their persistent-recursive watchers fire and stay. */
function fireAncestors(n: u32, base: u32): void {
  const p = inputPtr();
  for (let j = n - 1; j >= 1; j--) {
    if (load<u8>(p + j) == SLASH) fireRecursiveAt(j, base);
  }
  fireRecursiveAt(1, base);
}

function fireRecursiveAt(len: u32, base: u32): void {
  const id = paths.lookup(inputPtr(), len, hashBytes(inputPtr(), len));
  if (id == 0 || paths.recursiveCount(id) == 0) return;
  const h = paths.pathSet(id);
  if (isInline(h)) {
    fireRecursiveEntry(inlineEntry(h), base);
    return;
  }
  const s = slotsOf(h);
  const end = s + (<usize>blockCap(h) << 2);
  for (let q = s; q < end; q += 4) fireRecursiveEntry(load<u32>(q), base);
}

@inline function fireRecursiveEntry(e: u32, base: u32): void {
  if (!(e & table.RECURSIVE)) return; // also skips empty slots
  const w = e >>> table.PSHIFT;
  const m = watchers.mark(w);
  if (m == base || m == base + 1) return;
  watchers.setMark(w, base + 1);
  putOut(listed++, w);
}
