// Append-only transaction log in ZooKeeper's FileTxnLog format:
//   FileHeader{magic "ZKLG", version 2, dbid 0}, then per txn
//   long Adler32(entry) · int len · entry = TxnHeader + txn record [+ TxnDigest] · byte 'B',
// with the file grown in preAllocSize (64 MiB) steps of zeros so a zero length marks the end.
// Group commit as in SyncRequestProcessor: append() only queues; commit() writes everything
// queued in one write per file and fsyncs once. At most one write+fsync round runs at a time: a
// commit() asked for during a round joins the next round, which takes all records queued by then.
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ByteWriter, adler32 } from './bytes.js';
import { FORMAT_VERSION, TXNLOG_MAGIC, logName, syncDir, versionDir } from './files.js';
import { writeFileHeader, writeTxnDigest, writeTxnHeader } from './records.js';
import type { TxnDigest, TxnHeader } from './types.js';

/** FilePadding's default preAllocSize (zookeeper.preAllocSize = 65536 KB). */
export const PREALLOC_BYTES = 64 * 1024 * 1024;
/** FilePadding pads when a write position comes within this many bytes of the padded size. */
const PAD_SLACK = 4096;

export interface TxnLogOptions {
  /** false = skip fsync (zookeeper.forceSync=no); records still reach the OS in one write. */
  forceSync?: boolean;
  /** Bytes per preallocation step; tests shrink it. 0 disables padding. */
  preallocBytes?: number;
  dbid?: bigint;
}

/** A queued run of records bound for one log file (a new file starts after rollLog()). */
interface Segment {
  firstZxid: bigint;
  newFile: boolean;
  records: Buffer[];
}

interface OpenLog {
  fh: FileHandle;
  path: string;
  /** Where the next record goes. */
  position: number;
  /** The padded file size (FilePadding.currentSize). */
  paddedSize: number;
}

/** FilePadding.calculateFileSizeWithPadding: grow by one step when within 4 KiB of the end. */
export function paddedSizeFor(position: number, fileSize: number, step: number): number {
  if (step <= 0 || position + PAD_SLACK < fileSize) return fileSize;
  if (position > fileSize) return position + step - ((position + step) % step);
  return fileSize + step;
}

/** Serializes one record exactly as FileTxnLog.append does. */
export function encodeTxnRecord(hdr: TxnHeader, body: Uint8Array, digest?: TxnDigest | null): Buffer {
  const entry = new ByteWriter(64 + body.length);
  writeTxnHeader(entry, hdr);
  entry.raw(body);
  if (digest) writeTxnDigest(entry, digest);
  const bytes = entry.view();
  const out = new ByteWriter(bytes.length + 13);
  out.long(BigInt(adler32(bytes))).bytes(bytes).byte(0x42);
  return Buffer.from(out.view());
}

export class TxnLogWriter {
  private readonly forceSync: boolean;
  private readonly step: number;
  private readonly dbid: bigint;
  private queue: Segment[] = [];
  private rollPending = true;
  private current: OpenLog | null = null;
  private running: Promise<void> | null = null;
  private next: Promise<void> | null = null;
  private failure: Error | null = null;
  lastZxidSeen = 0n;
  /** Counters for tests and metrics: write rounds, fsyncs issued, the most rounds ever in flight. */
  readonly stats = { rounds: 0, fsyncs: 0, maxInFlight: 0 };
  private inFlight = 0;

  private constructor(readonly dir: string, opts: TxnLogOptions) {
    this.forceSync = opts.forceSync ?? true;
    this.step = opts.preallocBytes ?? PREALLOC_BYTES;
    this.dbid = opts.dbid ?? 0n;
  }

  /** Opens a writer on `<dataLogDir>/version-2`. Like ZooKeeper, the first append starts a new file. */
  static async open(dataLogDir: string, opts: TxnLogOptions = {}): Promise<TxnLogWriter> {
    return new TxnLogWriter(await versionDir(dataLogDir), opts);
  }

