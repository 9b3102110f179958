// Interop both ways with Debian's Apache ZooKeeper 3.8.0, on real files:
//  1. ZooKeeper writes: a kazoo client builds a varied tree (1 MB data, digest ACLs, sequential
//     and ephemeral nodes, deletes, multi, a closed session) with snapCount=50, so several
//     snapshots and logs appear; we read every file and replay to exactly the tree ZooKeeper
//     served, checking ZooKeeper's per-txn and per-snapshot digests along the way.
//  2. We write: that tree plus more nodes as a snapshot, then txns in two log files; ZooKeeper
//     starts on it, serves every path, data, ACL and Stat field we expect, and counts no digest
//     mismatch. ZooKeeper's own TxnLogToolkit reads our logs too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TxnLogReader, TxnLogWriter, listSnapshots, readSnapshot, recover, writeSnapshot, type ACL, type TxnRecord } from '../../src/persist/index.js';
import { Op, OPEN_ACL, closeSessionTxn, createSessionTxn, createTxn, deleteTxn, header, multiTxn, setAclTxn, setDataTxn } from '../unit/persist/txn-codec.js';
import { Kazoo, ZkServer } from './zk-process.js';
import { Model, normalizeDump, type DumpNode } from './model.js';

const run = promisify(execFile);
let root: string;
let served: { session: number; nodes: Map<string, DumpNode> };
const cleanups: (() => Promise<void>)[] = [];

async function dumpServed(port: number, out: string): Promise<Map<string, DumpNode>> {
  const k = Kazoo.run('dump', port, out);
  expect(await k.done).toBe(0);
  return normalizeDump(JSON.parse(await readFile(out, 'utf8')).nodes);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wk-interop-'));
  const zk = await ZkServer.start(join(root, 'zk'), root);
  cleanups.push(() => zk.stop());
  const kazoo = Kazoo.run('populate', zk.port, join(root, 'served.json'));
  cleanups.push(() => kazoo.kill());
  await kazoo.ready();
  // Stop the server while the populating session is still open: its ephemerals stay on disk.
  await zk.stop();
  await kazoo.kill();
  const raw = JSON.parse(await readFile(join(root, 'served.json'), 'utf8'));
  served = { session: raw.session, nodes: normalizeDump(raw.nodes) };
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  if (!process.env.KEEP_INTEROP_DIR) await rm(root, { recursive: true, force: true });
  else console.log("kept", root);
});

function expectSameTree(got: Map<string, DumpNode>, want: Map<string, DumpNode>): void {
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [path, n] of want) expect({ path, ...got.get(path) }).toEqual({ path, ...n });
}

/** Full replay from the oldest snapshot, checking every txn digest ZooKeeper logged. */
async function replayAll(dataDir: string): Promise<{ model: Model; digestAt: Map<bigint, bigint>; txns: number }> {
  const snaps = await listSnapshots(dataDir);
  const model = Model.fromSnapshot(await readSnapshot(snaps[snaps.length - 1].path));
  const digestAt = new Map<bigint, bigint>();
  let txns = 0;
  const reader = await TxnLogReader.open(dataDir, model.lastZxid + 1n);
  for await (const t of reader) {
    model.apply(t);
    digestAt.set(t.header.zxid, model.digest.value);
    if (t.digest) expect({ zxid: t.header.zxid, digest: model.digest.value }).toEqual({ zxid: t.header.zxid, digest: t.digest.treeDigest });
    txns++;
  }
  expect(reader.cut).toBeNull();
  return { model, digestAt, txns };
}

