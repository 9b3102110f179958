// `npm run bench:watch`: the watch-table micro-benchmark of issue 2.
//
//   node dist/bench/watch/run.js [--quick] [--json FILE] [--impl wasm,reference,...] [--shape A,C]
//
// Measures add, trigger and removeWatcher (ns per op) and bytes per watch for the WASM table, the
// TypeScript reference and Apache ZooKeeper 3.8's WatchManager and WatchManagerOptimized (through
// bench/watch/java/, compiled with javac into dist/), each (implementation, shape) in a fresh
// process, one after another so they never compete for the two cores. Prints a Markdown table,
// notes, and the issue's pass/fail targets.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { compileJava, IMPLS, runChild, type Impl, type Limits } from './children.js';
import { footnotes, markdownTable, Results } from './report.js';
import { shapes, totalWatches, type Shape } from './shapes.js';
import { targetsText } from './targets.js';

const HOW_TO_READ = `ns per op: add = per addWatch, trigger = per fired watch (each path triggered once with \
NodeDataChanged, firing all its one-shot watches), removeWatcher = per removed watch (every watcher of a fresh \
table removed); best of 2-5 full-size rounds after a JIT warm-up. bytes/watch: heap growth after GC (JS heap for \
the reference, Java heap for ZooKeeper's classes; path strings are built beforehand and not counted); wasm: the \
core's live heap blocks minus the interned path copies, which are shown apart as (+N path). Every watch is a \
standard watch, so WatchManagerOptimized (no persistent modes) runs every shape; its removeWatcher time runs \
until its WatcherCleaner has purged every watcher (see the notes). The wasm table defers work too, and is \
charged for it the same way: a path whose last watch ends is only retired, and retired paths are reclaimed \
(bytes freed, hash table rebuilt) by bulk sweeps that run inside later removals once retired paths outnumber \
live ones 3 to 1, so removing every watcher pays for all but at most 4,096 of those reclaims in the timed loop.
`;

const CPU_NOTE = `The same rounds timed in CPU time instead: Node's process.cpuUsage() (every thread, GC helpers \
included); for Java the sum of every Java thread's CPU clock (caller and WatcherCleaner threads; the JVM's GC \
and JIT threads are not Java threads and are left out). On a busy machine this leaves out the time other \
processes held the cores.`;

interface Options {
  quick: boolean;
  json?: string;
  impls: readonly Impl[];
  shapeNames?: readonly string[];
}

function parseArgs(argv: readonly string[]): Options {
  const opts: Options = { quick: false, impls: IMPLS };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--json') opts.json = argv[++i];
    else if (a === '--impl') opts.impls = (argv[++i] ?? '').split(',') as Impl[];
    else if (a === '--shape') opts.shapeNames = (argv[++i] ?? '').split(',');
    else throw new Error(`unknown argument ${a}; usage: run.js [--quick] [--json FILE] [--impl LIST] [--shape LIST]`);
  }
  if (opts.impls.some((i) => !IMPLS.includes(i))) throw new Error(`--impl takes ${IMPLS.join(',')}`);
  return opts;
}

// Node gets room for the reference at 10M watches (two Map/Set indexes); the JVM gets 8 GiB, the
// figure the issue names. Children run one at a time, so the two never add up.
function limits(quick: boolean): Limits {
  return quick
    ? { nodeHeapMiB: 4096, javaHeapMiB: 2048, timeoutMs: 120_000, warmMs: 300, budgetMs: 500 }
    : { nodeHeapMiB: 14_336, javaHeapMiB: 8192, timeoutMs: 30 * 60_000, warmMs: 2000, budgetMs: 15_000 };
}

/** Which code was measured: the commit, and whether the watch core had uncommitted changes. */
function codeVersion(): string {
  const git = (...args: string[]): string => spawnSync('git', args, { encoding: 'utf8' }).stdout?.trim() ?? '';
  const head = git('rev-parse', '--short', 'HEAD') || 'unknown commit';
  const dirty = git('status', '--porcelain', '--', 'assembly', 'src/watch', 'src/wasm');
  return `commit ${head}${dirty ? ' plus uncommitted changes in the watch core' : ''}`;
}

function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

async function runAll(opts: Options, selected: readonly Shape[], results: Results): Promise<void> {
  const javaProblem = opts.impls.some((i) => i.startsWith('zk-')) ? compileJava() : null;
  const total = selected.length * opts.impls.length;
  let n = 0;
  for (const shape of selected) {
    for (const impl of opts.impls) {
      n++;
      if (impl.startsWith('zk-') && javaProblem) {
        results.add([{ impl, shape: shape.name, skip: javaProblem }]);
        continue;
      }
      const t0 = Date.now();
      const lines = await runChild(impl, shape, limits(opts.quick));
      results.add(lines);
      const skip = lines.find((l) => l.skip)?.skip;
      log(`[${n}/${total}] ${impl} ${shape.name} (${totalWatches(shape).toLocaleString('en')} watches): ` +
        `${((Date.now() - t0) / 1000).toFixed(1)} s${skip ? ` - ${skip}` : ''}`);
    }
  }
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const all = shapes(opts.quick);
  const selected = opts.shapeNames ? all.filter((s) => opts.shapeNames!.includes(s.name)) : all;
  const results = new Results();
  const t0 = Date.now();
  const loadBefore = loadavg()[0]!;
  const version = codeVersion();
  await runAll(opts, selected, results);

  const title = opts.quick ? 'Watch table benchmark (--quick: shapes scaled down)' : 'Watch table benchmark';
  const shapeList = selected.map((s) =>
    `${s.name} ${s.label}: ${s.watchers.toLocaleString('en')} watchers x ${s.perWatcher.toLocaleString('en')} paths ` +
    `(${s.pool.toLocaleString('en')} distinct, ${totalWatches(s).toLocaleString('en')} watches)`);
  console.log(`## ${title}\n\nMeasured: ${version}.\n\n${shapeList.map((l) => `- ${l}`).join('\n')}\n`);
  console.log(HOW_TO_READ);
  console.log(`### Wall clock\n\n${markdownTable(results, selected, 'wall')}`);
  console.log(`\n### CPU time\n\n${CPU_NOTE}\n\n${markdownTable(results, selected, 'cpu')}`);
  const notes = footnotes(results);
  if (notes) console.log(`\n### Notes\n\n${notes}`);
  console.log(`\n### Targets (wall clock)\n\n${targetsText(results, selected, 'wall')}`);
  console.log(`\n### Targets (CPU time)\n\n${targetsText(results, selected, 'cpu')}`);
  // Figures from a shared machine are only as good as its idle time: say how busy it was.
  console.log(`\n(${((Date.now() - t0) / 1000).toFixed(0)} s in all on ${cpus().length} cores; ` +
    `1-minute load average ${loadBefore.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end)`);
  if (opts.json) writeFileSync(opts.json, `${JSON.stringify(results.records(), null, 2)}\n`);
}

await main();
