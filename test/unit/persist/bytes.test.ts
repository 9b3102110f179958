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
