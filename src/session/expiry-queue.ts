// Time-bucketed expiry, the shape of Apache ZooKeeper's server/ExpiryQueue.java.
//
// Every deadline is rounded UP to the next multiple of `expirationInterval` (the tick), so all items
// due in the same tick share one bucket and the expiry pass does one map lookup per tick instead of
// one timer per item. `poll()` hands out at most one bucket per call — the one at
// `nextExpirationTime` — and advances that mark by one interval, so a caller that fell behind simply
// polls again (getWaitTime() is 0 until it has caught up). The clock is injectable so tests can drive
// time by hand.

/** Default clock: monotonic milliseconds, as ZooKeeper's Time.currentElapsedTime (nanoTime based). */
export const monotonicNow = (): number => Math.floor(performance.now());

export class ExpiryQueue<T> {
  /** item -> the bucket time it currently sits in */
  private readonly deadlineOf = new Map<T, number>();
  /** bucket time -> items expiring then; empty sets are left for poll() to drop, as ZooKeeper does */
  private readonly buckets = new Map<number, Set<T>>();
  private nextExpirationTime: number;

  constructor(
    private readonly expirationInterval: number,
    private readonly now: () => number = monotonicNow,
  ) {
    if (!(expirationInterval > 0)) throw new RangeError(`expirationInterval must be > 0, got ${expirationInterval}`);
    this.nextExpirationTime = this.roundToNextInterval(now());
  }

  /** The first interval boundary strictly after `time` (a time already on a boundary moves up one). */
  private roundToNextInterval(time: number): number {
    return (Math.floor(time / this.expirationInterval) + 1) * this.expirationInterval;
  }

  /**
   * Adds `item` or moves it to the bucket for now + timeoutMs.
   * Returns the new bucket time, or null when the item already sat in that bucket (nothing changed).
   */
  update(item: T, timeoutMs: number): number | null {
    const next = this.roundToNextInterval(this.now() + timeoutMs);
    const prev = this.deadlineOf.get(item);
    if (prev === next) return null;
    this.bucketAt(next).add(item);
    this.deadlineOf.set(item, next);
    if (prev !== undefined) this.buckets.get(prev)?.delete(item);
    return next;
  }

  /** Removes `item`; returns the bucket time it was due at, or null if it was not queued. */
  remove(item: T): number | null {
    const prev = this.deadlineOf.get(item);
    if (prev === undefined) return null;
    this.deadlineOf.delete(item);
    this.buckets.get(prev)?.delete(item);
    return prev;
  }

  /**
   * The bucket due now, or an empty set when the next bucket is still in the future. Advances the
   * expiry mark by exactly one interval per due call: callers loop while getWaitTime() is 0.
   * The items returned are forgotten by the queue (ZooKeeper's poll leaves elemMap stale until the
   * owner removes them; dropping them here keeps size() honest and a later update() re-adds cleanly).
   */
  poll(): Set<T> {
    const due = this.nextExpirationTime;
    if (this.now() < due) return new Set();
    this.nextExpirationTime = due + this.expirationInterval;
    const set = this.buckets.get(due);
    if (set === undefined) return new Set();
    this.buckets.delete(due);
    for (const item of set) this.deadlineOf.delete(item);
    return set;
  }

  /** Milliseconds until the next bucket is due; 0 when it is already due. */
  getWaitTime(): number {
    const wait = this.nextExpirationTime - this.now();
    return wait > 0 ? wait : 0;
  }

  /** Bucket time `item` is due at, if queued. */
  expiryOf(item: T): number | undefined {
    return this.deadlineOf.get(item);
  }

  /** Number of queued items. */
  get size(): number {
    return this.deadlineOf.size;
  }

  /**
   * Buckets in time order, including emptied ones not yet polled — ZooKeeper's `dump` counts and
   * prints those too ("Session Sets (buckets)/(items):").
   */
  bucketsByTime(): Array<[number, ReadonlySet<T>]> {
    return [...this.buckets.entries()].sort((a, b) => a[0] - b[0]);
  }

  private bucketAt(time: number): Set<T> {
    let set = this.buckets.get(time);
    if (set === undefined) {
      set = new Set();
      this.buckets.set(time, set);
    }
    return set;
  }
}
