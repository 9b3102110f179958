// The server's disk: recovery before it serves, the txn log behind the sync stage, snapshots every
// snapCount txns, autopurge (ZooKeeperServer.loadData + SyncRequestProcessor + DatadirCleanupManager).
// Layout and format are ZooKeeper 3.8's, so a data directory moves between the two servers.
import { DIGEST_VERSION, type ZxidDigest } from '../persist/types.js';
import type { DataTree } from '../data/tree.js';
import type { ChangeTable } from '../processor/changes.js';
import type { SessionTracker } from '../session/tracker.js';
import { recover, type Recovery } from '../persist/recovery.js';
import { writeSnapshot, type SnapshotWritten } from '../persist/snapshot.js';
import { purge, startAutopurge } from '../persist/purge.js';
import { DigestPredictor } from '../persist/wiring/digest-predictor.js';
import { DurableTxnLog } from '../persist/wiring/durable-log.js';
import { TxnLogWriter } from '../persist/txn-log.js';
import { Replayer } from '../persist/wiring/replay.js';
import { loadSessionSecret } from '../persist/wiring/session-secret.js';
import { SnapshotSchedule } from '../persist/wiring/snapshot-schedule.js';
import { loadSnapshot, treeNodes } from '../persist/wiring/tree-image.js';
import type { ServerOptions } from './config.js';

/** What durability reads and fills in: the server's tree, sessions and pending changes. */
export interface DurableState {
  readonly tree: DataTree;
  readonly tracker: SessionTracker;
  readonly changes: ChangeTable;
}

const HOUR_MS = 3_600_000;
const hex = (z: bigint): string => `0x${BigInt.asUintN(64, z).toString(16)}`;

export class Durability {
  readonly secret: Buffer;
  readonly log = new DurableTxnLog();
  private writer: TxnLogWriter | null = null;
  private schedule: SnapshotSchedule | null = null;
  private stopPurge: (() => void) | null = null;
  private readonly logDir: string;

  constructor(private readonly options: ServerOptions, private readonly say: (msg: string) => void = (m) => console.log(m)) {
    this.secret = loadSessionSecret(options.dataDir);
    this.logDir = options.dataLogDir ?? options.dataDir;
  }

  /** Recovers into `state`, snapshots the result, opens the log. Returns the zxid to continue from. */
  async open(state: DurableState): Promise<bigint> {
    const sessions = await this.recoverInto(state.tree);
    this.dropOrphanEphemerals(state.tree, sessions);
    for (const [id, timeout] of sessions) state.tracker.addSession(id, timeout);
    // ZooKeeperServer.loadData ends with a clean snapshot; on an empty directory it is snapshot.0.
    await this.snapshot(state);
    this.writer = await TxnLogWriter.open(this.logDir, { forceSync: this.options.forceSync, maxRounds: this.log.maxRounds });
    this.schedule = new SnapshotSchedule({
      snapCount: this.options.snapCount,
      rollLog: () => this.writer?.rollLog(),
      take: () => this.snapshot(state),
      onError: (e) => console.error('watchkeeper: snapshot failed', e),
    });
    const predictor = new DigestPredictor(state.tree, state.changes);
    state.tree.predicted = predictor;
    this.log.attach({ writer: this.writer, predictor, schedule: this.schedule });
    this.startPurge();
    return state.tree.lastProcessedZxid;
  }

  private async recoverInto(tree: DataTree): Promise<Map<bigint, number>> {
    const rec = await recover(this.options.dataDir, { dataLogDir: this.logDir });
    for (const s of rec.skipped) this.say(`watchkeeper: snapshot ${s.file} is unusable (${s.error}); trying an older one`);
    if (rec.snapshot) loadSnapshot(tree, rec.snapshot);
    const replay = new Replayer(tree, new Map(rec.snapshot?.sessions ?? []), rec.snapshot?.digest ?? null);
    const report = await replay.run(rec.txns);
    this.reportRecovery(rec, report.txns, tree);
    if (report.digestMismatches > 0) {
      this.say(`watchkeeper: ${report.digestMismatches} digest mismatches while replaying (first at zxid ${hex(report.firstMismatchZxid!)})`);
    }
    return replay.sessions;
  }

  private reportRecovery(rec: Recovery, txns: number, tree: DataTree): void {
    const { cut } = rec.result();
    if (cut) {
      this.say(`watchkeeper: cut damaged txn log tail: ${cut.file} from byte ${cut.offset} (${cut.reason}); ` +
        `every complete txn before it is kept, last zxid ${hex(tree.lastProcessedZxid)}`);
    }
    const from = rec.snapshot ? `snapshot ${hex(rec.snapshot.zxid)}` : 'an empty data directory';
    this.say(`watchkeeper: recovered ${tree.size} znodes from ${from} and ${txns} logged txns, last zxid ${hex(tree.lastProcessedZxid)}`);
  }

  /** ZooKeeperServer.loadData kills ephemerals whose session is not in the recovered session table. */
  private dropOrphanEphemerals(tree: DataTree, sessions: Map<bigint, number>): void {
    for (const owner of [...tree.ephemerals.keys()]) {
      if (!sessions.has(owner)) tree.killSession(owner, tree.lastProcessedZxid, []);
    }
  }

  /**
   * A fuzzy snapshot named after the last applied zxid. The sessions and ACL refs are taken now;
   * the nodes are walked while the tree keeps changing, and the digest written after them is the
   * tree's at the zxid the walk ended at (DataTree.serializeZxidDigest), read when the writer asks.
   */
  snapshot(state: DurableState): Promise<SnapshotWritten> {
    const { tree, tracker } = state;
    const sessions = new Map<bigint, number>();
    for (const s of tracker.liveSessions()) sessions.set(s.sessionId, s.timeoutMs);
    const input = {
      zxid: tree.lastProcessedZxid,
      sessions,
      acls: tree.acls.entries(),
      nodes: treeNodes(tree),
      get digest(): ZxidDigest {
        return { zxid: tree.lastProcessedZxid, digestVersion: DIGEST_VERSION, digest: tree.digest };
      },
    };
    return writeSnapshot(this.options.dataDir, input, { fsync: this.options.forceSync });
  }

  private startPurge(): void {
    const hours = this.options.autopurgePurgeInterval;
    if (hours <= 0) return;
    const keep = this.options.autopurgeSnapRetainCount;
    const onError = (e: unknown): void => console.error('watchkeeper: autopurge failed', e);
    // DatadirCleanupManager's timer fires once at start, then every purgeInterval hours.
    purge(this.options.dataDir, keep, this.logDir).catch(onError);
    this.stopPurge = startAutopurge(this.options.dataDir, keep, hours * HOUR_MS, this.logDir, onError);
  }

  /** Snapshot and purge timers stop; what is queued in the log is committed and the file closed. */
  async close(): Promise<void> {
    this.stopPurge?.();
    this.stopPurge = null;
    await this.schedule?.idle();
    await this.writer?.close();
  }

  /** Snapshots started / skipped because one was still running. */
  get snapshotStats(): { taken: number; skipped: number } {
    return this.schedule?.stats ?? { taken: 0, skipped: 0 };
  }
}
