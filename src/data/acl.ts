// Access control, matching Apache ZooKeeper: ZooKeeperServer.checkACL (who may do what),
// PrepRequestProcessor.fixupACL (what a create/setACL may store), and the two built-in
// authentication providers, DigestAuthenticationProvider and IPAuthenticationProvider.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { Perms } from '../proto/constants.js';

export type Id = { scheme: string; id: string };
export type ACL = { perms: number; id: Id };

/** ZooDefs.Ids */
export const ANYONE_ID_UNSAFE: Id = { scheme: 'world', id: 'anyone' };
/** The special id a create/setACL uses to mean "the ids this session authenticated as". */
export const AUTH_IDS: Id = { scheme: 'auth', id: '' };
export const OPEN_ACL_UNSAFE: readonly ACL[] = Object.freeze([{ perms: Perms.ALL, id: ANYONE_ID_UNSAFE }]);
export const READ_ACL_UNSAFE: readonly ACL[] = Object.freeze([{ perms: Perms.READ, id: ANYONE_ID_UNSAFE }]);
export const CREATOR_ALL_ACL: readonly ACL[] = Object.freeze([{ perms: Perms.ALL, id: AUTH_IDS }]);

/**
 * The ids every connection starts with. ZooKeeper's NIOServerCnxn/NettyServerCnxn add
 * ip:<remote host address> when the socket is accepted, so ACLs of the ip scheme work without an
 * addAuth. Call this for each accepted socket with `socket.remoteAddress`.
 */
export function connectionAuthIds(remoteAddress: string | undefined): Id[] {
  return remoteAddress === undefined ? [] : [{ scheme: 'ip', id: normalizeAddress(remoteAddress) }];
}

/**
 * Java reports an IPv4 peer on a dual-stack socket as plain IPv4 (Inet4Address), where Node says
 * "::ffff:a.b.c.d"; strip the prefix so ip ACLs written with IPv4 addresses match.
 */
export function normalizeAddress(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}

/**
 * DigestAuthenticationProvider.generateDigest: "user:password" -> "user:" + base64(sha1(whole)).
 * Only the user part is kept in clear; the text before the first ':' is the user.
 */
export function digestOf(userPass: string): string {
  const colon = userPass.indexOf(':');
  const user = colon < 0 ? userPass : userPass.slice(0, colon);
  return `${user}:${createHash('sha1').update(userPass, 'utf8').digest('base64')}`;
}

/**
 * Handles an addAuth packet: returns the id to add to the session, or null for AuthFailed
 * (unknown scheme). digest adds digest:<user:hash>; ip adds ip:<remote address> whatever was sent.
 * A super user is recognised later by checkACL/isSuper comparing against the configured superDigest.
 */
export function parseAuth(scheme: string, authBytes: Buffer, remoteAddress?: string): Id | null {
  switch (scheme) {
    case 'digest':
      return { scheme: 'digest', id: digestOf(authBytes.toString('utf8')) };
    case 'ip':
      return remoteAddress === undefined ? null : { scheme: 'ip', id: normalizeAddress(remoteAddress) };
    default:
      return null;
  }
}

/**
 * True when the session is a super user: ZooKeeper adds super:"" when a digest auth produces exactly
 * the configured zookeeper.DigestAuthenticationProvider.superDigest ("super:<hash>").
 */
export function isSuper(authIds: readonly Id[], superDigest?: string): boolean {
  for (const a of authIds) {
    if (a.scheme === 'super') return true;
    if (superDigest !== undefined && a.scheme === 'digest' && a.id === superDigest) return true;
  }
  return false;
}

/**
 * ZooKeeperServer.checkACL: true when some entry grants `perm` to one of `authIds`. An empty ACL
 * allows everything (ZooKeeper skips the check), and a super user passes every check.
 */
export function checkACL(acl: readonly ACL[], perm: number, authIds: readonly Id[], superDigest?: string): boolean {
  if (acl.length === 0 || isSuper(authIds, superDigest)) return true;
  for (const a of acl) {
    if ((a.perms & perm) === 0) continue;
    if (a.id.scheme === 'world' && a.id.id === 'anyone') return true;
    if (authIds.some((auth) => idMatches(auth, a.id))) return true;
  }
  return false;
}

