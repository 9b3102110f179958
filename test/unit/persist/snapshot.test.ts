// Snapshot writer and reader on real files: round trip of every field, ZooKeeper's byte layout,
// digest, damage detection, and how long writing a large tree holds the event loop.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { crc32 } from 'node:zlib';
import { SnapshotError, TreeDigest, nodeDigest, readSnapshot, writeSnapshot, type ACL, type SnapshotNode, type StatPersisted } from '../../../src/persist/index.js';

const roots: string[] = [];
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wk-snap-'));
  roots.push(dir);
});
afterAll(async () => {
  for (const d of roots) await rm(d, { recursive: true, force: true });
});

function stat(z: number, extra: Partial<StatPersisted> = {}): StatPersisted {
  const zx = BigInt(z);
  return { czxid: zx, mzxid: zx + 1n, ctime: 1_700_000_000_000n + zx, mtime: 1_700_000_000_500n + zx,
    version: z % 5, cversion: z % 3, aversion: z % 2, ephemeralOwner: 0n, pzxid: zx + 2n, ...extra };
}

const digestAcl: ACL[] = [{ perms: 31, id: { scheme: 'digest', id: 'alice:XkX8hLsw0ThuWOp9g9sT6s0cNvE=' } }];
const readAcl: ACL[] = [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }];

function sampleTree(): SnapshotNode[] {
  return [
    { path: '', data: Buffer.alloc(0), aclRef: -1n, stat: stat(0) },
    { path: '/zookeeper', data: Buffer.alloc(0), aclRef: -1n, stat: stat(0) },
    { path: '/zookeeper/config', data: Buffer.alloc(0), aclRef: 1n, stat: stat(0, { aversion: -1 }) },
    { path: '/a', data: Buffer.from('hello'), aclRef: -1n, stat: stat(3) },
    { path: '/a/big', data: Buffer.alloc(1024 * 1024, 7), aclRef: 2n, stat: stat(4) },
    { path: '/a/null', data: null, aclRef: -1n, stat: stat(5) },
    { path: '/ünïcødé', data: Buffer.from('ß'), aclRef: 2n, stat: stat(6, { ephemeralOwner: 0x1234n }) },
  ];
}

describe('snapshot round trip', () => {
  it('reads back sessions, ACL cache, every node field and the digest', async () => {
    const nodes = sampleTree();
    const sessions = new Map([[0x100000000n, 30000], [-5n, 4000]]);
    const acls = new Map([[1n, readAcl], [2n, digestAcl]]);
    const w = await writeSnapshot(dir, { zxid: 0x2an, sessions, acls, nodes }, { chunkBytes: 512 });
    expect(w.path.endsWith('version-2/snapshot.2a')).toBe(true);
    const got = await readSnapshot(w.path);
    expect(got.zxid).toBe(0x2an);
    expect(got.dbid).toBe(-1n);
    expect(got.sessions).toEqual(sessions);
    expect(got.acls).toEqual(acls);
    // Data compared with Buffer.equals: deep-equal over a 1 MB buffer takes seconds.
    const strip = (n: SnapshotNode) => ({ ...n, data: n.data === null ? null : n.data.length });
    expect(got.nodes.map(strip)).toEqual(nodes.map(strip));
    for (let i = 0; i < nodes.length; i++) expect(got.nodes[i].data?.equals(nodes[i].data!) ?? nodes[i].data === null).toBe(true);
    const tree = new TreeDigest();
    for (const n of nodes) tree.add(n.path, n.data, n.stat);
    expect(got.digest).toEqual({ zxid: 0x2an, digestVersion: 2, digest: tree.value });
    expect((await readdir(join(dir, 'version-2')))).toEqual(['snapshot.2a']);
  });

  it('lays bytes out as ZooKeeper 3.8 does (header, seal, digest, seal)', async () => {
    const nodes = [{ path: '', data: Buffer.alloc(0), aclRef: -1n, stat: stat(0) }];
    const w = await writeSnapshot(dir, { zxid: 0n, sessions: new Map(), acls: new Map(), nodes, digest: 'empty' });
    const b = await readFile(w.path);
    expect(b.toString('latin1', 0, 4)).toBe('ZKSN');
    expect(b.readInt32BE(4)).toBe(2);
    expect(b.readBigInt64BE(8)).toBe(-1n);
    // 16 header + 4 sessions + 4 acls + (4 + 4 + 8 + 60) root + 5 "/" + 13 seal + 20 digest + 13 seal
    expect(b.length).toBe(16 + 4 + 4 + 76 + 5 + 13 + 20 + 13);
    expect(b.subarray(b.length - 5)).toEqual(Buffer.from([0, 0, 0, 1, 0x2f]));
  });

  it('writes a pre-digest snapshot when asked and still reads it', async () => {
    const w = await writeSnapshot(dir, { zxid: 5n, sessions: new Map(), acls: new Map(), nodes: sampleTree(), digest: null });
    expect((await readSnapshot(w.path)).digest).toBeNull();
  });
});

