// The socket writer thread (src/net/writer.ts) over real sockets, with a threshold of 2 so every
// pass of a few connections is shared with it: notifications and replies stay in order per
// connection and are counted; a client closing in the middle of offloaded passes leaves no bytes
// for the connection that gets its fd number next; a client that stops reading is still cut off at
// the output limit; a writer thread that is killed or crashes mid-batch loses no output of the
// connections it did not hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpCode, Xid } from '../../src/proto/constants.js';
import { AddWatchRequestRec, CreateRequestRec, GetDataRequestRec, SetDataRequestRec } from '../../src/proto/records/index.js';
import type { ServerCore } from '../../src/server/server.js';
import { WRITER_LIMITS } from '../../src/net/writer.js';
import { fourLetter } from '../helpers/fourletter.js';
import { OPEN_ACL, startServer } from './helpers.js';
import { RawClient, type Reply, ClientPool } from './rawclient.js';

const MAX_PENDING = 256 * 1024;
let server: ServerCore;
let port: number;
const clients = new ClientPool(() => port);

// The main thread leaves every batch entry to the thread, so these tests exercise the thread's
// writes whatever the scheduling (the main thread's share is covered in test/unit/net/outbuf.test.ts).
beforeAll(async () => {
  const s = await startServer({ maxPendingOutputBytes: MAX_PENDING, writerMinBatch: 2, maxClientCnxns: 0 });
  server = s.server as ServerCore;
  port = s.port;
  WRITER_LIMITS.mainClaims = false;
});
afterAll(async () => {
  WRITER_LIMITS.mainClaims = true;
  clients.closeAll();
  await server.close();
});

const client = (): Promise<RawClient> => clients.connect();

async function watchers(n: number, path: string): Promise<RawClient[]> {
  const list = await Promise.all(Array.from({ length: n }, () => client()));
  for (const c of list) expect((await c.call(OpCode.addWatch, AddWatchRequestRec, { path, mode: 1 })).err).toBe(0);
  return list;
}

/** Reads `n` frames (or until `quietMs` without one / the close), in arrival order. */
async function frames(c: RawClient, n: number, quietMs = 1000): Promise<Reply[]> {
  const got: Reply[] = [];
  while (got.length < n) {
    const r = await c.nextReply(quietMs).catch(() => null);
    if (!r) break;
    got.push(r);
  }
  return got;
}

function writer(): NonNullable<ServerCore['flushQueue']['socketWriter']> {
  const w = server.flushQueue.socketWriter;
  if (!w) throw new Error('no writer thread');
  return w;
}

/** `sent=` of the connection on local port `port` in cons. */
function sentOf(cons: string, localPort: number): number {
  const line = cons.split('\n').find((l) => l.includes(`:${localPort}[`)) ?? '';
  return Number(/sent=(\d+)/.exec(line)?.[1] ?? -1);
}

