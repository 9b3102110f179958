import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Err, EventType, OpCode, Xid } from '../../src/proto/constants.js';
import {
  AuthPacketRec,
  CreateRequestRec,
  CreateResponseRec,
  ExistsRequestRec,
  GetDataRequestRec,
  GetEphemeralsRequestRec,
  GetEphemeralsResponseRec,
  SetDataRequestRec,
  SetWatchesRec,
  WatcherEventRec,
  WhoAmIResponseRec,
} from '../../src/proto/records/index.js';
import type { WatchkeeperServer } from '../../src/server/server.js';
import { OPEN_ACL, startServer } from './helpers.js';
import { decodeBody, RawClient } from './rawclient.js';

let server: WatchkeeperServer;
let port: number;
const clients: RawClient[] = [];
async function client(opts = {}): Promise<RawClient> {
  const c = await RawClient.connect(port, opts);
  clients.push(c);
  return c;
}
beforeAll(async () => {
  ({ server, port } = await startServer({ tickTime: 100, minSessionTimeout: 200, maxSessionTimeout: 5000 }));
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server.close();
});

const create = (path: string, flags = 0, acl = OPEN_ACL) => ({ path, data: Buffer.from('d'), acl, flags });

describe('sessions over the wire', () => {
  it('negotiates the timeout into [min, max] and answers without readOnly when the client omitted it', async () => {
    const c = await client({ timeOut: 100000, readOnlyByte: false });
    expect(c.session!.timeOut).toBe(5000);
    expect(c.session!.readOnly).toBeUndefined();
    const d = await client({ timeOut: 1 });
    expect(d.session!.timeOut).toBe(200);
  });

  it('re-attaches a live session from a new connection and closes the old one', async () => {
    const a = await client({ timeOut: 4000 });
    const { sessionId, passwd } = a.session!;
    const b = await client({ timeOut: 4000, sessionId, passwd: passwd! });
    expect(b.session!.sessionId).toBe(sessionId);
    expect(b.session!.passwd!.equals(passwd!)).toBe(true);
    expect(await a.waitClosed()).toBe(true);
    expect((await b.call(OpCode.exists, ExistsRequestRec, { path: '/', watch: false })).err).toBe(0);
  });

  it('rejects a wrong password and an unknown session with timeout 0 and id 0, then closes', async () => {
    const a = await client({ timeOut: 4000 });
    for (const opts of [{ sessionId: a.session!.sessionId, passwd: Buffer.alloc(16, 9) }, { sessionId: 12345n, passwd: Buffer.alloc(16) }]) {
      const c = await RawClient.open(port);
      clients.push(c);
      c.sendConnect({ timeOut: 4000, ...opts });
      const r = await c.readConnectResponse();
      expect([r.timeOut, r.sessionId, r.passwd!.length]).toEqual([0, 0n, 16]);
      expect(await c.waitClosed()).toBe(true);
    }
  });

  it('expires an idle session and deletes its ephemerals, notifying watchers', async () => {
    const owner = await client({ timeOut: 200 });
    await owner.call(OpCode.create, CreateRequestRec, create('/eph-exp', 1));
    const watcher = await client({ timeOut: 5000 });
    await watcher.call(OpCode.exists, ExistsRequestRec, { path: '/eph-exp', watch: true });
    owner.socket.pause(); // keep the socket, stop talking: no pings
    const ev = await watcher.nextReply(3000);
    expect(decodeBody(WatcherEventRec, ev)).toEqual({ type: EventType.NodeDeleted, state: 3, path: '/eph-exp' });
    expect(await owner.waitClosed()).toBe(true);
  });

  it('closeSession deletes ephemerals, answers, and closes the connection', async () => {
    const a = await client({ timeOut: 4000 });
    await a.call(OpCode.create, CreateRequestRec, create('/eph-close', 1));
    const eph = decodeBody(GetEphemeralsResponseRec, await a.call(OpCode.getEphemerals, GetEphemeralsRequestRec, { prefixPath: '/eph' }));
    expect(eph.ephemerals).toEqual(['/eph-close']);
    const r = await a.call(OpCode.closeSession, null, null);
    expect(r.err).toBe(0);
    expect(await a.waitClosed()).toBe(true);
    const b = await client();
    expect((await b.call(OpCode.exists, ExistsRequestRec, { path: '/eph-close', watch: false })).err).toBe(Err.noNode);
  });

  it('handles auth and setWatches sent before the connect response, in order', async () => {
    const setup = await client();
    await setup.call(OpCode.create, CreateRequestRec, create('/early'));
    const c = await RawClient.open(port);
    clients.push(c);
    c.sendConnect({ timeOut: 4000 });
    c.send(OpCode.auth, AuthPacketRec, { type: 0, scheme: 'digest', auth: Buffer.from('bob:secret') }, Xid.auth);
    c.send(OpCode.setWatches, SetWatchesRec, { relativeZxid: 0n, dataWatches: ['/early'], existWatches: ['/nothing'], childWatches: [] }, Xid.setWatches);
    const who = c.send(OpCode.whoAmI, null, null);
    await c.readConnectResponse();
    const auth = await c.nextReply();
    expect([auth.xid, auth.zxid, auth.err]).toEqual([Xid.auth, 0n, 0]);
    // /early changed after zxid 0: the data watch fires at once as NodeDataChanged, with zxid -1.
    const catchUp = await c.nextReply();
    expect(catchUp.xid).toBe(-1);
    expect(decodeBody(WatcherEventRec, catchUp)).toEqual({ type: EventType.NodeDataChanged, state: 3, path: '/early' });
    const sw = await c.nextReply();
    expect([sw.xid, sw.err]).toEqual([Xid.setWatches, 0]);
    const w = await c.nextReply();
    expect(w.xid).toBe(who);
    // ZooKeeper 3.8.0 lists them in its auth-info set's hash order: digest before ip here.
    expect(decodeBody(WhoAmIResponseRec, w).clientInfo).toEqual([
      { authScheme: 'digest', user: 'bob' },
      { authScheme: 'ip', user: '127.0.0.1' },
    ]);
    // The exist watch on /nothing was registered: creating it notifies.
    await setup.call(OpCode.create, CreateRequestRec, create('/nothing'));
    expect(decodeBody(WatcherEventRec, await c.nextReply())).toMatchObject({ type: EventType.NodeCreated, path: '/nothing' });
  });

  it('answers AuthFailed for an unknown scheme and closes', async () => {
    const c = await client();
    c.send(OpCode.auth, AuthPacketRec, { type: 0, scheme: 'nope', auth: Buffer.from('x') }, Xid.auth);
    const r = await c.nextReply();
    expect([r.xid, r.err]).toEqual([Xid.auth, Err.authFailed]);
    expect(await c.waitClosed()).toBe(true);
  });

  it('enforces digest ACLs and hides notifications from clients without READ', async () => {
    const owner = await client();
    owner.send(OpCode.auth, AuthPacketRec, { type: 0, scheme: 'digest', auth: Buffer.from('alice:pw') }, Xid.auth);
    expect((await owner.nextReply()).err).toBe(0);
    const creatorAll = [{ perms: 31, id: { scheme: 'auth', id: '' } }];
    const r = await owner.call(OpCode.create, CreateRequestRec, create('/secret', 0, creatorAll));
    expect(decodeBody(CreateResponseRec, r).path).toBe('/secret');
    const stranger = await client();
    expect((await stranger.call(OpCode.getData, GetDataRequestRec, { path: '/secret', watch: true })).err).toBe(Err.noAuth);
    expect((await stranger.call(OpCode.setData, SetDataRequestRec, { path: '/secret', data: null, version: -1 })).err).toBe(Err.noAuth);
    // An exist watch set by a client without READ must not deliver the change (CVE-2024-23944).
    await stranger.call(OpCode.addWatch, (await import('../../src/proto/records/requests.js')).AddWatchRequestRec, { path: '/', mode: 1 });
    await owner.call(OpCode.setData, SetDataRequestRec, { path: '/secret', data: Buffer.from('z'), version: -1 });
    await expect(stranger.nextReply(300)).rejects.toThrow(/timeout/);
  });

  it('refuses connections over maxClientCnxns per IP', async () => {
    const limited = await startServer({ maxClientCnxns: 2 });
    try {
      const a = await RawClient.connect(limited.port);
      const b = await RawClient.connect(limited.port);
      const c = await RawClient.open(limited.port);
      expect(await c.waitClosed()).toBe(true);
      a.close();
      b.close();
    } finally {
      await limited.server.close();
    }
  });
});
