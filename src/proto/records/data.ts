// org.apache.zookeeper.data records (zookeeper.jute).
import type { JuteReader, JuteWriter } from '../jute.js';
import { record, type Codec, type Infer, type RecordOf } from '../schema.js';

export const IdRec = record({ scheme: 'ustring', id: 'ustring' });
export const ACLRec = record({ perms: 'int', id: IdRec });

const statFields = {
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
} as const;

export type Stat = RecordOf<typeof statFields>;

/**
 * The Stat clients see: StatPersisted plus dataLength and numChildren, pzxid last. Written by hand
 * (same bytes as record(statFields)): it is in nearly every reply, so it is the hottest encoder.
 */
export const StatRec: Codec<Stat> & { fields: typeof statFields } = {
  fields: statFields,
  read(r: JuteReader): Stat {
    return {
      czxid: r.long(),
      mzxid: r.long(),
      ctime: r.long(),
      mtime: r.long(),
      version: r.int(),
      cversion: r.int(),
      aversion: r.int(),
      ephemeralOwner: r.long(),
      dataLength: r.int(),
      numChildren: r.int(),
      pzxid: r.long(),
    };
  },
  write(w: JuteWriter, s: Stat): void {
    w.long(s.czxid).long(s.mzxid).long(s.ctime).long(s.mtime);
    w.int(s.version).int(s.cversion).int(s.aversion).long(s.ephemeralOwner);
    w.int(s.dataLength).int(s.numChildren).long(s.pzxid);
  },
};

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
