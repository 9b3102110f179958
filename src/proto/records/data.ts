// org.apache.zookeeper.data records (zookeeper.jute).
import { record, type Infer } from '../schema.js';

export const IdRec = record({ scheme: 'ustring', id: 'ustring' });
export const ACLRec = record({ perms: 'int', id: IdRec });

/** The Stat clients see: StatPersisted plus dataLength and numChildren, pzxid last. */
export const StatRec = record({
  czxid: 'long',
  mzxid: 'long',
  ctime: 'long',
  mtime: 'long',
  version: 'int',
  cversion: 'int',
  aversion: 'int',
  ephemeralOwner: 'long',
  dataLength: 'int',
  numChildren: 'int',
  pzxid: 'long',
});
export type Stat = Infer<typeof StatRec>;

/** What snapshots store per node (no dataLength/numChildren). */
export const StatPersistedRec = record({
  czxid: 'long',
  mzxid: 'long',
  ctime: 'long',
  mtime: 'long',
  version: 'int',
  cversion: 'int',
  aversion: 'int',
  ephemeralOwner: 'long',
  pzxid: 'long',
});
export type StatPersisted = Infer<typeof StatPersistedRec>;

export const ClientInfoRec = record({ authScheme: 'ustring', user: 'ustring' });
export type ClientInfo = Infer<typeof ClientInfoRec>;
