// The four-letter figures of a running watchkeeper are measured, not stubs: latency from frame
// arrival to reply (a log that takes 60 ms per commit must show), srst/crst reset what they
// reset, conf names the bound port, dump the real deadlines, mntr the real counts and the
// watchkeeper-specific memory and event-loop lines.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpCode } from '../../src/proto/constants.js';
import { CreateRequestRec, ExistsRequestRec, GetDataRequestRec } from '../../src/proto/records/index.js';
import type { TxnLog } from '../../src/processor/sync.js';
import type { WatchkeeperServer } from '../../src/server/server.js';
import { wasmWatchManagerFactory } from '../../src/server/watch-factory.js';
import { fourLetter } from '../helpers/fourletter.js';
import { OPEN_ACL, startServer } from './helpers.js';
import { RawClient } from './rawclient.js';

const COMMIT_MS = 60;

/** Commits take COMMIT_MS, or wait for release() while held. */
class SlowLog implements TxnLog {
  held = false;
  private waiting: Array<() => void> = [];
  append(): void {}
  commit(): Promise<void> {
    if (this.held) return new Promise((r) => this.waiting.push(r));
    return new Promise((r) => setTimeout(r, COMMIT_MS));
  }
  release(): void {
    this.held = false;
    for (const w of this.waiting.splice(0)) w();
  }
}

const log = new SlowLog();
let server: WatchkeeperServer;
let port: number;
const clients: RawClient[] = [];

beforeAll(async () => {
  ({ server, port } = await startServer({ txnLog: log, tickTime: 2000, watchManagerFactory: wasmWatchManagerFactory }));
});
afterAll(async () => {
  log.release();
  for (const c of clients) c.close();
  await server.close();
});

async function client(timeOut = 30_000): Promise<RawClient> {
  const c = await RawClient.connect(port, { timeOut });
  clients.push(c);
  return c;
}

const word = (w: string) => fourLetter('127.0.0.1', port, w);
const mntr = async (): Promise<Map<string, string>> =>
  new Map((await word('mntr')).trim().split('\n').map((l) => l.split('\t') as [string, string]));
const latency = async (): Promise<number[]> =>
  (await word('srvr')).match(/Latency min\/avg\/max: (.*)/)![1]!.split('/').map(Number);
const create = (path: string) => ({ path, data: Buffer.from('d'), acl: OPEN_ACL, flags: 0 });
const consLine = async (c: RawClient) => (await word('cons')).split('\n').find((l) => l.includes(`:${c.socket.localPort}[`))!;

