// delete and deleteContainer (PrepRequestProcessor.pRequest2Txn). The parent's cversion is not
// bumped by a delete, only its pzxid (as DataTree.deleteNode).
import { ephemeralKind } from '../../data/ephemeral.js';
import { Err, OpCode, Perms } from '../../proto/constants.js';
import { DeleteRequestRec } from '../../proto/records/requests.js';
import type { TxnHeader } from '../../proto/records/txn.js';
import { ChangeTable } from '../changes.js';
import { requirePerm, type ProcessorContext } from '../context.js';
import { OpError, type Request } from '../request.js';
import { nextVersion, parentForDelete } from './pathcheck.js';
import type { WriteOp } from './types.js';
import type { Codec } from '../../proto/schema.js';

function recordDelete(ctx: ProcessorContext, parentPath: string, path: string, zxid: bigint): void {
  const parent = ChangeTable.duplicate(ctx.changes.get(parentPath), zxid);
  parent.childCount--;
  parent.stat!.pzxid = zxid;
  ctx.changes.add(parent);
  ctx.changes.add({ zxid, path, stat: null, childCount: -1, acl: [], data: null });
}

export const del: WriteOp = {
  kind: 'write',
  codec: DeleteRequestRec,
  prep(ctx: ProcessorContext, req: Request, rec: { path: string; version: number }, hdr: TxnHeader) {
    const path = rec.path;
    const parentPath = parentForDelete(path);
    requirePerm(ctx, req, ctx.changes.get(parentPath).acl, Perms.DELETE, path);
    const node = ctx.changes.get(path);
    nextVersion(node.stat!.version, rec.version, path);
    if (node.childCount > 0) throw new OpError(Err.notEmpty, path);
    recordDelete(ctx, parentPath, path, hdr.zxid);
    return { type: OpCode.delete, txn: { path } };
  },
  respond() {},
};

/** DeleteContainerRequest is not a jute record: the body is the path's UTF-8 bytes, nothing else. */
const rawPath: Codec<{ path: string }> = {
  read(r) {
    const path = Buffer.from(r.buf.subarray(r.offset, r.end)).toString('utf8');
    r.offset = r.end;
    return { path };
  },
  write(w, v) {
    w.raw(Buffer.from(v.path, 'utf8'));
  },
};
export const DeleteContainerRequestRec = rawPath;

/** deleteContainer (the ContainerManager's own request; clients may send it too): no ACL check. */
export const deleteContainer: WriteOp = {
  kind: 'write',
  codec: rawPath,
  prep(ctx, _req, rec: { path: string }, hdr) {
    const path = rec.path;
    const parentPath = parentForDelete(path);
    const node = ctx.changes.get(path);
    if (node.childCount > 0) throw new OpError(Err.notEmpty, path);
    if (ephemeralKind(node.stat!.ephemeralOwner, ctx.extendedTypes) === 'normal') throw new OpError(Err.badVersion, path);
    recordDelete(ctx, parentPath, path, hdr.zxid);
    return { type: OpCode.deleteContainer, txn: { path } };
  },
  respond() {},
};
