// Watch-only requests: setWatches (101) and setWatches2 (105) from reconnecting clients,
// checkWatches (17), removeWatches (18) and addWatch (106).
import { AddWatchMode, Err } from '../../proto/constants.js';
import {
  AddWatchRequestRec,
  CheckWatchesRequestRec,
  RemoveWatchesRequestRec,
  SetWatches2Rec,
  SetWatchesRec,
} from '../../proto/records/requests.js';
import { JuteReader } from '../../proto/jute.js';
import { OpError } from '../request.js';
import { watchPath } from './pathcheck.js';
import type { ReadOp } from './types.js';

export const setWatches: ReadOp = {
  kind: 'read',
  run(ctx, req) {
    const sw = SetWatchesRec.read(new JuteReader(req.body));
    if (req.client) ctx.watches.setWatches(ctx.tree, req.client.watcherId, sw);
  },
};

export const setWatches2: ReadOp = {
  kind: 'read',
  run(ctx, req) {
    const sw = SetWatches2Rec.read(new JuteReader(req.body));
    if (req.client) ctx.watches.setWatches(ctx.tree, req.client.watcherId, sw);
  },
};

/** No such watch: NoWatcher (-121). */
export const checkWatches: ReadOp = {
  kind: 'read',
  run(ctx, req) {
    const { path, type } = CheckWatchesRequestRec.read(new JuteReader(req.body));
    if (!req.client || !ctx.watches.contains(path, type, req.client.watcherId)) throw new OpError(Err.noWatcher, path);
  },
};

export const removeWatches: ReadOp = {
  kind: 'read',
  run(ctx, req) {
    const { path, type } = RemoveWatchesRequestRec.read(new JuteReader(req.body));
    if (!req.client || !ctx.watches.remove(path, type, req.client.watcherId)) throw new OpError(Err.noWatcher, path);
  },
};

/** The reply body is an ErrorResponse{0}. An unknown mode is BadArguments (WatcherMode.fromZooDef). */
export const addWatch: ReadOp = {
  kind: 'read',
  run(ctx, req, w) {
    const { path, mode } = AddWatchRequestRec.read(new JuteReader(req.body));
    if (mode !== AddWatchMode.PERSISTENT && mode !== AddWatchMode.PERSISTENT_RECURSIVE) throw new OpError(Err.badArguments, path);
    if (req.client) watchPath(path, () => ctx.watches.addPersistent(path, req.client!.watcherId, mode === AddWatchMode.PERSISTENT_RECURSIVE));
    w.int(0);
  },
};
