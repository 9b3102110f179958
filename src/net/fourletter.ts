// Four-letter words ("ruok", "srvr", "mntr", ...): a client that opens the client port and sends one
// of these four ASCII bytes instead of a length prefix gets a plain-text answer and the connection is
// closed. Output formats are Apache ZooKeeper 3.8's (server/command/*.java, ServerStats.toString,
// ServerCnxn.dumpConnectionInfo, WatchManager.toString/dumpWatches, DataTree.dumpEphemerals),
// checked byte for byte against a running 3.8.0. This module only formats; the server supplies the
// numbers through FourLetterSource.

import os from 'node:os';
import { dirname } from 'node:path';

/** The ZooKeeper release whose wire protocol and 4lw output watchkeeper follows. */
export const ZOOKEEPER_COMPAT_VERSION = '3.8.0';

/** Full version string for srvr/stat/envi/mntr; kazoo's server_version() takes the leading digits. */
export function fullVersion(watchkeeperVersion: string): string {
  return `${ZOOKEEPER_COMPAT_VERSION}-watchkeeper-${watchkeeperVersion}`;
}

/** ServerStats, as printed by srvr/stat and mntr. Latencies in ms. */
export interface ServerStatsView {
  minLatency: number;
  avgLatency: number;
  maxLatency: number;
  packetsReceived: number;
  packetsSent: number;
  numAliveConnections: number;
  outstandingRequests: number;
  lastProcessedZxid: bigint;
  /** "standalone" for a single server. */
  serverState: string;
  nodeCount: number;
}

/** One client connection, as ServerCnxn.dumpConnectionInfo prints it (cons, stat). */
export interface ConnectionInfo {
  remoteAddress: string;
  remotePort: number;
  /** 1 = reading (OP_READ), 5 = reading and writing; 0 for a socket not being polled. */
  interestOps: number;
  outstandingRequests: number;
  packetsReceived: number;
  packetsSent: number;
  /** Absent or 0 before the session is established; then only the brief form is printed. */
  sessionId?: bigint;
  /** Short name of the last operation ("NA" before any, then e.g. "PING", "GETD", "CREA"). */
  lastOperation: string;
  /** Wall-clock ms when the connection was established. */
  established: number;
  sessionTimeout: number;
  /** Last client xid; negative values are not printed (ZooKeeper starts at -1). */
  lastCxid: number;
  lastZxid: bigint;
  /** Time of the last response in ms; ZooKeeper prints its monotonic clock here, not wall time. */
  lastResponseTime: number;
  lastLatency: number;
  minLatency: number;
  avgLatency: number;
  maxLatency: number;
  /** Wall-clock ms at which an idle connection would be expired (dump's "Connections Sets"). */
  expiresAt?: number;
}

/** WatchManager.toString: connections with watches, watched paths, and the total. */
export interface WatchSummary {
  numConnections: number;
  numPaths: number;
  totalWatches: number;
}

/** One tick bucket of the session tracker (dump). */
export interface ExpiryBucket {
  /** Wall-clock ms. */
  expiresAt: number;
  sessionIds: bigint[];
}

/**
 * What the answers need from the server. ZooKeeper 3.8's wchs/wchc/wchp report its data-watch
 * manager only (child watches are not counted); report whichever table the server considers
 * equivalent, but keep the three watch methods consistent with each other.
 */
