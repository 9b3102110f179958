import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cutFrames, FrameError, Framer } from '../../../src/net/framer.js';

function stream(payloads: Buffer[]): Buffer {
  return Buffer.concat(payloads.flatMap((p) => [Buffer.from([p.length >>> 24, (p.length >>> 16) & 255, (p.length >>> 8) & 255, p.length & 255]), p]));
}

const payloads = [Buffer.from('hello'), Buffer.alloc(0), Buffer.alloc(300, 9), Buffer.from([1, 2, 3])];

describe('Framer', () => {
  it('yields the same frames when fed one byte at a time', () => {
    const f = new Framer(1024);
    const out: Buffer[] = [];
    const bytes = stream(payloads);
    for (let i = 0; i < bytes.length; i++) out.push(...f.push(bytes.subarray(i, i + 1)));
    expect(out.map((b) => b.toString('hex'))).toEqual(payloads.map((b) => b.toString('hex')));
    expect(f.buffered).toBe(0);
  });

  it('yields the same frames for any split of the stream', () => {
    const bytes = stream(payloads);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set([0, ...cuts, bytes.length])].sort((a, b) => a - b);
        const f = new Framer(1024);
        const out: Buffer[] = [];
        for (let i = 1; i < points.length; i++) out.push(...f.push(bytes.subarray(points[i - 1], points[i])));
        expect(Buffer.concat(out).equals(Buffer.concat(payloads))).toBe(true);
        expect(out.length).toBe(payloads.length);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects a negative length and one above the limit', () => {
    expect(() => new Framer(10).push(Buffer.from([0xff, 0xff, 0xff, 0xff]))).toThrow(FrameError);
    expect(() => new Framer(10).push(Buffer.from([0, 0, 0, 11]))).toThrow(FrameError);
    expect(new Framer(10).push(Buffer.from([0, 0, 0, 10]))).toEqual([]);
  });

  it('holds a partial frame until the rest arrives', () => {
    const f = new Framer(100);
    expect(f.push(Buffer.from([0, 0, 0, 3, 1]))).toEqual([]);
    expect(f.buffered).toBe(5);
    expect(f.push(Buffer.from([2, 3, 0]))[0]!.toString('hex')).toBe('010203');
    expect(f.buffered).toBe(1);
  });
});

describe('cutFrames', () => {
  it('cuts whole frames in place and reports where a partial frame starts', () => {
    const bytes = Buffer.concat([stream(payloads), Buffer.from([0, 0, 0, 9, 1, 2])]);
    const frames: Buffer[] = [];
    const at = cutFrames(bytes, 1024, frames);
    expect(frames.map((b) => b.toString('hex'))).toEqual(payloads.map((b) => b.toString('hex')));
    expect(bytes.length - at).toBe(6);
    expect(frames[0]!.buffer).toBe(bytes.buffer); // a subarray of the chunk: nothing copied
  });

  it('rejects a bad length even when its frame is not complete yet', () => {
    expect(() => cutFrames(Buffer.concat([stream([Buffer.from('ok')]), Buffer.from([0x80, 0, 0, 0])]), 100, [])).toThrow(FrameError);
    expect(() => cutFrames(Buffer.from([0, 0, 0, 101, 7]), 100, [])).toThrow(FrameError);
  });
});
