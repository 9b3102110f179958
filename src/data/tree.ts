// The in-memory znode tree (DataTree.java): nodes by path, per-session ephemerals, containers and
// TTL nodes, and the watch triggers each change fires. Mutators assume prep already validated the
// request; they throw TreeError only for states a txn log replay can meet (ZooKeeper's
// NoNodeException / NodeExistsException inside processTxn).
// Like ZooKeeper 3.6+ the tree keeps a digest (DigestCalculator + AdHash): every mutator takes the
// changed nodes' digests out before the change and puts the new ones in after, so the digest of the
// whole tree is always current and goes into each logged txn and snapshot. ACL lists are interned
// (ReferenceCountedACLCache) so snapshots can store them by ref.
import { Err } from '../proto/constants.js';
import type { Stat } from '../proto/records/data.js';
import { DigestSum, nodeDigest } from '../persist/digest.js';
import type { StatPersisted } from '../proto/records/data.js';
import { OPEN_ACL_UNSAFE, READ_ACL_UNSAFE, type ACL } from './acl.js';
import { AclTable } from './acl-refs.js';
import { ephemeralKind } from './ephemeral.js';
import { childNameOf, createStat, emptyStat, joinPath, NO_CHILDREN, parentOf, statOf, type DataNode } from './node.js';

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

/** Adds a child name, giving the node a set of its own in place of the shared empty one. */
function addChild(node: DataNode, name: string): void {
  if (node.children === NO_CHILDREN) node.children = new Set();
  node.children.add(name);
}

/**
 * Where the tree may take a node's digest instead of computing it: the digest the node will have
 * once txn `zxid` is applied, or -1 when not known. Within a multi a path may change twice; the
 * value is its state after the whole txn, which is what the tree holds once the txn is applied
 * (every intermediate hashIn is taken out again by the next change's hashOut).
 */
export interface PredictedDigests {
  digestAt(path: string, zxid: bigint): number;
}

export class DataTree {
  readonly nodes = new Map<string, DataNode>();
  readonly ephemerals = new Map<bigint, Set<string>>();
  readonly containers = new Set<string>();
  readonly ttls = new Set<string>();
  lastProcessedZxid = 0n;
  events: TreeEvents = noEvents;
  /** The tree digest's running sum (the digest predictor starts from it without a BigInt). */
  readonly digestSum = new DigestSum();
  /**
   * Node digests already computed for the txn being applied (the sync stage predicted them to log
   * the txn's digest, as PrepRequestProcessor.precalculateDigest does); null computes every one.
   */
  predicted: PredictedDigests | null = null;
  /** The zxid of the txn being applied, whose predicted node digests may be used. */
  applying = -1n;
  readonly acls = new AclTable();

  constructor(readonly extendedTypes = false) {
    this.addSystemNodes();
  }

  /** /, /zookeeper, /zookeeper/quota and /zookeeper/config (READ-only ACL), where missing. */
  private addSystemNodes(): void {
    const mk = (path: string, acl: readonly ACL[], aversion = 0): void => {
      if (this.nodes.has(path)) return;
      const stat = emptyStat();
      stat.aversion = aversion;
      this.loadNode(path, Buffer.alloc(0), acl, stat);
    };
    mk('/', OPEN_ACL_UNSAFE);
    mk('/zookeeper', OPEN_ACL_UNSAFE);
    mk('/zookeeper/quota', OPEN_ACL_UNSAFE);
    // addConfigNode sets the READ-only ACL with version -1, which leaves aversion at -1.
    mk('/zookeeper/config', READ_ACL_UNSAFE, -1);
  }

  /** Empties the tree before a snapshot is loaded into it (no watch fires). */
  clear(): void {
    this.nodes.clear();
    this.ephemerals.clear();
    this.containers.clear();
    this.ttls.clear();
    this.acls.clear();
    this.digestSum.value = 0n;
    this.lastProcessedZxid = 0n;
  }

  /**
   * Puts one node read from a snapshot (DataTree.deserialize): parents come first, "" is the root,
   * a repeated path (a fuzzy snapshot can hold one twice) replaces the earlier copy. No watch fires.
   */
  loadNode(path: string, data: Buffer | null, acl: readonly ACL[], stat: StatPersisted): void {
    const p = path === '' ? '/' : path;
    const old = this.nodes.get(p);
    if (old) {
      this.hashOut(old);
      this.untrackOwner(p, old.stat.ephemeralOwner);
    }
    const node: DataNode = { data, acl: this.acls.intern(acl), stat, children: old?.children ?? NO_CHILDREN, digest: 0 };
    if (p !== '/') {
      const parent = this.nodes.get(parentOf(p));
      if (!parent) throw new TreeError(Err.noNode, p);
      addChild(parent, childNameOf(p));
    }
    this.nodes.set(p, node);
    this.trackOwner(p, stat.ephemeralOwner);
    this.hashIn(p, node);
  }

  /** After loading: the built-in nodes a snapshot may lack. */
  ensureSystemNodes(): void {
    this.addSystemNodes();
  }

  /** A node's digest as last computed (0 when absent): the digest predictor's starting point. */
  nodeDigestOf(path: string): number {
    return this.get(path)?.digest ?? 0;
  }

