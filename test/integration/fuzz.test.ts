// Bad input never harms the server or other sessions: random frames (known and unknown opcodes,
// random and truncated bodies, garbage before the handshake) are answered with an error or a
// closed connection, while a bystander session keeps working and keeps its watch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import net from 'node:net';
import type { WatchkeeperServer } from '../../src/server/server.js';
import { EventType, OpCode } from '../../src/proto/constants.js';
import { CreateRequestRec, ExistsRequestRec, GetDataRequestRec, SetDataRequestRec, WatcherEventRec } from '../../src/proto/records/index.js';
import { decodeBody, RawClient } from './rawclient.js';
import { OPEN_ACL, startServer } from './helpers.js';

let server: WatchkeeperServer;
let port: number;
let bystander: RawClient;

beforeAll(async () => {
  ({ server, port } = await startServer());
  bystander = await RawClient.connect(port);
  await bystander.call(OpCode.create, CreateRequestRec, { path: '/bystander', data: Buffer.from('x'), acl: OPEN_ACL, flags: 0 });
  await bystander.call(OpCode.getData, GetDataRequestRec, { path: '/bystander', watch: true });
});

afterAll(async () => {
  bystander?.close();
  await server?.close();
});

const OPS = Object.values(OpCode).filter((v) => v !== OpCode.closeSession);

/** One request frame: length, RequestHeader {xid, type}, body. */
function frame(xid: number, type: number, body: Uint8Array): Buffer {
  const b = Buffer.alloc(12 + body.length);
  b.writeInt32BE(8 + body.length, 0);
  b.writeInt32BE(xid, 4);
  b.writeInt32BE(type, 8);
  b.set(body, 12);
  return b;
}

/** Writes `bytes`, then waits until the server has answered everything or closed the socket. */
async function sendAndSettle(c: RawClient, bytes: Buffer): Promise<void> {
  if (!c.socket.destroyed) c.socket.write(bytes);
  // A ping after the junk: its reply (or the close) means the server has dealt with everything before it.
  if (!c.socket.destroyed) c.socket.write(frame(-2, OpCode.ping, new Uint8Array(0)));
  const deadline = Date.now() + 3000;
  while (!c.closed && Date.now() < deadline) {
    try {
      const r = await c.nextReply(deadline - Date.now());
      if (r.xid === -2) return;
    } catch {
      return; // closed (or silent: the deadline check below decides)
    }
  }
}

async function bystanderAlive(): Promise<void> {
  const r = await bystander.call(OpCode.exists, ExistsRequestRec, { path: '/bystander', watch: false });
  expect(r.err).toBe(0);
}

describe('random input', () => {
  it('random frames after the handshake never crash the server or touch another session', async () => {
    const req = fc.record({
      type: fc.oneof(fc.constantFrom(...OPS), fc.integer({ min: -20, max: 200 }), fc.integer()),
      xid: fc.integer({ min: 1, max: 1 << 30 }),
      body: fc.uint8Array({ maxLength: 48 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(req, { minLength: 1, maxLength: 6 }), async (reqs) => {
        const c = await RawClient.connect(port);
        try {
          await sendAndSettle(c, Buffer.concat(reqs.map((r) => frame(r.xid, r.type, r.body))));
        } finally {
          c.close();
        }
        await bystanderAlive();
      }),
      { numRuns: 60 },
    );
  });

  it('garbage instead of a ConnectRequest closes only that connection', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 80 }), async (junk) => {
        const s = net.connect(port, '127.0.0.1');
        s.on('error', () => {});
        await new Promise<void>((resolve) => s.once('connect', () => resolve()));
        s.write(Buffer.concat([Buffer.from([0, 0, 0, junk.length]), junk]));
        s.end();
        await new Promise<void>((resolve) => {
          s.once('close', () => resolve());
          setTimeout(() => { s.destroy(); resolve(); }, 3000);
        });
        await bystanderAlive();
      }),
      { numRuns: 40 },
    );
  });

  it('the bystander still gets its notification afterwards', async () => {
    const writer = await RawClient.connect(port);
    try {
      const set = await writer.call(OpCode.setData, SetDataRequestRec, { path: '/bystander', data: Buffer.from('y'), version: -1 });
      expect(set.err).toBe(0);
      let n = await bystander.nextReply();
      while (n.xid !== -1) n = await bystander.nextReply();
      expect(decodeBody(WatcherEventRec, n)).toEqual({ type: EventType.NodeDataChanged, state: 3, path: '/bystander' });
    } finally {
      writer.close();
    }
  });
});
