// Hand-written SVG charts (no dependency): latency distributions as CDFs on a log time axis, and
// grouped bars for throughput and memory. Each function returns a complete standalone SVG document.
import { Histogram, type HistSnapshot } from './hist.js';

export interface Series {
  name: string;
  color: string;
  /** (latency ms, cumulative fraction 0..1), ascending. */
  points: Array<[number, number]>;
}

export const COLORS = { watchkeeper: '#1f77b4', zookeeper: '#d62728' } as const;
const W = 640;
const H = 360;
const PAD = { l: 64, r: 16, t: 36, b: 48 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function frame(title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** CDF points from a histogram snapshot or raw samples (µs), in ms. */
export function cdfPoints(d: HistSnapshot | number[]): Array<[number, number]> {
  if (Array.isArray(d)) {
    const s = [...d].sort((a, b) => a - b);
    return s.map((v, i) => [v / 1000, (i + 1) / s.length]);
  }
  const h = Histogram.from([d]);
  let seen = 0;
  return h.buckets().map(([edge, c]) => [Math.min(edge, h.max) / 1000, (seen += c) / h.n]);
}

export function cdfChart(title: string, series: readonly Series[]): string {
  const xs = series.flatMap((s) => s.points.map((p) => p[0])).filter((x) => x > 0);
  if (xs.length === 0) return frame(title, [`<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no data</text>`]);
  const lo = Math.floor(Math.log10(Math.min(...xs)));
  const hi = Math.ceil(Math.log10(Math.max(...xs)) + 1e-9) || lo + 1;
  const pw = W - PAD.l - PAD.r;
  const ph = H - PAD.t - PAD.b;
  const x = (v: number): number => PAD.l + ((Math.log10(Math.max(v, 10 ** lo)) - lo) / Math.max(1, hi - lo)) * pw;
  const y = (f: number): number => PAD.t + (1 - f) * ph;
  const body: string[] = [];
  for (let e = lo; e <= hi; e++) {
    body.push(`<line x1="${x(10 ** e)}" y1="${PAD.t}" x2="${x(10 ** e)}" y2="${PAD.t + ph}" stroke="#ddd"/>`);
    body.push(`<text x="${x(10 ** e)}" y="${PAD.t + ph + 16}" text-anchor="middle">${10 ** e >= 1 ? 10 ** e : (10 ** e).toPrecision(1)}</text>`);
  }
  for (const f of [0, 0.25, 0.5, 0.75, 0.9, 1]) {
    body.push(`<line x1="${PAD.l}" y1="${y(f)}" x2="${PAD.l + pw}" y2="${y(f)}" stroke="#eee"/>`);
    body.push(`<text x="${PAD.l - 6}" y="${y(f) + 4}" text-anchor="end">${f}</text>`);
  }
  body.push(`<text x="${PAD.l + pw / 2}" y="${H - 10}" text-anchor="middle">latency (ms, log scale)</text>`);
  body.push(`<text x="14" y="${PAD.t + ph / 2}" transform="rotate(-90 14 ${PAD.t + ph / 2})" text-anchor="middle">cumulative fraction</text>`);
  series.forEach((s, i) => {
    const pts = s.points.map(([v, f]) => `${x(v).toFixed(1)},${y(f).toFixed(1)}`).join(' ');
    body.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts}"/>`);
    body.push(`<rect x="${PAD.l + 10}" y="${PAD.t + 8 + i * 18}" width="12" height="12" fill="${s.color}"/>`);
    body.push(`<text x="${PAD.l + 28}" y="${PAD.t + 18 + i * 18}">${esc(s.name)}</text>`);
  });
  return frame(title, body);
}

export interface BarGroup {
  label: string;
  bars: Array<{ name: string; color: string; value: number | undefined }>;
}

export function barChart(title: string, unit: string, groups: readonly BarGroup[]): string {
  const max = Math.max(1e-9, ...groups.flatMap((g) => g.bars.map((b) => b.value ?? 0)));
  const pw = W - PAD.l - PAD.r;
  const ph = H - PAD.t - PAD.b;
  const gw = pw / Math.max(1, groups.length);
  const body: string[] = [`<text x="14" y="${PAD.t + ph / 2}" transform="rotate(-90 14 ${PAD.t + ph / 2})" text-anchor="middle">${esc(unit)}</text>`];
  body.push(`<line x1="${PAD.l}" y1="${PAD.t + ph}" x2="${PAD.l + pw}" y2="${PAD.t + ph}" stroke="#333"/>`);
  groups.forEach((g, gi) => {
    const bw = (gw * 0.7) / Math.max(1, g.bars.length);
    g.bars.forEach((b, bi) => {
      const v = b.value ?? 0;
      const h = (v / max) * (ph - 14);
      const bx = PAD.l + gi * gw + gw * 0.15 + bi * bw;
      body.push(`<rect x="${bx.toFixed(1)}" y="${(PAD.t + ph - h).toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${b.color}"><title>${esc(b.name)}</title></rect>`);
      body.push(`<text x="${(bx + bw / 2).toFixed(1)}" y="${(PAD.t + ph - h - 3).toFixed(1)}" text-anchor="middle" font-size="10">${b.value === undefined ? 'n/a' : compact(v)}</text>`);
    });
    body.push(`<text x="${(PAD.l + gi * gw + gw / 2).toFixed(1)}" y="${PAD.t + ph + 16}" text-anchor="middle">${esc(g.label)}</text>`);
  });
  const names = [...new Map(groups.flatMap((g) => g.bars.map((b) => [b.name, b.color] as const))).entries()];
  names.forEach(([n, c], i) => {
    body.push(`<rect x="${W - 150}" y="${PAD.t + i * 18}" width="12" height="12" fill="${c}"/>`);
    body.push(`<text x="${W - 132}" y="${PAD.t + 10 + i * 18}">${esc(n)}</text>`);
  });
  return frame(title, body);
}

function compact(v: number): string {
  if (v >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)}k`;
  return v >= 10 ? v.toFixed(0) : v.toFixed(2);
}
