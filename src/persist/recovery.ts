// Startup recovery as FileTxnSnapLog.restore does it: load the newest snapshot that reads back
// intact (falling back to older ones), then replay every logged txn after its zxid. Differences
// from ZooKeeper, on purpose: a torn or corrupt log tail is cut off (truncated on disk) and
// reported instead of aborting startup, since a crash during a write leaves exactly that; damage in
// an older log (newer logs follow it) still aborts, as it does in ZooKeeper.
import { join } from 'node:path';
import { LOG_PREFIX, VERSION_DIR, listZxidFiles } from './files.js';
import { SnapshotError, listSnapshots, readSnapshot } from './snapshot-reader.js';
import { TxnLogReader, truncateAtCut, type LogCut } from './txn-log-reader.js';
import type { SnapshotContent, TxnRecord } from './types.js';

export interface RecoveryOptions {
  /** Where transaction logs live (zoo.cfg dataLogDir); defaults to dataDir. */
  dataLogDir?: string;
  /** Cut a damaged log tail on disk (default true). False only reports it. */
  truncate?: boolean;
  /**
   * ZooKeeper refuses logs without any snapshot (ZOOKEEPER-3056) unless
   * zookeeper.snapshot.trust.empty is set; this is that switch.
   */
  trustEmptySnapshot?: boolean;
}

export interface SkippedSnapshot {
  file: string;
  error: string;
}

export interface Recovery {
  /** The snapshot loaded, or null for an empty database (no snapshot at all). */
  snapshot: SnapshotContent | null;
  /** Snapshots tried first and found damaged, newest first. */
  skipped: SkippedSnapshot[];
  /** Txns after the snapshot, in log order. Iterate once. */
  txns: AsyncIterable<TxnRecord>;
  /** After `txns` is exhausted: the highest zxid recovered and the damage cut, if any. */
  result(): { lastZxid: bigint; cut: LogCut | null };
}

export class RecoveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecoveryError';
  }
}

async function newestValidSnapshot(dataDir: string, skipped: SkippedSnapshot[]): Promise<SnapshotContent | null> {
  const snaps = await listSnapshots(dataDir);
  for (const s of snaps) {
    try {
      return await readSnapshot(s.path);
    } catch (e) {
      if (!(e instanceof SnapshotError)) throw e;
      skipped.push({ file: s.path, error: e.message });
    }
  }
  if (snaps.length > 0) throw new RecoveryError(`no valid snapshot in ${dataDir} (${snaps.length} damaged)`);
  return null;
}

export async function recover(dataDir: string, opts: RecoveryOptions = {}): Promise<Recovery> {
  const logDir = opts.dataLogDir ?? dataDir;
  const skipped: SkippedSnapshot[] = [];
  const snapshot = await newestValidSnapshot(dataDir, skipped);
  if (!snapshot && !opts.trustEmptySnapshot) {
    const logs = await listZxidFiles(join(logDir, VERSION_DIR), LOG_PREFIX);
    if (logs.length > 0) throw new RecoveryError('no snapshot found, but there are log entries');
  }
  const from = snapshot ? snapshot.zxid + 1n : 0n;
  const reader = await TxnLogReader.open(logDir, from);
  let lastZxid = snapshot?.zxid ?? 0n;
  let done = false;
  async function* txns(): AsyncGenerator<TxnRecord> {
    for await (const rec of reader) {
      if (rec.header.zxid > lastZxid) lastZxid = rec.header.zxid;
      yield rec;
    }
    const cut = reader.cut;
    // Damage before the newest log is not a crash tail: later logs would replay across a gap.
    // ZooKeeper fails startup on it too; leave the files for a human.
    if (cut && cut.laterFiles.length > 0) {
      throw new RecoveryError(`damaged log ${cut.file} at ${cut.offset} (${cut.reason}) followed by newer logs`);
    }
    if (cut && (opts.truncate ?? true)) await truncateAtCut(cut);
    done = true;
  }
  return {
    snapshot,
    skipped,
    txns: txns(),
    result() {
      if (!done) throw new RecoveryError('result() before txns were fully read');
      return { lastZxid, cut: reader.cut };
    },
  };
}
