// Compact sets of nonzero 32-bit entries, one per path (entries: watcher << 3 | mode bits, keyed
// by watcher, shift 3) and one per watcher (entries: path ids, shift 0). A set lives in a single
// u32 "handle" so the per-key record stays small:
//   0            empty
//   odd          exactly one entry, kept inline as (entry << 1) | 1 — most sets are tiny
//   even, != 0   pointer to a heap block [cap u32][cnt u32][cap slots of u32]
// Blocks with cap <= LINEAR_MAX are unordered arrays with the entries packed at the front (a scan
// of <= 13 words beats hashing); larger ones are open-addressing tables with linear probing,
// Fibonacci hashing on the key and backward-shift deletion (no tombstones), kept <= 3/4 full.
// Unused slots are always 0, so every kind can be walked slot by slot.
// Growth allocates; everything else (insert with room, update, remove, shrink) never does, which
// is what lets callers reserve room first and then mutate without a possible out-of-memory trap.
import { alloc, free, shrinkInPlace } from './mem';
import { homeSlot } from './hash';
import { isBitset, bitsHas, bitsSet, bitsClear, bitsCnt, bitsFirst } from './bitset';

// Block capacities match the allocator's size classes (payload 8 + 4*cap = 12 mod 16).
const LINEAR_SMALL: u32 = 5;
export const LINEAR_MAX: u32 = 13;
const HASH_MIN: u32 = 32;

@inline export function isInline(h: u32): bool {
  return (h & 1) != 0;
}
@inline export function inlineEntry(h: u32): u32 {
  return h >>> 1;
}
@inline function makeInline(e: u32): u32 {
  return (e << 1) | 1;
}
@inline export function blockCap(b: u32): u32 {
  return load<u32>(b);
}
@inline function blockCnt(b: u32): u32 {
  return load<u32>(b, 4);
}
@inline function setBlockCnt(b: u32, n: u32): void {
  store<u32>(b, n, 4);
}
@inline export function slotsOf(b: u32): usize {
  return <usize>b + 8;
}

/** Number of entries behind a handle. */
export function setCount(h: u32): u32 {
  if (h == 0) return 0;
  return isInline(h) ? 1 : blockCnt(h);
}

/** Capacity of the block that holds `n` (>= 2) entries with room to spare for hashed ones. */
export function capFor(n: u32): u32 {
  if (n <= LINEAR_SMALL) return LINEAR_SMALL;
  if (n <= LINEAR_MAX) return LINEAR_MAX;
  let cap = HASH_MIN;
  while (<u64>n * 4 > <u64>cap * 3) cap <<= 1;
  return cap;
}

/** Address of the slot holding `key`, or 0. Block handles only. */
function findSlot(b: u32, key: u32, shift: u32): usize {
  const cap = blockCap(b);
  const s = slotsOf(b);
  if (cap <= LINEAR_MAX) {
    const end = s + (<usize>blockCnt(b) << 2);
    for (let p = s; p < end; p += 4) if (load<u32>(p) >>> shift == key) return p;
    return 0;
  }
  const mask = cap - 1;
  let i = homeSlot(key, cap);
  while (true) {
    const e = load<u32>(s + (<usize>i << 2));
    if (e == 0) return 0;
    if (e >>> shift == key) return s + (<usize>i << 2);
    i = (i + 1) & mask;
  }
}

/** The entry whose key is `key`, or 0. */
export function setGet(h: u32, key: u32, shift: u32): u32 {
  if (h == 0) return 0;
  if (isInline(h)) {
    const e = inlineEntry(h);
    return e >>> shift == key ? e : 0;
  }
  if (isBitset(h)) return bitsHas(h, key) ? (key << shift) | 1 : 0; // path side: STANDARD only
  const p = findSlot(h, key, shift);
  return p ? load<u32>(p) : 0;
}

/** Replaces the entry with the same key as `e` (which must be present); returns the handle. */
export function setUpdate(h: u32, e: u32, shift: u32): u32 {
  if (isInline(h)) return makeInline(e);
  store<u32>(findSlot(h, e >>> shift, shift), e);
  return h;
}

/** True when inserting one more entry needs a bigger block (setGrow first). */
export function setNeedsGrow(h: u32): bool {
  if (h == 0) return false;
  if (isInline(h)) return true;
  const cap = blockCap(h);
  const n = blockCnt(h) + 1;
  return cap <= LINEAR_MAX ? n > cap : <u64>n * 4 > <u64>cap * 3;
}