describe('digest', () => {
  it('is CRC-32 over path ("/" as ""), data and the stat in DigestCalculator order', () => {
    const s = stat(7, { ephemeralOwner: 99n });
    const data = Buffer.from('payload');
    const st = Buffer.alloc(60);
    [s.czxid, s.mzxid, s.pzxid, s.ctime, s.mtime].forEach((v, i) => st.writeBigInt64BE(v, i * 8));
    st.writeInt32BE(s.version, 40); st.writeInt32BE(s.cversion, 44); st.writeInt32BE(s.aversion, 48);
    st.writeBigInt64BE(s.ephemeralOwner, 52);
    expect(nodeDigest('/a/b', data, s)).toBe(crc32(Buffer.concat([Buffer.from('/a/b'), data, st])));
    expect(nodeDigest('/', null, s)).toBe(crc32(st));
    const big = Buffer.alloc(100_000, 3);
    expect(nodeDigest('/x', big, s)).toBe(crc32(Buffer.concat([Buffer.from('/x'), big, st])));
    expect(nodeDigest('/zookeeper/quota', data, s)).toBe(0);
    expect(nodeDigest('/zookeeper', data, s)).not.toBe(0);
  });
});

describe('damaged snapshots are errors', () => {
  async function written(): Promise<Buffer> {
    const w = await writeSnapshot(dir, { zxid: 9n, sessions: new Map(), acls: new Map([[2n, digestAcl]]), nodes: sampleTree() });
    return readFile(w.path);
  }
  const file = () => join(dir, 'version-2', 'snapshot.9');

  it('a flipped byte anywhere fails the checksum', async () => {
    const good = await written();
    for (const at of [30, 200, 500_000, good.length - 40]) {
      const bad = Buffer.from(good);
      bad[at] ^= 0x01;
      await writeFile(file(), bad);
      await expect(readSnapshot(file())).rejects.toBeInstanceOf(SnapshotError);
    }
  });

  it('a truncated file fails', async () => {
    const good = await written();
    for (const len of [10, 100, good.length - 30, good.length - 1]) {
      await writeFile(file(), good.subarray(0, len));
      await expect(readSnapshot(file())).rejects.toBeInstanceOf(SnapshotError);
    }
  });

  it('a node before its parent fails, as DataTree.deserialize does', async () => {
    const nodes = [sampleTree()[0], { path: '/x/y', data: null, aclRef: -1n, stat: stat(1) }];
    const w = await writeSnapshot(dir, { zxid: 1n, sessions: new Map(), acls: new Map(), nodes });
    await expect(readSnapshot(w.path)).rejects.toThrow(/before its parent/);
  });
});

describe('event loop', () => {
  // CI writes 200k nodes; NODES=1000000 gives the 1M-node figure reported for the issue.
  const count = Number(process.env.NODES ?? 200_000);

  function* synthetic(n: number): Generator<SnapshotNode> {
    yield { path: '', data: Buffer.alloc(0), aclRef: -1n, stat: stat(0) };
    const fanout = 1000;
    for (let i = 0; i < Math.ceil(n / fanout); i++) {
      yield { path: `/d${i}`, data: Buffer.from('dir'), aclRef: -1n, stat: stat(i) };
      for (let j = 0; j < fanout - 1; j++) {
        yield { path: `/d${i}/node-${j.toString().padStart(10, '0')}`, data: Buffer.from(`value ${i}.${j}`), aclRef: -1n, stat: stat(j) };
      }
    }
  }

  // Target: no stall over 50 ms. Asserted: the writer's longest synchronous stretch in CPU time
  // (its budget is 8 ms wall). Timer lateness from monitorEventLoopDelay is reported, and asserted
  // when STALL_LIMIT_MS is set: on two cores shared with other jobs it also counts time spent
  // waiting for a core, which no code of ours can prevent.
  const limit = process.env.STALL_LIMIT_MS ? Number(process.env.STALL_LIMIT_MS) : undefined;

  it(`writes ${count} nodes in slices under 50 ms`, async () => {
    const h = monitorEventLoopDelay({ resolution: 5 });
    h.enable();
    const t0 = performance.now();
    const w = await writeSnapshot(dir, { zxid: 1n, sessions: new Map(), acls: new Map(), nodes: synthetic(count) });
    const ms = performance.now() - t0;
    h.disable();
    const maxStall = h.max / 1e6;
    console.log(`snapshot of ${w.nodes} nodes, ${(w.bytes / 1e6).toFixed(1)} MB in ${ms.toFixed(0)} ms; longest slice ` +
      `${w.maxSliceMs.toFixed(1)} ms wall, ${w.maxSliceCpuMs.toFixed(1)} ms CPU; event-loop delay max ${maxStall.toFixed(1)} ms, p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms`);
    expect(w.maxSliceCpuMs).toBeLessThan(50);
    if (limit !== undefined) expect(maxStall).toBeLessThan(limit);
    let n = 0;
    const r0 = performance.now();
    await readSnapshot(w.path, { onNode: () => n++ });
    console.log(`read back ${n} nodes in ${(performance.now() - r0).toFixed(0)} ms`);
    expect(n).toBe(w.nodes);
  }, 120_000);
});