export interface FourLetterSource {
  /** e.g. fullVersion('0.1.0'). */
  version: string;
  /** False while starting/stopping: words other than ruok/envi then answer ZK_NOT_SERVING (isro: "null"). */
  isRunning?(): boolean;
  stats(): ServerStatsView;
  connections(): Iterable<ConnectionInfo>;
  /** Ordered key=value lines for conf (ZooKeeperServer.dumpConf: clientPort, ..., serverId). */
  conf(): Array<[string, string | number]>;
  /** Ordered key=value lines for envi; defaults to environmentEntries(version). */
  environment?(): Array<[string, string]>;
  watchSummary(): WatchSummary;
  watchesBySession(): Map<bigint, string[]>;
  watchesByPath(): Map<string, bigint[]>;
  sessionExpiry(): ExpiryBucket[];
  /**
   * The connection expiry queue for dump, emptied buckets included (as ZooKeeper prints them);
   * by default connections are grouped by their expiresAt.
   */
  connectionExpiry?(): Array<{ expiresAt: number; connections: ConnectionInfo[] }>;
  ephemeralsBySession(): Map<bigint, string[]>;
  dataDirSize(): number;
  logDirSize(): number;
  /** srst */
  resetStats(): void;
  /** crst */
  resetConnectionStats(): void;
  /** Extra mntr lines after the standard ones (key without "zk_"). */
  extraMetrics?(): Array<[string, number | string]>;
  /** mntr values that ZooKeeper gets from the database and the OS. */
  monitor(): MonitorValues;
  readOnly?: boolean;
}

/** The mntr values beyond ServerStatsView. */
export interface MonitorValues {
  ephemeralsCount: number;
  watchCount: number;
  approximateDataSize: number;
  globalSessions: number;
  /** ms since the server started. */
  uptime: number;
  openFileDescriptorCount?: number;
  maxFileDescriptorCount?: number;
}

/**
 * The words answered. ZooKeeper 3.8 also knows gtmk/stmk (trace masks) and hash (tree digests);
 * watchkeeper has neither, so those bytes are not treated as a word.
 */
export const FOUR_LETTER_WORDS: ReadonlySet<string> = new Set([
  'ruok', 'srvr', 'stat', 'envi', 'cons', 'conf', 'mntr', 'wchs',
  'wchc', 'wchp', 'dump', 'isro', 'dirs', 'crst', 'srst',
]);

/** AbstractFourLetterCommand.ZK_NOT_SERVING */
export const ZK_NOT_SERVING = 'This ZooKeeper instance is not currently serving requests\n';

/** FourLetterCommands.isEnabled: srvr is always on because zkServer.sh depends on it. */
export function isFourLetterWordEnabled(word: string, whitelist: Set<string> | '*'): boolean {
  return word === 'srvr' || whitelist === '*' || whitelist.has(word);
}

/** True when the first four bytes of a connection are a known word (checked before framing). */
export function isFourLetterWord(head: Buffer | string): boolean {
  const word = typeof head === 'string' ? head : head.subarray(0, 4).toString('latin1');
  return FOUR_LETTER_WORDS.has(word);
}

type Command = (src: FourLetterSource) => string;

const COMMANDS: Record<string, Command> = {
  ruok: () => 'imok',
  srvr: (s) => serving(s, () => statText(s, false)),
  stat: (s) => serving(s, () => statText(s, true)),
  envi: (s) => envText(s),
  conf: (s) => serving(s, () => keyValueLines(s.conf())),
  cons: (s) => serving(s, () => consText(s)),
  mntr: (s) => serving(s, () => mntrText(s)),
  wchs: (s) => serving(s, () => wchsText(s.watchSummary()) + '\n'),
  wchc: (s) => serving(s, () => wchcText(s.watchesBySession()) + '\n'),
  wchp: (s) => serving(s, () => wchpText(s.watchesByPath()) + '\n'),
  dump: (s) => serving(s, () => dumpText(s)),
  isro: (s) => (!running(s) ? 'null' : s.readOnly ? 'ro' : 'rw'),
  dirs: (s) => serving(s, () => `datadir_size: ${s.dataDirSize()}\nlogdir_size: ${s.logDirSize()}\n`),
  srst: (s) => serving(s, () => (s.resetStats(), 'Server stats reset.\n')),
  crst: (s) => serving(s, () => (s.resetConnectionStats(), 'Connection stats reset.\n')),
};

/**
 * The answer to a four-letter word: null when `word` is not one (the caller then treats the bytes as
 * a length prefix), ZooKeeper's refusal line when it is known but not whitelisted, else the text.
 */
