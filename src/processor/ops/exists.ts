// exists: the watch is set whether or not the node exists (an "exist watch" waits for creation);
// NoNode otherwise. No ACL check, as in ZooKeeper 3.8 (3.9 added a READ check).
import { statOf } from '../../data/node.js';
import { Err } from '../../proto/constants.js';
import { StatRec } from '../../proto/records/data.js';
import { ExistsRequestRec } from '../../proto/records/requests.js';
import { JuteReader } from '../../proto/jute.js';
import { OpError } from '../request.js';
import { watchPath } from './pathcheck.js';
import type { ReadOp } from './types.js';

export const exists: ReadOp = {
  kind: 'read',
  run(ctx, req, w) {
    const { path, watch } = ExistsRequestRec.read(new JuteReader(req.body));
    if (path.includes('\0')) throw new OpError(Err.badArguments, path);
    const n = ctx.tree.get(path);
    if (watch && req.client) watchPath(path, () => ctx.watches.add(ctx.watches.data, path, req.client!.watcherId));
    if (!n) throw new OpError(Err.noNode, path);
    StatRec.write(w, statOf(n));
  },
};
