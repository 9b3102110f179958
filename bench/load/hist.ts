// A fixed-size log-bucket latency histogram: bounded memory however many samples arrive, about 1%
// relative precision, and mergeable across worker processes (the counts travel over IPC as a plain
// array). Values are microseconds.

const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** Buckets up to ~1.01^2400 µs ≈ 24,000 s: every latency a bounded run can see. */
const BUCKETS = 2400;

export interface HistSnapshot {
  counts: number[];
  max: number;
  min: number;
  sum: number;
}

export class Histogram {
  private counts = new Float64Array(BUCKETS);
  n = 0;
  max = 0;
  min = Infinity;
  sum = 0;

  record(us: number): void {
    const v = us < 1 ? 1 : us;
    const b = Math.min(BUCKETS - 1, Math.floor(Math.log(v) / LOG_GROWTH));
    this.counts[b]!++;
    this.n++;
    this.sum += v;
    if (v > this.max) this.max = v;
    if (v < this.min) this.min = v;
  }

  /** The value below which fraction `q` of the samples lie (bucket upper edge, capped at max). */
  quantile(q: number): number {
    if (this.n === 0) return NaN;
    const rank = Math.ceil(q * this.n);
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.counts[b]!;
      if (seen >= rank) return Math.min(this.max, Math.max(this.min, GROWTH ** (b + 1)));
    }
    return this.max;
  }

  mean(): number {
    return this.n === 0 ? NaN : this.sum / this.n;
  }

  snapshot(): HistSnapshot {
    return { counts: Array.from(this.counts), max: this.max, min: this.min, sum: this.sum };
  }

  merge(s: HistSnapshot): this {
    for (let b = 0; b < BUCKETS; b++) {
      const c = s.counts[b] ?? 0;
      this.counts[b]! += c;
      this.n += c;
    }
    this.sum += s.sum;
    if (s.max > this.max) this.max = s.max;
    if (s.min < this.min) this.min = s.min;
    return this;
  }

  /** (upper edge µs, count) pairs of non-empty buckets, for charts. */
  buckets(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let b = 0; b < BUCKETS; b++) if (this.counts[b]! > 0) out.push([GROWTH ** (b + 1), this.counts[b]!]);
    return out;
  }

  static from(snaps: readonly HistSnapshot[]): Histogram {
    const h = new Histogram();
    for (const s of snaps) h.merge(s);
    return h;
  }
}

/** Exact quantile of a small sample (fan-out rounds). */
export function quantileOf(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
