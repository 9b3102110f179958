// Shared pieces of the durability tests: in-process durable servers on a data dir, a dump of a
// server's whole tree (data, ACL, client Stat), and the digest check ZooKeeper does on load.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statOf } from '../../src/data/node.js';
import type { DataTree } from '../../src/data/tree.js';
import { recover } from '../../src/persist/recovery.js';
import { Replayer, type ReplayReport } from '../../src/persist/wiring/replay.js';
import { loadSnapshot } from '../../src/persist/wiring/tree-image.js';
import { DataTree as Tree } from '../../src/data/tree.js';
import { createServer, type ServerCore } from '../../src/server/server.js';
import type { ServerOptionsInput } from '../../src/server/config.js';

export function tempDir(prefix = 'wk-dur-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startDurable(dataDir: string, opts: ServerOptionsInput = {}): Promise<{ server: ServerCore; port: number }> {
  const server = createServer({ host: '127.0.0.1', port: 0, dataDir, maxClientCnxns: 0, ...opts }) as ServerCore;
  const { port } = await server.listen();
  return { server, port };
}

export type TreeDump = Map<string, { data: string; acl: string; stat: string }>;

/** Every node as a client sees it (the built-in /zookeeper/config data left out: ours is empty). */
export function dumpTree(tree: DataTree): TreeDump {
  const out: TreeDump = new Map();
  for (const [path, n] of tree.nodes) {
    const s = statOf(n);
    out.set(path, {
      data: n.data ? n.data.toString('base64') : '',
      acl: JSON.stringify(n.acl),
      stat: JSON.stringify(s, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
    });
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Recovers `dataDir` into a fresh tree, as a restart would, with the digest checks counted. */
export async function recoverTree(dataDir: string): Promise<{ tree: DataTree; report: ReplayReport; sessions: Map<bigint, number> }> {
  const rec = await recover(dataDir, { truncate: false });
  const tree = new Tree();
  if (rec.snapshot) loadSnapshot(tree, rec.snapshot);
  const r = new Replayer(tree, new Map(rec.snapshot?.sessions ?? []), rec.snapshot?.digest ?? null);
  const report = await r.run(rec.txns);
  return { tree, report, sessions: r.sessions };
}
