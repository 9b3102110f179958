// Splits a byte stream into length-prefixed frames. Knows nothing of sockets: feed chunks, get
// frames. A length that is negative or above jute.maxbuffer is a protocol error (ZooKeeper closes
// the connection: NIOServerCnxn.readLength, "Len error").

export class FrameError extends Error {
  constructor(readonly length: number) {
    super(`Len error ${length}`);
    this.name = 'FrameError';
  }
}

export class Framer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxFrame: number) {}

  /** Bytes buffered but not yet part of a whole frame. */
  get buffered(): number {
    return this.pendingBytes;
  }

  /** Adds a chunk; returns the whole frames it completes (payloads, without the length prefix). */
  push(chunk: Buffer): Buffer[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const frames: Buffer[] = [];
    for (let f = this.next(); f !== null; f = this.next()) frames.push(f);
    return frames;
  }

  /** The first four buffered bytes, if there are four (the 4-letter-word check). */
  peek4(): Buffer | null {
    if (this.pendingBytes < 4) return null;
    this.coalesce();
    return this.pending[0]!.subarray(0, 4);
  }

  private coalesce(): void {
    if (this.pending.length > 1) this.pending = [Buffer.concat(this.pending, this.pendingBytes)];
  }

  private next(): Buffer | null {
    if (this.pendingBytes < 4) return null;
    this.coalesce();
    const buf = this.pending[0]!;
    const len = buf.readInt32BE(0);
    if (len < 0 || len > this.maxFrame) throw new FrameError(len);
    if (buf.length < 4 + len) return null;
    const frame = buf.subarray(4, 4 + len);
    const rest = buf.subarray(4 + len);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    return frame;
  }
}
