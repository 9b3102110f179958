// check (CheckVersionRequest): READ on the node and a version match; logs a CheckVersionTxn that
// carries version + 1, exactly as PrepRequestProcessor does. Mostly used inside multi.
import { OpCode, Perms } from '../../proto/constants.js';
import { StatRec } from '../../proto/records/data.js';
import { CheckVersionRequestRec } from '../../proto/records/requests.js';
import { requirePerm } from '../context.js';
import { checkPath, nextVersion } from './pathcheck.js';
import type { WriteOp } from './types.js';

export const check: WriteOp = {
  kind: 'write',
  codec: CheckVersionRequestRec,
  prep(ctx, req, rec: { path: string; version: number }) {
    checkPath(rec.path);
    const node = ctx.changes.get(rec.path);
    requirePerm(ctx, req, node.acl, Perms.READ, rec.path);
    return { type: OpCode.check, txn: { path: rec.path, version: nextVersion(node.stat!.version, rec.version, rec.path) } };
  },
  /**
   * Never used for a lone check: ZooKeeper 3.8 cannot serialize its SetDataResponse(null) and sends
   * nothing, which final.ts reproduces. Inside multi the CheckResult has no body.
   */
  respond(w) {
    w.raw(Buffer.alloc(68));
  },
};
