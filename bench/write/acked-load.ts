// Write load that remembers exactly what the server acknowledged, and a check that all of it is
// there after a restart. Used by the kill -9 test (test/durability/crash.test.ts) and the soak
// script. Each session pipelines creates of fresh nodes and setData of its own counter node; a
// reply with err 0 is an acknowledgement, and an acknowledged write must survive any crash.
import { OpCode } from '../../src/proto/constants.js';
import { Body, Session, type Endpoint } from '../load/wire.js';

export interface Acked {
  /** path -> data of every acknowledged create. */
  creates: Map<string, string>;
  /** counter path -> [highest acknowledged value, highest value sent]. */
  counters: Map<string, [number, number]>;
}

export function emptyAcked(): Acked {
  return { creates: new Map(), counters: new Map() };
}

export interface LoadOptions {
  /** Distinguishes the node names of one run (e.g. the crash cycle). */
  tag: string;
  sessions: number;
  /** Requests in flight per session. */
  window: number;
  /** Bytes of data per create. */
  dataBytes?: number;
}

function payload(path: string, bytes: number): string {
  return (path + ':').padEnd(bytes, 'x');
}

/** One session's loop: keeps `window` requests in flight until stop() (or the server dies). */
async function sessionLoad(ep: Endpoint, o: LoadOptions, j: number, acked: Acked, stopped: () => boolean): Promise<void> {
  const s = await Session.open(ep);
  const counter = `/k-${o.tag}-${j}`;
  const r = await s.call(OpCode.create, Body.create(counter, Buffer.from('0')));
  if (r.err !== 0) throw new Error(`create ${counter}: ${r.err}`);
  acked.counters.set(counter, [0, 0]);
  let i = 0;
  await new Promise<void>((resolve) => {
    s.onClose = resolve;
    const pump = (): void => {
      while (!s.closed && !stopped() && s.outstanding < o.window) sendOne(s, o, j, i++, counter, acked, pump);
      if (stopped() || s.closed) resolve();
    };
    pump();
  });
  s.destroy();
}

function sendOne(s: Session, o: LoadOptions, j: number, i: number, counter: string, acked: Acked, pump: () => void): void {
  if (i % 4 === 3) {
    const c = acked.counters.get(counter)!;
    c[1] = Math.max(c[1], i);
    s.send(OpCode.setData, Body.setData(counter, Buffer.from(String(i))), (rep) => {
      if (rep.err === 0) c[0] = Math.max(c[0], i);
      setImmediate(pump);
    });
    return;
  }
  const path = `/c-${o.tag}-${j}-${i}`;
  const data = payload(path, o.dataBytes ?? 100);
  s.send(OpCode.create, Body.create(path, Buffer.from(data)), (rep) => {
    if (rep.err === 0) acked.creates.set(path, data);
    setImmediate(pump);
  });
}

/** Runs the load until `stop` resolves or the server goes away; returns what was acknowledged. */
export async function runAckedLoad(ep: Endpoint, o: LoadOptions, acked: Acked, stop: Promise<void>): Promise<void> {
  let done = false;
  void stop.then(() => (done = true));
  const runs = Array.from({ length: o.sessions }, (_, j) => sessionLoad(ep, o, j, acked, () => done).catch(() => undefined));
  await Promise.all(runs);
}

/** Reads back every acknowledged write; returns a description of each one missing or wrong. */
export async function verifyAcked(ep: Endpoint, acked: Acked, maxReport = 20): Promise<string[]> {
  const s = await Session.open(ep);
  const bad: string[] = [];
  const note = (msg: string): void => {
    if (bad.length < maxReport) bad.push(msg);
  };
  const reads: Promise<void>[] = [];
  for (const [path, data] of acked.creates) {
    reads.push(s.call(OpCode.getData, Body.getData(path, false)).then((r) => {
      if (r.err !== 0) return note(`${path}: error ${r.err}`);
      const got = r.body.toString('utf8', 4, 4 + r.body.readInt32BE(0));
      if (got !== data) note(`${path}: data differs`);
    }));
    if (reads.length >= 512) await Promise.all(reads.splice(0));
  }
  for (const [path, [low, high]] of acked.counters) {
    const r = await s.call(OpCode.getData, Body.getData(path, false));
    const v = r.err === 0 ? Number(r.body.toString('utf8', 4, 4 + r.body.readInt32BE(0))) : NaN;
    if (!(v >= low && v <= high)) note(`${path}: value ${v} outside [${low}, ${high}] (acknowledged ${low})`);
  }
  await Promise.all(reads);
  s.destroy();
  return bad;
}
