// createServer: the listening socket, connections, sessions and the processor chain wired
// together. Watchers are connections (ids from a free list); sessions outlive connections until
// they expire or are closed.
import net from 'node:net';
import { checkACL } from '../data/acl.js';
import { ContainerManager, defaultContainerOptions, type ContainerOptions } from '../data/containers.js';
import { encode } from '../proto/schema.js';
import { DeleteContainerRequestRec } from '../processor/ops/delete.js';
import { OpCode, Perms } from '../proto/constants.js';
import { DataTree } from '../data/tree.js';
import { Connection, type ConnectionHost } from '../net/connection.js';
import { FlushQueue } from '../net/outbuf.js';
import { defaultWriterMinBatch } from '../net/writer.js';
import { answerFourLetterWord } from '../net/fourletter.js';

import { Pipeline } from '../processor/chain.js';
import { ChangeTable } from '../processor/changes.js';
import type { ProcessorContext } from '../processor/context.js';
import { MemoryTxnLog, type TxnLog } from '../processor/sync.js';
import { SessionTracker } from '../session/tracker.js';
import type { WatchManager } from '../watch/types.js';
import { WatchTables, type WatchSink } from '../watch/tables.js';
import { resolveOptions, type ServerOptions, type ServerOptionsInput } from './config.js';
import { handleConnect, type ConnectDeps } from './connect.js';
import { dispatchRequest } from './dispatch.js';
import { fourLetterSource, startLoopMonitor, stopLoopMonitor } from './stats.js';
import { ServerStats } from '../net/stats.js';
import { defaultWatchManagerFactory } from './watch-factory.js';
import { Durability } from './durability.js';

/**
 * Retiring closed connections' watches: at most `ms` per loop turn, in calls that each drop at
 * most `slice` watches (~0.2 µs each), so a thousand sessions leaving at once cannot stall the
 * loop. Tests may lower them.
 */
export const RETIRE_BUDGET = { slice: 4096, ms: 4 };

export interface ExtraServerOptions {
  /** Builds each of the two watch tables; defaults to the WASM manager when it is available. */
  watchManagerFactory?: () => WatchManager;
  /** A txn log of the caller's; given, the server keeps nothing on disk itself. */
  txnLog?: TxnLog;
  /**
   * Recover from and log to dataDir/dataLogDir (ZooKeeper's format). Default: on when a dataDir
   * is given and no txnLog, so servers built without a dataDir stay in memory.
   */
  durable?: boolean;
  /**
   * Notification header zxid: 'txn' (default) carries the triggering txn's zxid as ZooKeeper 3.9+
   * does; 'minus1' sends -1 as 3.8 did.
   */
  notificationZxid?: 'minus1' | 'txn';
  /**
   * Watch mode semantics: '3.9' (default: modes accumulate per pair, ZOOKEEPER-4466) or '3.8'
   * (one mode per pair, a new watch replaces it).
   */
  watchModeSemantics?: '3.8' | '3.9';
  /** Container/TTL reaping (znode.container.* system properties in ZooKeeper). */
  containers?: Partial<ContainerOptions>;
  /**
   * Flush passes over at least this many connections share their socket writes with a writer
   * thread (src/net/writer.ts); 0 = none. Default: WATCHKEEPER_WRITER_MIN_BATCH, else 0.
   */
  writerMinBatch?: number;
}

export interface WatchkeeperServer {
  listen(): Promise<{ host: string; port: number }>;
  address(): { host: string; port: number } | null;
  close(): Promise<void>;
}

export function createServer(input: ServerOptionsInput & ExtraServerOptions = {}): WatchkeeperServer {
  const durable = input.durable ?? (input.dataDir !== undefined && input.txnLog === undefined);
  return new ServerCore(resolveOptions(input), { ...input, durable });
}

