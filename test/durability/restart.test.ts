// Restarting a durable server on its data dir brings back the same tree (data, ACL, every Stat
// field), the same tree digest, the sessions with their passwords and ephemerals, and the zxid
// counter; replaying the log after a fuzzy snapshot matches the live tree.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeClient, nzk } from '../compat/node-client.js';
import { RawClient } from '../integration/rawclient.js';
import { OpCode } from '../../src/proto/constants.js';
import { CreateRequestRec, DeleteRequestRec, SetDataRequestRec } from '../../src/proto/records/requests.js';
import { dumpTree, recoverTree, startDurable, tempDir } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const OPEN = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];

/** A varied workload through a real client: ACLs, sequential and ephemeral nodes, multi, deletes. */
async function workload(c: NodeClient): Promise<void> {
  const digestAcl = [new nzk.ACL(nzk.Permission.ALL, new nzk.Id('digest', 'alice:4oOtd7dZcxOQ6TbNeQJz7V0xvI0='))];
  const readOnly = [new nzk.ACL(nzk.Permission.READ, new nzk.Id('world', 'anyone'))];
  expect((await c.call('create', '/app', Buffer.from('root'))).rc).toBe(0);
  expect((await c.call('create', '/app/secret', Buffer.from('s'), digestAcl)).rc).toBe(0);
  expect((await c.call('create', '/app/big', Buffer.alloc(500_000, 7))).rc).toBe(0);
  for (let i = 0; i < 40; i++) await c.call('create', '/app/q-', Buffer.from(`item ${i}`), nzk.CreateMode.PERSISTENT_SEQUENTIAL);
  for (let i = 0; i < 40; i += 3) await c.call('remove', `/app/q-${String(i).padStart(10, '0')}`, -1);
  for (let i = 0; i < 30; i++) await c.call('setData', '/app', Buffer.from(`v${i}`), -1);
  await c.call('create', '/app/eph', Buffer.from('mine'), nzk.CreateMode.EPHEMERAL);
  await c.call('setACL', '/app/big', readOnly, -1);
  await c.commit((t) => t.create('/multi', Buffer.from('m')).create('/multi/c', Buffer.from('c')).setData('/app', Buffer.from('multi'), -1));
  await c.commit((t) => t.create('/never', Buffer.from('x')).check('/app', 999));
}

describe('restart on the same data dir', () => {
  it('serves the same tree, digest, sessions and zxid after a clean stop', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const a = await startDurable(dir, { snapCount: 20 });
    const c = new NodeClient(`127.0.0.1:${a.port}`, { sessionTimeout: 30_000 });
    await c.connect();
    await workload(c);
    const before = dumpTree(a.server.tree);
    const digest = a.server.tree.digest;
    const zxid = a.server.tree.lastProcessedZxid;
    const sessionId = BigInt('0x' + c.raw.getSessionId().toString('hex'));
    const passwd: Buffer = c.raw.getSessionPassword();
    expect(a.server.durability!.snapshotStats.taken).toBeGreaterThan(0);
    c.raw.connectionManager?.socket?.destroy?.();
    await a.server.close();
    c.close();

    const b = await startDurable(dir, { snapCount: 20 });
    try {
      expect(dumpTree(b.server.tree)).toEqual(before);
      expect(b.server.tree.digest).toBe(digest);
      expect(b.server.tree.lastProcessedZxid).toBe(zxid);
      // The client comes back to its session with the password it was given before the restart.
      const raw = await RawClient.connect(b.port, { sessionId, passwd, timeOut: 30_000 });
      expect(raw.session!.sessionId).toBe(sessionId);
      expect(raw.session!.timeOut).toBeGreaterThan(0);
      const r = await raw.call(OpCode.setData, SetDataRequestRec, { path: '/app', data: Buffer.from('after'), version: -1 });
      expect(r.err).toBe(0);
      expect(r.zxid).toBe(zxid + 1n);
      expect(b.server.tree.get('/app/eph')!.stat.ephemeralOwner).toBe(sessionId);
      raw.close();
    } finally {
      await b.server.close();
    }
    const { report } = await recoverTree(dir);
    expect(report.digestMismatches).toBe(0);
  });

  it('expires recovered sessions whose clients never return, deleting their ephemerals', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const opts = { tickTime: 100, minSessionTimeout: 400, maxSessionTimeout: 800 };
    const a = await startDurable(dir, opts);
    const raw = await RawClient.connect(a.port, { timeOut: 400 });
    const r = await raw.call(OpCode.create, CreateRequestRec, { path: '/gone', data: Buffer.from('e'), acl: OPEN, flags: 1 });
    expect(r.err).toBe(0);
    raw.close();
    await a.server.close();
    const b = await startDurable(dir, opts);
    try {
      expect(b.server.tree.get('/gone')).toBeDefined();
      const deadline = Date.now() + 5000;
      while (b.server.tree.get('/gone') && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
      expect(b.server.tree.get('/gone')).toBeUndefined();
      expect(b.server.tracker.size).toBe(0);
    } finally {
      await b.server.close();
    }
    // The expiry was logged as a closeSession txn: a third start still has no ephemeral.
    const { tree, sessions } = await recoverTree(dir);
    expect(tree.get('/gone')).toBeUndefined();
    expect(sessions.size).toBe(0);
  });

  it('replays the log over a fuzzy snapshot taken while writes go on', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const a = await startDurable(dir, { snapCount: 1_000_000 });
    const c = await RawClient.connect(a.port);
    const put = (path: string, data: string): void => {
      c.send(OpCode.create, CreateRequestRec, { path, data: Buffer.from(data), acl: OPEN, flags: 0 });
    };
    for (let i = 0; i < 3000; i++) put(`/n${i}`, 'x'.repeat(i % 50));
    for (let i = 0; i < 3000; i++) await c.nextReply();
    // Snapshot while a second wave of creates, updates and deletes is applied.
    const snap = a.server.durability!.snapshot({ tree: a.server.tree, tracker: a.server.tracker, changes: a.server.ctx.changes });
    for (let i = 0; i < 1500; i++) {
      c.send(OpCode.setData, SetDataRequestRec, { path: `/n${i}`, data: Buffer.from(`new ${i}`), version: -1 });
      c.send(OpCode.delete, DeleteRequestRec, { path: `/n${i + 1500}`, version: -1 });
      put(`/n${i}/child`, 'c');
    }
    for (let i = 0; i < 4500; i++) expect((await c.nextReply()).err).toBe(0);
    await snap;
    const live = dumpTree(a.server.tree);
    const liveDigest = a.server.tree.digest;
    c.close();
    await a.server.close();
    const { tree, report } = await recoverTree(dir);
    expect(dumpTree(tree)).toEqual(live);
    expect(tree.digest).toBe(liveDigest);
    expect(report.digestMismatches).toBe(0);
  });
});

