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

export class JuteReader {
  private readonly view: DataView;
  offset: number;

  constructor(readonly buf: Uint8Array, offset = 0, readonly end = buf.length) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
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
    return this.view.getInt32(this.need(4));
  }

  long(): bigint {
    return this.view.getBigInt64(this.need(8));
  }

  bool(): boolean {
    return this.buf[this.need(1)] !== 0;
  }

  /** A length-prefixed byte buffer; null for length -1 (Java's null byte[]). Copies out of the frame. */
  buffer(): Buffer | null {
    const len = this.int();
    if (len === -1) return null;
    if (len < -1) throw new JuteError(`negative buffer length ${len}`);
    const at = this.need(len);
    return Buffer.from(this.buf.subarray(at, at + len));
  }

  /** A length-prefixed UTF-8 string; null for length -1. */
  ustring(): string | null {
    const len = this.int();
    if (len === -1) return null;
    if (len < -1) throw new JuteError(`negative string length ${len}`);
    const at = this.need(len);
    return Buffer.from(this.buf.buffer, this.buf.byteOffset + at, len).toString('utf8');
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
    const at = this.ensure(4); // before reading this.view: ensure may replace it
    this.view.setInt32(at, v);
    return this;
  }

  long(v: bigint): this {
    const at = this.ensure(8);
    this.view.setBigInt64(at, BigInt.asIntN(64, v));
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

  ustring(v: string | null): this {
    if (v === null) return this.int(-1);
    const len = Buffer.byteLength(v, 'utf8');
    this.int(len);
    const at = this.ensure(len);
    this.buf.write(v, at, len, 'utf8');
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
    this.view.setInt32(at, v);
  }

  /** A copy of the bytes written so far. */
  bytes(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.offset));
  }
}