/** One provider's `matches`: digest compares the user:hash text, ip compares masked addresses. */
function idMatches(auth: Id, aclId: Id): boolean {
  if (auth.scheme !== aclId.scheme) return false;
  if (aclId.scheme === 'digest') return auth.id === aclId.id;
  if (aclId.scheme === 'ip') return ipMatches(auth.id, aclId.id);
  return false;
}

/**
 * PrepRequestProcessor.fixupACL: validates the ACL a create/setACL wants to store and expands
 * auth entries into one entry per authenticated id of the session (ip ids are not "authenticated"
 * in ZooKeeper's sense, only digest ones are). Returns null where ZooKeeper answers InvalidACL:
 * an empty list, world with an id other than anyone, an auth entry in a session with no
 * authenticated id, a malformed digest or ip id, or an unknown scheme. Duplicates are dropped first.
 */
export function fixupACL(path: string, authIds: readonly Id[], acl: readonly ACL[]): ACL[] | null {
  void path; // kept for parity with ZooKeeper's signature (its exception names the path)
  // Nearly every create carries one non-auth entry (OPEN_ACL_UNSAFE above all): the list needs no
  // dedup or expansion, so it is kept as decoded instead of rebuilt (it is the request's own).
  if (acl.length === 1 && acl[0]!.id.scheme !== 'auth') return isValidId(acl[0]!.id) ? (acl as ACL[]) : null;
  const unique = removeDuplicates(acl);
  if (unique.length === 0) return null;
  const out: ACL[] = [];
  const sessionIds = authInfoOrder(authIds);
  for (const a of unique) {
    if (a.id.scheme === 'auth') {
      const authed = sessionIds.filter((id) => id.scheme === 'digest');
      if (authed.length === 0) return null;
      for (const id of authed) out.push({ perms: a.perms, id: { scheme: id.scheme, id: id.id } });
    } else if (isValidId(a.id)) {
      out.push({ perms: a.perms, id: { scheme: a.id.scheme, id: a.id.id } });
    } else {
      return null;
    }
  }
  return out;
}

/**
 * A session's auth ids in the order ZooKeeper iterates them. ZooKeeper keeps them in a
 * ConcurrentHashMap-backed set, so duplicates collapse and iteration follows hash buckets, not
 * insertion; that order shows in the ACL a create with `auth` stores (and in whoAmI). We mirror it:
 * bucket = spread(Id.hashCode) & (tableSize - 1), insertion order within a bucket.
 */
export function authInfoOrder(ids: readonly Id[]): Id[] {
  const unique: Id[] = [];
  for (const id of ids) {
    if (!unique.some((u) => u.scheme === id.scheme && u.id === id.id)) unique.push(id);
  }
  const mask = chmTableSize(unique.length) - 1;
  const bucket = (id: Id): number => {
    const h = idHashCode(id);
    return ((h ^ (h >>> 16)) & 0x7fffffff) & mask;
  };
  return unique
    .map((id, i) => ({ id, i, b: bucket(id) }))
    .sort((x, y) => x.b - y.b || x.i - y.i)
    .map((x) => x.id);
}

/** ConcurrentHashMap's table: 16 slots, doubled whenever the count reaches 3/4 of it. */
function chmTableSize(count: number): number {
  let n = 16;
  while (count >= n - (n >>> 2)) n *= 2;
  return n;
}

/** The jute-generated Id.hashCode: 37 * (37 * 17 + scheme.hashCode()) + id.hashCode(), in int32. */
function idHashCode(id: Id): number {
  return (Math.imul(37, (Math.imul(37, 17) + javaStringHash(id.scheme)) | 0) + javaStringHash(id.id)) | 0;
}

