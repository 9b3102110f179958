// Runs each (implementation, shape) in its own child process, so one implementation's heap, JIT
// state and garbage never affect another's figures, and a process that runs out of memory only
// loses its own row.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shapeArgs, type Shape } from './shapes.js';

export type Impl = 'wasm' | 'reference' | 'zk-WatchManager' | 'zk-WatchManagerOptimized';
export const IMPLS: readonly Impl[] = ['wasm', 'reference', 'zk-WatchManager', 'zk-WatchManagerOptimized'];

/** One JSON line from a child: a measurement, or a skip with its reason. */
export interface ChildLine {
  impl: Impl;
  shape: string;
  op?: 'add' | 'trigger' | 'removeWatcher';
  nsPerOp?: number;
  cpuNsPerOp?: number;
  bytesPerWatch?: number;
  pathBytesPerWatch?: number;
  count?: number;
  note?: string;
  skip?: string;
}

/** The repository root: the nearest folder above this file with a package.json (src or dist). */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return `${dir}/`;
}

const ROOT = findRoot();
const JAVA_SRC = `${ROOT}bench/watch/java`;
/** Compiled at bench time into dist/ (git-ignored), never committed. */
const JAVA_OUT = `${ROOT}dist/bench/watch/java-classes`;
const ZK_JARS = ['zookeeper.jar', 'zookeeper-jute.jar', 'slf4j-api.jar', 'slf4j-nop.jar'];
export const JAVA_CLASSPATH = ZK_JARS.map((j) => `/usr/share/java/${j}`).join(':');

export interface Limits {
  /** Node's --max-old-space-size in MiB. */
  nodeHeapMiB: number;
  /** The JVM's -Xmx in MiB. */
  javaHeapMiB: number;
  /** A child still running after this is killed and its shape reported as timed out. */
  timeoutMs: number;
  /** Warm-up rounds on a twentieth of the shape last at least this long. */
  warmMs: number;
  /** Full-size rounds (2 to 5) continue while this budget lasts; the best round is reported. */
  budgetMs: number;
}

/** Compiles the Java harness; returns null when ready, otherwise why the Java rows are skipped. */
export function compileJava(): string | null {
  const missing = ZK_JARS.map((j) => `/usr/share/java/${j}`).filter((p) => !existsSync(p));
  if (missing.length > 0) return `missing ${missing.join(', ')} (apt-get install zookeeper)`;
  mkdirSync(JAVA_OUT, { recursive: true });
  const sources = readdirSync(JAVA_SRC).filter((f) => f.endsWith('.java')).map((f) => `${JAVA_SRC}/${f}`);
  const r = spawnSync('javac', ['-nowarn', '-cp', JAVA_CLASSPATH, '-d', JAVA_OUT, ...sources], { encoding: 'utf8' });
  if (r.error) return `javac not runnable: ${r.error.message}`;
  if (r.status !== 0) return `javac failed: ${r.stderr.trim().split('\n').slice(0, 3).join(' ')}`;
  return null;
}

function commandFor(impl: Impl, shape: Shape, limits: Limits): [string, string[]] {
  const timing = [String(limits.warmMs), String(limits.budgetMs)];
  if (impl.startsWith('zk-')) {
    const cls = impl.slice(3);
    // G1, the JDK 17 default and what a ZooKeeper server runs with; -Xms left to the JVM.
    return ['java', [`-Xmx${limits.javaHeapMiB}m`, '-cp', `${JAVA_OUT}:${JAVA_CLASSPATH}`, 'WatchBench', cls, ...shapeArgs(shape), ...timing]];
  }
  const driver = fileURLToPath(new URL('./driver.js', import.meta.url));
  return [process.execPath, ['--expose-gc', `--max-old-space-size=${limits.nodeHeapMiB}`, driver, impl, ...shapeArgs(shape), ...timing]];
}

/** Runs one child to completion; never rejects (a crash becomes a skip line). */
export function runChild(impl: Impl, shape: Shape, limits: Limits): Promise<ChildLine[]> {
  const [cmd, args] = commandFor(impl, shape, limits);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), limits.timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const lines = parseLines(out, impl);
      if (code !== 0 || lines.length === 0) lines.push({ impl, shape: shape.name, skip: crashReason(code, signal, err, limits) });
      resolve(lines);
    });
  });
}

function parseLines(out: string, impl: Impl): ChildLine[] {
  const lines: ChildLine[] = [];
  for (const text of out.split('\n')) {
    if (!text.startsWith('{')) continue;
    const line = JSON.parse(text) as ChildLine;
    lines.push({ ...line, impl });
  }
  return lines;
}

function crashReason(code: number | null, signal: string | null, stderr: string, limits: Limits): string {
  if (signal === 'SIGKILL') return `killed after ${limits.timeoutMs / 1000} s (or by the OOM killer)`;
  const tail = stderr.trim().split('\n').filter(Boolean);
  const oom = tail.find((l) => /heap out of memory|OutOfMemory|Allocation failed/i.test(l));
  if (oom) return `out of memory (${oom.trim().slice(0, 120)})`;
  return `exited with ${signal ?? code}: ${(tail.at(-1) ?? '').trim().slice(0, 160)}`;
}
