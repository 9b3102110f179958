// watchkeeper as a separate process for the crash tests: the CLI built fresh once per test file,
// on a data dir and zoo.cfg of the test's choosing, killed with SIGKILL like a crash.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { captureOutput, exited, spawnTracked, stopChild } from '../helpers/processes.js';

const ROOT = resolve(import.meta.dirname, '../..');
/**
 * A private build of the CLI: rewriting dist/ while other test files run the CLI from it would
 * crash them. Under node_modules/ it is git-ignored and still finds the repo's build/*.wasm
 * (packageRoot() walks up to package.json).
 */
const OUT = join(ROOT, 'node_modules/.cache/watchkeeper-durability-tests');
export const CLI = join(OUT, 'src/cli/main.js');

/**
 * `tsc -p tsconfig.json` into OUT. Type errors elsewhere in a shared working tree still emit
 * JavaScript, so success is judged by the CLI and the durability code having been rewritten now.
 */
export function buildDist(): void {
  const started = Date.now() - 1000;
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.json'), '--outDir', OUT, '--declaration', 'false', '--sourceMap', 'false'], { encoding: 'utf8' });
  for (const f of [CLI, join(OUT, 'src/server/durability.js')]) {
    if (!existsSync(f) || statSync(f).mtimeMs < started) throw new Error(`tsc did not write ${f}: ${r.stdout}${r.stderr}`);
  }
}

export function writeZooCfg(path: string, dataDir: string, extra: string[] = []): void {
  writeFileSync(path, [`dataDir=${dataDir}`, 'clientPortAddress=127.0.0.1', 'maxClientCnxns=0', '4lw.commands.whitelist=*', ...extra, ''].join('\n'));
}

export interface CliServer {
  child: ChildProcess;
  port: number;
  output(): string;
}

export async function startCli(cfg: string, timeoutMs = 30_000): Promise<CliServer> {
  const child = spawnTracked(process.execPath, [CLI, '--config', cfg, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = captureOutput(child, 1 << 20);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = /listening on \S+:(\d+)/.exec(output());
    if (m) return { child, port: Number(m[1]), output };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`watchkeeper did not start:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** kill -9: no close handlers, no flush; whatever the kernel has is what the next start finds. */
export async function crash(s: CliServer): Promise<void> {
  s.child.kill('SIGKILL');
  await exited(s.child);
}
