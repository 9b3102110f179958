// The in-memory znode tree (DataTree.java): nodes by path, per-session ephemerals, containers and
// TTL nodes, and the watch triggers each change fires. Mutators assume prep already validated the
// request; they throw TreeError only for states a txn log replay can meet (ZooKeeper's
// NoNodeException / NodeExistsException inside processTxn).
import { Err } from '../proto/constants.js';
import type { Stat } from '../proto/records/data.js';
import { OPEN_ACL_UNSAFE, READ_ACL_UNSAFE, type ACL } from './acl.js';
import { ephemeralKind } from './ephemeral.js';
import { childNameOf, createStat, emptyStat, parentOf, statOf, type DataNode } from './node.js';

export class TreeError extends Error {
  constructor(readonly code: number, readonly path: string) {
    super(`error ${code} for ${path}`);
  }
}

/** Where the tree reports changes: the watch tables implement this (DataTree's triggerWatch calls). */
export interface TreeEvents {
  created(path: string, parent: string, zxid: bigint, acl: ACL[], parentAcl: ACL[]): void;
  deleted(path: string, parent: string, zxid: bigint, acl: ACL[], parentAcl: ACL[]): void;
  dataChanged(path: string, zxid: bigint, acl: ACL[]): void;
}

const noEvents: TreeEvents = { created() {}, deleted() {}, dataChanged() {} };

export class DataTree {
  readonly nodes = new Map<string, DataNode>();
  readonly ephemerals = new Map<bigint, Set<string>>();
  readonly containers = new Set<string>();
  readonly ttls = new Set<string>();
  lastProcessedZxid = 0n;
  events: TreeEvents = noEvents;

  constructor(readonly extendedTypes = false) {
    this.addSystemNodes();
  }

  /** /, /zookeeper, /zookeeper/quota and /zookeeper/config (READ-only ACL). */
  private addSystemNodes(): void {
    const mk = (acl: readonly ACL[]): DataNode => ({ data: Buffer.alloc(0), acl: [...acl], stat: emptyStat(), children: new Set() });
    this.nodes.set('/', mk(OPEN_ACL_UNSAFE));
    this.nodes.set('/zookeeper', mk(OPEN_ACL_UNSAFE));
    this.nodes.set('/zookeeper/quota', mk(OPEN_ACL_UNSAFE));
    this.nodes.set('/zookeeper/config', mk(READ_ACL_UNSAFE));
    this.nodes.get('/')!.children.add('zookeeper');
    this.nodes.get('/zookeeper')!.children.add('config').add('quota');
    // addConfigNode sets the READ-only ACL with version -1, which leaves aversion at -1.
    this.nodes.get('/zookeeper/config')!.stat.aversion = -1;
  }

  /** "" is the root's alias, as in DataTree's node map. */
  get(path: string): DataNode | undefined {
    return this.nodes.get(path === '' ? '/' : path);
  }

  stat(path: string): Stat | null {
    const n = this.get(path);
    return n ? statOf(n) : null;
  }

  /** Number of znodes, built-ins included (as ZooKeeper's node count). */
  get size(): number {
    return this.nodes.size;
  }

  /**
   * DataTree.createNode. parentCVersion -1 means "current + 1"; the parent's cversion/pzxid only
   * move forward (ZOOKEEPER-3023 replay safety).
   */
  createNode(path: string, data: Buffer | null, acl: ACL[], owner: bigint, parentCVersion: number, zxid: bigint, time: bigint): Stat {
    const parentPath = parentOf(path);
    const parent = this.nodes.get(parentPath);
    if (!parent) throw new TreeError(Err.noNode, path);
    if (this.nodes.has(path)) throw new TreeError(Err.nodeExists, path);
    const cv = parentCVersion === -1 ? parent.stat.cversion + 1 : parentCVersion;
    if (cv > parent.stat.cversion) {
      parent.stat.cversion = cv;
      parent.stat.pzxid = zxid;
    }
    const node: DataNode = { data, acl, stat: createStat(zxid, time, owner), children: new Set() };
    parent.children.add(childNameOf(path));
    this.nodes.set(path, node);
    this.trackOwner(path, owner);
    this.events.created(path, parentPath, zxid, acl, parent.acl);
    return statOf(node);
  }

