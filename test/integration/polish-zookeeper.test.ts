// The same raw-protocol scenarios against Apache ZooKeeper 3.8.0 and watchkeeper, compared
// outcome for outcome: the lone check op, undecodable requests, requests after closeSession,
// whoAmI order, and the four-letter figures (packet counts, per-connection stats, node count,
// approximate data size) that a fresh server reports after an identical sequence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Err, OpCode, Xid } from '../../src/proto/constants.js';
import { JuteWriter } from '../../src/proto/jute.js';
import {
  AuthPacketRec,
  CheckVersionRequestRec,
  CreateRequestRec,
  GetDataRequestRec,
  WhoAmIResponseRec,
} from '../../src/proto/records/index.js';
import type { WatchkeeperServer } from '../../src/server/server.js';
import { fourLetter } from '../helpers/fourletter.js';
import { type RunningServer, startZooKeeper } from '../helpers/zookeeper.js';
import { OPEN_ACL, startServer } from './helpers.js';
import { decodeBody, RawClient, type Reply } from './rawclient.js';

interface Subject {
  name: string;
  port: number;
}

let zk: RunningServer;
let wk: WatchkeeperServer;
const subjects: Subject[] = [];
const clients: RawClient[] = [];

beforeAll(async () => {
  zk = await startZooKeeper();
  // ruok answers before the database is loaded; isro says "rw" once ZooKeeper serves.
  for (let i = 0; i < 100 && (await fourLetter(zk.host, zk.port, 'isro')) !== 'rw'; i++) await new Promise((r) => setTimeout(r, 100));
  const started = await startServer();
  wk = started.server;
  subjects.push({ name: 'zookeeper', port: zk.port }, { name: 'watchkeeper', port: started.port });
}, 90_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await wk?.close();
  await zk?.stop();
});

async function connect(s: Subject): Promise<RawClient> {
  const c = await RawClient.connect(s.port);
  clients.push(c);
  return c;
}

/** A request frame with a hand-made (possibly truncated) body. */
function sendRaw(c: RawClient, xid: number, type: number, body: Buffer): void {
  const w = new JuteWriter().int(8 + body.length).int(xid).int(type);
  c.socket.write(Buffer.concat([w.bytes(), body]));
}

const create = (path: string) => ({ path, data: Buffer.from('x'), acl: OPEN_ACL, flags: 0 });
const uniq = (tag: string) => `/${tag}-${Date.now().toString(36)}`;

/** Replies as (xid, err, zxid relative to `base`), read until `lastXid` or the connection closes. */
async function collect(c: RawClient, base: bigint, lastXid: number): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    let r: Reply;
    try {
      r = await c.nextReply(3000);
    } catch {
      out.push(c.closed ? 'closed' : 'timeout');
      return out;
    }
    out.push(`${r.xid}:${r.err}:+${r.zxid - base}`);
    if (r.xid === lastXid) return out;
  }
}

