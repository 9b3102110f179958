// Smoke test of the watch benchmark (npm run bench:watch): the Java harness compiles against the
// installed ZooKeeper 3.8 jar and drives both of ZooKeeper's own watch managers through a tiny
// shape, and the TypeScript phases drive the reference the same way. Each harness checks, and
// fails loudly otherwise, that every watch was added once, fired exactly once when its path was
// triggered, and that removeWatcher left the table empty; here we check the lines they print.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileJava, runChild, type ChildLine, type Limits } from '../../bench/watch/children.js';
import { measure, type Line } from '../../bench/watch/phases.js';
import type { Shape } from '../../bench/watch/shapes.js';
import { loadSubject } from '../../bench/watch/subjects.js';

const TINY: Shape = { name: 'B', label: 'tiny', watchers: 40, perWatcher: 5, pool: 50 };
const WATCHES = 200;
const LIMITS: Limits = { nodeHeapMiB: 512, javaHeapMiB: 256, timeoutMs: 30_000, warmMs: 0, budgetMs: 0 };

function expectThreeOps(lines: readonly (ChildLine | Line)[]): void {
  expect(lines.filter((l) => l.skip !== undefined)).toEqual([]);
  expect(lines.map((l) => l.op)).toEqual(['add', 'trigger', 'removeWatcher']);
  for (const l of lines) {
    expect(l.count).toBe(WATCHES);
    expect(l.nsPerOp).toBeGreaterThan(0);
    expect(Number.isFinite(l.bytesPerWatch)).toBe(true);
  }
}

describe('bench:watch harnesses on a tiny shape', () => {
  beforeAll(() => {
    expect(compileJava()).toBeNull();
  }, 60_000);

  it('drives ZooKeeper WatchManager: add, trigger (all 200 fired), removeWatcher (table empty)', async () => {
    const lines = await runChild('zk-WatchManager', TINY, LIMITS);
    // (bytes per watch is not asserted: 200 watches are below the heap readings' precision)
    expectThreeOps(lines);
  });

  it('drives WatchManagerOptimized and waits for its WatcherCleaner to purge every watcher', async () => {
    const lines = await runChild('zk-WatchManagerOptimized', TINY, LIMITS);
    expectThreeOps(lines);
    expect(lines[2]!.note).toMatch(/WatcherCleaner/);
    expect(lines[2]!.note).not.toMatch(/NOT clean/);
  });

  it('drives the TypeScript reference through the same phases in-process', async () => {
    setFlagsFromString('--expose-gc');
    (globalThis as { gc?: unknown }).gc = runInNewContext('gc');
    const make = await loadSubject('reference');
    const lines: Line[] = [];
    measure('reference', make, TINY, 0, (l) => lines.push(l));
    expectThreeOps(lines);
  });
});
