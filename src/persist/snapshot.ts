// Snapshots in ZooKeeper 3.8's format (FileSnap + SnapStream CHECKED mode + DataTree.serialize):
//   FileHeader{"ZKSN", 2, dbid -1} · int sessionCount · (long id, int timeout)*
//   · int aclCount · (long ref, vector<ACL>)* · (ustring path, buffer data, long aclRef,
//   StatPersisted)* in parent-before-child order, root under "" · ustring "/" (end of nodes)
//   · seal{long Adler32 of every byte so far, ustring "/"} · ZxidDigest{long zxid, int version,
//   long digest} · a second seal covering everything before it.
// Writing is chunked: nodes are encoded into a 256 KiB buffer that is checksummed and written
// with an await, so a million-node tree never holds the event loop for long, and (with fsync) each
// chunk is durable as it is written, so the snapshot never queues a big flush in front of the txn
// log's syncs. The file is written under a name ZooKeeper ignores, fsynced, then renamed
// (AtomicFileOutputStream's guarantee).
import { constants } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ByteWriter, adler32 } from './bytes.js';
import { FORMAT_VERSION, SNAP_MAGIC, snapshotName, syncDir, versionDir } from './files.js';
import { TreeDigest } from './digest.js';
import { writeAclList, writeFileHeader, writeStat } from './records.js';
import { DIGEST_VERSION, type ACL, type SnapshotNode, type ZxidDigest } from './types.js';

/** FileSnap's dbId. */
export const SNAP_DBID = -1n;
/** Small enough that a log sync queued behind one chunk's write waits little (bench/write p99). */
const CHUNK_BYTES = 256 << 10;
/** Longest the writer encodes before awaiting, whatever the chunk fill: the event-loop budget. */
const SLICE_MS = 8;
/** Nodes between clock reads (reading the clock per node would cost more than it saves). */
const CLOCK_EVERY = 128;

export interface SnapshotInput {
  /** The last zxid applied when the snapshot began; names the file. */
  zxid: bigint;
  sessions: Map<bigint, number>;
  /**
   * The ACL cache (ReferenceCountedACLCache). It precedes the nodes in the file, so it is written
   * before `nodes` is iterated: a node whose ref is added later (a fuzzy snapshot) gets its ACL back
   * when its create txn is replayed, as in ZooKeeper.
   */
  acls: Map<bigint, ACL[]>;
  /** Every node, each parent before its children, the root first with path "". */
  nodes: Iterable<SnapshotNode>;
  /**
   * What follows the first seal: a given digest; 'tree' (default) = the digest of the nodes as
   * written, tagged with `zxid` (right when the nodes are a consistent view at zxid); 'empty' =
   * zxid 0, which ZooKeeper reads as "no digest"; null = nothing (a pre-3.6 snapshot).
   */
  digest?: ZxidDigest | 'tree' | 'empty' | null;
}

export interface SnapshotWriteOptions {
  /** fsync the file and directory before returning (default true). */
  fsync?: boolean;
  /** Bytes encoded between awaits; tests shrink it. */
  chunkBytes?: number;
}

export interface SnapshotWritten {
  path: string;
  bytes: number;
  nodes: number;
  digest: ZxidDigest | null;
  /** Longest synchronous stretch of the write, in ms: the worst event-loop stall it caused. */
  maxSliceMs: number;
  /** The longest stretch in process CPU time (robust on a shared machine). */
  maxSliceCpuMs: number;
}

/** Streams encoded bytes to a file with a running Adler-32, as SnapStream's CheckedOutputStream. */
class CheckedSink {
  readonly w = new ByteWriter(CHUNK_BYTES + 4096);
  checksum = 1;
  written = 0;

  constructor(private readonly fh: import('node:fs/promises').FileHandle, private readonly chunk: number) {}

  private sliceStart = performance.now();
  private sinceClock = 0;

  /** True when the chunk is full or the current slice of time is spent: time to flush. */
  due(): boolean {
    if (this.w.pos >= this.chunk) return true;
    if (++this.sinceClock < CLOCK_EVERY) return false;
    this.sinceClock = 0;
    return performance.now() - this.sliceStart >= SLICE_MS;
  }

  /** Longest run of synchronous work between two writes (what the event loop waits for). */
  maxSliceMs = 0;
  /** The same in CPU time, which other processes competing for the core cannot inflate. */
  maxSliceCpuMs = 0;
  private sliceCpu = process.cpuUsage();

