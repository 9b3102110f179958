// ZooKeeper path rules, matching Apache ZooKeeper's common/PathUtils.validatePath: the same
// accepted set and the same reason texts. Java checks UTF-16 chars, so a supplementary character
// (a surrogate pair) is rejected, as is anything in the private-use area or U+FFF0..U+FFFF.
// Indexes in the reasons are UTF-16 positions, as Java reports them.
//
// The byte-level check below accepts exactly the UTF-8 byte strings whose decoding (with U+FFFD for
// malformed input, as Java's decoder does when jute reads a ustring) passes validatePath: malformed
// or overlong sequences decode to U+FFFD, which PathUtils rejects as an invalid character.
import { InvalidPathError } from './types.js';

const SLASH = 0x2f;
const DOT = 0x2e;

/** Throws InvalidPathError unless `path` is a ZooKeeper path (PathUtils.validatePath). */
export function validatePath(path: string, isSequential = false): void {
  // A sequential create appends a counter: validate as if it were already there, like ZooKeeper.
  const reason = pathProblem(isSequential ? path + '1' : path);
  if (reason !== null) throw new InvalidPathError(path, reason);
}

/** The reason ZooKeeper would give for rejecting `path`, or null when the path is valid. */
export function pathProblem(path: string): string | null {
  if (path === null || path === undefined) return 'Path cannot be null';
  if (path.length === 0) return 'Path length must be > 0';
  if (path.charCodeAt(0) !== SLASH) return 'Path must start with / character';
  if (path.length === 1) return null;
  if (path.charCodeAt(path.length - 1) === SLASH) return 'Path must not end with / character';
  return charProblem(path);
}

/** The per-character scan of PathUtils: the first offending char wins. */
function charProblem(path: string): string | null {
  let last = SLASH;
  for (let i = 1; i < path.length; last = path.charCodeAt(i), i++) {
    const c = path.charCodeAt(i);
    if (c === 0) return `null character not allowed @${i}`;
    if (c === SLASH && last === SLASH) return `empty node name specified @${i}`;
    if (c === DOT && isRelativeDot(path, i, last)) return `relative paths not allowed @${i}`;
    if (c !== DOT && isInvalidChar(c)) return `invalid character @${i}`;
  }
  return null;
}

/** True when the dot at `i` ends a "." or ".." component. */
function isRelativeDot(path: string, i: number, last: number): boolean {
  const endsComponent = i + 1 === path.length || path.charCodeAt(i + 1) === SLASH;
  if (!endsComponent) return false;
  return last === DOT ? path.charCodeAt(i - 2) === SLASH : last === SLASH;
}

/** Control characters, C1 controls, surrogates, private use, and U+FFF0..U+FFFF. */
function isInvalidChar(c: number): boolean {
  return (c > 0 && c <= 0x1f) || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) || c >= 0xfff0;
}

const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Decodes path bytes the way jute does (malformed input becomes U+FFFD). */
export function decodePath(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Throws InvalidPathError unless `bytes` (UTF-8) is a valid ZooKeeper path. */
export function validatePathBytes(bytes: Uint8Array): void {
  if (isValidPathBytes(bytes)) return;
  // The slow path only runs on rejection: decode and let the string rules name the reason.
  const path = decodePath(bytes);
  throw new InvalidPathError(path, pathProblem(path) ?? 'invalid character');
}

/** Byte-level PathUtils check on UTF-8 bytes, without decoding to a string. */
export function isValidPathBytes(b: Uint8Array, len = b.length): boolean {
  if (len === 0 || b[0] !== SLASH) return false;
  if (len === 1) return true;
  if (b[len - 1] === SLASH) return false;
  let i = 1;
  while (i < len) {
    const c = b[i];
    if (c >= 0x80) {
      const n = validMultiByte(b, i, len);
      if (n === 0) return false;
      i += n;
    } else if (!asciiOk(b, i, len, c)) return false;
    else i++;
  }
  return true;
}

/** One ASCII byte at `i`: not NUL/control/DEL, no empty component, no "." or ".." component. */
function asciiOk(b: Uint8Array, i: number, len: number, c: number): boolean {
  if (c < 0x20 || c === 0x7f) return false;
  const prev = b[i - 1];
  if (c === SLASH) return prev !== SLASH;
  if (c !== DOT || (i + 1 < len && b[i + 1] !== SLASH)) return true;
  // A dot that ends a component: reject "." and "..".
  if (prev === SLASH) return false;
  return !(prev === DOT && b[i - 2] === SLASH);
}

/**
 * Length of the well-formed UTF-8 sequence at `i` whose code point PathUtils accepts, or 0.
 * Accepted: U+00A0..U+07FF, U+0800..U+D7FF, U+F900..U+FFEF. Four-byte sequences become surrogate
 * pairs in Java and are rejected.
 */
function validMultiByte(b: Uint8Array, i: number, len: number): number {
  const c = b[i];
  if (c >= 0xc2 && c <= 0xdf) {
    if (i + 1 >= len || !isCont(b[i + 1])) return 0;
    return c === 0xc2 && b[i + 1] < 0xa0 ? 0 : 2;
  }
  if (c < 0xe0 || c > 0xef || i + 2 >= len || !isCont(b[i + 1]) || !isCont(b[i + 2])) return 0;
  const cp = ((c & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f);
  if (cp < 0x800) return 0; // overlong
  return cp < 0xd800 || (cp >= 0xf900 && cp < 0xfff0) ? 3 : 0;
}

function isCont(x: number): boolean {
  return (x & 0xc0) === 0x80;
}
