// Report iteration for wchc/wchp/wchs (WatchManager.getWatches, getWatchesByPath,
// getWatchesSummary). JS walks ids with these exports and reads each list from the output buffer;
// path bytes are read straight from the interned copy. Reports are rare, so clarity beats speed.
import { outputCap, putOut } from './io';
import { isInline, inlineEntry, blockCap, slotsOf } from './idset';
import * as paths from './paths';
import { vecCount, vecAt } from './vec';
import { isBitset, bitsWords, bitsBase, bitsHas } from './bitset';
import * as watchers from './watchers';
import * as table from './table';

let listed: u32 = 0;
/** Slot to resume from after a report filled the output buffer; DONE when the list is complete. */
let cursor: u32 = 0;
const DONE: u32 = 0xffffffff;

/** Where the last report stopped: pass it back as `from`, or DONE when it finished. */
export function reportCursor(): u32 {
  return cursor;
}

/**
 * Lists live path ids of watcher `w` in the output buffer, from entry `from` until the buffer is
 * full; returns how many. Works in chunks so a report never needs to allocate. An id can be
 * listed twice (a vector may repeat an id until it is compacted): JS drops repeats.
 */
export function reportWatcher(w: u32, from: u32): u32 {
  listed = 0;
  cursor = DONE;
  if (!table.isRegistered(w)) return 0;
  const ws = watchers.watcherSet(w);
  const n = vecCount(ws);
  const room = outputCap();
  for (let k = from; k < n; k++) {
    if (listed == room) {
      cursor = k;
      return listed;
    }
    const id = vecAt(ws, k);
    if (table.pairLive(id, w)) putOut(listed++, id);
  }
  return listed;
}

/** Lists the watcher ids on path `id` from slot `from`, in chunks like reportWatcher. */
export function reportPath(id: u32, from: u32): u32 {
  listed = 0;
  cursor = DONE;
  if (!paths.pathLive(id)) return 0;
  const h = paths.pathSet(id);
  if (isBitset(h)) {
    walkBits(h, from);
  } else if (isInline(h)) {
    if (from == 0) putOut(listed++, inlineEntry(h) >>> table.PSHIFT);
  } else {
    walk(h, from);
  }
  return listed;
}

/** Copies a bitset's watcher ids, from bit `from`, until the output is full. */
function walkBits(b: u32, from: u32): void {
  const bits = bitsWords(b) << 5;
  const room = outputCap();
  for (let i = from; i < bits; i++) {
    const w = bitsBase(b) + i;
    if (!bitsHas(b, w)) continue;
    if (listed == room) {
      cursor = i;
      return;
    }
    putOut(listed++, w);
  }
}

/** Copies a path set's watcher ids until the output is full. */
function walk(b: u32, from: u32): void {
  const cap = blockCap(b);
  const s = slotsOf(b);
  const room = outputCap();
  for (let i = from; i < cap; i++) {
    if (listed == room) {
      cursor = i;
      return;
    }
    const e = load<u32>(s + (<usize>i << 2));
    if (e == 0) continue;
    putOut(listed++, e >>> table.PSHIFT);
  }
}

/** Mode bits of the pair (path id, watcher), 0 when absent. For tests and debugging. */
export function pairModes(id: u32, w: u32): u32 {
  if (!paths.pathLive(id)) return 0;
  const h = paths.pathSet(id);
  if (isBitset(h)) return bitsHas(h, w) ? table.STANDARD : 0;
  if (isInline(h)) {
    const e = inlineEntry(h);
    return e >>> table.PSHIFT == w ? e & 7 : 0;
  }
  const s = slotsOf(h);
  const end = s + (<usize>blockCap(h) << 2);
  for (let q = s; q < end; q += 4) {
    const e = load<u32>(q);
    if (e != 0 && e >>> table.PSHIFT == w) return e & 7;
  }
  return 0;
}
