// Outstanding changes (ZooKeeperServer.outstandingChanges / outstandingChangesForPath): prep sees
// the tree as it will be once every txn already prepped is applied, so pipelined requests (create
// /a then create /a/b before either commits) validate against each other.
import type { ACL } from '../data/acl.js';
import type { DataTree } from '../data/tree.js';
import type { StatPersisted } from '../proto/records/data.js';
import { Err } from '../proto/constants.js';
import { OpError } from './request.js';

export interface ChangeRecord {
  zxid: bigint;
  path: string;
  /** null: the node is (to be) deleted. */
  stat: StatPersisted | null;
  childCount: number;
  acl: ACL[];
  data: Buffer | null;
}

export class ChangeTable {
  private readonly list: ChangeRecord[] = [];
  private readonly byPath = new Map<string, ChangeRecord>();

  constructor(private readonly tree: DataTree) {}

  /** getRecordForPath: the latest pending view of `path`, or the tree's; NoNode when absent. */
  get(path: string): ChangeRecord {
    const c = this.lookup(path);
    if (!c || c.stat === null) throw new OpError(Err.noNode, path);
    return c;
  }

  /** The pending or current record, deleted ones included; undefined when neither knows it. */
  lookup(path: string): ChangeRecord | undefined {
    const c = this.byPath.get(path);
    if (c) return c;
    const n = this.tree.get(path);
    if (!n) return undefined;
    return { zxid: -1n, path, stat: n.stat, childCount: n.children.size, acl: n.acl, data: n.data };
  }

  /** A copy of `c` stamped with `zxid`, to modify and add. */
  static duplicate(c: ChangeRecord, zxid: bigint): ChangeRecord {
    return { ...c, zxid, stat: c.stat ? { ...c.stat } : null };
  }

  add(c: ChangeRecord): void {
    this.list.push(c);
    this.byPath.set(c.path, c);
  }

  /** Pending records for `paths` (multi saves these before its ops, to roll back to). */
  snapshot(paths: Iterable<string>): Map<string, ChangeRecord> {
    const out = new Map<string, ChangeRecord>();
    for (const p of paths) {
      const c = this.byPath.get(p);
      if (c) out.set(p, c);
    }
    return out;
  }

  /** rollbackPendingChanges: drop the records of `zxid`, restore the saved ones still pending. */
  rollback(zxid: bigint, saved: Map<string, ChangeRecord>): void {
    while (this.list.length > 0 && this.list[this.list.length - 1]!.zxid === zxid) {
      this.byPath.delete(this.list.pop()!.path);
    }
    if (this.list.length === 0) return;
    const first = this.list[0]!.zxid;
    for (const c of saved.values()) if (c.zxid >= first) this.byPath.set(c.path, c);
  }

  /** Final applied `zxid`: forget records up to it (FinalRequestProcessor's outstandingChanges pass). */
  applied(zxid: bigint): void {
    let i = 0;
    while (i < this.list.length && this.list[i]!.zxid <= zxid) {
      const c = this.list[i++]!;
      if (this.byPath.get(c.path) === c) this.byPath.delete(c.path);
    }
    if (i > 0) this.list.splice(0, i);
  }

  /** Paths of pending records (closeSession folds them into the session's ephemerals). */
  pending(): readonly ChangeRecord[] {
    return this.list;
  }
}
