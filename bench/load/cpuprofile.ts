// Summarises a V8 .cpuprofile (node --cpu-prof, e.g. written by `run.js --cpu-prof DIR` for the
// watchkeeper server): self time per function and per file, heaviest first.
//
//   node dist/bench/load/cpuprofile.js FILE.cpuprofile [topN] [--stall]
//
// --stall narrows the summary to the longest busy stretch (no idle sample): the worst stall;
// --stall-with FN to the longest one in which function FN ran (e.g. removeWatcher for the close storm);
// --windows FILE to the samples inside the spans listed in FILE, one "fromUs toUs" per line on
// CLOCK_MONOTONIC (run.js --fan-windows writes the fan-out rounds' spans; V8 stamps its samples on
// the same clock), so a whole-run profile shows only what the server did during measured rounds.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Which samples to count (all when absent). */
type Keep = ((i: number) => boolean) | undefined;

/** Self time (µs) per node id over samples [from, to), from the sample deltas. */
function selfTimes(p: Profile, from = 0, to = p.samples.length, keep?: Keep): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = from; i < to; i++) if (!keep || keep(i)) out.set(p.samples[i]!, (out.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i + 1] ?? 0));
  return out;
}

/** A Keep for the samples whose timestamps fall inside one of `spans` ([fromUs, toUs] pairs). */
export function inSpans(p: Profile, spans: ReadonlyArray<readonly [number, number]>): (i: number) => boolean {
  const at = new Float64Array(p.samples.length);
  let t = p.startTime;
  for (let i = 0; i < at.length; i++) at[i] = t += p.timeDeltas[i] ?? 0;
  return (i) => spans.some(([a, b]) => at[i]! >= a && at[i]! <= b);
}

function nodeName(n: ProfileNode): string {
  return `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
}

/**
 * The longest stretch of consecutive samples that are not (idle): the longest the event loop went
 * without getting back to polling, i.e. the worst event-loop delay, and what ran in it.
 */
export function longestBusy(p: Profile, within?: string): { from: number; to: number; ms: number } {
  const idle = new Set(p.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  let best = { from: 0, to: 0, ms: 0 };
  let start = 0;
  let acc = 0;
  for (let i = 0; i <= p.samples.length; i++) {
    if (i === p.samples.length || idle.has(p.samples[i]!)) {
      const has = (): boolean => within === undefined || [...inclusiveTimes(p, start, i).keys()].some((k) => k.startsWith(`${within} `));
      if (acc > best.ms && has()) best = { from: start, to: i, ms: acc };
      start = i + 1;
      acc = 0;
    } else acc += (p.timeDeltas[i + 1] ?? 0) / 1000;
  }
  return best;
}

/** Inclusive time (µs) per function name over samples [from, to): each ancestor counted once per sample. */
function inclusiveTimes(p: Profile, from: number, to: number, keep?: Keep): Map<string, number> {
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  for (let i = from; i < to; i++) {
    if (keep && !keep(i)) continue;
    const dt = p.timeDeltas[i + 1] ?? 0;
    const seen = new Set<string>();
    for (let id: number | undefined = p.samples[i]; id !== undefined; id = parent.get(id)) {
      const name = nodeName(byId.get(id)!);
      if (!seen.has(name)) seen.add(name), out.set(name, (out.get(name) ?? 0) + dt);
    }
  }
  return out;
}

function shortUrl(url: string): string {
  const i = url.indexOf('/dist/');
  return i >= 0 ? url.slice(i + 6) : url.replace(/^node:/, 'node:') || '(native)';
}

export function summarize(p: Profile, top = 25, from = 0, to = p.samples.length, keep?: Keep): string {
  const self = selfTimes(p, from, to, keep);
  const byFn = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const n of p.nodes) {
    const t = self.get(n.id) ?? 0;
    if (t === 0) continue;
    const file = shortUrl(n.callFrame.url);
    const fn = nodeName(n);
    byFn.set(fn, (byFn.get(fn) ?? 0) + t);
    byFile.set(file, (byFile.get(file) ?? 0) + t);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const table = (m: Map<string, number>): string =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `${((v / total) * 100).toFixed(1).padStart(5)}%  ${(v / 1000).toFixed(0).padStart(7)} ms  ${k}`)
      .join('\n');
  const incl = inclusiveTimes(p, from, to, keep);
  return `total sampled ${(total / 1000).toFixed(0)} ms\n\nby function (self):\n${table(byFn)}\n\nby file (self):\n${table(byFile)}\n\nby function (inclusive):\n${table(incl)}\n`;
}

if (process.argv[1]?.endsWith('cpuprofile.js')) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: cpuprofile.js FILE.cpuprofile [topN]');
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const top = Number(process.argv[3] ?? 25);
  const withIdx = process.argv.indexOf('--stall-with');
  const winIdx = process.argv.indexOf('--windows');
  if (winIdx > 0) {
    const spans = readFileSync(process.argv[winIdx + 1]!, 'utf8').trim().split('\n').map((l) => l.split(' ').map(Number) as [number, number]);
    process.stdout.write(`${spans.length} windows\n${summarize(p, top, 0, p.samples.length, inSpans(p, spans))}`);
  } else if (process.argv.includes('--stall') || withIdx > 0) {
    const b = longestBusy(p, withIdx > 0 ? process.argv[withIdx + 1] : undefined);
    process.stdout.write(`longest busy stretch: ${b.ms.toFixed(1)} ms (samples ${b.from}..${b.to})\n`);
    process.stdout.write(summarize(p, top, b.from, b.to));
  } else process.stdout.write(summarize(p, top));
}
