// Hashing and comparison of path bytes, and the multiplicative hash used by the integer sets.

let seed: u64 = 0x243f6a8885a308d3;

/** Seeds the path hash (from JS randomness) so crafted paths cannot force long probe chains. */
export function setSeed(s: u32): void {
  seed = 0x243f6a8885a308d3 ^ (<u64>s * 0x9e3779b97f4a7c15);
}

@inline function mix(h: u64, k: u64): u64 {
  h = (h ^ k) * 0xff51afd7ed558ccd;
  return h ^ (h >>> 32);
}

/**
 * Hash of `n` bytes at `p`, eight at a time. Reads up to 7 bytes past the end: only call it on the
 * input scratch buffer, which keeps that slack.
 */
export function hashBytes(p: usize, n: u32): u32 {
  let h = seed ^ (<u64>n * 0x9e3779b97f4a7c15);
  let i: u32 = 0;
  for (; i + 8 <= n; i += 8) h = mix(h, load<u64>(p + i));
  if (i < n) h = mix(h, load<u64>(p + i) & ((<u64>1 << (<u64>(n - i) << 3)) - 1));
  h ^= h >>> 29;
  h *= 0xc4ceb9fe1a85ec53;
  return <u32>(h ^ (h >>> 32));
}

/**
 * hashBytes of `n` bytes that may end anywhere (an interned copy): the same value, with the tail
 * put together byte by byte instead of read as one word past the end.
 */
export function hashStored(p: usize, n: u32): u32 {
  let h = seed ^ (<u64>n * 0x9e3779b97f4a7c15);
  let i: u32 = 0;
  for (; i + 8 <= n; i += 8) h = mix(h, load<u64>(p + i));
  if (i < n) {
    let tail: u64 = 0;
    // The last eight bytes shifted down to the tail's; byte by byte only for paths under 8 bytes.
    if (n >= 8) tail = load<u64>(p + n - 8) >>> (<u64>(8 - (n - i)) << 3);
    else for (let j = n; j > i; j--) tail = (tail << 8) | <u64>load<u8>(p + j - 1);
    h = mix(h, tail);
  }
  h ^= h >>> 29;
  h *= 0xc4ceb9fe1a85ec53;
  return <u32>(h ^ (h >>> 32));
}

/** Byte equality of two ranges of length `n`, eight bytes at a time; never reads past the end. */
export function bytesEqual(a: usize, b: usize, n: u32): bool {
  let i: u32 = 0;
  for (; i + 8 <= n; i += 8) if (load<u64>(a + i) != load<u64>(b + i)) return false;
  for (; i < n; i++) if (load<u8>(a + i) != load<u8>(b + i)) return false;
  return true;
}

/**
 * Home slot of an integer key in a table of `cap` (a power of two, >= 32) slots. Keys are dense
 * ids (watchers, paths), so runs of 4 consecutive ids keep their order inside one 4-slot group and
 * only the groups are scattered (Fibonacci hashing of key / 4): walking a table then touches the
 * per-id records a few neighbours at a time instead of in random order. Groups of 16 gave longer
 * probe runs for strided ids (simulated: 4.4 probes vs 1.6 at stride 16); 4 keeps them near
 * plain Fibonacci hashing.
 */
@inline export function homeSlot(key: u32, cap: u32): u32 {
  return ((((key >>> 2) * 0x9e3779b1) >>> (clz(cap) + 3)) << 2) | (key & 3);
}
