// The `watchkeeper` binary as an operator runs it: a child process on --port 0, found through its
// "listening on" log line, answering ruok over a real socket and exiting 0 on SIGTERM/SIGINT.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fourLetter } from '../helpers/fourletter.js';
import { captureOutput, exited, guardChild, spawnTracked, stopChild } from '../helpers/processes.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/src/cli/main.js');
const LISTENING = /watchkeeper listening on (\S+):(\d+)/;

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** The CLI runs from the tsc build, as `npm start` and the bin entry do: rebuild when stale. */
function ensureBuilt(): void {
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= newestSource(join(ROOT, 'src'))) return;
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { cwd: ROOT, stdio: 'pipe' });
  } catch (err) {
    // tsc still emits when another module has type errors; only a missing CLI is fatal here.
    if (!existsSync(CLI)) throw err;
  }
}

interface Started {
  child: ChildProcess;
  host: string;
  port: number;
  output: () => string;
}

/** Spawns the CLI and resolves with the address from its log line. */
async function startCli(args: string[], cwd = ROOT): Promise<Started> {
  const child = spawnTracked(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  guardChild(child);
  const output = captureOutput(child);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const m = LISTENING.exec(output());
    if (m) return { child, host: m[1]!, port: Number(m[2]), output };
    await new Promise((r) => setTimeout(r, 25));
  }
  await stopChild(child);
  throw new Error(`the CLI printed no "listening on" line: ${output()}`);
}

function runToEnd(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawnTracked(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = captureOutput(child);
  return exited(child).then((code) => ({ code, output: output() }));
}

describe('watchkeeper CLI', () => {
  let tmp: string;
  const children: ChildProcess[] = [];

  beforeAll(() => {
    ensureBuilt();
    tmp = mkdtempSync(join(tmpdir(), 'wk-cli-'));
  });

  afterAll(async () => {
    await Promise.all(children.map((c) => stopChild(c)));
    rmSync(tmp, { recursive: true, force: true });
  });

  it('listens on the port it logs, creates its data dir, answers ruok, exits 0 on SIGTERM', async () => {
    // ruok must be whitelisted, as in ZooKeeper 3.8 (only srvr is on by default).
    const cfg = join(tmp, 'ruok.cfg');
    writeFileSync(cfg, '4lw.commands.whitelist=ruok\n');
    const dataDir = join(tmp, 'nested/data');
    const s = await startCli(['--config', cfg, '--port', '0', '--data-dir', dataDir]);
    children.push(s.child);
    expect(s.host).toBe('127.0.0.1');
    expect(s.port).toBeGreaterThan(0);
    expect(existsSync(dataDir)).toBe(true);
    expect(await fourLetter(s.host, s.port, 'ruok')).toBe('imok');
    s.child.kill('SIGTERM');
    expect(await exited(s.child)).toBe(0);
  });

  it('by default enables only srvr, like ZooKeeper 3.8; exits 0 on SIGINT too', async () => {
    const s = await startCli(['--port', '0', '--data-dir', join(tmp, 'sigint')]);
    children.push(s.child);
    expect(await fourLetter(s.host, s.port, 'ruok')).toBe('ruok is not executed because it is not in the whitelist.\n');
    expect(await fourLetter(s.host, s.port, 'srvr')).toMatch(/^Zookeeper version: 3\.8\.0-[^\n]*\n[\s\S]*Mode: standalone\n/);
    s.child.kill('SIGINT');
    expect(await exited(s.child)).toBe(0);
  });

  it('takes zoo.cfg settings, with --port overriding clientPort', async () => {
    const cfg = join(tmp, 'zoo.cfg');
    writeFileSync(cfg, `clientPort=1\ndataDir=${join(tmp, 'from-cfg')}\n4lw.commands.whitelist=ruok\ntickTime=500\n`);
    const s = await startCli(['--config', cfg, '--port', '0']);
    children.push(s.child);
    expect(existsSync(join(tmp, 'from-cfg'))).toBe(true);
    expect(await fourLetter(s.host, s.port, 'ruok')).toBe('imok');
    expect(await fourLetter(s.host, s.port, 'stat')).toBe('stat is not executed because it is not in the whitelist.\n');
    s.child.kill('SIGTERM');
    expect(await exited(s.child)).toBe(0);
  });

  it('rejects a bad config with exit code 2 and the offending key', async () => {
    const cfg = join(tmp, 'bad.cfg');
    writeFileSync(cfg, 'tickTime=soon\n');
    const r = await runToEnd(['--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.output).toContain('tickTime: expected an integer, got "soon"');
  });

  it('rejects unknown flags and a missing config file with exit code 2', async () => {
    expect((await runToEnd(['--bogus'])).code).toBe(2);
    const r = await runToEnd(['--config', join(tmp, 'nope.cfg')]);
    expect(r.code).toBe(2);
    expect(r.output).toContain('cannot read config file');
  });

  it('prints usage for --help', async () => {
    const r = await runToEnd(['--help']);
    expect(r.code).toBe(0);
    expect(r.output).toContain('usage: watchkeeper');
  });
});
