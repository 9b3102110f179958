// Summarises a V8 .cpuprofile (node --cpu-prof, e.g. written by `run.js --cpu-prof DIR` for the
// watchkeeper server): self time per function and per file, heaviest first.
//
//   node dist/bench/load/cpuprofile.js FILE.cpuprofile [topN]
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

/** Self time (µs) per node id, from the sample deltas (more exact than hitCount × interval). */
function selfTimes(p: Profile): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) out.set(p.samples[i]!, (out.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i + 1] ?? 0));
  return out;
}

function shortUrl(url: string): string {
  const i = url.indexOf('/dist/');
  return i >= 0 ? url.slice(i + 6) : url.replace(/^node:/, 'node:') || '(native)';
}

export function summarize(p: Profile, top = 25): string {
  const self = selfTimes(p);
  const byFn = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const n of p.nodes) {
    const t = self.get(n.id) ?? 0;
    if (t === 0) continue;
    const file = shortUrl(n.callFrame.url);
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber + 1}`;
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
  return `total sampled ${(total / 1000).toFixed(0)} ms\n\nby function (self):\n${table(byFn)}\n\nby file (self):\n${table(byFile)}\n`;
}

if (process.argv[1]?.endsWith('cpuprofile.js')) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: cpuprofile.js FILE.cpuprofile [topN]');
  process.stdout.write(summarize(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(process.argv[3] ?? 25)));
}
