// Final (FinalRequestProcessor): apply the txn (which fires watches), then answer. The reply
// header's zxid is the tree's last processed zxid; error replies carry no body. Every request of
// a connection is reported back to it (updateStats: latency, last operation, throttling).
import { applyTxn, type TxnResult } from '../data/apply.js';
import { Err, OpCode, Xid } from '../proto/constants.js';
import { JuteError, JuteWriter } from '../proto/jute.js';
import type { ProcessorContext } from './context.js';
import { handlers } from './ops/index.js';
import { OpError, type Client, type Request } from './request.js';

/** A client that copies a reply out of final's writer itself (Connection: into its segment). */
type CopyingClient = Client & { sendCopy?(bytes: Uint8Array): void };

const w = new JuteWriter(1024);

/** The short names FinalRequestProcessor records as a connection's last operation (cons "lop"). */
const OP_NAMES = new Map<number, string>([
  [OpCode.ping, 'PING'], [OpCode.createSession, 'SESS'], [OpCode.multi, 'MULT'], [OpCode.multiRead, 'MLTR'],
  [OpCode.create, 'CREA'], [OpCode.create2, 'CREA'], [OpCode.createTTL, 'CREA'], [OpCode.createContainer, 'CREA'],
  [OpCode.delete, 'DELE'], [OpCode.deleteContainer, 'DELE'], [OpCode.setData, 'SETD'], [OpCode.reconfig, 'RECO'],
  [OpCode.setACL, 'SETA'], [OpCode.closeSession, 'CLOS'], [OpCode.sync, 'SYNC'], [OpCode.check, 'CHEC'],
  [OpCode.exists, 'EXIS'], [OpCode.getData, 'GETD'], [OpCode.setWatches, 'SETW'], [OpCode.setWatches2, 'STW2'],
  [OpCode.addWatch, 'ADDW'], [OpCode.getACL, 'GETA'], [OpCode.getChildren, 'GETC'], [OpCode.getChildren2, 'GETC'],
  [OpCode.getAllChildrenNumber, 'GETACN'], [OpCode.checkWatches, 'CHKW'], [OpCode.removeWatches, 'REMW'],
  [OpCode.whoAmI, 'HOMI'], [OpCode.getEphemerals, 'GETE'],
]);

/** A request that failed in prep (error txn, or a prep-level code) is thrown before lastOp is set: "NA". */
function lastOp(req: Request): string {
  if (req.hdr?.type === OpCode.error || req.err !== 0) return 'NA';
  return OP_NAMES.get(req.type) ?? 'NA';
}

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

/**
 * A successful check outside multi is answered with SetDataResponse(rc.stat), and rc.stat is
 * null: ZooKeeper 3.8's serializer throws, the connection logs "Destruction averted" and the
 * client gets no reply at all (the txn is applied, the connection stays open). Verified against
 * 3.8.0 with a raw client; watchkeeper matches it.
 */
function unanswerable(req: Request, rc: TxnResult | null): boolean {
  return req.type === OpCode.check && rc !== null && rc.type === OpCode.check && rc.err === 0;
}

export function finalize(ctx: ProcessorContext, req: Request): void {
  const rc = applyRequest(ctx, req);
  const client = req.client;
  const zxid = ctx.tree.lastProcessedZxid;
  if (req.onFinal) {
    client?.replied?.(req, zxid, lastOp(req), false);
    return req.onFinal(rc);
  }
  if (!client) return;
  const silent = client.closed || unanswerable(req, rc);
  if (!silent) sendReply(client, replyFrame(ctx, req, rc, zxid));
  client.replied?.(req, zxid, lastOp(req), !silent);
  if (req.type === OpCode.closeSession && !client.closed) client.closeAfterFlush();
}

/** The frame is a view of the shared writer: copied once, straight into the client's output. */
function sendReply(client: CopyingClient, frame: Uint8Array): void {
  if (client.sendCopy) client.sendCopy(frame);
  else client.send(Buffer.from(frame));
}

/** Builds the reply in the shared writer; the view returned lasts until the next reply. */
function replyFrame(ctx: ProcessorContext, req: Request, rc: TxnResult | null, zxid: bigint): Uint8Array {
  const xid = req.type === OpCode.ping ? Xid.ping : req.xid;
  w.reset().int(0).int(xid).long(zxid).int(0);
  const err = writeBody(ctx, req, rc);
  if (err !== 0) w.offset = 20;
  w.patchInt(0, w.offset - 4);
  w.patchInt(16, err);
  return w.written();
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
