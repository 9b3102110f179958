// Sync (SyncRequestProcessor): txns are appended to the log and made durable before final runs.
// Group commit: while a commit is in flight, later txns queue and the next commit covers them all.
// A log may allow several commits in flight (maxRounds): each covers what was appended before it,
// and batches still reach final strictly in log order, so a reply never leaves before every txn
// logged ahead of it is durable too.
import type { TxnHeader } from '../proto/records/txn.js';
import { encodeTxnView } from '../proto/records/txncodec.js';
import type { Request } from './request.js';

export interface TxnLog {
  /** `txnBytes` is a scratch view, valid only during the call: copy what must outlive it. */
  append(hdr: TxnHeader, txnBytes: Buffer): void;
  /** Resolves once everything appended before the call is durable. */
  commit(): Promise<void>;
  /** Commits the sync stage may keep in flight at once; 1 (the default) is ZooKeeper's scheme. */
  readonly maxRounds?: number;
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

/** One commit in flight: its batch is handed on once it and every earlier round are durable. */
interface Round {
  batch: Request[];
  durable: boolean;
}

export class SyncStage {
  private waiting: Request[] = [];
  private readonly rounds: Round[] = [];
  private running = 0;
  private scheduled = false;
  private readonly maxRounds: number;

  constructor(
    private readonly log: TxnLog,
    private readonly onDurable: (batch: Request[]) => void,
    private readonly onFailure: (err: unknown) => void,
  ) {
    this.maxRounds = Math.max(1, log.maxRounds ?? 1);
  }

  /**
   * Appends at once (log order = zxid order) and starts a commit once this turn's frames are in:
   * setImmediate runs after the poll phase has read every ready socket, so one round covers all
   * connections' requests of the turn. (A microtask, run after the first socket's callback, gave
   * more, smaller rounds and fewer acknowledged writes per second in bench/write.)
   */
  push(req: Request): void {
    this.log.append(req.hdr!, encodeTxnView(req.hdr!.type, req.txn));
    this.waiting.push(req);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.startRound();
      });
    }
  }

  private startRound(): void {
    if (this.waiting.length === 0 || this.running >= this.maxRounds) return;
    const round: Round = { batch: this.waiting, durable: false };
    this.waiting = [];
    this.rounds.push(round);
    this.running++;
    this.log.commit().then(
      () => {
        round.durable = true;
        this.running--;
        this.release();
      },
      (err) => this.onFailure(err),
    );
  }

  /** Hands on every durable round at the head, in order, then starts the next commit. */
  private release(): void {
    while (this.rounds.length > 0 && this.rounds[0]!.durable) this.onDurable(this.rounds.shift()!.batch);
    this.startRound();
  }
}
