// Opcode -> handler. Opcodes missing here are answered Unimplemented and the connection closed
// (ZooKeeperServer: Request.isValid false -> UnimplementedRequestProcessor).
import { OpCode } from '../../proto/constants.js';
import { check } from './check.js';
import { create, create2, createContainer, createTTL } from './create.js';
import { del, deleteContainer } from './delete.js';
import { exists } from './exists.js';
import { getACL } from './getACL.js';
import { getChildren, getChildren2 } from './getChildren.js';
import { getData } from './getData.js';
import { getAllChildrenNumber, getEphemerals, ping, sync, whoAmI } from './misc.js';
import { multi, multiRead } from './multi.js';
import { reconfig } from './reconfig.js';
import { closeSession, createSession } from './session.js';
import { setACL } from './setACL.js';
import { setData } from './setData.js';
import type { OpHandler } from './types.js';
import { addWatch, checkWatches, removeWatches, setWatches, setWatches2 } from './watches.js';

export const handlers = new Map<number, OpHandler>([
  [OpCode.create, create],
  [OpCode.create2, create2],
  [OpCode.createContainer, createContainer],
  [OpCode.createTTL, createTTL],
  [OpCode.delete, del],
  [OpCode.deleteContainer, deleteContainer],
  [OpCode.setData, setData],
  [OpCode.setACL, setACL],
  [OpCode.check, check],
  [OpCode.multi, multi],
  [OpCode.reconfig, reconfig],
  [OpCode.createSession, createSession],
  [OpCode.closeSession, closeSession],
  [OpCode.exists, exists],
  [OpCode.getData, getData],
  [OpCode.getACL, getACL],
  [OpCode.getChildren, getChildren],
  [OpCode.getChildren2, getChildren2],
  [OpCode.getAllChildrenNumber, getAllChildrenNumber],
  [OpCode.getEphemerals, getEphemerals],
  [OpCode.sync, sync],
  [OpCode.ping, ping],
  [OpCode.whoAmI, whoAmI],
  [OpCode.multiRead, multiRead],
  [OpCode.setWatches, setWatches],
  [OpCode.setWatches2, setWatches2],
  [OpCode.checkWatches, checkWatches],
  [OpCode.removeWatches, removeWatches],
  [OpCode.addWatch, addWatch],
]);
