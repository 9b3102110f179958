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
