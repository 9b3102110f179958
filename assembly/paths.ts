// Path interning: the UTF-8 bytes of each watched path get a small integer id, found through an
// open-addressing table of ids keyed by a hash of the bytes. Per id a 16-byte record:
//   [bytes ptr][hash][watcher set handle][recursive pair count]
// The bytes live in their own block [len u32][bytes]. A path is "live" (watched) while its watcher
// set is non-empty. When the set empties the path is only retired: it stays interned (record,
// bytes, table slot), so the removal touches nothing but its own record. Retired paths are
// reclaimed in bulk by sweep() (bytes freed, ids pushed on a free list, the table rebuilt from
// the interned ones) once they outnumber the live ones three to one, or when an intern would
// otherwise grow the tables. Why: unlinking one path from the table costs a cache miss for its
// slot plus one per probe-chain neighbour moved back (each read's hash is in its record), ~200 ns
// per path at a million paths (bench/watch shape C); a sweep walks the records in order and
// rebuilds the table with independent stores, which the CPU overlaps. A retired path that gets a
// watch again is simply live again. Churn reuses ids instead of growing the tables.
// (Watchers' own sets may still name a freed or reused id; they treat the path's watcher set as
// the truth — see table.ts.)
// Ancestors are not interned: the trigger walk looks each prefix up by hash instead, so a watch on
// a deep path costs one record, not one per level.
import { alloc, allocZeroed, free, freeRun, flushRun, shrinkInPlace } from './mem';
import { bytesEqual } from './hash';
import { publishPathCount, publishPathRecs } from './io';

const REC = 16;
const F_BYTES = 0;
const F_HASH = 4;
const F_SET = 8;
const F_RECURSIVE = 12;

let recs: usize = 0;
let recCap: u32 = 0;
let nextId: u32 = 1; // id 0 means "none"
/** No id below this is interned: sweeps start here (sessions closing in the order they came). */
let lowId: u32 = 1;
let freeHead: u32 = 0; // free ids are chained through their hash field

let table: usize = 0;
let tableCap: u32 = 0;
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
  return load<u32>(rec(id), F_RECURSIVE);
}
@inline export function addRecursive(id: u32, delta: i32): void {
  store<u32>(rec(id), load<u32>(rec(id), F_RECURSIVE) + delta, F_RECURSIVE);
}
@inline function bytesPtr(id: u32): usize {
  return load<u32>(rec(id), F_BYTES);
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
  return id > 0 && id < nextId && bytesPtr(id) != 0;
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
  publishPathRecs(recs);
  tableCap = 128;
  table = allocZeroed(<usize>tableCap << 2);
}

/** The id of the `n` bytes at `p` with hash `h`, or 0. */
export function lookup(p: usize, n: u32, h: u32): u32 {
  const mask = tableCap - 1;
  let i = h & mask;
  while (true) {
    const id = load<u32>(table + (<usize>i << 2));
    if (id == 0) return 0;
    const r = rec(id);
    if (load<u32>(r, F_HASH) == h) {
      const b = <usize>load<u32>(r, F_BYTES);
      if (load<u32>(b) == n && bytesEqual(b + 4, p, n)) return id;
    }
    i = (i + 1) & mask;
  }
}

/** The id the next intern() will use. */
@inline export function nextPathId(): u32 {
  return freeHead ? freeHead : nextId;
}

/**
 * Reserves everything intern() needs for an `n`-byte path: record slot, table room, bytes block.
 * Each growth is allocate-copy-free, so a trap leaves the tables as they were.
 */
export function reserveNewPath(n: u32): void {
  if ((recsFull() || tableFull()) && (interned - live) * 8 >= interned) sweep(); // reclaim rather than grow
  if (recsFull()) growRecs();
  if (tableFull()) growTable();
  recoverPaths(); // normally a no-op: JS calls recover() after every trap
  pendingBytes = alloc(4 + <usize>n);
}

/** True when interning one more path needs a bigger record array (no free id, no room). */
function recsFull(): bool {
  return freeHead == 0 && nextId >= recCap;
}

/** True when one more interned path would load the table past three quarters. */
function tableFull(): bool {
  return <u64>(interned + 1) * 4 > <u64>tableCap * 3;
}

