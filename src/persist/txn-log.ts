// Append-only transaction log in ZooKeeper's FileTxnLog format:
//   FileHeader{magic "ZKLG", version 2, dbid 0}, then per txn
//   long Adler32(entry) · int len · entry = TxnHeader + txn record [+ TxnDigest] · byte 'B',
// with the file grown in preAllocSize (64 MiB) steps of zeros so a zero length marks the end.
// Group commit as in SyncRequestProcessor: append() only queues; commit() makes everything queued
// durable in one write per file. Rounds may overlap (maxRounds > 1): commit() gives what is queued
// its place in the file at once and starts its own durable write without waiting for the round
// before it; overlapping flushes of one file let the kernel merge journal commits, so a few rounds
// in flight raise the acknowledged-write rate on a disk whose flush takes milliseconds
// (bench/write). The sync stage acknowledges rounds in order. With maxRounds 1 (the default, and
// ZooKeeper's scheme) a commit asked for while a round runs joins the next round.
// Why overlapping rounds stay safe after a crash: every round writes its own byte range and is
// durable when its write returns (O_DSYNC, or nothing with forceSync=no), so a durable round never
// depends on a later one; a round that is lost leaves zeros (the reader's end of file) or a torn
// record (cut), so what recovery reads is always a prefix. A new file is only created once every
// round of the file before it is durable, so no later file can outlive a hole in an earlier one.
import { constants } from 'node:fs';
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

/** FilePadding.calculateFileSizeWithPadding: grow by one step when within 4 KiB of the end. */
export function paddedSizeFor(position: number, fileSize: number, step: number): number {
  if (step <= 0 || position + PAD_SLACK < fileSize) return fileSize;
  if (position > fileSize) return position + step - ((position + step) % step);
  return fileSize + step;
}

/**
 * Appends one record to `w` exactly as FileTxnLog.append frames it: long Adler32(entry), int length,
 * entry = TxnHeader + txn record + TxnDigest, byte 'B'. The entry is encoded in place and the
 * checksum and length are patched in before it once it is written.
 */
export function writeTxnRecord(w: ByteWriter, hdr: TxnHeader, body: Uint8Array, digest?: TxnDigest | null): void {
  const head = w.pos;
  w.long(0n).int(0);
  writeTxnHeader(w, hdr);
  w.raw(body);
  if (digest) writeTxnDigest(w, digest);
  w.buf.writeUInt32BE(0, head);
  w.buf.writeUInt32BE(adler32(w.buf, head + 12, w.pos), head + 4);
  w.buf.writeInt32BE(w.pos - head - 12, head + 8);
  w.byte(0x42);
}

/** One record's bytes on their own (tests, tools). */
export function encodeTxnRecord(hdr: TxnHeader, body: Uint8Array, digest?: TxnDigest | null): Buffer {
  const w = new ByteWriter(64 + body.length);
  writeTxnRecord(w, hdr, body, digest);
  return Buffer.from(w.view());
}

export interface TxnLogOptions {
  /** false = skip the sync (zookeeper.forceSync=no); records still reach the OS in one write. */
  forceSync?: boolean;
  /** Bytes per preallocation step (zookeeper.preAllocSize); tests shrink it. 0 disables padding. */
  preallocBytes?: number;
  dbid?: bigint;
  /** Commit rounds that may be in flight at once (default 1). */
  maxRounds?: number;
}

/** Initial size of a round's buffer (it doubles as needed). */
const QUEUE_BYTES = 16 * 1024;

/** One log file; `fh` settles once the file exists (after every round of the previous file). */
interface LogFile {
  path: string;
  fh: Promise<FileHandle>;
  position: number;
  paddedSize: number;
  rounds: number;
  retired: boolean;
}

/** A round's bytes for one file: where they go and how far the file must be padded first. */
interface Part {
  file: LogFile;
  data: Buffer;
  at: number;
  padTo: number | null;
}

export class TxnLogWriter {
  private readonly forceSync: boolean;
  private readonly step: number;
  private readonly dbid: bigint;
  private readonly maxRounds: number;
  /** With every round slot taken: the commit that later callers share (maxRounds 1's group commit). */
  private next: Promise<void> | null = null;
  /** Records appended since the last cut, encoded back to back (one buffer per round). */
  private queue = new ByteWriter(QUEUE_BYTES);
  private queued = 0;
  private queueFirstZxid = 0n;
  private rollPending = true;
  private current: LogFile | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private failure: Error | null = null;
  readonly stats = { rounds: 0, fsyncs: 0, maxInFlight: 0 };

  private constructor(readonly dir: string, opts: TxnLogOptions) {
    this.forceSync = opts.forceSync ?? true;
    this.step = opts.preallocBytes ?? PREALLOC_BYTES;
    this.dbid = opts.dbid ?? 0n;
    this.maxRounds = Math.max(1, opts.maxRounds ?? 1);
  }

