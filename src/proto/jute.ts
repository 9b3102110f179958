// Jute binary encoding (zookeeper-jute's BinaryInputArchive / BinaryOutputArchive): big-endian
// int32/int64, one-byte booleans, int32-length-prefixed buffers and UTF-8 strings where length -1
// means null, and int32-count-prefixed vectors (-1 also null). Reader and writer know nothing of
// records; records are described in schema.ts.

/** Thrown when a record runs past the end of its frame or carries an impossible length. */
export class JuteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JuteError';
  }
}

/**
 * Reads a record from a frame. Ints and bytes are read straight from the array (no DataView per
 * request: a reader is made for every request, and most requests hold no 64-bit field); strings
 * decode from the frame in place.
 */
export class JuteReader {
  private readonly b: Buffer;
  private dv: DataView | null = null;
  offset: number;

  constructor(readonly buf: Uint8Array, offset = 0, readonly end = buf.length) {
    this.b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    this.offset = offset;
  }

  /** Bytes left before `end`. */
  remaining(): number {
    return this.end - this.offset;
  }

  private need(n: number): number {
    const at = this.offset;
    if (n < 0 || at + n > this.end) throw new JuteError(`truncated record: need ${n} bytes at ${at}, end ${this.end}`);
    this.offset = at + n;
    return at;
  }

  int(): number {
    const at = this.need(4);
    const b = this.b;
    return (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
  }

  long(): bigint {
    const at = this.need(8);
    const b = this.b;
    return (this.dv ??= new DataView(b.buffer, b.byteOffset, b.byteLength)).getBigInt64(at);
  }

  bool(): boolean {
    return this.b[this.need(1)] !== 0;
  }

  /** A length-prefixed byte buffer; null for length -1 (Java's null byte[]). Copies out of the frame. */
  buffer(): Buffer | null {
    const len = this.int();
    if (len === -1) return null;
    if (len < -1) throw new JuteError(`negative buffer length ${len}`);
    const at = this.need(len);
    const out = Buffer.allocUnsafe(len);
    this.b.copy(out, 0, at, at + len);
    return out;
  }

  /** A length-prefixed UTF-8 string; null for length -1. */
  ustring(): string | null {
    const len = this.int();
    if (len === -1) return null;
    if (len < -1) throw new JuteError(`negative string length ${len}`);
    const at = this.need(len);
    return this.b.toString('utf8', at, at + len);
  }

  /** A count-prefixed vector; null for count -1. The count is checked against the bytes left. */
  vector<T>(item: (r: JuteReader) => T): T[] | null {
    const n = this.int();
    if (n === -1) return null;
    if (n < -1 || n > this.remaining()) throw new JuteError(`bad vector length ${n}`);
    const out: T[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = item(this);
    return out;
  }
}

/**
 * A growable output buffer. `reset()` keeps the allocation, so one writer can serve every reply
 * built in a loop turn; `bytes()` copies out what was written.
 */
export class JuteWriter {
  private buf: Buffer;
  private view: DataView;
  offset = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  reset(): this {
    this.offset = 0;
    return this;
  }

  private ensure(n: number): number {
    const at = this.offset;
    if (at + n > this.buf.length) this.grow(at + n);
    this.offset = at + n;
    return at;
  }

  private grow(min: number): void {
    const next = Buffer.allocUnsafe(Math.max(min, this.buf.length * 2));
    this.buf.copy(next, 0, 0, this.offset);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  int(v: number): this {
    const at = this.ensure(4); // before reading this.buf: ensure may replace it
    const b = this.buf;
    b[at] = v >>> 24;
    b[at + 1] = v >>> 16;
    b[at + 2] = v >>> 8;
    b[at + 3] = v;
    return this;
  }

  long(v: bigint): this {
    const at = this.ensure(8);
    this.view.setBigInt64(at, v); // wraps modulo 2^64 itself, as BigInt.asIntN(64, v) would
    return this;
  }

  bool(v: boolean): this {
    const at = this.ensure(1);
    this.buf[at] = v ? 1 : 0;
    return this;
  }

  raw(bytes: Uint8Array): this {
    const at = this.ensure(bytes.length);
    this.buf.set(bytes, at);
    return this;
  }

  buffer(v: Uint8Array | null): this {
    if (v === null) return this.int(-1);
    this.int(v.length);
    return this.raw(v);
  }

  /** One encoding pass: room for the worst case (3 bytes per UTF-16 unit), length patched after. */
  ustring(v: string | null): this {
    if (v === null) return this.int(-1);
    const at = this.ensure(4 + v.length * 3);
    const len = this.buf.write(v, at + 4, 'utf8');
    this.offset = at + 4 + len;
    this.patchInt(at, len);
    return this;
  }

  vector<T>(items: readonly T[] | null, item: (w: JuteWriter, v: T) => void): this {
    if (items === null) return this.int(-1);
    this.int(items.length);
    for (const v of items) item(this, v);
    return this;
  }

  /** Overwrites an int already written at `at` (frame length prefixes). */
  patchInt(at: number, v: number): void {
    const b = this.buf;
    b[at] = v >>> 24;
    b[at + 1] = v >>> 16;
    b[at + 2] = v >>> 8;
    b[at + 3] = v;
  }

  /** The bytes written so far, without a copy: valid until the next write or reset. */
  written(): Buffer {
    return this.buf.subarray(0, this.offset);
  }

  /** A copy of the bytes written so far. */
  bytes(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.offset));
  }
}
