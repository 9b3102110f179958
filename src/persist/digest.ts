// The tree digest ZooKeeper 3.6+ keeps (DigestCalculator + AdHash): each node contributes the
// CRC-32 of its path, data and 60 bytes of StatPersisted; the tree digest is the 64-bit wrapping
// sum over all nodes, so adding and removing nodes updates it in O(1). Nodes under "/zookeeper/"
// count 0 (quota nodes are updated locally and would differ between servers), and "/" hashes as
// "" because the root is stored under the empty path. The digest goes into every txn (TxnDigest)
// and after each snapshot (ZxidDigest); ZooKeeper compares them on load and counts mismatches.
import { crc32 as zlibCrc32 } from 'node:zlib';
import { ByteWriter } from './bytes.js';
import type { StatPersisted } from './types.js';

const ZOOKEEPER_SUBTREE = '/zookeeper/';
const scratch = new ByteWriter(4096);
/** Past this many bytes zlib's native CRC beats the table loop despite its call overhead. */
const NATIVE_CRC_BYTES = 2048;

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** CRC-32 (java.util.zip.CRC32), continuing from `prev`. */
function crc32(data: Uint8Array, prev = 0): number {
  if (data.length > NATIVE_CRC_BYTES) return zlibCrc32(data, prev);
  let c = ~prev;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** DigestCalculator.calculateDigest for one node (0 for nodes excluded from the digest). */
export function nodeDigest(path: string, data: Uint8Array | null, stat: StatPersisted): bigint {
  if (path.startsWith(ZOOKEEPER_SUBTREE)) return 0n;
  const p = path === '/' ? '' : path;
  // Path, data and stat are hashed as one stream; small data joins the scratch buffer so one
  // pass covers the node, large data is hashed where it lies.
  scratch.reset();
  scratch.text(p);
  let crc = 0;
  if (data && data.length > NATIVE_CRC_BYTES) {
    crc = crc32(data, crc32(scratch.view()));
    scratch.reset();
  } else if (data) {
    scratch.raw(data);
  }
  writeStatForDigest(scratch, stat);
  return BigInt(crc32(scratch.view(), crc));
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
