// Per-watcher records, indexed directly by the caller's dense watcher id: 8 bytes each,
//   [path-id set handle][live pair count | REGISTERED]
// plus a u16 mark per watcher used by triggers (suppression and de-duplication), after the records
// in the same block. The marks are only made by the first trigger that needs them (one with a
// suppress list, or while persistent-recursive watches exist): a table of plain watches never does,
// and a million sessions with a watch each then cost 8 bytes apiece here instead of 10.
// The path-id set may hold stale ids (pairs a trigger removed without touching the watcher): the
// live count is exact, and stale ids are purged when the set would otherwise grow. REGISTERED
// mirrors "watch2Paths has an entry for this watcher" in ZooKeeper, which outlives the watcher's
// last pair when a trigger removed it.
import { alloc, free } from './mem';
import { publishWatcherRecs } from './io';

const REC = 8;
export const REGISTERED: u32 = 0x80000000;

let recs: usize = 0;
let marks: usize = 0;
let cap: u32 = 0;
let epoch: u32 = 0;

@inline function rec(w: u32): usize {
  return recs + <usize>w * REC;
}
@inline export function watcherCap(): u32 {
  return cap;
}
@inline export function watcherSet(w: u32): u32 {
  return load<u32>(rec(w));
}
@inline export function setWatcherSet(w: u32, h: u32): void {
  store<u32>(rec(w), h);
}
@inline export function watcherState(w: u32): u32 {
  return load<u32>(rec(w), 4);
}
@inline export function setWatcherState(w: u32, s: u32): void {
  store<u32>(rec(w), s, 4);
}
@inline export function mark(w: u32): u32 {
  return load<u16>(marks + (<usize>w << 1));
}
@inline export function setMark(w: u32, m: u32): void {
  store<u16>(marks + (<usize>w << 1), <u16>m);
}

export function initWatchers(): void {
  growWatchers(63);
}

/** Makes `w` a valid index. Allocate-copy-free: a trap leaves the old block in place. */
export function ensureWatcher(w: u32): void {
  if (w >= cap) growWatchers(w);
}

function growWatchers(w: u32): void {
  let n = cap < 64 ? <u32>64 : cap;
  while (n <= w) n <<= 1;
  moveTo(n, marks != 0);
}

/** Makes the trigger marks (zero) if this table has none yet. Allocates once. */
export function ensureMarks(): void {
  if (!marks) moveTo(cap, true);
}

/** Moves the records (and marks, `withMarks`) into one new block for `n` watchers, new parts zero. */
function moveTo(n: u32, withMarks: bool): void {
  const size = <usize>n * (withMarks ? REC + 2 : REC);
  const block = alloc(size);
  const nextMarks = withMarks ? block + <usize>n * REC : 0;
  memory.fill(block, 0, size);
  if (recs) {
    memory.copy(block, recs, <usize>cap * REC);
    if (marks && withMarks) memory.copy(nextMarks, marks, <usize>cap << 1);
    free(recs);
  }
  recs = block;
  marks = nextMarks;
  cap = n;
  publishWatcherRecs(recs, cap);
}

/**
 * Starts a trigger's marking round and returns its base: marks equal to base are suppressed
 * watchers, base + 1 those already listed. On wrap-around every mark is cleared (once per 32k
 * triggers), so a stale mark can never collide with a fresh round.
 */
export function nextEpoch(): u32 {
  if (epoch >= 0xfffc) { // marks exist: the caller made them (ensureMarks)
    memory.fill(marks, 0, <usize>cap << 1);
    epoch = 0;
  }
  epoch += 2;
  return epoch;
}
