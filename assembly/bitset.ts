// Dense per-path watcher sets: one bit per watcher id over a range, the layout ZooKeeper's
// WatchManagerOptimized uses for every path (its BitHashSet). Here it is one more kind of idset
// block, chosen only where it is smaller than the hashed table would be (so a path watched by a
// dense run of sessions costs ~1 bit per session instead of ~40), and only while every pair on the
// path is a plain STANDARD watch: the bits carry no mode, a pair with any other mode sends the
// path back to a hashed set (see table.ts reservePathSlot). Block layout:
//   [BITSET u32][cnt u32][base u32][nwords u32][nwords words of bits]
// where bit i of the words stands for watcher base + i. Linear idset blocks have cap 5 or 13 and
// hashed ones >= 32, so the first word tells the kinds apart.
import { alloc, free } from './mem';

export const BITSET: u32 = 1;
const HEADER: usize = 16;

@inline export function isBitset(h: u32): bool {
  return h != 0 && (h & 1) == 0 && load<u32>(h) == BITSET;
}
@inline export function bitsCnt(b: u32): u32 {
  return load<u32>(b, 4);
}
@inline export function bitsBase(b: u32): u32 {
  return load<u32>(b, 8);
}
@inline export function bitsWords(b: u32): u32 {
  return load<u32>(b, 12);
}
@inline export function wordAt(b: u32, i: u32): usize {
  return <usize>b + HEADER + (<usize>i << 2);
}

/** Payload bytes of a bitset spanning watchers lo..hi (its base rounded down to 32). */
export function bitsetBytes(lo: u32, hi: u32): usize {
  return HEADER + (<usize>(((hi - (lo & ~31)) >>> 5) + 1) << 2);
}

/** True when watcher `w` has its bit. */
export function bitsHas(b: u32, w: u32): bool {
  const i = w - bitsBase(b); // wraps for w < base, so one compare checks both ends
  if (i >= bitsWords(b) << 5) return false;
  return ((load<u32>(wordAt(b, i >>> 5)) >>> (i & 31)) & 1) != 0;
}

/** True when `w` lies inside the range the block has bits for. */
export function bitsCovers(b: u32, w: u32): bool {
  return w - bitsBase(b) < bitsWords(b) << 5;
}

/** Sets `w`'s bit (absent, covered). Never allocates. */
export function bitsSet(b: u32, w: u32): void {
  const i = w - bitsBase(b);
  const p = wordAt(b, i >>> 5);
  store<u32>(p, load<u32>(p) | (1 << (i & 31)));
  store<u32>(b, bitsCnt(b) + 1, 4);
}

/** Clears `w`'s bit if set; true when it was. Never allocates. */
export function bitsClear(b: u32, w: u32): bool {
  if (!bitsHas(b, w)) return false;
  const i = w - bitsBase(b);
  const p = wordAt(b, i >>> 5);
  store<u32>(p, load<u32>(p) & ~(1 << (i & 31)));
  store<u32>(b, bitsCnt(b) - 1, 4);
  return true;
}

/** An empty bitset for watchers lo..hi. Allocates. */
export function bitsNew(lo: u32, hi: u32): u32 {
  const size = bitsetBytes(lo, hi);
  const b = <u32>alloc(size);
  memory.fill(b, 0, size);
  store<u32>(b, BITSET);
  store<u32>(b, lo & ~31, 8);
  store<u32>(b, <u32>((size - HEADER) >>> 2), 12);
  return b;
}

let nlo: u32 = 0;
let nhi: u32 = 0;

/**
 * The range a widened copy of `b` gets to cover `w`: at least `grow` more ids toward `w`, so that
 * a run of ever larger (or smaller) ids regrows the bits only O(log n) times (callers pass the
 * old width to double it, or a quarter of it when doubling would cost too much memory).
 */
function widenRange(b: u32, w: u32, grow: u32): void {
  const lo = bitsBase(b);
  const width = bitsWords(b) << 5;
  const hi = lo + width - 1;
  nlo = lo;
  nhi = hi;
  if (w < lo) {
    const d = max(grow, lo - w);
    nlo = lo >= d ? lo - d : 0;
  } else {
    nhi = max(w, hi + grow); // ids are < 2^28: no overflow
  }
}

/** Payload bytes of the copy bitsWiden(b, w, grow) would make. */
export function widenedBytes(b: u32, w: u32, grow: u32): usize {
  widenRange(b, w, grow);
  return bitsetBytes(nlo, nhi);
}

/** A copy of `b` whose range also covers `w` (see widenRange). Frees `b`. Allocates. */
export function bitsWiden(b: u32, w: u32, grow: u32): u32 {
  widenRange(b, w, grow);
  const next = bitsNew(nlo, nhi);
  const shift = (bitsBase(b) - bitsBase(next)) >>> 5;
  memory.copy(wordAt(next, shift), wordAt(b, 0), <usize>bitsWords(b) << 2);
  store<u32>(next, bitsCnt(b), 4);
  free(b);
  return next;
}

/** The lowest watcher with its bit, or 0xffffffff when none. */
export function bitsFirst(b: u32): u32 {
  const n = bitsWords(b);
  for (let i: u32 = 0; i < n; i++) {
    const x = load<u32>(wordAt(b, i));
    if (x != 0) return bitsBase(b) + (i << 5) + ctz(x);
  }
  return 0xffffffff;
}
