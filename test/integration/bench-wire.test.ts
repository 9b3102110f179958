// The load generator's raw client reads every socket into ONE shared buffer (net.connect's onread)
// and parses frames in place. These tests drive it against a real server where that can go wrong:
// frames cut across reads (a 300 KB reply spans several 64 KB reads), a cut-off tail that must
// survive other sessions' reads overwriting the shared buffer, many frames in one read, and
// notification paths handed over as bytes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWatchkeeper } from '../helpers/watchkeeper.js';
import type { RunningServer } from '../helpers/zookeeper.js';
import { EventType, OpCode } from '../../src/proto/constants.js';
import { Body, openMany, type Session } from '../../bench/load/wire.js';

let server: RunningServer;
let ep: { host: string; port: number };
const sessions: Session[] = [];
const BIG = Buffer.alloc(300 * 1024, 0);
for (let i = 0; i < BIG.length; i++) BIG[i] = (i * 7 + (i >> 11)) & 0xff;

beforeAll(async () => {
  server = await startWatchkeeper();
  ep = { host: server.host, port: server.port };
});

afterAll(async () => {
  for (const s of sessions) s.destroy();
  await server.stop();
});

async function open(n: number): Promise<Session[]> {
  const out = await openMany(n, ep, 0, 4);
  sessions.push(...out);
  return out;
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
}

/** getData's reply body: buffer data (int length + bytes), then the Stat. */
function dataOf(body: Buffer): Buffer {
  return body.subarray(4, 4 + body.readInt32BE(0));
}

describe('bench/load raw client over one shared receive buffer', () => {
  it('reassembles replies larger than one read, pipelined back to back', async () => {
    const [s] = await open(1);
    await s!.call(OpCode.create, Body.create('/big', BIG));
    const replies = await Promise.all(Array.from({ length: 4 }, () => s!.call(OpCode.getData, Body.getData('/big', false))));
    for (const r of replies) {
      expect(r.err).toBe(0);
      expect(dataOf(r.body).equals(BIG)).toBe(true);
    }
  });

  it('keeps a cut-off frame intact while other sessions read into the same buffer', async () => {
    const [reader, writer, ...watchers] = await open(12);
    await writer!.call(OpCode.create, Body.create('/mixed', Buffer.from('a')));
    let notified = 0;
    await Promise.all(
      watchers.map((w) => {
        w.onNotifyBytes = (type, b, start, end) => {
          if (type === EventType.NodeDataChanged && b.toString('utf8', start, end) === '/mixed') notified++;
        };
        return w.call(OpCode.getData, Body.getData('/mixed', true));
      }),
    );
    // The big reply arrives in several reads while ten notifications land on other sockets.
    const big = reader!.call(OpCode.getData, Body.getData('/big', false));
    await writer!.call(OpCode.setData, Body.setData('/mixed', Buffer.from('b')));
    const r = await big;
    await until(() => notified === watchers.length);
    expect(dataOf(r.body).equals(BIG)).toBe(true);
    expect(notified).toBe(watchers.length);
  });

  it('hands every notification of one read over with its own path bytes', async () => {
    const [writer, watcher] = await open(2);
    const paths = Array.from({ length: 50 }, (_, i) => `/many-${i}-${'x'.repeat(i)}`);
    for (const p of paths) await writer!.call(OpCode.create, Body.create(p, Buffer.alloc(0)));
    await Promise.all(paths.map((p) => watcher!.call(OpCode.getData, Body.getData(p, true))));
    const seen: string[] = [];
    watcher!.onNotifyBytes = (type, b, start, end) => seen.push(`${type}:${b.toString('utf8', start, end)}`);
    // Pipelined writes: the server answers them in one turn, so the notifications share reads.
    await Promise.all(paths.map((p) => writer!.call(OpCode.setData, Body.setData(p, Buffer.from('v')))));
    await until(() => seen.length === paths.length);
    expect(seen).toEqual(paths.map((p) => `${EventType.NodeDataChanged}:${p}`));
  });

  it('still gives notifications as strings to onNotify when no byte hook is set', async () => {
    const [writer, watcher] = await open(2);
    await writer!.call(OpCode.create, Body.create('/str', Buffer.alloc(0)));
    await watcher!.call(OpCode.getData, Body.getData('/str', true));
    const seen: string[] = [];
    watcher!.onNotify = (type, path) => seen.push(`${type}:${path}`);
    await writer!.call(OpCode.delete, Body.delete('/str'));
    await until(() => seen.length === 1);
    expect(seen).toEqual([`${EventType.NodeDeleted}:/str`]);
  });
});