describe('request edge cases, watchkeeper vs Apache ZooKeeper 3.8.0', () => {
  /** create; lone check ok; lone check bad version; getData. */
  async function loneCheck(s: Subject): Promise<string[]> {
    const c = await connect(s);
    const path = uniq('chk');
    const base = (await c.call(OpCode.create, CreateRequestRec, create(path))).zxid;
    c.send(OpCode.check, CheckVersionRequestRec, { path, version: 0 }, 10);
    c.send(OpCode.check, CheckVersionRequestRec, { path, version: 7 }, 11);
    c.send(OpCode.getData, GetDataRequestRec, { path, watch: false }, 12);
    return collect(c, base, 12);
  }

  it('a successful lone check gets no reply, its txn is applied and the connection lives on', async () => {
    const [real, ours] = await Promise.all(subjects.map(loneCheck));
    // xid 10 never answered; the failing check is; zxids show the first check consumed one.
    expect(real).toEqual(['11:-103:+2', '12:0:+2']);
    expect(ours).toEqual(real);
  });

  /** Truncated create, getData, multi and setData bodies, then a valid getData. */
  async function undecodable(s: Subject): Promise<string[]> {
    const c = await connect(s);
    const path = uniq('bad');
    const base = (await c.call(OpCode.create, CreateRequestRec, create(path))).zxid;
    sendRaw(c, 20, OpCode.create, Buffer.from([0, 0, 0, 9, 0x2f]));
    sendRaw(c, 21, OpCode.getData, Buffer.from([0, 0, 0, 9, 0x2f]));
    sendRaw(c, 22, OpCode.multi, Buffer.from([0, 0, 0, 99]));
    sendRaw(c, 23, OpCode.setData, Buffer.from([0, 0, 0, 2, 0x2f, 0x61]));
    c.send(OpCode.getData, GetDataRequestRec, { path, watch: false }, 24);
    return collect(c, base, 24);
  }

  it('undecodable requests answer MarshallingError, writes consume a zxid, the connection stays open', async () => {
    const [real, ours] = await Promise.all(subjects.map(undecodable));
    const m = Err.marshallingError;
    expect(real).toEqual([`20:${m}:+1`, `21:${m}:+1`, `22:${m}:+2`, `23:${m}:+3`, '24:0:+3']);
    expect(ours).toEqual(real);
  });

  /** closeSession with a read and a write pipelined behind it. */
  async function afterClose(s: Subject): Promise<string[]> {
    const c = await connect(s);
    const path = uniq('cls');
    const base = (await c.call(OpCode.create, CreateRequestRec, create(path))).zxid;
    c.send(OpCode.closeSession, null, null, 30);
    c.send(OpCode.getData, GetDataRequestRec, { path, watch: false }, 31);
    c.send(OpCode.create, CreateRequestRec, create(`${path}x`), 32);
    return collect(c, base, 32);
  }

  it('requests behind a closeSession are dropped: the close is answered, then the connection closes', async () => {
    const [real, ours] = await Promise.all(subjects.map(afterClose));
    expect(real).toEqual(['30:0:+1', 'closed']);
    expect(ours).toEqual(real);
  });

  async function whoAmI(s: Subject): Promise<unknown> {
    const c = await connect(s);
    for (const auth of ['bob:secret', 'alice:pw', 'carol:x']) {
      c.send(OpCode.auth, AuthPacketRec, { type: 0, scheme: 'digest', auth: Buffer.from(auth) }, Xid.auth);
      expect((await c.nextReply()).err).toBe(0);
    }
    return decodeBody(WhoAmIResponseRec, await c.call(OpCode.whoAmI, null, null)).clientInfo;
  }

  it('whoAmI lists the ids in ZooKeeper\'s order', async () => {
    const [real, ours] = await Promise.all(subjects.map(whoAmI));
    expect((real as unknown[]).length).toBe(4);
    expect(ours).toEqual(real);
  });
});

/** "key=value" fields of the cons line for a session. */
function consFields(cons: string, sessionId: bigint): Record<string, string> {
  const line = cons.split('\n').find((l) => l.includes(`sid=0x${BigInt.asUintN(64, sessionId).toString(16)},`));
  if (!line) throw new Error(`session not in cons:\n${cons}`);
  const inner = line.slice(line.indexOf('(') + 1, line.lastIndexOf(')'));
  return Object.fromEntries(inner.split(',').map((kv) => kv.split('=') as [string, string]));
}

const statLine = (text: string, key: string): string => text.split('\n').find((l) => l.startsWith(`${key}:`))!.split(': ')[1]!;
const mntrValue = (text: string, key: string): string => text.split('\n').find((l) => l.startsWith(`zk_${key}\t`))!.split('\t')[1]!;

