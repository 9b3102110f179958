// A notification storm aimed at a client that stopped reading: its output piles up in its own
// buffer only, everyone else keeps being served and notified, and once its pending output passes
// ServerOptions.maxPendingOutputBytes it is disconnected (Redis's output-buffer hard limit;
// ZooKeeper itself has no such bound and lets the queue grow until the session times out).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventType, OpCode, Xid } from '../../src/proto/constants.js';
import { AddWatchRequestRec, CreateRequestRec, GetDataRequestRec, SetDataRequestRec } from '../../src/proto/records/index.js';
import type { WatchkeeperServer } from '../../src/server/server.js';
import { fourLetter } from '../helpers/fourletter.js';
import { OPEN_ACL, startServer } from './helpers.js';
import { RawClient, ClientPool } from './rawclient.js';

const MAX_PENDING = 256 * 1024;
// A long path makes each notification ~4 KB, so the storm outgrows socket buffers quickly.
const PATH = `/storm/${'n'.repeat(4000)}`;
const WRITES = 4000;

let server: WatchkeeperServer;
let port: number;
const clients = new ClientPool(() => port);

beforeAll(async () => {
  ({ server, port } = await startServer({ maxPendingOutputBytes: MAX_PENDING }));
});
afterAll(async () => {
  clients.closeAll();
  await server.close();
});

const client = (): Promise<RawClient> => clients.connect();

async function watchAll(c: RawClient): Promise<void> {
  expect((await c.call(OpCode.addWatch, AddWatchRequestRec, { path: '/storm', mode: 1 })).err).toBe(0);
}

/** Counts the NodeDataChanged notifications arriving on `c` until `n` or a quiet second. */
async function countEvents(c: RawClient, n: number): Promise<number> {
  let seen = 0;
  while (seen < n) {
    const r = await c.nextReply(1000).catch(() => null);
    if (!r) break;
    if (r.xid === Xid.notification && r.body.readInt32BE(0) === EventType.NodeDataChanged) seen++;
  }
  return seen;
}

describe('slow consumers under a notification storm', () => {
  it('cuts off the client that stopped reading and never stalls the others', async () => {
    const writer = await client();
    await writer.call(OpCode.create, CreateRequestRec, { path: '/storm', data: null, acl: OPEN_ACL, flags: 0 });
    await writer.call(OpCode.create, CreateRequestRec, { path: PATH, data: null, acl: OPEN_ACL, flags: 0 });
    const slow = await client();
    const watcher = await client();
    const bystander = await client();
    await watchAll(slow);
    await watchAll(watcher);
    slow.socket.pause();
    const events = countEvents(watcher, WRITES);
    let worstPing = 0;
    for (let batch = 0; batch < WRITES / 200; batch++) {
      for (let i = 0; i < 200; i++) writer.send(OpCode.setData, SetDataRequestRec, { path: PATH, data: null, version: -1 });
      const t0 = performance.now();
      expect((await bystander.call(OpCode.getData, GetDataRequestRec, { path: '/storm', watch: false })).err).toBe(0);
      worstPing = Math.max(worstPing, performance.now() - t0);
      for (let i = 0; i < 200; i++) expect((await writer.nextReply(5000)).err).toBe(0);
    }
    expect(await events).toBe(WRITES);
    expect(worstPing).toBeLessThan(1000);
    // The slow connection is gone from the server's list; its socket sees the end once it reads.
    const cons = await fourLetter('127.0.0.1', port, 'cons');
    expect(cons).not.toContain(`:${slow.socket.localPort}[`);
    expect(cons).toContain(`:${watcher.socket.localPort}[`);
    slow.socket.resume();
    expect(await slow.waitClosed(10_000)).toBe(true);
  });
});
