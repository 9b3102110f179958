// A data directory handed between the servers, both ways, with Debian's Apache ZooKeeper 3.8:
// ZooKeeper writes a varied tree (1 MB data, digest ACLs, sequential and ephemeral nodes, deletes,
// multi, several snapshots and logs) and stops; watchkeeper starts on that directory and serves
// the same tree (every path, data, ACL and Stat field); watchkeeper writes more (rolling its own
// logs and snapshots) and stops; ZooKeeper starts on it, serves everything and counts no digest
// mismatch.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeClient, nzk } from '../compat/node-client.js';
import { Kazoo, ZkServer } from '../interop/zk-process.js';
import { normalizeDump, type DumpNode } from '../interop/model.js';
import { digestOf } from '../../src/data/acl.js';
import { startDurable } from './helpers.js';

let root = '';
let zkDir = '';
let served = new Map<string, DumpNode>();
const cleanups: (() => Promise<void>)[] = [];

async function dumpServed(port: number, out: string): Promise<Map<string, DumpNode>> {
  const k = Kazoo.run('dump', port, out);
  expect(await k.done).toBe(0);
  return normalizeDump(JSON.parse(await readFile(out, 'utf8')).nodes);
}

function expectSameTree(got: Map<string, DumpNode>, want: Map<string, DumpNode>): void {
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [path, n] of want) expect({ path, ...got.get(path) }).toEqual({ path, ...n });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wk-handover-'));
  zkDir = join(root, 'data');
  const zk = await ZkServer.start(zkDir, root, 50);
  cleanups.push(() => zk.stop());
  const kazoo = Kazoo.run('populate', zk.port, join(root, 'zk.json'));
  cleanups.push(() => kazoo.kill());
  await kazoo.ready();
  // Stopped with the populating session open: its ephemerals and session stay on disk.
  await zk.stop();
  await kazoo.kill();
  served = normalizeDump(JSON.parse(await readFile(join(root, 'zk.json'), 'utf8')).nodes);
}, 90_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await rm(root, { recursive: true, force: true });
});

/** More of everything, through a real client, with snapCount small enough to roll and snapshot. */
async function writeMore(c: NodeClient): Promise<void> {
  // alice:secret is the identity zk_tree.py authenticates as, so its dumps can read these nodes.
  c.raw.addAuthInfo('digest', Buffer.from('alice:secret'));
  const alice = [new nzk.ACL(nzk.Permission.ALL, new nzk.Id('digest', digestOf('alice:secret')))];
  const bobRead = [new nzk.ACL(nzk.Permission.READ, new nzk.Id('digest', digestOf('bob:pw'))), ...alice];
  const ok = async (p: Promise<{ rc: number }>): Promise<void> => expect((await p).rc).toBe(0);
  await ok(c.call('create', '/wk', Buffer.from('from watchkeeper')));
  await ok(c.call('create', '/wk/acl', Buffer.from('alice only'), alice));
  await ok(c.call('create', '/wk/bob', Buffer.from('bob reads'), bobRead));
  await ok(c.call('create', '/wk/big', Buffer.alloc(1_000_000, 0x5a)));
  await ok(c.call('create', '/wk/empty', null));
  const seq: string[] = [];
  for (let i = 0; i < 50; i++) {
    const r = await c.call('create', '/wk/seq-', Buffer.from(`s${i}`), nzk.CreateMode.PERSISTENT_SEQUENTIAL);
    expect(r.rc).toBe(0);
    seq.push(r.values[0] as string);
  }
  for (let i = 0; i < 50; i += 4) await ok(c.call('remove', seq[i], -1));
  // Changes to what ZooKeeper wrote: data, ACLs, deletes, and children under its nodes.
  await ok(c.call('setData', '/app/empty', Buffer.from('filled by watchkeeper'), -1));
  await ok(c.call('remove', '/tree/d0/leaf0', -1));
  await ok(c.call('create', '/tree/d1/wk-leaf', Buffer.from('new leaf')));
  await ok(c.call('setACL', '/wk/bob', [...alice, new nzk.ACL(nzk.Permission.READ, new nzk.Id('world', 'anyone'))], -1));
  for (let i = 0; i < 30; i++) await ok(c.call('setData', '/wk', Buffer.from(`v${i}`), -1));
  await ok(c.call('create', '/wk/eph', Buffer.from('mine'), nzk.CreateMode.EPHEMERAL));
  await ok(c.call('create', '/wk/eph-seq-', Buffer.from('mine too'), nzk.CreateMode.EPHEMERAL_SEQUENTIAL));
  await ok(c.commit((t) => t.create('/wk/multi', Buffer.from('m')).create('/wk/multi/c', Buffer.from('c')).setData('/wk', Buffer.from('multi'), -1)));
  expect((await c.commit((t) => t.create('/wk/never', Buffer.from('x')).check('/wk', 999))).rc).not.toBe(0);
}

describe('a data directory handed between ZooKeeper 3.8 and watchkeeper', () => {
  it('watchkeeper serves ZooKeeper\'s tree, ZooKeeper serves watchkeeper\'s additions', async () => {
    const wk = await startDurable(zkDir, { snapCount: 40, maxSessionTimeout: 120_000 });
    cleanups.push(() => wk.server.close());
    expectSameTree(await dumpServed(wk.port, join(root, 'wk1.json')), served);

    const c = new NodeClient(`127.0.0.1:${wk.port}`, { sessionTimeout: 60_000 });
    await c.connect();
    await writeMore(c);
    const written = await dumpServed(wk.port, join(root, 'wk2.json'));
    expect(written.get('/wk/big')!.stat[8]).toBe(1_000_000);
    expect(wk.server.durability!.snapshotStats.taken).toBeGreaterThan(0);
    // Stopped with the client's session open: its ephemerals must come back under ZooKeeper.
    await wk.server.close();
    c.close();

    const zk = await ZkServer.start(zkDir, root, 50);
    cleanups.push(() => zk.stop());
    expectSameTree(await dumpServed(zk.port, join(root, 'zk2.json')), written);
    expect(await zk.mntr('zk_digest_mismatches_count')).toBe('0');
    await zk.stop();
  }, 90_000);
});
