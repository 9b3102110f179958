// The typed-array views a trigger hands back, reused across triggers. Creating two fresh views per
// trigger cost ~70 ns on this machine, as much as the whole core call for a path with one watcher
// (the sparse shape, where every trigger fires a single watch). TriggerResult views are only valid
// until the next call on the manager anyway, so handing out the same view object again is within
// the contract. A cached view is keyed by its length and dropped when the memory buffer or the
// position of the output / frame buffer changes (the core keeps both positions in its status words).

import { StatusWord } from './status.js';

/** Views are cached for lists and frames up to these lengths; longer ones are made per call. */
const MAX_CACHED_LIST = 256;
const MAX_CACHED_FRAME = 1024;

export interface ResultPair {
  readonly watchers: Int32Array;
  readonly frame: Uint8Array;
}

export class ResultViews {
  private buffer: ArrayBuffer | null = null;
  private outAt = -1;
  private frameAt = -1;
  private lists: (Int32Array | undefined)[] = [];
  private frames: (Uint8Array | undefined)[] = [];

  /**
   * The views for a trigger that listed `n` watchers; `status` is the core's status words (output
   * ptr, frame ptr, frame length) read through an Int32Array over `buffer`.
   */
  result(buffer: ArrayBuffer, words: Int32Array, statusWord: number, n: number): ResultPair {
    const outAt = words[statusWord + StatusWord.OUTPUT]!;
    const frameAt = words[statusWord + StatusWord.FRAME]!;
    const frameLen = words[statusWord + StatusWord.FRAME_LEN]!;
    if (buffer !== this.buffer || outAt !== this.outAt || frameAt !== this.frameAt) {
      this.buffer = buffer;
      this.outAt = outAt;
      this.frameAt = frameAt;
      this.lists = [];
      this.frames = [];
    }
    return { watchers: this.list(n), frame: this.frame(frameLen) };
  }

  private list(n: number): Int32Array {
    if (n > MAX_CACHED_LIST) return new Int32Array(this.buffer!, this.outAt, n);
    return (this.lists[n] ??= new Int32Array(this.buffer!, this.outAt, n));
  }

  private frame(len: number): Uint8Array {
    if (len > MAX_CACHED_FRAME) return new Uint8Array(this.buffer!, this.frameAt, len);
    return (this.frames[len] ??= new Uint8Array(this.buffer!, this.frameAt, len));
  }
}
