// Request accounting for the four-letter words and for throttling, after ZooKeeper 3.8's
// ServerStats (server-wide), ServerCnxn's per-connection counters, and ZooKeeperServer's
// in-process count with shouldThrottle. Latencies are whole milliseconds measured from the
// arrival of the request frame to the moment its reply is queued, as ZooKeeper takes
// Request.createTime to Time.currentElapsedTime() in FinalRequestProcessor.updateStats.
import { performance } from 'node:perf_hooks';

/** ZooKeeper's elapsed-time clock (System.nanoTime in ms): monotonic whole milliseconds. */
export function elapsedMs(): number {
  return Math.floor(performance.now());
}

const UNSET = Number.MAX_SAFE_INTEGER;

/**
 * AvgMinMaxCounter: min is reported as 0 while unset. A connection's counter starts with min 0, not
 * unset: ServerCnxn only sets Long.MAX_VALUE in resetStats, so cons shows minlat=0 until a crst.
 */
export class LatencyCounter {
  max = 0;
  private total = 0;
  count = 0;

  constructor(private min = UNSET) {}

  add(ms: number): void {
    if (ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
    this.total += ms;
    this.count++;
  }

  get minimum(): number {
    return this.min === UNSET ? 0 : this.min;
  }

  /** Double average (ServerStats); connections print it truncated (ServerCnxn keeps longs). */
  get average(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }

  reset(): void {
    this.min = UNSET;
    this.max = 0;
    this.total = 0;
    this.count = 0;
  }
}

/**
 * Server-wide counters. `inProcess` counts requests from connections that are in the chain and not
 * yet through final (ZooKeeperServer.requestsInProcess: stat's "Outstanding" and mntr's
 * zk_outstanding_requests); it is also what globalOutstandingLimit is compared with.
 */
export class ServerStats {
  readonly latency = new LatencyCounter();
  packetsReceived = 0;
  packetsSent = 0;
  inProcess = 0;

  /** Tests change the limit; the server passes ServerOptions.globalOutstandingLimit. */
  constructor(public globalOutstandingLimit = 1000) {}

  /** Connections not being read because of the limit (see requestDone). */
  readonly paused = new Set<{ wake(): void }>();

  /**
   * A request left the chain. Besides each connection's own replies (ZooKeeper's only trigger),
   * every paused connection is woken once the count is back within the limit: a connection whose
   * outstanding count leaked (a lone check is never answered, as in ZooKeeper) could otherwise
   * stay paused for good.
   */
  requestDone(): void {
    this.inProcess--;
    if (this.paused.size === 0 || this.inProcess > this.globalOutstandingLimit) return;
    for (const c of [...this.paused]) c.wake();
  }

  /**
   * ZooKeeperServer.shouldThrottle: over the limit, a connection with requests of its own in flight
   * stops being read. One with none keeps reading, so every paused connection has a reply coming
   * that will let it resume: no connection can be starved.
   */
  shouldThrottle(connectionOutstanding: number): boolean {
    return this.inProcess > this.globalOutstandingLimit && connectionOutstanding > 0;
  }

  /** srst: ServerStats.reset (latency and packet counters; in-process requests stay). */
  reset(): void {
    this.latency.reset();
    this.packetsReceived = 0;
    this.packetsSent = 0;
  }
}

/** One connection's counters as ServerCnxn keeps them; crst resets them (resetStats). */
export class ConnectionStats {
  packetsReceived = 0;
  packetsSent = 0;
  /** Requests with a positive xid read but not yet answered (ServerCnxn.outstandingCount). */
  outstanding = 0;
  lastOperation = 'NA';
  lastCxid = -1;
  lastZxid = -1n;
  lastResponseTime = 0;
  lastLatency = 0;
  readonly latency = new LatencyCounter(0);

  /** ServerCnxn.updateStatsForResponse: special (negative) xids leave lastCxid alone. */
  responded(cxid: number, zxid: bigint, op: string, start: number, end: number): void {
    if (cxid >= 0) this.lastCxid = cxid;
    this.lastZxid = zxid;
    this.lastOperation = op;
    this.lastResponseTime = end;
    this.lastLatency = end - start;
    this.latency.add(end - start);
  }

  /** crst. The outstanding count is not a statistic: it survives, as in ZooKeeper. */
  reset(): void {
    this.packetsReceived = 0;
    this.packetsSent = 0;
    this.lastOperation = 'NA';
    this.lastCxid = -1;
    this.lastZxid = -1n;
    this.lastResponseTime = 0;
    this.lastLatency = 0;
    this.latency.reset();
  }
}
