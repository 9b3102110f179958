// Path interning: the UTF-8 bytes of each watched path get a small integer id, found through an
// open-addressing table of ids keyed by a hash of the bytes. Per id a 16-byte record:
//   [bytes ptr][hash][watcher set handle][recursive pair count]
// The bytes live in their own block [len u32][bytes]. An id exists only while some watch refers
// to it: when its watcher set empties the id is unlinked, its bytes freed and the id pushed on a
// free list, so churn reuses ids instead of growing the tables. (Watchers' own sets may still name
// a freed or reused id; they treat the path's watcher set as the truth — see table.ts.)
// Ancestors are not interned: the trigger walk looks each prefix up by hash instead, so a watch on
// a deep path costs one record, not one per level.
import { alloc, allocZeroed, free } from './mem';
import { bytesEqual } from './hash';
import { publishPathCount } from './io';

const REC = 16;
const F_BYTES = 0;
const F_HASH = 4;
const F_SET = 8;
const F_RECURSIVE = 12;

let recs: usize = 0;
let recCap: u32 = 0;
let nextId: u32 = 1; // id 0 means "none"
let freeHead: u32 = 0; // free ids are chained through their hash field

let table: usize = 0;
let tableCap: u32 = 0;
let live: u32 = 0;

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

/** Number of interned (watched) paths. */
export function pathCount(): u32 {
  return live;
}
/** One past the highest id ever handed out (ids below it may be free). */
export function pathIdLimit(): u32 {
  return nextId;
}
/** True when `id` names a live path. */
export function pathLive(id: u32): bool {
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
  if (freeHead == 0 && nextId >= recCap) growRecs();
  if (<u64>(live + 1) * 4 > <u64>tableCap * 3) growTable();
  recoverPaths(); // normally a no-op: JS calls recover() after every trap
  pendingBytes = alloc(4 + <usize>n);
}

/** Interns the `n` bytes at `p` (absent, reserved) with an empty watcher set. Never allocates. */
export function intern(p: usize, n: u32, h: u32): u32 {
  const id = nextPathId();
  if (id == freeHead) freeHead = load<u32>(rec(id), F_HASH);
  else nextId++;
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
  live++;
  publishPathCount(live);
  return id;
}

/** Forgets a path whose watcher set is empty: unlink, free bytes, recycle the id. */
export function unintern(id: u32): void {
  tableDelete(id);
  free(bytesPtr(id));
  const r = rec(id);
  store<u32>(r, 0, F_BYTES);
  store<u32>(r, 0, F_SET); // callers emptied it; addWatchId's fast path relies on a zero set here
  store<u32>(r, freeHead, F_HASH);
  freeHead = id;
  live--;
  publishPathCount(live);
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

/** Removes `id` from the table by backward-shift deletion (linear probing, no tombstones). */
function tableDelete(id: u32): void {
  const mask = tableCap - 1;
  let i = load<u32>(rec(id), F_HASH) & mask;
  while (load<u32>(table + (<usize>i << 2)) != id) i = (i + 1) & mask;
  let j = i;
  while (true) {
    j = (j + 1) & mask;
    const other = load<u32>(table + (<usize>j << 2));
    if (other == 0) break;
    const k = load<u32>(rec(other), F_HASH) & mask;
    const stays = i <= j ? i < k && k <= j : i < k || k <= j;
    if (!stays) {
      store<u32>(table + (<usize>i << 2), other);
      i = j;
    }
  }
  store<u32>(table + (<usize>i << 2), 0);
}

function growRecs(): void {
  const cap = recCap << 1;
  const next = alloc(<usize>cap * REC);
  memory.copy(next, recs, <usize>recCap * REC);
  memory.fill(next + <usize>recCap * REC, 0, <usize>(cap - recCap) * REC);
  free(recs);
  recs = next;
  recCap = cap;
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