describe('four-letter figures of a running watchkeeper', () => {
  it('measures latency from frame arrival to reply, and srst resets it with the packet counts', async () => {
    const c = await client();
    await word('srst');
    expect(await latency()).toEqual([0, 0, 0]);
    await c.call(OpCode.create, CreateRequestRec, create('/lat'));
    await c.call(OpCode.getData, GetDataRequestRec, { path: '/lat', watch: false });
    const [min, avg, max] = await latency();
    expect(max).toBeGreaterThanOrEqual(COMMIT_MS - 1);
    expect(min).toBeLessThan(COMMIT_MS);
    expect(avg).toBeCloseTo((min! + max!) / 2, 0);
    expect(await consLine(c)).toMatch(/lop=GETD,.*maxlat=(\d+)\)/);
    expect(Number((await consLine(c)).match(/maxlat=(\d+)/)![1])).toBeGreaterThanOrEqual(COMMIT_MS - 1);
    const srvr = await word('srvr');
    // Since srst: 2 requests and their replies; srvr, srvr, cons, cons and this srvr received;
    // the answers to srst and the four earlier words sent (this one is counted once written).
    expect(srvr).toMatch(/Received: 7\nSent: 7\n/);
    await word('srst');
    expect(await latency()).toEqual([0, 0, 0]);
    // Received: the two srvr words; sent: the answers to srst and the first srvr.
    expect(await word('srvr')).toMatch(/Received: 2\nSent: 2\n/);
  });

  it('crst resets per-connection figures', async () => {
    const c = await client();
    await c.call(OpCode.exists, ExistsRequestRec, { path: '/zookeeper', watch: false });
    expect(await consLine(c)).toMatch(/recved=2,sent=2,.*lop=EXIS,.*lcxid=0x1,/);
    await word('crst');
    expect(await consLine(c)).toMatch(/recved=0,sent=0,.*lop=NA,.*lzxid=0xffffffffffffffff,lresp=0,llat=0,minlat=0,avglat=0,maxlat=0\)/);
  });

  it('counts requests in process for stat and mntr', async () => {
    const c = await client();
    log.held = true;
    for (let i = 0; i < 3; i++) c.send(OpCode.create, CreateRequestRec, create(`/held${i}`));
    await new Promise((r) => setTimeout(r, 100));
    expect(await word('stat')).toContain('Outstanding: 3\n');
    expect((await mntr()).get('zk_outstanding_requests')).toBe('3');
    expect(await consLine(c)).toContain('(queued=3,');
    log.release();
    for (let i = 0; i < 3; i++) expect((await c.nextReply()).err).toBe(0);
    expect((await mntr()).get('zk_outstanding_requests')).toBe('0');
  });

  it('conf prints the bound client port and the version-2 directories', async () => {
    const conf = await word('conf');
    expect(conf).toContain(`clientPort=${port}\n`);
    expect(conf).toMatch(/^dataDir=\/.*\/version-2$/m);
    expect(conf).toMatch(/^dataLogDir=\/.*\/version-2$/m);
    expect(conf.split('\n')[1]).toBe('secureClientPort=-1');
  });

  it('dump shows the session and connection deadlines of a live session', async () => {
    const c = await client(10_000);
    const sid = `0x${c.session!.sessionId.toString(16)}`;
    const dump = await word('dump');
    const deadline = (re: RegExp) => Date.parse(dump.match(re)![1]!.replace(' UTC', ''));
    const now = Date.now();
    const sessionAt = deadline(new RegExp(`(\\w{3} \\w{3} \\d\\d [\\d:]+ UTC \\d{4}):\\n(?:\\t0x[0-9a-f]+\\n)*\\t${sid}\\n`));
    expect(sessionAt).toBeGreaterThan(now + 10_000 - 3000);
    expect(sessionAt).toBeLessThan(now + 10_000 + 3000);
    const cnxnAt = deadline(new RegExp(`(\\w{3} \\w{3} \\d\\d [\\d:]+ UTC \\d{4}):\\n(?:\\tip: .*\\n)*\\tip: /127.0.0.1:${c.socket.localPort} sessionId: ${sid}\\n`));
    expect(cnxnAt).toBeGreaterThan(now + 10_000 - 1000);
    expect(cnxnAt).toBeLessThan(now + 20_000 + 1000);
  });

  it('mntr reports real counts and the watchkeeper memory and event-loop lines', async () => {
    const c = await client();
    await c.call(OpCode.create, CreateRequestRec, { ...create('/eph'), flags: 1 });
    await c.call(OpCode.getData, GetDataRequestRec, { path: '/eph', watch: true });
    await c.call(OpCode.exists, ExistsRequestRec, { path: '/nothing-here', watch: true });
    const m = await mntr();
    expect(Number(m.get('zk_ephemerals_count'))).toBeGreaterThanOrEqual(1);
    expect(Number(m.get('zk_watch_count'))).toBeGreaterThanOrEqual(2);
    expect(Number(m.get('zk_num_alive_connections'))).toBe(clients.filter((x) => !x.closed).length + 1);
    const fds = readdirSync('/proc/self/fd').length;
    expect(Math.abs(Number(m.get('zk_open_file_descriptor_count')) - fds)).toBeLessThan(10);
    expect(Number(m.get('zk_max_file_descriptor_count'))).toBeGreaterThan(0);
    expect(Number(m.get('zk_watchkeeper_wasm_memory_bytes'))).toBeGreaterThanOrEqual(2 * 65536);
    expect(Number(m.get('zk_watchkeeper_heap_used_bytes'))).toBeGreaterThan(1e6);
    // The server runs in this process: stall the loop and the worst delay shows, until srst.
    const until = performance.now() + 150;
    while (performance.now() < until) {
      // busy: nothing else runs on the event loop meanwhile
    }
    await new Promise((r) => setTimeout(r, 30));
    expect(Number((await mntr()).get('zk_watchkeeper_max_event_loop_delay_ms'))).toBeGreaterThanOrEqual(100);
    await word('srst');
    await new Promise((r) => setTimeout(r, 30));
    expect(Number((await mntr()).get('zk_watchkeeper_max_event_loop_delay_ms'))).toBeLessThan(100);
  });
});