export class ServerCore implements ConnectionHost, WatchSink, WatchkeeperServer {
  readonly tree: DataTree;
  readonly watches: WatchTables;
  readonly tracker: SessionTracker;
  readonly pipeline: Pipeline;
  readonly ctx: ProcessorContext;
  readonly byWatcher = new Map<number, Connection>();
  readonly bySession = new Map<bigint, Connection>();
  private readonly perIp = new Map<string, number>();
  private readonly freeIds: number[] = [];
  /** Closed connections' watcher ids whose watches are still being removed (oldest first). */
  private readonly retiring: number[] = [];
  private retireHead = 0;
  /** A connection closed since the last retire pass (see retireSome). */
  private closedSinceRetire = false;
  private retireYielded = false;
  private nextWatcherId = 0;
  private zxid = 0n;
  readonly startedAt = Date.now();
  // Half-open allowed: on a client's FIN the connection destroys its socket itself, in the flush
  // queue's budgeted pass, instead of Node ending each one at once (see Connection's onSocketEnd).
  private readonly server = net.createServer({ allowHalfOpen: true }, (s) => this.accept(s));
  private readonly connectDeps: ConnectDeps;
  readonly containers: ContainerManager;
  /** Request accounting for the four-letter words and the globalOutstandingLimit throttle. */
  readonly stats = new ServerStats();
  /** The one output flush pass per loop turn for every connection. */
  readonly flushQueue: FlushQueue;

  /** null for an in-memory server. */
  readonly durability: Durability | null;

  constructor(readonly options: ServerOptions, extra: ExtraServerOptions) {
    this.durability = extra.durable && !extra.txnLog ? new Durability(options) : null;
    this.tree = new DataTree(options.extendedTypesEnabled);
    this.stats.globalOutstandingLimit = options.globalOutstandingLimit;
    this.flushQueue = new FlushQueue(options.maxPendingOutputBytes, extra.writerMinBatch ?? defaultWriterMinBatch());
    const factory = extra.watchManagerFactory ?? defaultWatchManagerFactory;
    this.watches = new WatchTables(factory(), factory(), this, {
      notificationZxid: extra.notificationZxid ?? 'txn',
      modeSemantics: extra.watchModeSemantics ?? '3.9',
    });
    this.tree.events = this.watches;
    const secret = this.durability?.secret;
    this.tracker = new SessionTracker({ tickTime: options.tickTime, onExpire: (id) => this.expire(id), secret });
    this.ctx = this.context();
    const log = extra.txnLog ?? this.durability?.log ?? new MemoryTxnLog();
    this.pipeline = new Pipeline(this.ctx, log, (err) => this.logFailed(err));
    this.connectDeps = this.connectDependencies();
    const copts = { ...defaultContainerOptions, ...extra.containers };
    this.containers = new ContainerManager(this.tree, copts, (path) => this.reapContainer(path));
  }

  /** The ContainerManager's request: session 0, no connection, the raw path as body. */
  private reapContainer(path: string): void {
    dispatchRequest(this, null, 0, OpCode.deleteContainer, encode(DeleteContainerRequestRec, { path }), 0n);
  }

  private context(): ProcessorContext {
    return {
      tree: this.tree,
      changes: new ChangeTable(this.tree),
      watches: this.watches,
      sessions: this.tracker,
      superDigest: this.options.superDigest,
      extendedTypes: this.options.extendedTypesEnabled,
      nextZxid: () => ++this.zxid,
      sessionClosed: (id) => this.bySession.get(id)?.closeAfterFlush(),
    };
  }

  private connectDependencies(): ConnectDeps {
    return {
      minSessionTimeout: this.options.minSessionTimeout,
      maxSessionTimeout: this.options.maxSessionTimeout,
      tracker: this.tracker,
      pipeline: this.pipeline,
      lastZxid: () => this.tree.lastProcessedZxid,
      attach: (conn, id) => this.attach(conn, id),
    };
  }

  get maxFrame(): number {
    return this.options.juteMaxBuffer;
  }

  get maxPendingOutput(): number {
    return this.options.maxPendingOutputBytes;
  }

  /** The log failed: nothing after it can be acknowledged safely, so stop serving. */
  private logFailed(err: unknown): void {
    console.error('watchkeeper: transaction log failure, shutting down', err);
    void this.close();
  }

  private accept(socket: net.Socket): void {
    const ip = socket.remoteAddress ?? '';
    const count = this.perIp.get(ip) ?? 0;
    const max = this.options.maxClientCnxns;
    if (max > 0 && count >= max) return void socket.destroy(); // ZooKeeper: "Too many connections from"
    this.perIp.set(ip, count + 1);
    const id = this.freeIds.pop() ?? this.nextWatcherId++;
    this.byWatcher.set(id, new Connection(socket, id, this));
  }

