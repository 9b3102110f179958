import { describe, expect, it } from 'vitest';
import { initialSessionId, SessionTracker } from '../../../src/session/tracker.js';

function fakeClock(start: number) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

function trackerOnFakeClock(tickTime = 100) {
  const clock = fakeClock(10_000);
  const expired: bigint[] = [];
  const tracker = new SessionTracker({ tickTime, now: clock.now, onExpire: (id) => expired.push(id) });
  return { clock, expired, tracker };
}

describe('session ids (SessionTrackerImpl.initializeNextSessionId)', () => {
  it('puts the server id in the high byte and the clock below it', () => {
    const wall = 0x0123_4567_89ab;
    const id = initialSessionId(5, wall);
    expect(id >> 56n).toBe(5n);
    // (wall << 24) >>> 8 keeps the low 40 bits of the clock starting at bit 16
    expect((id >> 16n) & 0xff_ffff_ffffn).toBe(BigInt(wall) & 0xff_ffff_ffffn);
    expect(id & 0xffffn).toBe(0n);
  });

  it('is a signed 64-bit value for server ids >= 128', () => {
    const id = initialSessionId(200, 1);
    expect(id).toBeLessThan(0n);
    expect(BigInt.asUintN(64, id) >> 56n).toBe(200n);
  });

  it('hands out consecutive ids and skips ones already tracked', () => {
    const { tracker } = trackerOnFakeClock();
    const a = tracker.createSession(1000).sessionId;
    tracker.addSession(a + 1n, 1000);
    const b = tracker.createSession(1000).sessionId;
    expect(b).toBe(a + 2n);
    expect(tracker.size).toBe(3);
  });

  it('rejects server ids outside 0..254', () => {
    expect(() => new SessionTracker({ tickTime: 10, serverId: 255, onExpire: () => {} })).toThrow(RangeError);
  });
});

describe('passwords', () => {
  it('are 16 bytes, compared exactly, and different per session', () => {
    const { tracker } = trackerOnFakeClock();
    const s1 = tracker.createSession(1000);
    const s2 = tracker.createSession(1000);
    expect(s1.password.length).toBe(16);
    expect(s1.password.equals(s2.password)).toBe(false);
    expect(tracker.checkPassword(s1.sessionId, s1.password)).toBe(true);
    expect(tracker.checkPassword(s1.sessionId, s2.password)).toBe(false);
    expect(tracker.checkPassword(s1.sessionId, s1.password.subarray(0, 15))).toBe(false);
    expect(tracker.checkPassword(12345n, s1.password)).toBe(false);
    expect(tracker.passwordOf(s1.sessionId)?.equals(s1.password)).toBe(true);
  });

  it('a recovered session without a stored password gets the same one back with the same secret', () => {
    const secret = Buffer.alloc(32, 7);
    const first = new SessionTracker({ tickTime: 100, secret, onExpire: () => {} });
    const { sessionId, password } = first.createSession(1000);
    const restarted = new SessionTracker({ tickTime: 100, secret, onExpire: () => {} });
    restarted.addSession(sessionId, 1000);
    expect(restarted.checkPassword(sessionId, password)).toBe(true);
    const otherSecret = new SessionTracker({ tickTime: 100, onExpire: () => {} });
    otherSecret.addSession(sessionId, 1000);
    expect(otherSecret.checkPassword(sessionId, password)).toBe(false);
  });

  it('addSession keeps an explicitly given password', () => {
    const { tracker } = trackerOnFakeClock();
    tracker.addSession(42n, 1000, Buffer.from('0123456789abcdef'));
    expect(tracker.checkPassword(42n, Buffer.from('0123456789abcdef'))).toBe(true);
  });
});