/** A new empty block of `cap` slots. Allocates. */
export function blockNew(cap: u32): u32 {
  const b = <u32>alloc(8 + (<usize>cap << 2));
  store<u32>(b, cap);
  setBlockCnt(b, 0);
  memory.fill(slotsOf(b), 0, <usize>cap << 2);
  return b;
}

/** Puts `e` (key absent) into a block with room. Never allocates. */
export function blockPut(b: u32, e: u32, shift: u32): void {
  const cap = blockCap(b);
  const s = slotsOf(b);
  const n = blockCnt(b);
  setBlockCnt(b, n + 1);
  if (cap <= LINEAR_MAX) {
    store<u32>(s + (<usize>n << 2), e);
    return;
  }
  const mask = cap - 1;
  let i = homeSlot(e >>> shift, cap);
  while (load<u32>(s + (<usize>i << 2)) != 0) i = (i + 1) & mask;
  store<u32>(s + (<usize>i << 2), e);
}

/** Inserts `e` (key absent); the caller made room with setGrow. Returns the handle. */
export function setInsert(h: u32, e: u32, shift: u32): u32 {
  if (h == 0) return makeInline(e);
  if (isBitset(h)) bitsSet(h, e >>> shift); // a STANDARD pair, covered (reservePathSlot)
  else blockPut(h, e, shift);
  return h;
}

/** Copies every entry of `h` into a new block sized for `want` entries and frees the old one. */
export function setRebuild(h: u32, want: u32, shift: u32): u32 {
  const b = blockNew(capFor(want));
  if (isInline(h)) {
    blockPut(b, inlineEntry(h), shift);
    return b;
  }
  if (h != 0) {
    const s = slotsOf(h);
    const end = s + (<usize>blockCap(h) << 2);
    for (let p = s; p < end; p += 4) {
      const e = load<u32>(p);
      if (e) blockPut(b, e, shift);
    }
    free(h);
  }
  return b;
}

/** Makes room for one more entry. Allocates; on a trap the old set is untouched. */
export function setGrow(h: u32, shift: u32): u32 {
  return setRebuild(h, setCount(h) + 1, shift);
}

/** Frees a set's block, if any. */
export function setFree(h: u32): void {
  if (h != 0 && !isInline(h)) free(h);
}

/** The entry the last setRemove took out, or 0 when the key was absent. */
export let removedEntry: u32 = 0;

/**
 * Removes the entry keyed `key` if present (left in removedEntry) with a single probe; may
 * shrink or inline the set. Never allocates.
 */
export function setRemove(h: u32, key: u32, shift: u32): u32 {
  removedEntry = 0;
  if (h == 0) return 0;
  if (isInline(h)) {
    if (inlineEntry(h) >>> shift != key) return h;
    removedEntry = inlineEntry(h);
    return 0;
  }
  if (isBitset(h)) return bitsRemove(h, key, shift);
  const p = findSlot(h, key, shift);
  if (p == 0) return h;
  removedEntry = load<u32>(p);
  const cap = blockCap(h);
  const n = blockCnt(h) - 1;
  if (cap <= LINEAR_MAX) {
    const last = slotsOf(h) + (<usize>n << 2);
    store<u32>(p, load<u32>(last));
    store<u32>(last, 0);
  } else {
    deleteAt(h, <u32>((p - slotsOf(h)) >>> 2), shift);
  }
  setBlockCnt(h, n);
  return n <= 1 || (cap > LINEAR_MAX && n * 8 < cap) ? setShrink(h, n, shift) : h;
}

/**
 * setRemove on a bitset. A bitset keeps its block until one watcher is left, then inlines it:
 * shrinking a sparse one would need an allocation, which removals must never do; it is bounded
 * by the path's peak and freed when the path's last watch goes.
 */
function bitsRemove(b: u32, key: u32, shift: u32): u32 {
  if (!bitsClear(b, key)) return b;
  removedEntry = (key << shift) | 1;
  const n = bitsCnt(b);
  if (n > 1) return b;
  const e = n == 1 ? makeInline((bitsFirst(b) << shift) | 1) : 0;
  free(b);
  return e;
}

