// Writes the results directory: latest.md (machine, date, commit, mode, table, notes, chart links)
// and the SVG charts; optionally the raw results as JSON.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { barChart, cdfChart, cdfPoints, COLORS, type BarGroup, type Series } from './charts.js';
import type { HistSnapshot } from './hist.js';
import { markdownTable, notesText, type Kind, type Results, type RowSpec } from './report.js';

export interface RunInfo {
  mode: string;
  startedAt: Date;
  wallSec: number;
  params: string;
  extraNotes: string[];
  /** The benchmark checkout's commit when the run started (kept when re-plotting later). */
  benchCommit?: string;
}

export function machineLine(): string {
  const c = cpus();
  return `${c[0]?.model ?? 'unknown cpu'}, ${c.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}`;
}

export function gitCommit(cwd: string): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd }).toString().trim() !== '';
    return dirty ? `${sha} (work tree has uncommitted changes)` : sha;
  } catch {
    return 'unknown';
  }
}

const KINDS: Kind[] = ['watchkeeper', 'zookeeper'];

function dist(results: Results, id: string, kind: Kind, key: string): HistSnapshot | number[] | undefined {
  const r = results[id]?.[kind];
  return r && !('error' in r) ? r.dists[key] : undefined;
}

function metric(results: Results, id: string, kind: Kind, key: string): number | undefined {
  const r = results[id]?.[kind];
  return r && !('error' in r) ? r.metrics[key] : undefined;
}

function cdfSeries(results: Results, parts: Array<{ id: string; key: string; label: string }>): Series[] {
  const out: Series[] = [];
  parts.forEach((p, i) => {
    for (const kind of KINDS) {
      const d = dist(results, p.id, kind, p.key);
      if (!d) continue;
      const color = i === 0 ? COLORS[kind] : kind === 'watchkeeper' ? '#7fb8e0' : '#f09a9b';
      out.push({ name: `${kind} ${p.label}`, color, points: cdfPoints(d) });
    }
  });
  return out;
}

function bars(results: Results, groups: Array<{ id: string; key: string; label: string }>): BarGroup[] {
  return groups.map((g) => ({ label: g.label, bars: KINDS.map((k) => ({ name: k, color: COLORS[k], value: metric(results, g.id, k, g.key) })) }));
}

/** Writes every chart; returns their file names. */
function writeCharts(dir: string, results: Results): string[] {
  const ids = Object.keys(results);
  const charts: Array<[string, string]> = [];
  const fan = ids.filter((id) => id.startsWith('fanout-'));
  charts.push(['fanout-latency.svg', cdfChart('Fan-out: write → last notification, per round', cdfSeries(results, fan.reverse().map((id) => ({ id, key: 'rounds', label: id.slice(7) }))))]);
  charts.push(['storm-latency.svg', cdfChart('Watch storm: write → notification latency', cdfSeries(results, [{ id: 'storm', key: 'latency', label: '' }]))]);
  charts.push(['mix-read-latency.svg', cdfChart('100% getData: request latency', cdfSeries(results, [{ id: 'mix-read', key: 'reads', label: 'reads' }]))]);
  charts.push(['mix-8020-latency.svg', cdfChart('80/20 mix: request latency', cdfSeries(results, [{ id: 'mix-8020', key: 'writes', label: 'writes' }, { id: 'mix-8020', key: 'reads', label: 'reads' }]))]);
  charts.push(['close-rtt.svg', cdfChart('Close storm: getData round trips while watches are dropped', cdfSeries(results, [{ id: 'close', key: 'rtt', label: '' }]))]);
  const tput = [
    { id: 'storm', key: 'notifPerSec', label: 'storm notif/s' },
    { id: 'mix-read', key: 'readOps', label: '100% reads/s' },
    { id: 'mix-8020', key: 'readOps', label: '80/20 reads/s' },
    { id: 'mix-8020', key: 'writeOps', label: '80/20 writes/s' },
  ];
  charts.push(['throughput.svg', barChart('Throughput (higher is better)', 'operations per second', bars(results, tput))]);
  const mem = ids.filter((id) => id.startsWith('mem-')).map((id) => ({ id, key: 'rssMiB', label: `RSS, ${id.slice(4)} watches` }));
  charts.push(['memory.svg', barChart('Server RSS (lower is better)', 'MiB', bars(results, mem))]);
  for (const [name, svg] of charts) writeFileSync(join(dir, name), svg);
  return charts.map(([n]) => n);
}

export function writeResults(dir: string, repo: string, info: RunInfo, specs: readonly RowSpec[], results: Results): string {
  mkdirSync(dir, { recursive: true });
  const charts = writeCharts(dir, results);
  const notes = [notesText(results), ...info.extraNotes.map((n) => `- ${n}`)].filter((s) => s !== '').join('\n');
  const md = [
    '# Load benchmark: watchkeeper vs Apache ZooKeeper 3.8.0',
    '',
    `- date: ${info.startedAt.toISOString()} (run took ${info.wallSec.toFixed(0)} s)`,
    `- machine: ${machineLine()}`,
    `- benchmark code commit: ${info.benchCommit ?? gitCommit(repo)}`,
    `- mode: ${info.mode}`,
    `- parameters: ${info.params}`,
    '- ratio: watchkeeper\'s advantage (>1 = watchkeeper better); gen CPU = load generator processes, server CPU = server process, both in % of one core over the measured phase',
    '',
    markdownTable(specs, results),
    '',
    '## Notes',
    '',
    notes,
    '',
    '## Charts',
    '',
    ...charts.map((c) => `![${c}](${c})`),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'latest.md'), md);
  return md;
}
