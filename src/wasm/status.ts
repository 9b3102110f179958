// The core's status words (assembly/io.ts): values JS reads from memory without a call into WASM.
// Indices are in 32-bit words from statusPtr() >>> 2; the byte offsets in io.ts are these times 4.
export const StatusWord = {
  /** Start of the output block (trigger results). */
  OUTPUT: 0,
  /** Start of the notification frame. */
  FRAME: 1,
  /** Length of the last frame built. */
  FRAME_LEN: 2,
  /** Paths with watches (live interned paths). */
  PATHS: 3,
  /** Watch pairs in the table (IWatchManager.size); fast-add.ts bumps it. */
  TOTAL: 4,
  /** Where the path records start. */
  PATH_RECS: 5,
  /** Where the watcher records start. */
  WATCHER_RECS: 6,
  /** Watcher ids the watcher records have room for. */
  WATCHER_CAP: 7,
} as const;
