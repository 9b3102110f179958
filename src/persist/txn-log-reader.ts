// Reads transaction logs in FileTxnLog's format, from a zxid onwards across log files in zxid
// order. Like FileTxnIterator a zero length ends a file (the preallocated zero area); unlike it,
// a torn or corrupt record does not abort recovery: reading stops there and `cut` says where and
// why, so recovery can truncate the tail (a crash mid-write leaves exactly that) and go on with
// every complete txn before it.
import { open, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ByteReader, FormatError, adler32 } from './bytes.js';
import { FileCursor } from './cursor.js';
import { FILE_HEADER_BYTES, LOG_PREFIX, TXNLOG_MAGIC, VERSION_DIR, listZxidFiles, logsFrom, syncDir, type ZxidFile } from './files.js';
import { TXN_DIGEST_BYTES, TXN_HEADER_BYTES, readTxnHeader, txnBodyLength } from './records.js';
import type { TxnDigest, TxnRecord } from './types.js';

export type CutReason = 'bad-header' | 'torn' | 'bad-length' | 'bad-eor' | 'checksum' | 'bad-entry';

/** Where reading stopped early: the file, the offset of the first unusable byte, and why. */
export interface LogCut {
  file: string;
  offset: number;
  reason: CutReason;
  /** Logs after the damaged one: their txns cannot follow a gap, so recovery drops them too. */
  laterFiles: string[];
}

type Step = { kind: 'record'; rec: TxnRecord } | { kind: 'end' } | { kind: 'cut'; reason: CutReason };

/** Parses one record at the reader; throws FormatError for impossible lengths. */
function parseRecord(r: ByteReader): Step {
  const crc = r.long();
  const entry = r.bytesView();
  if (entry === null) return { kind: 'cut', reason: 'bad-length' };
  // Preallocated zeros: a zero length is the end (Util.readTxnBytes); a nonzero checksum before
  // it means a record was being written when the process died.
  if (entry.length === 0) return crc === 0n ? { kind: 'end' } : { kind: 'cut', reason: 'torn' };
  if (r.byte() !== 0x42) return { kind: 'cut', reason: 'bad-eor' };
  if (BigInt(adler32(entry)) !== crc) return { kind: 'cut', reason: 'checksum' };
  if (entry.length < TXN_HEADER_BYTES) return { kind: 'cut', reason: 'bad-entry' };
  return { kind: 'record', rec: splitEntry(Buffer.from(entry)) };
}

/** TxnHeader, then the txn record, then (3.6+) a TxnDigest that has no length of its own. */
function splitEntry(entry: Buffer): TxnRecord {
  const header = readTxnHeader(new ByteReader(entry));
  let bodyLen = entry.length - TXN_HEADER_BYTES;
  try {
    bodyLen = txnBodyLength(header.type, entry, TXN_HEADER_BYTES, entry.length);
  } catch {
    // The checksum vouches for the bytes; an unknown layout just means no digest split.
  }
  const bodyEnd = TXN_HEADER_BYTES + bodyLen;
  let digest: TxnDigest | null = null;
  if (entry.length - bodyEnd >= TXN_DIGEST_BYTES) {
    const r = new ByteReader(entry, bodyEnd);
    digest = { version: r.int(), treeDigest: r.long() };
  }
  return { header, body: entry.subarray(TXN_HEADER_BYTES, bodyEnd), digest };
}

async function nextStep(cursor: FileCursor): Promise<Step> {
  if (await cursor.atEnd()) return { kind: 'end' };
  try {
    return (await cursor.parse(parseRecord)) ?? { kind: 'cut', reason: 'torn' };
  } catch (e) {
    if (e instanceof FormatError) return { kind: 'cut', reason: 'bad-length' };
    throw e;
  }
}

export class TxnLogReader implements AsyncIterable<TxnRecord> {
  /** Set when iteration stopped at damage; null after a clean end. Valid once iteration ends. */
  cut: LogCut | null = null;
  /** Zxid of the last txn read (whether or not it was before fromZxid). */
  lastZxid: bigint | null = null;

  private constructor(private readonly files: ZxidFile[], private readonly fromZxid: bigint) {}

  /** Txns with zxid >= fromZxid from `<dataLogDir>/version-2`. */
  static async open(dataLogDir: string, fromZxid = 0n): Promise<TxnLogReader> {
    const all = await listZxidFiles(join(dataLogDir, VERSION_DIR), LOG_PREFIX);
    return new TxnLogReader(logsFrom(all, fromZxid), fromZxid);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<TxnRecord> {
    for (let i = 0; i < this.files.length && !this.cut; i++) {
      yield* this.readFile(this.files[i], this.files.slice(i + 1).map((f) => f.path));
    }
  }

  private async *readFile(file: ZxidFile, later: string[]): AsyncGenerator<TxnRecord> {
    const fh = await open(file.path, 'r');
    try {
      const cursor = new FileCursor(fh);
      const magic = await cursor.parse((r) => { const m = r.int(); r.int(); r.long(); return m; });
      if (magic !== TXNLOG_MAGIC) {
        this.cut = { file: file.path, offset: 0, reason: 'bad-header', laterFiles: later };
        return;
      }
      for (;;) {
        const offset = cursor.offset;
        const step = await nextStep(cursor);
        if (step.kind === 'end') return;
        if (step.kind === 'cut') {
          this.cut = { file: file.path, offset, reason: step.reason, laterFiles: later };
          return;
        }
        this.lastZxid = step.rec.header.zxid;
        if (step.rec.header.zxid >= this.fromZxid) yield step.rec;
      }
    } finally {
      await fh.close();
    }
  }
}

/**
 * Drops the damaged tail a reader reported: the file is cut at the offset (removed when nothing
 * valid remains past its header) and later logs are deleted, as FileTxnLog.truncate does.
 */
export async function truncateAtCut(cut: LogCut): Promise<void> {
  if (cut.offset <= FILE_HEADER_BYTES) await unlink(cut.file);
  else await truncateFile(cut.file, cut.offset);
  for (const f of cut.laterFiles) await unlink(f);
  await syncDir(dirname(cut.file));
}

async function truncateFile(path: string, length: number): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    await fh.truncate(length);
    await fh.sync();
  } finally {
    await fh.close();
  }
}
