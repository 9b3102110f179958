// The benchmark shapes of issue 2, shared by the TypeScript driver and (through its command line)
// the Java harness in bench/watch/java/, so every implementation builds exactly the same table.
//
// Watcher w (0-based) watches pool paths (w * K + k) mod P for k < K, and pool path i is
// /app/service-<i / 1000>/node-<i % 1000, 4 digits>: a thousand nodes per service, the layout of a
// service-discovery tree. Every watch is a standard one-shot watch.

export type ShapeName = 'A' | 'B' | 'C' | 'D' | 'E';

export interface Shape {
  readonly name: ShapeName;
  readonly label: string;
  /** Number of watchers (sessions). */
  readonly watchers: number;
  /** Watches per watcher (K). */
  readonly perWatcher: number;
  /** Number of distinct paths watched (P). */
  readonly pool: number;
}

const FULL: readonly Shape[] = [
  { name: 'A', label: 'dense', watchers: 1_000, perWatcher: 1_000, pool: 1_000 },
  { name: 'B', label: 'typical', watchers: 100_000, perWatcher: 10, pool: 100_000 },
  { name: 'C', label: 'sparse', watchers: 1_000_000, perWatcher: 1, pool: 1_000_000 },
  { name: 'D', label: 'hot', watchers: 10_000, perWatcher: 100, pool: 100 },
  { name: 'E', label: 'scale', watchers: 10_000, perWatcher: 1_000, pool: 100_000 },
];

// --quick: the same layouts scaled down (10x fewer watches, 20x for C, whose quadratic BitSet
// growth in WatchManagerOptimized dominates otherwise) so that twenty fresh
// processes (four implementations, five shapes) finish in about a minute on two cores.
const QUICK: readonly Shape[] = [
  { name: 'A', label: 'dense', watchers: 300, perWatcher: 300, pool: 300 },
  { name: 'B', label: 'typical', watchers: 10_000, perWatcher: 10, pool: 10_000 },
  { name: 'C', label: 'sparse', watchers: 50_000, perWatcher: 1, pool: 50_000 },
  { name: 'D', label: 'hot', watchers: 1_000, perWatcher: 100, pool: 100 },
  { name: 'E', label: 'scale', watchers: 1_000, perWatcher: 1_000, pool: 10_000 },
];

export function shapes(quick: boolean): readonly Shape[] {
  return quick ? QUICK : FULL;
}

export function totalWatches(s: Shape): number {
  return s.watchers * s.perWatcher;
}

/** The shape used to warm up the JIT before timing: a twentieth of the watchers and paths. */
export function warmUpShape(s: Shape): Shape {
  const watchers = Math.max(10, Math.floor(s.watchers / 20));
  const pool = Math.min(s.pool, Math.max(s.perWatcher, Math.floor(s.pool / 20)));
  return { ...s, watchers, pool };
}

/** Pool path i, e.g. /app/service-17/node-0042 (bench/watch/java/Table.java builds the same). */
export function pathOf(i: number): string {
  return `/app/service-${Math.floor(i / 1000)}/node-${String(i % 1000).padStart(4, '0')}`;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The pool's path strings, decoded from their UTF-8 bytes the way a server gets them off the wire.
 * That also makes them flat strings: a template literal builds a rope that V8 flattens on first use
 * (encodeInto, hashing), which frees ~38 bytes per path mid-measurement and once made a table's
 * heap growth come out at minus 38 MiB.
 */
export function poolPaths(s: Shape): string[] {
  return Array.from({ length: s.pool }, (_, i) => decoder.decode(encoder.encode(pathOf(i))));
}

/** The pool index of watch k of watcher w. */
export function pathIndex(s: Shape, w: number, k: number): number {
  return (w * s.perWatcher + k) % s.pool;
}

/** The shape's command-line form for the Java harness: NAME WATCHERS K P. */
export function shapeArgs(s: Shape): string[] {
  return [s.name, String(s.watchers), String(s.perWatcher), String(s.pool)];
}