describe('reading what ZooKeeper 3.8 wrote', () => {
  it('reads every snapshot and log, and replays to the tree ZooKeeper served', async () => {
    const dataDir = join(root, 'zk');
    const snaps = await listSnapshots(dataDir);
    expect(snaps.length).toBeGreaterThanOrEqual(3);
    expect((await readdir(join(dataDir, 'version-2'))).filter((n) => n.startsWith('log.')).length).toBeGreaterThanOrEqual(3);
    const { model, digestAt, txns } = await replayAll(dataDir);
    expect(txns).toBeGreaterThan(150);
    for (const s of snaps) {
      const snap = await readSnapshot(s.path);
      // ZooKeeper compares a snapshot's digest once replay reaches its zxid; so do we.
      if (snap.digest && snap.digest.zxid > 0n) expect(digestAt.get(snap.digest.zxid)).toBe(snap.digest.digest);
    }
    expect(served.nodes.get('/app/big')!.stat[8]).toBe(1_000_000);
    expect(served.nodes.get('/app/session-eph')!.stat[7]).toBe(served.session);
    expect(served.nodes.has('/app/gone-eph')).toBe(false);
    expectSameTree(model.toDump(), served.nodes);
  });

  it('recover() from the newest (fuzzy) snapshot reaches the same tree', async () => {
    const r = await recover(join(root, 'zk'), { truncate: false });
    const model = Model.fromSnapshot(r.snapshot!);
    for await (const t of r.txns) model.apply(t);
    expect(r.result().cut).toBeNull();
    expectSameTree(model.toDump(), served.nodes);
  });
});

/** Writes the model as a snapshot at its last zxid, with an ACL cache built the way ZooKeeper's is. */
async function snapshotOf(model: Model, dir: string): Promise<void> {
  const refs = new Map<string, bigint>();
  const acls = new Map<bigint, ACL[]>();
  const aclRef = (acl: ACL[]) => {
    const key = JSON.stringify(acl);
    if (key === JSON.stringify(OPEN_ACL)) return -1n;
    if (!refs.has(key)) {
      refs.set(key, BigInt(refs.size + 1));
      acls.set(refs.get(key)!, acl);
    }
    return refs.get(key)!;
  };
  // The ACL cache precedes the nodes in the file, so collect the nodes (and their refs) first.
  const nodes = [...model.snapshotNodes(aclRef)];
  await writeSnapshot(dir, { zxid: model.lastZxid, sessions: new Map(model.sessions), acls, nodes });
}

/** Appends txns through our writer, each with the digest ZooKeeper will check it against. */
function appender(model: Model, log: TxnLogWriter, t0: bigint) {
  return (type: number, body: Buffer, clientId = 0x0100abcdef000002n) => {
    const zxid = model.lastZxid + 1n;
    const rec: TxnRecord = { header: { ...header(zxid, type, clientId), time: t0 + zxid }, body, digest: null };
    model.apply(rec);
    log.append(rec.header, rec.body, { version: 2, treeDigest: model.digest.value });
  };
}

async function servedBy(dir: string, name: string): Promise<Map<string, DumpNode>> {
  const zk = await ZkServer.start(dir, root);
  cleanups.push(() => zk.stop());
  const got = await dumpServed(zk.port, join(root, `${name}.json`));
  expect(await zk.mntr('zk_digest_mismatches_count')).toBe('0');
  await zk.stop();
  return got;
}

