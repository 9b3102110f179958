// Final (FinalRequestProcessor): apply the txn (which fires watches), then answer. The reply
// header's zxid is the tree's last processed zxid; error replies carry no body.
import { applyTxn, type TxnResult } from '../data/apply.js';
import { Err, OpCode, Xid } from '../proto/constants.js';
import { JuteError, JuteWriter } from '../proto/jute.js';
import type { ProcessorContext } from './context.js';
import { handlers } from './ops/index.js';
import { OpError, type Request } from './request.js';

const w = new JuteWriter(1024);

/** Applies a write's txn (if any) and forgets its pending changes. */
export function applyRequest(ctx: ProcessorContext, req: Request): TxnResult | null {
  if (!req.hdr) return null;
  const rc = applyTxn(ctx.tree, req.hdr, req.txn);
  ctx.changes.applied(req.hdr.zxid);
  if (req.hdr.type === OpCode.closeSession) {
    ctx.sessions.remove(req.sessionId);
    ctx.sessionClosed(req.sessionId);
  }
  return rc;
}

export function finalize(ctx: ProcessorContext, req: Request): void {
  const rc = applyRequest(ctx, req);
  if (req.onFinal) return req.onFinal(rc);
  const client = req.client;
  if (!client || client.closed) return;
  const xid = req.type === OpCode.ping ? Xid.ping : req.xid;
  w.reset().int(0).int(xid).long(0n).int(0);
  const err = writeBody(ctx, req, rc);
  if (err !== 0) w.offset = 20;
  w.patchInt(0, w.offset - 4);
  w.patchInt(16, err);
  writeZxid(ctx.tree.lastProcessedZxid);
  client.send(w.bytes());
  if (req.type === OpCode.closeSession) client.closeAfterFlush();
}

function writeZxid(zxid: bigint): void {
  const end = w.offset;
  w.offset = 8;
  w.long(zxid);
  w.offset = end;
}

/** Writes the response body after the header; returns the error code for the header. */
function writeBody(ctx: ProcessorContext, req: Request, rc: TxnResult | null): number {
  if (req.err !== 0) return req.err;
  const h = handlers.get(req.type);
  if (!h) return Err.unimplemented;
  if (h.kind === 'write') {
    if (rc!.type === OpCode.error || (rc!.err !== 0 && req.type !== OpCode.multi)) return rc!.err;
    h.respond(w, rc!);
    return 0;
  }
  try {
    h.run(ctx, req, w);
    return 0;
  } catch (e) {
    if (e instanceof OpError) return e.code;
    if (e instanceof JuteError) return Err.marshallingError;
    throw e;
  }
}
