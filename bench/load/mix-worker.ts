// Request mix, one worker's share: every session keeps `depth` requests in flight for the whole
// window. Reads are getData (no watch) of existing 100-byte znodes; writes split setData 50%,
// create 25%, delete 25% (of a node this session created earlier; a create when it has none).
import { OpCode } from '../../src/proto/constants.js';
import { Histogram, type HistSnapshot } from './hist.js';
import { Body, type Reply, type Session } from './wire.js';

export interface MixSpec {
  /** Existing znodes read and overwritten. */
  paths: string[];
  /** Parent under which sessions create and delete their own nodes. */
  scratch: string;
  readFraction: number;
  depth: number;
  durationMs: number;
  dataBytes: number;
  /** Distinguishes this worker's created names from the others'. */
  tag: string;
}

export interface MixResult {
  reads: HistSnapshot;
  writes: HistSnapshot;
  readOps: number;
  writeOps: number;
  errors: number;
  windowMs: number;
}

/** xorshift32: cheap and reproducible; Math.random would do, but this costs less per op. */
function rng(seed: number): () => number {
  let x = seed | 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

export async function runMix(sessions: readonly Session[], spec: MixSpec): Promise<MixResult> {
  const reads = new Histogram();
  const writes = new Histogram();
  const data = Buffer.alloc(spec.dataBytes, 0x62);
  const readBodies = spec.paths.map((p) => Body.getData(p, false));
  const setBodies = spec.paths.map((p) => Body.setData(p, data));
  const out = { readOps: 0, writeOps: 0, errors: 0 };
  let running = true;
  const t0 = Date.now();

  const drive = (s: Session, c: number): void => {
    const rand = rng(0x9e3779b9 ^ (c * 7919 + 1));
    const mine: string[] = [];
    let seq = 0;
    const done = (h: Histogram, counter: 'readOps' | 'writeOps') => (r: Reply, sentUs: number, now: number) => {
      if (r.err !== 0) out.errors++;
      else if (running) h.record(now - sentUs), out[counter]++;
    };
    const onRead = done(reads, 'readOps');
    const onWrite = done(writes, 'writeOps');
    const next = (): void => {
      if (!running) return;
      const r = rand();
      const pick = Math.floor(rand() * spec.paths.length);
      let type: number = OpCode.getData;
      let body = readBodies[pick]!;
      let fn = onRead;
      if (r >= spec.readFraction) {
        const w = (r - spec.readFraction) / (1 - spec.readFraction);
        fn = onWrite;
        if (w < 0.5) [type, body] = [OpCode.setData, setBodies[pick]!];
        else if (w < 0.75 || mine.length === 0) {
          const p = `${spec.scratch}/${spec.tag}-${c}-${seq++}`;
          mine.push(p);
          [type, body] = [OpCode.create, Body.create(p, data)];
        } else [type, body] = [OpCode.delete, Body.delete(mine.shift()!)];
      }
      s.send(type, body, (reply, sentUs) => {
        fn(reply, sentUs, nowUsFast());
        next();
      });
    };
    for (let d = 0; d < spec.depth; d++) next();
  };
  sessions.forEach((s, c) => drive(s, c));
  await new Promise((r) => setTimeout(r, spec.durationMs));
  running = false;
  const windowMs = Date.now() - t0;
  await drain(sessions);
  return { reads: reads.snapshot(), writes: writes.snapshot(), ...out, windowMs };
}

function nowUsFast(): number {
  const [s, ns] = process.hrtime();
  return s * 1e6 + ns / 1e3;
}

/** Waits (at most 10 s) until no request is outstanding, so the next scenario starts clean. */
async function drain(sessions: readonly Session[]): Promise<void> {
  const until = Date.now() + 10_000;
  while (Date.now() < until && sessions.some((s) => s.outstanding > 0)) await new Promise((r) => setTimeout(r, 20));
}
