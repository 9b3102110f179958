// The fuzzy snapshot walk (wiring/tree-image.ts): parents before children, every node once, and
// a walk that keeps going while the tree changes under it yields a file that loads and, once the
// changes are replayed, equals the live tree (ZooKeeper's fuzzy snapshot + idempotent replay).
import { describe, expect, it } from 'vitest';
import { OPEN_ACL_UNSAFE } from '../../../src/data/acl.js';
import { DataTree } from '../../../src/data/tree.js';
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
});
