// Path interning: the UTF-8 bytes of each watched path get a small integer id, found through an
// open-addressing table of ids keyed by a hash of the bytes. Per id an 8-byte record:
//   [bytes ptr][watcher set handle]
// The bytes live in their own block [len u32][bytes]. Memory per path is what a table of a path per
// session (bench/watch shape C, a million of them) is made of, so nothing else is kept per id: a
// table slot holds the id in its low 26 bits and 6 bits of the path's hash above them (a probe
// compares bytes only when those match, about one time in 64), the hash is recomputed from the
// bytes when the table is rebuilt, and the count of persistent-recursive pairs per path lives in an
// array allocated with the first such watch (most tables never have one). Slots are not a power of
// two: the table grows by half (index = hash x capacity >> 32), which keeps it 50-75% full instead
// of 37-75%.
// A path is "live" (watched) while its watcher set is non-empty. When the set empties the path is
// only retired: it stays interned (record, bytes, table slot), so the removal touches nothing but
// its own record. Retired paths are reclaimed in bulk by sweep() (bytes freed, ids pushed on a free
// list) once they outnumber the live ones three to one, or when an intern would otherwise grow the
// tables. Why: unlinking one path from the table costs a cache miss for its slot plus one per
// probe-chain neighbour moved back, ~200 ns per path at a million paths (shape C); a sweep walks the
// records in order, which the CPU streams. A sweep does not touch the table either: the slots of
// freed ids stay behind (a probe that meets one finds a freed record, or a reused id's other bytes,
// and goes on) until the table fills up and is rebuilt, or a sweep shrinks it; rebuilding after
// every sweep rehashed each surviving path from its bytes (~+15 ns per removed watch in shape C).
// A retired path that gets a watch again is simply live again. Churn reuses ids instead of growing
// the tables. (Watchers' own sets may still name a freed or reused id; they treat the path's
// watcher set as the truth — see table.ts.)
// Ancestors are not interned: the trigger walk looks each prefix up by hash instead, so a watch on
// a deep path costs one record, not one per level.
import { alloc, allocZeroed, free, freeRun, flushRun, shrinkInPlace } from './mem';
import { bytesEqual, hashStored } from './hash';
import { publishPathCount, publishPathRecs } from './io';

const REC = 8;
const F_BYTES = 0;
const F_SET = 4;
/** Table slots: id in the low bits, hash tag above. Ids beyond ID_MASK are refused (see intern). */
const ID_BITS: u32 = 26;
const ID_MASK: u32 = (1 << ID_BITS) - 1;
/** A freed id's bytes field: the next free id, shifted, with this bit (copies are 16-aligned). */
const FREE_BIT: u32 = 1;

let recs: usize = 0;
let recCap: u32 = 0;
let nextId: u32 = 1; // id 0 means "none"
/** No id below this is interned: sweeps start here (sessions closing in the order they came). */
let lowId: u32 = 1;
let freeHead: u32 = 0; // free ids are chained through their bytes field (FREE_BIT set)
/** Recursive pair counts (u32 per id) after the records in their block, or 0 until the first. */
let counts: usize = 0;

let table: usize = 0;
let tableCap: u32 = 0;
/** Slots in use: interned paths plus the left-behind slots of freed ids (see the top). */
let tableUsed: u32 = 0;
/** tableCap is ladderCap(tableLevel): every table of a given size has the same capacity. */
let tableLevel: u32 = 0;
const TABLE_MIN: u32 = 128;
/** Paths with a non-empty watcher set. */
let live: u32 = 0;
/** Paths holding an id: live plus retired (emptied, not yet swept). */
let interned: u32 = 0;

/**
 * Retired paths are swept once they exceed both this and RETIRED_RATIO x the live ones. Tests
 * lower it (setSweepMin) so that nearly every removal sweeps.
 */
let sweepMin: u32 = 4096;
const RETIRED_RATIO: u32 = 3;

/** Bytes block reserved for the path being interned; freed by recover() after a trap. */
let pendingBytes: usize = 0;