  async flush(): Promise<void> {
    const bytes = this.w.view();
    this.checksum = adler32(bytes, 0, bytes.length, this.checksum);
    this.maxSliceMs = Math.max(this.maxSliceMs, performance.now() - this.sliceStart);
    const cpu = process.cpuUsage(this.sliceCpu);
    this.maxSliceCpuMs = Math.max(this.maxSliceCpuMs, (cpu.user + cpu.system) / 1000);
    let done = 0;
    while (done < bytes.length) {
      const r = await this.fh.write(bytes, done, bytes.length - done, this.written + done);
      done += r.bytesWritten;
    }
    this.written += bytes.length;
    this.w.reset();
    this.sliceStart = performance.now();
    this.sliceCpu = process.cpuUsage();
  }

  /** SnapStream.sealStream: the checksum of everything before it, then the string "/". */
  seal(): void {
    const v = adler32(this.w.buf, 0, this.w.pos, this.checksum);
    this.w.long(BigInt(v)).ustring('/');
  }
}

/**
 * Encodes the nodes in stretches with no await per node (one promise per node cost more than the
 * encoding itself); a stretch ends when the chunk is full or the slice of time is spent, so each
 * yielded node is fully written before the next is asked for. The digest of the nodes as written
 * is computed only when the caller asked for it ('tree').
 */
async function writeNodes(sink: CheckedSink, nodes: Iterable<SnapshotNode>, digest: TreeDigest | null): Promise<number> {
  let count = 0;
  for (const n of nodes) {
    sink.w.ustring(n.path).bytes(n.data).long(n.aclRef);
    writeStat(sink.w, n.stat);
    digest?.add(n.path, n.data, n.stat);
    count++;
    if (sink.due()) await sink.flush();
  }
  sink.w.ustring('/');
  return count;
}

function writePreamble(w: ByteWriter, input: SnapshotInput): void {
  writeFileHeader(w, SNAP_MAGIC, FORMAT_VERSION, SNAP_DBID);
  w.int(input.sessions.size);
  for (const [id, timeout] of input.sessions) w.long(id).int(timeout);
  w.int(input.acls.size);
  for (const [ref, list] of input.acls) {
    w.long(ref);
    writeAclList(w, list);
  }
}

function wantsTreeDigest(input: SnapshotInput): boolean {
  return input.digest === undefined || input.digest === 'tree';
}

function chooseDigest(input: SnapshotInput, tree: TreeDigest | null): ZxidDigest | null {
  const d = input.digest === undefined ? 'tree' : input.digest;
  if (d === null) return null;
  if (d === 'tree') return { zxid: input.zxid, digestVersion: DIGEST_VERSION, digest: tree!.value };
  if (d === 'empty') return { zxid: 0n, digestVersion: DIGEST_VERSION, digest: 0n };
  return d;
}

/** Writes `<dataDir>/version-2/snapshot.<hex zxid>`. */
export async function writeSnapshot(dataDir: string, input: SnapshotInput, opts: SnapshotWriteOptions = {}): Promise<SnapshotWritten> {
  const dir = await versionDir(dataDir);
  const path = join(dir, snapshotName(input.zxid));
  const tmp = join(dir, `.${snapshotName(input.zxid)}.tmp`);
  // With fsync, every chunk is written O_DSYNC: durable when its write returns, so tens of MB of
  // dirty pages never pile up for one final flush that would hold up the txn log's own syncs on
  // the same disk (bench/write: p99 of acknowledged writes during snapshots).
  const { O_WRONLY, O_CREAT, O_TRUNC, O_DSYNC } = constants;
  const fh = await open(tmp, O_WRONLY | O_CREAT | O_TRUNC | ((opts.fsync ?? true) ? O_DSYNC : 0));
  try {
    const sink = new CheckedSink(fh, opts.chunkBytes ?? CHUNK_BYTES);
    writePreamble(sink.w, input);
    const tree = wantsTreeDigest(input) ? new TreeDigest() : null;
    const nodes = await writeNodes(sink, input.nodes, tree);
    sink.seal();
    const digest = chooseDigest(input, tree);
    if (digest) {
      sink.w.long(digest.zxid).int(digest.digestVersion).long(digest.digest);
      sink.seal();
    }
    await sink.flush();
    if (opts.fsync ?? true) await fh.sync();
    await fh.close();
    await rename(tmp, path);
    if (opts.fsync ?? true) await syncDir(dir);
    return { path, bytes: sink.written, nodes, digest, maxSliceMs: sink.maxSliceMs, maxSliceCpuMs: sink.maxSliceCpuMs };
  } catch (e) {
    await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}
