// What to run: scenario parameters for the full and the --quick run, and the table rows with the
// issue's targets. The machine caps sessions: the hard open-file limit here is 20,000 per process
// and cannot be raised without privileges, and the server needs one descriptor per session, so
// 100,000 fan-out watchers cannot be opened against either server (reported, not attempted).
import type { RowSpec } from './report.js';
import type { MixParams, StormParams } from './scenarios.js';

export interface Plan {
  fanOut: Array<{ watchers: number; rounds: number }>;
  storm: StormParams;
  mix: Omit<MixParams, 'readFraction'>;
  memory: Array<{ watches: number; sessions: number; paths: number }>;
  close: { sessions: number; perSession: number };
}

export const FULL: Plan = {
  fanOut: [
    { watchers: 1000, rounds: 20 },
    { watchers: 10_000, rounds: 20 },
  ],
  storm: { sessions: 1000, k: 10, znodes: 100, durationMs: 30_000 },
  mix: { clients: 50, depth: 10, durationMs: 20_000 },
  memory: [
    { watches: 1_000_000, sessions: 10_000, paths: 10_000 },
    { watches: 10_000_000, sessions: 10_000, paths: 10_000 },
  ],
  close: { sessions: 1000, perSession: 1000 },
};

/** At most about two minutes for both servers together. */
export const QUICK: Plan = {
  fanOut: [{ watchers: 1000, rounds: 5 }],
  storm: { sessions: 200, k: 5, znodes: 50, durationMs: 4000 },
  mix: { clients: 20, depth: 10, durationMs: 3000 },
  memory: [{ watches: 100_000, sessions: 1000, paths: 1000 }],
  close: { sessions: 200, perSession: 500 },
};

export function label(n: number): string {
  return n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n);
}

