// Server options and zoo.cfg parsing. Key names and defaults follow Apache ZooKeeper 3.8
// (QuorumPeerConfig.parseProperties, ZooKeeperServer, FourLetterCommands); keys ZooKeeper turns into
// "zookeeper.<key>" system properties are accepted with or without that prefix.

export interface ServerOptions {
  host: string;
  port: number;
  dataDir: string;
  dataLogDir?: string;
  tickTime: number;
  minSessionTimeout: number;
  maxSessionTimeout: number;
  /** Per client IP; 0 = unlimited (ZooKeeper's maxClientCnxns). */
  maxClientCnxns: number;
  /** Enabled four-letter words; srvr is always included, as in ZooKeeper. */
  fourLetterWhitelist: Set<string> | '*';
  /** Largest accepted frame body in bytes. */
  juteMaxBuffer: number;
  /** "super:<base64 sha1>" as produced by digestOf("super:password"). */
  superDigest?: string;
  forceSync: boolean;
  snapCount: number;
  autopurgeSnapRetainCount: number;
  /** Hours between purges; 0 disables. */
  autopurgePurgeInterval: number;
  globalOutstandingLimit: number;
  extendedTypesEnabled: boolean;
  /** Bytes queued for one connection before it is closed as a slow consumer (watchkeeper's own). */
  maxPendingOutputBytes: number;
  /** Every key/value read from zoo.cfg, as written. */
  raw: Record<string, string>;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** ZooKeeper's zkServer.sh depends on srvr, so FourLetterCommands always enables it. */
const ALWAYS_ENABLED_4LW = 'srvr';
const DEFAULT_TICK = 2000;
/** PurgeTxnLog keeps at least 3 snapshots; ZooKeeper raises smaller values to 3. */
const MIN_SNAP_RETAIN_COUNT = 3;

/** Defaults of a standalone ZooKeeper 3.8 (bound to loopback rather than all interfaces). */
export function defaultOptions(): ServerOptions {
  return {
    host: '127.0.0.1',
    port: 2181,
    dataDir: './data',
    tickTime: DEFAULT_TICK,
    minSessionTimeout: 2 * DEFAULT_TICK,
    maxSessionTimeout: 20 * DEFAULT_TICK,
    maxClientCnxns: 60,
    fourLetterWhitelist: new Set([ALWAYS_ENABLED_4LW]),
    juteMaxBuffer: 0xfffff,
    forceSync: true,
    snapCount: 100_000,
    autopurgeSnapRetainCount: 3,
    autopurgePurgeInterval: 0,
    globalOutstandingLimit: 1000,
    extendedTypesEnabled: false,
    maxPendingOutputBytes: 32 * 1024 * 1024,
    raw: {},
  };
}

type Setter = (value: string, key: string, out: Partial<ServerOptions>) => void;

const int = (name: keyof ServerOptions, min = Number.MIN_SAFE_INTEGER): Setter => (v, key, out) => {
  (out as Record<string, unknown>)[name] = parseInteger(key, v, min);
};
const bool = (name: keyof ServerOptions): Setter => (v, key, out) => {
  (out as Record<string, unknown>)[name] = parseBool(key, v);
};
const str = (name: keyof ServerOptions): Setter => (v, key, out) => {
  if (v === '') throw new ConfigError(`${key}: value must not be empty`);
  (out as Record<string, unknown>)[name] = v;
};

/** zoo.cfg key (without a leading "zookeeper.") -> how to store it. */
const SETTERS: Record<string, Setter> = {
  tickTime: int('tickTime', 1),
  clientPort: int('port', 0),
  clientPortAddress: str('host'),
  dataDir: str('dataDir'),
  dataLogDir: str('dataLogDir'),
  maxClientCnxns: int('maxClientCnxns', 0),
  minSessionTimeout: int('minSessionTimeout', -1),
  maxSessionTimeout: int('maxSessionTimeout', -1),
  '4lw.commands.whitelist': (v, _k, out) => {
    out.fourLetterWhitelist = parseWhitelist(v);
  },
  'jute.maxbuffer': int('juteMaxBuffer', 1),
  superDigest: str('superDigest'),
  'DigestAuthenticationProvider.superDigest': str('superDigest'),
  forceSync: bool('forceSync'),
  snapCount: int('snapCount', 2),
  'autopurge.snapRetainCount': int('autopurgeSnapRetainCount'),
  'autopurge.purgeInterval': int('autopurgePurgeInterval'),
  globalOutstandingLimit: int('globalOutstandingLimit'),
  extendedTypesEnabled: bool('extendedTypesEnabled'),
  maxPendingOutputBytes: int('maxPendingOutputBytes', 1),
};

/**
 * Keys a real zoo.cfg commonly holds that only matter to an ensemble or to subsystems watchkeeper
 * does not have; accepted silently rather than logged as unknown.
 */
const IGNORED_KEYS = new Set([
  'initLimit', 'syncLimit', 'admin.enableServer', 'admin.serverPort', 'admin.serverAddress',
  'standaloneEnabled', 'reconfigEnabled', 'clientPortListenBacklog', 'electionAlg',
  'metricsProvider.className', 'audit.enable', 'preAllocSize',
]);

/**
 * Parses zoo.cfg text (Java properties). Unknown keys are logged through `log` and kept in `raw`;
 * a malformed value of a known key throws ConfigError naming the key.
 */
export function parseZooCfg(text: string, log: (msg: string) => void = () => {}): Partial<ServerOptions> {
  const raw = parseProperties(text);
  const out: Partial<ServerOptions> = { raw };
  for (const [key, value] of Object.entries(raw)) {
    const name = key.startsWith('zookeeper.') ? key.slice('zookeeper.'.length) : key;
    const setter = SETTERS[name];
    if (setter !== undefined) setter(value, key, out);
    else if (!IGNORED_KEYS.has(name) && !name.startsWith('server.')) log(`zoo.cfg: ignoring unknown key ${key}`);
  }
  return out;
}

/**
 * Defaults overlaid with `partial`, then ZooKeeper's derived values: session timeout bounds of
 * -1/unset become 2 and 20 ticks of the final tickTime; min above max is an error.
 */
export function resolveOptions(partial: ServerOptionsInput = {}): ServerOptions {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const o: ServerOptions = { ...defaultOptions(), ...defined, fourLetterWhitelist: toWhitelist(partial.fourLetterWhitelist) };
  const tick = o.tickTime;
  if (!Number.isInteger(tick) || tick <= 0) throw new ConfigError(`tickTime must be a positive integer, got ${tick}`);
  o.minSessionTimeout = partial.minSessionTimeout === undefined || partial.minSessionTimeout === -1 ? 2 * tick : partial.minSessionTimeout;
  o.maxSessionTimeout = partial.maxSessionTimeout === undefined || partial.maxSessionTimeout === -1 ? 20 * tick : partial.maxSessionTimeout;
  if (o.minSessionTimeout > o.maxSessionTimeout) {
    throw new ConfigError(`minSessionTimeout (${o.minSessionTimeout}) must not be larger than maxSessionTimeout (${o.maxSessionTimeout})`);
  }
  if (o.port < 0 || o.port > 65535) throw new ConfigError(`clientPort must be in 0..65535, got ${o.port}`);
  if (o.autopurgeSnapRetainCount < MIN_SNAP_RETAIN_COUNT) o.autopurgeSnapRetainCount = MIN_SNAP_RETAIN_COUNT;
  return o;
}

/**
 * What resolveOptions accepts: ServerOptions fields, with the whitelist also allowed as a list or as
 * zoo.cfg's comma-separated text (programmatic callers find those handier than a Set).
 */
export type ServerOptionsInput = Partial<Omit<ServerOptions, 'fourLetterWhitelist'>> & {
  fourLetterWhitelist?: Set<string> | '*' | readonly string[] | string;
};

function toWhitelist(w: ServerOptionsInput['fourLetterWhitelist']): Set<string> | '*' {
  if (w === undefined) return defaultOptions().fourLetterWhitelist;
  if (typeof w === 'string') return parseWhitelist(w);
  return parseWhitelist([...w].join(','));
}

/** "ruok, stat" -> {ruok, stat, srvr}; any "*" entry enables every word (FourLetterCommands.isEnabled). */
export function parseWhitelist(value: string): Set<string> | '*' {
  const words = value.split(',').map((w) => w.trim()).filter((w) => w !== '');
  if (words.includes('*')) return '*';
  return new Set([...words, ALWAYS_ENABLED_4LW]);
}

function parseInteger(key: string, value: string, min: number): number {
  // Integer.parseInt: optional sign and decimal digits only, within 32 bits.
  if (!/^[+-]?\d+$/.test(value)) throw new ConfigError(`${key}: expected an integer, got "${value}"`);
  const n = Number(value);
  if (n > 2147483647 || n < -2147483648) throw new ConfigError(`${key}: ${value} is out of the 32-bit integer range`);
  if (n < min) throw new ConfigError(`${key}: must be at least ${min}, got ${n}`);
  return n;
}

/** ZooKeeper spells forceSync "yes"/"no"; its boolean keys use "true"/"false". Accept both. */
function parseBool(key: string, value: string): boolean {
  const v = value.toLowerCase();
  if (v === 'true' || v === 'yes') return true;
  if (v === 'false' || v === 'no') return false;
  throw new ConfigError(`${key}: expected true/false or yes/no, got "${value}"`);
}

// ---- java.util.Properties text format ----

/**
 * Logical lines: '#'/'!' comments, a trailing odd backslash joins the next line (its leading blanks
 * dropped), key ends at the first unescaped '=', ':' or blank; escapes \t \n \r \f \uXXXX.
 * Keys and values are trimmed, as QuorumPeerConfig does.
 */
export function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of logicalLines(text)) {
    const [key, value] = splitKeyValue(line);
    out[unescape(key).trim()] = unescape(value).trim();
  }
  return out;
}

