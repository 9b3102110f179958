// The tree digest a txn will leave behind, known when the txn is logged, before it is applied
// (PrepRequestProcessor.precalculateDigest). Prep leaves one ChangeRecord per node the txn
// changes, each the node's full state afterwards (stat null = deleted); the digest after the txn is
// the digest after the previous txn, minus each node's digest before, plus its digest after.
// "Before" is this predictor's own record for a path still pending, else the tree's cached digest.
import type { DataTree } from '../../data/tree.js';
import type { ChangeTable } from '../../processor/changes.js';
import { nodeDigest } from '../digest.js';

/**
 * Past this many remembered paths, those the tree has caught up with are dropped; the bar then
 * doubles over what is left, so a long pipelined burst prunes O(1) amortised per txn.
 */
const PRUNE_AT = 4096;

interface Pending {
  zxid: bigint;
  digest: bigint;
}

export class DigestPredictor {
  private readonly pending = new Map<string, Pending>();
  private lastZxid = -1n;
  private lastDigest = 0n;
  private pruneAt = PRUNE_AT;

  constructor(private readonly tree: DataTree, private readonly changes: ChangeTable) {}

  /** The tree digest once txn `zxid`, prepped just now, is applied. Call in zxid order. */
  after(zxid: bigint): bigint {
    const applied = this.tree.lastProcessedZxid;
    let digest = this.lastZxid > applied ? this.lastDigest : this.tree.digest;
    const list = this.changes.pending();
    let i = list.length;
    while (i > 0 && list[i - 1]!.zxid === zxid) i--;
    for (; i < list.length; i++) {
      const c = list[i]!;
      const next = c.stat === null ? 0n : nodeDigest(c.path, c.data, c.stat);
      digest = BigInt.asIntN(64, digest - this.before(c.path, applied) + next);
      this.pending.set(c.path, { zxid, digest: next });
    }
    this.lastZxid = zxid;
    this.lastDigest = digest;
    if (this.pending.size > this.pruneAt) this.prune(applied);
    return digest;
  }

  private before(path: string, applied: bigint): bigint {
    const p = this.pending.get(path);
    return p !== undefined && p.zxid > applied ? p.digest : this.tree.nodeDigestOf(path);
  }

  private prune(applied: bigint): void {
    for (const [path, p] of this.pending) if (p.zxid <= applied) this.pending.delete(path);
    this.pruneAt = Math.max(PRUNE_AT, this.pending.size * 2);
  }
}
