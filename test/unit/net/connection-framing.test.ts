// Framing as the connection sees it over a real socket: the connection holds frame state only
// while a partial frame is pending, so these tests cut frames at every kind of boundary (inside
// the length prefix, inside the body, a whole frame plus the start of the next) with a pause
// between writes so each piece arrives as its own read, and check replies come back whole and in
// order. A bad length, even in a frame that is not complete yet, closes only that connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpCode } from '../../../src/proto/constants.js';
import { JuteWriter } from '../../../src/proto/jute.js';
import { ExistsRequestRec } from '../../../src/proto/records/requests.js';
import type { WatchkeeperServer } from '../../../src/server/server.js';
import { startServer } from '../../integration/helpers.js';
import { RawClient } from '../../integration/rawclient.js';

let server: WatchkeeperServer;
let port: number;

beforeAll(async () => {
  ({ server, port } = await startServer());
});

afterAll(async () => {
  await server.close();
});

/** An exists('/') request frame, length prefix included. */
function existsFrame(xid: number): Buffer {
  const w = new JuteWriter().int(0).int(xid).int(OpCode.exists);
  ExistsRequestRec.write(w, { path: '/', watch: false });
  w.patchInt(0, w.offset - 4);
  return Buffer.from(w.bytes());
}

/** Writes the pieces one at a time, pausing so the server reads each on its own. */
async function dribble(c: RawClient, pieces: Buffer[]): Promise<void> {
  for (const p of pieces) {
    c.socket.write(p);
    await new Promise((r) => setTimeout(r, 15));
  }
}

async function xids(c: RawClient, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await c.nextFrame()).readInt32BE(4));
  return out;
}

describe('connection framing over a socket', () => {
  it('answers frames cut inside the length, inside the body and across frame boundaries', async () => {
    const c = await RawClient.connect(port);
    const bytes = Buffer.concat([existsFrame(1), existsFrame(2), existsFrame(3), existsFrame(4)]);
    const f = existsFrame(1).length;
    // [2 bytes of the length] [rest of frame 1 + 5 bytes of frame 2] [1 byte] [rest of 2, all of 3, part of 4] [end]
    const cuts = [0, 2, f + 5, f + 6, 3 * f + 3, bytes.length];
    await dribble(c, cuts.slice(1).map((end, i) => bytes.subarray(cuts[i], end)));
    expect(await xids(c, 4)).toEqual([1, 2, 3, 4]);
    // A whole frame after the partial ones: the connection is back to holding nothing.
    c.socket.write(existsFrame(5));
    expect(await xids(c, 1)).toEqual([5]);
    c.socket.destroy();
  });

  it('closes a connection whose pending frame has a bad length; another session goes on', async () => {
    const bad = await RawClient.connect(port);
    const bystander = await RawClient.connect(port);
    const huge = Buffer.alloc(4);
    huge.writeInt32BE(0x7fffffff);
    await dribble(bad, [existsFrame(1).subarray(0, 3), Buffer.concat([existsFrame(1).subarray(3), huge.subarray(0, 2)])]);
    expect(await xids(bad, 1)).toEqual([1]);
    bad.socket.write(huge.subarray(2));
    expect(await bad.waitClosed()).toBe(true);
    bystander.socket.write(existsFrame(7));
    expect(await xids(bystander, 1)).toEqual([7]);
    bystander.socket.destroy();
  });
});
