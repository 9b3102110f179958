// A load-generator process (child_process.fork of this file). It holds its share of the sessions
// and runs one command at a time for the coordinator (run.ts): open sessions, arm watches, run a
// storm or a request mix, close everything at once. Every reply carries this process's cumulative
// CPU time so the coordinator can show what the generator itself cost.
import { OpCode } from '../../src/proto/constants.js';
import { runMix, type MixSpec } from './mix-worker.js';
import { runStorm, type StormSpec } from './storm-worker.js';
import { Body, nowUs, openMany, type Endpoint, type Session } from './wire.js';

export type Command =
  | { op: 'open'; n: number; ep: Endpoint; localBase: number }
  | { op: 'armData'; path: string }
  | { op: 'setWatches'; prefix: string; nPaths: number; perSession: number; sessionBase: number }
  | { op: 'storm'; spec: StormSpec }
  | { op: 'mix'; spec: MixSpec }
  | { op: 'closeAll' }
  | { op: 'cpu' };

export interface WorkerReply {
  id: number;
  ok: boolean;
  error?: string;
  result?: unknown;
  cpuUs: number;
}

/**
 * Unsolicited: every session of this worker saw the fan-out notification. firstUs/lastUs are when
 * the first and the last arrived; cpuUs is this process's CPU from the end of arming to the last
 * one (the generator's own cost of receiving the fan-out, reported beside the server's).
 */
export interface FanEvent {
  event: 'fan';
  count: number;
  firstUs: number;
  lastUs: number;
  cpuUs: number;
}

const SETUP_PARALLEL = 200;
/**
 * While a fan-out round is under way the generator polls its sockets every POLL_MS (run.js
 * --gen-poll-ms; 0 turns it off) instead of sleeping in epoll until the next notification: woken
 * per notification, it took ~2,000 wakeups per 5,000 notifications, each costing it a context
 * switch and the server a wakeup inside its write (clients on other machines cost the server
 * neither). Measured on 2 cores at 10k watchers: generator CPU per round 85 -> 50 ms, for both
 * servers alike. Arrival times are then late by at most POLL_MS.
 */
const POLL_MS = Number(process.env.WK_GEN_POLL_MS ?? 1);
/** A polling loop gives up after this long (a round that never completes). */
const POLL_LIMIT_MS = 60_000;
const pollSleep = new Int32Array(new SharedArrayBuffer(4));
const PATHS_PER_PACKET = 1000;

let sessions: Session[] = [];
let fan = { count: 0, firstUs: 0, lastUs: 0, cpu0: 0 };

function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

async function handle(cmd: Command): Promise<unknown> {
  switch (cmd.op) {
    case 'open':
      return openSessions(cmd.n, cmd.ep, cmd.localBase);
    case 'armData':
      return armData(cmd.path);
    case 'setWatches':
      return setWatches(cmd.prefix, cmd.nPaths, cmd.perSession, cmd.sessionBase);
    case 'storm':
      return runStorm(sessions, cmd.spec);
    case 'mix':
      return runMix(sessions, cmd.spec);
    case 'closeAll':
      return closeAll();
    case 'cpu':
      return null;
  }
}

async function openSessions(n: number, ep: Endpoint, localBase: number): Promise<{ ms: number }> {
  const t0 = Date.now();
  const opened = await openMany(n, ep, localBase);
  sessions.push(...opened);
  return { ms: Date.now() - t0 };
}

/**
 * Every session sets a getData watch on `path`; resolves when all replies are in. The fan counter
 * restarts, and when every session has seen NodeDataChanged the coordinator gets a FanEvent.
 */
function armData(path: string): Promise<{ armed: number }> {
  fan = { count: 0, firstUs: 0, lastUs: 0, cpu0: 0 };
  const expected = sessions.length;
  const want = Buffer.from(path);
  const onNotify = (_type: number, b: Buffer, start: number, end: number, at: number): void => {
    if (end - start !== want.length || want.compare(b, start, end) !== 0) return;
    if (fan.count++ === 0) fan.firstUs = at;
    if (at > fan.lastUs) fan.lastUs = at;
    if (fan.count !== expected) return;
    const e: FanEvent = { event: 'fan', count: fan.count, firstUs: fan.firstUs, lastUs: fan.lastUs, cpuUs: cpuUs() - fan.cpu0 };
    process.send!(e);
  };
  const body = Body.getData(path, true);
  return inBatches(sessions, (s) => {
    s.onNotifyBytes = onNotify;
    return s.call(OpCode.getData, body);
  }).then(() => {
    fan.cpu0 = cpuUs();
    if (POLL_MS > 0) pollWhile(() => fan.count < expected);
    return { armed: expected };
  });
}

/**
 * Sleeps POLL_MS per loop turn while `active`: with an immediate queued, libuv polls without
 * blocking, so each turn reads every socket that became ready during the sleep.
 */
function pollWhile(active: () => boolean): void {
  const until = Date.now() + POLL_LIMIT_MS;
  const turn = (): void => {
    if (!active() || Date.now() > until) return;
    Atomics.wait(pollSleep, 0, 0, POLL_MS);
    setImmediate(turn);
  };
  setImmediate(turn);
}

/**
 * Watches by SetWatches (opcode 101, relativeZxid ahead of every node so no catch-up events): one
 * packet per 1,000 paths instead of one getData each. Session g watches paths (g*perSession + j) mod nPaths.
 */
function setWatches(prefix: string, nPaths: number, perSession: number, sessionBase: number): Promise<{ watches: number }> {
  let total = 0;
  return inBatches(sessions, async (s, i) => {
    const g = sessionBase + i;
    for (let j0 = 0; j0 < perSession; j0 += PATHS_PER_PACKET) {
      const paths: string[] = [];
      for (let j = j0; j < Math.min(perSession, j0 + PATHS_PER_PACKET); j++) paths.push(pathName(prefix, (g * perSession + j) % nPaths));
      const r = await s.call(OpCode.setWatches, Body.setWatches(paths), -8);
      if (r.err !== 0) throw new Error(`setWatches failed: ${r.err}`);
      total += paths.length;
    }
  }).then(() => ({ watches: total }));
}

export function pathName(prefix: string, i: number): string {
  return `${prefix}/n${String(i).padStart(6, '0')}`;
}

/** All sockets destroyed in one synchronous pass: the server sees them close at once. */
function closeAll(): { atUs: number; closed: number } {
  const atUs = nowUs();
  for (const s of sessions) s.destroy();
  const closed = sessions.length;
  sessions = [];
  return { atUs, closed };
}

/** Runs `fn` over items with at most SETUP_PARALLEL in flight (bounded send buffers). */
async function inBatches<T>(items: readonly T[], fn: (item: T, i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(SETUP_PARALLEL, items.length) }, lane));
}

process.on('message', (msg: { id: number; cmd: Command }) => {
  handle(msg.cmd).then(
    (result) => process.send!({ id: msg.id, ok: true, result, cpuUs: cpuUs() } satisfies WorkerReply),
    (err: unknown) => process.send!({ id: msg.id, ok: false, error: String(err), cpuUs: cpuUs() } satisfies WorkerReply),
  );
});
process.on('disconnect', () => process.exit(0));