export function answerFourLetterWord(word: string, src: FourLetterSource, whitelist: Set<string> | '*'): string | null {
  const command = COMMANDS[word];
  if (command === undefined) return null;
  if (!isFourLetterWordEnabled(word, whitelist)) return `${word} is not executed because it is not in the whitelist.\n`;
  return command(src);
}

function running(s: FourLetterSource): boolean {
  return s.isRunning?.() ?? true;
}

function serving(s: FourLetterSource, body: () => string): string {
  return running(s) ? body() : ZK_NOT_SERVING;
}

/** StatCommand: version, the client list for stat only, ServerStats.toString, node count. */
function statText(s: FourLetterSource, withClients: boolean): string {
  let out = `Zookeeper version: ${s.version}\n`;
  if (s.readOnly) out += 'READ-ONLY mode; serving only read-only clients\n';
  if (withClients) {
    out += 'Clients:\n';
    for (const c of s.connections()) out += connectionInfo(c, true) + '\n';
    out += '\n';
  }
  const st = s.stats();
  out += `Latency min/avg/max: ${st.minLatency}/${serverAvg(st.avgLatency)}/${st.maxLatency}\n`;
  out += `Received: ${st.packetsReceived}\nSent: ${st.packetsSent}\nConnections: ${st.numAliveConnections}\n`;
  out += `Outstanding: ${st.outstandingRequests}\nZxid: 0x${hex64(st.lastProcessedZxid)}\n`;
  out += `Mode: ${st.serverState}\nNode count: ${st.nodeCount}\n`;
  return out;
}

function consText(s: FourLetterSource): string {
  let out = '';
  for (const c of s.connections()) out += connectionInfo(c, false) + '\n';
  return out + '\n';
}

/** ServerCnxn.dumpConnectionInfo; `brief` omits the session part. */
export function connectionInfo(c: ConnectionInfo, brief: boolean): string {
  let out = ` ${javaSocketAddress(c.remoteAddress, c.remotePort)}[${c.interestOps === 0 ? '0' : c.interestOps.toString(16)}]`;
  out += `(queued=${c.outstandingRequests},recved=${c.packetsReceived},sent=${c.packetsSent}`;
  if (!brief && c.sessionId !== undefined && c.sessionId !== 0n) {
    out += `,sid=0x${hex64(c.sessionId)},lop=${c.lastOperation},est=${c.established},to=${c.sessionTimeout}`;
    if (c.lastCxid >= 0) out += `,lcxid=0x${c.lastCxid.toString(16)}`;
    out += `,lzxid=0x${hex64(c.lastZxid)},lresp=${c.lastResponseTime},llat=${c.lastLatency}`;
    // Per connection ZooKeeper keeps latencies as longs: the average is an integer division.
    out += `,minlat=${c.minLatency},avglat=${Math.trunc(c.avgLatency)},maxlat=${c.maxLatency}`;
  }
  return out + ')';
}

/** MonitorCommand: "zk_<key>\t<value>" lines; the first two come from dumpMonitorValues. */
function mntrText(s: FourLetterSource): string {
  const st = s.stats();
  const m = s.monitor();
  const lines: Array<[string, number | string]> = [
    ['version', s.version],
    ['server_state', st.serverState],
    ['ephemerals_count', m.ephemeralsCount],
    ['num_alive_connections', st.numAliveConnections],
    ['avg_latency', serverAvg(st.avgLatency)],
    ['outstanding_requests', st.outstandingRequests],
    ['znode_count', st.nodeCount],
    ['global_sessions', m.globalSessions],
    ['packets_sent', st.packetsSent],
    ['packets_received', st.packetsReceived],
    ['watch_count', m.watchCount],
    ['min_latency', st.minLatency],
    ['max_latency', st.maxLatency],
    ['approximate_data_size', m.approximateDataSize],
    ['uptime', m.uptime],
  ];
  if (m.maxFileDescriptorCount !== undefined) lines.push(['max_file_descriptor_count', m.maxFileDescriptorCount]);
  if (m.openFileDescriptorCount !== undefined) lines.push(['open_file_descriptor_count', m.openFileDescriptorCount]);
  lines.push(...(s.extraMetrics?.() ?? []));
  return lines.map(([k, v]) => `zk_${k}\t${v}\n`).join('');
}

