// globalOutstandingLimit as backpressure: while more requests than the limit are in process, a
// connection with requests of its own in flight is not read (ZooKeeper's
// incrOutstandingAndCheckThrottle / disableRecv); reading resumes as its replies go out. A gated
// transaction log holds writes in the sync stage so the state can be inspected while it lasts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Err, OpCode } from '../../src/proto/constants.js';
import { CheckVersionRequestRec, CreateRequestRec, GetDataRequestRec } from '../../src/proto/records/index.js';
import type { TxnLog } from '../../src/processor/sync.js';
import type { ServerCore, WatchkeeperServer } from '../../src/server/server.js';
import { fourLetter } from '../helpers/fourletter.js';
import { OPEN_ACL, startServer } from './helpers.js';
import { RawClient, ClientPool } from './rawclient.js';

const LIMIT = 10;

/** An in-memory log whose commits wait while the gate is closed. */
class GatedLog implements TxnLog {
  private waiting: Array<() => void> = [];
  closed = false;
  append(): void {}
  commit(): Promise<void> {
    if (!this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  open(): void {
    this.closed = false;
    for (const w of this.waiting.splice(0)) w();
  }
}

const log = new GatedLog();
let server: WatchkeeperServer;
let port: number;
const clients = new ClientPool(() => port);

beforeAll(async () => {
  ({ server, port } = await startServer({ globalOutstandingLimit: LIMIT, txnLog: log }));
});
afterAll(async () => {
  log.open();
  clients.closeAll();
  await server.close();
});

const client = (): Promise<RawClient> => clients.connect();

const inProcess = () => (server as ServerCore).stats.inProcess;

/** Waits until the in-process count holds still for a few polls. */
async function settled(): Promise<number> {
  let last = -1;
  for (let stable = 0, i = 0; stable < 3 && i < 200; i++) {
    await new Promise((r) => setTimeout(r, 20));
    stable = inProcess() === last ? stable + 1 : 0;
    last = inProcess();
  }
  return last;
}

describe('globalOutstandingLimit throttling', () => {
  it('stops reading a busy connection above the limit, serves others, and resumes in order', async () => {
    const busy = await client();
    const other = await client();
    log.closed = true;
    const xids: number[] = [];
    for (let i = 0; i < 60; i++) xids.push(busy.send(OpCode.create, CreateRequestRec, { path: `/t${i}`, data: null, acl: OPEN_ACL, flags: 0 }));
    // Without throttling all 60 would be in process; the connection is paused once past the limit.
    const held = await settled();
    expect(held).toBeGreaterThan(LIMIT);
    expect(held).toBeLessThanOrEqual(LIMIT + 2);
    const cons = await fourLetter('127.0.0.1', port, 'cons');
    const busyLine = cons.split('\n').find((l) => l.includes(`:${busy.socket.localPort}[`))!;
    expect(busyLine).toMatch(new RegExp(`\\[0\\]\\(queued=${held},`));
    // A connection with nothing in flight is still read and answered.
    const r = await other.call(OpCode.getData, GetDataRequestRec, { path: '/zookeeper', watch: false });
    expect(r.err).toBe(Err.ok);
    log.open();
    for (const xid of xids) {
      const reply = await busy.nextReply(5000);
      expect([reply.xid, reply.err]).toEqual([xid, 0]);
    }
    expect(await settled()).toBe(0);
    const after = await fourLetter('127.0.0.1', port, 'cons');
    expect(after.split('\n').find((l) => l.includes(`:${busy.socket.localPort}[`))).toMatch(/\[1\]\(queued=0,/);
  });

  it('wakes a paused connection once the server is back within the limit, even with a leaked count', async () => {
    const leaky = await client();
    const busy = await client();
    // A lone check is never answered (as in ZooKeeper 3.8), so its queued count stays at 1.
    leaky.send(OpCode.check, CheckVersionRequestRec, { path: '/zookeeper', version: -1 });
    await leaky.call(OpCode.getData, GetDataRequestRec, { path: '/zookeeper', watch: false });
    log.closed = true;
    for (let i = 0; i < 30; i++) busy.send(OpCode.create, CreateRequestRec, { path: `/w${i}`, data: null, acl: OPEN_ACL, flags: 0 });
    expect(await settled()).toBeGreaterThan(LIMIT);
    // Over the limit with the leaked request counted: this read is answered, then reading stops.
    expect((await leaky.call(OpCode.getData, GetDataRequestRec, { path: '/zookeeper', watch: false })).err).toBe(0);
    const pending = leaky.send(OpCode.getData, GetDataRequestRec, { path: '/zookeeper', watch: false });
    await new Promise((r) => setTimeout(r, 100));
    expect(await leaky.nextReply(50).catch(() => null)).toBeNull();
    log.open();
    for (let i = 0; i < 30; i++) expect((await busy.nextReply(5000)).err).toBe(0);
    expect((await leaky.nextReply(5000)).xid).toBe(pending);
  });
});
