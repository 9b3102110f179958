// The five scenarios of issue 5, run the same way against either server. Each takes a freshly
// started server and a fresh generator pool, and returns the numbers of one ScenarioRun: metrics
// by name, latency samples for charts, and what the generator and the server spent in CPU while
// the measured phase ran.
import { appendFileSync } from 'node:fs';
import { OpCode } from '../../src/proto/constants.js';
import { Histogram, quantileOf, type HistSnapshot } from './hist.js';
import type { MixResult, MixSpec } from './mix-worker.js';
import { GeneratorPool, shares } from './pool.js';
import { fourLetter, mntr, processCpuUs, rssAnonBytes, rssBytes, watchCount, type RunningServer } from './servers.js';
import { adminSession, cpuPercent, createAll, sleep } from './setup.js';
import type { StormResult } from './storm-worker.js';
import { Body, nowUs, type Session } from './wire.js';
import { pathName, type FanEvent } from './worker.js';

export interface ScenarioRun {
  metrics: Record<string, number>;
  /** Latency distributions (µs) for charts: histogram snapshots or raw samples. */
  dists: Record<string, HistSnapshot | number[]>;
  genCpuPct: number;
  serverCpuPct: number;
  notes: string[];
}

export interface Env {
  server: RunningServer;
  workers: number;
  log: (msg: string) => void;
}

const DATA_100 = Buffer.alloc(100, 0x63);
const ROUND_TIMEOUT_MS = 60_000;

/** Opens `total` sessions spread over the pool; source addresses differ per scenario (`base`). */
async function openSessions(env: Env, pool: GeneratorPool, total: number, base: number, extraPerWorker = 0): Promise<void> {
  const per = shares(total, pool.size);
  let offset = base;
  await pool.each((i) => {
    const n = per[i]! + extraPerWorker;
    const cmd = { op: 'open' as const, n, ep: { host: env.server.host, port: env.server.port }, localBase: offset };
    offset += n;
    return cmd;
  });
}

/** Runs `fn` as the measured phase and adds generator / server CPU over it. */
async function measured<T>(env: Env, pool: GeneratorPool, fn: () => Promise<T>): Promise<{ value: T; genCpuPct: number; serverCpuPct: number; wallMs: number }> {
  const g0 = await pool.cpuUs();
  const s0 = processCpuUs(env.server.pid);
  const t0 = Date.now();
  const value = await fn();
  const wallMs = Date.now() - t0;
  const g1 = await pool.cpuUs();
  const s1 = processCpuUs(env.server.pid);
  return { value, genCpuPct: cpuPercent(g1 - g0, wallMs), serverCpuPct: cpuPercent(s1 - s0, wallMs), wallMs };
}

async function withPool<T>(env: Env, fn: (pool: GeneratorPool, admin: Session) => Promise<T>): Promise<T> {
  const pool = new GeneratorPool(env.workers);
  const admin = await adminSession(env.server);
  try {
    return await fn(pool, admin);
  } finally {
    admin.destroy();
    pool.close();
  }
}

// ---- 1. fan-out ----

/**
 * One setData on a znode watched by every session; time from issuing it to the last notification.
 * Besides the latency, each round records where the time went: write → first notification, and
 * the CPU the server and the generator spent from the write to the last notification (the
 * generator's measured in-process, the server's from /proc in 10 ms ticks, so averaged over rounds).
 */
