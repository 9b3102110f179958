// Recovery (newest valid snapshot + replay of later txns, cutting a torn tail) and purge (keep N
// snapshots and the logs they need), on real files.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, open, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecoveryError, TxnLogWriter, purge, recover, startAutopurge, writeSnapshot, type SnapshotNode, type TxnRecord } from '../../../src/persist/index.js';
import { Op, OPEN_ACL, createTxn, header } from './txn-codec.js';

const roots: string[] = [];
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wk-recover-'));
  roots.push(dir);
});
afterAll(async () => {
  for (const d of roots) await rm(d, { recursive: true, force: true });
});

const v2 = () => join(dir, 'version-2');
const root: SnapshotNode = { path: '', data: Buffer.alloc(0), aclRef: -1n,
  stat: { czxid: 0n, mzxid: 0n, ctime: 0n, mtime: 0n, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, pzxid: 0n } };

function txn(z: number): TxnRecord {
  return { header: header(BigInt(z), Op.create), body: createTxn(`/n${z}`, Buffer.from(`d${z}`), OPEN_ACL, false, z), digest: { version: 2, treeDigest: BigInt(z) } };
}

async function snapshotAt(zxid: number): Promise<void> {
  await writeSnapshot(dir, { zxid: BigInt(zxid), sessions: new Map([[7n, 5000]]), acls: new Map(), nodes: [root] });
}

/** txns 1..n, a log roll + snapshot after each zxid in `snapsAt` (as SyncRequestProcessor does). */
async function history(n: number, snapsAt: number[]): Promise<void> {
  const w = await TxnLogWriter.open(dir, { preallocBytes: 16 * 1024 });
  await snapshotAt(0);
  for (let z = 1; z <= n; z++) {
    const t = txn(z);
    w.append(t.header, t.body, t.digest);
    if (snapsAt.includes(z)) {
      await w.commit();
      w.rollLog();
      await snapshotAt(z);
    }
  }
  await w.commit();
  await w.close();
}

async function drain(r: Awaited<ReturnType<typeof recover>>): Promise<number[]> {
  const zs: number[] = [];
  for await (const t of r.txns) zs.push(Number(t.header.zxid));
  return zs;
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('recover', () => {
  it('loads the newest snapshot and replays only later txns', async () => {
    await history(100, [20, 50]);
    const r = await recover(dir);
    expect(r.snapshot?.zxid).toBe(50n);
    expect(r.snapshot?.sessions.get(7n)).toBe(5000);
    expect(await drain(r)).toEqual(range(51, 100));
    expect(r.result()).toEqual({ lastZxid: 100n, cut: null });
  });

  it('cuts a torn tail on disk, keeping every complete txn', async () => {
    await history(100, [50]);
    const last = join(v2(), 'log.33');
    const bytes = await readFile(last);
    // Find the end of the records (the zero padding) and tear the final record in half.
    let end = bytes.length;
    while (end > 0 && bytes[end - 1] === 0) end--;
    const fh = await open(last, 'r+');
    await fh.write(Buffer.alloc(20), 0, 20, end - 20);
    await fh.close();
    const r = await recover(dir);
    expect(await drain(r)).toEqual(range(51, 99));
    const { cut, lastZxid } = r.result();
    expect(lastZxid).toBe(99n);
    expect(cut).toMatchObject({ file: last, reason: expect.any(String) });
    expect((await stat(last)).size).toBe(cut!.offset);
    const again = await recover(dir);
    expect(await drain(again)).toEqual(range(51, 99));
    expect(again.result().cut).toBeNull();
  });

  it('falls back to an older snapshot when the newest is corrupt', async () => {
    await history(100, [20, 50]);
    const snap = join(v2(), 'snapshot.32');
    const b = await readFile(snap);
    b[40] ^= 0xff;
    await writeFile(snap, b);
    const r = await recover(dir);
    expect(r.snapshot?.zxid).toBe(20n);
    expect(r.skipped.map((s) => s.file)).toEqual([snap]);
    expect(await drain(r)).toEqual(range(21, 100));
  });

  it('refuses logs without a snapshot unless told to trust an empty one', async () => {
    await history(10, []);
    await rm(join(v2(), 'snapshot.0'));
    await expect(recover(dir)).rejects.toBeInstanceOf(RecoveryError);
    const r = await recover(dir, { trustEmptySnapshot: true });
    expect(r.snapshot).toBeNull();
    expect(await drain(r)).toEqual(range(1, 10));
  });

  it('an empty directory is an empty database', async () => {
    const r = await recover(dir);
    expect(r.snapshot).toBeNull();
    expect(await drain(r)).toEqual([]);
  });

  it('damage in an older log, with newer logs after it, is an error and nothing is cut', async () => {
    await history(100, [50]);
    const first = join(v2(), 'log.1');
    const b = await readFile(first);
    b[100] ^= 0xff;
    await writeFile(first, b);
    await rm(join(v2(), 'snapshot.32'));
    const r = await recover(dir);
    await expect(drain(r)).rejects.toBeInstanceOf(RecoveryError);
    expect(await readdir(v2())).toContain('log.33');
  });
});

describe('purge', () => {
  it('keeps the N newest snapshots and the logs that reach back to the oldest of them', async () => {
    await history(100, [16, 32, 48, 64]);
    // snapshots 0, 10, 20, 30, 40 (hex); logs 1, 11, 21, 31, 41. The oldest kept snapshot is
    // 0x20, so log.11 (txns 0x11..0x20) stays: it is the log that starts at or before 0x20.
    const res = await purge(dir, 3);
    expect((await readdir(v2())).sort()).toEqual(['log.11', 'log.21', 'log.31', 'log.41', 'snapshot.20', 'snapshot.30', 'snapshot.40']);
    expect(res.deleted.length).toBe(3);
    const r = await recover(dir);
    expect(r.snapshot?.zxid).toBe(64n);
    expect(await drain(r)).toEqual(range(65, 100));
  });

  it('does not count a snapshot without its final seal', async () => {
    await history(100, [16, 32, 48, 64]);
    const newest = join(v2(), 'snapshot.40');
    const b = await readFile(newest);
    await writeFile(newest, b.subarray(0, b.length - 3));
    await purge(dir, 3);
    const names = await readdir(v2());
    expect(names).toContain('snapshot.10');
    expect(names).not.toContain('snapshot.0');
  });

  it('autopurge runs on its interval until stopped', async () => {
    await history(100, [16, 32, 48, 64]);
    const stop = startAutopurge(dir, 3, 20);
    try {
      for (let i = 0; i < 100 && (await readdir(v2())).includes('snapshot.0'); i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      stop();
    }
    expect(await readdir(v2())).not.toContain('snapshot.0');
  });

  it('refuses to keep fewer than 3', async () => {
    await expect(purge(dir, 2)).rejects.toBeInstanceOf(RangeError);
  });
});
