// ExpiryQueue against a plain model of ZooKeeper's rule, over random operation sequences: an item
// updated at time t with timeout d is due in bucket ceil-next(t + d); draining the queue at time T
// yields exactly the items whose bucket is <= T, each once, in bucket order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpiryQueue } from '../../../src/session/expiry-queue.js';

type Op = { kind: 'update'; item: number; timeout: number } | { kind: 'remove'; item: number } | { kind: 'advance'; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('update' as const), item: fc.integer({ min: 0, max: 9 }), timeout: fc.integer({ min: 0, max: 500 }) }),
  fc.record({ kind: fc.constant('remove' as const), item: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 120 }) }),
);

describe('ExpiryQueue matches the bucket model', () => {
  it('drains exactly the due items, bucket by bucket', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 10_000 }), fc.array(op, { maxLength: 60 }), (interval, start, ops) => {
        let t = start;
        const q = new ExpiryQueue<number>(interval, () => t);
        const due = new Map<number, number>(); // model: item -> bucket time
        const roundUp = (x: number): number => (Math.floor(x / interval) + 1) * interval;
        let mark = roundUp(start);
        const drain = (): void => {
          while (q.getWaitTime() === 0) {
            const got = [...q.poll()].sort();
            const want = [...due].filter(([, b]) => b === mark).map(([i]) => i).sort();
            expect(got).toEqual(want);
            for (const i of want) due.delete(i);
            mark += interval;
          }
          expect(q.getWaitTime()).toBe(mark - t);
        };
        for (const o of ops) {
          if (o.kind === 'update') {
            const b = roundUp(t + o.timeout);
            expect(q.update(o.item, o.timeout)).toBe(due.get(o.item) === b ? null : b);
            due.set(o.item, b);
          } else if (o.kind === 'remove') {
            expect(q.remove(o.item)).toBe(due.get(o.item) ?? null);
            due.delete(o.item);
          } else {
            t += o.ms;
            drain();
          }
        }
        expect(q.size).toBe(due.size);
      }),
      { numRuns: 300 },
    );
  });
});