describe('ZooKeeper 3.8 loading what we wrote', () => {
  it('serves every path, data, ACL and Stat field of our snapshot plus logs', async () => {
    const { model } = await replayAll(join(root, 'zk'));
    // Sessions from the first run must not expire while we look.
    for (const id of model.sessions.keys()) model.sessions.set(id, 60_000);
    // The digest ACL kazoo made for alice:secret (the dump client authenticates as alice).
    const aliceAcl: ACL[] = served.nodes.get('/app/config')!.acl.map(([perms, scheme, id]) => ({ perms, id: { scheme, id } }));
    const alice = aliceAcl[0];
    let zxid = model.lastZxid;
    const t0 = 1_800_000_000_000n;
    model.create(++zxid, t0, '/ours', Buffer.from('ours'), OPEN_ACL, 0n, -1);
    for (let i = 0; i < 150; i++) {
      model.create(++zxid, t0 + zxid, `/ours/n${String(i).padStart(10, '0')}`, Buffer.alloc(i * 7, i), i % 4 ? OPEN_ACL : aliceAcl, 0n, -1);
    }
    model.create(++zxid, t0, '/ours/big', Buffer.alloc(1_000_000, 0xab), OPEN_ACL, 0n, -1);
    model.lastZxid = zxid;
    const snapZxid = zxid;
    const dir = join(root, 'ours');
    await snapshotOf(model, dir);

    const log = await TxnLogWriter.open(dir);
    const newSession = 0x0100abcdef000001n;
    const append = appender(model, log, t0);
    append(Op.createSession, createSessionTxn(60_000), newSession);
    append(Op.create, createTxn('/ours/eph', Buffer.from('mine'), OPEN_ACL, true, -1), newSession);
    append(Op.create2, createTxn('/ours/seq0000000151', Buffer.from('seq'), [alice], false, -1));
    append(Op.setData, setDataTxn('/ours/n0000000001', Buffer.from('updated'), 1));
    append(Op.setData, setDataTxn('/ours/n0000000001', Buffer.from('updated again'), 2));
    await log.commit();
    log.rollLog();
    append(Op.setACL, setAclTxn('/ours/n0000000002', [alice], 1));
    append(Op.delete, deleteTxn('/ours/n0000000003'));
    append(Op.multi, multiTxn([
      { type: Op.create, body: createTxn('/ours/m', Buffer.from('multi'), OPEN_ACL, false, -1) },
      { type: Op.setData, body: setDataTxn('/ours', Buffer.from('ours v1'), 1) },
      { type: Op.delete, body: deleteTxn('/ours/n0000000004') },
    ]));
    const eph = [...model.nodes].filter(([, n]) => n.stat.ephemeralOwner === BigInt(served.session)).map(([p]) => p);
    append(Op.closeSession, closeSessionTxn(eph), BigInt(served.session));
    await log.commit();
    await log.close();
    const logs = (await readdir(join(dir, 'version-2'))).filter((n) => n.startsWith('log.'));
    expect(logs).toHaveLength(2);

    // ZooKeeper's own log reader, checksums included, sees every txn.
    const cp = '/usr/share/java/zookeeper.jar:/usr/share/java/zookeeper-jute.jar:/usr/share/java/slf4j-api.jar:/usr/share/java/slf4j-nop.jar';
    const first = await run('java', ['-cp', cp, 'org.apache.zookeeper.server.persistence.TxnLogToolkit', join(dir, 'version-2', `log.${(snapZxid + 1n).toString(16)}`)]);
    expect(first.stdout).toContain('EOF reached after 5 txns');

    const got = await servedBy(dir, 'ours');
    expect(got.has('/ours/eph')).toBe(true);
    expect(got.has('/app/session-eph')).toBe(false);
    expectSameTree(got, model.toDump());
  });

  it('continues a data dir ZooKeeper wrote (recover, append, snapshot), and ZooKeeper takes it back', async () => {
    const dir = join(root, 'continued');
    await cp(join(root, 'zk'), dir, { recursive: true });
    const r = await recover(dir);
    const model = Model.fromSnapshot(r.snapshot!);
    for await (const t of r.txns) model.apply(t);
    for (const id of model.sessions.keys()) model.sessions.set(id, 60_000);
    const log = await TxnLogWriter.open(dir);
    const append = appender(model, log, 1_900_000_000_000n);
    append(Op.create, createTxn('/cont', Buffer.from('after recovery'), OPEN_ACL, false, -1));
    append(Op.setData, setDataTxn('/app', Buffer.from('set by watchkeeper'), served.nodes.get('/app')!.stat[4] + 1));
    append(Op.delete, deleteTxn('/burst/n0000000000'));
    await log.commit();
    log.rollLog();
    await snapshotOf(model, dir);
    append(Op.create, createTxn('/cont/after-snap', Buffer.alloc(5000, 1), OPEN_ACL, false, -1));
    append(Op.setData, setDataTxn('/cont', Buffer.from('v1'), 1));
    await log.close();
    const got = await servedBy(dir, 'continued');
    expect(got.get('/cont')!.data).toBe(Buffer.from('v1').toString('base64'));
    expectSameTree(got, model.toDump());
  });
});