@inline function rec(id: u32): usize {
  return recs + <usize>id * REC;
}
@inline export function pathSet(id: u32): u32 {
  return load<u32>(rec(id), F_SET);
}
@inline export function setPathSet(id: u32, h: u32): void {
  store<u32>(rec(id), h, F_SET);
}
@inline export function recursiveCount(id: u32): u32 {
  return counts ? load<u32>(counts + (<usize>id << 2)) : 0;
}
/** Call reserveRecursive() first (before anything in the operation changed). */
@inline export function addRecursive(id: u32, delta: i32): void {
  const at = counts + (<usize>id << 2);
  store<u32>(at, load<u32>(at) + delta);
}
@inline function bytesPtr(id: u32): usize {
  return load<u32>(rec(id), F_BYTES);
}
/** True when the bytes field holds a copy's address (not 0, not a free-list link). */
@inline function holdsBytes(b: usize): bool {
  return b != 0 && (b & FREE_BIT) == 0;
}
/** The table's home slot for hash `h`: h's high bits scaled to the capacity (any capacity). */
@inline function homeOf(h: u32): u32 {
  return <u32>((<u64>h * <u64>tableCap) >>> 32);
}
@inline function tagOf(h: u32): u32 {
  return (h & 63) << ID_BITS;
}
@inline function nextSlot(i: u32): u32 {
  return i + 1 == tableCap ? 0 : i + 1;
}
/** The hash of interned path `id`, from its bytes (records keep none). */
@inline function hashOf(id: u32): u32 {
  const b = bytesPtr(id);
  return hashStored(b + 4, load<u32>(b));
}

/** Number of live (watched) paths. */
export function pathCount(): u32 {
  return live;
}
/** Number of interned paths, retired ones included (for the consistency check). */
export function internedCount(): u32 {
  return interned;
}
/** One past the highest id ever handed out (ids below it may be free). */
export function pathIdLimit(): u32 {
  return nextId;
}
/** True when `id` names a live path: interned, with watchers. */
export function pathLive(id: u32): bool {
  return pathInterned(id) && pathSet(id) != 0;
}
/** True when `id` names an interned path, live or retired: its bytes and table slot are valid. */
export function pathInterned(id: u32): bool {
  return id > 0 && id < nextId && holdsBytes(bytesPtr(id));
}
/** Address of the path's UTF-8 bytes. */
export function pathBytes(id: u32): usize {
  return bytesPtr(id) + 4;
}
export function pathLength(id: u32): u32 {
  return load<u32>(bytesPtr(id));
}

export function initPaths(): void {
  recCap = 64;
  recs = allocZeroed(<usize>recCap * REC);
  counts = 0;
  publishPathRecs(recs);
  tableLevel = 0;
  tableUsed = 0;
  tableCap = TABLE_MIN;
  table = allocZeroed(<usize>tableCap << 2);
}

/** The id of the `n` bytes at `p` with hash `h`, or 0. */
export function lookup(p: usize, n: u32, h: u32): u32 {
  const tag = tagOf(h);
  let i = homeOf(h);
  while (true) {
    const x = load<u32>(table + (<usize>i << 2));
    if (x == 0) return 0;
    if ((x & ~ID_MASK) == tag) {
      const id = x & ID_MASK;
      const b = bytesPtr(id);
      if (holdsBytes(b) && load<u32>(b) == n && bytesEqual(b + 4, p, n)) return id;
    }
    i = nextSlot(i);
  }
}

/** The id the next intern() will use. */
@inline export function nextPathId(): u32 {
  return freeHead ? freeHead : nextId;
}

/**
 * Makes room for recursive pair counts (before an add of a PERSISTENT_RECURSIVE watch changes
 * anything): the record block gets a count per id after the records. Allocates once per table.
 */
export function reserveRecursive(): void {
  if (!counts) moveRecs(recCap, true);
}

/**
 * Reserves everything intern() needs for an `n`-byte path: record slot, table room, bytes block.
 * Each growth is allocate-copy-free, so a trap leaves the tables as they were.
 */