  /** The tree digest (DataTree.getTreeDigest): a wrapping 64-bit sum of node digests. */
  get digest(): bigint {
    return this.digestSum.value;
  }

  private hashIn(path: string, n: DataNode): void {
    const known = this.predicted === null ? -1 : this.predicted.digestAt(path, this.applying);
    n.digest = known >= 0 ? known : nodeDigest(path, n.data, n.stat);
    this.digestSum.add(n.digest);
  }

  private hashOut(n: DataNode): void {
    this.digestSum.sub(n.digest);
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
  createNode(path: string, data: Buffer | null, acl: ACL[], owner: bigint, parentCVersion: number, zxid: bigint, time: bigint): DataNode {
    const parentPath = parentOf(path);
    const parent = this.nodes.get(parentPath);
    if (!parent) throw new TreeError(Err.noNode, path);
    if (this.nodes.has(path)) throw new TreeError(Err.nodeExists, path);
    const cv = parentCVersion === -1 ? parent.stat.cversion + 1 : parentCVersion;
    if (cv > parent.stat.cversion) {
      this.hashOut(parent);
      parent.stat.cversion = cv;
      parent.stat.pzxid = zxid;
      this.hashIn(parentPath, parent);
    }
    acl = this.acls.intern(acl);
    const node: DataNode = { data, acl, stat: createStat(zxid, time, owner), children: NO_CHILDREN, digest: 0 };
    addChild(parent, childNameOf(path));
    parent.childMax = Math.max(parent.childMax ?? 0, parent.children.size); // child-order.ts
    this.nodes.set(path, node);
    this.trackOwner(path, owner);
    this.hashIn(path, node);
    this.events.created(path, parentPath, zxid, acl, parent.acl);
    return node;
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
    parent.childMax = Math.max(parent.childMax ?? 0, parent.children.size); // child-order.ts
    parent.children.delete(childNameOf(path));
    if (zxid > parent.stat.pzxid) {
      this.hashOut(parent);
      parent.stat.pzxid = zxid;
      this.hashIn(parentPath, parent);
    }
    const node = this.nodes.get(path);
    if (!node) throw new TreeError(Err.noNode, path);
    this.unlink(path, node);
    if (node.children.size > 0) this.dropDescendants(path, node);
    this.events.deleted(path, parentPath, zxid, node.acl, parent.acl);
  }

  /** Takes one node out of the map, the digest and the owner indexes. */
  private unlink(path: string, node: DataNode): void {
    this.hashOut(node);
    this.nodes.delete(path);
    this.untrackOwner(path, node.stat.ephemeralOwner);
  }

  /**
   * A node deleted with children left only happens in replay over a fuzzy snapshot: the walk
   * caught children created after this delete (their creates come later in the log). The live
   * tree had no such children, so they go too rather than stay behind unreachable. Besides matching
   * the live tree's digest, this keeps every node's parent ahead of it in `nodes`' insertion order,
   * which the snapshot walk (persist/wiring/tree-image.ts) relies on.
   */
  private dropDescendants(path: string, node: DataNode): void {
    const stack: Array<[string, DataNode]> = [[path, node]];
    while (stack.length > 0) {
      const [p, n] = stack.pop()!;
      for (const name of n.children) {
        const childPath = joinPath(p, name);
        const child = this.nodes.get(childPath);
        if (!child) continue;
        this.unlink(childPath, child);
        stack.push([childPath, child]);
      }
    }
  }

  /** DataTree.setData: `version` is the new version prep computed. */
  setData(path: string, data: Buffer | null, version: number, zxid: bigint, time: bigint): Stat {
    const n = this.nodes.get(path);
    if (!n) throw new TreeError(Err.noNode, path);
    this.hashOut(n);
    n.data = data;
    n.stat.mtime = time;
    n.stat.mzxid = zxid;
    n.stat.version = version;
    this.hashIn(path, n);
    this.events.dataChanged(path, zxid, n.acl);
    return statOf(n);
  }

  /** DataTree.setACL: `version` is the new aversion. No watch fires. */
  setACL(path: string, acl: ACL[], version: number): Stat {
    const n = this.nodes.get(path);
    if (!n) throw new TreeError(Err.noNode, path);
    this.hashOut(n);
    n.acl = this.acls.intern(acl);
    n.stat.aversion = version;
    this.hashIn(path, n);
    return statOf(n);
  }

  /**
   * Replay of a create that found its node already there (it was in a fuzzy snapshot): the txn's
   * ACL is the one the node was created with, and it repairs a ref the snapshot's ACL section was
   * written too early to hold. A later setACL in the log replays after it.
   */
  replaceAcl(path: string, acl: ACL[]): void {
    const n = this.nodes.get(path);
    if (n) n.acl = this.acls.intern(acl);
  }

  /** DataTree.setCversionPzxid (replay of a create that met an existing node). */
  setCversionPzxid(path: string, cversion: number, zxid: bigint): void {
    const n = this.nodes.get(path);
    if (!n) throw new TreeError(Err.noNode, path);
    const cv = cversion === -1 ? n.stat.cversion + 1 : cversion;
    if (cv > n.stat.cversion) {
      this.hashOut(n);
      n.stat.cversion = cv;
      n.stat.pzxid = zxid;
      this.hashIn(path, n);
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