/** Backward-shift deletion at slot `i` of a hashed block: later probe-chain members move up. */
function deleteAt(b: u32, i: u32, shift: u32): void {
  const cap = blockCap(b);
  const mask = cap - 1;
  const s = slotsOf(b);
  let j = i;
  while (true) {
    j = (j + 1) & mask;
    const e = load<u32>(s + (<usize>j << 2));
    if (e == 0) break;
    const k = homeSlot(e >>> shift, cap);
    // The entry may fill the hole unless its home lies cyclically in (i, j].
    const stays = i <= j ? i < k && k <= j : i < k || k <= j;
    if (!stays) {
      store<u32>(s + (<usize>i << 2), e);
      i = j;
    }
  }
  store<u32>(s + (<usize>i << 2), 0);
}

/**
 * Restores a block after entries were zeroed in place (and its count lowered): inlines or frees
 * a set of <= 1, compacts linear blocks, shrinks sparse tables, re-places the rest. `gap` is a
 * slot that was already empty before the zeroing (see rehashInPlace); a hashed block is at most
 * 3/4 full, so its owner always has one. Never allocates.
 */
export function setRepair(b: u32, shift: u32, gap: u32): u32 {
  const n = blockCnt(b);
  if (n > 1 && blockCap(b) > LINEAR_MAX && n * 8 >= blockCap(b)) {
    rehashInPlace(b, shift, gap);
    return b;
  }
  return setShrink(b, n, shift);
}

/** A block holding `n` entries that is too sparse for its size (or n <= 1): inlined, freed or made smaller. */
function setShrink(b: u32, n: u32, shift: u32): u32 {
  compact(b, blockCap(b));
  if (n <= 1) {
    const e = load<u32>(slotsOf(b));
    free(b);
    return n == 0 ? 0 : makeInline(e);
  }
  shrinkTo(b, capFor(n), shift);
  return b;
}

/** Moves all entries to the front slots, in slot order. */
function compact(b: u32, cap: u32): void {
  const s = slotsOf(b);
  const end = s + (<usize>cap << 2);
  let w = s;
  for (let p = s; p < end; p += 4) {
    const e = load<u32>(p);
    if (e == 0) continue;
    if (p != w) {
      store<u32>(w, e);
      store<u32>(p, 0);
    }
    w += 4;
  }
}

/**
 * Shrinks a compacted block to `newCap` slots in place. Hashed targets stage the entries just past
 * the new table (newCap + n <= old cap because n < cap/8), then re-insert them.
 */
function shrinkTo(b: u32, newCap: u32, shift: u32): void {
  const n = blockCnt(b);
  const s = slotsOf(b);
  store<u32>(b, newCap);
  if (newCap > LINEAR_MAX) {
    const staged = s + (<usize>newCap << 2);
    memory.copy(staged, s, <usize>n << 2);
    memory.fill(s, 0, <usize>newCap << 2);
    setBlockCnt(b, 0);
    for (let i: u32 = 0; i < n; i++) blockPut(b, load<u32>(staged + (<usize>i << 2)), shift);
  }
  shrinkInPlace(b, 8 + (<usize>newCap << 2));
}

/**
 * Re-places every entry of a hashed block after some slots were zeroed (no tombstones). The walk
 * starts after `start`, a slot that was empty BEFORE the zeroing: no probe chain runs through it,
 * so every entry's home lies between it and the entry, the entry re-inserted lands at or before
 * where it was, and the slots it probed past are already placed and never emptied again. A slot
 * zeroed by the caller will not do: an entry whose chain ran through it could land there and
 * later lose a slot it probed past (a slot walked after it, whose entry moves nearer its own
 * home), which left it unreachable (test/unit/watch/rehash.test.ts).
 */
function rehashInPlace(b: u32, shift: u32, gap: u32): void {
  const cap = blockCap(b);
  const mask = cap - 1;
  const s = slotsOf(b);
  for (let k: u32 = 1; k <= cap; k++) {
    const i = (gap + k) & mask;
    const e = load<u32>(s + (<usize>i << 2));
    if (e == 0) continue;
    store<u32>(s + (<usize>i << 2), 0);
    let j = homeSlot(e >>> shift, cap);
    while (load<u32>(s + (<usize>j << 2)) != 0) j = (j + 1) & mask;
    store<u32>(s + (<usize>j << 2), e);
  }
}

/** Lowers a block's count after its owner zeroed `removed` slots; follow with setRepair. */
export function blockDropped(b: u32, removed: u32): void {
  setBlockCnt(b, blockCnt(b) - removed);
}