/** WatchManager.toString (no trailing newline; WatchCommand adds one). */
export function wchsText(w: WatchSummary): string {
  return `${w.numConnections} connections watching ${w.numPaths} paths\nTotal watches:${w.totalWatches}`;
}

/** WatchManager.dumpWatches(byPath=false): "0x<session>" then one "\t<path>" per watch. */
export function wchcText(bySession: Map<bigint, string[]>): string {
  let out = '';
  for (const [sid, paths] of bySession) {
    out += `0x${hex64(sid)}\n`;
    for (const p of paths) out += `\t${p}\n`;
  }
  return out;
}

/** WatchManager.dumpWatches(byPath=true): "<path>" then one "\t0x<session>" per watcher. */
export function wchpText(byPath: Map<string, bigint[]>): string {
  let out = '';
  for (const [path, sids] of byPath) {
    out += `${path}\n`;
    for (const sid of sids) out += `\t0x${hex64(sid)}\n`;
  }
  return out;
}

/** DumpCommand: session buckets, ephemerals per session, then connection expiry buckets. */
function dumpText(s: FourLetterSource): string {
  const buckets = s.sessionExpiry();
  const total = buckets.reduce((n, b) => n + b.sessionIds.length, 0);
  let out = `SessionTracker dump:\nSession Sets (${buckets.length})/(${total}):\n`;
  for (const b of buckets) {
    out += `${b.sessionIds.length} expire at ${javaDate(b.expiresAt)}:\n`;
    for (const sid of b.sessionIds) out += `\t0x${hex64(sid)}\n`;
  }
  const eph = s.ephemeralsBySession();
  out += `ephemeral nodes dump:\nSessions with Ephemerals (${eph.size}):\n`;
  for (const [sid, paths] of eph) {
    out += `0x${hex64(sid)}:\n`;
    for (const p of paths) out += `\t${p}\n`;
  }
  const connBuckets = s.connectionExpiry?.() ?? groupByExpiry([...s.connections()]);
  return out + 'Connections dump:\n' + connectionBuckets(connBuckets);
}

function groupByExpiry(conns: ConnectionInfo[]): Array<{ expiresAt: number; connections: ConnectionInfo[] }> {
  const byTime = new Map<number, ConnectionInfo[]>();
  for (const c of conns) {
    const t = c.expiresAt ?? 0;
    byTime.set(t, [...(byTime.get(t) ?? []), c]);
  }
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([expiresAt, connections]) => ({ expiresAt, connections }));
}

/** NIOServerCnxnFactory.dumpConnections: the connection expiry queue, one block per deadline. */
function connectionBuckets(buckets: Array<{ expiresAt: number; connections: ConnectionInfo[] }>): string {
  const total = buckets.reduce((n, b) => n + b.connections.length, 0);
  let out = `Connections Sets (${buckets.length})/(${total}):\n`;
  for (const { expiresAt, connections } of buckets) {
    out += `${connections.length} expire at ${javaDate(expiresAt)}:\n`;
    for (const c of connections) {
      out += `\tip: ${javaSocketAddress(c.remoteAddress, c.remotePort)} sessionId: 0x${hex64(c.sessionId ?? 0n)}\n`;
    }
  }
  return out;
}

function envText(s: FourLetterSource): string {
  const entries = s.environment?.() ?? environmentEntries(s.version);
  return 'Environment:\n' + keyValueLines(entries);
}

/**
 * Environment.list() with Node's equivalents of the Java properties, same keys and order;
 * zookeeper.version comes first because kazoo's server_version() reads it.
 */
