// The two servers under test, each in its own process so RSS and CPU are its own: watchkeeper from
// dist through its CLI (with bench/load/probe.js preloaded to read heap, WASM memory and event-loop
// delay from outside the server code), and Apache ZooKeeper 3.8.0 from the Debian package. Every
// server started is remembered so killAll() can stop it even when a scenario throws.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, type Dirent } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ProbeReport } from './probe.js';

export type ServerKind = 'watchkeeper' | 'zookeeper';

export interface RunningServer {
  kind: ServerKind;
  host: string;
  port: number;
  pid: number;
  dataDir: string;
  child: ChildProcess;
  /** watchkeeper only: heap / WASM memory / loop delay through the preloaded probe. */
  probe?: (cmd: 'report' | 'loopStart' | 'loopStop') => Promise<ProbeReport>;
}

export interface StartOptions {
  forceSync: boolean;
  /** The watchkeeper build to run (a directory holding dist/); defaults to this checkout's. */
  wkRoot?: string;
  /**
   * Extra node flags for the watchkeeper process (experiments). The server caps its own young
   * generation (src/cli/young-gen.ts) unless such a flag sizes it, e.g. --max-semi-space-size.
   */
  wkNodeFlags?: string[];
  /** Directory for node --cpu-prof output (watchkeeper only). */
  cpuProfDir?: string;
}

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..'); // dist/
/** The CLI of a build: `<root>/dist/src/cli/main.js`; this checkout's dist by default. */
function cliOf(wkRoot?: string): string {
  return wkRoot ? join(wkRoot, 'dist', 'src', 'cli', 'main.js') : join(ROOT, 'src', 'cli', 'main.js');
}
const PROBE = join(HERE, 'probe.js');
const ZK_CP = '/etc/zookeeper/conf:/usr/share/java/zookeeper.jar';
const START_TIMEOUT_MS = 60_000;
const live = new Set<RunningServer>();

function zooCfg(dataDir: string, port: number, forceSync: boolean): string {
  return [
    'tickTime=2000',
    `dataDir=${dataDir}`,
    `clientPort=${port}`,
    'clientPortAddress=127.0.0.1',
    'maxClientCnxns=0',
    'admin.enableServer=false',
    '4lw.commands.whitelist=*',
    `forceSync=${forceSync ? 'yes' : 'no'}`,
    '',
  ].join('\n');
}

/** A port free right now on 127.0.0.1 (ZooKeeper cannot be told to pick one itself). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

// The data dir goes under the same disk for both servers (the OS temp dir).
function newDataDir(kind: ServerKind): string {
  return mkdtempSync(join(tmpdir(), `wk-load-${kind}-`));
}

export async function startWatchkeeper(opts: StartOptions): Promise<RunningServer> {
  const dataDir = newDataDir('watchkeeper');
  const cfg = join(dataDir, 'zoo.cfg');
  writeFileSync(cfg, zooCfg(join(dataDir, 'data'), 0, opts.forceSync));
  const prof = opts.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir] : [];
  const args = ['--max-old-space-size=8192', ...(opts.wkNodeFlags ?? []), ...prof, '--import', pathToFileURL(PROBE).href, cliOf(opts.wkRoot), '--config', cfg, '--port', '0', '--data-dir', join(dataDir, 'data')];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const port = await waitForLine(child, /watchkeeper listening on .*:(\d+)/);
  const s: RunningServer = { kind: 'watchkeeper', host: '127.0.0.1', port, pid: child.pid!, dataDir, child, probe: probeClient(child) };
  live.add(s);
  return s;
}

export async function startZooKeeper(opts: StartOptions): Promise<RunningServer> {
  const dataDir = newDataDir('zookeeper');
  const port = await freePort();
  const cfg = join(dataDir, 'zoo.cfg');
  writeFileSync(cfg, zooCfg(join(dataDir, 'data'), port, opts.forceSync));
  const child = spawn('java', ['-cp', ZK_CP, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', cfg], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const s: RunningServer = { kind: 'zookeeper', host: '127.0.0.1', port, pid: child.pid!, dataDir, child };
  live.add(s);
  child.stdout!.resume();
  child.stderr!.resume();
  await waitForServing(s, child);
  return s;
}

function waitForLine(child: ChildProcess, re: RegExp): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${text.slice(-500)}`)), START_TIMEOUT_MS);
    const onData = (d: Buffer): void => {
      text += d.toString();
      const m = re.exec(text);
      if (m) clearTimeout(timer), resolve(Number(m[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${text.slice(-500)}`)));
  });
}

async function waitForServing(s: RunningServer, child: ChildProcess): Promise<void> {
  const until = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`ZooKeeper exited with ${child.exitCode}`);
    // ruok answers imok before the server takes sessions; srvr shows "Mode:" only once it serves.
    const answer = await fourLetter(s, 'srvr').catch(() => '');
    if (answer.includes('Mode:')) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('ZooKeeper did not answer ruok in time');
}

/** Sends a four-letter word on a fresh connection and returns the whole answer (5 s bound). */
export function fourLetter(s: { host: string; port: number }, word: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: s.host, port: s.port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => sock.destroy(new Error(`${word}: timeout`)), 5000);
    sock.on('connect', () => sock.write(word));
    sock.on('data', (d: Buffer) => chunks.push(d));
    sock.on('error', (e) => (clearTimeout(timer), reject(e)));
    sock.on('close', () => (clearTimeout(timer), resolve(Buffer.concat(chunks).toString())));
  });
}

