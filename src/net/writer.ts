// The main thread's side of the writer thread (writer-thread.ts): a big flush pass copies each
// offloaded socket's pending bytes into shared memory, publishes the batch with one Atomics.notify,
// and then claims entries itself from the same counter while the thread claims the others, so the
// share adapts to how fast each side goes (a thread that is slow to wake just gets fewer). The pass
// ends only when the thread has finished every entry it claimed: no socket of a batch can be
// destroyed (and its fd number reused by the next accept) while the thread may still write to it,
// and a connection's later output always follows the batch's bytes.
//
// Failure: a thread that dies between batches just stops taking entries (the main thread takes
// all of them); one that stops answering in the middle of a batch is terminated, and connections
// whose bytes it held are closed only once the thread is gone (their output is unknown, so the
// client must reconnect, as after any connection loss; nothing it was told is lost).
import { Worker } from 'node:worker_threads';
import { CTL, ENTRY, RESULT_MAIN, RESULT_NONE, RESULT_UNCLAIMED, WRITER_SOURCE } from './writer-thread.js';

/** Capacities and the wait bound; tests may lower them. */
export const WRITER_LIMITS = {
  /** Entries per batch; sockets past it are written by the main thread. */
  entries: 16_384,
  /** Shared byte area; a frame shared by many sockets (a notification) is copied once. */
  bytes: 1 << 20,
  /** How long a pass waits for the thread's claimed entries before giving up on it. */
  waitMs: 1000,
  /** Whether the main thread takes entries too (tests turn it off to give the thread all of them). */
  mainClaims: true,
};

/**
 * The smallest pass worth the writer thread, from WATCHKEEPER_WRITER_MIN_BATCH (0 = no thread),
 * else DEFAULT_MIN_BATCH.
 */
export function defaultWriterMinBatch(): number {
  const v = process.env.WATCHKEEPER_WRITER_MIN_BATCH;
  const n = v === undefined || v === '' ? NaN : Number(v);
  return Number.isInteger(n) && n >= 0 ? n : DEFAULT_MIN_BATCH;
}

/** Below this many dirty connections a pass is written by the main thread alone. */
const DEFAULT_MIN_BATCH = 64;

export class SocketWriter {
  private worker: Worker | null = null;
  private dead = false;
  private readonly ctl = new Int32Array(new SharedArrayBuffer(CTL.SIZE * 4));
  private readonly ent: Int32Array;
  private readonly area: Buffer;
  private seq = 0;
  private count = 0;
  private mine = 0;
  private used = 0;
  /** The last source copied in: recipients of one shared frame point at one copy. */
  private lastSrc: Uint8Array | null = null;
  private lastOff = 0;
  /** Passes shared with the thread, entries offered, entries the thread wrote (tests, mntr). */
  readonly counts = { batches: 0, entries: 0, byThread: 0 };
  /** Called once the thread has exited, whatever the cause. */
  onExit: () => void = () => {};

  /** `minBatch`: passes with fewer dirty connections are not worth a wake-up of the thread. */
  constructor(readonly minBatch: number) {
    this.ent = new Int32Array(new SharedArrayBuffer(WRITER_LIMITS.entries * ENTRY.STRIDE * 4));
    this.area = Buffer.from(new SharedArrayBuffer(WRITER_LIMITS.bytes));
  }

  /** Whether a batch may be built now: the thread lives and has left the previous batch. */
  ready(): boolean {
    if (this.dead) return false;
    if (this.worker === null) this.start();
    return Atomics.load(this.ctl, CTL.ACK) === this.seq;
  }

  /** Started on the first big pass, so servers that never fan out carry no thread. */
  private start(): void {
    const workerData = { ctl: this.ctl.buffer, ent: this.ent.buffer, bytes: this.area.buffer };
    const w = new Worker(WRITER_SOURCE, { eval: true, workerData, stdout: false, stderr: false });
    w.unref(); // a server left open must not keep its process alive through this thread
    w.on('error', (e) => console.error('watchkeeper: the socket writer thread failed; writing on the main thread:', e));
    w.on('exit', () => this.exited());
    this.worker = w;
  }

  private exited(): void {
    this.dead = true;
    this.worker = null;
    this.onExit();
  }