export function reserveNewPath(n: u32): void {
  if ((recsFull() || tableFull()) && (interned - live) * 8 >= interned) sweep(); // reclaim rather than grow
  if (recsFull()) {
    if (nextId > ID_MASK) unreachable(); // table slots name ids in 26 bits: far past 2 GiB of paths
    moveRecs(recCap << 1, counts != 0);
  }
  if (tableFull()) {
    // Mostly left-behind slots: rebuilt at the same size. Amortised: at most half full after.
    if (<u64>(interned + 1) * 2 > <u64>tableCap) growTable();
    else rebuildTable();
  }
  recoverPaths(); // normally a no-op: JS calls recover() after every trap
  pendingBytes = alloc(4 + <usize>n);
}

/** True when interning one more path needs a bigger record array (no free id, no room). */
function recsFull(): bool {
  return freeHead == 0 && nextId >= recCap;
}

/** True when one more interned path would load the table past three quarters. */
function tableFull(): bool {
  return <u64>(tableUsed + 1) * 4 > <u64>tableCap * 3;
}

/**
 * Interns the `n` bytes at `p` (absent, reserved) with an empty watcher set; the caller's insert
 * makes it live (pathFilled). Never allocates.
 */
export function intern(p: usize, n: u32, h: u32): u32 {
  const id = nextPathId();
  if (id == freeHead) freeHead = <u32>bytesPtr(id) >>> 1;
  else nextId++;
  if (id < lowId) lowId = id;
  const b = pendingBytes;
  pendingBytes = 0;
  store<u32>(b, n);
  memory.copy(b + 4, p, n);
  const r = rec(id);
  store<u32>(r, <u32>b, F_BYTES);
  store<u32>(r, 0, F_SET);
  tablePut(id, h);
  tableUsed++;
  interned++;
  return id;
}

/** Path `id` (interned) got its first watcher: it is live (again). */
export function pathFilled(): void {
  live++;
  publishPathCount(live);
}

/**
 * Path `id`'s watcher set just emptied (the caller stored 0): it is retired, not unlinked (see
 * the top of this file). Removal exports call maybeSweep() once they are done.
 */
export function pathEmptied(): void {
  live--;
  publishPathCount(live);
}

/**
 * Sweeps when retired paths outnumber live ones RETIRED_RATIO to one (and exceed sweepMin), so a
 * table draining to empty pays for nearly all of its reclaiming as it goes: at most
 * max(sweepMin, 3 x live) emptied paths ever wait.
 */
export function maybeSweep(): void {
  const retired = interned - live;
  if (retired > sweepMin && retired > <u64>live * RETIRED_RATIO) sweep();
}

export function setSweepMin(n: u32): void {
  sweepMin = n;
}

/**
 * Reclaims every retired path: frees its bytes and pushes its id on the free list; their table
 * slots stay behind (see the top) unless the table shrinks, which rebuilds it from the paths still
 * interned. O(ids from lowId), plus the table when it shrinks; never allocates; amortised over the
 * removals that retired at least an eighth of the interned paths (three quarters, from
 * maybeSweep). Not rehashing the survivors matters because the hash is recomputed from the bytes:
 * at the first sweep of a draining million-path table, 250,000 of them. Starting at lowId matters
 * when sessions close in the order they came: each sweep of a draining million-path table then
 * walks only the ids still in use (shape C: ~18 -> ~10 ns per removed watch for all sweeps).
 */
export function sweep(): void {
  let first: u32 = 0;
  for (let id = lowId; id < nextId; id++) {
    const r = rec(id);
    const b = <usize>load<u32>(r, F_BYTES);
    if (!holdsBytes(b)) continue;
    if (load<u32>(r, F_SET) != 0) {
      if (first == 0) first = id;
      continue;
    }
    freeRun(b); // copies interned in a row lie in a row: freed as one
    store<u32>(r, (freeHead << 1) | FREE_BIT, F_BYTES);
    freeHead = id;
    interned--;
  }
  flushRun();
  lowId = first ? first : nextId;
  if (shrinkTable()) rebuildTable();
}

/**
 * Steps the table down its capacity ladder (in place: the allocator splits the tail off without
 * allocating) while the interned paths would fill at most a quarter of the smaller one, so later
 * sweeps and rebuilds of a drained table walk a table its size. True when it shrank (the caller
 * then rebuilds it).
 */
