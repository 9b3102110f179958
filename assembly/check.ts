// A full consistency check of the watch table, for tests (after every random step, and after an
// out-of-memory trap): returns 0, or the number of the first invariant that does not hold.
// Walks everything; never allocates.
import { isInline, inlineEntry, blockCap, slotsOf, setCount, LINEAR_MAX } from './idset';
import { homeSlot } from './hash';
import * as paths from './paths';
import { isBitset, bitsWords, bitsBase, bitsCnt, wordAt } from './bitset';
import { vecIsInline, vecCnt, vecCap, vecSlots, heapSort } from './vec';
import * as watchers from './watchers';
import * as table from './table';
import { totalCount } from './io';

let pairs: u32 = 0;
let recursive: u32 = 0;

export function checkTable(): u32 {
  pairs = 0;
  recursive = 0;
  let live: u32 = 0;
  let interned: u32 = 0;
  const limit = paths.pathIdLimit();
  for (let id: u32 = 1; id < limit; id++) {
    if (!paths.pathInterned(id)) continue;
    interned++;
    if (!paths.inTable(id)) return 1;
    if (!paths.pathLive(id)) {
      if (paths.recursiveCount(id) != 0) return 5; // a retired path holds nothing
      continue;
    }
    live++;
    const bad = checkPath(id);
    if (bad) return bad;
  }
  if (live != paths.pathCount() || interned != paths.internedCount()) return 2;
  if (!paths.slotsCounted()) return 6;
  if (pairs != totalCount()) return 3;
  if (recursive != table.recursiveQty) return 4;
  return checkWatchers();
}

/** One path: a well-formed, non-empty set whose pairs the watchers know about. */
function checkPath(id: u32): u32 {
  const h = paths.pathSet(id);
  if (h == 0) return 10;
  if (isBitset(h)) return checkBits(id, h);
  if (!wellFormed(h, table.PSHIFT)) return 11;
  let rec: u32 = 0;
  const n = slotCount(h);
  for (let k: u32 = 0; k < n; k++) {
    const e = slotAt(h, k);
    if (e == 0) continue;
    const w = e >>> table.PSHIFT;
    if ((e & 7) == 0) return 12;
    if (!table.isRegistered(w)) return 13;
    if (e & table.RECURSIVE) rec++;
  }
  if (rec != paths.recursiveCount(id)) return 15;
  pairs += setCount(h);
  recursive += rec;
  return 0;
}

/** A bitset path: its count matches its bits, every bit's watcher is registered, no recursive pair. */
function checkBits(id: u32, b: u32): u32 {
  let n: u32 = 0;
  const words = bitsWords(b);
  for (let i: u32 = 0; i < words; i++) {
    let x = load<u32>(wordAt(b, i));
    while (x != 0) {
      if (!table.isRegistered(bitsBase(b) + (i << 5) + ctz(x))) return 13;
      x &= x - 1;
      n++;
    }
  }
  if (n == 0 || n != bitsCnt(b)) return 16;
  if (paths.recursiveCount(id) != 0) return 15;
  pairs += n;
  return 0;
}

/**
 * Every registered watcher's live count equals the distinct ids in its vector whose pair is live,
 * and the live counts add up to the pairs: so every pair on the path side is listed by its
 * watcher. (Sorts each vector in place to count distinct ids: order carries no meaning.)
 */
function checkWatchers(): u32 {
  let registered: u32 = 0;
  let sum: u32 = 0;
  const cap = watchers.watcherCap();
  for (let w: u32 = 0; w < cap; w++) {
    const ws = watchers.watcherSet(w);
    if (!table.isRegistered(w)) {
      if (ws != 0 || watchers.watcherState(w) != 0) return 20;
      continue;
    }
    registered++;
    if (ws != 0 && !vecIsInline(ws) && (vecCnt(ws) == 0 || vecCnt(ws) > vecCap(ws))) return 21;
    if (distinctLive(w, ws) != table.liveCount(w)) return 22;
    sum += table.liveCount(w);
  }
  if (sum != totalCount()) return 24;
  return registered == table.connections ? 0 : 23;
}

function distinctLive(w: u32, ws: u32): u32 {
  if (ws == 0) return 0;
  if (vecIsInline(ws)) return table.pairLive(ws >>> 1, w) ? 1 : 0;
  const s = vecSlots(ws);
  const n = vecCnt(ws);
  heapSort(s, n);
  let live: u32 = 0;
  for (let k: u32 = 0; k < n; k++) {
    const id = load<u32>(s + (<usize>k << 2));
    if (k > 0 && load<u32>(s + (<usize>(k - 1) << 2)) == id) continue;
    if (table.pairLive(id, w)) live++;
  }
  return live;
}

/** Slots to walk: 1 for an inline entry, the capacity for a block. */
function slotCount(h: u32): u32 {
  if (h == 0) return 0;
  return isInline(h) ? 1 : blockCap(h);
}

/** Slot k's entry (0 when empty). */
function slotAt(h: u32, k: u32): u32 {
  return isInline(h) ? inlineEntry(h) : load<u32>(slotsOf(h) + (<usize>k << 2));
}

/** Counts match occupied slots, and every hashed entry is reachable from its home slot. */
function wellFormed(h: u32, shift: u32): bool {
  if (h == 0 || isInline(h)) return true;
  const n = setCount(h);
  // Normally a block holds >= 2 entries, but an add that grew one set and then ran out of memory
  // growing the other leaves a one-entry block behind: harmless, and reclaimed on removal.
  if (n < 1) return false;
  const cap = blockCap(h);
  let seen: u32 = 0;
  for (let i: u32 = 0; i < cap; i++) {
    const e = load<u32>(slotsOf(h) + (<usize>i << 2));
    if (e == 0) continue;
    seen++;
    if (cap <= LINEAR_MAX) {
      if (i >= n) return false; // linear blocks keep entries packed at the front
    } else if (!reachable(h, e, shift)) return false;
  }
  return seen == n;
}

function reachable(h: u32, e: u32, shift: u32): bool {
  const cap = blockCap(h);
  let i = homeSlot(e >>> shift, cap);
  while (true) {
    const x = load<u32>(slotsOf(h) + (<usize>i << 2));
    if (x == e) return true;
    if (x == 0) return false;
    i = (i + 1) & (cap - 1);
  }
}
