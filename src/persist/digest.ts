// The tree digest ZooKeeper 3.6+ keeps (DigestCalculator + AdHash): each node contributes the
// CRC-32 of its path, data and 60 bytes of StatPersisted; the tree digest is the 64-bit wrapping
// sum over all nodes, so adding and removing nodes updates it in O(1). Nodes under "/zookeeper/"
// count 0 (quota nodes are updated locally and would differ between servers), and "/" hashes as
// "" because the root is stored under the empty path. The digest goes into every txn (TxnDigest)
// and after each snapshot (ZxidDigest); ZooKeeper compares them on load and counts mismatches.
import { crc32 } from 'node:zlib';
import { ByteWriter } from './bytes.js';
import type { StatPersisted } from './types.js';

const ZOOKEEPER_SUBTREE = '/zookeeper/';
const statBytes = new ByteWriter(64);

/** DigestCalculator.calculateDigest for one node (0 for nodes excluded from the digest). */
export function nodeDigest(path: string, data: Uint8Array | null, stat: StatPersisted): bigint {
  if (path.startsWith(ZOOKEEPER_SUBTREE)) return 0n;
  const p = path === '/' ? '' : path;
  statBytes.reset();
  writeStatForDigest(statBytes, stat);
  let crc = crc32(Buffer.from(p, 'utf8'));
  if (data) crc = crc32(data, crc);
  crc = crc32(statBytes.view(), crc);
  return BigInt(crc);
}

/** The digest's field order differs from StatPersisted's serialized order (pzxid comes third). */
function writeStatForDigest(w: ByteWriter, s: StatPersisted): void {
  w.long(s.czxid).long(s.mzxid).long(s.pzxid).long(s.ctime).long(s.mtime);
  w.int(s.version).int(s.cversion).int(s.aversion).long(s.ephemeralOwner);
}

/** AdHash over node digests: a signed 64-bit wrapping sum, as Java's long arithmetic gives. */
export class TreeDigest {
  value = 0n;

  add(path: string, data: Uint8Array | null, stat: StatPersisted): void {
    this.value = BigInt.asIntN(64, this.value + nodeDigest(path, data, stat));
  }

  remove(path: string, data: Uint8Array | null, stat: StatPersisted): void {
    this.value = BigInt.asIntN(64, this.value - nodeDigest(path, data, stat));
  }
}