  fourLetter(word: string): string | null {
    return answerFourLetterWord(word, fourLetterSource(this), this.options.fourLetterWhitelist);
  }

  connect(conn: Connection, req: Parameters<ConnectionHost['connect']>[1]): void {
    handleConnect(this.connectDeps, conn, req);
  }

  request(conn: Connection, xid: number, type: number, body: Buffer): void {
    dispatchRequest(this, conn, xid, type, body);
  }

  /** Re-attaching a live session from a new connection closes the old one. */
  private attach(conn: Connection, sessionId: bigint): void {
    const old = this.bySession.get(sessionId);
    if (old && old !== conn) old.close();
    this.bySession.set(sessionId, conn);
  }

  closed(conn: Connection): void {
    if (!this.byWatcher.delete(conn.watcherId)) return;
    this.retire(conn.watcherId);
    if (this.bySession.get(conn.sessionId) === conn) this.bySession.delete(conn.sessionId);
    const ip = conn.socket.remoteAddress ?? '';
    const n = (this.perIp.get(ip) ?? 1) - 1;
    if (n <= 0) this.perIp.delete(ip);
    else this.perIp.set(ip, n);
  }

  /**
   * A closed connection's watches are dropped over later loop turns, a budget per turn
   * (DataTree.removeCnxn does it at once; with a million watches that is a long stall). The id is
   * reused only once all of its watches are gone; nothing is delivered to it meanwhile.
   */
  private retire(id: number): void {
    this.retiring.push(id);
    this.closedSinceRetire = true;
    if (this.retiring.length - this.retireHead === 1) setImmediate(retireSome, this);
  }

  /**
   * One turn's slice of retiring; schedules the next while ids remain. A turn in which sockets
   * closed has already spent its time closing them (a thousand 'end' events arrive in one poll),
   * so the slice waits for the next turn (once: steady churn must not starve retiring).
   */
  retireSome(): void {
    const yieldNow = this.closedSinceRetire && !this.retireYielded;
    this.closedSinceRetire = false;
    this.retireYielded = yieldNow;
    if (yieldNow) return void setImmediate(retireSome, this);
    const deadline = performance.now() + RETIRE_BUDGET.ms;
    do {
      if (this.watches.removeWatcherSome(this.retiring[this.retireHead]!, RETIRE_BUDGET.slice)) {
        this.freeIds.push(this.retiring[this.retireHead++]!);
      }
    } while (this.retireHead < this.retiring.length && performance.now() < deadline);
    if (this.retireHead < this.retiring.length) return void setImmediate(retireSome, this);
    this.retiring.length = 0;
    this.retireHead = 0;
  }

  deliver(watcher: number, frame: Uint8Array, acl: Parameters<WatchSink['deliver']>[2]): void {
    const conn = this.byWatcher.get(watcher);
    if (!conn || conn.state !== 'open') return;
    if (acl && !checkACL(acl, Perms.READ, conn.authIds, this.options.superDigest)) return;
    conn.send(frame);
  }

  /** Session expiry goes through the chain as a closeSession txn with no connection. */
  private expire(sessionId: bigint): void {
    dispatchRequest(this, null, 0, OpCode.closeSession, Buffer.alloc(0), sessionId);
  }

  /** Recovers from disk first (durable servers), so nothing is served before the state is back. */
  async listen(): Promise<{ host: string; port: number }> {
    if (this.durability) this.zxid = await this.durability.open({ tree: this.tree, tracker: this.tracker, changes: this.ctx.changes });
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        this.tracker.start();
        this.containers.start();
        startLoopMonitor(this);
        resolve(this.address()!);
      });
    });
  }

  address(): { host: string; port: number } | null {
    const a = this.server.address();
    return a && typeof a === 'object' ? { host: a.address, port: a.port } : null;
  }

  close(): Promise<void> {
    this.tracker.stop();
    this.containers.stop();
    stopLoopMonitor(this);
    this.flushQueue.stop();
    for (const c of [...this.byWatcher.values()]) c.close();
    const stopped = new Promise<void>((resolve) => (this.server.listening ? this.server.close(() => resolve()) : resolve()));
    return stopped.then(() => this.durability?.close());
  }
}

function retireSome(s: ServerCore): void {
  s.retireSome();
}
