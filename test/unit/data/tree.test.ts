import { describe, expect, it } from 'vitest';
import { DataTree, TreeError, type TreeEvents } from '../../../src/data/tree.js';
import { applyTxn } from '../../../src/data/apply.js';
import { OPEN_ACL_UNSAFE } from '../../../src/data/acl.js';
import { CONTAINER_EPHEMERAL_OWNER } from '../../../src/data/ephemeral.js';
import { statOf } from '../../../src/data/node.js';
import { encode } from '../../../src/proto/schema.js';
import { CreateTxnRec, ErrorTxnRec, SetDataTxnRec } from '../../../src/proto/records/txn.js';
import { Err, OpCode } from '../../../src/proto/constants.js';

const acl = [...OPEN_ACL_UNSAFE];

function recording(tree: DataTree): string[] {
  const log: string[] = [];
  const ev: TreeEvents = {
    created: (p, parent, z) => log.push(`created ${p} parent ${parent} @${z}`),
    deleted: (p, parent, z) => log.push(`deleted ${p} parent ${parent} @${z}`),
    dataChanged: (p, z) => log.push(`changed ${p} @${z}`),
  };
  tree.events = ev;
  return log;
}

describe('DataTree', () => {
  it('starts with /zookeeper, quota and config as ZooKeeper 3.8 shows them', () => {
    const t = new DataTree();
    expect(t.stat('/')!.numChildren).toBe(1);
    expect(t.stat('/')!.cversion).toBe(-1);
    expect(t.stat('/zookeeper')).toMatchObject({ numChildren: 2, cversion: -2 });
    expect(t.get('/zookeeper/config')!.acl).toEqual([{ perms: 1, id: { scheme: 'world', id: 'anyone' } }]);
    expect(t.stat('/zookeeper/config')!.aversion).toBe(-1);
  });

  it('keeps Stat fields exact through create, setData and delete', () => {
    const t = new DataTree();
    const s = statOf(t.createNode('/a', Buffer.from('abc'), acl, 0n, -1, 5n, 1000n));
    expect(s).toEqual({ czxid: 5n, mzxid: 5n, ctime: 1000n, mtime: 1000n, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, dataLength: 3, numChildren: 0, pzxid: 5n });
    t.createNode('/a/b', null, acl, 0n, 1, 6n, 1001n);
    expect(t.stat('/a')).toMatchObject({ cversion: 1, pzxid: 6n, numChildren: 1, mzxid: 5n }); // 2*1-1
    const s2 = t.setData('/a', Buffer.from('xy'), 1, 7n, 1002n);
    expect(s2).toMatchObject({ version: 1, mzxid: 7n, mtime: 1002n, dataLength: 2, czxid: 5n, ctime: 1000n });
    t.deleteNode('/a/b', 8n);
    // Stored cversion stays 1; clients see 2 * 1 - 0 = 2 changes.
    expect(t.get('/a')!.stat.cversion).toBe(1);
    expect(t.stat('/a')).toMatchObject({ cversion: 2, pzxid: 8n, numChildren: 0 });
    expect(t.stat('/a/b')).toBeNull();
  });

  it('fires created + parent change, deleted + parent change, and data change', () => {
    const t = new DataTree();
    const log = recording(t);
    t.createNode('/x', null, acl, 0n, -1, 1n, 0n);
    t.setData('/x', null, 1, 2n, 0n);
    t.deleteNode('/x', 3n);
    expect(log).toEqual(['created /x parent / @1', 'changed /x @2', 'deleted /x parent / @3']);
  });

  it('tracks ephemerals per session and containers, and kills a session', () => {
    const t = new DataTree();
    t.createNode('/e1', null, acl, 42n, -1, 1n, 0n);
    t.createNode('/e2', null, acl, 42n, -1, 2n, 0n);
    t.createNode('/c', null, acl, CONTAINER_EPHEMERAL_OWNER, -1, 3n, 0n);
    expect(t.ephemeralsOf(42n).sort()).toEqual(['/e1', '/e2']);
    expect([...t.containers]).toEqual(['/c']);
    const log = recording(t);
    t.killSession(42n, 9n, ['/e1']);
    expect(log.sort()).toEqual(['deleted /e1 parent / @9', 'deleted /e2 parent / @9']);
    expect(t.ephemeralsOf(42n)).toEqual([]);
  });

  it('refuses to create under a missing parent or over an existing node', () => {
    const t = new DataTree();
    expect(() => t.createNode('/no/x', null, acl, 0n, -1, 1n, 0n)).toThrow(TreeError);
    t.createNode('/y', null, acl, 0n, -1, 1n, 0n);
    expect(() => t.createNode('/y', null, acl, 0n, -1, 2n, 0n)).toThrow(TreeError);
  });

  it('counts all descendants', () => {
    const t = new DataTree();
    t.createNode('/a', null, acl, 0n, -1, 1n, 0n);
    t.createNode('/a/b', null, acl, 0n, -1, 2n, 0n);
    t.createNode('/a/b/c', null, acl, 0n, -1, 3n, 0n);
    t.createNode('/ab', null, acl, 0n, -1, 4n, 0n);
    expect(t.countDescendants('/a')).toBe(2);
    expect(t.countDescendants('/')).toBe(7);
  });
});

describe('applyTxn', () => {
  const hdr = (zxid: bigint, type: number) => ({ clientId: 7n, cxid: 1, zxid, time: 100n, type });

  it('applies a create and moves lastProcessedZxid', () => {
    const t = new DataTree();
    const rc = applyTxn(t, hdr(3n, OpCode.create), { path: '/a', data: null, acl, ephemeral: true, parentCVersion: 0 });
    expect(rc).toMatchObject({ err: 0, path: '/a' });
    expect(t.stat('/a')!.ephemeralOwner).toBe(7n);
    expect(t.lastProcessedZxid).toBe(3n);
  });

  it('a multi holding an error applies nothing and reports 0 / code / -2', () => {
    const t = new DataTree();
    const txns = [
      { type: OpCode.create, data: encode(CreateTxnRec, { path: '/m', data: null, acl, ephemeral: false, parentCVersion: 0 }) },
      { type: OpCode.error, data: encode(ErrorTxnRec, { err: Err.badVersion }) },
      { type: OpCode.error, data: encode(ErrorTxnRec, { err: Err.runtimeInconsistency }) },
    ];
    const rc = applyTxn(t, hdr(4n, OpCode.multi), { txns });
    expect(rc.multi!.map((r) => r.err)).toEqual([0, Err.badVersion, Err.runtimeInconsistency]);
    expect(t.stat('/m')).toBeNull();
  });

  it('a successful multi applies every op under one zxid', () => {
    const t = new DataTree();
    const txns = [
      { type: OpCode.create, data: encode(CreateTxnRec, { path: '/m', data: null, acl, ephemeral: false, parentCVersion: 0 }) },
      { type: OpCode.setData, data: encode(SetDataTxnRec, { path: '/m', data: Buffer.from('v'), version: 1 }) },
    ];
    const rc = applyTxn(t, hdr(4n, OpCode.multi), { txns });
    expect(rc.err).toBe(0);
    expect(t.stat('/m')).toMatchObject({ czxid: 4n, mzxid: 4n, version: 1 });
  });
});
