// setData (PrepRequestProcessor: WRITE on the node, version check; the txn carries the new version).
import { OpCode, Perms } from '../../proto/constants.js';
import { StatRec } from '../../proto/records/data.js';
import { SetDataRequestRec } from '../../proto/records/requests.js';
import { ChangeTable } from '../changes.js';
import { requirePerm } from '../context.js';
import { checkPath, nextVersion } from './pathcheck.js';
import type { WriteOp } from './types.js';

export const setData: WriteOp = {
  kind: 'write',
  codec: SetDataRequestRec,
  prep(ctx, req, rec: { path: string; data: Buffer | null; version: number }, hdr) {
    const path = rec.path;
    checkPath(path);
    const node = ctx.changes.get(path);
    requirePerm(ctx, req, node.acl, Perms.WRITE, path);
    const version = nextVersion(node.stat!.version, rec.version, path);
    const next = ChangeTable.duplicate(node, hdr.zxid);
    next.stat!.version = version;
    next.stat!.mtime = hdr.time;
    next.stat!.mzxid = hdr.zxid;
    next.data = rec.data;
    ctx.changes.add(next);
    return { type: OpCode.setData, txn: { path, data: rec.data, version } };
  },
  respond(w, rc) {
    StatRec.write(w, rc.stat!);
  },
};
