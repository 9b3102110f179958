// Splits a byte stream into length-prefixed frames. Knows nothing of sockets: feed chunks, get
// frames. A length that is negative or above jute.maxbuffer is a protocol error (ZooKeeper closes
// the connection: NIOServerCnxn.readLength, "Len error").
//
// Cost: a chunk holding whole frames is cut in place (subarrays, no copy). Partial chunks are only
// collected until the next frame is complete, then joined once, so a large frame arriving in many
// small reads is copied once rather than once per read. The state of a partial frame is the only
// per-connection memory: `cutFrames` needs none, so a connection can hold a Framer only while a
// partial frame is pending (most of ten thousand idle connections hold none).

export class FrameError extends Error {
  constructor(readonly length: number) {
    super(`Len error ${length}`);
    this.name = 'FrameError';
  }
}

/** The length prefix at `at`; a negative length or one above maxFrame is a protocol error. */
function lengthAt(buf: Buffer, at: number, maxFrame: number): number {
  const len = buf.readInt32BE(at);
  if (len < 0 || len > maxFrame) throw new FrameError(len);
  return len;
}

/**
 * Appends every whole frame at the start of `buf` to `frames` (subarrays, no copy) and returns
 * where the unconsumed tail (a partial frame, possibly empty) begins. Checks the length of a
 * partial frame too, so a bad length closes the connection as soon as its four bytes are in.
 */
export function cutFrames(buf: Buffer, maxFrame: number, frames: Buffer[]): number {
  let at = 0;
  while (buf.length - at >= 4) {
    const len = lengthAt(buf, at, maxFrame);
    if (buf.length - at < 4 + len) break;
    frames.push(buf.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  return at;
}

export class Framer {
  /** Chunks of an incomplete frame, oldest first; null when nothing is buffered. */
  private pending: Buffer[] | null = null;
  private pendingBytes = 0;
  /** Bytes needed before the next frame can be cut: 4 until its length is known. */
  private want = 4;

  constructor(private readonly maxFrame: number) {}

  /** Bytes buffered but not yet part of a whole frame. */
  get buffered(): number {
    return this.pendingBytes;
  }

  /** Adds a chunk; returns the whole frames it completes (payloads, without the length prefix). */
  push(chunk: Buffer): Buffer[] {
    const total = this.pendingBytes + chunk.length;
    if (total < this.want) {
      this.keep(chunk, total);
      return [];
    }
    const buf = this.pending === null ? chunk : Buffer.concat([...this.pending, chunk], total);
    this.pending = null;
    this.pendingBytes = 0;
    this.want = 4;
    return this.cut(buf);
  }

  private keep(chunk: Buffer, total: number): void {
    if (chunk.length === 0) return;
    (this.pending ??= []).push(chunk);
    this.pendingBytes = total;
    if (this.want === 4 && total >= 4) this.want = 4 + lengthAt(this.pending.length === 1 ? chunk : Buffer.concat(this.pending, total), 0, this.maxFrame);
  }

  /** Cuts every whole frame out of `buf`; keeps the tail for the next push. */
  private cut(buf: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    const at = cutFrames(buf, this.maxFrame, frames);
    if (at < buf.length) this.keep(buf.subarray(at), buf.length - at);
    return frames;
  }
}