  /** Queues one txn; nothing reaches the disk until commit(). */
  append(hdr: TxnHeader, body: Uint8Array, digest?: TxnDigest | null): void {
    if (this.failure) throw this.failure;
    if (hdr.zxid > this.lastZxidSeen) this.lastZxidSeen = hdr.zxid;
    const rec = encodeTxnRecord(hdr, body, digest);
    let seg = this.queue[this.queue.length - 1];
    if (this.rollPending || !seg) {
      seg = { firstZxid: hdr.zxid, newFile: this.rollPending, records: [] };
      this.queue.push(seg);
      this.rollPending = false;
    }
    seg.records.push(rec);
  }

  /** FileTxnLog.rollLog: the next append starts log.<its zxid> (called after a snapshot). */
  rollLog(): void {
    this.rollPending = true;
  }

  /** Makes every record appended before this call durable. Concurrent callers share rounds. */
  commit(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.next) return this.next;
    if (!this.running) return this.startRound();
    this.next = this.running.then(() => this.startRound());
    return this.next;
  }

  private startRound(): Promise<void> {
    this.next = null;
    const batch = this.queue;
    this.queue = [];
    const round = this.writeRound(batch);
    // `running` never rejects: the caller of this round gets the error, later rounds see `failure`.
    const settled = round.then(
      () => undefined,
      (e: Error) => {
        this.failure ??= e;
      },
    );
    this.running = settled;
    void settled.then(() => {
      if (this.running === settled) this.running = null;
    });
    return round;
  }

  private async writeRound(batch: Segment[]): Promise<void> {
    if (this.failure) throw this.failure;
    this.stats.rounds++;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, ++this.inFlight);
    try {
      await this.writeBatch(batch);
    } finally {
      this.inFlight--;
    }
  }

  private async writeBatch(batch: Segment[]): Promise<void> {
    const touched: OpenLog[] = [];
    for (const seg of batch) {
      if (seg.newFile || !this.current) {
        if (this.current) touched.push(this.current);
        this.current = await this.createFile(seg.firstZxid);
      }
      await this.writeSegment(this.current, seg.records);
    }
    if (this.current && batch.length > 0) touched.push(this.current);
    if (this.forceSync) {
      for (const log of new Set(touched)) {
        await log.fh.datasync();
        this.stats.fsyncs++;
      }
    }
    for (const log of touched) if (log !== this.current) await log.fh.close();
  }

  private async createFile(zxid: bigint): Promise<OpenLog> {
    const path = join(this.dir, logName(zxid));
    const fh = await open(path, 'w');
    const w = new ByteWriter(16);
    writeFileHeader(w, TXNLOG_MAGIC, FORMAT_VERSION, this.dbid);
    await fh.write(w.view(), 0, w.pos, 0);
    if (this.forceSync) await syncDir(this.dir);
    return { fh, path, position: w.pos, paddedSize: w.pos };
  }

  /** One write for the run; padding is extended first, as FilePadding.padFile does per append. */
  private async writeSegment(log: OpenLog, records: Buffer[]): Promise<void> {
    let pos = log.position;
    let size = log.paddedSize;
    for (const r of records) {
      size = paddedSizeFor(pos, size, this.step);
      pos += r.length;
    }
    if (size !== log.paddedSize) {
      // One zero byte at the new end, like FilePadding: the file grows sparse and reads as zeros.
      await log.fh.write(Buffer.alloc(1), 0, 1, size - 1);
      log.paddedSize = size;
    }
    const data = records.length === 1 ? records[0] : Buffer.concat(records);
    await writeFully(log.fh, data, log.position);
    log.position = pos;
  }

  /** Commits what is queued, then closes the current file (ZooKeeper leaves the padding). */
  async close(): Promise<void> {
    if (this.queue.length > 0 && !this.failure) await this.commit().catch(() => undefined);
    while (this.running || this.next) await (this.next ?? this.running)?.catch(() => undefined);
    if (this.current) await this.current.fh.close();
    this.current = null;
  }

  /** The file records currently go to (null before the first commit or after a roll). */
  get currentFile(): string | null {
    return this.current?.path ?? null;
  }
}

/** Writes all of `data` at `position` (a positional write may return short). */
export async function writeFully(fh: FileHandle, data: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await fh.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}