describe('expiry on a fake clock', () => {
  it('expires a session in the first tick bucket after its timeout, not before', () => {
    const { clock, expired, tracker } = trackerOnFakeClock(100);
    const { sessionId } = tracker.createSession(250); // 10250 -> bucket 10300
    clock.t = 10_299;
    expect(tracker.expireDue()).toEqual([]);
    clock.t = 10_300;
    expect(tracker.expireDue()).toEqual([sessionId]);
    expect(expired).toEqual([sessionId]);
    expect(tracker.isLive(sessionId)).toBe(false);
    expect(tracker.touch(sessionId, 250)).toBe(false); // closing: touches fail
    expect(tracker.timeoutOf(sessionId)).toBe(250); // still tracked until remove()
    tracker.remove(sessionId);
    expect(tracker.timeoutOf(sessionId)).toBeUndefined();
  });

  it('touch pushes the deadline out', () => {
    const { clock, tracker } = trackerOnFakeClock(100);
    const { sessionId } = tracker.createSession(300);
    for (let i = 0; i < 10; i++) {
      clock.t += 200;
      expect(tracker.touch(sessionId, 300)).toBe(true);
      expect(tracker.expireDue()).toEqual([]);
    }
    clock.t += 400;
    expect(tracker.expireDue()).toEqual([sessionId]);
  });

  it('setClosing and remove stop a session from expiring or being touched', () => {
    const { clock, tracker } = trackerOnFakeClock(100);
    const a = tracker.createSession(200).sessionId;
    const b = tracker.createSession(200).sessionId;
    tracker.setClosing(a);
    expect(tracker.isLive(a)).toBe(false);
    expect(tracker.touch(a, 200)).toBe(false);
    tracker.remove(b);
    expect(tracker.touch(b, 200)).toBe(false);
    clock.t += 1000;
    expect(tracker.expireDue()).toEqual([a]); // a is still queued (closing), b is gone
  });

  it('lists sessions and expiry buckets with wall-clock deadlines', () => {
    const { tracker } = trackerOnFakeClock(100);
    const a = tracker.createSession(150).sessionId;
    const b = tracker.createSession(450).sessionId;
    tracker.setClosing(b);
    expect([...tracker.liveSessions()]).toEqual([
      { sessionId: a, timeoutMs: 150, closing: false },
      { sessionId: b, timeoutMs: 450, closing: true },
    ]);
    const buckets = tracker.expiryBuckets();
    expect(buckets.map((x) => x.sessionIds)).toEqual([[a], [b]]);
    expect(buckets[1]!.expiresAt - buckets[0]!.expiresAt).toBe(300);
    expect(Math.abs(buckets[0]!.expiresAt - (Date.now() + 200))).toBeLessThan(1000);
  });

  it('keeps expiring the rest of a bucket when one callback throws', () => {
    const clock = fakeClock(0);
    const seen: bigint[] = [];
    const tracker = new SessionTracker({
      tickTime: 10,
      now: clock.now,
      onExpire: (id) => {
        seen.push(id);
        if (seen.length === 1) throw new Error('boom');
      },
    });
    tracker.createSession(5);
    tracker.createSession(5);
    clock.t = 50;
    const origError = console.error;
    console.error = () => {};
    try {
      expect(tracker.expireDue()).toHaveLength(2);
    } finally {
      console.error = origError;
    }
    expect(seen).toHaveLength(2);
  });
});

describe('expiry with the real timer', () => {
  it('expires idle sessions within timeout + one tick and spares touched ones', async () => {
    const tick = 50;
    const timeout = 300;
    const expired: Array<{ id: bigint; at: number }> = [];
    const tracker = new SessionTracker({ tickTime: tick, onExpire: (id) => expired.push({ id, at: Date.now() }) });
    tracker.start();
    try {
      const start = Date.now();
      const idle = tracker.createSession(timeout).sessionId;
      const busy = tracker.createSession(timeout).sessionId;
      const toucher = setInterval(() => tracker.touch(busy, timeout), tick);
      await waitFor(() => expired.length > 0, 5000);
      clearInterval(toucher);
      expect(expired.map((e) => e.id)).toEqual([idle]);
      const after = expired[0]!.at - start;
      expect(after).toBeGreaterThanOrEqual(timeout - 5);
      expect(after).toBeLessThan(timeout + tick + 1000); // one tick of rounding plus scheduling slack
      expect(tracker.isLive(busy)).toBe(true);
    } finally {
      tracker.stop();
    }
  });

  it('stop() stops expiring, and the timer does not hold the process open', async () => {
    const expired: bigint[] = [];
    const tracker = new SessionTracker({ tickTime: 10, onExpire: (id) => expired.push(id) });
    const refTimers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = refTimers();
    tracker.start();
    expect(refTimers()).toBe(before); // unref'd: not counted as keeping the event loop alive
    tracker.createSession(20);
    tracker.stop();
    await new Promise((r) => setTimeout(r, 100));
    expect(expired).toEqual([]);
    expect(tracker.expireDue()).toHaveLength(1); // it was due; only the timer was stopped
  });
});

async function waitFor(cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}
