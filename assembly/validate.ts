// ZooKeeper's PathUtils.validatePath on UTF-8 bytes: true exactly when the bytes, decoded as jute
// decodes them (malformed input becomes U+FFFD), form a path ZooKeeper accepts. Kept in step with
// isValidPathBytes in src/watch/path.ts (the property suite checks both agree); JS names the reason.
const SLASH: u32 = 0x2f;
const DOT: u32 = 0x2e;

@inline function at(p: usize, i: u32): u32 {
  return load<u8>(p + i);
}
@inline function isCont(x: u32): bool {
  return (x & 0xc0) == 0x80;
}

export function validPath(p: usize, n: u32): bool {
  if (n == 0 || at(p, 0) != SLASH) return false;
  if (n == 1) return true;
  if (at(p, n - 1) == SLASH) return false;
  let i: u32 = 1;
  while (i < n) {
    if (i + 8 <= n && plainWord(p, i)) {
      i += 8;
      continue;
    }
    const c = at(p, i);
    if (c < 0x80) {
      if (!asciiOk(p, i, n, c)) return false;
      i++;
    } else {
      const k = multiByte(p, i, n, c);
      if (k == 0) return false;
      i += k;
    }
  }
  return true;
}

const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;

/** A byte of `x` is zero (exact when answering "none": borrows only follow a real zero). */
@inline function zeroByte(x: u64): u64 {
  return (x - ONES) & ~x & HIGHS;
}

/**
 * Eight bytes at `i` that need no per-byte look: ASCII 0x20..0x7e, no '.', no "//" inside the
 * word or across its left edge. Most of a typical path passes this test, a word at a time.
 */
@inline function plainWord(p: usize, i: u32): bool {
  const x = load<u64>(p + i);
  const ctrl = (x - ONES * 0x20) & ~x & HIGHS;
  const high = ((x + ONES) | x) & HIGHS;
  const dot = zeroByte(x ^ (ONES * 0x2e));
  const slash = zeroByte(x ^ (ONES * 0x2f));
  if ((ctrl | high | dot | (slash & (slash >> 8))) != 0) return false;
  return !(<u32>(x & 0xff) == SLASH && at(p, i - 1) == SLASH);
}

/** No NUL/controls/DEL, no empty component, no "." or ".." component. */
@inline function asciiOk(p: usize, i: u32, n: u32, c: u32): bool {
  if (c < 0x20 || c == 0x7f) return false;
  const prev = at(p, i - 1);
  if (c == SLASH) return prev != SLASH;
  if (c != DOT || (i + 1 < n && at(p, i + 1) != SLASH)) return true;
  if (prev == SLASH) return false;
  return !(prev == DOT && at(p, i - 2) == SLASH);
}

/** Length of an accepted sequence (U+00A0..U+D7FF, U+F900..U+FFEF), or 0. */
function multiByte(p: usize, i: u32, n: u32, c: u32): u32 {
  if (c >= 0xc2 && c <= 0xdf) {
    if (i + 1 >= n || !isCont(at(p, i + 1))) return 0;
    return c == 0xc2 && at(p, i + 1) < 0xa0 ? 0 : 2;
  }
  if (c < 0xe0 || c > 0xef || i + 2 >= n) return 0;
  const c1 = at(p, i + 1);
  const c2 = at(p, i + 2);
  if (!isCont(c1) || !isCont(c2)) return 0;
  const cp = ((c & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f);
  if (cp < 0x800) return 0;
  return cp < 0xd800 || (cp >= 0xf900 && cp < 0xfff0) ? 3 : 0;
}
