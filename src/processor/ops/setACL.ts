// setACL (ADMIN on the node; the ACL is fixed up first so "auth" entries expand to the caller's ids).
import { fixupACL, type ACL } from '../../data/acl.js';
import { Err, OpCode, Perms } from '../../proto/constants.js';
import { StatRec } from '../../proto/records/data.js';
import { SetACLRequestRec } from '../../proto/records/requests.js';
import { ChangeTable } from '../changes.js';
import { requirePerm } from '../context.js';
import { OpError } from '../request.js';
import { checkPath, nextVersion } from './pathcheck.js';
import type { WriteOp } from './types.js';

export const setACL: WriteOp = {
  kind: 'write',
  codec: SetACLRequestRec,
  prep(ctx, req, rec: { path: string; acl: ACL[]; version: number }, hdr) {
    const path = rec.path;
    checkPath(path);
    const acl = fixupACL(path, req.client?.authIds ?? [], rec.acl);
    if (acl === null) throw new OpError(Err.invalidACL, path);
    const node = ctx.changes.get(path);
    requirePerm(ctx, req, node.acl, Perms.ADMIN, path);
    const version = nextVersion(node.stat!.aversion, rec.version, path);
    const next = ChangeTable.duplicate(node, hdr.zxid);
    next.stat!.aversion = version;
    next.acl = acl;
    ctx.changes.add(next);
    return { type: OpCode.setACL, txn: { path, acl, version } };
  },
  respond(w, rc) {
    StatRec.write(w, rc.stat!);
  },
};