function shrinkTable(): bool {
  let level = tableLevel;
  while (level > 0 && <u64>interned * 4 <= <u64>ladderCap(level - 1)) level--;
  if (level == tableLevel) return false;
  tableLevel = level;
  tableCap = ladderCap(level);
  shrinkInPlace(table, <usize>tableCap << 2);
  return true;
}

/** Empties the table and puts the interned paths back: the left-behind slots are gone. */
function rebuildTable(): void {
  memory.fill(table, 0, <usize>tableCap << 2);
  refill();
}

/**
 * Table capacities: TABLE_MIN, then half as much again at each level. A fixed ladder (rather than
 * x1.5 on the way up and /2 on the way down) brings a table that grew and shrank back to exactly
 * the size it had, so churn never drifts its memory.
 */
function ladderCap(level: u32): u32 {
  let cap = TABLE_MIN;
  for (let k: u32 = 0; k < level; k++) cap += cap >>> 1;
  return cap;
}

/** Frees a bytes block reserved by an operation that trapped before using it. */
export function recoverPaths(): void {
  free(pendingBytes);
  pendingBytes = 0;
}

/**
 * True when the table's occupied slots number exactly tableUsed (interned paths plus left-behind
 * slots), at most three quarters of it, and each names an id handed out: tableFull() and every
 * probe loop's end (an empty slot) rely on that count (for the consistency check).
 */
export function slotsCounted(): bool {
  let used: u32 = 0;
  for (let i: u32 = 0; i < tableCap; i++) {
    const x = load<u32>(table + (<usize>i << 2));
    if (x == 0) continue;
    if ((x & ID_MASK) == 0 || (x & ID_MASK) >= nextId) return false;
    used++;
  }
  return used == tableUsed && <u64>used * 4 <= <u64>tableCap * 3 && used >= interned;
}

/** True when the table reaches `id` from its hash (for the consistency check). */
export function inTable(id: u32): bool {
  const h = hashOf(id);
  const want = id | tagOf(h);
  let i = homeOf(h);
  while (true) {
    const x = load<u32>(table + (<usize>i << 2));
    if (x == want) return true;
    if (x == 0) return false;
    i = nextSlot(i);
  }
}

function tablePut(id: u32, h: u32): void {
  let i = homeOf(h);
  while (load<u32>(table + (<usize>i << 2)) != 0) i = nextSlot(i);
  store<u32>(table + (<usize>i << 2), id | tagOf(h));
}

/**
 * Moves the records (and counts, `withCounts`) to a block for `cap` ids; the new part is zeroed.
 * One block, so the allocation is the only thing that can trap and the old block stays on a trap.
 */
function moveRecs(cap: u32, withCounts: bool): void {
  const recBytes = <usize>cap * REC;
  const next = alloc(recBytes + (withCounts ? <usize>cap << 2 : 0));
  memory.copy(next, recs, <usize>recCap * REC);
  memory.fill(next + <usize>recCap * REC, 0, <usize>(cap - recCap) * REC);
  if (withCounts) {
    const from: usize = counts ? <usize>recCap << 2 : 0;
    if (counts) memory.copy(next + recBytes, counts, from);
    memory.fill(next + recBytes + from, 0, (<usize>cap << 2) - from);
  }
  free(recs);
  recs = next;
  recCap = cap;
  counts = withCounts ? next + recBytes : 0;
  publishPathRecs(recs);
}

/**
 * Half as many slots again, every interned path rehashed from its bytes. In id order, not slot
 * order: records and copies interned one after another lie one after another, so the reads stream
 * instead of missing the cache once per path.
 */
function growTable(): void {
  const old = table;
  const cap = ladderCap(tableLevel + 1);
  table = allocZeroed(<usize>cap << 2);
  tableLevel++;
  tableCap = cap;
  free(old);
  refill();
}

/** Puts every interned path into the (empty) table. */
function refill(): void {
  for (let id = lowId; id < nextId; id++) {
    if (holdsBytes(bytesPtr(id))) tablePut(id, hashOf(id));
  }
  tableUsed = interned;
}
