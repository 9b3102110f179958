// Smoke test of the load benchmark's own parts against a real in-process watchkeeper: the raw jute
// client (pipelined replies in order, notifications, SetWatches), the histogram and the verdicts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWatchkeeper } from '../helpers/watchkeeper.js';
import type { RunningServer as TestServer } from '../helpers/zookeeper.js';
import { OpCode } from '../../src/proto/constants.js';
import { Body, openMany, Session } from '../../bench/load/wire.js';
import { Histogram, quantileOf } from '../../bench/load/hist.js';
import { verdict, type RowSpec } from '../../bench/load/report.js';
import { watchCount, type RunningServer } from '../../bench/load/servers.js';
import { cdfChart, cdfPoints } from '../../bench/load/charts.js';

let server: TestServer;
let ep: { host: string; port: number };
const sessions: Session[] = [];

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

describe('bench/load raw client', () => {
  it('matches 200 pipelined replies to their xids in order', async () => {
    const [s] = await open(1);
    await s!.call(OpCode.create, Body.create('/p', Buffer.from('x')));
    const replies = await Promise.all(Array.from({ length: 200 }, () => s!.call(OpCode.getData, Body.getData('/p', false))));
    expect(replies.map((r) => r.err)).toEqual(new Array(200).fill(0));
    expect(replies.map((r) => r.xid)).toEqual([...replies.map((r) => r.xid)].sort((a, b) => a - b));
  });

  it('delivers a data-change notification to every watching session', async () => {
    const [writer, ...watchers] = await open(5);
    await writer!.call(OpCode.create, Body.create('/fan', Buffer.from('a')));
    const seen: string[] = [];
    await Promise.all(
      watchers.map((w) => {
        w.onNotify = (type, path) => seen.push(`${type}:${path}`);
        return w.call(OpCode.getData, Body.getData('/fan', true));
      }),
    );
    await writer!.call(OpCode.setData, Body.setData('/fan', Buffer.from('b')));
    for (let i = 0; i < 100 && seen.length < 4; i++) await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual(new Array(4).fill('3:/fan'));
  });

  it('registers watches with SetWatches, visible in wchs', async () => {
    const [s] = await open(1);
    const paths = ['/sw1', '/sw2', '/sw3'];
    for (const p of paths) await s!.call(OpCode.create, Body.create(p, Buffer.alloc(0)));
    const before = await watchCount(ep as RunningServer);
    const r = await s!.call(OpCode.setWatches, Body.setWatches(paths), -8);
    expect(r.err).toBe(0);
    expect(await watchCount(ep as RunningServer)).toBe(before + 3);
  });
});

describe('bench/load numbers', () => {
  it('histogram quantiles are within 1% of the exact ones', () => {
    const h = new Histogram();
    const values = Array.from({ length: 10_000 }, (_, i) => 10 + i * 3);
    for (const v of values) h.record(v);
    for (const q of [0.5, 0.99, 0.999]) expect(Math.abs(h.quantile(q) / quantileOf(values, q) - 1)).toBeLessThan(0.011);
    expect(Histogram.from([h.snapshot(), h.snapshot()]).n).toBe(20_000);
  });

  it('verdicts follow the direction of the metric', () => {
    const faster: RowSpec = { scenario: '', id: '', metric: '', label: '', unit: 'ms', better: 'lower', target: { kind: 'ratio', min: 3 } };
    expect(verdict(faster, 10, 31)).toBe('PASS');
    expect(verdict(faster, 10, 29)).toBe('FAIL');
    const rss: RowSpec = { ...faster, target: { kind: 'fraction', max: 0.25 } };
    expect(verdict(rss, 100, 400)).toBe('PASS');
    expect(verdict(rss, 101, 400)).toBe('FAIL');
  });

  it('draws a CDF chart as well-formed SVG', () => {
    const svg = cdfChart('t', [{ name: 'a', color: '#000', points: cdfPoints([1000, 2000, 5000]) }]);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('<polyline');
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });
});
