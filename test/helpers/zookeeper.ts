// Starts a real Apache ZooKeeper 3.8.0 (Debian's package) as a standalone server on a free port of
// 127.0.0.1, the reference every compat and differential test is measured against. One instance
// per test file: the JVM takes seconds to start on two cores.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { LOOPBACK, freePort } from './ports.js';
import { fourLetter } from './fourletter.js';
import { captureOutput, guardChild, spawnTracked, stopChild } from './processes.js';

export const ZK_JAR = '/usr/share/java/zookeeper.jar';
export const ZK_CONF_DIR = '/etc/zookeeper/conf';

export interface RunningServer {
  readonly kind: 'zookeeper' | 'watchkeeper';
  readonly host: string;
  readonly port: number;
  /** "host:port", as clients take it. */
  readonly connectString: string;
  stop(): Promise<void>;
}

export interface ZooKeeperOptions {
  tickTime?: number;
  /** Extra zoo.cfg lines (key=value). */
  extra?: Record<string, string | number>;
}

/** Fails with the install command when the Debian packages are missing (never skips). */
export function requireFile(path: string, pkg: string): void {
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: install it with apt-get install -y ${pkg} (test/system-deps.sh does)`);
  }
}

function writeConfig(dir: string, port: number, opts: ZooKeeperOptions): string {
  const cfg: Record<string, string | number> = {
    tickTime: opts.tickTime ?? 2000,
    dataDir: dir,
    clientPort: port,
    clientPortAddress: LOOPBACK,
    'admin.enableServer': 'false',
    '4lw.commands.whitelist': '*',
    maxClientCnxns: 0,
    ...opts.extra,
  };
  const file = join(dir, 'zoo.cfg');
  writeFileSync(file, Object.entries(cfg).map(([k, v]) => `${k}=${v}\n`).join(''));
  return file;
}

async function waitImok(port: number, child: ChildProcess, deadline: number): Promise<boolean> {
  while (Date.now() < deadline && child.exitCode === null) {
    const answer = await fourLetter(LOOPBACK, port, 'ruok', 1000).catch(() => '');
    if (answer === 'imok') return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

// Fast JVM start matters more than peak speed for a test server: C1 only, serial GC.
const JVM_FLAGS = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xmx512m'];

async function startOnce(dir: string, opts: ZooKeeperOptions): Promise<RunningServer | string> {
  const port = await freePort();
  const cfg = writeConfig(dir, port, opts);
  const cp = `${ZK_CONF_DIR}:${ZK_JAR}`;
  const child = spawnTracked('java', [...JVM_FLAGS, '-cp', cp, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', cfg], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  guardChild(child);
  const output = captureOutput(child);
  if (!(await waitImok(port, child, Date.now() + 60_000))) {
    await stopChild(child);
    return `ZooKeeper on port ${port} did not answer ruok: ${output().slice(-2000)}`;
  }
  return {
    kind: 'zookeeper',
    host: LOOPBACK,
    port,
    connectString: `${LOOPBACK}:${port}`,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts Apache ZooKeeper and resolves once it answers `ruok` with `imok`. */
export async function startZooKeeper(opts: ZooKeeperOptions = {}): Promise<RunningServer> {
  requireFile(ZK_JAR, 'zookeeper');
  let failure = '';
  // The free port can be taken between choosing and binding it: retry with a fresh one.
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'wk-zk-'));
    const started = await startOnce(dir, opts);
    if (typeof started !== 'string') return started;
    failure = started;
    rmSync(dir, { recursive: true, force: true });
  }
  throw new Error(failure);
}
