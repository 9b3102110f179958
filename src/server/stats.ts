// What the four-letter words report, read off the running server (FourLetterSource).
import { fullVersion, type ConnectionInfo, type FourLetterSource } from '../net/fourletter.js';
import type { ServerCore } from './server.js';

const VERSION = '0.1.0';

function connectionInfo(s: ServerCore): ConnectionInfo[] {
  return [...s.byWatcher.values()].map((c) => ({
    remoteAddress: c.remoteAddress,
    remotePort: c.remotePort,
    interestOps: 1,
    outstandingRequests: 0,
    packetsReceived: c.packetsReceived,
    packetsSent: c.packetsSent,
    sessionId: c.sessionId,
    lastOperation: c.lastOperation,
    established: c.established,
    sessionTimeout: c.sessionTimeout,
    lastCxid: c.lastCxid,
    lastZxid: s.tree.lastProcessedZxid,
    lastResponseTime: 0,
    lastLatency: 0,
    minLatency: 0,
    avgLatency: 0,
    maxLatency: 0,
  }));
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

export function fourLetterSource(s: ServerCore): FourLetterSource {
  const stats = () => ({
    minLatency: 0,
    avgLatency: 0,
    maxLatency: 0,
    packetsReceived: [...s.byWatcher.values()].reduce((a, c) => a + c.packetsReceived, 0),
    packetsSent: [...s.byWatcher.values()].reduce((a, c) => a + c.packetsSent, 0),
    numAliveConnections: s.byWatcher.size,
    outstandingRequests: s.pipeline.outstanding(),
    lastProcessedZxid: s.tree.lastProcessedZxid,
    serverState: 'standalone',
    nodeCount: s.tree.size,
  });
  return {
    version: fullVersion(VERSION),
    stats,
    connections: () => connectionInfo(s),
    conf: () => [
      ['clientPort', s.options.port],
      ['dataDir', s.options.dataDir],
      ['dataLogDir', s.options.dataLogDir ?? s.options.dataDir],
      ['tickTime', s.options.tickTime],
      ['maxClientCnxns', s.options.maxClientCnxns],
      ['minSessionTimeout', s.options.minSessionTimeout],
      ['maxSessionTimeout', s.options.maxSessionTimeout],
      ['serverId', 0],
    ],
    watchSummary: () => s.watches.data.summary(),
    watchesBySession: () => bySession(s),
    watchesByPath: () => byPath(s),
    sessionExpiry: () => s.tracker.expiryBuckets(),
    ephemeralsBySession: () => new Map([...s.tree.ephemerals].map(([k, v]) => [k, [...v]])),
    dataDirSize: () => 0,
    logDirSize: () => 0,
    resetStats: () => {},
    resetConnectionStats: () => {},
    monitor: () => ({
      ephemeralsCount: countEphemerals(s),
      watchCount: s.watches.data.size() + s.watches.child.size(),
      approximateDataSize: 0,
      globalSessions: s.tracker.size,
      uptime: Date.now() - s.startedAt,
    }),
  };
}
