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

// Slicing-by-4 tables: T[0] is the byte-at-a-time CRC-32 table, T[k][n] the CRC of byte n followed
// by k zero bytes, so four input bytes fold in with four lookups instead of four dependent steps.
const CRC_TABLES = (() => {
  const t = [new Int32Array(256), new Int32Array(256), new Int32Array(256), new Int32Array(256)] as const;
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[0][n] = c;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 4; k++) t[k][n] = (t[k - 1][n]! >>> 8) ^ t[0][t[k - 1][n]! & 0xff]!;
  }
  return t;
})();
const [T0, T1, T2, T3] = CRC_TABLES;

/** CRC-32 (java.util.zip.CRC32) of data[start, end), continuing from `prev`. */
function crc32(data: Uint8Array, start = 0, end = data.length, prev = 0): number {
  if (end - start > NATIVE_CRC_BYTES) return zlibCrc32(data.subarray(start, end), prev);
  let c = ~prev;
  let i = start;
  for (const end4 = end - 3; i < end4; i += 4) {
    c ^= data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    c = T3[c & 0xff]! ^ T2[(c >>> 8) & 0xff]! ^ T1[(c >>> 16) & 0xff]! ^ T0[c >>> 24]!;
  }
  for (; i < end; i++) c = T0[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * DigestCalculator.calculateDigest for one node (0 for nodes excluded from the digest): an
 * unsigned 32-bit CRC, kept a number (a BigInt per node digest was an allocation per change).
 */
export function nodeDigest(path: string, data: Uint8Array | null, stat: StatPersisted): number {
  if (path.startsWith(ZOOKEEPER_SUBTREE)) return 0;
  const p = path === '/' ? '' : path;
  // Path, data and stat are hashed as one stream; small data joins the scratch buffer so one
  // pass covers the node, large data is hashed where it lies. No views are cut (each would be an
  // allocation per node, and this runs for every node a txn changes).
  scratch.reset();
  scratch.text(p);
  let crc = 0;
  if (data && data.length > NATIVE_CRC_BYTES) {
    crc = crc32(data, 0, data.length, crc32(scratch.buf, 0, scratch.pos));
    scratch.reset();
  } else if (data) {
    scratch.raw(data);
  }
  writeStatForDigest(scratch, stat);
  return crc32(scratch.buf, 0, scratch.pos, crc);
}

/** The digest's field order differs from StatPersisted's serialized order (pzxid comes third). */
function writeStatForDigest(w: ByteWriter, s: StatPersisted): void {
  w.long(s.czxid).long(s.mzxid).long(s.pzxid).long(s.ctime).long(s.mtime);
  w.int(s.version).int(s.cversion).int(s.aversion).long(s.ephemeralOwner);
}

const TWO_32 = 4294967296;

/**
 * AdHash's running value: a signed 64-bit wrapping sum (Java long arithmetic) of unsigned 32-bit
 * node digests, held as a signed high word and an unsigned low word so that adding or removing a
 * node allocates nothing; a BigInt is made only when the value is read (once per txn record).
 */
export class DigestSum {
  private hi = 0;
  private lo = 0;

  add(d: number): void {
    const lo = this.lo + d;
    if (lo >= TWO_32) {
      this.lo = lo - TWO_32;
      this.hi = (this.hi + 1) | 0;
    } else this.lo = lo;
  }

  sub(d: number): void {
    const lo = this.lo - d;
    if (lo < 0) {
      this.lo = lo + TWO_32;
      this.hi = (this.hi - 1) | 0;
    } else this.lo = lo;
  }

  copyFrom(o: DigestSum): this {
    this.hi = o.hi;
    this.lo = o.lo;
    return this;
  }

  get value(): bigint {
    return (BigInt(this.hi) << 32n) + BigInt(this.lo);
  }

  set value(v: bigint) {
    this.hi = Number(BigInt.asIntN(32, v >> 32n));
    this.lo = Number(BigInt.asUintN(32, v));
  }
}

/** AdHash over node digests (a snapshot's or a model tree's running digest). */
export class TreeDigest {
  private readonly sum = new DigestSum();

  get value(): bigint {
    return this.sum.value;
  }

  add(path: string, data: Uint8Array | null, stat: StatPersisted): void {
    this.sum.add(nodeDigest(path, data, stat));
  }

  remove(path: string, data: Uint8Array | null, stat: StatPersisted): void {
    this.sum.sub(nodeDigest(path, data, stat));
  }
}
