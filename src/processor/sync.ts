// Sync (SyncRequestProcessor): txns are appended to the log and made durable before final runs.
// Group commit: while one commit is in flight, later txns queue and the next commit covers them
// all. The in-memory log commits at once; the durable log comes with persistence.
import type { TxnHeader } from '../proto/records/txn.js';
import { encodeTxn } from '../proto/records/txncodec.js';
import type { Request } from './request.js';

export interface TxnLog {
  append(hdr: TxnHeader, txnBytes: Buffer): void;
  commit(): Promise<void>;
}

export class MemoryTxnLog implements TxnLog {
  count = 0;
  append(): void {
    this.count++;
  }
  commit(): Promise<void> {
    return Promise.resolve();
  }
}

export class SyncStage {
  private waiting: Request[] = [];
  private inFlight = false;

  constructor(
    private readonly log: TxnLog,
    private readonly onDurable: (batch: Request[]) => void,
    private readonly onFailure: (err: unknown) => void,
  ) {}

  /** Appends at once (log order = zxid order) and schedules a commit after this turn's frames. */
  push(req: Request): void {
    this.log.append(req.hdr!, encodeTxn(req.hdr!.type, req.txn));
    this.waiting.push(req);
    if (!this.inFlight) {
      this.inFlight = true;
      queueMicrotask(() => this.commit());
    }
  }

  private commit(): void {
    const batch = this.waiting;
    this.waiting = [];
    this.log.commit().then(
      () => this.done(batch),
      (err) => this.onFailure(err),
    );
  }

  private done(batch: Request[]): void {
    this.onDurable(batch);
    if (this.waiting.length > 0) this.commit();
    else this.inFlight = false;
  }
}
