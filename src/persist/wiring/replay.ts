// Startup replay (FileTxnSnapLog.restore + ZKDatabase's playback listener): every txn logged after
// the snapshot goes through the same applyTxn the live server uses, which tolerates txns a fuzzy
// snapshot already reflects (NodeExists / NoNode change nothing). Session txns rebuild the session
// table, and each txn's logged digest is compared with the tree's (DataTree.compareDigest).
import { applyTxn } from '../../data/apply.js';
import type { DataTree } from '../../data/tree.js';
import { OpCode } from '../../proto/constants.js';
import { decodeTxn } from '../../proto/records/txncodec.js';
import { DIGEST_VERSION, type TxnRecord, type ZxidDigest } from '../types.js';

export interface ReplayReport {
  txns: number;
  /** Logged (or snapshot) digests that differ from the tree's after the same zxid. */
  digestMismatches: number;
  firstMismatchZxid: bigint | null;
}

export class Replayer {
  readonly report: ReplayReport = { txns: 0, digestMismatches: 0, firstMismatchZxid: null };

  /**
   * `sessions` (id -> timeout) starts as the snapshot's and is kept current; `snapDigest` is the
   * digest a snapshot recorded for the zxid its walk ended at, checked when replay reaches it.
   */
  /** Until replay reaches the snapshot's digest zxid the tree is fuzzy: txn digests cannot match. */
  private snapDigest: ZxidDigest | null;

  constructor(private readonly tree: DataTree, readonly sessions: Map<bigint, number>, snapDigest: ZxidDigest | null) {
    const usable = snapDigest && snapDigest.zxid !== 0n && snapDigest.digestVersion === DIGEST_VERSION;
    this.snapDigest = usable ? snapDigest : null;
    this.checkSnapshotDigest();
  }

  async run(txns: AsyncIterable<TxnRecord>): Promise<ReplayReport> {
    for await (const rec of txns) this.apply(rec);
    return this.report;
  }

  apply(rec: TxnRecord): void {
    const hdr = rec.header;
    const txn = decodeTxn(hdr.type, rec.body);
    applyTxn(this.tree, hdr, txn);
    if (hdr.type === OpCode.createSession) this.sessions.set(hdr.clientId, txn.timeOut);
    else if (hdr.type === OpCode.closeSession) this.sessions.delete(hdr.clientId);
    this.report.txns++;
    this.checkSnapshotDigest();
    // DataTree.compareDigest: no comparison while the tree may still be ahead of the log.
    if (!this.snapDigest && rec.digest && rec.digest.version === DIGEST_VERSION) this.compare(hdr.zxid, rec.digest.treeDigest);
  }

  /** DataTree.compareSnapshotDigests: once replay reaches the zxid the snapshot's walk ended at. */
  private checkSnapshotDigest(): void {
    const d = this.snapDigest;
    if (!d || this.tree.lastProcessedZxid < d.zxid) return;
    if (this.tree.lastProcessedZxid === d.zxid) this.compare(d.zxid, d.digest);
    this.snapDigest = null;
  }

  private compare(zxid: bigint, expected: bigint): void {
    if (expected === this.tree.digest) return;
    this.report.digestMismatches++;
    this.report.firstMismatchZxid ??= zxid;
  }
}
