// OutputBuffer + FlushQueue over real loopback sockets: byte order across by-reference, copied
// and big frames; copies taken at append time; one socket write per connection per flush pass.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlushQueue, OutputBuffer, type OutputOwner } from '../../../src/net/outbuf.js';

let server: net.Server;
let port = 0;
const accepted: net.Socket[] = [];
const clients: net.Socket[] = [];

beforeAll(async () => {
  server = net.createServer((s) => accepted.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
});

afterAll(async () => {
  for (const s of [...accepted, ...clients]) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

/** A connected pair: the server side wrapped in an OutputBuffer, the client collecting bytes. */
async function pair(queue: FlushQueue): Promise<{ out: OutputBuffer; writes: () => number; received: () => Buffer; owner: { sent: number } }> {
  const n = accepted.length;
  const client = net.connect(port, '127.0.0.1');
  clients.push(client);
  const chunks: Buffer[] = [];
  client.on('data', (d: Buffer) => chunks.push(d));
  while (accepted.length === n) await new Promise((r) => setTimeout(r, 5));
  const sock = accepted[n]!;
  let writes = 0;
  const write = sock.write.bind(sock) as (b: Uint8Array) => boolean;
  sock.write = ((b: Uint8Array) => (writes++, write(b))) as typeof sock.write;
  const counts = { sent: 0 };
  const o: OutputOwner = { overflowed() {}, sent: (f) => void (counts.sent += f) };
  return { out: new OutputBuffer(sock, queue, o), writes: () => writes, received: () => Buffer.concat(chunks), owner: counts };
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
}

describe('OutputBuffer', () => {
  it('keeps frame order across shared, copied and big frames, in one write per pass', async () => {
    const q = new FlushQueue(1 << 20);
    const c = await pair(q);
    const shared = Buffer.from('notification');
    const scratch = Buffer.from('reply-one');
    const big = Buffer.alloc(40_000, 7);
    c.out.append(shared);
    c.out.appendCopy(scratch);
    scratch.write('XXXXXXXXX'); // the writer is reused at once: the queued copy must not change
    c.out.appendCopy(Buffer.from('reply-two'));
    const expected = Buffer.concat([shared, Buffer.from('reply-one'), Buffer.from('reply-two')]);
    await until(() => c.received().length >= expected.length);
    expect(c.received().equals(expected)).toBe(true);
    expect(c.writes()).toBe(1);
    expect(c.owner.sent).toBe(3);
    c.out.appendCopy(Buffer.from('a'));
    c.out.append(big);
    c.out.append(Buffer.from('z'));
    const all = Buffer.concat([expected, Buffer.from('a'), big, Buffer.from('z')]);
    await until(() => c.received().length >= all.length);
    expect(c.received().equals(all)).toBe(true);
    expect(c.owner.sent).toBe(6);
  });

  it('flushes every dirty connection in one pass; a lone frame goes by reference', async () => {
    const q = new FlushQueue(1 << 20);
    const conns = [await pair(q), await pair(q), await pair(q)]; // one at a time: accept order
    const frame = Buffer.from('shared-event');
    for (const c of conns) c.out.append(frame);
    await until(() => conns.every((c) => c.received().length >= frame.length));
    for (const c of conns) {
      expect(c.received().equals(frame)).toBe(true);
      expect(c.writes()).toBe(1);
    }
  });

  it('ends the socket after the queued bytes when asked', async () => {
    const q = new FlushQueue(1 << 20);
    const c = await pair(q);
    const ended = new Promise<void>((r) => clients[clients.length - 1]!.once('end', () => r()));
    c.out.appendCopy(Buffer.from('last words'));
    c.out.endAfterFlush();
    await ended;
    expect(c.received().toString()).toBe('last words');
  });
});

// Passes of at least `writerMinBatch` connections go through the writer's batch (src/net/writer.ts):
// written with one write(2) per fd, by a second thread or, unthreaded, by this one. A write the
// kernel takes only in part (a reader that stopped) hands the rest to the socket, in order.
describe.each([
  ['threaded', true],
  ['direct', false],
])('FlushQueue with a %s writer batch', (_name, threaded) => {
  it('delivers each connection its bytes in order, counts frames, and queues the rest of a partial write', async () => {
    const q = new FlushQueue(64 << 20, 2, threaded);
    const conns = [await pair(q), await pair(q), await pair(q), await pair(q)];
    clients[clients.length - 1]!.pause(); // the last one stops reading
    const big = Buffer.alloc(8000, 1); // copied in (under BIG_FRAME): one contiguous run per pass
    const expected = conns.map(() => [] as Buffer[]);
    for (let round = 0; round < 600; round++) {
      conns.forEach((c, i) => {
        const own = Buffer.from(`c${i}r${round};`);
        c.out.append(big);
        c.out.appendCopy(own);
        expected[i]!.push(big, own);
      });
      await new Promise((r) => setImmediate(r));
    }
    const sock = accepted[accepted.length - 1]!;
    expect(sock.writableLength).toBeGreaterThan(0); // the kernel refused part: the socket holds the rest
    clients[clients.length - 1]!.resume();
    const want = expected.map((parts) => Buffer.concat(parts));
    await until(() => conns.every((c, i) => c.received().length >= want[i]!.length));
    conns.forEach((c, i) => {
      expect(c.received().equals(want[i]!)).toBe(true);
      expect(c.owner.sent).toBe(1200);
    });
    expect(q.socketWriter!.counts.entries).toBeGreaterThan(0);
    q.stop();
  });
});
