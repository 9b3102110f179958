import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Err, EventType, OpCode } from '../../src/proto/constants.js';
import {
  CreateRequestRec,
  Create2ResponseRec,
  CreateResponseRec,
  DeleteRequestRec,
  ExistsRequestRec,
  GetChildrenRequestRec,
  GetChildrenResponseRec,
  GetDataRequestRec,
  GetDataResponseRec,
  SetDataRequestRec,
  StatResponseRec,
  WatcherEventRec,
} from '../../src/proto/records/index.js';
import { JuteReader } from '../../src/proto/jute.js';
import type { WatchkeeperServer } from '../../src/server/server.js';
import { OPEN_ACL, startServer } from './helpers.js';
import { decodeBody, RawClient } from './rawclient.js';

let server: WatchkeeperServer;
let port: number;
const clients: RawClient[] = [];
async function client(): Promise<RawClient> {
  const c = await RawClient.connect(port);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  ({ server, port } = await startServer());
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server.close();
});

const create = (path: string, data = 'x', flags = 0) => ({ path, data: Buffer.from(data), acl: OPEN_ACL, flags });

describe('basic operations over the wire', () => {
  it('connects with a negotiated timeout and a 16-byte password', async () => {
    const c = await client();
    expect(c.session!.sessionId).not.toBe(0n);
    expect(c.session!.timeOut).toBe(30000);
    expect(c.session!.passwd!.length).toBe(16);
    expect(c.session!.readOnly).toBe(false);
  });

  it('create, getData, setData, exists, getChildren, delete', async () => {
    const c = await client();
    const r1 = await c.call(OpCode.create, CreateRequestRec, create('/basic'));
    expect(r1.err).toBe(0);
    expect(decodeBody(CreateResponseRec, r1).path).toBe('/basic');
    const r2 = await c.call(OpCode.getData, GetDataRequestRec, { path: '/basic', watch: false });
    const gd = decodeBody(GetDataResponseRec, r2);
    expect(gd.data!.toString()).toBe('x');
    expect(gd.stat.czxid).toBe(r1.zxid);
    expect(gd.stat.version).toBe(0);
    const r3 = await c.call(OpCode.setData, SetDataRequestRec, { path: '/basic', data: Buffer.from('yy'), version: 0 });
    const st = decodeBody(StatResponseRec, r3).stat;
    expect(st.version).toBe(1);
    expect(st.dataLength).toBe(2);
    expect(st.mzxid).toBe(r3.zxid);
    const bad = await c.call(OpCode.setData, SetDataRequestRec, { path: '/basic', data: null, version: 7 });
    expect(bad.err).toBe(Err.badVersion);
    expect(bad.raw.length).toBe(20);
    await c.call(OpCode.create, CreateRequestRec, create('/basic/kid'));
    const kids = decodeBody(GetChildrenResponseRec, await c.call(OpCode.getChildren, GetChildrenRequestRec, { path: '/basic', watch: false }));
    expect(kids.children).toEqual(['kid']);
    expect((await c.call(OpCode.delete, DeleteRequestRec, { path: '/basic', version: -1 })).err).toBe(Err.notEmpty);
    expect((await c.call(OpCode.delete, DeleteRequestRec, { path: '/basic/kid', version: -1 })).err).toBe(0);
    expect((await c.call(OpCode.delete, DeleteRequestRec, { path: '/basic', version: -1 })).err).toBe(0);
    expect((await c.call(OpCode.exists, ExistsRequestRec, { path: '/basic', watch: false })).err).toBe(Err.noNode);
  });

  it('sequential names use the parent cversion, %010d', async () => {
    const c = await client();
    await c.call(OpCode.create, CreateRequestRec, create('/seq'));
    const a = await c.call(OpCode.create2, CreateRequestRec, create('/seq/n-', '', 2));
    const b = await c.call(OpCode.create2, CreateRequestRec, create('/seq/n-', '', 2));
    expect(decodeBody(Create2ResponseRec, a).path).toBe('/seq/n-0000000000');
    expect(decodeBody(Create2ResponseRec, b).path).toBe('/seq/n-0000000001');
  });

  it('fires a data watch on setData with the exact notification frame', async () => {
    const a = await client();
    const b = await client();
    await a.call(OpCode.create, CreateRequestRec, create('/w'));
    await a.call(OpCode.getData, GetDataRequestRec, { path: '/w', watch: true });
    const set = await b.call(OpCode.setData, SetDataRequestRec, { path: '/w', data: null, version: -1 });
    const n = await a.nextReply();
    expect(n.xid).toBe(-1);
    // ZooKeeper 3.9+ carries the triggering txn's zxid in the notification header (3.8 sent -1).
    expect(n.zxid).toBe(set.zxid);
    expect(n.raw.length).toBe(32 + 2);
    expect(decodeBody(WatcherEventRec, n)).toEqual({ type: EventType.NodeDataChanged, state: 3, path: '/w' });
  });

  it('sends one NodeDeleted to a watcher holding data and child watches', async () => {
    const a = await client();
    const b = await client();
    await a.call(OpCode.create, CreateRequestRec, create('/d'));
    await a.call(OpCode.getData, GetDataRequestRec, { path: '/d', watch: true });
    await a.call(OpCode.getChildren, GetChildrenRequestRec, { path: '/d', watch: true });
    await a.call(OpCode.getChildren, GetChildrenRequestRec, { path: '/', watch: true });
    await b.call(OpCode.delete, DeleteRequestRec, { path: '/d', version: -1 });
    const e1 = decodeBody(WatcherEventRec, await a.nextReply());
    const e2 = decodeBody(WatcherEventRec, await a.nextReply());
    expect([e1, e2]).toEqual([
      { type: EventType.NodeDeleted, state: 3, path: '/d' },
      { type: EventType.NodeChildrenChanged, state: 3, path: '/' },
    ]);
    await expect(a.nextReply(200)).rejects.toThrow(/timeout/);
  });

  it('answers ruok and closes', async () => {
    const c = await RawClient.open(port);
    clients.push(c);
    c.socket.write('ruok');
    const text = await new Promise<string>((res) => {
      let s = '';
      c.socket.on('data', (d) => (s += d.toString()));
      c.socket.on('close', () => res(s));
    });
    expect(text).toBe('imok');
  });

  it('closes only the connection that sent a malformed frame', async () => {
    const good = await client();
    const bad = await client();
    bad.socket.write(Buffer.from([0xff, 0xff, 0xff, 0xf0]));
    expect(await bad.waitClosed()).toBe(true);
    const r = await good.call(OpCode.exists, ExistsRequestRec, { path: '/', watch: false });
    expect(r.err).toBe(0);
    void JuteReader;
  });
});
