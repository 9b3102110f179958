// Small reads: sync, getAllChildrenNumber, getEphemerals, whoAmI, ping (FinalRequestProcessor).
import { Err, Perms } from '../../proto/constants.js';
import { ClientInfoRec } from '../../proto/records/data.js';
import { GetAllChildrenNumberRequestRec, GetEphemeralsRequestRec, SyncRequestRec } from '../../proto/records/requests.js';
import { JuteReader } from '../../proto/jute.js';
import { authInfoOrder, type Id } from '../../data/acl.js';
import { requirePerm } from '../context.js';
import { OpError } from '../request.js';
import type { ReadOp } from './types.js';

/** Standalone sync has nothing to wait for: it answers with the path it was given. */
export const sync: ReadOp = {
  kind: 'read',
  run(_ctx, req, w) {
    w.ustring(SyncRequestRec.read(new JuteReader(req.body)).path);
  },
};

export const ping: ReadOp = { kind: 'read', run() {} };

export const getAllChildrenNumber: ReadOp = {
  kind: 'read',
  run(ctx, req, w) {
    const { path } = GetAllChildrenNumberRequestRec.read(new JuteReader(req.body));
    const n = ctx.tree.get(path);
    if (!n) throw new OpError(Err.noNode, path);
    requirePerm(ctx, req, n.acl, Perms.READ, path);
    w.int(ctx.tree.countDescendants(path));
  },
};

/** The session's ephemerals, all of them for an empty or "/" prefix, else those starting with it. */
export const getEphemerals: ReadOp = {
  kind: 'read',
  run(ctx, req, w) {
    const prefix = GetEphemeralsRequestRec.read(new JuteReader(req.body)).prefixPath.trim();
    const all = ctx.tree.ephemeralsOf(req.sessionId);
    const raw = GetEphemeralsRequestRec.read(new JuteReader(req.body)).prefixPath;
    const list = prefix === '' || prefix === '/' ? all : all.filter((p) => p.startsWith(raw));
    w.vector(list, (ww, s) => ww.ustring(s));
  },
};

/** AuthUtil.getClientInfos: the user of a digest id is the part before ':'; others show the id. */
function clientInfo(id: Id): { authScheme: string; user: string } {
  const user = id.scheme === 'digest' ? id.id.split(':')[0]! : id.id;
  return { authScheme: id.scheme, user };
}

/** The ids in the order ZooKeeper's auth-info set iterates them (hash buckets, not insertion). */
export const whoAmI: ReadOp = {
  kind: 'read',
  run(_ctx, req, w) {
    w.vector(authInfoOrder(req.client?.authIds ?? []).map(clientInfo), (ww, c) => ClientInfoRec.write(ww, c));
  },
};
