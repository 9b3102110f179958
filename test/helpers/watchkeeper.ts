// Starts watchkeeper for tests: in-process through createServer (the common case: no start-up
// cost, the server shares the test's event loop) or as a child process from the CLI build.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LOOPBACK } from './ports.js';
import { fourLetter } from './fourletter.js';
import { captureOutput, guardChild, spawnTracked, stopChild } from './processes.js';
import type { RunningServer } from './zookeeper.js';

/** The options createServer takes (Partial<ServerOptions>); kept loose so helpers compile alone. */
export type WatchkeeperOptions = Record<string, unknown>;

interface WkServer {
  listen(): Promise<{ host: string; port: number }>;
  close(): Promise<void>;
}

// The same settings the reference ZooKeeper gets in zookeeper.ts, so both answer alike.
function defaults(dataDir: string): WatchkeeperOptions {
  return { host: LOOPBACK, port: 0, dataDir, tickTime: 2000, maxClientCnxns: 0, fourLetterWhitelist: '*' };
}

/** watchkeeper in this process, on a free port, with a fresh data directory. */
export async function startWatchkeeper(opts: WatchkeeperOptions = {}): Promise<RunningServer> {
  const mod = (await import('../../src/server/server.js')) as {
    createServer(o: WatchkeeperOptions): WkServer;
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'wk-data-'));
  const server = mod.createServer({ ...defaults(dataDir), ...opts });
  const addr = await server.listen();
  return {
    kind: 'watchkeeper',
    host: addr.host,
    port: addr.port,
    connectString: `${addr.host}:${addr.port}`,
    stop: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const CLI = resolve(import.meta.dirname, '../../dist/src/cli/main.js');

/** watchkeeper as a child process from the CLI build (npm run build first). */
export async function startWatchkeeperProcess(port: number, extraArgs: string[] = []): Promise<RunningServer> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const dataDir = mkdtempSync(join(tmpdir(), 'wk-data-'));
  const args = [CLI, '--host', LOOPBACK, '--port', String(port), '--data-dir', dataDir, ...extraArgs];
  const child = spawnTracked(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  guardChild(child);
  const output = captureOutput(child);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && child.exitCode === null) {
    if ((await fourLetter(LOOPBACK, port, 'ruok', 1000).catch(() => '')) === 'imok') {
      const stop = async (): Promise<void> => {
        await stopChild(child);
        rmSync(dataDir, { recursive: true, force: true });
      };
      return { kind: 'watchkeeper', host: LOOPBACK, port, connectString: `${LOOPBACK}:${port}`, stop };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stopChild(child);
  throw new Error(`watchkeeper CLI did not answer ruok on ${port}: ${output().slice(-2000)}`);
}
