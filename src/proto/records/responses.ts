// org.apache.zookeeper.proto response records and the notification body (zookeeper.jute).
import { record } from '../schema.js';
import { ACLRec, ClientInfoRec, StatRec } from './data.js';

export const StatResponseRec = record({ stat: StatRec }); // Exists/SetData/SetACL responses
export const CreateResponseRec = record({ path: 'ustring' });
export const Create2ResponseRec = record({ path: 'ustring', stat: StatRec });
export const GetDataResponseRec = record({ data: 'buffer', stat: StatRec });
export const GetChildrenResponseRec = record({ children: { vector: 'ustring' } });
export const GetChildren2ResponseRec = record({ children: { vector: 'ustring' }, stat: StatRec });
export const GetACLResponseRec = record({ acl: { vector: ACLRec }, stat: StatRec });
export const SyncResponseRec = record({ path: 'ustring' });
export const GetAllChildrenNumberResponseRec = record({ totalNumber: 'int' });
export const GetEphemeralsResponseRec = record({ ephemerals: { vector: 'ustring' } });
export const WhoAmIResponseRec = record({ clientInfo: { vector: ClientInfoRec } });
export const ErrorResponseRec = record({ err: 'int' });
export const WatcherEventRec = record({ type: 'int', state: 'int', path: 'ustring' });