describe('socket writer thread', () => {
  it('keeps notifications and interleaved replies in order per connection, and counts them', async () => {
    const w0 = await client();
    await w0.call(OpCode.create, CreateRequestRec, { path: '/order', data: null, acl: OPEN_ACL, flags: 0 });
    const list = await watchers(60, '/order');
    const before = writer().counts.byThread;
    const WRITES = 40;
    for (let i = 0; i < WRITES; i++) {
      w0.send(OpCode.setData, SetDataRequestRec, { path: '/order', data: Buffer.from(String(i)), version: -1 });
      for (const c of list) c.send(OpCode.getData, GetDataRequestRec, { path: '/order', watch: false });
    }
    for (const c of list) {
      const got = await frames(c, WRITES * 2);
      expect(got.length).toBe(WRITES * 2);
      const zxids = got.filter((r) => r.xid === Xid.notification).map((r) => r.zxid);
      const xids = got.filter((r) => r.xid !== Xid.notification).map((r) => r.xid);
      expect(zxids.length).toBe(WRITES);
      expect([...zxids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(zxids);
      expect(xids).toEqual(xids.map((_, i) => xids[0]! + i));
    }
    // connect response + addWatch reply + the replies and notifications above
    const cons = await fourLetter('127.0.0.1', port, 'cons');
    for (const c of list) expect(sentOf(cons, c.socket.localPort!)).toBe(2 + WRITES * 2);
    expect(writer().counts.byThread).toBeGreaterThan(before);
  });

  it('sends nothing to a new connection that reuses the fd of one closed amid offloaded passes', async () => {
    const w0 = await client();
    await w0.call(OpCode.create, CreateRequestRec, { path: '/reuse', data: null, acl: OPEN_ACL, flags: 0 });
    const list = await watchers(40, '/reuse');
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 5; i++) w0.send(OpCode.setData, SetDataRequestRec, { path: '/reuse', data: null, version: -1 });
      list[round]!.close(); // its fd is freed while notifications for it are in flight
      const fresh = await client(); // likely gets that fd number
      const own = fresh.send(OpCode.getData, GetDataRequestRec, { path: '/reuse', watch: false });
      const got = await frames(fresh, 2, 200);
      expect(got.map((r) => r.xid)).toEqual([own]); // its reply, and no notification of anyone else's
      for (let i = 0; i < 5; i++) expect((await w0.nextReply()).err).toBe(0);
    }
    for (const c of list.slice(10)) expect((await frames(c, 50)).length).toBe(50);
  });

  it('still cuts off a client that stopped reading, the others unharmed', async () => {
    const w0 = await client();
    const path = `/slow-${'n'.repeat(4000)}`; // ~4 KB notifications fill socket buffers fast
    await w0.call(OpCode.create, CreateRequestRec, { path, data: null, acl: OPEN_ACL, flags: 0 });
    const [slow, ...rest] = await watchers(6, path);
    slow!.socket.pause();
    // Loopback socket buffers take a few MB before a write is refused: 4,000 × 4 KB is well past them.
    const WRITES = 4000;
    const counted = rest.map((c) => frames(c, WRITES, 3000).then((f) => f.length));
    for (let batch = 0; batch < WRITES / 200; batch++) {
      for (let i = 0; i < 200; i++) w0.send(OpCode.setData, SetDataRequestRec, { path, data: null, version: -1 });
      for (let i = 0; i < 200; i++) expect((await w0.nextReply(5000)).err).toBe(0);
    }
    for (const n of await Promise.all(counted)) expect(n).toBe(WRITES);
    const cons = await fourLetter('127.0.0.1', port, 'cons');
    expect(cons).not.toContain(`:${slow!.socket.localPort}[`);
    slow!.socket.resume();
    expect(await slow!.waitClosed(10_000)).toBe(true);
  });

  it('delivers everything after the thread is killed between passes', async () => {
    const w0 = await client();
    await w0.call(OpCode.create, CreateRequestRec, { path: '/killed', data: null, acl: OPEN_ACL, flags: 0 });
    const list = await watchers(20, '/killed');
    w0.send(OpCode.setData, SetDataRequestRec, { path: '/killed', data: null, version: -1 });
    for (const c of list) expect((await frames(c, 1)).length).toBe(1);
    await writer().kill();
    for (let i = 0; i < 20; i++) w0.send(OpCode.setData, SetDataRequestRec, { path: '/killed', data: null, version: -1 });
    for (const c of list) expect((await frames(c, 20)).length).toBe(20);
    expect(server.flushQueue.socketWriter).toBeNull();
  });
});

describe('socket writer thread crashing inside a batch', () => {
  let crashServer: ServerCore;
  let crashPort: number;
  const waitMs = WRITER_LIMITS.waitMs;
  beforeAll(async () => {
    const s = await startServer({ writerMinBatch: 2, maxClientCnxns: 0 });
    crashServer = s.server as ServerCore;
    crashPort = s.port;
    WRITER_LIMITS.waitMs = 200; // every entry goes to the thread (above), so the crash is inside a batch
  });
  afterAll(async () => {
    WRITER_LIMITS.waitMs = waitMs;
    await crashServer.close();
  });

  it('closes only the connection whose bytes it held; the rest get every notification', async () => {
    const open = async (): Promise<RawClient> => {
      const c = await RawClient.connect(crashPort);
      clients.open.push(c);
      return c;
    };
    const w0 = await open();
    await w0.call(OpCode.create, CreateRequestRec, { path: '/crash', data: null, acl: OPEN_ACL, flags: 0 });
    const list = await Promise.all(Array.from({ length: 30 }, () => open()));
    for (const c of list) await c.call(OpCode.addWatch, AddWatchRequestRec, { path: '/crash', mode: 1 });
    const w = crashServer.flushQueue.socketWriter!;
    w.crashAfter(3);
    const WRITES = 30;
    for (let i = 0; i < WRITES; i++) w0.send(OpCode.setData, SetDataRequestRec, { path: '/crash', data: null, version: -1 });
    const counts = await Promise.all(list.map((c) => frames(c, WRITES).then((f) => f.length)));
    const cut = list.filter((c) => c.closed);
    expect(w.alive).toBe(false);
    expect(cut.length).toBeLessThanOrEqual(1);
    list.forEach((c, i) => expect(c.closed || counts[i] === WRITES).toBe(true));
    expect((await w0.call(OpCode.getData, GetDataRequestRec, { path: '/crash', watch: false })).err).toBe(0);
  });
});