export function fanOut(env: Env, watchers: number, rounds: number, warmup: number): Promise<ScenarioRun> {
  return withPool(env, async (pool, admin) => {
    await createAll(admin, ['/fan'], DATA_100);
    const t = Date.now();
    await openSessions(env, pool, watchers, 0);
    env.log(`  ${watchers} sessions open in ${Date.now() - t} ms`);
    const per = shares(watchers, pool.size);
    // Unmeasured rounds first: the JVM (and V8) compile the hot paths during the first writes.
    for (let r = 0; r < warmup; r++) await fanRound(env, pool, admin, per);
    const run = await measured(env, pool, async () => {
      const out: FanRound[] = [];
      for (let r = 0; r < rounds; r++) out.push(await fanRound(env, pool, admin, per));
      return out;
    });
    const ms = run.value.map((f) => f.lastUs / 1000);
    const mean = (k: keyof FanRound): number => run.value.reduce((a, f) => a + f[k], 0) / run.value.length / 1000;
    return {
      metrics: {
        p50: quantileOf(ms, 0.5), p99: quantileOf(ms, 0.99), max: Math.max(...ms), rounds: ms.length,
        firstP50: quantileOf(run.value.map((f) => f.firstUs / 1000), 0.5),
        serverCpuMs: mean('serverCpuUs'), genCpuMs: mean('genCpuUs'),
      },
      dists: { rounds: run.value.map((f) => f.lastUs) },
      genCpuPct: run.genCpuPct,
      serverCpuPct: run.serverCpuPct,
      notes: [],
    };
  });
}

/** One round, times from issuing the write (µs). */
interface FanRound {
  firstUs: number;
  lastUs: number;
  serverCpuUs: number;
  genCpuUs: number;
}

