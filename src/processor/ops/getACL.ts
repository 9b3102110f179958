// getACL: READ or ADMIN on the node; without ADMIN, digest ids are shown as "user:x"
// (FinalRequestProcessor, ZOOKEEPER-1392).
import { checkACL, type ACL } from '../../data/acl.js';
import { statOf } from '../../data/node.js';
import { Err, Perms } from '../../proto/constants.js';
import { ACLRec, StatRec } from '../../proto/records/data.js';
import { GetACLRequestRec } from '../../proto/records/requests.js';
import { JuteReader } from '../../proto/jute.js';
import { requirePerm } from '../context.js';
import { OpError } from '../request.js';
import type { ReadOp } from './types.js';

function redact(acl: ACL[]): ACL[] {
  return acl.map((a) => (a.id.scheme === 'digest' ? { perms: a.perms, id: { scheme: 'digest', id: a.id.id.replace(/:.*/s, ':x') } } : a));
}

export const getACL: ReadOp = {
  kind: 'read',
  run(ctx, req, w) {
    const { path } = GetACLRequestRec.read(new JuteReader(req.body));
    const n = ctx.tree.get(path);
    if (!n) throw new OpError(Err.noNode, path);
    requirePerm(ctx, req, n.acl, Perms.READ | Perms.ADMIN, path);
    const admin = checkACL(n.acl, Perms.ADMIN, req.client?.authIds ?? [], ctx.superDigest);
    w.vector(admin ? n.acl : redact(n.acl), (ww, a) => ACLRec.write(ww, a));
    StatRec.write(w, statOf(n));
  },
};
