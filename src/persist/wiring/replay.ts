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
  constructor(private readonly tree: DataTree, readonly sessions: Map<bigint, number>, private readonly snapDigest: ZxidDigest | null) {
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
    if (rec.digest && rec.digest.version === DIGEST_VERSION) this.compare(hdr.zxid, rec.digest.treeDigest);
    this.checkSnapshotDigest();
  }

  private checkSnapshotDigest(): void {
    const d = this.snapDigest;
    if (!d || d.zxid === 0n || d.digestVersion !== DIGEST_VERSION || d.zxid !== this.tree.lastProcessedZxid) return;
    this.compare(d.zxid, d.digest);
  }

  private compare(zxid: bigint, expected: bigint): void {
    if (expected === this.tree.digest) return;
    this.report.digestMismatches++;
    this.report.firstMismatchZxid ??= zxid;
  }
}
