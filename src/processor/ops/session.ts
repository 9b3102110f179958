// createSession / closeSession txns. closeSession deletes the session's ephemerals: those in the
// tree plus pending creates, minus pending deletes (PrepRequestProcessor's closeSession case).
import { parentOf } from '../../data/node.js';
import { OpCode } from '../../proto/constants.js';
import { ChangeTable } from '../changes.js';
import type { ProcessorContext } from '../context.js';
import type { Request } from '../request.js';
import type { WriteOp } from './types.js';

export const createSession: WriteOp = {
  kind: 'write',
  codec: null,
  prep(_ctx, req) {
    return { type: OpCode.createSession, txn: { timeOut: (req.txn as { timeOut: number }).timeOut } };
  },
  respond() {},
};

function ephemeralsToDelete(ctx: ProcessorContext, sessionId: bigint): string[] {
  const es = new Set(ctx.tree.ephemeralsOf(sessionId));
  for (const c of ctx.changes.pending()) {
    if (c.stat === null) es.delete(c.path);
    else if (c.stat.ephemeralOwner === sessionId) es.add(c.path);
  }
  return [...es];
}

/**
 * The delete moves the parent's pzxid (DataTree.deleteNode); ZooKeeper records that in prep too
 * (with digests enabled) so the txn's predicted tree digest and later txns on the parent see it.
 * childCount is left as is, as ZooKeeper leaves it.
 */
function recordParentPzxid(ctx: ProcessorContext, path: string, zxid: bigint): void {
  const parent = ctx.changes.lookup(parentOf(path));
  if (!parent || parent.stat === null) return;
  const p2 = ChangeTable.duplicate(parent, zxid);
  p2.stat!.pzxid = zxid;
  ctx.changes.add(p2);
}

export const closeSession: WriteOp = {
  kind: 'write',
  codec: null,
  prep(ctx: ProcessorContext, req: Request, _rec, hdr) {
    const paths = ephemeralsToDelete(ctx, req.sessionId);
    for (const path of paths) {
      recordParentPzxid(ctx, path, hdr.zxid);
      ctx.changes.add({ zxid: hdr.zxid, path, stat: null, childCount: 0, acl: [], data: null });
    }
    ctx.sessions.setClosing(req.sessionId);
    return { type: OpCode.closeSession, txn: { paths2Delete: paths } };
  },
  respond() {},
};
