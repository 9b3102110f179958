// DigestSum keeps AdHash's signed 64-bit wrapping sum in two numbers; BigInt.asIntN is the
// definition it must agree with after any sequence of adds and removes, wraps included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DigestSum } from '../../../src/persist/digest.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });

describe('DigestSum', () => {
  it('matches 64-bit wrapping BigInt arithmetic', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), fc.array(fc.tuple(fc.boolean(), u32), { maxLength: 200 }), (start, ops) => {
        const sum = new DigestSum();
        sum.value = start;
        let ref = start;
        for (const [add, d] of ops) {
          if (add) sum.add(d);
          else sum.sub(d);
          ref = BigInt.asIntN(64, add ? ref + BigInt(d) : ref - BigInt(d));
          if (sum.value !== ref) return false;
        }
        return true;
      }),
    );
  });

  it('wraps at the edges of a Java long', () => {
    const sum = new DigestSum();
    sum.value = (1n << 63n) - 1n;
    sum.add(1);
    expect(sum.value).toBe(-(1n << 63n));
    sum.sub(2);
    expect(sum.value).toBe((1n << 63n) - 2n);
    expect(new DigestSum().copyFrom(sum).value).toBe(sum.value);
  });
});
