// What the four-letter words report, read off the running server (FourLetterSource). Figures
// follow ZooKeeper 3.8 (ServerStats, ServerCnxn, DataTree, ZooKeeperServer.dumpConf); the
// zk_watchkeeper_* mntr lines are watchkeeper's own (see MNTR_EXTRAS below).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { confEntries, fullVersion, type ConnectionInfo, type FourLetterSource } from '../net/fourletter.js';
import type { Connection } from '../net/connection.js';
import type { ServerCore } from './server.js';

const VERSION = '0.1.0';
/** ZooKeeper keeps snapshots and logs in <dir>/version-2 and conf prints that directory. */
const VERSION_DIR = 'version-2';

/**
 * watchkeeper's extra mntr lines, for the load benchmark and operators:
 * - zk_watchkeeper_wasm_memory_bytes: linear memory of the WASM watch cores (data + child table;
 *   0 with the TypeScript reference manager). WASM memory never shrinks, so this is a high-water mark.
 * - zk_watchkeeper_heap_used_bytes: V8 heap in use (process.memoryUsage().heapUsed).
 * - zk_watchkeeper_max_event_loop_delay_ms: worst event-loop delay since start or the last srst
 *   (perf_hooks.monitorEventLoopDelay, 10 ms resolution): how long the server stalled at worst.
 */
export const MNTR_EXTRAS = [
  'watchkeeper_wasm_memory_bytes',
  'watchkeeper_heap_used_bytes',
  'watchkeeper_max_event_loop_delay_ms',
] as const;

/** The event-loop delay histogram of each server, enabled once it serves. */
const loopDelay = new WeakMap<ServerCore, IntervalHistogram>();

export function startLoopMonitor(s: ServerCore): void {
  if (loopDelay.has(s)) return;
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  loopDelay.set(s, h);
}

export function stopLoopMonitor(s: ServerCore): void {
  loopDelay.get(s)?.disable();
  loopDelay.delete(s);
}

function maxLoopDelayMs(s: ServerCore): number {
  const h = loopDelay.get(s);
  return h && h.count > 0 ? Math.round(h.max / 1e4) / 100 : 0;
}

function connectionInfo(s: ServerCore, c: Connection): ConnectionInfo {
  const st = c.stats;
  return {
    remoteAddress: c.remoteAddress,
    remotePort: c.remotePort,
    interestOps: c.interestOps,
    outstandingRequests: st.outstanding,
    packetsReceived: st.packetsReceived,
    packetsSent: st.packetsSent,
    sessionId: c.sessionId,
    lastOperation: st.lastOperation,
    established: c.established,
    sessionTimeout: c.sessionTimeout,
    lastCxid: st.lastCxid,
    lastZxid: st.lastZxid,
    lastResponseTime: st.lastResponseTime,
    lastLatency: st.lastLatency,
    minLatency: st.latency.minimum,
    avgLatency: st.latency.average,
    maxLatency: st.latency.max,
    expiresAt: c.expiresAt,
  };
}

/** Watches by session: the data table's view (ZooKeeper 3.8 reports dataWatches only). */
function bySession(s: ServerCore): Map<bigint, string[]> {
  const out = new Map<bigint, string[]>();
  for (const [w, paths] of s.watches.data.watchesByWatcher()) out.set(s.byWatcher.get(w)?.sessionId ?? 0n, paths);
  return out;
}

function byPath(s: ServerCore): Map<string, bigint[]> {
  const out = new Map<string, bigint[]>();
  for (const [p, ws] of s.watches.data.watchesByPath()) out.set(p, ws.map((w) => s.byWatcher.get(w)?.sessionId ?? 0n));
  return out;
}

function countEphemerals(s: ServerCore): number {
  let n = 0;
  for (const set of s.tree.ephemerals.values()) n += set.size;
  return n;
}

/** ZooKeeper's node map holds the root twice ("" and "/"): its node count is one more than ours. */
function nodeCount(s: ServerCore): number {
  return s.tree.nodes.has('') ? s.tree.size : s.tree.size + 1;
}