describe('four-letter figures, watchkeeper vs Apache ZooKeeper 3.8.0', () => {
  interface Figures {
    afterConnect: Record<string, string>;
    afterFailedCreate: Record<string, string>;
    afterMissingRead: Record<string, string>;
    afterPing: Record<string, string>;
    afterCrst: Record<string, string>;
    counters: string[];
    base: bigint;
  }

  /** srst, a session doing create / failed create / missing read / ping, cons after each step. */
  async function figures(s: Subject): Promise<Figures> {
    // ZooKeeper counts a packet as sent only after its selector thread wrote it, which can be just
    // after the client read it: give both servers a moment before each `cons` (a fixed pause, not
    // polling, because every four-letter word also counts in the srvr totals compared below).
    const fields = async (sid: bigint): Promise<Record<string, string>> => {
      await new Promise((r) => setTimeout(r, 100));
      return consFields(await fourLetter('127.0.0.1', s.port, 'cons'), sid);
    };
    await fourLetter('127.0.0.1', s.port, 'srst');
    const c = await connect(s);
    const sid = c.session!.sessionId;
    const cons = () => fields(sid);
    const afterConnect = await cons();
    const path = uniq('fig');
    const base = (await c.call(OpCode.create, CreateRequestRec, create(path))).zxid;
    expect((await c.call(OpCode.create, CreateRequestRec, create(path))).err).toBe(Err.nodeExists);
    const afterFailedCreate = await cons();
    expect((await c.call(OpCode.getData, GetDataRequestRec, { path: `${path}/none`, watch: false })).err).toBe(Err.noNode);
    const afterMissingRead = await cons();
    c.send(OpCode.ping, null, null, Xid.ping);
    await c.nextReply();
    const afterPing = await cons();
    const srvr = await fourLetter('127.0.0.1', s.port, 'srvr');
    const counters = [statLine(srvr, 'Received'), statLine(srvr, 'Sent'), statLine(srvr, 'Outstanding')];
    await fourLetter('127.0.0.1', s.port, 'crst');
    const afterCrst = await cons();
    return { afterConnect, afterFailedCreate, afterMissingRead, afterPing, afterCrst, counters, base };
  }

  /** What can be compared exactly: everything but times, latencies and absolute zxids. */
  function comparable(f: Record<string, string>, base: bigint): Record<string, string> {
    const { sid, est, lresp, llat, minlat, avglat, maxlat, lzxid, ...rest } = f;
    void [sid, est, lresp, llat, minlat, avglat, maxlat];
    const z = BigInt.asIntN(64, BigInt(lzxid!));
    return { ...rest, lzxid: z === -1n ? '-1' : `+${z - base}` };
  }

  it('counts packets, queued requests, last operation, cxid and zxid as ZooKeeper does', async () => {
    const real = await figures(subjects[0]!);
    const ours = await figures(subjects[1]!);
    for (const key of ['afterConnect', 'afterFailedCreate', 'afterMissingRead', 'afterPing', 'afterCrst'] as const) {
      expect({ key, ...comparable(ours[key], ours.base) }).toEqual({ key, ...comparable(real[key], real.base) });
    }
    expect(real.afterConnect).toMatchObject({ lop: 'SESS', lcxid: '0x0', recved: '1', sent: '1', queued: '0' });
    expect(real.afterFailedCreate.lop).toBe('NA');
    expect(real.afterMissingRead.lop).toBe('GETD');
    expect(real.afterCrst).toMatchObject({ lop: 'NA', recved: '0', sent: '0', lzxid: '0xffffffffffffffff', minlat: '0' });
    expect(real.afterCrst.lcxid).toBeUndefined();
    // srvr after srst counts every packet since, four-letter words included.
    expect(ours.counters).toEqual(real.counters);
  });

  it('reports the node count and approximate data size ZooKeeper reports for the same tree', async () => {
    const figuresOf = async (s: Subject) => {
      const c = await connect(s);
      const root = uniq('size');
      await c.call(OpCode.create, CreateRequestRec, { path: root, data: Buffer.alloc(100), acl: OPEN_ACL, flags: 0 });
      const before = await fourLetter('127.0.0.1', s.port, 'mntr');
      await c.call(OpCode.create, CreateRequestRec, { path: `${root}/child`, data: Buffer.alloc(1000), acl: OPEN_ACL, flags: 0 });
      const after = await fourLetter('127.0.0.1', s.port, 'mntr');
      const delta = (k: string) => Number(mntrValue(after, k)) - Number(mntrValue(before, k));
      return { nodes: delta('znode_count'), size: delta('approximate_data_size'), path: `${root}/child`.length };
    };
    const real = await figuresOf(subjects[0]!);
    const ours = await figuresOf(subjects[1]!);
    expect(real).toEqual({ nodes: 1, size: real.path + 1000, path: real.path });
    expect(ours).toEqual(real);
  });

  it('a fresh server reports ZooKeeper\'s node count (root counted twice) and data size', async () => {
    const fresh = await startServer();
    try {
      const mntr = await fourLetter('127.0.0.1', fresh.port, 'mntr');
      // A fresh 3.8.0: "", /, /zookeeper, /zookeeper/quota, /zookeeper/config; 0+1+10+16+17 chars.
      expect([mntrValue(mntr, 'znode_count'), mntrValue(mntr, 'approximate_data_size')]).toEqual(['5', '44']);
    } finally {
      await fresh.server.close();
    }
  });
});
