// The commonest add, done by JS on the core's memory without calling in: a standard watch on a
// path JS already has an id for, whose watcher set is a bitset covering the watcher, by a
// registered watcher whose path vector has room. That is assembly/table.ts addToBits, word for
// word; everything else (a new path, a hashed set, a vector to grow, another mode) goes to the core.
//
// Why: a call into WASM costs ~8 ns when the call site always sees the same instance and ~13 ns
// when it sees several (every manager has its own instance, and a benchmark makes one per round),
// while this path is a dozen typed-array loads and stores. On the dense shapes of bench/watch
// (A: 1,000 sessions on the same 1,000 paths, D: 10,000 on 100) it is nearly every add (measured
// interleaved: D ~50 -> ~38 ns per add, A 5-10% less).
//
// The layouts read here are the core's; the property tests (every add whose conditions match goes
// through here) and test/unit/watch/compact-layout.test.ts compare the result with the reference:
//   status words (assembly/io.ts): [4] pairs in the table, [5] path records, [6] watcher records,
//     [7] watcher capacity
//   path record (assembly/paths.ts): 8 bytes, the watcher-set handle at byte 4
//   bitset (assembly/bitset.ts): [BITSET][count][base watcher][words] then the words
//   watcher record (assembly/watchers.ts): 8 bytes, [path vector handle][live count | REGISTERED]
//   path vector (assembly/vec.ts): [capacity][count] then the ids; handle bit 0 = one inline id
import { StatusWord } from './status.js';

/** What fastAdd answers besides "added" (1) and "already there" (0). */
export const FAST_NO = -1;

const { TOTAL: S_TOTAL, PATH_RECS: S_PATH_RECS, WATCHER_RECS: S_WATCHER_RECS, WATCHER_CAP: S_WATCHER_CAP } = StatusWord;
const PATH_REC_WORDS = 2;
const PATH_SET = 1;
const BITSET = 1;
const BITS_HEADER_WORDS = 4;
const WATCHER_REC_WORDS = 2;
const VEC_SLOTS = 2;

/**
 * Adds a STANDARD watch of `watcher` on path `id` (an id the core handed out) when the bitset fast
 * path applies: 1 added, 0 already there, FAST_NO when the core must decide. `words` views the
 * whole memory; `status` is the index of the core's status words in it.
 */
export function fastAdd(words: Int32Array, status: number, id: number, watcher: number): number {
  const set = words[(words[status + S_PATH_RECS]! >>> 2) + id * PATH_REC_WORDS + PATH_SET]!;
  // 0 = no watchers (not live), odd = one inline entry; a block starting BITSET is a bitset.
  if (set === 0 || (set & 1) !== 0) return FAST_NO;
  const b = set >>> 2;
  if (words[b] !== BITSET) return FAST_NO;
  const i = (watcher - words[b + 2]!) >>> 0; // wraps below the base: one compare checks both ends
  if (i >= words[b + 3]! * 32) return FAST_NO;
  const at = b + BITS_HEADER_WORDS + (i >>> 5);
  const bit = 1 << (i & 31);
  const bits = words[at]!;
  if ((bits & bit) !== 0) return 0;
  return appendPair(words, status, id, watcher, b, at, bits | bit);
}

/** The watcher's half: room in its vector, then every store (nothing is written before). */
function appendPair(
  words: Int32Array, status: number, id: number, w: number, b: number, at: number, bits: number,
): number {
  if (w >= words[status + S_WATCHER_CAP]!) return FAST_NO;
  const rec = (words[status + S_WATCHER_RECS]! >>> 2) + w * WATCHER_REC_WORDS;
  const vec = words[rec]!;
  const state = words[rec + 1]!;
  // REGISTERED is the sign bit; an inline (odd) or empty vector has no room to append to.
  if (state >= 0 || vec === 0 || (vec & 1) !== 0) return FAST_NO;
  const v = vec >>> 2;
  const n = words[v + 1]!;
  if (n === words[v]) return FAST_NO;
  words[at] = bits;
  words[b + 1] = words[b + 1]! + 1;
  words[v + VEC_SLOTS + n] = id;
  words[v + 1] = n + 1;
  words[rec + 1] = state + 1;
  words[status + S_TOTAL] = words[status + S_TOTAL]! + 1;
  return 1;
}
