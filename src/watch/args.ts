// Argument checks shared by both WatchManager implementations, so they reject the same inputs.
import { WatcherMode, type WatcherModeBit } from './types.js';

/**
 * Watcher ids are small dense integers from the caller's connection table. The WASM core packs a
 * watcher id with its 3 mode bits and a tag bit into 32 bits, hence the 2^28 bound.
 */
export const MAX_WATCHER_ID = 2 ** 28 - 1;

export function checkWatcher(watcher: number): void {
  // One AND answers "integer in [0, 2^28)": fractions, negatives and NaN all change under it.
  if ((watcher & MAX_WATCHER_ID) !== watcher) {
    throw new RangeError(`watcher id must be an integer in [0, ${MAX_WATCHER_ID}], got ${watcher}`);
  }
}

/** A single mode bit (Standard 1, Persistent 2, PersistentRecursive 4). */
export function checkMode(mode: number): asserts mode is WatcherModeBit {
  if (mode !== WatcherMode.Standard && mode !== WatcherMode.Persistent && mode !== WatcherMode.PersistentRecursive) {
    throw new RangeError(`watcher mode must be 1, 2 or 4, got ${mode}`);
  }
}
