// File-format primitives: Adler-32 against known values, writer growth, reader bounds.
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, FormatError, Underflow, adler32 } from '../../../src/persist/bytes.js';

describe('adler32', () => {
  it('matches java.util.zip.Adler32 on known inputs, whole or continued', () => {
    expect(adler32(Buffer.from('Wikipedia'))).toBe(0x11e60398);
    expect(adler32(Buffer.alloc(0))).toBe(1);
    const big = Buffer.alloc(3_000_000, 0xff);
    const whole = adler32(big);
    expect(adler32(big, 1_234_567, big.length, adler32(big, 0, 1_234_567))).toBe(whole);
  });

  it('agrees with the definition (sums mod 65521) at every length around its reduction runs', () => {
    // The fast version sums in int32 runs and unrolls by 8: check lengths across run and unroll
    // boundaries, all-0xff bytes (largest sums) and a continued value with both halves near 65520.
    const naive = (d: Uint8Array, prev: number): number => {
      let a = prev & 0xffff;
      let b = prev >>> 16;
      for (const x of d) {
        a = (a + x) % 65521;
        b = (b + a) % 65521;
      }
      return ((b << 16) | a) >>> 0;
    };
    const ff = Buffer.alloc(12_000, 0xff);
    const rnd = Buffer.from(Array.from({ length: 12_000 }, (_, i) => (i * 2654435761) >>> 24));
    for (const len of [0, 1, 7, 8, 9, 3799, 3800, 3801, 7600, 7607, 12_000]) {
      for (const prev of [1, 0xfff0fff0]) {
        expect(adler32(ff, 0, len, prev)).toBe(naive(ff.subarray(0, len), prev));
        expect(adler32(rnd, 12_000 - len, 12_000, prev)).toBe(naive(rnd.subarray(12_000 - len), prev));
      }
    }
  });
});

describe('ByteWriter', () => {
  it('keeps every field when writes outgrow the buffer', () => {
    const w = new ByteWriter(8);
    for (let i = 0; i < 100; i++) w.int(i).long(BigInt(i) * -1_000_000_007n).byte(i).ustring(`s${i}`).bytes(Buffer.alloc(i, i));
    w.long(-(2n ** 63n)).long(2n ** 63n - 1n).long(2n ** 53n + 1n);
    const r = new ByteReader(Buffer.from(w.view()));
    for (let i = 0; i < 100; i++) {
      expect([r.int(), r.long(), r.byte(), r.ustring(), r.bytes()]).toEqual([i, BigInt(i) * -1_000_000_007n, i, `s${i}`, Buffer.alloc(i, i)]);
    }
    expect([r.long(), r.long(), r.long()]).toEqual([-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n + 1n]);
    expect(r.remaining()).toBe(0);
  });

  it('writes strings as UTF-8 whether ASCII, not, short or long', () => {
    const samples = ['', '/a', '/caf\u00e9', '/\u{1f600}/x', '/' + 'p'.repeat(63), '/' + 'q'.repeat(64), '/' + 'r'.repeat(200) + '\u00e9'];
    const w = new ByteWriter(8);
    for (const s of samples) w.ustring(s).text(s);
    const r = new ByteReader(Buffer.from(w.view()));
    for (const s of samples) {
      expect(r.ustring()).toBe(s);
      const len = Buffer.byteLength(s);
      expect(r.buf.subarray(r.pos, r.pos + len).toString('utf8')).toBe(s);
      r.pos += len;
    }
    expect(r.remaining()).toBe(0);
  });

  it('null buffers and strings are length -1', () => {
    const r = new ByteReader(Buffer.from(new ByteWriter().bytes(null).ustring(null).view()));
    expect([r.bytes(), r.ustring()]).toEqual([null, null]);
  });
});

describe('ByteReader', () => {
  it('signals underflow with the bytes missing, and rejects absurd lengths', () => {
    const r = new ByteReader(Buffer.from([0, 0, 0, 9, 1, 2]));
    expect(() => r.bytes()).toThrow(Underflow);
    expect(() => new ByteReader(Buffer.from([0xff, 0xff, 0xff, 0xfe])).bytes()).toThrow(FormatError);
  });
});
