// Choosing between the kinds of per-path watcher set (idset.ts: inline, linear, hashed; bitset.ts:
// bits over a watcher range) and converting between them. The choice is made only when a set must
// grow anyway (or when a bitset meets a mode it cannot hold), so its cost is amortised like the
// growth itself: a set becomes a bitset when every pair on the path is plain STANDARD and the bits
// take no more bytes than the hashed block it would otherwise grow into.
import { isInline, inlineEntry, blockCap, slotsOf, setCount, setFree, capFor, blockNew, blockPut } from './idset';
import { isBitset, bitsetBytes, bitsNew, bitsSet, bitsCnt, bitsBase, bitsWords, wordAt } from './bitset';
import { free } from './mem';

const SHIFT: u32 = 3;
const STANDARD: u32 = 1;

let lo: u32 = 0;
let hi: u32 = 0;

/** Widens [lo, hi] by entry `e`; false when its pair is not plain STANDARD. */
@inline function take(e: u32): bool {
  if ((e & 7) != STANDARD) return false;
  const w = e >>> SHIFT;
  if (w < lo) lo = w;
  if (w > hi) hi = w;
  return true;
}

/** True when the pairs of (non-bitset) `h` plus a STANDARD pair for `w` are best kept as bits. */
export function bitsetPays(h: u32, w: u32): bool {
  lo = w;
  hi = w;
  if (isInline(h)) {
    if (!take(inlineEntry(h))) return false;
  } else if (h != 0) {
    const s = slotsOf(h);
    const end = s + (<usize>blockCap(h) << 2);
    for (let p = s; p < end; p += 4) {
      const e = load<u32>(p);
      if (e != 0 && !take(e)) return false;
    }
  }
  return bitsetBytes(lo, hi) <= entryBytesLimit(setCount(h) + 1);
}

/**
 * The most bytes bits may take for a set of `n` pairs: the hashed block's size plus a quarter, or
 * 16 bytes per pair (a density of 1 in 128 ids), whichever is more. Bits are so much faster to add
 * to, fire and clear (no probing, no rehash) that a little more memory is worth it, and a bound per
 * pair rather than per block size keeps a growing path from flipping between kinds at each
 * growth step: e.g. 100 watchers spread over 10,000 ids take 1,266 bytes as bits, 1,032 as a
 * hashed block.
 */
export function entryBytesLimit(n: u32): usize {
  const entries: usize = 8 + (<usize>capFor(n) << 2);
  return max(entries + (entries >>> 2), <usize>n << 4);
}
/** The pairs of `h` as bits over the range bitsetPays just measured; frees `h`. Allocates. */
export function toBitset(h: u32): u32 {
  const b = bitsNew(lo, hi);
  if (isInline(h)) bitsSet(b, inlineEntry(h) >>> SHIFT);
  else if (h != 0) {
    const s = slotsOf(h);
    const end = s + (<usize>blockCap(h) << 2);
    for (let p = s; p < end; p += 4) {
      const e = load<u32>(p);
      if (e != 0) bitsSet(b, e >>> SHIFT);
    }
    setFree(h);
  }
  return b;
}

/** A linear or hashed set with the bitset's pairs (all STANDARD) and room for `extra` more; frees `b`. */
export function fromBitset(b: u32, extra: u32): u32 {
  const out = blockNew(capFor(bitsCnt(b) + extra));
  const n = bitsWords(b);
  const base = bitsBase(b);
  for (let i: u32 = 0; i < n; i++) {
    let x = load<u32>(wordAt(b, i));
    while (x != 0) {
      blockPut(out, ((base + (i << 5) + ctz(x)) << SHIFT) | STANDARD, SHIFT);
      x &= x - 1;
    }
  }
  free(b);
  return out;
}

export { isBitset };
