// The writer thread's code and the layout of the memory it shares with the main thread.
//
// Why a second thread: a notification to a socket costs one write(2), and on loopback about half of
// its ~8.5 µs of system time is the receiver's side of TCP, run in the sender's context. A fan-out to
// 10,000 watchers is 10,000 such calls; one thread does them one after another while the second core
// of the machine idles. The writer takes a share of a big flush pass's writes (see writer.ts).
//
// The code is a plain CommonJS string run with `new Worker(src, { eval: true })`, so the same source
// runs from dist/ and from the TypeScript sources under vitest (no second entry file to locate).

/** Int32 slots of the control array. */
export const CTL = {
  /** Batch number; bumped by the main thread to publish a batch (the thread waits on it). */
  SEQ: 0,
  /** Entries published so far in this batch (it grows while the main thread fills the batch). */
  COUNT: 1,
  /** Next entry to claim (compareExchange by both threads: each index goes to exactly one of them). */
  NEXT: 2,
  /** Entries the writer has finished in this batch (the main thread waits on it). */
  WDONE: 3,
  /** The last batch the writer has finished claiming from: no batch is reused before it. */
  ACK: 4,
  /** Non-zero: the thread returns. */
  STOP: 5,
  /** Test hook: the thread exits with an error after this many more entries (0 = never). */
  CRASH_AFTER: 6,
  /** 1 while the main thread may still add entries to the batch. */
  OPEN: 7,
  /** Bumped on every change of COUNT or OPEN: the thread waits on it when it has caught up. */
  PUB: 8,
  /** 1 while the thread sleeps on PUB: only then does a publication need an Atomics.notify. */
  SLEEPING: 9,
  SIZE: 10,
} as const;

/** Int32 fields of one entry: the socket's fd, the bytes (offset, length in the byte area), the result. */
export const ENTRY = { FD: 0, OFF: 1, LEN: 2, RESULT: 3, STRIDE: 4 } as const;

/** RESULT before anyone wrote the entry; the writer stores bytes written (>= 0) or a negative errno. */
export const RESULT_NONE = -0x80000000;
/** RESULT of an entry nobody had claimed when the thread was given up on: the main thread writes it. */
export const RESULT_UNCLAIMED = -0x7ffffffd;
/** RESULT of a write that failed without an errno (not expected from fs.writeSync). */
export const RESULT_FAILED = -0x7ffffffe;

/**
 * The thread: wait for a batch, claim entries until none are left, write each with one
 * fs.writeSync on the socket's (non-blocking) fd, and publish how much went out. Nothing here
 * retries: EAGAIN and partial writes go back to the main thread, which queues the rest in the
 * socket as usual, so the thread never blocks on a slow reader.
 */
export const WRITER_SOURCE = `
'use strict';
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const C = ${JSON.stringify(CTL)};
const E = ${JSON.stringify(ENTRY)};
const ctl = new Int32Array(workerData.ctl);
const ent = new Int32Array(workerData.ent);
const bytes = Buffer.from(workerData.bytes);
function writeOne(i) {
  const at = i * E.STRIDE;
  try {
    return writeSync(ent[at + E.FD], bytes, ent[at + E.OFF], ent[at + E.LEN]);
  } catch (e) {
    return typeof e.errno === 'number' && e.errno < 0 ? e.errno : ${RESULT_FAILED};
  }
}
function crashCheck() {
  const n = Atomics.load(ctl, C.CRASH_AFTER);
  if (n === 0) return;
  if (n === 1) throw new Error('writer thread: test crash');
  Atomics.store(ctl, C.CRASH_AFTER, n - 1);
}
// Claims the next published entry: -1 when the batch is closed and all of it is claimed. Caught up
// with a batch still being filled, it sleeps until the main thread publishes more (PUB changes).
function claim() {
  for (;;) {
    const pub = Atomics.load(ctl, C.PUB);
    const i = Atomics.load(ctl, C.NEXT);
    if (i < Atomics.load(ctl, C.COUNT)) {
      if (Atomics.compareExchange(ctl, C.NEXT, i, i + 1) === i) return i;
      continue;
    }
    if (Atomics.load(ctl, C.OPEN) === 0) return -1;
    sleep(pub);
  }
}
// SLEEPING is stored before COUNT and OPEN are read again (all seq-cst): either the main thread sees
// it and notifies, or this thread sees the new publication and does not sleep.
function sleep(pub) {
  Atomics.store(ctl, C.SLEEPING, 1);
  if (Atomics.load(ctl, C.NEXT) >= Atomics.load(ctl, C.COUNT) && Atomics.load(ctl, C.OPEN) !== 0) {
    Atomics.wait(ctl, C.PUB, pub);
  }
  Atomics.store(ctl, C.SLEEPING, 0);
}
function drain() {
  for (;;) {
    const i = claim();
    if (i < 0) return;
    crashCheck();
    Atomics.store(ent, i * E.STRIDE + E.RESULT, writeOne(i));
    Atomics.add(ctl, C.WDONE, 1);
    Atomics.notify(ctl, C.WDONE);
  }
}
let seen = 0; // a batch published before the thread ran is still acknowledged (see SocketWriter.ready)
for (;;) {
  Atomics.wait(ctl, C.SEQ, seen);
  if (Atomics.load(ctl, C.STOP) !== 0) break;
  const seq = Atomics.load(ctl, C.SEQ);
  if (seq === seen) continue;
  seen = seq;
  drain();
  Atomics.store(ctl, C.ACK, seq);
}
`;
