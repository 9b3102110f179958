// Session bookkeeping, after Apache ZooKeeper's server/SessionTrackerImpl.java: ids carry the server
// id in their high byte, deadlines live in tick-sized ExpiryQueue buckets, and one timer wakes once per
// tick to expire the bucket that came due. Expiry only marks the session closing and reports it; the
// owner (the server) then runs the close through its pipeline and calls remove().
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ExpiryQueue, monotonicNow } from './expiry-queue.js';

export interface SessionTrackerOptions {
  /** Bucket width in ms (ZooKeeper's tickTime). */
  tickTime: number;
  /** 0..254; goes in the top byte of every session id (ZooKeeper's myid). */
  serverId?: number;
  /** Injectable monotonic clock in ms, for tests. */
  now?: () => number;
  /** Called once per expired session, after it is marked closing. */
  onExpire: (sessionId: bigint) => void;
  /**
   * Key for deriving session passwords. ZooKeeper derives a session's password from its id and a
   * fixed secret, so a restarted server still accepts reconnecting clients; persist this key (for
   * example in the data dir) to get the same property. Defaults to 32 random bytes per process.
   */
  secret?: Buffer;
}

/**
 * One tracked session; `closing` once expiry or a close request began. `password` is null for the
 * usual session whose password is derived from its id: like ZooKeeper (which never stores one and
 * recomputes it from the id and its secret), we derive it again when a client reconnects, so ten
 * thousand sessions hold no password buffers (each pinned a slice of an 8 KiB Buffer pool slab).
 */
interface Session {
  readonly sessionId: bigint;
  readonly timeoutMs: number;
  readonly password: Buffer | null;
  closing: boolean;
}

export interface SessionInfo {
  sessionId: bigint;
  timeoutMs: number;
  closing: boolean;
}

/** ZooKeeper reserves this owner value for containers (EphemeralType.CONTAINER_EPHEMERAL_OWNER). */
const CONTAINER_OWNER = -(1n << 63n);
const PASSWORD_BYTES = 16;
/** Cap on buckets expired in one timer callback, so a long stall cannot block the loop unboundedly. */
const MAX_POLLS_PER_PASS = 1024;

/**
 * First session id, as ZooKeeper's initializeNextSessionId: the clock shifted into the low 7 bytes
 * (dropping its top bits) and the server id in the high byte. We use the wall clock rather than
 * ZooKeeper 3.8's elapsed-time clock so ids stay distinct across restarts that recover old sessions.
 */
export function initialSessionId(serverId: number, wallMs: number = Date.now()): bigint {
  const low56 = (BigInt.asUintN(64, BigInt(wallMs) << 24n)) >> 8n;
  const id = BigInt.asIntN(64, low56 | (BigInt(serverId) << 56n));
  return id === CONTAINER_OWNER ? id + 1n : id;
}

export class SessionTracker {
  private readonly sessions = new Map<bigint, Session>();
  private readonly queue: ExpiryQueue<Session>;
  private readonly now: () => number;
  private readonly secret: Buffer;
  private readonly onExpire: (sessionId: bigint) => void;
  private nextSessionId: bigint;
  private timer: NodeJS.Timeout | undefined;

  constructor(opts: SessionTrackerOptions) {
    const serverId = opts.serverId ?? 0;
    if (!Number.isInteger(serverId) || serverId < 0 || serverId > 254) {
      throw new RangeError(`serverId must be an integer in 0..254, got ${serverId}`);
    }
    this.now = opts.now ?? monotonicNow;
    this.queue = new ExpiryQueue<Session>(opts.tickTime, this.now);
    this.secret = opts.secret ?? randomBytes(32);
    this.onExpire = opts.onExpire;
    this.nextSessionId = initialSessionId(serverId);
  }

  /** New session with a fresh id and its password; it expires timeoutMs from now unless touched. */
  createSession(timeoutMs: number): { sessionId: bigint; password: Buffer } {
    let id = this.nextSessionId;
    // Skip ids held by sessions recovered from disk or reserved by ZooKeeper.
    while (this.sessions.has(id) || id === CONTAINER_OWNER) id = BigInt.asIntN(64, id + 1n);
    this.nextSessionId = BigInt.asIntN(64, id + 1n);
    this.track(id, timeoutMs, null);
    return { sessionId: id, password: this.derivePassword(id) };
  }

  /**
   * Tracks an existing session (recovered from a snapshot or the txn log), as ZooKeeper's
   * trackSession: an already tracked id keeps its record and only has its deadline refreshed.
   */
  addSession(sessionId: bigint, timeoutMs: number, password?: Buffer): void {
    this.track(sessionId, timeoutMs, password === undefined ? null : Buffer.from(password));
  }

