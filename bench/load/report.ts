// Turns scenario runs into the Markdown table of issue 5: one row per (scenario, metric) with both
// servers' values, watchkeeper's advantage as a ratio (>1 means watchkeeper is better, whichever
// direction "better" is for the metric), the target and pass/fail, and the generator's own
// CPU beside each scenario so a saturated generator is visible.
import type { ScenarioRun } from './scenarios.js';

export type Kind = 'watchkeeper' | 'zookeeper';
export type RunOrError = ScenarioRun | { error: string };

export type Target =
  | { kind: 'ratio'; min: number }
  | { kind: 'noWorse' }
  | { kind: 'absMax'; max: number }
  | { kind: 'fraction'; max: number }
  | { kind: 'reaches'; value: number };

export interface RowSpec {
  scenario: string;
  id: string;
  metric: string;
  label: string;
  unit: string;
  better: 'lower' | 'higher';
  target?: Target;
  /** Metric only watchkeeper reports. */
  wkOnly?: boolean;
}

export type Results = Record<string, Partial<Record<Kind, RunOrError>>>;

function value(r: RunOrError | undefined, metric: string): number | undefined {
  if (!r || 'error' in r) return undefined;
  return r.metrics[metric];
}

export function fmt(v: number | undefined, unit = ''): string {
  if (v === undefined || Number.isNaN(v)) return '–';
  const abs = Math.abs(v);
  const s = abs >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : abs >= 1e4 ? `${(v / 1e3).toFixed(1)}k` : abs >= 100 ? v.toFixed(0) : abs >= 10 ? v.toFixed(1) : v.toFixed(2);
  return unit ? `${s} ${unit}` : s;
}

/** watchkeeper's advantage: >1 is better for watchkeeper. */
export function advantage(spec: RowSpec, wk?: number, zk?: number): number | undefined {
  if (wk === undefined || zk === undefined || wk <= 0 || zk <= 0) return undefined;
  return spec.better === 'higher' ? wk / zk : zk / wk;
}

function targetText(t?: Target): string {
  if (!t) return '';
  switch (t.kind) {
    case 'ratio':
      return `≥ ${t.min}x`;
    case 'noWorse':
      return 'no worse';
    case 'absMax':
      return `≤ ${t.max}`;
    case 'fraction':
      return `≤ ${t.max} of ZK`;
    case 'reaches':
      return `runs (${fmt(t.value)})`;
  }
}

export function verdict(spec: RowSpec, wk?: number, zk?: number): string {
  const t = spec.target;
  if (!t) return '';
  if (wk === undefined || Number.isNaN(wk)) return 'n/a';
  const ratio = advantage(spec, wk, zk);
  const pass = (ok: boolean | undefined): string => (ok === undefined ? 'n/a' : ok ? 'PASS' : 'FAIL');
  switch (t.kind) {
    case 'ratio':
      return pass(ratio === undefined ? undefined : ratio >= t.min);
    case 'noWorse':
      return pass(ratio === undefined ? undefined : ratio >= 1);
    case 'absMax':
      return pass(wk <= t.max);
    case 'fraction':
      return pass(zk === undefined ? undefined : wk <= t.max * zk);
    case 'reaches':
      return pass(wk >= t.value);
  }
}

function cpuCell(r: RunOrError | undefined): string {
  if (!r) return '–';
  if ('error' in r) return 'error';
  return `${r.genCpuPct.toFixed(0)}% / ${r.serverCpuPct.toFixed(0)}%`;
}

export function markdownTable(specs: readonly RowSpec[], results: Results): string {
  const lines = [
    '| scenario | metric | watchkeeper | ZooKeeper | ratio | target | pass/fail | gen CPU / server CPU (wk) | gen CPU / server CPU (ZK) |',
    '| --- | --- | ---: | ---: | ---: | --- | --- | ---: | ---: |',
  ];
  for (const spec of specs) {
    const r = results[spec.id] ?? {};
    const wk = value(r.watchkeeper, spec.metric);
    const zk = spec.wkOnly ? undefined : value(r.zookeeper, spec.metric);
    const ratio = advantage(spec, wk, zk);
    const cells = [
      spec.scenario,
      spec.label,
      errorOr(r.watchkeeper, fmt(wk, spec.unit)),
      spec.wkOnly ? 'not reported' : errorOr(r.zookeeper, fmt(zk, spec.unit)),
      ratio === undefined ? '–' : `${ratio.toFixed(2)}x`,
      targetText(spec.target),
      verdict(spec, wk, zk),
      cpuCell(r.watchkeeper),
      cpuCell(r.zookeeper),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

function errorOr(r: RunOrError | undefined, text: string): string {
  return r && 'error' in r ? `error: ${r.error.slice(0, 60).replace(/\|/g, '/')}` : text;
}

/** Scenario notes (unmatched notifications, errors) and run errors, as a bullet list. */
export function notesText(results: Results): string {
  const out: string[] = [];
  for (const [id, byKind] of Object.entries(results)) {
    for (const [kind, r] of Object.entries(byKind)) {
      if (!r) continue;
      if ('error' in r) out.push(`- ${id} (${kind}): error: ${r.error}`);
      else for (const n of r.notes) out.push(`- ${id} (${kind}): ${n}`);
    }
  }
  return out.join('\n');
}
