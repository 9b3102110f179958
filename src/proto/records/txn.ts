// org.apache.zookeeper.txn records (zookeeper.jute). The transaction log and snapshots serialise
// these byte for byte as Apache ZooKeeper does, so field order and types here are exact.
import { record, type Infer } from '../schema.js';
import { ACLRec } from './data.js';

export const TxnHeaderRec = record({ clientId: 'long', cxid: 'int', zxid: 'long', time: 'long', type: 'int' });
export type TxnHeader = Infer<typeof TxnHeaderRec>;
export const TxnDigestRec = record({ version: 'int', treeDigest: 'long' });

const acl = { vector: ACLRec } as const;
export const CreateTxnV0Rec = record({ path: 'ustring', data: 'buffer', acl, ephemeral: 'bool' });
export const CreateTxnRec = record({ path: 'ustring', data: 'buffer', acl, ephemeral: 'bool', parentCVersion: 'int' });
export type CreateTxn = Infer<typeof CreateTxnRec>;
export const CreateTTLTxnRec = record({ path: 'ustring', data: 'buffer', acl, parentCVersion: 'int', ttl: 'long' });
export type CreateTTLTxn = Infer<typeof CreateTTLTxnRec>;
export const CreateContainerTxnRec = record({ path: 'ustring', data: 'buffer', acl, parentCVersion: 'int' });
export type CreateContainerTxn = Infer<typeof CreateContainerTxnRec>;
export const DeleteTxnRec = record({ path: 'ustring' });
export const SetDataTxnRec = record({ path: 'ustring', data: 'buffer', version: 'int' });
export type SetDataTxn = Infer<typeof SetDataTxnRec>;
export const CheckVersionTxnRec = record({ path: 'ustring', version: 'int' });
export const SetACLTxnRec = record({ path: 'ustring', acl, version: 'int' });
export type SetACLTxn = Infer<typeof SetACLTxnRec>;
export const CreateSessionTxnRec = record({ timeOut: 'int' });
export const CloseSessionTxnRec = record({ paths2Delete: { vector: 'ustring' } });
export const ErrorTxnRec = record({ err: 'int' });
export const TxnRec = record({ type: 'int', data: 'buffer' });
export type Txn = Infer<typeof TxnRec>;
export const MultiTxnRec = record({ txns: { vector: TxnRec } });