function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let pending: string | null = null;
  for (const physical of text.split(/\r\n|\r|\n/)) {
    // Leading blanks go both on a fresh line and on a continuation line.
    const part = physical.replace(/^[ \t\f]+/, '');
    if (pending === null && (part === '' || part[0] === '#' || part[0] === '!')) continue;
    const joined: string = (pending ?? '') + part;
    if (endsWithOddBackslashes(joined)) {
      pending = joined.slice(0, -1);
      continue;
    }
    lines.push(joined);
    pending = null;
  }
  if (pending !== null) lines.push(pending);
  return lines;
}

function endsWithOddBackslashes(s: string): boolean {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

function splitKeyValue(line: string): [string, string] {
  let i = 0;
  while (i < line.length && !'=: \t\f'.includes(line[i]!)) i += line[i] === '\\' ? 2 : 1;
  const key = line.slice(0, Math.min(i, line.length));
  let j = i;
  while (j < line.length && ' \t\f'.includes(line[j]!)) j++;
  if (j < line.length && (line[j] === '=' || line[j] === ':')) j++;
  while (j < line.length && ' \t\f'.includes(line[j]!)) j++;
  return [key, line.slice(j)];
}

function unescape(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ t: '\t', n: '\n', r: '\r', f: '\f' } as Record<string, string>)[e] ?? e;
  });
}
