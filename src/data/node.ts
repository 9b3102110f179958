// One znode and the Stat arithmetic around it (DataNode / StatPersisted in Apache ZooKeeper).
import type { ACL } from './acl.js';
import type { Stat, StatPersisted } from '../proto/records/data.js';

/**
 * The child set every leaf shares (a Set per znode was a fifth of the bytes a create allocated).
 * Never mutated: the tree replaces it with a node's own set when adding the first child.
 */
export const NO_CHILDREN: Set<string> = new Set();

export interface DataNode {
  data: Buffer | null;
  acl: ACL[];
  stat: StatPersisted;
  /** Child names (not paths). NO_CHILDREN until the first child: most znodes are leaves. */
  children: Set<string>;
  /** Most children held at once since the set was built: ZooKeeper's HashSet never shrinks (child-order.ts). */
  childMax?: number;
  /** This node's digest as the tree last added it (DataNode's cached digest): an unsigned 32-bit CRC. */
  digest: number;
}

/** DataTree.createStat: a new node's persisted stat. */
export function createStat(zxid: bigint, time: bigint, ephemeralOwner: bigint): StatPersisted {
  return {
    czxid: zxid,
    mzxid: zxid,
    ctime: time,
    mtime: time,
    version: 0,
    cversion: 0,
    aversion: 0,
    ephemeralOwner,
    pzxid: zxid,
  };
}

/** A stat's fields copied into a new object of createStat's shape. */
export function copyStat(s: StatPersisted): StatPersisted {
  return {
    czxid: s.czxid, mzxid: s.mzxid, ctime: s.ctime, mtime: s.mtime, version: s.version,
    cversion: s.cversion, aversion: s.aversion, ephemeralOwner: s.ephemeralOwner, pzxid: s.pzxid,
  };
}

/** All-zero stat, as the built-in nodes (/, /zookeeper, ...) start with. */
export function emptyStat(): StatPersisted {
  return createStat(0n, 0n, 0n);
}

/**
 * DataTree.getClientEphemeralOwner: clients see 0 for containers and TTL nodes; only a session
 * owner is shown. TTL owners carry 0xFF in the top byte, containers are Long.MIN_VALUE.
 */
export function clientEphemeralOwner(owner: bigint): bigint {
  return owner < 0n && (owner === -0x8000000000000000n || owner >> 56n === -1n) ? 0n : owner;
}

/**
 * The client-visible Stat of a node (DataNode.copyStat). The stored cversion counts creates; clients
 * see changes (creates + deletes), 2 * cversion - numChildren, which is why a fresh / shows -1.
 */
export function statOf(n: DataNode): Stat {
  const s = n.stat;
  const numChildren = n.children.size;
  return {
    czxid: s.czxid,
    mzxid: s.mzxid,
    ctime: s.ctime,
    mtime: s.mtime,
    version: s.version,
    cversion: s.cversion * 2 - numChildren,
    aversion: s.aversion,
    ephemeralOwner: clientEphemeralOwner(s.ephemeralOwner),
    dataLength: n.data === null ? 0 : n.data.length,
    numChildren,
    pzxid: s.pzxid,
  };
}

/** "/a/b" -> "/a", "/a" -> "/"; the root has no parent. */
export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function childNameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function joinPath(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}
