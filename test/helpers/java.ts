// The Java script runner (test/compat/java/*.java) from TypeScript: compiled once per test run
// into a cache directory keyed by the sources' hash, then driven one command line at a time.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { captureOutput, exited, guardChild, spawnTracked, stopChild } from './processes.js';
import { requireFile } from './zookeeper.js';

export const JAVA_CLIENT_CP = [
  '/usr/share/java/zookeeper.jar',
  '/usr/share/java/zookeeper-jute.jar',
  '/usr/share/java/slf4j-api.jar',
  '/usr/share/java/slf4j-nop.jar',
].join(':');

const SRC = resolve(import.meta.dirname, '../compat/java');

/** Compiles the runner unless this exact source is already compiled; returns the class dir. */
export function compileJava(): string {
  requireFile('/usr/bin/javac', 'openjdk-17-jdk-headless');
  requireFile('/usr/share/java/zookeeper.jar', 'zookeeper');
  const files = readdirSync(SRC).filter((f) => f.endsWith('.java')).sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update(readFileSync(join(SRC, f)));
  const dir = join(tmpdir(), `watchkeeper-java-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(join(dir, 'ZkScript.class'))) return dir;
  // Compile aside and rename into place, so two test workers racing here both end up with a
  // complete directory.
  const tmp = mkdtempSync(join(tmpdir(), 'watchkeeper-javac-'));
  const r = spawnSync('javac', ['-nowarn', '-d', tmp, '-cp', JAVA_CLIENT_CP, ...files.map((f) => join(SRC, f))], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`javac failed: ${r.stderr}${r.stdout}`);
  try {
    renameSync(tmp, dir);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another worker won the race
  }
  return dir;
}

/** One JSON line answered by ZkScript. `rc` is 0, a ZooKeeper error code, or a client-side word. */
export type Reply = Record<string, unknown> & { op: string; rc: number | string };

const JVM_FLAGS = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xshare:auto'];

/** A running ZkScript process talking to the given named addresses (first is the default). */
export class JavaClient {
  private readonly child: ChildProcess;
  private readonly waiting: Array<(r: Reply) => void> = [];
  private readonly output: () => string;

  constructor(addresses: Record<string, string>, jvmFlags: string[] = []) {
    const classes = compileJava();
    const args = Object.entries(addresses).map(([k, v]) => `${k}=${v}`);
    const cp = `${classes}:${JAVA_CLIENT_CP}`;
    this.child = spawnTracked('java', [...JVM_FLAGS, ...jvmFlags, '-cp', cp, 'ZkScript', ...args]);
    guardChild(this.child);
    this.output = captureOutput(this.child);
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.onLine(line));
  }

  private onLine(line: string): void {
    if (!line.startsWith('{')) return; // not a reply (a JVM warning on stdout)
    const next = this.waiting.shift();
    if (next) next(JSON.parse(line) as Reply);
  }

  /** Sends one command line; resolves with its reply. */
  cmd(line: string, timeoutMs = 60_000): Promise<Reply> {
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to "${line}" in ${timeoutMs} ms: ${this.output().slice(-2000)}`)), timeoutMs);
      this.waiting.push((r) => {
        clearTimeout(timer);
        resolvePromise(r);
      });
      this.child.stdin!.write(`${line}\n`);
    });
  }

  /** Runs lines in order (blank lines and # comments dropped); replies in the same order. */
  async script(lines: string[]): Promise<Reply[]> {
    const out: Reply[] = [];
    for (const line of lines.map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))) {
      out.push(await this.cmd(line));
    }
    return out;
  }

  /** Asks the runner to close its sessions and exit; kills it if it has not within 5 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null) this.child.stdin!.end('quit\n');
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000).unref());
    if ((await Promise.race([exited(this.child), timeout])) === 'timeout') await stopChild(this.child, 1000);
  }
}
