// Typed view of the WASM watch core's exports (assembly/index.ts). Numbers only: i32/u32 as
// number, the trigger's zxid as an i64 (bigint), booleans as 0/1. Pointers are byte offsets
// into the instance's memory.
export interface WatchCoreExports {
  init(seed: number): void;
  recover(): void;

  inputPtr(): number;
  inputCap(): number;
  framePtr(): number;
  outputPtr(): number;
  outputCap(): number;
  ensureInput(bytes: number): void;
  ensureOutput(ids: number): void;
  /** Address of three u32 words: output ptr, frame ptr, length of the last frame. Never moves. */
  statusPtr(): number;

  /** -1 invalid path, else (path id << 2) | 2 when the path was interned now | 1 when the mode was new. */
  addWatch(len: number, watcher: number, mode: number): number;
  /** addWatch by a path id addWatch returned: 1 mode added, 0 already there, -2 id not live. */
  addWatchId(pathId: number, watcher: number, mode: number): number;
  /** mode 0 = any. 1 / 0, -1 invalid path. */
  containsWatch(len: number, watcher: number, mode: number): number;
  /** mode 0 = all modes. 1 removed, 0 nothing, -1 invalid path. */
  removeWatch(len: number, watcher: number, mode: number): number;
  removeWatcher(watcher: number): void;
  /** Ends at most `budget` of the watcher's entries: budget left once it is gone, or -1 (call again). */
  removeWatcherSome(watcher: number, budget: number): number;
  /** Number of watchers listed at outputPtr(), or -1 for an invalid path. */
  trigger(len: number, type: number, zxid: bigint, suppressed: number): number;
  /** trigger by a path id addWatch returned; -2 when the id is not live. */
  triggerId(pathId: number, type: number, zxid: bigint, suppressed: number): number;

  /** Lists ids from slot `from` until the output buffer is full; see reportCursor. */
  reportWatcher(watcher: number, from: number): number;
  reportPath(pathId: number, from: number): number;
  /** Slot to pass as `from` to continue the last report, or REPORT_DONE (0xffffffff as i32: -1). */
  reportCursor(): number;
  pairModes(pathId: number, watcher: number): number;
  pathIdLimit(): number;
  pathLive(pathId: number): number;
  pathBytes(pathId: number): number;
  pathLength(pathId: number): number;
  /** Retired (emptied) paths are swept once more than this many wait (assembly/paths.ts); for tests. */
  setSweepMin(paths: number): void;
  validPath(ptr: number, len: number): number;
  /** 0 when every table invariant holds, else the number of the first broken one (check.ts). */
  checkTable(): number;

  totalWatches(): number;
  connections(): number;
  pathsWatched(): number;
  recursiveWatches(): number;
  watcherLimit(): number;
  isRegistered(watcher: number): number;
  heapBytes(): number;
}
