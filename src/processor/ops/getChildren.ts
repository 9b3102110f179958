// getChildren / getChildren2: NoNode, READ, then the child watch; children in the order ZooKeeper's
// HashSet iterates them (data/child-order.ts), which tools that print without sorting show.
import { javaHashSetOrder } from '../../data/child-order.js';
import { statOf } from '../../data/node.js';
import { Err, Perms } from '../../proto/constants.js';
import { StatRec, type Stat } from '../../proto/records/data.js';
import { GetChildrenRequestRec } from '../../proto/records/requests.js';
import { JuteReader, type JuteWriter } from '../../proto/jute.js';
import { requirePerm, type ProcessorContext } from '../context.js';
import { OpError, type Request } from '../request.js';
import { watchPath } from './pathcheck.js';
import type { ReadOp } from './types.js';

export function getChildrenBody(ctx: ProcessorContext, req: Request, rec: { path: string; watch: boolean }): { children: string[]; stat: Stat } {
  const n = ctx.tree.get(rec.path);
  if (!n) throw new OpError(Err.noNode, rec.path);
  requirePerm(ctx, req, n.acl, Perms.READ, rec.path);
  if (rec.watch && req.client) watchPath(rec.path, () => ctx.watches.add(ctx.watches.child, rec.path, req.client!.watcherId));
  return { children: javaHashSetOrder(n.children, n.childMax ?? 0), stat: statOf(n) };
}

function childrenOp(withStat: boolean): ReadOp {
  return {
    kind: 'read',
    run(ctx, req, w: JuteWriter) {
      const body = getChildrenBody(ctx, req, GetChildrenRequestRec.read(new JuteReader(req.body)));
      w.vector(body.children, (ww, s) => ww.ustring(s));
      if (withStat) StatRec.write(w, body.stat);
    },
  };
}

export const getChildren = childrenOp(false);
export const getChildren2 = childrenOp(true);
