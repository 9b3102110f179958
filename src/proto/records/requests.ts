// org.apache.zookeeper.proto request records and the two headers (zookeeper.jute).
import { record, type Infer } from '../schema.js';
import { ACLRec } from './data.js';

export const RequestHeaderRec = record({ xid: 'int', type: 'int' });
export const ReplyHeaderRec = record({ xid: 'int', zxid: 'long', err: 'int' });
export type ReplyHeader = Infer<typeof ReplyHeaderRec>;

export const AuthPacketRec = record({ type: 'int', scheme: 'ustring', auth: 'buffer' });

const pathWatch = { path: 'ustring', watch: 'bool' } as const;
export const GetDataRequestRec = record(pathWatch);
export const ExistsRequestRec = record(pathWatch);
export const GetChildrenRequestRec = record(pathWatch);
export const GetChildren2RequestRec = record(pathWatch);

export const CreateRequestRec = record({ path: 'ustring', data: 'buffer', acl: { vector: ACLRec }, flags: 'int' });
export type CreateRequest = Infer<typeof CreateRequestRec>;
export const CreateTTLRequestRec = record({
  path: 'ustring',
  data: 'buffer',
  acl: { vector: ACLRec },
  flags: 'int',
  ttl: 'long',
});
export type CreateTTLRequest = Infer<typeof CreateTTLRequestRec>;
export const DeleteRequestRec = record({ path: 'ustring', version: 'int' });
export const SetDataRequestRec = record({ path: 'ustring', data: 'buffer', version: 'int' });
export const CheckVersionRequestRec = record({ path: 'ustring', version: 'int' });
export const GetACLRequestRec = record({ path: 'ustring' });
export const SetACLRequestRec = record({ path: 'ustring', acl: { vector: ACLRec }, version: 'int' });
export const SyncRequestRec = record({ path: 'ustring' });
export const GetAllChildrenNumberRequestRec = record({ path: 'ustring' });
export const GetEphemeralsRequestRec = record({ prefixPath: 'ustring' });
export const CheckWatchesRequestRec = record({ path: 'ustring', type: 'int' });
export const RemoveWatchesRequestRec = record({ path: 'ustring', type: 'int' });
export const AddWatchRequestRec = record({ path: 'ustring', mode: 'int' });
export const ReconfigRequestRec = record({
  joiningServers: 'ustring',
  leavingServers: 'ustring',
  newMembers: 'ustring',
  curConfigId: 'long',
});

const stringList = { vector: 'ustring' } as const;
export const SetWatchesRec = record({
  relativeZxid: 'long',
  dataWatches: stringList,
  existWatches: stringList,
  childWatches: stringList,
});
export const SetWatches2Rec = record({
  relativeZxid: 'long',
  dataWatches: stringList,
  existWatches: stringList,
  childWatches: stringList,
  persistentWatches: stringList,
  persistentRecursiveWatches: stringList,
});
export type SetWatches2 = Infer<typeof SetWatches2Rec>;
