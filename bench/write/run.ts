// Write benchmark (issue 4): acknowledged writes/s and latency with fsync on, watchkeeper against
// Apache ZooKeeper 3.8 on the same disk, each in its own process, driven by the same pipelined
// client (bench/write/driver.ts). Rounds alternate between the servers so background load on a
// shared machine hits both alike; the table shows the median round of each.
//   npm run bench:write [-- --rounds N --sessions N --window N --seconds S --no-fsync --cpu-prof DIR
//     --wk-root DIR --out FILE]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { mainThreadCpuUs, processCpuUs, startWatchkeeper, startZooKeeper, stopAll, stopServer, type RunningServer, type ServerKind } from '../load/servers.js';
import { runWrites, type WriteSpec } from './driver.js';

const SETTLE_MS = 3000;

interface Row {
  kind: ServerKind;
  round: number;
  writesPerSec: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  serverCpuPct: number;
  /** watchkeeper's event-loop thread alone (for ZooKeeper the JVM's idle main thread: omitted). */
  loopCpuPct: number | null;
  /** The client (this process) over the same stretch: if it nears 100% it, not the server, limits. */
  clientCpuPct: number;
  errors: number;
}

function options() {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '3' },
      sessions: { type: 'string', default: '16' },
      window: { type: 'string', default: '8' },
      seconds: { type: 'string', default: '8' },
      'no-fsync': { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      // Another build to run (a directory holding dist/), e.g. a clean export of a commit.
      'wk-root': { type: 'string' },
      out: { type: 'string' },
    },
  });
  const spec: WriteSpec = {
    sessions: Number(values.sessions),
    window: Number(values.window),
    dataBytes: 100,
    warmupMs: 4000, // fresh JVM and V8 each round: let both JITs settle first
    measureMs: Number(values.seconds) * 1000,
  };
  return {
    spec, rounds: Number(values.rounds), forceSync: !values['no-fsync'], cpuProfDir: values['cpu-prof'], out: values.out,
    wkRoot: values['wk-root'],
  };
}

type Options = ReturnType<typeof options>;

async function oneRound(kind: ServerKind, round: number, o: Options): Promise<Row> {
  const { spec, forceSync } = o;
  const s: RunningServer = kind === 'zookeeper'
    ? await startZooKeeper({ forceSync })
    : await startWatchkeeper({ forceSync, cpuProfDir: o.cpuProfDir, wkRoot: o.wkRoot });
  try {
    const cpu0 = processCpuUs(s.pid);
    const loop0 = mainThreadCpuUs(s.pid);
    const mine0 = process.cpuUsage();
    const wall0 = Date.now();
    const r = await runWrites({ host: s.host, port: s.port }, spec, `${round}`);
    const wallMs = Date.now() - wall0;
    const cpuPct = ((processCpuUs(s.pid) - cpu0) / 1000 / wallMs) * 100;
    const loopCpuPct = kind === 'watchkeeper' ? ((mainThreadCpuUs(s.pid) - loop0) / 1000 / wallMs) * 100 : null;
    const mine = process.cpuUsage(mine0);
    const clientCpuPct = ((mine.user + mine.system) / 1000 / wallMs) * 100;
    const ms = (q: number): number => r.hist.quantile(q) / 1000;
    return {
      kind, round, writesPerSec: r.acked / r.seconds, p50Ms: ms(0.5), p99Ms: ms(0.99), p999Ms: ms(0.999),
      maxMs: r.hist.max / 1000, serverCpuPct: cpuPct, loopCpuPct, clientCpuPct, errors: r.errors,
    };
  } finally {
    await stopServer(s);
    await settleDisk();
  }
}

/**
 * Between servers: flush what the last one left dirty (its deleted data dir included) and wait,
 * so the next server's fsyncs do not queue behind the previous server's writeback.
 */
async function settleDisk(): Promise<void> {
  execFileSync('sync');
  await new Promise((r) => setTimeout(r, SETTLE_MS));
}

function median(rows: Row[]): Row {
  const sorted = [...rows].sort((a, b) => a.writesPerSec - b.writesPerSec);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const f = (n: number, d = 2): string => n.toFixed(d);

function table(rows: Row[]): string {
  const head = '| server | round | writes/s | p50 ms | p99 ms | p99.9 ms | max ms | server CPU % | event loop CPU % | client CPU % | errors |\n|---|---|---|---|---|---|---|---|---|---|---|';
  const line = (r: Row, label = String(r.round)): string =>
    `| ${r.kind} | ${label} | ${f(r.writesPerSec, 0)} | ${f(r.p50Ms)} | ${f(r.p99Ms)} | ${f(r.p999Ms)} | ${f(r.maxMs)} | ${f(r.serverCpuPct, 0)} | ${r.loopCpuPct === null ? '–' : f(r.loopCpuPct, 0)} | ${f(r.clientCpuPct, 0)} | ${r.errors} |`;
  const kinds: ServerKind[] = ['zookeeper', 'watchkeeper'];
  const medians = kinds.map((k) => median(rows.filter((r) => r.kind === k)));
  return [head, ...rows.map((r) => line(r)), ...medians.map((r) => line(r, 'median'))].join('\n');
}

async function main(): Promise<void> {
  const o = options();
  const rows: Row[] = [];
  for (let round = 0; round < o.rounds; round++) {
    const order: ServerKind[] = round % 2 === 0 ? ['zookeeper', 'watchkeeper'] : ['watchkeeper', 'zookeeper'];
    for (const kind of order) {
      const row = await oneRound(kind, round, o);
      rows.push(row);
      console.error(`${kind} round ${round}: ${f(row.writesPerSec, 0)} writes/s, p99 ${f(row.p99Ms)} ms`);
    }
  }
  const zk = median(rows.filter((r) => r.kind === 'zookeeper'));
  const wk = median(rows.filter((r) => r.kind === 'watchkeeper'));
  const s = o.spec;
  const text = [
    `Write benchmark: ${s.sessions} sessions x ${s.window} in flight, create/setData alternating, ${s.dataBytes}-byte data, ` +
      `fsync ${o.forceSync ? 'on' : 'off'}, ${s.measureMs / 1000} s measured after ${s.warmupMs / 1000} s warm-up, ${o.rounds} rounds`,
    '',
    table(rows),
    '',
    `watchkeeper / ZooKeeper writes/s: ${f(wk.writesPerSec / zk.writesPerSec)}x; p99 ${f(wk.p99Ms)} ms vs ${f(zk.p99Ms)} ms`,
  ].join('\n');
  console.log(text);
  if (o.out) writeFileSync(o.out, text + '\n');
}

process.on('exit', () => void stopAll());
main().then(
  () => stopAll(),
  async (e) => {
    console.error(e);
    await stopAll();
    process.exit(1);
  },
);
