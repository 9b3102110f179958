// A test-side model of ZooKeeper's DataTree, just enough to replay txns the way
// DataTree.processTxn does (create with parentCVersion, delete bumping pzxid, setData, setACL,
// sessions, multi) and keep the tree digest the way NodeHashMapImpl does. It lets the interop
// tests check our readers against what a real ZooKeeper served, and produce txns (with correct
// digests) for ZooKeeper to load.
import { TreeDigest, type ACL, type SnapshotContent, type SnapshotNode, type StatPersisted, type TxnRecord } from '../../src/persist/index.js';
import { decodeTxn, OPEN_ACL, type Decoded } from '../unit/persist/txn-codec.js';

export interface MNode {
  data: Buffer | null;
  acl: ACL[];
  stat: StatPersisted;
  children: Set<string>;
}

export interface DumpNode {
  data: string | null;
  acl: [number, string, string][];
  stat: number[];
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}

export class Model {
  nodes = new Map<string, MNode>();
  sessions = new Map<bigint, number>();
  digest = new TreeDigest();
  lastZxid = 0n;

  static fromSnapshot(s: SnapshotContent): Model {
    const m = new Model();
    for (const [id, to] of s.sessions) m.sessions.set(id, to);
    for (const n of s.nodes) {
      const acl = n.aclRef === -1n ? OPEN_ACL : s.acls.get(n.aclRef)!;
      m.put(n.path, { data: n.data, acl, stat: { ...n.stat }, children: new Set() });
      if (n.path !== '') m.nodes.get(parentOf(n.path))!.children.add(n.path.slice(n.path.lastIndexOf('/') + 1));
    }
    m.lastZxid = s.zxid;
    return m;
  }

  private put(path: string, n: MNode): void {
    this.nodes.set(path, n);
    this.digest.add(path, n.data, n.stat);
  }

  /** Runs `change` on a node between NodeHashMapImpl's preChange and postChange. */
  private change(path: string, change: (n: MNode) => void): void {
    const n = this.nodes.get(path);
    if (!n) return;
    this.digest.remove(path, n.data, n.stat);
    change(n);
    this.digest.add(path, n.data, n.stat);
  }

  apply(rec: TxnRecord): void {
    this.applyDecoded(rec.header, decodeTxn(rec.header.type, rec.body));
    if (rec.header.zxid > this.lastZxid) this.lastZxid = rec.header.zxid;
  }

  private applyDecoded(h: TxnRecord['header'], t: Decoded): void {
    if (t.type === 'create') this.create(h.zxid, h.time, t.path, t.data, t.acl, t.ephemeral ? h.clientId : t.container ? -(2n ** 63n) : 0n, t.parentCVersion);
    else if (t.type === 'delete') this.delete(t.path, h.zxid);
    else if (t.type === 'setData') this.change(t.path, (n) => { n.data = t.data; n.stat.mtime = h.time; n.stat.mzxid = h.zxid; n.stat.version = t.version; });
    else if (t.type === 'setACL') this.change(t.path, (n) => { n.acl = t.acl; n.stat.aversion = t.version; });
    else if (t.type === 'createSession') this.sessions.set(h.clientId, t.timeout);
    else if (t.type === 'closeSession') this.closeSession(h.clientId, h.zxid, t.paths);
    // DataTree.processTxn turns every part of a multi holding an ErrorTxn into an error: a
    // failed multi changes nothing, though it is logged with the parts prepared before the failure.
    else if (t.type === 'multi' && !t.parts.some((p) => p.type === 'error')) for (const p of t.parts) this.applyDecoded(h, p);
  }

  create(zxid: bigint, time: bigint, path: string, data: Buffer | null, acl: ACL[], owner: bigint, parentCVersion: number): void {
    const parentPath = parentOf(path);
    const parent = this.nodes.get(parentPath);
    if (!parent) return;
    const existing = this.nodes.get(path);
    if (existing) existing.acl = acl; // DataTree.createNode replaces the ACL before NodeExists
    this.change(parentPath, (p) => {
      const cv = parentCVersion === -1 ? p.stat.cversion + 1 : parentCVersion;
      if (cv > p.stat.cversion) {
        p.stat.cversion = cv;
        p.stat.pzxid = zxid;
      }
      if (!existing) p.children.add(path.slice(path.lastIndexOf('/') + 1));
    });
    if (existing) return;
    const stat: StatPersisted = { czxid: zxid, mzxid: zxid, ctime: time, mtime: time, version: 0, cversion: 0, aversion: 0, ephemeralOwner: owner, pzxid: zxid };
    this.put(path, { data, acl, stat, children: new Set() });
  }

  delete(path: string, zxid: bigint): void {
    const parentPath = parentOf(path);
    this.change(parentPath, (p) => {
      p.children.delete(path.slice(path.lastIndexOf('/') + 1));
      if (zxid > p.stat.pzxid) p.stat.pzxid = zxid;
    });
    const n = this.nodes.get(path);
    if (!n) return;
    this.digest.remove(path, n.data, n.stat);
    this.nodes.delete(path);
  }

  private closeSession(id: bigint, zxid: bigint, paths: string[]): void {
    this.sessions.delete(id);
    for (const p of paths) this.delete(p, zxid);
    for (const [p, n] of [...this.nodes]) if (n.stat.ephemeralOwner === id) this.delete(p, zxid);
  }

  /** Nodes in DataTree.serializeNode order (depth first, parent first), root as "". */
  *snapshotNodes(aclRef: (acl: ACL[]) => bigint): Generator<SnapshotNode> {
    const walk = function* (this: Model, path: string): Generator<SnapshotNode> {
      const n = this.nodes.get(path)!;
      yield { path, data: n.data, aclRef: aclRef(n.acl), stat: { ...n.stat } };
      for (const c of n.children) yield* walk.call(this, `${path}/${c}`);
    };
    yield* walk.call(this, '');
  }

  /** The model as zk_tree.py dumps a live server: "/"-rooted paths, kazoo's Stat order. */
  toDump(): Map<string, DumpNode> {
    const out = new Map<string, DumpNode>();
    for (const [path, n] of this.nodes) {
      const s = n.stat;
      // DataNode.copyStat: the stored cversion counts creates only; clients see creates plus
      // deletes, i.e. cversion * 2 - numChildren.
      const cversion = s.cversion * 2 - n.children.size;
      out.set(path === '' ? '/' : path, {
        data: n.data && n.data.length > 0 ? n.data.toString('base64') : '',
        acl: n.acl.map((a) => [a.perms, a.id.scheme, a.id.id]),
        stat: [s.czxid, s.mzxid, s.ctime, s.mtime, s.version, cversion, s.aversion, s.ephemeralOwner, n.data?.length ?? 0, n.children.size, s.pzxid].map(Number),
      });
    }
    return out;
  }
}

/** zk_tree.py output, normalized the way Model.toDump writes it (null and empty data alike). */
export function normalizeDump(nodes: Record<string, DumpNode>): Map<string, DumpNode> {
  const out = new Map<string, DumpNode>();
  for (const [p, n] of Object.entries(nodes)) out.set(p, { ...n, data: n.data ?? '' });
  return out;
}
