// The chain: prep at once, writes through the sync stage, final in order. Replies to a session
// keep its request order and a read never overtakes that session's earlier writes: each session
// has a queue, and its head runs as soon as it is ready (CommitProcessor's per-session queues).
import type { ProcessorContext } from './context.js';
import { finalize } from './final.js';
import { prep } from './prep.js';
import type { Request } from './request.js';
import { SyncStage, type TxnLog } from './sync.js';

export class Pipeline {
  private readonly queues = new Map<bigint, Request[]>();
  private readonly sync: SyncStage;

  constructor(private readonly ctx: ProcessorContext, log: TxnLog, onLogFailure: (err: unknown) => void) {
    this.sync = new SyncStage(log, (batch) => this.committed(batch), onLogFailure);
  }

  submit(req: Request): void {
    prep(this.ctx, req);
    if (req.hdr) {
      this.queueOf(req.sessionId).push(req);
      this.sync.push(req);
      return;
    }
    req.ready = true;
    const q = this.queues.get(req.sessionId);
    // Nothing of this session ahead of it (the common read): answer without queueing.
    if (q === undefined) return finalize(this.ctx, req);
    q.push(req);
    if (q.length === 1) this.drain(req.sessionId);
  }

  /** Requests not yet answered, for the stat/mntr counters. */
  outstanding(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }

  private queueOf(sessionId: bigint): Request[] {
    let q = this.queues.get(sessionId);
    if (!q) this.queues.set(sessionId, (q = []));
    return q;
  }

  /** Durable writes apply in zxid order; after each, its session's ready requests are answered. */
  private committed(batch: Request[]): void {
    for (const req of batch) {
      req.ready = true;
      this.drain(req.sessionId);
    }
  }

  private drain(sessionId: bigint): void {
    const q = this.queues.get(sessionId);
    if (!q) return;
    while (q.length > 0 && q[0]!.ready) finalize(this.ctx, q.shift()!);
    if (q.length === 0) this.queues.delete(sessionId);
  }
}