  get alive(): boolean {
    return !this.dead;
  }

  begin(): void {
    this.count = 0;
    this.mine = 0;
    this.used = 0;
    this.lastSrc = null;
  }

  /** Adds one socket's bytes to the batch; false when the batch is full. */
  add(fd: number, src: Uint8Array): boolean {
    if (this.count === WRITER_LIMITS.entries) return false;
    let off = this.lastOff;
    if (src !== this.lastSrc) {
      if (this.used + src.length > this.area.length) return false;
      off = this.used;
      this.area.set(src, off);
      this.used += src.length;
      this.lastSrc = src;
      this.lastOff = off;
    }
    const at = this.count++ * ENTRY.STRIDE;
    const ent = this.ent;
    ent[at + ENTRY.FD] = fd;
    ent[at + ENTRY.OFF] = off;
    ent[at + ENTRY.LEN] = src.length;
    ent[at + ENTRY.RESULT] = RESULT_NONE;
    return true;
  }

  /** Hands the batch to the thread (the stores before SEQ's are visible to it once it sees SEQ). */
  publish(): void {
    const ctl = this.ctl;
    Atomics.store(ctl, CTL.COUNT, this.count);
    Atomics.store(ctl, CTL.NEXT, 0);
    Atomics.store(ctl, CTL.WDONE, 0);
    Atomics.store(ctl, CTL.SEQ, ++this.seq);
    Atomics.notify(ctl, CTL.SEQ);
  }

  /** The next entry for the main thread to write, or -1 once every entry is claimed. */
  claim(): number {
    if (!WRITER_LIMITS.mainClaims) return -1;
    const i = Atomics.add(this.ctl, CTL.NEXT, 1);
    if (i >= this.count) return -1;
    this.ent[i * ENTRY.STRIDE + ENTRY.RESULT] = RESULT_MAIN;
    this.mine++;
    return i;
  }

  /**
   * Waits (Atomics.wait: the main thread sleeps) until the thread has finished each entry it
   * claimed. False if it does not within WRITER_LIMITS.waitMs: it is then terminated, and entries
   * left RESULT_NONE have unknown output.
   */
  settle(): boolean {
    const theirs = this.count - this.mine;
    const ctl = this.ctl;
    const deadline = performance.now() + WRITER_LIMITS.waitMs;
    for (;;) {
      const done = Atomics.load(ctl, CTL.WDONE);
      if (done >= theirs) return this.counted(theirs);
      const left = deadline - performance.now();
      if (left <= 0) return this.giveUp();
      Atomics.wait(ctl, CTL.WDONE, done, left);
    }
  }

  private counted(theirs: number): true {
    this.counts.batches++;
    this.counts.entries += this.count;
    this.counts.byThread += theirs;
    return true;
  }

  /**
   * The thread is not answering. Entries it never claimed are taken back (one atomic exchange: it
   * can claim nothing after it) and marked RESULT_UNCLAIMED; those it claimed and did not finish
   * stay RESULT_NONE.
   */
  private giveUp(): false {
    const claimed = Math.min(Atomics.exchange(this.ctl, CTL.NEXT, 0x3fffffff), this.count);
    for (let i = claimed; i < this.count; i++) this.ent[i * ENTRY.STRIDE + ENTRY.RESULT] = RESULT_UNCLAIMED;
    this.dead = true;
    void this.worker?.terminate();
    return false;
  }

  /** Entry i's outcome: bytes the thread wrote, a negative errno, RESULT_MAIN or RESULT_NONE. */
  result(i: number): number {
    return Atomics.load(this.ent, i * ENTRY.STRIDE + ENTRY.RESULT);
  }

  /** Test hook: the thread throws after claiming its n-th entry from now. */
  crashAfter(n: number): void {
    Atomics.store(this.ctl, CTL.CRASH_AFTER, n);
  }

  /** Test hook: terminate the thread between passes, as a crash would. */
  kill(): Promise<number> {
    return this.worker?.terminate() ?? Promise.resolve(0);
  }

  /** The server is closing: no more batches; the thread returns from its wait and exits. */
  stop(): void {
    this.dead = true;
    Atomics.store(this.ctl, CTL.STOP, 1);
    Atomics.notify(this.ctl, CTL.SEQ);
  }
}
