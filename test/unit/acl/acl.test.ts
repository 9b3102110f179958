import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ACL,
  type Id,
  authInfoOrder,
  checkACL,
  connectionAuthIds,
  CREATOR_ALL_ACL,
  digestOf,
  fixupACL,
  ipMatches,
  isSuper,
  isValidACL,
  OPEN_ACL_UNSAFE,
  parseAuth,
  READ_ACL_UNSAFE,
} from '../../../src/data/acl.js';
import { Perms } from '../../../src/proto/constants.js';

const { READ, WRITE, CREATE, DELETE, ADMIN, ALL } = Perms;
const ZK_CP = '/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-api.jar';

/** Digests computed by Apache ZooKeeper's own DigestAuthenticationProvider main(). */
function zookeeperDigests(inputs: string[]): Map<string, string> {
  const out = execFileSync('java', ['-cp', ZK_CP, 'org.apache.zookeeper.server.auth.DigestAuthenticationProvider', ...inputs], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const map = new Map<string, string>();
  for (const line of out.split('\n')) {
    const at = line.lastIndexOf('->');
    if (at > 0) map.set(line.slice(0, at), line.slice(at + 2));
  }
  return map;
}

describe('digestOf matches ZooKeeper DigestAuthenticationProvider', () => {
  const inputs = ['user:pass', 'super:secret', 'a:b:c', 'ünï:cødé', 'nocolon', ':empty', 'user:', 'x:' + 'p'.repeat(300)];
  let expected: Map<string, string>;
  beforeAll(() => {
    expected = zookeeperDigests(inputs);
  });

  it.each(inputs)('%s', (input) => {
    expect(expected.get(input)).toBeDefined();
    expect(digestOf(input)).toBe(expected.get(input));
  });
});

const digestUser: Id = { scheme: 'digest', id: digestOf('user:pass') };
const digestOther: Id = { scheme: 'digest', id: digestOf('other:pass') };
const ip = (addr: string): Id => ({ scheme: 'ip', id: addr });
const acl = (perms: number, scheme: string, id: string): ACL => ({ perms, id: { scheme, id } });

describe('checkACL (ZooKeeperServer.checkACL)', () => {
  const cases: Array<[string, ACL[], number, Id[], boolean, string?]> = [
    ['empty ACL allows everything', [], ADMIN, [], true],
    ['world:anyone with the perm', [...OPEN_ACL_UNSAFE], WRITE, [], true],
    ['world:anyone without the perm', [...READ_ACL_UNSAFE], WRITE, [digestUser], false],
    ['world with another id is not anyone', [acl(ALL, 'world', 'someone')], READ, [], false],
    ['digest id matches exactly', [acl(READ, 'digest', digestUser.id)], READ, [digestUser], true],
    ['digest of another user', [acl(READ, 'digest', digestUser.id)], READ, [digestOther], false],
    ['digest perm missing', [acl(READ, 'digest', digestUser.id)], DELETE, [digestUser], false],
    ['any matching entry grants', [acl(READ, 'digest', digestOther.id), acl(WRITE, 'digest', digestUser.id)], WRITE, [digestOther, digestUser], true],
    ['perm bits are tested one by one', [acl(CREATE | DELETE, 'world', 'anyone')], DELETE, [], true],
    ['scheme must match', [acl(ALL, 'ip', '127.0.0.1')], READ, [{ scheme: 'digest', id: '127.0.0.1' }], false],
    ['ip exact', [acl(ALL, 'ip', '10.1.2.3')], READ, [ip('10.1.2.3')], true],
    ['ip different', [acl(ALL, 'ip', '10.1.2.3')], READ, [ip('10.1.2.4')], false],
    ['ip /24 inside', [acl(ALL, 'ip', '10.1.2.0/24')], READ, [ip('10.1.2.200')], true],
    ['ip /24 outside', [acl(ALL, 'ip', '10.1.2.0/24')], READ, [ip('10.1.3.1')], false],
    ['ip /20 inside (mask inside a byte)', [acl(ALL, 'ip', '10.1.16.0/20')], READ, [ip('10.1.31.255')], true],
    ['ip /20 outside', [acl(ALL, 'ip', '10.1.16.0/20')], READ, [ip('10.1.32.0')], false],
    ['ip /0 matches every IPv4', [acl(ALL, 'ip', '1.2.3.4/0')], READ, [ip('200.1.1.1')], true],
    ['ip /33 is no match', [acl(ALL, 'ip', '10.1.2.3/33')], READ, [ip('10.1.2.3')], false],
    ['ip mask not a number', [acl(ALL, 'ip', '10.1.2.3/x')], READ, [ip('10.1.2.3')], false],
    ['ip acl unparsable', [acl(ALL, 'ip', 'localhost')], READ, [ip('127.0.0.1')], false],
    ['IPv4-mapped peer matches an IPv4 entry', [acl(ALL, 'ip', '127.0.0.1')], READ, [ip('::ffff:127.0.0.1')], true],
    ['IPv6 exact, compressed vs full', [acl(ALL, 'ip', '::1')], READ, [ip('0:0:0:0:0:0:0:1')], true],
    ['IPv6 /64', [acl(ALL, 'ip', 'fe80::/64')], READ, [ip('fe80::1234:5678')], true],
    ['IPv6 vs IPv4 never match', [acl(ALL, 'ip', '::/0')], READ, [ip('1.2.3.4')], false],
    ['super id passes', [acl(READ, 'digest', digestOther.id)], ADMIN, [{ scheme: 'super', id: '' }], true],
    ['unknown scheme never matches', [acl(ALL, 'sasl', 'bob')], READ, [{ scheme: 'sasl', id: 'bob' }], false],
  ];
  it.each(cases)('%s', (_name, list, perm, ids, want) => {
    expect(checkACL(list, perm, ids)).toBe(want);
  });

  it('a digest auth equal to superDigest is super, any other is not', () => {
    const superDigest = digestOf('super:secret');
    const list = [acl(READ, 'digest', digestOther.id)];
    const asSuper: Id = { scheme: 'digest', id: digestOf('super:secret') };
    const wrong: Id = { scheme: 'digest', id: digestOf('super:guess') };
    expect(checkACL(list, ADMIN, [asSuper], superDigest)).toBe(true);
    expect(checkACL(list, ADMIN, [asSuper])).toBe(false);
    expect(checkACL(list, ADMIN, [wrong], superDigest)).toBe(false);
    expect(isSuper([ip('1.2.3.4'), asSuper], superDigest)).toBe(true);
  });
});

describe('fixupACL (PrepRequestProcessor.fixupACL)', () => {
  const authed = [ip('127.0.0.1'), digestUser, digestOther];

  it('keeps world:anyone and valid digest/ip entries, dropping duplicates', () => {
    const list = [...OPEN_ACL_UNSAFE, ...OPEN_ACL_UNSAFE, acl(READ, 'digest', 'u:hash'), acl(READ, 'ip', '10.0.0.0/8')];
    expect(fixupACL('/a', [], list)).toEqual([OPEN_ACL_UNSAFE[0], acl(READ, 'digest', 'u:hash'), acl(READ, 'ip', '10.0.0.0/8')]);
  });

  it('expands auth into every authenticated digest id of the session (not ip ids)', () => {
    const fixed = fixupACL('/a', authed, [...CREATOR_ALL_ACL]);
    expect(fixed).toHaveLength(2);
    expect(fixed).toEqual(expect.arrayContaining([{ perms: ALL, id: digestUser }, { perms: ALL, id: digestOther }]));
  });

  it('orders and de-duplicates auth ids as ZooKeeper\'s hash set does, whatever the insertion order', () => {
    const a = authInfoOrder([ip('127.0.0.1'), digestUser, digestOther, digestUser]);
    const b = authInfoOrder([digestOther, digestUser, ip('127.0.0.1')]);
    expect(a).toEqual(b);
    expect(a).toHaveLength(3);
  });

  const invalid: Array<[string, Id[], ACL[]]> = [
    ['empty list', authed, []],
    ['auth with no authenticated id', [ip('127.0.0.1')], [...CREATOR_ALL_ACL]],
    ['world other than anyone', [], [acl(READ, 'world', 'everyone')]],
    ['digest without a hash part', [], [acl(READ, 'digest', 'user')]],
    ['digest with a trailing colon only', [], [acl(READ, 'digest', 'user:')]],
    ['digest with two colons', [], [acl(READ, 'digest', 'a:b:c')]],
    ['ip not an address', [], [acl(READ, 'ip', 'example.com')]],
    ['ip mask too wide', [], [acl(READ, 'ip', '1.2.3.4/40')]],
    ['unknown scheme', [], [acl(READ, 'kerberos', 'x')]],
    ['one bad entry spoils the list', [], [...OPEN_ACL_UNSAFE, acl(READ, 'world', 'x')]],
  ];
  it.each(invalid)('invalid: %s', (_name, ids, list) => {
    expect(fixupACL('/a', ids, list)).toBeNull();
    if (!list.some((a) => a.id.scheme === 'auth')) expect(isValidACL(list)).toBe(false);
  });

  it('Java split quirk: "a:b:" counts as two parts, so it is a valid digest id', () => {
    expect(fixupACL('/a', [], [acl(READ, 'digest', 'a:b:')])).not.toBeNull();
  });

  it('isValidACL accepts the predefined lists', () => {
    expect(isValidACL([...OPEN_ACL_UNSAFE])).toBe(true);
    expect(isValidACL([...READ_ACL_UNSAFE])).toBe(true);
    expect(isValidACL([...CREATOR_ALL_ACL])).toBe(true);
  });
});

describe('authentication', () => {
  it('digest auth yields digest:<user:hash>', () => {
    expect(parseAuth('digest', Buffer.from('user:pass'))).toEqual(digestUser);
  });

  it('ip auth yields the peer address whatever the payload', () => {
    expect(parseAuth('ip', Buffer.from('ignored'), '::ffff:10.0.0.5')).toEqual(ip('10.0.0.5'));
  });

  it('unknown schemes fail', () => {
    expect(parseAuth('world', Buffer.from('anyone'))).toBeNull();
    expect(parseAuth('kerberos', Buffer.from('x'))).toBeNull();
  });

  it('every connection starts with ip:<remote address>', () => {
    expect(connectionAuthIds('127.0.0.1')).toEqual([ip('127.0.0.1')]);
    expect(connectionAuthIds('::ffff:127.0.0.1')).toEqual([ip('127.0.0.1')]);
    expect(connectionAuthIds('::1')).toEqual([ip('::1')]);
    expect(checkACL([acl(READ, 'ip', '127.0.0.0/8')], READ, connectionAuthIds('127.0.0.1'))).toBe(true);
  });

  it('ipMatches rejects malformed peers', () => {
    expect(ipMatches('not-an-ip', '0.0.0.0/0')).toBe(false);
    expect(ipMatches('1.2.3', '0.0.0.0/0')).toBe(false);
    expect(ipMatches('1.2.3.256', '0.0.0.0/0')).toBe(false);
  });
});
