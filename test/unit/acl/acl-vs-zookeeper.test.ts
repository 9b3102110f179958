// The same ACL decisions made by a real Apache ZooKeeper 3.8 (through kazoo) and by acl.ts:
// which ACL lists a create accepts, what it stores after expanding `auth`, and who may read.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ACL, type Id, checkACL, connectionAuthIds, digestOf, fixupACL } from '../../../src/data/acl.js';
import { Perms } from '../../../src/proto/constants.js';
import { type RunningServer, startZooKeeper } from '../../helpers/zookeeper.js';

const { READ, WRITE, ALL } = Perms;
const SUPER = 'super:adminpw';
const PROBE = resolve(import.meta.dirname, 'zk-acl-probe.py');

interface Case {
  path: string;
  acl: Array<[number, string, string]>;
  creatorAuth: string[];
  readerAuth: string[];
}
interface Outcome {
  create: string;
  stored?: Array<[number, string, string]>;
  read?: string;
}

const cases: Case[] = [
  { path: '/open', acl: [[ALL, 'world', 'anyone']], creatorAuth: [], readerAuth: [] },
  { path: '/world-bad', acl: [[ALL, 'world', 'nobody']], creatorAuth: [], readerAuth: [] },
  { path: '/auth-none', acl: [[ALL, 'auth', '']], creatorAuth: [], readerAuth: [] },
  { path: '/auth-two', acl: [[READ | WRITE, 'auth', '']], creatorAuth: ['u1:p1', 'u2:p2'], readerAuth: ['u2:p2'] },
  { path: '/auth-three', acl: [[ALL, 'auth', '']], creatorAuth: ['c:3', 'a:1', 'b:2', 'a:1'], readerAuth: ['b:2'] },
  { path: '/auth-denied', acl: [[ALL, 'auth', '']], creatorAuth: ['u1:p1'], readerAuth: ['u2:p2'] },
  { path: '/digest-ok', acl: [[READ, 'digest', digestOf('u3:p3')]], creatorAuth: [], readerAuth: ['u3:p3'] },
  { path: '/digest-wrongpw', acl: [[READ, 'digest', digestOf('u3:p3')]], creatorAuth: [], readerAuth: ['u3:nope'] },
  { path: '/digest-noperm', acl: [[WRITE, 'digest', digestOf('u3:p3')]], creatorAuth: [], readerAuth: ['u3:p3'] },
  { path: '/digest-malformed', acl: [[READ, 'digest', 'justuser']], creatorAuth: [], readerAuth: [] },
  { path: '/digest-3parts', acl: [[READ, 'digest', 'a:b:c']], creatorAuth: [], readerAuth: [] },
  { path: '/ip-exact', acl: [[READ, 'ip', '127.0.0.1']], creatorAuth: [], readerAuth: [] },
  { path: '/ip-mask8', acl: [[READ, 'ip', '127.0.0.0/8']], creatorAuth: [], readerAuth: [] },
  { path: '/ip-other', acl: [[READ, 'ip', '10.0.0.0/8']], creatorAuth: [], readerAuth: [] },
  { path: '/ip-mask-bad', acl: [[READ, 'ip', '127.0.0.1/33']], creatorAuth: [], readerAuth: [] },
  { path: '/ip-host', acl: [[READ, 'ip', 'localhost']], creatorAuth: [], readerAuth: [] },
  { path: '/super-reads', acl: [[READ, 'digest', digestOf('u4:p4')]], creatorAuth: [], readerAuth: [SUPER] },
  { path: '/dupes', acl: [[ALL, 'world', 'anyone'], [ALL, 'world', 'anyone']], creatorAuth: [], readerAuth: [] },
  { path: '/unknown-scheme', acl: [[ALL, 'kerberos', 'x']], creatorAuth: [], readerAuth: [] },
];

/** What acl.ts predicts for a case, in the probe's terms. */
function predict(c: Case, superDigest: string): Outcome {
  const authIds = (auths: string[]): Id[] => [
    ...connectionAuthIds('127.0.0.1'),
    ...auths.map((a) => ({ scheme: 'digest', id: digestOf(a) })),
  ];
  const list: ACL[] = c.acl.map(([perms, scheme, id]) => ({ perms, id: { scheme, id } }));
  const fixed = fixupACL(c.path, authIds(c.creatorAuth), list);
  if (fixed === null) return { create: 'InvalidACLError' };
  const read = checkACL(fixed, READ, authIds(c.readerAuth), superDigest) ? 'ok' : 'NoAuthError';
  return { create: 'ok', stored: fixed.map((a) => [a.perms, a.id.scheme, a.id.id]), read };
}

describe('ACL decisions agree with Apache ZooKeeper 3.8', () => {
  let zk: RunningServer;
  let actual: Outcome[];

  beforeAll(async () => {
    // In zoo.cfg, unknown keys become "zookeeper.<key>" system properties: this one is the super digest.
    zk = await startZooKeeper({ extra: { 'DigestAuthenticationProvider.superDigest': digestOf(SUPER) } });
    const input = JSON.stringify({ hosts: zk.connectString, superAuth: SUPER, cases });
    actual = JSON.parse(execFileSync('/usr/bin/python3', [PROBE], { input, encoding: 'utf8', timeout: 90_000 })) as Outcome[];
  });

  afterAll(async () => {
    await zk?.stop();
  });

  it.each(cases.map((c, i) => [c.path, i] as const))('%s', (_path, i) => {
    expect(predict(cases[i]!, digestOf(SUPER))).toEqual(actual[i]);
  });
});
