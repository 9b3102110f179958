// The pipelined write client of the write benchmark, the same for both servers: N sessions, each
// keeping W requests in flight, alternating create of a fresh node and setData of the session's own
// node, 100-byte payloads. A write counts once its reply arrives with err 0 (after the server's
// fsync); latency is send -> reply on the client's monotonic clock.
import { OpCode } from '../../src/proto/constants.js';
import { Histogram } from '../load/hist.js';
import { Body, nowUs, openMany, type Endpoint, type Session } from '../load/wire.js';

export interface WriteSpec {
  sessions: number;
  window: number;
  dataBytes: number;
  warmupMs: number;
  measureMs: number;
}

export interface WriteResult {
  acked: number;
  errors: number;
  seconds: number;
  hist: Histogram;
}

const NODE_EXISTS = -110;

async function prepare(sessions: Session[], tag: string, data: Buffer): Promise<void> {
  const root = await sessions[0]!.call(OpCode.create, Body.create(`/w${tag}`, data));
  if (root.err !== 0 && root.err !== NODE_EXISTS) throw new Error(`create /w${tag}: ${root.err}`);
  await Promise.all(sessions.map(async (s, j) => {
    for (const p of [`/w${tag}/s${j}`, `/w${tag}/s${j}/k`]) {
      const r = await s.call(OpCode.create, Body.create(p, data));
      if (r.err !== 0 && r.err !== NODE_EXISTS) throw new Error(`create ${p}: ${r.err}`);
    }
  }));
}

/** Runs warm-up then measurement; only replies to requests sent inside the window count. */
export async function runWrites(ep: Endpoint, spec: WriteSpec, tag: string): Promise<WriteResult> {
  const sessions = await openMany(spec.sessions, ep, 0, spec.sessions);
  const data = Buffer.alloc(spec.dataBytes, 0x61);
  await prepare(sessions, tag, data);
  const res: WriteResult = { acked: 0, errors: 0, seconds: spec.measureMs / 1000, hist: new Histogram() };
  const t0 = nowUs();
  const measureFrom = t0 + spec.warmupMs * 1000;
  const end = measureFrom + spec.measureMs * 1000;
  await Promise.all(sessions.map((s, j) => new Promise<void>((resolve) => {
    let i = 0;
    const setPath = Body.setData(`/w${tag}/s${j}/k`, data);
    const onReply = (r: { err: number }, sentUs: number): void => {
      const now = nowUs();
      if (sentUs >= measureFrom && sentUs < end) {
        if (r.err === 0) {
          res.acked++;
          res.hist.record(now - sentUs);
        } else res.errors++;
      }
      if (now < end) send();
      else if (s.outstanding === 0) resolve();
    };
    const send = (): void => {
      const k = i++;
      if (k % 2 === 0) s.send(OpCode.create, Body.create(`/w${tag}/s${j}/n${k}`, data), onReply);
      else s.send(OpCode.setData, setPath, onReply);
    };
    s.onClose = resolve;
    for (let w = 0; w < spec.window; w++) send();
  })));
  for (const s of sessions) s.destroy();
  return res;
}
