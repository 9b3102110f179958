// Prep (PrepRequestProcessor): decode the request record, and for state-changing requests take
// the next zxid and build the txn. A failing write still consumes its zxid and becomes an error
// txn carrying the code; a failing read is answered by final.
import { Err, OpCode } from '../proto/constants.js';
import { JuteError, JuteReader } from '../proto/jute.js';
import { ErrorTxnRec } from '../proto/records/txn.js';
import type { ProcessorContext } from './context.js';
import { handlers } from './ops/index.js';
import { OpError, type Request } from './request.js';

export function prep(ctx: ProcessorContext, req: Request): void {
  const h = handlers.get(req.type);
  if (!h || h.kind === 'read') return;
  let rec: unknown = null;
  try {
    rec = h.codec ? h.codec.read(new JuteReader(req.body)) : null;
  } catch (e) {
    if (!(e instanceof JuteError)) throw e;
    req.err = Err.marshallingError; // no txn: ZooKeeper would log an error txn under a reused zxid
    return;
  }
  req.hdr = { clientId: req.sessionId, cxid: req.xid, zxid: ctx.nextZxid(), time: BigInt(Date.now()), type: req.type };
  try {
    const p = h.prep(ctx, req, rec, req.hdr);
    req.hdr.type = p.type;
    req.txn = p.txn;
  } catch (e) {
    if (!(e instanceof OpError)) throw e;
    req.hdr.type = OpCode.error;
    req.txn = { err: e.code };
  }
}

/** The txn record's codec for the log: ErrorTxn for failed writes. */
export { ErrorTxnRec };
