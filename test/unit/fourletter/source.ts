// A FourLetterSource over plain data, for the four-letter word tests.
import type { ConnectionInfo, ExpiryBucket, FourLetterSource, MonitorValues, ServerStatsView } from '../../../src/net/fourletter.js';

export interface SourceData {
  version: string;
  running: boolean;
  stats: ServerStatsView;
  connections: ConnectionInfo[];
  conf: Array<[string, string | number]>;
  watchesBySession: Map<bigint, string[]>;
  sessionExpiry: ExpiryBucket[];
  ephemerals: Map<bigint, string[]>;
  dataDirSize: number;
  logDirSize: number;
  monitor: MonitorValues;
  resets: string[];
}

/** Everything derived (watch summary, by-path table) is computed from the data, as a server would. */
export function sourceOf(d: SourceData): FourLetterSource {
  return {
    version: d.version,
    isRunning: () => d.running,
    stats: () => d.stats,
    connections: () => d.connections,
    conf: () => d.conf,
    watchSummary: () => ({
      numConnections: [...d.watchesBySession.values()].filter((p) => p.length > 0).length,
      numPaths: byPath(d.watchesBySession).size,
      totalWatches: [...d.watchesBySession.values()].reduce((n, p) => n + p.length, 0),
    }),
    watchesBySession: () => d.watchesBySession,
    watchesByPath: () => byPath(d.watchesBySession),
    sessionExpiry: () => d.sessionExpiry,
    ephemeralsBySession: () => d.ephemerals,
    dataDirSize: () => d.dataDirSize,
    logDirSize: () => d.logDirSize,
    resetStats: () => void d.resets.push('srst'),
    resetConnectionStats: () => void d.resets.push('crst'),
    monitor: () => d.monitor,
  };
}

function byPath(bySession: Map<bigint, string[]>): Map<string, bigint[]> {
  const out = new Map<string, bigint[]>();
  for (const [sid, paths] of bySession) {
    for (const p of paths) out.set(p, [...(out.get(p) ?? []), sid]);
  }
  return out;
}

export function idleConnection(remoteAddress: string, remotePort: number, extra: Partial<ConnectionInfo> = {}): ConnectionInfo {
  return {
    remoteAddress,
    remotePort,
    interestOps: 0,
    outstandingRequests: 0,
    packetsReceived: 1,
    packetsSent: 0,
    lastOperation: 'NA',
    established: 0,
    sessionTimeout: 0,
    lastCxid: -1,
    lastZxid: -1n,
    lastResponseTime: 0,
    lastLatency: 0,
    minLatency: 0,
    avgLatency: 0,
    maxLatency: 0,
    ...extra,
  };
}

/** A fresh standalone server, as ZooKeeper 3.8 reports one with only the asking connection. */
export function freshServer(version: string, askingPort = 40000): SourceData {
  return {
    version,
    running: true,
    stats: {
      minLatency: 0,
      avgLatency: 0,
      maxLatency: 0,
      packetsReceived: 0,
      packetsSent: 0,
      numAliveConnections: 1,
      outstandingRequests: 0,
      lastProcessedZxid: 0n,
      serverState: 'standalone',
      nodeCount: 5,
    },
    connections: [idleConnection('127.0.0.1', askingPort)],
    conf: [],
    watchesBySession: new Map(),
    sessionExpiry: [],
    ephemerals: new Map(),
    dataDirSize: 0,
    logDirSize: 0,
    monitor: { ephemeralsCount: 0, watchCount: 0, approximateDataSize: 44, globalSessions: 0, uptime: 1000 },
    resets: [],
  };
}
