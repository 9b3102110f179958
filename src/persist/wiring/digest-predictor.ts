// The tree digest a txn will leave behind, known when the txn is logged, before it is applied
// (PrepRequestProcessor.precalculateDigest). Prep leaves one ChangeRecord per node the txn
// changes, each the node's full state afterwards (stat null = deleted); the digest after the txn is
// the digest after the previous txn, minus each node's digest before, plus its digest after.
// "Before" is this predictor's own record for a path still pending, else the tree's cached digest.
// The tree takes the node digests computed here when it applies the same txn (digestAt) instead of
// hashing every changed node a second time.
import type { DataTree, PredictedDigests } from '../../data/tree.js';
import type { ChangeRecord, ChangeTable } from '../../processor/changes.js';
import { DigestSum, nodeDigest } from '../digest.js';

/**
 * Past this many remembered paths, those the tree has caught up with are dropped; the bar then
 * doubles over what is left, so a long pipelined burst prunes O(1) amortised per txn.
 */
const PRUNE_AT = 4096;

interface Pending {
  zxid: bigint;
  digest: number;
}

export class DigestPredictor implements PredictedDigests {
  private readonly pending = new Map<string, Pending>();
  private lastZxid = -1n;
  private readonly last = new DigestSum();
  private pruneAt = PRUNE_AT;
  /** The txn `after` is folding and the tree's last applied zxid then. */
  private zxid = 0n;
  private applied = 0n;

  constructor(private readonly tree: DataTree, private readonly changes: ChangeTable) {}

  /** The tree digest once txn `zxid`, prepped just now, is applied. Call in zxid order. */
  after(zxid: bigint): bigint {
    const applied = this.tree.lastProcessedZxid;
    if (this.lastZxid <= applied) this.last.copyFrom(this.tree.digestSum);
    this.applied = applied;
    this.zxid = zxid;
    this.changes.newest(zxid, this.fold);
    this.lastZxid = zxid;
    if (this.pending.size > this.pruneAt) this.prune(applied);
    return this.last.value;
  }

  /** One node's change: its digest before leaves the running sum, its digest after joins it. */
  private readonly fold = (c: ChangeRecord): void => {
    const next = c.stat === null ? 0 : nodeDigest(c.path, c.data, c.stat);
    this.last.sub(this.before(c.path, this.applied));
    this.last.add(next);
    this.remember(c.path, this.zxid, next);
  };

  /** PredictedDigests: the digest this predictor computed for `path` as txn `zxid` leaves it. */
  digestAt(path: string, zxid: bigint): number {
    const p = this.pending.get(path);
    return p !== undefined && p.zxid === zxid ? p.digest : -1;
  }

  private remember(path: string, zxid: bigint, digest: number): void {
    const p = this.pending.get(path);
    if (p === undefined) this.pending.set(path, { zxid, digest });
    else {
      p.zxid = zxid;
      p.digest = digest;
    }
  }

  private before(path: string, applied: bigint): number {
    const p = this.pending.get(path);
    return p !== undefined && p.zxid > applied ? p.digest : this.tree.nodeDigestOf(path);
  }

  private prune(applied: bigint): void {
    for (const [path, p] of this.pending) if (p.zxid <= applied) this.pending.delete(path);
    this.pruneAt = Math.max(PRUNE_AT, this.pending.size * 2);
  }
}