/** mntr as key → value (keys without the zk_ prefix). */
export async function mntr(s: { host: string; port: number }): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const line of (await fourLetter(s, 'mntr')).split('\n')) {
    const [k, v] = line.split('\t');
    if (k?.startsWith('zk_') && v !== undefined) out.set(k.slice(3), v);
  }
  return out;
}

/** Total watches from wchs ("Total watches:N"); -1 if unreadable. */
export async function watchCount(s: RunningServer): Promise<number> {
  const m = /Total watches:\s*(\d+)/.exec(await fourLetter(s, 'wchs'));
  return m ? Number(m[1]) : -1;
}

/** VmRSS of the server process in bytes (its own process: nothing of the generator). */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** RssAnon of the process in bytes: private anonymous memory, without mapped code (RssFile). */
export function rssAnonBytes(pid: number): number {
  const m = /RssAnon:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** Cumulative CPU (user + system) of a process, in microseconds, from /proc/<pid>/stat. */
/** utime + stime of a /proc stat file, in µs. */
function statCpuUs(file: string): number {
  const fields = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
  return (ticks * 1e6) / 100; // USER_HZ is 100 on Linux
}

export function processCpuUs(pid: number): number {
  return statCpuUs(`/proc/${pid}/stat`);
}

/**
 * CPU time of a process's main thread alone: for watchkeeper that is the event loop, so a figure
 * near 100% means the loop, not the disk, limits the server.
 */
export function mainThreadCpuUs(pid: number): number {
  return statCpuUs(`/proc/${pid}/task/${pid}/stat`);
}

function probeClient(child: ChildProcess): RunningServer['probe'] {
  let seq = 0;
  return (cmd) =>
    new Promise((resolve, reject) => {
      const id = ++seq;
      const timer = setTimeout(() => reject(new Error('probe timeout')), 10_000);
      const onMsg = (m: ProbeReport & { id: number }): void => {
        if (m.id !== id) return;
        clearTimeout(timer);
        child.off('message', onMsg);
        resolve(m);
      };
      child.on('message', onMsg);
      child.send({ id, cmd });
    });
}

/** SIGTERM (watchkeeper then writes its --cpu-prof), SIGKILL after 10 s; removes the data dir. */
export async function stopServer(s: RunningServer): Promise<void> {
  live.delete(s);
  if (s.child.exitCode === null && s.child.signalCode === null) {
    const exited = new Promise<void>((r) => s.child.once('exit', () => r()));
    s.child.kill('SIGTERM');
    const timer = setTimeout(() => s.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(s.dataDir, { recursive: true, force: true });
}

/** Stops every server still running; used on errors and at exit. */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((s) => stopServer(s).catch(() => {})));
}

/** Synchronous last resort from process 'exit' handlers. */
export function killAllNow(): void {
  for (const s of live) s.child.kill('SIGKILL');
}

/** Files in the data dir tree other than zoo.cfg: tells whether a txn log was written. */
export function dataFiles(s: RunningServer): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSafe(d)) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name !== 'zoo.cfg') out.push(p.slice(s.dataDir.length + 1));
    }
  };
  walk(s.dataDir);
  return out;
}

function readdirSafe(d: string): Dirent[] {
  try {
    return readdirSync(d, { withFileTypes: true });
  } catch {
    return [];
  }
}
