// getData: NoNode, then READ, then the watch (a failed read leaves no watch), data + stat.
import { statOf } from '../../data/node.js';
import { Err, Perms } from '../../proto/constants.js';
import { StatRec, type Stat } from '../../proto/records/data.js';
import { GetDataRequestRec } from '../../proto/records/requests.js';
import { JuteReader } from '../../proto/jute.js';
import { requirePerm, type ProcessorContext } from '../context.js';
import { OpError, type Request } from '../request.js';
import { watchPath } from './pathcheck.js';
import type { ReadOp } from './types.js';

export function getDataBody(ctx: ProcessorContext, req: Request, rec: { path: string; watch: boolean }): { data: Buffer | null; stat: Stat } {
  const n = ctx.tree.get(rec.path);
  if (!n) throw new OpError(Err.noNode, rec.path);
  requirePerm(ctx, req, n.acl, Perms.READ, rec.path);
  if (rec.watch && req.client) watchPath(rec.path, () => ctx.watches.add(ctx.watches.data, rec.path, req.client!.watcherId));
  return { data: n.data, stat: statOf(n) };
}

export const getData: ReadOp = {
  kind: 'read',
  run(ctx, req, w) {
    const body = getDataBody(ctx, req, GetDataRequestRec.read(new JuteReader(req.body)));
    w.buffer(body.data);
    StatRec.write(w, body.stat);
  },
};