describe('logged digests', () => {
  it('every txn carries the tree digest it leaves, closeSession and failed multi included', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const a = await startDurable(dir, { snapCount: 1_000_000 });
    const c = new NodeClient(`127.0.0.1:${a.port}`);
    await c.connect();
    await workload(c);
    const other = new NodeClient(`127.0.0.1:${a.port}`);
    await other.connect();
    await other.call('create', '/app/other-eph', Buffer.from('o'), nzk.CreateMode.EPHEMERAL_SEQUENTIAL);
    // Pipelined: the close's ephemeral deletes and a setData on their parent are pending together.
    other.close();
    await c.call('setData', '/app', Buffer.from('after close'), -1);
    await new Promise((res) => setTimeout(res, 100));
    c.close();
    await new Promise((res) => setTimeout(res, 100));
    const liveDigest = a.server.tree.digest;
    await a.server.close();
    const { tree, report } = await recoverTree(dir);
    expect(report.txns).toBeGreaterThan(80);
    expect(report.digestMismatches).toBe(0);
    expect(tree.digest).toBe(liveDigest);
  });
});

describe('dataLogDir', () => {
  it('keeps logs under dataLogDir/version-2 and snapshots under dataDir/version-2', async () => {
    const dir = tempDir();
    const logDir = tempDir();
    dirs.push(dir, logDir);
    const a = await startDurable(dir, { dataLogDir: logDir });
    const c = await RawClient.connect(a.port);
    for (let i = 0; i < 20; i++) c.send(OpCode.create, CreateRequestRec, { path: `/l${i}`, data: Buffer.from(`${i}`), acl: OPEN, flags: 0 });
    for (let i = 0; i < 20; i++) expect((await c.nextReply()).err).toBe(0);
    c.close();
    const before = dumpTree(a.server.tree);
    await a.server.close();
    expect(readdirSync(join(logDir, 'version-2')).some((n) => n.startsWith('log.'))).toBe(true);
    expect(readdirSync(join(dir, 'version-2')).some((n) => n.startsWith('log.'))).toBe(false);
    expect(readdirSync(join(dir, 'version-2')).some((n) => n.startsWith('snapshot.'))).toBe(true);
    const b = await startDurable(dir, { dataLogDir: logDir });
    try {
      expect(dumpTree(b.server.tree)).toEqual(before);
    } finally {
      await b.server.close();
    }
  });
});
