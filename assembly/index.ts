// The WASM watch core's export surface: numbers in, numbers out. Paths travel as UTF-8 bytes
// that JS writes at inputPtr(); lists come back as u32 ids at outputPtr(); the notification frame
// at framePtr(). See src/wasm/watchcore.ts for the typed view of these exports.
import { setSeed } from './hash';
import { initPaths, recoverPaths, pathCount, pathIdLimit, pathLive, pathBytes, pathLength, setSweepMin } from './paths';
import { initWatchers, watcherCap } from './watchers';
import { initIo, totalCount } from './io';
import { heapBytes as heapBytesNow } from './mem';
import * as table from './table';

export { inputPtr, inputCap, framePtr, outputPtr, outputCap, ensureInput, ensureOutput, statusPtr } from './io';
export { addWatch, addWatchId, containsWatch, removeWatch, removeWatcher, removeWatcherSome } from './table';
export { trigger, triggerId } from './trigger';
export { reportWatcher, reportPath, reportCursor, pairModes } from './report';
export { pathIdLimit, pathLive, pathBytes, pathLength, setSweepMin };
export { validPath } from './validate';
export { checkTable } from './check';

/** Sets up the tables; call once after instantiation. */
export function init(seed: u32): void {
  setSeed(seed);
  initIo(); // first: the others publish their tables' addresses in its status words
  initPaths();
  initWatchers();
}

/** Undoes what a trapped call may have reserved (a bytes block for a new path). */
export function recover(): void {
  recoverPaths();
}

export function totalWatches(): u32 {
  return totalCount();
}
export function connections(): u32 {
  return table.connections;
}
export function pathsWatched(): u32 {
  return pathCount();
}
export function recursiveWatches(): u32 {
  return table.recursiveQty;
}
export function watcherLimit(): u32 {
  return watcherCap();
}
export function isRegistered(w: u32): bool {
  return table.isRegistered(w);
}
/** Bytes in live heap blocks (tables, sets, path copies, buffers), allocator headers included. */
export function heapBytes(): usize {
  return heapBytesNow;
}
