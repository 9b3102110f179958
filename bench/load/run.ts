// `npm run bench:load`: the end-to-end load benchmark of issue 5.
//
//   node dist/bench/load/run.js [--quick] [--json FILE] [--out DIR] [--only ID,...] [--servers watchkeeper,zookeeper]
//                               [--workers N] [--force-sync] [--cpu-prof DIR] [--wk-root DIR] [--replot FILE.json]
//                               [--wk-node-flags "FLAGS"] [--gen-cpu-prof DIR] [--fan-windows FILE]
//                               [--gen-poll-ms N]
//
// --gen-cpu-prof writes a V8 CPU profile of every load-generator process to DIR (summarise one with
// `node dist/bench/load/cpuprofile.js FILE`), to check what the generator itself costs.
// --fan-windows appends each measured fan-out round's span (CLOCK_MONOTONIC µs, write → last
// notification) to FILE; `cpuprofile.js PROFILE --windows FILE` then summarises only those spans.
//
// --wk-root runs the watchkeeper build in DIR/dist (e.g. an exported commit built on its own) instead
// of this checkout's dist, so a run is not disturbed by concurrent rebuilds of the work tree.
//
// Each scenario runs against watchkeeper (CLI from dist, its own process) and then Apache ZooKeeper
// 3.8.0 (Debian package), each freshly started, with the same parameters and the same generator
// processes (bench/load/worker.ts). Prints a Markdown table and writes it with SVG charts to
// bench/results/ (bench/results/quick/ for --quick). Every server started is killed at the end,
// also on errors and signals.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FULL, label, QUICK, rowSpecs, type Plan } from './plan.js';
import { gitCommit, writeResults, type RunInfo } from './output.js';
import type { Kind, Results } from './report.js';
import { closeStorm, fanOut, memory, requestMix, watchStorm, type Env, type ScenarioRun } from './scenarios.js';
import { dataFiles, killAllNow, startWatchkeeper, startZooKeeper, stopAll, stopServer, type RunningServer } from './servers.js';

interface Options {
  quick: boolean;
  json?: string;
  out?: string;
  only?: string[];
  servers: Kind[];
  workers: number;
  forceSync: boolean;
  cpuProf?: string;
  wkRoot?: string;
  wkNodeFlags?: string[];
  /** Re-render latest.md and the charts from a --json file instead of running. */
  replot?: string;
}

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { quick: false, servers: ['watchkeeper', 'zookeeper'], workers: 2, forceSync: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => argv[++i] ?? '';
    if (a === '--quick') o.quick = true;
    else if (a === '--json') o.json = next();
    else if (a === '--out') o.out = next();
    else if (a === '--only') o.only = next().split(',');
    else if (a === '--servers') o.servers = next().split(',') as Kind[];
    else if (a === '--workers') o.workers = Number(next());
    else if (a === '--force-sync') o.forceSync = true;
    else if (a === '--cpu-prof') o.cpuProf = resolve(next());
    else if (a === '--wk-root') o.wkRoot = resolve(next());
    else if (a === '--replot') o.replot = resolve(next());
    else if (a === '--wk-node-flags') o.wkNodeFlags = next().split(' ').filter((f) => f !== '');
    else if (a === '--gen-cpu-prof') process.env.WK_GEN_CPU_PROF = resolve(next()); // read by pool.ts in forks
    else if (a === '--gen-poll-ms') process.env.WK_GEN_POLL_MS = next(); // read by worker.ts (see POLL_MS)
    else if (a === '--fan-windows') process.env.WK_FAN_WINDOWS = resolve(next()); // read by scenarios.ts
    else throw new Error(`unknown argument ${a}; see the header of bench/load/run.ts`);
  }
  return o;
}

interface Scenario {
  id: string;
  run: (env: Env) => Promise<ScenarioRun>;
  /** Called before the server stops (e.g. to see what it wrote to disk). */
  after?: (s: RunningServer, kind: Kind) => void;
}

function scenarios(plan: Plan, o: Options, seen: string[]): Scenario[] {
  const list: Scenario[] = plan.fanOut.map((f) => ({ id: `fanout-${label(f.watchers)}`, run: (env) => fanOut(env, f.watchers, f.rounds, o.quick ? 2 : 5) }));
  list.push({ id: 'storm', run: (env) => watchStorm(env, plan.storm) });
  list.push({ id: 'mix-read', run: (env) => requestMix(env, { ...plan.mix, readFraction: 1 }) });
  list.push({
    id: 'mix-8020',
    run: (env) => requestMix(env, { ...plan.mix, readFraction: 0.8 }),
    after: (s, kind) => seen.push(`${kind} data dir after the 80/20 writes: ${describeFiles(dataFiles(s))}`),
  });
  for (const m of plan.memory) list.push({ id: `mem-${label(m.watches)}`, run: (env) => memory(env, m.watches, m.sessions, m.paths) });
  list.push({ id: 'close', run: (env) => closeStorm(env, plan.close.sessions, plan.close.perSession) });
  return list;
}

function describeFiles(files: string[]): string {
  if (files.length === 0) return 'no files (nothing persisted: in-memory transaction log)';
  return `${files.length} file(s): ${files.slice(0, 4).join(', ')}${files.length > 4 ? ', …' : ''}`;
}

function log(msg: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
}

