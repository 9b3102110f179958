// Outstanding changes (ZooKeeperServer.outstandingChanges / outstandingChangesForPath): prep sees
// the tree as it will be once every txn already prepped is applied, so pipelined requests (create
// /a then create /a/b before either commits) validate against each other.
import type { ACL } from '../data/acl.js';
import type { DataTree } from '../data/tree.js';
import { copyStat } from '../data/node.js';
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

/** Applied records at the front of the list are cut off in bulk once there are this many. */
const COMPACT_AT = 1024;

export class ChangeTable {
  /** Pending records in zxid order: list[head..] (applied ones are dropped from the front in bulk). */
  private list: ChangeRecord[] = [];
  private head = 0;
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

  /**
   * A copy of `c` stamped with `zxid`, to modify and add. Spelled out field by field: object spread
   * with an override took V8's slow cloning path (5% of the loop in bench/write's profile).
   */
  static duplicate(c: ChangeRecord, zxid: bigint): ChangeRecord {
    return { zxid, path: c.path, stat: c.stat === null ? null : copyStat(c.stat), childCount: c.childCount, acl: c.acl, data: c.data };
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
    while (this.list.length > this.head && this.list[this.list.length - 1]!.zxid === zxid) {
      this.byPath.delete(this.list.pop()!.path);
    }
    if (this.list.length === this.head) return;
    const first = this.list[this.head]!.zxid;
    for (const c of saved.values()) if (c.zxid >= first) this.byPath.set(c.path, c);
  }

  /** Final applied `zxid`: forget records up to it (FinalRequestProcessor's outstandingChanges pass). */
  applied(zxid: bigint): void {
    const list = this.list;
    let i = this.head;
    while (i < list.length && list[i]!.zxid <= zxid) {
      const c = list[i]!;
      list[i++] = undefined!; // no longer pending: let the GC have it before the next compaction
      if (this.byPath.get(c.path) === c) this.byPath.delete(c.path);
    }
    this.head = i;
    if (i === list.length) {
      list.length = 0;
      this.head = 0;
    } else if (i > COMPACT_AT && i * 2 > list.length) {
      this.list = list.slice(i);
      this.head = 0;
    }
  }

  /**
   * The records txn `zxid` added, when it is the newest pending txn (the sync stage's digest
   * predictor calls this right after prep): without a copy, for a read before the next change.
   */
  newest(zxid: bigint, visit: (c: ChangeRecord) => void): void {
    const list = this.list;
    let i = list.length;
    while (i > this.head && list[i - 1]!.zxid === zxid) i--;
    for (; i < list.length; i++) visit(list[i]!);
  }

  /** Pending records in zxid order (closeSession folds them into the session's ephemerals). */
  pending(): readonly ChangeRecord[] {
    return this.head === 0 ? this.list : this.list.slice(this.head);
  }
}
