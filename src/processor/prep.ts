// Prep (PrepRequestProcessor): for state-changing requests take the next zxid, decode the request
// record and build the txn. A failing write (undecodable ones included) still consumes its zxid and
// becomes an error txn carrying the code; a failing read is answered by final.
import { Err, OpCode } from '../proto/constants.js';
import { JuteError, JuteReader } from '../proto/jute.js';
import { ErrorTxnRec } from '../proto/records/txn.js';
import type { ProcessorContext } from './context.js';
import { handlers } from './ops/index.js';
import { OpError, type Request } from './request.js';

export function prep(ctx: ProcessorContext, req: Request): void {
  const h = handlers.get(req.type);
  if (!h || h.kind === 'read') return;
  req.hdr = { clientId: req.sessionId, cxid: req.xid, zxid: ctx.nextZxid(), time: BigInt(Date.now()), type: req.type };
  try {
    const rec = h.codec ? h.codec.read(new JuteReader(req.body)) : null;
    const p = h.prep(ctx, req, rec, req.hdr);
    req.hdr.type = p.type;
    req.txn = p.txn;
  } catch (e) {
    // pRequest2Txn sets the header before decoding, so an undecodable record still takes its zxid
    // and is logged as an ErrorTxn: the client gets MarshallingError and the connection stays open
    // (verified against 3.8.0).
    const code = e instanceof OpError ? e.code : e instanceof JuteError ? Err.marshallingError : null;
    if (code === null) throw e;
    req.hdr.type = OpCode.error;
    req.txn = { err: code };
  }
}

/** The txn record's codec for the log: ErrorTxn for failed writes. */
export { ErrorTxnRec };