async function runOne(sc: Scenario, kind: Kind, o: Options): Promise<ScenarioRun | { error: string }> {
  const start = kind === 'watchkeeper' ? startWatchkeeper : startZooKeeper;
  let server: RunningServer | null = null;
  try {
    server = await start({ forceSync: o.forceSync, cpuProfDir: o.cpuProf, wkRoot: o.wkRoot, wkNodeFlags: o.wkNodeFlags });
    log(`${sc.id} on ${kind} (pid ${server.pid}, port ${server.port}), load average ${loadavg()[0]!.toFixed(1)}`);
    const r = await sc.run({ server, workers: o.workers, log });
    sc.after?.(server, kind);
    log(`  ${JSON.stringify(r.metrics)} gen ${r.genCpuPct.toFixed(0)}% server ${r.serverCpuPct.toFixed(0)}%`);
    return r;
  } catch (err) {
    log(`  ${sc.id} on ${kind} failed: ${String(err)}`);
    return { error: String(err instanceof Error ? err.message : err) };
  } finally {
    if (server) await stopServer(server);
  }
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.replot) return replot(o.replot, o.out ?? join(REPO, 'bench', 'results'));
  const plan = o.quick ? QUICK : FULL;
  const startedAt = new Date();
  const load0 = loadavg()[0]!;
  const benchCommit = gitCommit(REPO);
  const extraNotes: string[] = [];
  const results: Results = {};
  const all = scenarios(plan, o, extraNotes).filter((s) => !o.only || o.only.includes(s.id));
  for (const sc of all) {
    results[sc.id] = {};
    for (const kind of o.servers) results[sc.id]![kind] = await runOne(sc, kind, o);
  }
  extraNotes.push(...fixedNotes(o));
  extraNotes.push(`1-minute load average at the start ${load0.toFixed(1)}, at the end ${loadavg()[0]!.toFixed(1)} (2 cores shared with other work: figures are noisy).`);
  const info = {
    mode: `${o.quick ? 'quick' : 'full'};${o.wkNodeFlags ? ` watchkeeper node flags: ${o.wkNodeFlags.join(' ')};` : ''} watchkeeper build: ${o.wkRoot ? `${o.wkRoot} (commit ${gitOf(o.wkRoot)})` : 'this checkout'}; forceSync=${o.forceSync ? 'yes' : 'no'} for both; ${o.workers} generator processes`,
    startedAt,
    wallSec: (Date.now() - startedAt.getTime()) / 1000,
    params: JSON.stringify(plan),
    extraNotes,
    benchCommit,
  };
  const out = o.out ?? join(REPO, 'bench', 'results', ...(o.quick ? ['quick'] : []));
  const specs = rowSpecs(plan).filter((r) => results[r.id] !== undefined);
  process.stdout.write(`${writeResults(out, REPO, info, specs, results)}\n`);
  if (o.json) writeFileSync(o.json, JSON.stringify({ info, plan, results }, null, 1));
}

/** The commit a --wk-root build was made from: its COMMIT file, else its git HEAD. */
function gitOf(root: string): string {
  try {
    return readFileSync(join(root, 'COMMIT'), 'utf8').trim();
  } catch {
    return gitCommit(root);
  }
}

function replot(file: string, out: string): void {
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { info: RunInfo & { startedAt: string }; plan: Plan; results: Results };
  const specs = rowSpecs(saved.plan).filter((r) => saved.results[r.id] !== undefined);
  const info = { ...saved.info, startedAt: new Date(saved.info.startedAt) };
  process.stdout.write(`${writeResults(out, REPO, info, specs, saved.results)}\n`);
}

function fixedNotes(o: Options): string[] {
  return [
    '100,000 fan-out watchers: not run. The hard open-file limit on this machine is 20,000 per process (ulimit -Hn; raising it needs CAP_SYS_RESOURCE, which the sandbox lacks) and a server needs one descriptor per session.',
    'Watches in scenarios 4 and 5 are registered with SetWatches (opcode 101, 1,000 paths per packet, relativeZxid ahead of every node so no catch-up events fire) instead of one getData each: the same watch-table entries, far fewer packets.',
    'WASM memory, JS heap and the worst event-loop delay come from watchkeeper\'s mntr (zk_watchkeeper_*; the loop monitor has 10 ms resolution, reset with srst before the close storm). As a cross-check the benchmark also preloads bench/load/probe.js into the server process (node --import; its own monitorEventLoopDelay at 1 ms resolution). ZooKeeper reports neither.',
    `ZooKeeper runs with the JVM defaults of the Debian package (no -Xmx), zoo.cfg: tickTime=2000, maxClientCnxns=0, admin.enableServer=false, 4lw.commands.whitelist=*, forceSync=${o.forceSync ? 'yes' : 'no'}.`,
    'Latency clocks: process.hrtime (CLOCK_MONOTONIC) in every generator process, so times compare across processes.',
    `Fan-out: generators read every socket into one shared buffer (no per-read allocations) and, during a round, poll their sockets every ${process.env.WK_GEN_POLL_MS ?? 1} ms instead of waking per notification (0 = off), so arrival times are late by at most that; "server CPU per round" and "generator CPU per round" cover write → last notification (the server's from /proc, 10 ms ticks averaged over the rounds).`,
  ];
}

process.on('exit', killAllNow);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    log(`${sig}: stopping servers`);
    void stopAll().finally(() => process.exit(130));
  });
}
main().then(
  async () => {
    await stopAll();
    process.exit(0);
  },
  async (err: unknown) => {
    console.error(err);
    await stopAll();
    process.exit(1);
  },
);
