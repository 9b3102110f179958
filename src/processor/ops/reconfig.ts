// reconfig: a standalone server has reconfigEnabled=false, so prep fails with ReconfigDisabled
// (the failure still consumes a zxid, as every failed write does).
import { Err } from '../../proto/constants.js';
import { ReconfigRequestRec } from '../../proto/records/requests.js';
import { OpError } from '../request.js';
import type { WriteOp } from './types.js';

export const reconfig: WriteOp = {
  kind: 'write',
  codec: ReconfigRequestRec,
  prep() {
    throw new OpError(Err.reconfigDisabled);
  },
  respond() {},
};
