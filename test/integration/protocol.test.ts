// Protocol edges: multi results, unknown opcodes, oversized frames, 4lw whitelist, slow readers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Err, OpCode } from '../../src/proto/constants.js';
import {
  CreateRequestRec,
  ExistsRequestRec,
  GetDataRequestRec,
  MultiRequestRec,
  MultiResponseRec,
  SetDataRequestRec,
} from '../../src/proto/records/index.js';
import type { WatchkeeperServer } from '../../src/server/server.js';
import { OPEN_ACL, startServer } from './helpers.js';
import { decodeBody, RawClient } from './rawclient.js';

let server: WatchkeeperServer;
let port: number;
const clients: RawClient[] = [];
const client = async () => {
  const c = await RawClient.connect(port);
  clients.push(c);
  return c;
};
beforeAll(async () => {
  ({ server, port } = await startServer({ fourLetterWhitelist: ['ruok'], maxPendingOutputBytes: 256 * 1024 }));
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server.close();
});

const createOp = (path: string) => ({ type: OpCode.create, req: { path, data: null, acl: OPEN_ACL, flags: 0 } });

async function fourLetter(word: string): Promise<string> {
  const c = await RawClient.open(port);
  clients.push(c);
  c.socket.write(word);
  return new Promise((res) => {
    let s = '';
    c.socket.on('data', (d) => (s += d.toString()));
    c.socket.on('close', () => res(s));
  });
}

describe('protocol edges', () => {
  it('multi: a bad version rolls back with [0, -103, -2] and the reply header err 0', async () => {
    const c = await client();
    await c.call(OpCode.create, CreateRequestRec, { path: '/mv', data: null, acl: OPEN_ACL, flags: 0 });
    const ops = [createOp('/mv/a'), { type: OpCode.setData, req: { path: '/mv', data: null, version: 9 } }, createOp('/mv/b')];
    const r = await c.call(OpCode.multi, MultiRequestRec, ops);
    expect(r.err).toBe(0);
    expect(decodeBody(MultiResponseRec, r)).toEqual([
      { type: -1, err: 0 },
      { type: -1, err: Err.badVersion },
      { type: -1, err: Err.runtimeInconsistency },
    ]);
    expect((await c.call(OpCode.exists, ExistsRequestRec, { path: '/mv/a', watch: false })).err).toBe(Err.noNode);
    const ok = await c.call(OpCode.multi, MultiRequestRec, [createOp('/mv/a'), { type: OpCode.check, req: { path: '/mv/a', version: 0 } }]);
    expect(decodeBody(MultiResponseRec, ok)).toEqual([{ type: OpCode.create, path: '/mv/a' }, { type: OpCode.check }]);
  });

  it('multi: later ops see earlier ones (create then create under it)', async () => {
    const c = await client();
    const r = await c.call(OpCode.multi, MultiRequestRec, [createOp('/chain'), createOp('/chain/x')]);
    expect(decodeBody(MultiResponseRec, r).map((x) => x.type)).toEqual([OpCode.create, OpCode.create]);
  });

  it('an unknown opcode gets Unimplemented and a close', async () => {
    const c = await client();
    const xid = c.send(999, null, null);
    const r = await c.nextReply();
    expect([r.xid, r.err]).toEqual([xid, Err.unimplemented]);
    expect(await c.waitClosed()).toBe(true);
  });

  it('a frame longer than jute.maxbuffer closes the connection', async () => {
    const c = await client();
    c.socket.write(Buffer.from([0x00, 0x20, 0x00, 0x00, 0, 0, 0, 1]));
    expect(await c.waitClosed()).toBe(true);
  });

  it('a client that saw a newer zxid than ours is refused', async () => {
    const c = await RawClient.open(port);
    clients.push(c);
    c.sendConnect({ lastZxidSeen: 1n << 40n });
    expect(await c.waitClosed()).toBe(true);
  });

  it('answers whitelisted four-letter words only', async () => {
    expect(await fourLetter('ruok')).toBe('imok');
    expect(await fourLetter('envi')).toBe('envi is not executed because it is not in the whitelist.\n');
  });

  it('disconnects a client that stops reading once its pending output passes the limit', async () => {
    const w = await client();
    await w.call(OpCode.create, CreateRequestRec, { path: '/big', data: Buffer.alloc(900_000, 1), acl: OPEN_ACL, flags: 0 });
    const slow = await client();
    slow.socket.pause();
    for (let i = 0; i < 40; i++) slow.send(OpCode.getData, GetDataRequestRec, { path: '/big', watch: false });
    await new Promise((r) => setTimeout(r, 500));
    slow.socket.resume(); // a paused socket cannot see the close: read what was sent, then the end
    expect(await slow.waitClosed(10_000)).toBe(true);
    let replies = 0;
    while (await slow.nextFrame(10).then(() => true, () => false)) replies++;
    expect(replies).toBeLessThan(40);
    // Everyone else is unaffected.
    expect((await w.call(OpCode.setData, SetDataRequestRec, { path: '/big', data: null, version: -1 })).err).toBe(0);
  });
});