export function environmentEntries(version: string): Array<[string, string]> {
  const mb = (n: number): string => `${Math.floor(n / (1024 * 1024))}MB`;
  const mem = process.memoryUsage();
  let user = '<NA>';
  let home = '<NA>';
  try {
    user = os.userInfo().username;
    home = os.userInfo().homedir;
  } catch {
    // no passwd entry for this uid: ZooKeeper prints <NA> for missing properties as well
  }
  return [
    ['zookeeper.version', version],
    ['host.name', os.hostname()],
    ['java.version', `node ${process.versions.node}`],
    ['java.vendor', 'Node.js'],
    ['java.home', dirname(dirname(process.execPath))],
    ['java.class.path', process.argv[1] ?? '<NA>'],
    ['java.library.path', '<NA>'],
    ['java.io.tmpdir', os.tmpdir()],
    ['java.compiler', '<NA>'],
    ['os.name', os.type()],
    ['os.arch', process.arch],
    ['os.version', os.release()],
    ['user.name', user],
    ['user.home', home],
    ['user.dir', process.cwd()],
    ['os.memory.free', mb(mem.heapTotal - mem.heapUsed)],
    ['os.memory.max', mb(os.totalmem())],
    ['os.memory.total', mb(mem.heapTotal)],
  ];
}

/** What conf prints, in ZooKeeperServer.dumpConf's order. */
export interface ConfValues {
  clientPort: number;
  /** Absolute; ZooKeeper prints its snapshot directory, <dataDir>/version-2. */
  dataDir: string;
  dataDirSize: number;
  dataLogDir: string;
  dataLogSize: number;
  tickTime: number;
  maxClientCnxns: number;
  minSessionTimeout: number;
  maxSessionTimeout: number;
  serverId: number;
}

/** The conf entries of a standalone ZooKeeper 3.8 (no secure port, default listen backlog). */
export function confEntries(v: ConfValues): Array<[string, string | number]> {
  return [
    ['clientPort', v.clientPort],
    ['secureClientPort', -1],
    ['dataDir', v.dataDir],
    ['dataDirSize', v.dataDirSize],
    ['dataLogDir', v.dataLogDir],
    ['dataLogSize', v.dataLogSize],
    ['tickTime', v.tickTime],
    ['maxClientCnxns', v.maxClientCnxns],
    ['minSessionTimeout', v.minSessionTimeout],
    ['maxSessionTimeout', v.maxSessionTimeout],
    ['clientPortListenBacklog', -1],
    ['serverId', v.serverId],
  ];
}

function keyValueLines(entries: Array<[string, string | number]>): string {
  return entries.map(([k, v]) => `${k}=${v}\n`).join('');
}

// ---- Java formatting helpers ----

/** Long.toHexString: two's complement, lower case, no padding. */
export function hex64(v: bigint): string {
  return BigInt.asUintN(64, v).toString(16);
}

/** AvgMinMaxCounter.getAvg: rounded half-up to 4 decimals, printed as a Java double. */
export function serverAvg(avg: number): string {
  return javaDouble(Math.round(avg * 10_000) / 10_000);
}

/** Double.toString for the values we print: always a decimal point, exponent form outside 1e-3..1e7. */
export function javaDouble(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(v);
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) {
    const s = String(v);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mant, exp] = v.toExponential().split('e');
  return `${mant!.includes('.') ? mant : `${mant}.0`}E${Number(exp)}`;
}

/** InetSocketAddress.toString for an unresolved peer: "/1.2.3.4:port" or "/[v6]:port". */
export function javaSocketAddress(address: string, port: number): string {
  const a = address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
  return a.includes(':') ? `/[${a}]:${port}` : `/${a}:${port}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** java.util.Date.toString in UTC: "Mon Nov 23 02:40:40 UTC 2026". */
export function javaDate(wallMs: number): string {
  const d = new Date(wallMs);
  const p = (n: number): string => String(n).padStart(2, '0');
  const time = `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${time} UTC ${d.getUTCFullYear()}`;
}
