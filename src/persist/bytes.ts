// File-format primitives for the persistence layer: big-endian ints and longs, jute-style buffers
// and UTF-8 strings (int32 length, -1 = null), and the Adler-32 checksum ZooKeeper uses for both
// transaction log records (FileTxnLog) and snapshot seals (SnapStream). Kept inside src/persist so
// the on-disk format does not depend on the wire codec; the shapes match jute's BinaryInputArchive.

/** Thrown by ByteReader when a read runs past the end of the bytes it was given. */
export class Underflow extends Error {
  constructor(readonly needed: number) {
    super(`need ${needed} more bytes`);
    this.name = 'Underflow';
  }
}

/** Thrown for bytes that can never be valid (negative or absurd lengths, bad magic). */
export class FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormatError';
  }
}

/** Largest length prefix accepted for one buffer or string; ZooKeeper's own reader rejects
 *  lengths past jute.maxbuffer, we allow far more so a legal 1 MB znode never trips it. */
export const MAX_FIELD_BYTES = 64 * 1024 * 1024;

const TWO_32 = 2 ** 32;

export class ByteReader {
  pos: number;

  constructor(readonly buf: Buffer, pos = 0, readonly end = buf.length) {
    this.pos = pos;
  }

  private take(n: number): number {
    const at = this.pos;
    if (at + n > this.end) throw new Underflow(at + n - this.end);
    this.pos = at + n;
    return at;
  }

  int(): number {
    return this.buf.readInt32BE(this.take(4));
  }

  long(): bigint {
    const at = this.take(8);
    const hi = this.buf.readInt32BE(at);
    // Same fast path as the writer: a long whose high word is small is exact as a double.
    if (hi >= -0x200000 && hi < 0x200000) return BigInt(hi * TWO_32 + this.buf.readUInt32BE(at + 4));
    return this.buf.readBigInt64BE(at);
  }

  byte(): number {
    return this.buf[this.take(1)];
  }

  /** Length-prefixed bytes; a view into the underlying buffer (copy before the buffer is reused). */
  bytesView(): Buffer | null {
    const len = this.int();
    if (len === -1) return null;
    if (len < -1 || len > MAX_FIELD_BYTES) throw new FormatError(`unreasonable length ${len}`);
    const at = this.take(len);
    return this.buf.subarray(at, at + len);
  }

  /** Length-prefixed bytes copied out, so they outlive a reused read buffer. */
  bytes(): Buffer | null {
    const v = this.bytesView();
    return v === null ? null : Buffer.from(v);
  }

  ustring(): string | null {
    const v = this.bytesView();
    return v === null ? null : v.toString('utf8');
  }

  remaining(): number {
    return this.end - this.pos;
  }
}

/** A growable big-endian writer. `reset()` keeps the allocation so chunked writers reuse it. */
export class ByteWriter {
  buf: Buffer;
  /** A DataView over `buf`: V8 compiles DataView's setters inline, Buffer's write*BE are calls. */
  private dv: DataView;
  pos = 0;

  constructor(initial = 4096) {
    this.buf = Buffer.allocUnsafe(initial);
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  }

  private room(n: number): number {
    if (this.pos + n > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
      this.buf.copy(next, 0, 0, this.pos);
      this.buf = next;
      this.dv = new DataView(next.buffer, next.byteOffset, next.length);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  // Each write reserves room before touching `this.buf`: room() may swap in a bigger buffer, and
  // `this.buf.write(v, this.room(n))` would evaluate the old buffer first.
  int(v: number): this {
    const at = this.room(4);
    this.dv.setInt32(at, v);
    return this;
  }

  /** A jute long; values outside the signed 64-bit range wrap, as Java's long arithmetic does. */
  long(v: bigint): this {
    const at = this.room(8);
    // setBigInt64 is optimized by V8 (~10 ns); Buffer.writeBigInt64BE costs ~10x that.
    this.dv.setBigInt64(at, v);
    return this;
  }

  byte(v: number): this {
    const at = this.room(1);
    this.buf[at] = v;
    return this;
  }

  raw(b: Uint8Array): this {
    const at = this.room(b.length);
    this.buf.set(b, at);
    return this;
  }

  bytes(b: Uint8Array | null): this {
    if (b === null) return this.int(-1);
    return this.int(b.length).raw(b);
  }

  /** UTF-8 bytes with no length prefix. */
  text(s: string): this {
    if (s.length <= SHORT_ASCII && this.asciiInto(s, s.length)) return this;
    const len = Buffer.byteLength(s, 'utf8');
    const at = this.room(len);
    this.buf.write(s, at, len, 'utf8');
    return this;
  }

  ustring(s: string | null): this {
    if (s === null) return this.int(-1);
    if (s.length <= SHORT_ASCII) {
      const head = this.pos;
      this.int(s.length);
      if (this.asciiInto(s, s.length)) return this;
      this.pos = head;
    }
    const len = Buffer.byteLength(s, 'utf8');
    this.int(len);
    const at = this.room(len);
    this.buf.write(s, at, len, 'utf8');
    return this;
  }

  /**
   * Copies a short string byte by byte if it is all ASCII (znode paths nearly always are): for a
   * few dozen characters this beats the native UTF-8 encoder's call overhead. Writes nothing and
   * returns false at the first non-ASCII character.
   */
  private asciiInto(s: string, n: number): boolean {
    const at = this.room(n);
    const buf = this.buf;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) {
        this.pos = at;
        return false;
      }
      buf[at + i] = c;
    }
    return true;
  }

  /** The bytes written so far (a view: copy it if the writer is reused). */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  reset(): void {
    this.pos = 0;
  }
}

/** Strings up to this length try the ASCII byte loop first. */
const SHORT_ASCII = 64;

const ADLER_MOD = 65521;
// Longest run of bytes before the sums are reduced: kept in small integers (`| 0`) so V8 stays on
// int32 arithmetic, which holds while 255·n(n+1)/2 + (n+1)·65520 < 2^31, i.e. n < ~3850 (zlib's
// NMAX of 5552 assumes unsigned 32-bit sums).
const ADLER_RUN = 3800;

/** Adler-32 as java.util.zip.Adler32; pass the previous value to continue a running checksum. */
export function adler32(data: Uint8Array, start = 0, end = data.length, prev = 1): number {
  let a = prev & 0xffff;
  let b = (prev >>> 16) & 0xffff;
  let i = start;
  while (i < end) {
    const stop = Math.min(end, i + ADLER_RUN);
    // Eight bytes per step: unrolled, the loop runs ~2x faster (snapshots checksum every byte).
    for (const stop8 = stop - 7; i < stop8; i += 8) {
      a = (a + data[i]!) | 0; b = (b + a) | 0;
      a = (a + data[i + 1]!) | 0; b = (b + a) | 0;
      a = (a + data[i + 2]!) | 0; b = (b + a) | 0;
      a = (a + data[i + 3]!) | 0; b = (b + a) | 0;
      a = (a + data[i + 4]!) | 0; b = (b + a) | 0;
      a = (a + data[i + 5]!) | 0; b = (b + a) | 0;
      a = (a + data[i + 6]!) | 0; b = (b + a) | 0;
      a = (a + data[i + 7]!) | 0; b = (b + a) | 0;
    }
    for (; i < stop; i++) {
      a = (a + data[i]!) | 0;
      b = (b + a) | 0;
    }
    a %= ADLER_MOD;
    b %= ADLER_MOD;
  }
  return ((b << 16) | a) >>> 0;
}