export function rowSpecs(plan: Plan): RowSpec[] {
  const rows: RowSpec[] = [];
  for (const f of plan.fanOut) {
    const id = `fanout-${label(f.watchers)}`;
    const scenario = `1. fan-out, ${label(f.watchers)} watchers, ${f.rounds} rounds`;
    rows.push({ scenario, id, metric: 'p50', label: 'write → last notification p50', unit: 'ms', better: 'lower', target: { kind: 'ratio', min: 3 } });
    rows.push({ scenario, id, metric: 'p99', label: 'p99', unit: 'ms', better: 'lower' });
    rows.push({ scenario, id, metric: 'max', label: 'max', unit: 'ms', better: 'lower' });
    rows.push({ scenario, id, metric: 'firstP50', label: 'write → first notification p50', unit: 'ms', better: 'lower' });
    rows.push({ scenario, id, metric: 'serverCpuMs', label: 'server CPU per round, write → last notification', unit: 'ms', better: 'lower' });
    rows.push({ scenario, id, metric: 'genCpuMs', label: 'generator CPU per round (all processes), same span', unit: 'ms', better: 'lower' });
  }
  const s = plan.storm;
  const storm = `2. watch storm, ${s.sessions} sessions × ${s.k} watches on ${s.znodes} znodes, ${s.durationMs / 1000} s`;
  rows.push({ scenario: storm, id: 'storm', metric: 'notifPerSec', label: 'notifications/s', unit: '/s', better: 'higher', target: { kind: 'ratio', min: 3 } });
  rows.push({ scenario: storm, id: 'storm', metric: 'writesPerSec', label: 'writes/s', unit: '/s', better: 'higher' });
  rows.push({ scenario: storm, id: 'storm', metric: 'p50', label: 'write → notification p50', unit: 'ms', better: 'lower' });
  rows.push({ scenario: storm, id: 'storm', metric: 'p99', label: 'p99', unit: 'ms', better: 'lower' });
  const m = plan.mix;
  const read = `3a. 100% getData, ${m.clients} clients × ${m.depth} in flight, ${m.durationMs / 1000} s`;
  rows.push({ scenario: read, id: 'mix-read', metric: 'readOps', label: 'reads/s', unit: '/s', better: 'higher', target: { kind: 'ratio', min: 2 } });
  rows.push({ scenario: read, id: 'mix-read', metric: 'readP50', label: 'read p50', unit: 'ms', better: 'lower' });
  rows.push({ scenario: read, id: 'mix-read', metric: 'readP99', label: 'read p99', unit: 'ms', better: 'lower', target: { kind: 'noWorse' } });
  rows.push({ scenario: read, id: 'mix-read', metric: 'readP999', label: 'read p99.9', unit: 'ms', better: 'lower' });
  const mixed = `3b. 80% getData / 20% set+create+delete, ${m.clients} × ${m.depth}, ${m.durationMs / 1000} s`;
  rows.push({ scenario: mixed, id: 'mix-8020', metric: 'readOps', label: 'reads/s', unit: '/s', better: 'higher' });
  rows.push({ scenario: mixed, id: 'mix-8020', metric: 'writeOps', label: 'writes/s', unit: '/s', better: 'higher', target: { kind: 'ratio', min: 1.5 } });
  rows.push({ scenario: mixed, id: 'mix-8020', metric: 'readP99', label: 'read p99', unit: 'ms', better: 'lower', target: { kind: 'noWorse' } });
  rows.push({ scenario: mixed, id: 'mix-8020', metric: 'writeP50', label: 'write p50', unit: 'ms', better: 'lower' });
  rows.push({ scenario: mixed, id: 'mix-8020', metric: 'writeP99', label: 'write p99', unit: 'ms', better: 'lower', target: { kind: 'noWorse' } });
  rows.push({ scenario: mixed, id: 'mix-8020', metric: 'writeP999', label: 'write p99.9', unit: 'ms', better: 'lower' });
  plan.memory.forEach((mem, i) => {
    const id = `mem-${label(mem.watches)}`;
    const scenario = `4. memory, ${label(mem.watches)} watches over ${label(mem.sessions)} sessions (${label(mem.paths)} znodes)`;
    const first = i === 0;
    rows.push({ scenario, id, metric: 'watches', label: 'watches registered (wchs)', unit: '', better: 'higher', target: first ? undefined : { kind: 'reaches', value: mem.watches } });
    rows.push({ scenario, id, metric: 'rssMiB', label: 'server RSS', unit: 'MiB', better: 'lower', target: first ? { kind: 'fraction', max: 0.25 } : undefined });
    rows.push({ scenario, id, metric: 'rssAnonMiB', label: 'RssAnon (RSS without mapped code)', unit: 'MiB', better: 'lower' });
    rows.push({ scenario, id, metric: 'rssBeforeMiB', label: 'RSS with sessions, before watches', unit: 'MiB', better: 'lower' });
    rows.push({ scenario, id, metric: 'bytesPerWatch', label: 'RSS growth per watch', unit: 'B', better: 'lower' });
    rows.push({ scenario, id, metric: 'wasmMiB', label: 'WASM memory', unit: 'MiB', better: 'lower', wkOnly: true });
    rows.push({ scenario, id, metric: 'heapMiB', label: 'JS heap used', unit: 'MiB', better: 'lower', wkOnly: true });
    rows.push({ scenario, id, metric: 'registerSec', label: 'time to register (SetWatches)', unit: 's', better: 'lower' });
  });
  const c = plan.close;
  const close = `5. close storm, ${label(c.sessions)} sessions × ${label(c.perSession)} watches`;
  rows.push({ scenario: close, id: 'close', metric: 'clearMs', label: 'disconnect → wchs shows 0', unit: 'ms', better: 'lower' });
  rows.push({ scenario: close, id: 'close', metric: 'loopMaxMs', label: 'worst event-loop delay (mntr, 10 ms resolution)', unit: 'ms', better: 'lower', target: { kind: 'absMax', max: 20 }, wkOnly: true });
  rows.push({ scenario: close, id: 'close', metric: 'probeLoopMaxMs', label: 'worst event-loop delay (preloaded probe, 1 ms)', unit: 'ms', better: 'lower', target: { kind: 'absMax', max: 20 }, wkOnly: true });
  rows.push({ scenario: close, id: 'close', metric: 'idleLoopMaxMs', label: 'worst loop delay of the idle server, 3 s before (probe): the OS floor', unit: 'ms', better: 'lower', wkOnly: true });
  rows.push({ scenario: close, id: 'close', metric: 'probeRttMaxMs', label: 'worst getData round trip meanwhile', unit: 'ms', better: 'lower' });
  rows.push({ scenario: close, id: 'close', metric: 'probeRttP50Ms', label: 'getData round trip p50 meanwhile', unit: 'ms', better: 'lower' });
  return rows;
}