  /** Opens a writer on `<dataLogDir>/version-2`. Like ZooKeeper, the first append starts a new file. */
  static async open(dataLogDir: string, opts: TxnLogOptions = {}): Promise<TxnLogWriter> {
    return new TxnLogWriter(await versionDir(dataLogDir), opts);
  }

  /** Queues one txn, encoded straight into the round's buffer (writeTxnRecord). */
  append(hdr: TxnHeader, body: Uint8Array, digest?: TxnDigest | null): void {
    if (this.failure) throw this.failure;
    if (this.queued === 0) this.queueFirstZxid = hdr.zxid;
    writeTxnRecord(this.queue, hdr, body, digest);
    this.queued++;
  }

  /** The next append starts log.<its zxid> (FileTxnLog.rollLog, after a snapshot). */
  rollLog(): void {
    this.cutSegment();
    this.rollPending = true;
  }

  private parts: Part[] = [];

  /** Gives the queued records their place: in the current file, or a new one after a roll. */
  private cutSegment(): void {
    if (this.queued === 0) return;
    if (this.rollPending || !this.current) this.startFile(this.queueFirstZxid);
    const file = this.current!;
    const data = this.queue.view();
    // FilePadding grows the file by a step whenever a write comes within 4 KiB of its end.
    const size = paddedSizeFor(file.position + data.length, paddedSizeFor(file.position, file.paddedSize, this.step), this.step);
    this.parts.push({ file, data, at: file.position, padTo: size !== file.paddedSize ? size : null });
    file.position += data.length;
    file.paddedSize = size;
    file.rounds++;
    this.queue = new ByteWriter(QUEUE_BYTES);
    this.queued = 0;
  }

  /** The new file is created once every round in flight (all on older files) is durable. */
  private startFile(zxid: bigint): void {
    const before = Promise.allSettled([...this.inFlight]);
    const path = join(this.dir, logName(zxid));
    if (this.current) this.current.retired = true;
    const prev = this.current;
    const fh = before.then(() => this.createFile(path));
    this.current = { path, fh, position: 16, paddedSize: 16, rounds: 0, retired: false };
    this.rollPending = false;
    if (prev && prev.rounds === 0) void this.closeFile(prev);
  }

  /**
   * With forceSync the file is opened O_DSYNC: each write returns once its data (and the metadata
   * needed to read it back) is on disk, exactly what write + fdatasync gives, in one trip through
   * the thread pool instead of two.
   */
  private async createFile(path: string): Promise<FileHandle> {
    const { O_WRONLY, O_CREAT, O_TRUNC, O_DSYNC } = constants;
    const fh = await open(path, O_WRONLY | O_CREAT | O_TRUNC | (this.forceSync ? O_DSYNC : 0));
    const w = new ByteWriter(16);
    writeFileHeader(w, TXNLOG_MAGIC, FORMAT_VERSION, this.dbid);
    await fh.write(w.view(), 0, w.pos, 0);
    if (this.forceSync) await syncDir(this.dir);
    return fh;
  }

  /**
   * Makes everything appended before the call durable: in a round of its own when a round slot is
   * free, else in the next round, which callers asked for meanwhile share.
   */
  commit(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.inFlight.size < this.maxRounds && !this.next) return this.commitNow();
    this.next ??= Promise.race([...this.inFlight]).then(() => {
      this.next = null;
      return this.commit();
    });
    return this.next;
  }

  private commitNow(): Promise<void> {
    this.cutSegment();
    const parts = this.parts;
    this.parts = [];
    if (parts.length === 0) return Promise.allSettled([...this.inFlight]).then(() => this.throwIfFailed());
    const round = this.round(parts).catch((e: Error) => {
      this.failure ??= e;
      throw e;
    });
    const settled = round.then(() => undefined, () => undefined);
    this.inFlight.add(settled);
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.inFlight.size);
    void settled.then(() => this.inFlight.delete(settled));
    return round;
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  /**
   * Writes the parts file by file in order (each write durable on return when forceSync): a part
   * in a newer file is written only after the older file's part of this round is durable.
   */
  private async round(parts: Part[]): Promise<void> {
    this.stats.rounds++;
    for (const p of parts) {
      const fh = await p.file.fh;
      if (p.padTo !== null) await fh.write(Buffer.alloc(1), 0, 1, p.padTo - 1);
      await writeFully(fh, p.data, p.at);
      if (this.forceSync) this.stats.fsyncs++; // the O_DSYNC write above was the sync
      if (--p.file.rounds === 0 && p.file.retired) await this.closeFile(p.file);
    }
  }

  private async closeFile(f: LogFile): Promise<void> {
    await (await f.fh).close().catch(() => undefined);
  }

  /** Commits what is queued, waits for every round, closes the current file. */
  async close(): Promise<void> {
    if (!this.failure && (this.queued > 0 || this.parts.length > 0)) await this.commit().catch(() => undefined);
    while (this.next || this.inFlight.size > 0) await Promise.allSettled([this.next, ...this.inFlight]);
    if (this.current) await this.closeFile(this.current).catch(() => undefined);
    this.current = null;
  }

  /** The file records currently go to (null before the first commit). */
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
