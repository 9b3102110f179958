// Chunked, async reading of a file for synchronous parsers. A parser runs over the bytes already
// in memory; if it runs out (Underflow) the cursor reads more and the parser is retried from the
// same start. So the disk is touched once per chunk, not per field, and a multi-GB snapshot never
// has to fit in one buffer. Bytes dropped from the window are handed to `onDiscard` first, which
// lets the snapshot reader keep a running Adler-32 over everything consumed.
import type { FileHandle } from 'node:fs/promises';
import { ByteReader, Underflow } from './bytes.js';

const CHUNK = 1 << 20;

export class FileCursor {
  private buf = Buffer.alloc(0);
  /** File offset of buf[0]. */
  private base = 0;
  /** Offset in buf of the next unparsed byte. */
  private pos = 0;
  private eof = false;

  constructor(
    private readonly fh: FileHandle,
    private readonly onDiscard?: (bytes: Buffer) => void,
  ) {}

  /** File offset of the next unparsed byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** True once the file end is in the window and everything before it was parsed. */
  async atEnd(): Promise<boolean> {
    if (this.pos < this.buf.length) return false;
    if (!this.eof) await this.readMore(1);
    return this.pos >= this.buf.length;
  }

  /**
   * Runs `parse` on the unparsed bytes and advances past what it consumed. Returns null when the
   * file ends before the parse could complete (a torn tail); other errors propagate.
   */
  async parse<T>(parse: (r: ByteReader) => T): Promise<T | null> {
    for (;;) {
      const r = new ByteReader(this.buf, this.pos, this.buf.length);
      try {
        const v = parse(r);
        this.pos = r.pos;
        return v;
      } catch (e) {
        if (!(e instanceof Underflow)) throw e;
        if (this.eof) return null;
        await this.readMore(e.needed);
      }
    }
  }

  /** Consumed bytes not yet handed to onDiscard: with them, a running checksum is complete. */
  consumedInWindow(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  private async readMore(needed: number): Promise<void> {
    if (this.pos > 0) this.onDiscard?.(this.buf.subarray(0, this.pos));
    const keep = this.buf.subarray(this.pos);
    const want = Math.max(CHUNK, needed + keep.length);
    const next = Buffer.allocUnsafe(want);
    keep.copy(next, 0);
    let filled = keep.length;
    const fileOffset = this.base + this.buf.length;
    while (filled < want) {
      const { bytesRead } = await this.fh.read(next, filled, want - filled, fileOffset + filled - keep.length);
      if (bytesRead === 0) {
        this.eof = true;
        break;
      }
      filled += bytesRead;
    }
    this.base += this.pos;
    this.pos = 0;
    this.buf = next.subarray(0, filled);
  }
}
