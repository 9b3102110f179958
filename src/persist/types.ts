// The plain data model the persistence layer reads and writes. It mirrors the jute records in
// zookeeper.jute (StatPersisted, ACL, Id, TxnHeader, TxnDigest, FileHeader) and the snapshot
// layout of DataTree.serialize, so the server can adapt its own DataTree to it. Every jute `long`
// is a bigint, so files round-trip bit for bit.

/** StatPersisted: the per-node stat ZooKeeper keeps on disk (Stat minus dataLength/numChildren). */
export interface StatPersisted {
  czxid: bigint;
  mzxid: bigint;
  ctime: bigint;
  mtime: bigint;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: bigint;
  pzxid: bigint;
}

export interface Id {
  scheme: string;
  id: string;
}

export interface ACL {
  perms: number;
  id: Id;
}

/**
 * One node as DataTree.serializeNode writes it. `path` is "" for the root (ZooKeeper stores the
 * root under the empty path and its children as "/a"), `aclRef` indexes the snapshot's ACL cache
 * (-1 means OPEN_ACL_UNSAFE without an entry), `data` is null only for a null byte[].
 */
export interface SnapshotNode {
  path: string;
  data: Buffer | null;
  aclRef: bigint;
  stat: StatPersisted;
}

/** DataTree.ZxidDigest: the tree digest at `zxid`; zxid 0 means "no digest". */
export interface ZxidDigest {
  zxid: bigint;
  digestVersion: number;
  digest: bigint;
}

/** What a snapshot file holds, in file order. */
export interface SnapshotContent {
  /** The zxid in the file name (the last zxid applied when the snapshot began). */
  zxid: bigint;
  dbid: bigint;
  sessions: Map<bigint, number>;
  acls: Map<bigint, ACL[]>;
  nodes: SnapshotNode[];
  /** The digest written after the first seal (ZooKeeper 3.6+), or null for an older file. */
  digest: ZxidDigest | null;
}

/** TxnHeader from zookeeper.jute. `type` is the OpCode (createSession is -10, error is -1). */
export interface TxnHeader {
  clientId: bigint;
  cxid: number;
  zxid: bigint;
  time: bigint;
  type: number;
}

/** TxnDigest from zookeeper.jute: the tree digest after the txn applies (3.8 writes one per txn). */
export interface TxnDigest {
  version: number;
  treeDigest: bigint;
}

/** One log entry: header, the serialized txn record (may be empty), and the optional digest. */
export interface TxnRecord {
  header: TxnHeader;
  body: Buffer;
  digest: TxnDigest | null;
}

/** The digest version ZooKeeper 3.8's DigestCalculator writes. */
export const DIGEST_VERSION = 2;
