// Report iteration for wchc/wchp/wchs (WatchManager.getWatches, getWatchesByPath,
// getWatchesSummary). JS walks ids with these exports and reads each list from the output buffer;
// path bytes are read straight from the interned copy. Reports are rare, so clarity beats speed.
import { ensureOutput, putOut } from './io';
import { isInline, inlineEntry, blockCap, slotsOf, setCount } from './idset';
import * as paths from './paths';
import * as watchers from './watchers';
import * as table from './table';

let listed: u32 = 0;

/** Lists the live path ids of watcher `w` in the output buffer; returns how many. */
export function reportWatcher(w: u32): u32 {
  listed = 0;
  if (!table.isRegistered(w)) return 0;
  const ws = watchers.watcherSet(w);
  ensureOutput(setCount(ws));
  if (isInline(ws)) listPathIfLive(inlineEntry(ws), w);
  else if (ws) {
    const s = slotsOf(ws);
    const end = s + (<usize>blockCap(ws) << 2);
    for (let q = s; q < end; q += 4) listPathIfLive(load<u32>(q), w);
  }
  return listed;
}

function listPathIfLive(id: u32, w: u32): void {
  if (id != 0 && table.pairLive(id, w)) putOut(listed++, id);
}

/** Lists the watcher ids on path `id` in the output buffer; returns how many. */
export function reportPath(id: u32): u32 {
  listed = 0;
  if (!paths.pathLive(id)) return 0;
  const h = paths.pathSet(id);
  ensureOutput(setCount(h));
  if (isInline(h)) putOut(listed++, inlineEntry(h) >>> table.PSHIFT);
  else {
    const s = slotsOf(h);
    const end = s + (<usize>blockCap(h) << 2);
    for (let q = s; q < end; q += 4) {
      const e = load<u32>(q);
      if (e) putOut(listed++, e >>> table.PSHIFT);
    }
  }
  return listed;
}

/** Mode bits of the pair (path id, watcher), 0 when absent. For tests and debugging. */
export function pairModes(id: u32, w: u32): u32 {
  if (!paths.pathLive(id)) return 0;
  const h = paths.pathSet(id);
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
