import { describe, expect, it } from 'vitest';
import { ExpiryQueue } from '../../../src/session/expiry-queue.js';

/** A clock the test moves by hand. */
function fakeClock(start: number) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

describe('ExpiryQueue (ZooKeeper ExpiryQueue semantics)', () => {
  it('rounds deadlines up to the next interval boundary, a boundary itself moving up one', () => {
    const c = fakeClock(1000);
    const q = new ExpiryQueue<string>(100, c.now);
    expect(q.update('a', 250)).toBe(1300); // 1250 -> 1300
    expect(q.update('b', 200)).toBe(1300); // 1200 is a boundary -> next one, 1300
    expect(q.update('c', 199)).toBe(1200); // 1199 -> 1200
  });

  it('returns null when an update lands in the same bucket, the new time when it moves', () => {
    const c = fakeClock(1000);
    const q = new ExpiryQueue<string>(100, c.now);
    expect(q.update('a', 250)).toBe(1300);
    c.t = 1030;
    expect(q.update('a', 250)).toBeNull(); // 1280 -> still 1300
    c.t = 1060;
    expect(q.update('a', 250)).toBe(1400); // 1310 -> 1400: moved out of the 1300 bucket
    c.t = 1300;
    expect(q.poll()).toEqual(new Set()); // first due bucket is 1100; the old one is empty anyway
  });

  it('poll hands out one bucket per call, in order, advancing by one interval each time', () => {
    const c = fakeClock(1000);
    const q = new ExpiryQueue<string>(100, c.now);
    q.update('x', 50); // 1100
    q.update('y', 150); // 1200
    q.update('z', 160); // 1200
    expect(q.getWaitTime()).toBe(100);
    expect(q.poll()).toEqual(new Set()); // not due yet
    c.t = 1250;
    expect(q.getWaitTime()).toBe(0);
    expect(q.poll()).toEqual(new Set(['x'])); // bucket 1100
    expect(q.getWaitTime()).toBe(0); // 1200 also due
    expect(q.poll()).toEqual(new Set(['y', 'z']));
    expect(q.getWaitTime()).toBe(50); // next mark 1300
    expect(q.poll()).toEqual(new Set());
    expect(q.size).toBe(0);
  });

  it('an item touched before its bucket is polled is not expired with it', () => {
    const c = fakeClock(0);
    const q = new ExpiryQueue<string>(10, c.now);
    q.update('s', 30); // 40
    c.t = 35;
    q.update('s', 30); // 70
    c.t = 45;
    while (q.getWaitTime() === 0) expect(q.poll().has('s')).toBe(false);
    c.t = 70;
    const got = new Set<string>();
    while (q.getWaitTime() === 0) for (const s of q.poll()) got.add(s);
    expect(got).toEqual(new Set(['s']));
  });

  it('remove returns the deadline once, then null, and the item never comes out of poll', () => {
    const c = fakeClock(0);
    const q = new ExpiryQueue<number>(10, c.now);
    q.update(7, 5); // 10
    expect(q.expiryOf(7)).toBe(10);
    expect(q.remove(7)).toBe(10);
    expect(q.remove(7)).toBeNull();
    c.t = 10;
    expect(q.poll()).toEqual(new Set());
  });

  it('lists buckets in time order, keeping emptied ones as ZooKeeper dump does', () => {
    const c = fakeClock(0);
    const q = new ExpiryQueue<string>(10, c.now);
    q.update('late', 25); // 30
    q.update('early', 5); // 10
    q.remove('early');
    expect(q.bucketsByTime().map(([t, s]) => [t, [...s]])).toEqual([[10, []], [30, ['late']]]);
  });

  it('rejects a non-positive interval', () => {
    expect(() => new ExpiryQueue(0)).toThrow(RangeError);
  });

  it('uses a real monotonic clock by default', () => {
    const q = new ExpiryQueue<string>(1000);
    const wait = q.getWaitTime();
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(1000);
  });
});
