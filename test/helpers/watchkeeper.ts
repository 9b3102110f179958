// Starts watchkeeper for tests: in-process through createServer (the common case: no start-up
// cost, the server shares the test's event loop) or as a child process from the CLI build.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LOOPBACK } from './ports.js';
import type { ChildProcess } from 'node:child_process';
import { guardChild, spawnTracked, stopChild } from './processes.js';
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

/** Resolves with the port from the CLI's "watchkeeper listening on HOST:PORT" line. */
function listeningPort(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`watchkeeper CLI did not start: ${out.slice(-2000)}`)), timeoutMs);
    const onData = (c: Buffer): void => {
      out += c.toString();
      const m = /listening on \S+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolvePort(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`watchkeeper CLI exited with ${code}: ${out.slice(-2000)}`)));
  });
}

/** watchkeeper as a child process from the CLI build (npm run build first), on a free port. */
export async function startWatchkeeperProcess(extraArgs: string[] = []): Promise<RunningServer> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const dataDir = mkdtempSync(join(tmpdir(), 'wk-data-'));
  const args = [CLI, '--host', LOOPBACK, '--port', '0', '--data-dir', dataDir, ...extraArgs];
  const child = spawnTracked(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  guardChild(child);
  const port = await listeningPort(child, 20_000).catch(async (e: Error) => {
    await stopChild(child);
    throw e;
  });
  const stop = async (): Promise<void> => {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { kind: 'watchkeeper', host: LOOPBACK, port, connectString: `${LOOPBACK}:${port}`, stop };
}
