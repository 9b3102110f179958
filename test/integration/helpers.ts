// Shared setup for integration tests: a server on a free port, raw clients, record shortcuts.
import { createServer, type WatchkeeperServer } from '../../src/server/server.js';
import type { ExtraServerOptions } from '../../src/server/server.js';
import type { ServerOptionsInput } from '../../src/server/config.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function startServer(opts: ServerOptionsInput & ExtraServerOptions = {}): Promise<{ server: WatchkeeperServer; port: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wk-it-'));
  const server = createServer({ host: '127.0.0.1', port: 0, dataDir, fourLetterWhitelist: '*', ...opts });
  const { port } = await server.listen();
  return { server, port };
}

export const OPEN_ACL = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
