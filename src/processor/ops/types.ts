// The two shapes of operation handler: writes prep a txn and answer from its result; reads run
// at final time against the tree. Both throw OpError for a KeeperException.
import type { TxnResult } from '../../data/apply.js';
import type { JuteWriter } from '../../proto/jute.js';
import type { Codec } from '../../proto/schema.js';
import type { TxnHeader } from '../../proto/records/txn.js';
import type { ProcessorContext } from '../context.js';
import type { Request } from '../request.js';

export interface Prepped {
  /** Txn type, usually the op code (create2 logs as create2). */
  type: number;
  txn: unknown;
}

export interface WriteOp {
  kind: 'write';
  codec: Codec<any> | null;
  /** Validates against the pending view, records the change, returns the txn. */
  prep(ctx: ProcessorContext, req: Request, rec: any, hdr: TxnHeader): Prepped;
  /** Writes the success response body (nothing for delete/closeSession). */
  respond(w: JuteWriter, rc: TxnResult): void;
}

export interface ReadOp {
  kind: 'read';
  /** Writes the response body; throws OpError for an error reply. */
  run(ctx: ProcessorContext, req: Request, w: JuteWriter): void;
}

export type OpHandler = WriteOp | ReadOp;
