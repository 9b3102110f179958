// The main thread's side of the writer thread (writer-thread.ts): a big flush pass copies each
// offloaded socket's fd and pending bytes into shared memory, publishing them 32 at a time (the
// thread starts writing while the batch is still being filled; no postMessage per connection), and
// then claims entries itself from the same counter while the thread claims the others, so the
// share adapts to how fast each side goes (a thread that is slow to wake just gets fewer). The pass
// ends only when the thread has finished every entry it claimed: no socket of a batch can be
// destroyed (and its fd number reused by the next accept) while the thread may still write to it,
// and a connection's later output always follows the batch's bytes.
//
// Failure: a thread that dies between batches just stops taking entries (the main thread takes
// all of them); one that stops answering in the middle of a batch is terminated, and connections
// whose bytes it held are closed only once the thread is gone (their output is unknown, so the
// client must reconnect, as after any connection loss; nothing it was told is lost).
import { writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { CTL, ENTRY, RESULT_FAILED, RESULT_NONE, RESULT_UNCLAIMED, WRITER_SOURCE } from './writer-thread.js';

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

/**
 * Whether big passes get the thread (default) or only direct writes on the main thread
 * (WATCHKEEPER_WRITER_THREAD=0: the same batch, no second thread; for machines with one core).
 */
export function defaultWriterThreaded(): boolean {
  return process.env.WATCHKEEPER_WRITER_THREAD !== '0';
}

/**
 * Off by default: on this project's shared 2-core VM the thread did not measurably pay off (no
 * free core under load, and a cross-thread wake-up costs ~50 µs here, ~7% of the main thread in a
 * watch storm); total CPU per 10k fan-out pass was unchanged (user -10 ms, system +10 ms).
 * WATCHKEEPER_WRITER_MIN_BATCH=1000 turns it on for fan-out-sized passes only.
 */
const DEFAULT_MIN_BATCH = 0;

/** Entries between two publications of a growing batch (each costs an Atomics.notify). */
const PUBLISH_EVERY = 32;

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
  /** The batch's SEQ has been published (the thread was woken for it). */
  private announced = false;
  /** Passes shared with the thread, entries offered, entries the thread wrote (tests, mntr). */
  readonly counts = { batches: 0, entries: 0, byThread: 0, waits: 0, waitMs: 0 };
  /** Called once the thread has exited, whatever the cause. */
  onExit: () => void = () => {};

  /**
   * `minBatch`: passes with fewer dirty connections are not worth a wake-up of the thread.
   * `threaded` false: no thread; the main thread writes every entry itself (direct writes only).
   */
  constructor(readonly minBatch: number, readonly threaded = true) {
    this.ent = new Int32Array(new SharedArrayBuffer(WRITER_LIMITS.entries * ENTRY.STRIDE * 4));
    this.area = Buffer.from(new SharedArrayBuffer(WRITER_LIMITS.bytes));
  }

  /** Whether a batch may be built now: the thread lives and has left the previous batch. */
  ready(): boolean {
    if (!this.threaded) return true;
    if (this.dead) return false;
    if (this.worker === null) this.start();
    return Atomics.load(this.ctl, CTL.ACK) === this.seq;
  }

  /** Started on the first big pass, so servers that never fan out carry no thread. */
  private start(): void {
    const workerData = { ctl: this.ctl.buffer, ent: this.ent.buffer, bytes: this.area.buffer };
    // The thread allocates next to nothing: a small young generation saves ~0.8 of its ~8.5 MiB RSS.
    const resourceLimits = { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 };
    const w = new Worker(WRITER_SOURCE, { eval: true, workerData, resourceLimits, stdout: false, stderr: false });
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

  /**
   * Opens a batch. The thread is woken by the first publication (32 entries in, or the close of a
   * smaller batch), not here: woken now it would find nothing and sleep again, a second futex
   * wake-up per pass.
   */
  begin(): void {
    this.count = 0;
    this.mine = 0;
    this.used = 0;
    this.lastSrc = null;
    this.announced = false;
    if (!this.threaded) return;
    const ctl = this.ctl;
    Atomics.store(ctl, CTL.COUNT, 0);
    Atomics.store(ctl, CTL.NEXT, 0);
    Atomics.store(ctl, CTL.WDONE, 0);
    Atomics.store(ctl, CTL.OPEN, 1);
  }

  /** Adds one socket's bytes, the first `len` of `src`, to the batch; false when it is full. */
  add(fd: number, src: Uint8Array, len: number): boolean {
    if (this.count === WRITER_LIMITS.entries) return false;
    let off = this.lastOff;
    if (src !== this.lastSrc) {
      if (this.used + len > this.area.length) return false;
      off = this.used;
      if (len === src.length) this.area.set(src, off);
      else Buffer.prototype.copy.call(src, this.area, off, 0, len); // no view object per copy
      this.used += len;
      this.lastSrc = src;
      this.lastOff = off;
    }
    const at = this.count++ * ENTRY.STRIDE;
    const ent = this.ent;
    ent[at + ENTRY.FD] = fd;
    ent[at + ENTRY.OFF] = off;
    ent[at + ENTRY.LEN] = len;
    ent[at + ENTRY.RESULT] = RESULT_NONE;
    if (this.count % PUBLISH_EVERY === 0 && this.threaded) this.publish(1);
    return true;
  }

  /**
   * Makes the entries added so far visible to the thread (Atomics stores order the plain ones
   * before). Only a thread asleep on PUB needs the notify: a wake-up is a futex syscall.
   */
  private publish(open: 0 | 1): void {
    const ctl = this.ctl;
    Atomics.store(ctl, CTL.COUNT, this.count);
    Atomics.store(ctl, CTL.OPEN, open);
    if (!this.announced) {
      this.announced = true;
      Atomics.store(ctl, CTL.SEQ, ++this.seq);
      Atomics.notify(ctl, CTL.SEQ);
      return;
    }
    Atomics.add(ctl, CTL.PUB, 1);
    if (Atomics.load(ctl, CTL.SLEEPING) !== 0) Atomics.notify(ctl, CTL.PUB);
  }

  /** No more entries: the thread stops once it has claimed the last one. */
  close(): void {
    if (this.threaded) this.publish(0);
  }

  /** The next entry for the main thread to write, or -1 once every entry is claimed. */
  claim(): number {
    if (!this.threaded) return this.mine < this.count ? this.mine++ : -1;
    if (!WRITER_LIMITS.mainClaims) return -1;
    const ctl = this.ctl;
    for (;;) {
      const i = Atomics.load(ctl, CTL.NEXT);
      if (i >= this.count) return -1;
      if (Atomics.compareExchange(ctl, CTL.NEXT, i, i + 1) !== i) continue;
      this.mine++;
      return i;
    }
  }

  /**
   * Writes a claimed entry here, the way the thread does: one write(2) from the shared bytes,
   * skipping the stream machinery of socket.write (its write request and after-write callback per
   * call). The socket's own queue is empty (see OutputBuffer.offer), so order is kept.
   */
  write(i: number): void {
    const at = i * ENTRY.STRIDE;
    const ent = this.ent;
    let r: number;
    try {
      r = writeSync(ent[at + ENTRY.FD]!, this.area, ent[at + ENTRY.OFF]!, ent[at + ENTRY.LEN]!);
    } catch (e) {
      const errno = (e as { errno?: unknown }).errno;
      r = typeof errno === 'number' && errno < 0 ? errno : RESULT_FAILED;
    }
    ent[at + ENTRY.RESULT] = r;
  }

  /**
   * Waits (Atomics.wait: the main thread sleeps) until the thread has finished each entry it
   * claimed. False if it does not within WRITER_LIMITS.waitMs: it is then terminated, and entries
   * left RESULT_NONE have unknown output.
   */
  settle(): boolean {
    const theirs = this.count - this.mine;
    if (Atomics.load(this.ctl, CTL.WDONE) >= theirs) return this.counted(theirs);
    const start = performance.now();
    const ok = this.waitFor(theirs, start + WRITER_LIMITS.waitMs);
    this.counts.waits++;
    this.counts.waitMs += performance.now() - start;
    return ok && this.counted(theirs);
  }

  private waitFor(theirs: number, deadline: number): boolean {
    const ctl = this.ctl;
    for (;;) {
      const done = Atomics.load(ctl, CTL.WDONE);
      if (done >= theirs) return true;
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

  /** Entry i's outcome: bytes written, a negative errno, RESULT_UNCLAIMED or RESULT_NONE. */
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
