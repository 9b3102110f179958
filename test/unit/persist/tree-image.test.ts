// The fuzzy snapshot walk (wiring/tree-image.ts): parents before children, every node once, and
// a walk that keeps going while the tree changes under it yields a file that loads and, once the
// changes are replayed, equals the live tree (ZooKeeper's fuzzy snapshot + idempotent replay).
import { describe, expect, it } from 'vitest';
import { OPEN_ACL_UNSAFE } from '../../../src/data/acl.js';
import { DataTree } from '../../../src/data/tree.js';
import { NO_CHILDREN } from '../../../src/data/node.js';
import { applyTxn } from '../../../src/data/apply.js';
import { OpCode } from '../../../src/proto/constants.js';
import { treeNodes, loadSnapshot } from '../../../src/persist/wiring/tree-image.js';
import type { SnapshotNode } from '../../../src/persist/types.js';

const data = (s: string): Buffer => Buffer.from(s);

function sample(): DataTree {
  const t = new DataTree();
  let z = 1n;
  for (const a of ['a', 'b', 'c']) {
    t.createNode(`/${a}`, data(a), OPEN_ACL_UNSAFE, 0n, 0, z++, 1n);
    for (let i = 0; i < 5; i++) t.createNode(`/${a}/${i}`, data(`${a}${i}`), OPEN_ACL_UNSAFE, 0n, 0, z++, 1n);
  }
  // Delete and re-create a parent: it moves to the end of the map, its new child after it.
  for (let i = 0; i < 5; i++) t.deleteNode(`/b/${i}`, z++);
  t.deleteNode('/b', z++);
  t.createNode('/b', data('b2'), OPEN_ACL_UNSAFE, 0n, 0, z++, 1n);
  t.createNode('/b/new', data('n'), OPEN_ACL_UNSAFE, 0n, 0, z++, 1n);
  t.lastProcessedZxid = z;
  return t;
}

/** Copies what the walk yields (it reuses one object for every node). */
function copy(n: SnapshotNode): SnapshotNode {
  return { path: n.path, data: n.data, aclRef: n.aclRef, stat: { ...n.stat } };
}

function expectParentsFirst(paths: string[]): void {
  const seen = new Set<string>(['']);
  for (const p of paths.slice(1)) {
    const parent = p.slice(0, p.lastIndexOf('/'));
    expect(seen.has(parent), `${p} before its parent`).toBe(true);
    seen.add(p);
  }
}

describe('treeNodes', () => {
  it('yields the root as "" first, every node once, each parent before its children', () => {
    const t = sample();
    const paths = Array.from(treeNodes(t), (n) => n.path);
    expect(paths[0]).toBe('');
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths.length).toBe(t.size);
    expectParentsFirst(paths);
  });

  it('a walk interleaved with creates and deletes still loads, parents first', () => {
    const t = sample();
    const out: SnapshotNode[] = [];
    let z = t.lastProcessedZxid + 1n;
    let step = 0;
    for (const n of treeNodes(t)) {
      out.push(copy(n));
      // Mutate between nodes, as txns applied between the writer's slices would.
      if (step++ === 3) {
        t.deleteNode('/c/4', z++);
        t.createNode('/c/late', data('late'), OPEN_ACL_UNSAFE, 0n, 0, z++, 1n);
        t.createNode('/c/late/child', data('lc'), OPEN_ACL_UNSAFE, 0n, 0, z++, 1n);
        t.setData('/a', data('a2'), -1, z++, 2n);
      }
    }
    const paths = out.map((n) => n.path);
    expectParentsFirst(paths);
    expect(paths).not.toContain('/c/4');
    expect(paths).toContain('/c/late/child');
    const loaded = new DataTree();
    loadSnapshot(loaded, { zxid: 1n, dbid: -1n, sessions: new Map(), acls: new Map(), nodes: out, digest: null });
    for (const p of ['/a', '/b/new', '/c/late/child']) expect(loaded.get(p)?.data).toEqual(t.get(p)?.data);
  });

  it('a parent deleted and re-created during the walk replays into the live tree, parents first', () => {
    // The walk writes /a and its child /a/x, then the log goes on: delete /a/x, delete /a,
    // create /a, create /a/y; the walk (still running) also writes the new /a and /a/y. Replaying
    // those txns over the loaded snapshot deletes /a while it holds /a/y "from the future".
    const live = new DataTree();
    live.createNode('/a', data('a'), OPEN_ACL_UNSAFE, 0n, -1, 1n, 1n);
    live.createNode('/a/x', data('x'), OPEN_ACL_UNSAFE, 0n, -1, 2n, 1n);
    live.lastProcessedZxid = 2n;
    const txns: Array<[number, object]> = [
      [OpCode.delete, { path: '/a/x' }],
      [OpCode.delete, { path: '/a' }],
      [OpCode.create, { path: '/a', data: data('a2'), acl: OPEN_ACL_UNSAFE, ephemeral: false, parentCVersion: -1 }],
      [OpCode.create, { path: '/a/y', data: data('y'), acl: OPEN_ACL_UNSAFE, ephemeral: false, parentCVersion: -1 }],
    ];
    const hdr = (i: number, type: number) => ({ clientId: 1n, cxid: i, zxid: 3n + BigInt(i), time: 5n, type });
    const out: SnapshotNode[] = [];
    let applied = false;
    for (const n of treeNodes(live)) {
      out.push(copy(n));
      if (!applied && n.path === '/a/x') {
        txns.forEach(([type, txn], i) => applyTxn(live, hdr(i, type), txn));
        applied = true;
      }
    }
    const paths = out.map((n) => n.path);
    expect(paths.filter((p) => p === '/a')).toHaveLength(2); // the old /a, then the re-created one
    expect(paths.indexOf('/a/y')).toBeGreaterThan(paths.lastIndexOf('/a'));
    const restored = new DataTree();
    loadSnapshot(restored, { zxid: 2n, dbid: -1n, sessions: new Map(), acls: new Map(), nodes: out, digest: null });
    txns.forEach(([type, txn], i) => applyTxn(restored, hdr(i, type), txn));
    expect([...restored.nodes.keys()].sort()).toEqual([...live.nodes.keys()].sort());
    expect([...restored.get('/a')!.children]).toEqual(['y']);
    expect(restored.digest).toBe(live.digest);
    expectParentsFirst(Array.from(treeNodes(restored), (n) => n.path));
    expect(NO_CHILDREN.size).toBe(0); // the leaves' shared empty set was never written to
  });
});