/** DataTree.approximateDataSize: path length plus data length over every node (O(nodes), as there). */
function approximateDataSize(s: ServerCore): number {
  let n = 0;
  for (const [path, node] of s.tree.nodes) n += path.length + (node.data?.length ?? 0);
  return s.tree.nodes.has('') ? n : n + (s.tree.get('/')?.data?.length ?? 0);
}

/** Sum of the file sizes directly in a directory (ZooKeeperServer.getDataDirSize); 0 when absent. */
function dirSize(dir: string): number {
  let n = 0;
  try {
    for (const f of readdirSync(dir)) n += statSync(join(dir, f)).size;
  } catch {
    return n;
  }
  return n;
}

function openFileDescriptors(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined;
  }
}

function maxFileDescriptors(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'latin1').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.split(/\s+/)[3]);
    return Number.isFinite(soft) ? soft : undefined;
  } catch {
    return undefined;
  }
}

function wasmMemoryBytes(s: ServerCore): number {
  const bytes = (m: unknown): number => {
    const f = (m as { memoryBytes?: () => number }).memoryBytes;
    return typeof f === 'function' ? f.call(m) : 0;
  };
  return bytes(s.watches.data) + bytes(s.watches.child);
}

function snapDir(s: ServerCore): string {
  return join(resolve(s.options.dataDir), VERSION_DIR);
}

function logDir(s: ServerCore): string {
  return join(resolve(s.options.dataLogDir ?? s.options.dataDir), VERSION_DIR);
}

function conf(s: ServerCore): Array<[string, string | number]> {
  return confEntries({
    clientPort: s.address()?.port ?? s.options.port,
    dataDir: snapDir(s),
    dataDirSize: dirSize(snapDir(s)),
    dataLogDir: logDir(s),
    dataLogSize: dirSize(logDir(s)),
    tickTime: s.options.tickTime,
    maxClientCnxns: s.options.maxClientCnxns,
    minSessionTimeout: s.options.minSessionTimeout,
    maxSessionTimeout: s.options.maxSessionTimeout,
    serverId: 0,
  });
}

function resetStats(s: ServerCore): void {
  s.stats.reset();
  loopDelay.get(s)?.reset();
}

export function fourLetterSource(s: ServerCore): FourLetterSource {
  const stats = () => ({
    minLatency: s.stats.latency.minimum,
    avgLatency: s.stats.latency.average,
    maxLatency: s.stats.latency.max,
    packetsReceived: s.stats.packetsReceived,
    packetsSent: s.stats.packetsSent,
    numAliveConnections: s.byWatcher.size,
    outstandingRequests: s.stats.inProcess,
    lastProcessedZxid: s.tree.lastProcessedZxid,
    serverState: 'standalone',
    nodeCount: nodeCount(s),
  });
  return {
    version: fullVersion(VERSION),
    stats,
    connections: () => [...s.byWatcher.values()].map((c) => connectionInfo(s, c)),
    conf: () => conf(s),
    watchSummary: () => s.watches.data.summary(),
    watchesBySession: () => bySession(s),
    watchesByPath: () => byPath(s),
    sessionExpiry: () => s.tracker.expiryBuckets(),
    ephemeralsBySession: () => new Map([...s.tree.ephemerals].map(([k, v]) => [k, [...v]])),
    dataDirSize: () => dirSize(snapDir(s)),
    logDirSize: () => dirSize(logDir(s)),
    resetStats: () => resetStats(s),
    resetConnectionStats: () => s.byWatcher.forEach((c) => c.resetStats()),
    monitor: () => ({
      ephemeralsCount: countEphemerals(s),
      watchCount: s.watches.data.size() + s.watches.child.size(),
      approximateDataSize: approximateDataSize(s),
      globalSessions: s.tracker.size,
      uptime: Date.now() - s.startedAt,
      openFileDescriptorCount: openFileDescriptors(),
      maxFileDescriptorCount: maxFileDescriptors(),
    }),
    extraMetrics: () => [
      [MNTR_EXTRAS[0], wasmMemoryBytes(s)],
      [MNTR_EXTRAS[1], process.memoryUsage().heapUsed],
      [MNTR_EXTRAS[2], maxLoopDelayMs(s)],
    ],
  };
}
