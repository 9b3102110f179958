// The drop-in watch manager interface, shaped after Apache ZooKeeper's
// server/watch/IWatchManager.java (3.9 semantics). Watchers are small dense integer ids handed out
// by the caller (a session/connection table); paths are ZooKeeper paths as strings or UTF-8 bytes.

/** Bits of a watch's modes on one (path, watcher) pair, as ZooKeeper's WatchStats keeps them. */
export const WatcherMode = {
  Standard: 1,
  Persistent: 2,
  PersistentRecursive: 4,
} as const;
export type WatcherModeBit = (typeof WatcherMode)[keyof typeof WatcherMode];

export interface WatchesSummary {
  /** Number of watchers holding at least one watch (ZooKeeper: connections). */
  numConnections: number;
  /** Number of distinct watched paths. */
  numPaths: number;
  /** Number of (path, watcher) pairs. */
  totalWatches: number;
}

/**
 * The result of one trigger. `watchers` lists each watcher to notify exactly once (suppressed ones
 * excluded); `frame` is the whole notification frame (length prefix, ReplyHeader{-1, zxid, 0},
 * WatcherEvent{type, 3, path}), built once and shared by every recipient.
 *
 * Both are views that stay valid only until the next call on the same manager: copy what you keep.
 */
export interface TriggerResult {
  readonly watchers: Int32Array;
  readonly frame: Uint8Array;
}

export interface WatchManager {
  /**
   * Adds a watch of `mode` (default Standard) on `path` for `watcher`. Returns true when the mode
   * was new for that pair, false when it was already there (ZooKeeper's addWatch contract).
   * Throws InvalidPathError for a path ZooKeeper's PathUtils rejects; nothing changes then.
   */
  addWatch(path: string | Uint8Array, watcher: number, mode?: WatcherModeBit): boolean;

  /** True when `watcher` has a watch on `path` (of `mode`, when given). */
  containsWatcher(path: string | Uint8Array, watcher: number, mode?: WatcherModeBit): boolean;

  /**
   * Removes one mode (or, without `mode`, every mode) of the watch on (path, watcher). Returns true
   * when something was removed (ZooKeeper's removeWatcher(path, watcher, mode)).
   */
  removeWatch(path: string | Uint8Array, watcher: number, mode?: WatcherModeBit): boolean;

  /** Removes every watch of `watcher` (session close); cost proportional to its own watches. */
  removeWatcher(watcher: number): void;

  /**
   * Fires the watches matching `path` for an event of `type`: standard watches on the path fire
   * and are removed; persistent ones fire and stay; persistent-recursive ones on the path and on
   * every ancestor fire and stay. Watchers in `suppress` (the watchers of an earlier trigger) lose
   * their one-shot watches but are not listed again (ZooKeeper's delete path).
   */
  triggerWatch(
    path: string | Uint8Array,
    type: number,
    zxid: bigint,
    suppress?: ArrayLike<number>,
  ): TriggerResult;

  /** Number of (path, watcher) pairs, as IWatchManager.size(). */
  size(): number;

  /** wchs: totals. */
  summary(): WatchesSummary;

  /** wchc: watched paths by watcher. */
  watchesByWatcher(): Map<number, string[]>;

  /** wchp: watchers by path. */
  watchesByPath(): Map<string, number[]>;
}

/** Thrown for a path ZooKeeper's PathUtils.validatePath rejects. */
export class InvalidPathError extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(`Invalid path string "${path}" caused by ${reason}`);
    this.name = 'InvalidPathError';
  }
}

/** Thrown when the WASM core cannot grow its memory; the table is left as it was. */
export class WatchMemoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WatchMemoryError';
  }
}