async function fanRound(env: Env, pool: GeneratorPool, admin: Session, per: number[]): Promise<FanRound> {
  const events: FanEvent[] = new Array(pool.size);
  let done = 0;
  const all = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fan-out round: only ${done} generators finished`)), ROUND_TIMEOUT_MS);
    pool.procs.forEach((p, i) => {
      p.onFan = (e) => {
        events[i] = e;
        if (++done === pool.size) clearTimeout(timer), resolve();
      };
    });
  });
  await pool.each(() => ({ op: 'armData', path: '/fan' }));
  const cpu0 = processCpuUs(env.server.pid);
  const t0 = nowUs();
  admin.send(OpCode.setData, Body.setData('/fan', DATA_100), null);
  await all;
  const serverCpuUs = processCpuUs(env.server.pid) - cpu0;
  if (events.some((e, i) => e.count < per[i]!)) throw new Error('fan-out: missing notifications');
  const lastAt = Math.max(...events.map((e) => e.lastUs));
  // run.js --fan-windows FILE: the rounds' spans, to cut a --cpu-prof profile down to them.
  if (process.env.WK_FAN_WINDOWS) appendFileSync(process.env.WK_FAN_WINDOWS, `${t0} ${lastAt}\n`);
  return {
    firstUs: Math.min(...events.map((e) => e.firstUs)) - t0,
    lastUs: lastAt - t0,
    serverCpuUs,
    genCpuUs: events.reduce((a, e) => a + e.cpuUs, 0),
  };
}

// ---- 2. watch storm ----

export interface StormParams {
  sessions: number;
  k: number;
  znodes: number;
  durationMs: number;
}

export function watchStorm(env: Env, p: StormParams): Promise<ScenarioRun> {
  return withPool(env, async (pool, admin) => {
    const paths = Array.from({ length: p.znodes }, (_, i) => pathName('/storm', i));
    await createAll(admin, ['/storm', ...paths], DATA_100);
    await openSessions(env, pool, p.sessions, 20_000, 1);
    const run = await measured(env, pool, () =>
      pool.each<StormResult>((w) => ({
        op: 'storm',
        spec: { paths: paths.filter((_, z) => z % pool.size === w), k: p.k, writers: 1, durationMs: p.durationMs, dataBytes: 100 },
      })),
    );
    const res = run.value;
    const windowS = Math.max(...res.map((r) => r.windowMs)) / 1000;
    const notes = res.some((r) => r.unmatched > 0) ? [`${res.reduce((a, r) => a + r.unmatched, 0)} notifications not matched to a write`] : [];
    const h = Histogram.from(res.map((r) => r.latency));
    return {
      metrics: {
        notifPerSec: res.reduce((a, r) => a + r.notifications, 0) / windowS,
        writesPerSec: res.reduce((a, r) => a + r.writes, 0) / windowS,
        p50: h.quantile(0.5) / 1000,
        p99: h.quantile(0.99) / 1000,
        max: h.max / 1000,
      },
      dists: { latency: h.snapshot() },
      genCpuPct: run.genCpuPct,
      serverCpuPct: run.serverCpuPct,
      notes,
    };
  });
}

// ---- 3. request mix ----

export interface MixParams {
  clients: number;
  depth: number;
  durationMs: number;
  readFraction: number;
}

export function requestMix(env: Env, p: MixParams): Promise<ScenarioRun> {
  return withPool(env, async (pool, admin) => {
    const paths = Array.from({ length: 1000 }, (_, i) => pathName('/mix', i));
    await createAll(admin, ['/mix', '/scratch', ...paths], DATA_100);
    await openSessions(env, pool, p.clients, 40_000);
    const run = await measured(env, pool, () =>
      pool.each<MixResult>((w) => ({
        op: 'mix',
        spec: { paths, scratch: '/scratch', readFraction: p.readFraction, depth: p.depth, durationMs: p.durationMs, dataBytes: 100, tag: `w${w}` } satisfies MixSpec,
      })),
    );
    const windowS = Math.max(...run.value.map((r) => r.windowMs)) / 1000;
    const reads = Histogram.from(run.value.map((r) => r.reads));
    const writes = Histogram.from(run.value.map((r) => r.writes));
    const errors = run.value.reduce((a, r) => a + r.errors, 0);
    return {
      metrics: {
        readOps: reads.n / windowS,
        writeOps: writes.n / windowS,
        readP50: reads.quantile(0.5) / 1000,
        readP99: reads.quantile(0.99) / 1000,
        readP999: reads.quantile(0.999) / 1000,
        writeP50: writes.quantile(0.5) / 1000,
        writeP99: writes.quantile(0.99) / 1000,
        writeP999: writes.quantile(0.999) / 1000,
        errors,
      },
      dists: { reads: reads.snapshot(), writes: writes.snapshot() },
      genCpuPct: run.genCpuPct,
      serverCpuPct: run.serverCpuPct,
      notes: errors > 0 ? [`${errors} requests answered with an error`] : [],
    };
  });
}

// ---- 4. memory ----

export function memory(env: Env, watches: number, sessions: number, nPaths: number): Promise<ScenarioRun> {
  return withPool(env, async (pool, admin) => {
    const paths = Array.from({ length: nPaths }, (_, i) => pathName('/mem', i));
    await createAll(admin, ['/mem', ...paths], Buffer.alloc(0));
    await openSessions(env, pool, sessions, 60_000);
    await sleep(1000);
    const rssBefore = rssBytes(env.server.pid);
    const per = shares(sessions, pool.size);
    const perSession = Math.round(watches / sessions);
    const run = await measured(env, pool, () =>
      pool.each((w) => ({ op: 'setWatches', prefix: '/mem', nPaths, perSession, sessionBase: per.slice(0, w).reduce((a, b) => a + b, 0) })),
    );
    await sleep(2000);
    const counted = await watchCount(env.server);
    const metrics: Record<string, number> = {
      rssMiB: rssBytes(env.server.pid) / 2 ** 20,
      rssAnonMiB: rssAnonBytes(env.server.pid) / 2 ** 20,
      rssBeforeMiB: rssBefore / 2 ** 20,
      watches: counted,
      registerSec: run.wallMs / 1000,
    };
    if (env.server.kind === 'watchkeeper') Object.assign(metrics, await wkMemory(env.server));
    metrics.bytesPerWatch = ((metrics.rssMiB! - metrics.rssBeforeMiB!) * 2 ** 20) / Math.max(1, counted);
    return { metrics, dists: {}, genCpuPct: run.genCpuPct, serverCpuPct: run.serverCpuPct, notes: [] };
  });
}

/** WASM memory and JS heap from mntr (zk_watchkeeper_*), else from the preloaded probe. */
async function wkMemory(s: RunningServer): Promise<Record<string, number>> {
  const m = await mntr(s);
  const wasm = Number(m.get('watchkeeper_wasm_memory_bytes'));
  const heap = Number(m.get('watchkeeper_heap_used_bytes'));
  if (Number.isFinite(wasm) && Number.isFinite(heap)) return { heapMiB: heap / 2 ** 20, wasmMiB: wasm / 2 ** 20 };
  const p = await s.probe!('report');
  return { heapMiB: p.heapUsed / 2 ** 20, wasmMiB: p.wasmBytes / 2 ** 20 };
}

// ---- 5. close storm ----

export function closeStorm(env: Env, sessions: number, perSession: number): Promise<ScenarioRun> {
  return withPool(env, async (pool, admin) => {
    const paths = Array.from({ length: perSession }, (_, i) => pathName('/cls', i));
    await createAll(admin, ['/cls', ...paths], Buffer.alloc(0));
    await openSessions(env, pool, sessions, 80_000);
    const per = shares(sessions, pool.size);
    await pool.each((w) => ({ op: 'setWatches', prefix: '/cls', nPaths: perSession, perSession, sessionBase: per.slice(0, w).reduce((a, b) => a + b, 0) }));
    const before = await watchCount(env.server);
    const idleLoopMaxMs = await idleLoopDelay(env.server);
    await env.server.probe?.('loopStart');
    if (env.server.kind === 'watchkeeper') await fourLetter(env.server, 'srst'); // restarts its loop-delay maximum
    const prober = new RttProbe(admin, '/cls');
    const run = await measured(env, pool, async () => {
      const closed = await pool.each<{ atUs: number }>(() => ({ op: 'closeAll' }));
      const start = Math.min(...closed.map((c) => c.atUs));
      const polls = await pollUntilNoWatches(env.server);
      return { ms: (polls.atUs - start) / 1000, polls: polls.n };
    });
    const rtt = await prober.stop();
    const loop = await env.server.probe?.('loopStop');
    const metrics: Record<string, number> = { watchesBefore: before, clearMs: run.value.ms, polls: run.value.polls, probeRttMaxMs: rtt.max / 1000, probeRttP50Ms: rtt.p50 / 1000 };
    if (loop) metrics.probeLoopMaxMs = loop.loopMaxMs;
    if (idleLoopMaxMs !== undefined) metrics.idleLoopMaxMs = idleLoopMaxMs;
    if (env.server.kind === 'watchkeeper') metrics.loopMaxMs = Number((await mntr(env.server)).get('watchkeeper_max_event_loop_delay_ms') ?? NaN);
    return { metrics, dists: { rtt: rtt.samples }, genCpuPct: run.genCpuPct, serverCpuPct: run.serverCpuPct, notes: [] };
  });
}

/**
 * The same server's worst loop delay over 3 s with nothing to do: on a shared machine the OS alone
 * delays a single-threaded process by this much, so it is the floor any stall is measured against.
 */
async function idleLoopDelay(s: RunningServer): Promise<number | undefined> {
  if (!s.probe) return undefined;
  await s.probe('loopStart');
  await sleep(3000);
  return (await s.probe('loopStop')).loopMaxMs;
}

/** Polls wchs back to back (at most 120 s) until it reports zero watches. */
async function pollUntilNoWatches(s: RunningServer): Promise<{ atUs: number; n: number }> {
  const until = Date.now() + 120_000;
  let n = 0;
  while (Date.now() < until) {
    n++;
    if ((await watchCount(s)) === 0) return { atUs: nowUs(), n };
  }
  throw new Error('watches still present after 120 s');
}

/**
 * An outside view of the server's responsiveness: one getData at a time, back to back, on a live
 * session; the worst round trip bounds the longest stall the server had while it ran.
 */
class RttProbe {
  private running = true;
  private readonly samples: number[] = [];
  private readonly done: Promise<void>;

  constructor(private readonly s: Session, path: string) {
    const body = Body.getData(path, false);
    this.done = (async () => {
      const until = Date.now() + 180_000;
      while (this.running && Date.now() < until) {
        const t0 = nowUs();
        await s.call(OpCode.getData, body);
        this.samples.push(nowUs() - t0);
      }
    })();
  }

  async stop(): Promise<{ max: number; p50: number; samples: number[] }> {
    this.running = false;
    await this.done;
    return { max: Math.max(...this.samples), p50: quantileOf(this.samples, 0.5), samples: this.samples };
  }
}
