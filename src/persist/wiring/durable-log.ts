// The sync stage's TxnLog on disk: each txn goes to the TxnLogWriter with the tree digest it will
// leave (TxnDigest, as ZooKeeper 3.8 writes), is counted towards the next snapshot, and commit()
// is the writer's group commit (one write + one fdatasync for everything queued).
import type { TxnHeader } from '../../proto/records/txn.js';
import type { TxnLog } from '../../processor/sync.js';
import type { TxnLogWriter } from '../txn-log.js';
import { DIGEST_VERSION } from '../types.js';
import type { DigestPredictor } from './digest-predictor.js';
import type { SnapshotSchedule } from './snapshot-schedule.js';

interface Attached {
  writer: TxnLogWriter;
  predictor: DigestPredictor;
  schedule: SnapshotSchedule;
}

export class DurableTxnLog implements TxnLog {
  private parts: Attached | null = null;

  /** Overlapping write + fdatasync rounds (see txn-log.ts); 1 = one fsync at a time. */
  constructor(readonly maxRounds = 4) {}

  /** Recovery is async and the chain is built first: the parts arrive once the log is open. */
  attach(parts: Attached): void {
    this.parts = parts;
  }

  append(hdr: TxnHeader, txnBytes: Buffer): void {
    const p = this.parts;
    if (!p) throw new Error('transaction log is not open');
    p.writer.append(hdr, txnBytes, { version: DIGEST_VERSION, treeDigest: p.predictor.after(hdr.zxid) });
    p.schedule.logged();
  }

  commit(): Promise<void> {
    return this.parts ? this.parts.writer.commit() : Promise.resolve();
  }
}
