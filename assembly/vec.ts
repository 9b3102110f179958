// Per-watcher path lists: append-only vectors of path ids in one u32 handle, like idset's:
//   0            empty
//   odd          one id inline, (id << 1) | 1
//   even, != 0   heap block [cap u32][cnt u32][cap slots of u32], ids packed at the front
// Why not a set: the path side already answers "is this pair new?" (its set insert), so the
// watcher side never needs a lookup, only "append" and "walk". A vector appends with one store,
// walks in memory order, and costs 4 bytes per entry plus growth slack, where the hashed set
// cost ~8 and an unsuccessful probe per add. Entries may be stale (a trigger ended the pair
// without touching the watcher) and, after a pair ended and was added again, repeated; the
// watcher's live count is exact, and compact() drops stale and repeated ids when the vector
// would otherwise grow, so a vector stays within about twice its watcher's live pairs.
import { alloc, free } from './mem';

/** Capacities that fill the allocator's size classes exactly (payload 8 + 4 * cap = 16k - 4). */
@inline function nextCap(cap: u32): u32 {
  return cap < 5 ? 5 : cap * 2 + 3;
}

@inline export function vecIsInline(h: u32): bool {
  return (h & 1) != 0;
}
@inline export function vecCap(b: u32): u32 {
  return load<u32>(b);
}
@inline export function vecCnt(b: u32): u32 {
  return load<u32>(b, 4);
}
@inline function setVecCnt(b: u32, n: u32): void {
  store<u32>(b, n, 4);
}
@inline export function vecSlots(b: u32): usize {
  return <usize>b + 8;
}

/** Entries behind a handle (stale and repeated ones included). */
export function vecCount(h: u32): u32 {
  if (h == 0) return 0;
  return vecIsInline(h) ? 1 : vecCnt(h);
}

/** Entry k (< vecCount) of a handle. */
@inline export function vecAt(h: u32, k: u32): u32 {
  return vecIsInline(h) ? h >>> 1 : load<u32>(vecSlots(h) + (<usize>k << 2));
}

/** True when one more push needs a bigger block. */
export function vecFull(h: u32): bool {
  if (h == 0) return false;
  return vecIsInline(h) || vecCnt(h) == vecCap(h);
}

/** A block of `cap` slots holding the entries of `h` (which fit); frees the old block. Allocates. */
export function vecMove(h: u32, cap: u32): u32 {
  const n = vecCount(h);
  const b = <u32>alloc(8 + (<usize>cap << 2));
  store<u32>(b, cap);
  setVecCnt(b, n);
  if (vecIsInline(h)) store<u32>(vecSlots(b), h >>> 1);
  else if (h != 0) {
    memory.copy(vecSlots(b), vecSlots(h), <usize>n << 2);
    free(h);
  }
  return b;
}

/** Room for one more entry: the next capacity up. Allocates; on a trap `h` is untouched. */
export function vecGrow(h: u32): u32 {
  return vecMove(h, nextCap(vecCount(h)));
}

/** The smallest capacity (of the sequence) that holds `n` entries. */
export function vecCapFor(n: u32): u32 {
  let cap: u32 = 5;
  while (cap < n) cap = nextCap(cap);
  return cap;
}

/** Appends `id`; the caller made room (vecFull was false, or it grew). Never allocates. */
export function vecPush(h: u32, id: u32): u32 {
  if (h == 0) return (id << 1) | 1;
  const n = vecCnt(h);
  store<u32>(vecSlots(h) + (<usize>n << 2), id);
  setVecCnt(h, n + 1);
  return h;
}

/** vecPush on a block known to have room (vecCnt < vecCap): the add fast path's append. */
@inline export function vecAppend(b: u32, id: u32): void {
  const n = vecCnt(b);
  store<u32>(vecSlots(b) + (<usize>n << 2), id);
  setVecCnt(b, n + 1);
}

/** Removes and returns the last entry (the handle must be non-empty); see vecAfterPop. */
export function vecPop(h: u32): u32 {
  if (vecIsInline(h)) return h >>> 1;
  const n = vecCnt(h) - 1;
  setVecCnt(h, n);
  return load<u32>(vecSlots(h) + (<usize>n << 2));
}

/** The handle after vecPop: 0 once an inline entry or the last block entry is gone. */
export function vecAfterPop(h: u32): u32 {
  if (vecIsInline(h)) return 0;
  if (vecCnt(h) == 0) {
    free(h);
    return 0;
  }
  return h;
}

export function vecFree(h: u32): void {
  if (h != 0 && !vecIsInline(h)) free(h);
}

/**
 * Makes the first `m` entries the whole vector, sorted ascending with repeats dropped (heap sort in
 * place: no allocation, O(m log m)); returns how many remain. The caller has already packed the
 * entries it keeps at the front (table.ts compactWatcher): no callback is passed here, because a
 * function reference is a managed value that spills to AssemblyScript's shadow stack, and an
 * out-of-memory trap in the caller would then leave the shadow-stack pointer lowered for good.
 */
export function vecSortUnique(b: u32, m: u32): u32 {
  const s = vecSlots(b);
  heapSort(s, m);
  let u: u32 = 0;
  for (let i: u32 = 0; i < m; i++) {
    const id = load<u32>(s + (<usize>i << 2));
    if (u > 0 && load<u32>(s + (<usize>(u - 1) << 2)) == id) continue;
    store<u32>(s + (<usize>u << 2), id);
    u++;
  }
  setVecCnt(b, u);
  return u;
}

/** In-place ascending heap sort of `n` u32 at `s`. */
export function heapSort(s: usize, n: u32): void {
  if (n < 2) return;
  for (let i = n >>> 1; i > 0; i--) siftDown(s, i - 1, n);
  for (let end = n - 1; end > 0; end--) {
    const top = load<u32>(s);
    store<u32>(s, load<u32>(s + (<usize>end << 2)));
    store<u32>(s + (<usize>end << 2), top);
    siftDown(s, 0, end);
  }
}

function siftDown(s: usize, i: u32, n: u32): void {
  const x = load<u32>(s + (<usize>i << 2));
  while (true) {
    let c = i * 2 + 1;
    if (c >= n) break;
    if (c + 1 < n && load<u32>(s + (<usize>(c + 1) << 2)) > load<u32>(s + (<usize>c << 2))) c++;
    const y = load<u32>(s + (<usize>c << 2));
    if (y <= x) break;
    store<u32>(s + (<usize>i << 2), y);
    i = c;
  }
  store<u32>(s + (<usize>i << 2), x);
}