/** String.hashCode over UTF-16 code units. */
function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Every entry well formed (what fixupACL accepts, with auth allowed as is); an empty list is invalid. */
export function isValidACL(acl: readonly ACL[]): boolean {
  if (acl.length === 0) return false;
  return acl.every((a) => Number.isInteger(a.perms) && (a.id.scheme === 'auth' || isValidId(a.id)));
}

/** Scheme-level validity: world:anyone, digest user:hash (ZooKeeper's isValid), ip addr[/bits]. */
function isValidId(id: Id): boolean {
  switch (id.scheme) {
    case 'world':
      return id.id === 'anyone';
    case 'digest':
      return javaSplit(id.id, ':').length === 2;
    case 'ip':
      return parseIpExpr(id.id) !== null;
    default:
      return false;
  }
}

function removeDuplicates(acl: readonly ACL[]): ACL[] {
  const out: ACL[] = [];
  for (const a of acl) {
    if (!out.some((b) => b.perms === a.perms && b.id.scheme === a.id.scheme && b.id.id === a.id.id)) out.push(a);
  }
  return out;
}

/** Java's String.split(sep): trailing empty fields are dropped, which decides digest validity. */
function javaSplit(s: string, sep: string): string[] {
  const parts = s.split(sep);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

// ---- ip scheme: "a.b.c.d" or an IPv6 address, optionally "/bits" (IPAuthenticationProvider) ----

type IpExpr = { addr: Uint8Array; bits: number };

function parseIpExpr(expr: string): IpExpr | null {
  const slash = expr.indexOf('/');
  const addr = addrToBytes(slash < 0 ? expr : expr.slice(0, slash));
  if (addr === null) return null;
  let bits = addr.length * 8;
  if (slash >= 0) {
    const text = expr.slice(slash + 1);
    if (!/^[+-]?\d+$/.test(text)) return null;
    bits = Number(text);
    if (bits < 0 || bits > addr.length * 8) return null;
  }
  return { addr, bits };
}

/** IPAuthenticationProvider.matches: both sides masked to the expression's prefix length. */
export function ipMatches(remote: string, aclExpr: string): boolean {
  const expr = parseIpExpr(aclExpr);
  const peer = addrToBytes(normalizeAddress(remote));
  if (expr === null || peer === null || peer.length !== expr.addr.length) return false;
  const a = maskBytes(expr.addr, expr.bits);
  const b = maskBytes(peer, expr.bits);
  return a.every((byte, i) => byte === b[i]);
}

function maskBytes(addr: Uint8Array, bits: number): Uint8Array {
  const out = Uint8Array.from(addr);
  for (let i = 0; i < out.length; i++) {
    const keep = Math.min(8, Math.max(0, bits - i * 8));
    out[i]! &= (0xff << (8 - keep)) & 0xff;
  }
  return out;
}

/** A contains ':' -> IPv6 (16 bytes), else '.' -> IPv4 (4 bytes), else not an address. */
function addrToBytes(addr: string): Uint8Array | null {
  if (addr.includes(':')) return v6ToBytes(addr);
  if (addr.includes('.')) return v4ToBytes(addr);
  return null;
}

function v4ToBytes(addr: string): Uint8Array | null {
  const parts = addr.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (!/^[+-]?\d+$/.test(parts[i]!)) return null;
    const v = Number(parts[i]);
    if (v < 0 || v > 255) return null;
    out[i] = v;
  }
  return out;
}

/** Full or "::"-compressed IPv6, hex groups of 1–4 digits (a zone suffix "%x" is ignored). */
function v6ToBytes(addr: string): Uint8Array | null {
  const bare = addr.split('%')[0]!;
  if (isIP(bare) !== 6 || bare.includes('.')) return null;
  const halves = bare.split('::');
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const out = new Uint8Array(16);
  const put = (groups: string[], at: number): void => {
    groups.forEach((g, i) => {
      const v = parseInt(g, 16);
      out[at + i * 2] = v >> 8;
      out[at + i * 2 + 1] = v & 0xff;
    });
  };
  put(head, 0);
  put(tail, 16 - tail.length * 2);
  return out;
}
