// Runs Debian's Apache ZooKeeper 3.8 standalone on a free loopback port with a data dir of our
// choosing, and kazoo (python3) clients against it, for the persistence interop tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLASSPATH = '/etc/zookeeper/conf:/usr/share/java/zookeeper.jar';
const TREE_SCRIPT = join(fileURLToPath(new URL('.', import.meta.url)), 'zk_tree.py');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Sends a four-letter word and returns the whole answer ('' if the server is not up). */
export function fourLetter(port: number, word: string): Promise<string> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    let out = '';
    sock.on('data', (d) => (out += d.toString()));
    sock.on('connect', () => sock.write(word));
    sock.on('close', () => resolve(out));
    sock.on('error', () => resolve(''));
    sock.setTimeout(3000, () => sock.destroy());
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export class ZkServer {
  private constructor(readonly port: number, private readonly child: ChildProcess) {}

  /** Starts ZooKeeper on `dataDir` (snapCount small so snapshots and log rolls happen often). */
  static async start(dataDir: string, cfgDir: string, snapCount = 50): Promise<ZkServer> {
    const port = await freePort();
    const cfg = join(cfgDir, `zoo-${port}.cfg`);
    await writeFile(cfg, [
      'tickTime=2000', `dataDir=${dataDir}`, `clientPort=${port}`, 'clientPortAddress=127.0.0.1',
      `snapCount=${snapCount}`, 'admin.enableServer=false', '4lw.commands.whitelist=*',
      'maxSessionTimeout=120000', 'autopurge.purgeInterval=0', '',
    ].join('\n'));
    const child = spawn('java', ['-Xmx256m', '-cp', CLASSPATH, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', cfg],
      { stdio: ['ignore', 'ignore', 'ignore'] });
    const zk = new ZkServer(port, child);
    const deadline = Date.now() + 30_000;
    while ((await fourLetter(port, 'ruok')) !== 'imok') {
      if (Date.now() > deadline || child.exitCode !== null) {
        await zk.stop();
        throw new Error(`ZooKeeper did not start on ${port}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return zk;
  }

  /** SIGTERM, as an operator stops it; ZooKeeper 3.8 takes no snapshot on the way out. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited(this.child);
    clearTimeout(timer);
  }

  async mntr(key: string): Promise<string | undefined> {
    const line = (await fourLetter(this.port, 'mntr')).split('\n').find((l) => l.startsWith(key + '\t'));
    return line?.split('\t')[1];
  }
}

/** A kazoo client running zk_tree.py; `populate` keeps its session open until killed. */
export class Kazoo {
  private constructor(private readonly child: ChildProcess, readonly done: Promise<number | null>) {}

  static run(cmd: 'populate' | 'dump', port: number, out: string): Kazoo {
    const child = spawn('/usr/bin/python3', [TREE_SCRIPT, cmd, String(port), out], { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d) => (err += d.toString()));
    const done = new Promise<number | null>((resolve) => child.once('exit', (code) => {
      if (code) console.error(err);
      resolve(code);
    }));
    return new Kazoo(child, done);
  }

  /** Resolves when the script printed READY (its dump is written), rejects if it exits first. */
  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.child.stdout!.on('data', (d) => { if (d.toString().includes('READY')) resolve(); });
      void this.done.then((code) => reject(new Error(`kazoo exited with ${code}`)));
    });
  }

  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.done;
  }
}
