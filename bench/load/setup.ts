// Coordinator-side helpers shared by the scenarios: an admin session to create the znodes a
// scenario needs, waiting until the server has let go of the previous scenario's connections, and
// small time/percent utilities. All waits are bounded.
import { OpCode } from '../../src/proto/constants.js';
import { fourLetter, type RunningServer } from './servers.js';
import { Body, Session } from './wire.js';

const CREATE_BATCH = 1000;
/** ZooKeeper's "node exists": a rerun on the same server may find its znodes already there. */
const NODE_EXISTS = -110;

export function adminSession(s: RunningServer): Promise<Session> {
  return Session.open({ host: s.host, port: s.port, localAddress: '127.0.0.1' });
}

/** Creates `paths` (parents first, in order) with `data`, pipelined 1,000 at a time. */
export async function createAll(admin: Session, paths: readonly string[], data: Buffer): Promise<void> {
  for (let i = 0; i < paths.length; i += CREATE_BATCH) {
    const batch = paths.slice(i, i + CREATE_BATCH).map((p) => admin.call(OpCode.create, Body.create(p, data)));
    for (const r of await Promise.all(batch)) {
      if (r.err !== 0 && r.err !== NODE_EXISTS) throw new Error(`create failed with ${r.err}`);
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** mntr's zk_num_alive_connections (both servers report it); -1 if unreadable. */
export async function aliveConnections(s: RunningServer): Promise<number> {
  const m = /zk_num_alive_connections\s+(\d+)/.exec(await fourLetter(s, 'mntr').catch(() => ''));
  return m ? Number(m[1]) : -1;
}

/** Waits (at most `maxMs`) until the server holds no more than `n` connections. */
export async function settleConnections(s: RunningServer, n: number, maxMs = 60_000): Promise<void> {
  const until = Date.now() + maxMs;
  while (Date.now() < until && (await aliveConnections(s)) > n) await sleep(200);
}

/** CPU time over wall time, as a percentage of one core. */
export function cpuPercent(cpuUs: number, wallMs: number): number {
  return wallMs > 0 ? (cpuUs / 1000 / wallMs) * 100 : NaN;
}