  private trackOwner(path: string, owner: bigint): void {
    switch (ephemeralKind(owner, this.extendedTypes)) {
      case 'container': this.containers.add(path); return;
      case 'ttl': this.ttls.add(path); return;
      case 'normal': {
        let set = this.ephemerals.get(owner);
        if (!set) this.ephemerals.set(owner, (set = new Set()));
        set.add(path);
      }
    }
  }

  private untrackOwner(path: string, owner: bigint): void {
    switch (ephemeralKind(owner, this.extendedTypes)) {
      case 'container': this.containers.delete(path); return;
      case 'ttl': this.ttls.delete(path); return;
      case 'normal': {
        const set = this.ephemerals.get(owner);
        set?.delete(path);
        if (set?.size === 0) this.ephemerals.delete(owner);
      }
    }
  }

  /** DataTree.deleteNode: the parent's pzxid moves forward, its cversion does not change. */
  deleteNode(path: string, zxid: bigint): void {
    const parentPath = parentOf(path);
    const parent = this.nodes.get(parentPath);
    if (!parent) throw new TreeError(Err.noNode, path);
    parent.children.delete(childNameOf(path));
    if (zxid > parent.stat.pzxid) parent.stat.pzxid = zxid;
    const node = this.nodes.get(path);
    if (!node) throw new TreeError(Err.noNode, path);
    this.nodes.delete(path);
    this.untrackOwner(path, node.stat.ephemeralOwner);
    this.events.deleted(path, parentPath, zxid, node.acl, parent.acl);
  }

  /** DataTree.setData: `version` is the new version prep computed. */
  setData(path: string, data: Buffer | null, version: number, zxid: bigint, time: bigint): Stat {
    const n = this.nodes.get(path);
    if (!n) throw new TreeError(Err.noNode, path);
    n.data = data;
    n.stat.mtime = time;
    n.stat.mzxid = zxid;
    n.stat.version = version;
    this.events.dataChanged(path, zxid, n.acl);
    return statOf(n);
  }

  /** DataTree.setACL: `version` is the new aversion. No watch fires. */
  setACL(path: string, acl: ACL[], version: number): Stat {
    const n = this.nodes.get(path);
    if (!n) throw new TreeError(Err.noNode, path);
    n.acl = acl;
    n.stat.aversion = version;
    return statOf(n);
  }

  /** DataTree.setCversionPzxid (replay of a create that met an existing node). */
  setCversionPzxid(path: string, cversion: number, zxid: bigint): void {
    const n = this.nodes.get(path);
    if (!n) throw new TreeError(Err.noNode, path);
    const cv = cversion === -1 ? n.stat.cversion + 1 : cversion;
    if (cv > n.stat.cversion) {
      n.stat.cversion = cv;
      n.stat.pzxid = zxid;
    }
  }

  /** Paths of a session's ephemeral nodes (a copy). */
  ephemeralsOf(sessionId: bigint): string[] {
    return [...(this.ephemerals.get(sessionId) ?? [])];
  }

  /** killSession: deletes the listed nodes, ignoring ones already gone (as deleteNodes does). */
  killSession(sessionId: bigint, zxid: bigint, paths: readonly string[]): void {
    const all = new Set([...paths, ...this.ephemeralsOf(sessionId)]);
    for (const p of all) {
      if (this.nodes.has(p)) this.deleteNode(p, zxid);
    }
    this.ephemerals.delete(sessionId);
  }

  /** getAllChildrenNumber: every descendant, not counting the node itself. */
  countDescendants(path: string): number {
    const prefix = path === '/' ? '/' : `${path}/`;
    let n = 0;
    for (const p of this.nodes.keys()) if (p !== path && p.startsWith(prefix)) n++;
    return n;
  }
}