  /** Exact, constant-time password comparison; false for unknown sessions. */
  checkPassword(sessionId: bigint, password: Buffer): boolean {
    const s = this.sessions.get(sessionId);
    if (s === undefined) return false;
    const expected = this.passwordFor(s);
    return password.length === expected.length && timingSafeEqual(expected, password);
  }

  /** Pushes the deadline out by timeoutMs; false (and no change) if unknown or closing. */
  touch(sessionId: bigint, timeoutMs: number): boolean {
    const s = this.sessions.get(sessionId);
    if (s === undefined || s.closing) return false;
    this.queue.update(s, timeoutMs);
    return true;
  }

  /** Tracked and not closing. */
  isLive(sessionId: bigint): boolean {
    const s = this.sessions.get(sessionId);
    return s !== undefined && !s.closing;
  }

  /** Marks the session closing: touches fail and it reads as not live (ZooKeeper's setSessionClosing). */
  setClosing(sessionId: bigint): void {
    const s = this.sessions.get(sessionId);
    if (s !== undefined) s.closing = true;
  }

  /** Forgets the session entirely (after its close was applied). */
  remove(sessionId: bigint): void {
    const s = this.sessions.get(sessionId);
    if (s === undefined) return;
    this.sessions.delete(sessionId);
    this.queue.remove(s);
  }

  timeoutOf(sessionId: bigint): number | undefined {
    return this.sessions.get(sessionId)?.timeoutMs;
  }

  passwordOf(sessionId: bigint): Buffer | undefined {
    const s = this.sessions.get(sessionId);
    return s === undefined ? undefined : Buffer.from(this.passwordFor(s));
  }

  /** Every tracked session (closing ones too: they still own ephemerals until removed). */
  *liveSessions(): Iterable<SessionInfo> {
    for (const s of this.sessions.values()) {
      yield { sessionId: s.sessionId, timeoutMs: s.timeoutMs, closing: s.closing };
    }
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Starts the expiry timer (idempotent). The timer is unref'd: it never keeps the process alive. */
  start(): void {
    if (this.timer === undefined) this.schedule(this.queue.getWaitTime());
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Expires every bucket that is due now. The timer calls this; tests on a fake clock call it
   * directly. Returns the ids expired.
   */
  expireDue(): bigint[] {
    const expired: bigint[] = [];
    for (let i = 0; i < MAX_POLLS_PER_PASS && this.queue.getWaitTime() === 0; i++) {
      for (const s of this.queue.poll()) expired.push(this.expire(s));
    }
    return expired;
  }

  /**
   * The expiry buckets in time order with wall-clock deadlines, for the `dump` four-letter word
   * (ZooKeeper prints ExpiryQueue.dump: emptied-but-unpolled buckets included).
   */
  expiryBuckets(): Array<{ expiresAt: number; sessionIds: bigint[] }> {
    const toWall = Date.now() - this.now();
    return this.queue.bucketsByTime().map(([time, set]) => ({
      expiresAt: time + toWall,
      sessionIds: [...set].map((s) => s.sessionId),
    }));
  }

  private expire(s: Session): bigint {
    s.closing = true;
    try {
      this.onExpire(s.sessionId);
    } catch (err) {
      // One failing callback must not stop the expiry of the other sessions in the bucket.
      console.error(`watchkeeper: onExpire(0x${BigInt.asUintN(64, s.sessionId).toString(16)}) threw`, err);
    }
    return s.sessionId;
  }

  private track(sessionId: bigint, timeoutMs: number, password: Buffer | null): Session {
    let s = this.sessions.get(sessionId);
    if (s === undefined) {
      s = { sessionId, timeoutMs, password, closing: false };
      this.sessions.set(sessionId, s);
    }
    this.queue.update(s, timeoutMs);
    return s;
  }

  /** The stored password of a session, or the derived one (a fresh buffer each time). */
  private passwordFor(s: Session): Buffer {
    return s.password ?? this.derivePassword(s.sessionId);
  }

  private derivePassword(sessionId: bigint): Buffer {
    const id = Buffer.alloc(8);
    id.writeBigInt64BE(BigInt.asIntN(64, sessionId));
    return createHmac('sha256', this.secret).update(id).digest().subarray(0, PASSWORD_BYTES);
  }

  private schedule(waitMs: number): void {
    this.timer = setTimeout(() => this.onTimer(), waitMs);
    this.timer.unref();
  }

  private onTimer(): void {
    if (this.timer === undefined) return;
    this.expireDue();
    if (this.timer !== undefined) this.schedule(this.queue.getWaitTime());
  }
}
