// The few jute records the file formats embed directly (zookeeper.jute: FileHeader, TxnHeader,
// TxnDigest, StatPersisted, ACL), plus a length-only walk of txn bodies. The walk exists because
// ZooKeeper 3.8 appends a TxnDigest after the txn record with no length of its own
// (Util.marshallTxnEntry); telling body from digest needs the body's size, not its meaning.
import { ByteReader, ByteWriter, FormatError } from './bytes.js';
import { OpCode } from '../proto/constants.js';
import type { ACL, StatPersisted, TxnDigest, TxnHeader } from './types.js';

export const TXN_HEADER_BYTES = 32;
export const TXN_DIGEST_BYTES = 12;
export const STAT_PERSISTED_BYTES = 60;

export function writeFileHeader(w: ByteWriter, magic: number, version: number, dbid: bigint): void {
  w.int(magic).int(version).long(dbid);
}

export function writeTxnHeader(w: ByteWriter, h: TxnHeader): void {
  w.long(h.clientId).int(h.cxid).long(h.zxid).long(h.time).int(h.type);
}

export function readTxnHeader(r: ByteReader): TxnHeader {
  return { clientId: r.long(), cxid: r.int(), zxid: r.long(), time: r.long(), type: r.int() };
}

export function writeTxnDigest(w: ByteWriter, d: TxnDigest): void {
  w.int(d.version).long(d.treeDigest);
}

export function writeStat(w: ByteWriter, s: StatPersisted): void {
  w.long(s.czxid).long(s.mzxid).long(s.ctime).long(s.mtime);
  w.int(s.version).int(s.cversion).int(s.aversion);
  w.long(s.ephemeralOwner).long(s.pzxid);
}

export function readStat(r: ByteReader): StatPersisted {
  return {
    czxid: r.long(), mzxid: r.long(), ctime: r.long(), mtime: r.long(),
    version: r.int(), cversion: r.int(), aversion: r.int(),
    ephemeralOwner: r.long(), pzxid: r.long(),
  };
}

export function writeAclList(w: ByteWriter, acls: ACL[]): void {
  w.int(acls.length);
  for (const a of acls) w.int(a.perms).ustring(a.id.scheme).ustring(a.id.id);
}

export function readAclList(r: ByteReader): ACL[] {
  const n = r.int();
  if (n < 0) throw new FormatError(`missing ACL vector (count ${n})`);
  const out: ACL[] = [];
  for (let i = 0; i < n; i++) {
    const perms = r.int();
    out.push({ perms, id: { scheme: r.ustring() ?? '', id: r.ustring() ?? '' } });
  }
  return out;
}

// --- length-only walk of txn bodies (SerializeUtils.deserializeTxn's switch, sizes only) ---

function skipBytes(r: ByteReader): void {
  r.bytesView();
}

function skipVector(r: ByteReader, each: (r: ByteReader) => void): void {
  const n = r.int();
  for (let i = 0; i < n; i++) each(r);
}

function skipAcl(r: ByteReader): void {
  r.int();
  skipBytes(r);
  skipBytes(r);
}

/** Field layouts of each txn record: s = ustring/buffer, i = int, l = long, b = bool, a = ACL vector. */
const LAYOUTS: Record<number, string> = {
  [OpCode.createSession]: 'i',
  [OpCode.closeSession]: 'v',
  [OpCode.create]: 'ssabi',
  [OpCode.create2]: 'ssabi',
  [OpCode.createTTL]: 'ssail',
  [OpCode.createContainer]: 'ssai',
  [OpCode.delete]: 's',
  [OpCode.deleteContainer]: 's',
  [OpCode.setData]: 'ssi',
  [OpCode.reconfig]: 'ssi',
  [OpCode.setACL]: 'sai',
  [OpCode.error]: 'i',
  [OpCode.check]: 'si',
  [OpCode.multi]: 'm',
};

function skipField(r: ByteReader, f: string): void {
  if (f === 's') skipBytes(r);
  else if (f === 'i') r.int();
  else if (f === 'l') r.long();
  else if (f === 'b') r.byte();
  else if (f === 'a') skipVector(r, skipAcl);
  else if (f === 'v') skipVector(r, skipBytes);
  else skipVector(r, (x) => { x.int(); skipBytes(x); }); // MultiTxn: vector<Txn{int type, buffer data}>
}

/**
 * Bytes the txn record of `type` occupies from `start`. A closeSession written before
 * CloseSessionTxn existed has no body at all, which a zero-length remainder already says.
 */
export function txnBodyLength(type: number, buf: Buffer, start: number, end: number): number {
  const layout = LAYOUTS[type];
  if (layout === undefined) throw new FormatError(`unsupported txn type ${type}`);
  if (start === end) return 0;
  const r = new ByteReader(buf, start, end);
  for (const f of layout) skipField(r, f);
  return r.pos - start;
}