/**
 * Interns the `n` bytes at `p` (absent, reserved) with an empty watcher set; the caller's insert
 * makes it live (pathFilled). Never allocates.
 */
export function intern(p: usize, n: u32, h: u32): u32 {
  const id = nextPathId();
  if (id == freeHead) freeHead = load<u32>(rec(id), F_HASH);
  else nextId++;
  if (id < lowId) lowId = id;
  const b = pendingBytes;
  pendingBytes = 0;
  store<u32>(b, n);
  memory.copy(b + 4, p, n);
  const r = rec(id);
  store<u32>(r, <u32>b, F_BYTES);
  store<u32>(r, h, F_HASH);
  store<u32>(r, 0, F_SET);
  store<u32>(r, 0, F_RECURSIVE);
  tablePut(id, h);
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
 * Reclaims every retired path: frees its bytes, pushes its id on the free list, then rebuilds the
 * table from the paths still interned. O(ids from lowId + table slots), never allocates; amortised
 * over the removals that retired at least an eighth of the interned paths (three quarters, from
 * maybeSweep). Starting at lowId matters when sessions close in the order they came: each sweep of
 * a draining million-path table then walks only the ids still in use (shape C: ~18 -> ~10 ns per
 * removed watch for all sweeps together).
 */
export function sweep(): void {
  let first: u32 = 0;
  for (let id = lowId; id < nextId; id++) {
    const r = rec(id);
    const b = <usize>load<u32>(r, F_BYTES);
    if (b == 0) continue;
    if (load<u32>(r, F_SET) != 0) {
      if (first == 0) first = id;
      continue;
    }
    freeRun(b); // copies interned in a row lie in a row: freed as one
    store<u32>(r, 0, F_BYTES);
    store<u32>(r, freeHead, F_HASH);
    freeHead = id;
    interned--;
  }
  flushRun();
  lowId = first ? first : nextId;
  shrinkTable();
  memory.fill(table, 0, <usize>tableCap << 2);
  for (let id = lowId; id < nextId; id++) {
    const r = rec(id);
    if (load<u32>(r, F_BYTES) != 0) tablePut(id, load<u32>(r, F_HASH));
  }
}

/**
 * Halves the table (in place: the allocator splits the tail off without allocating) while the
 * interned paths would fill at most a quarter of the smaller one, so later sweeps and rebuilds
 * of a drained table walk a table its size. The caller refills it.
 */
function shrinkTable(): void {
  let cap = tableCap;
  while (cap > 128 && <u64>interned * 4 <= <u64>(cap >>> 1)) cap >>>= 1;
  if (cap == tableCap) return;
  shrinkInPlace(table, <usize>cap << 2);
  tableCap = cap;
}

/** Frees a bytes block reserved by an operation that trapped before using it. */
export function recoverPaths(): void {
  free(pendingBytes);
  pendingBytes = 0;
}

/** True when the table reaches `id` from its hash (for the consistency check). */
export function inTable(id: u32): bool {
  const mask = tableCap - 1;
  let i = load<u32>(rec(id), F_HASH) & mask;
  while (true) {
    const x = load<u32>(table + (<usize>i << 2));
    if (x == id) return true;
    if (x == 0) return false;
    i = (i + 1) & mask;
  }
}

function tablePut(id: u32, h: u32): void {
  const mask = tableCap - 1;
  let i = h & mask;
  while (load<u32>(table + (<usize>i << 2)) != 0) i = (i + 1) & mask;
  store<u32>(table + (<usize>i << 2), id);
}

function growRecs(): void {
  const cap = recCap << 1;
  const next = alloc(<usize>cap * REC);
  memory.copy(next, recs, <usize>recCap * REC);
  memory.fill(next + <usize>recCap * REC, 0, <usize>(cap - recCap) * REC);
  free(recs);
  recs = next;
  recCap = cap;
  publishPathRecs(recs);
}

function growTable(): void {
  const old = table;
  const oldCap = tableCap;
  table = allocZeroed(<usize>oldCap << 3);
  tableCap = oldCap << 1;
  for (let i: u32 = 0; i < oldCap; i++) {
    const id = load<u32>(old + (<usize>i << 2));
    if (id) tablePut(id, load<u32>(rec(id), F_HASH));
  }
  free(old);
}
