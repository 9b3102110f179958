// The real Apache ZooKeeper 3.8 Java client against the subject: one scripted run through
// ZkScript covering every client operation, with the expected answer of each step written out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JavaClient, type Reply } from '../helpers/java.js';
import { startSubject } from '../helpers/subject.js';
import type { RunningServer } from '../helpers/zookeeper.js';

let server: RunningServer;
let client: JavaClient;

beforeAll(async () => {
  server = await startSubject();
  client = new JavaClient({ server: server.connectString });
});

afterAll(async () => {
  await client?.stop();
  await server?.stop();
});

const ev = (type: string, path: string | null = null, state = 'SyncConnected') => ({ type, state, path });

/** Runs [command, expected subset of its reply] pairs in order, failing at the first mismatch. */
async function expectSteps(steps: Array<[string, Record<string, unknown>]>): Promise<Reply[]> {
  const replies: Reply[] = [];
  for (const [line, expected] of steps) {
    const reply = await client.cmd(line);
    expect(reply, line).toMatchObject({ rc: 0, ...expected });
    replies.push(reply);
  }
  return replies;
}

describe('Java client (ZooKeeper 3.8.0) against the subject', () => {
  it('connects sessions with the negotiated timeout', async () => {
    await expectSteps([
      ['connect a', { timeout: 10000 }],
      ['connect w', { timeout: 10000 }],
      ['connect short server 1000', { timeout: 4000 }], // raised to minSessionTimeout = 2 * tickTime
      ['close short', {}],
      ['events w', { events: [ev('None')] }],
    ]);
  });

  it('creates in every mode and reads back data and stats', async () => {
    const r = await expectSteps([
      ['create2 a /j hello PERSISTENT', { path: '/j', stat: { version: 0, dataLength: 5, numChildren: 0, ephemeralOwner: 0 } }],
      ['create a /j hello PERSISTENT', { rc: -110 }],
      ['create a /j/x/y v PERSISTENT', { rc: -101 }],
      ['create2 a /j/s- 1 PERSISTENT_SEQUENTIAL', { path: '/j/s-0000000000' }],
      ['create a /j/s- 2 PERSISTENT_SEQUENTIAL', { path: '/j/s-0000000001' }],
      ['create2 a /j/e x EPHEMERAL', { path: '/j/e', stat: { ephemeralOwner: 'a' } }],
      ['create a /j/es- x EPHEMERAL_SEQUENTIAL', { path: '/j/es-0000000003' }],
      ['create a /j/e/c x PERSISTENT', { rc: -108 }],
      ['create2 a /j/ctr x CONTAINER', { path: '/j/ctr' }],
      ['create a /j/nul ~ PERSISTENT', { path: '/j/nul' }],
      ['get a /j/nul', { data: null, stat: { dataLength: 0 } }],
      ['get a /j', { data: 'hello', stat: { version: 0, cversion: 6, numChildren: 6 } }],
      ['ls a /j', { children: ['ctr', 'e', 'es-0000000003', 'nul', 's-0000000000', 's-0000000001'] }],
      ['ls1 a /j', { children: ['ctr', 'e', 'es-0000000003', 'nul', 's-0000000000', 's-0000000001'] }],
      ['exists a /j/none', { stat: null }],
      ['count a /j', { count: 6 }],
      ['ephemerals a', { paths: ['/j/e', '/j/es-0000000003'] }],
      ['ephemerals a /j/es', { paths: ['/j/es-0000000003'] }],
      ['sync a /j', {}],
      // A container's special owner id is hidden from clients (DataTree.getClientEphemeralOwner).
      ['exists a /j/ctr', { stat: { ephemeralOwner: 0 } }],
    ]);
    const created = r[0].stat as Record<string, number>;
    expect(created.czxid).toBe(created.mzxid);
    expect(created.ctime).toBe(created.mtime);
    expect(Math.abs(created.ctime - Date.now())).toBeLessThan(60_000);
  });

  it('updates and deletes with version checks', async () => {
    const r = await expectSteps([
      ['set a /j world 0', { stat: { version: 1, dataLength: 5 } }],
      ['set a /j again 0', { rc: -103 }],
      ['set a /j again -1', { stat: { version: 2 } }],
      ['set a /j/none x -1', { rc: -101 }],
      ['delete a /j 2', { rc: -111 }],
      ['delete a /j 0', { rc: -103 }],
      ['delete a /j/nul 5', { rc: -103 }],
      ['delete a /j/nul 0', {}],
      ['delete a /j/nul -1', { rc: -101 }],
      ['get a /j', { data: 'again', stat: { version: 2 } }],
    ]);
    const s = r[2].stat as Record<string, number>;
    expect(s.mzxid).toBeGreaterThan(s.czxid);
    expect(s.mtime).toBeGreaterThanOrEqual(s.ctime);
  });

  it('answers multi with per-op results, and rolls back a failing one', async () => {
    await expectSteps([
      ['multi a create /j/m1 x PERSISTENT | set /j 9 2 | check /j 3 | delete /j/s-0000000000 -1', {
        results: [{ type: 'CreateResult', path: '/j/m1' }, { type: 'SetDataResult', stat: { version: 3 } }, { type: 'CheckResult' }, { type: 'DeleteResult' }],
      }],
      ['multi a create /j/m2 x PERSISTENT | set /j 9 0 | delete /j/m1 -1', {
        rc: -103, results: [{ type: 'ErrorResult', rc: 0 }, { type: 'ErrorResult', rc: -103 }, { type: 'ErrorResult', rc: -2 }],
      }],
      ['exists a /j/m2', { stat: null }],
      ['exists a /j/m1', { stat: { version: 0 } }],
      ['multi a check /j/none 0', { rc: -101, results: [{ type: 'ErrorResult', rc: -101 }] }],
    ]);
  });

  it('enforces digest ACLs and reports identities with whoAmI', async () => {
    await expectSteps([
      ['connect b', {}],
      ['auth a digest alice:secret', {}],
      ['create2 a /j/acl p PERSISTENT digestpw:alice:secret=rwcda', {}],
      // base64(sha1("alice:secret")), as DigestAuthenticationProvider derives ids.
      ['getAcl a /j/acl', { acl: ['digest:alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E==rwcda'], stat: { aversion: 0 } }],
      ['get b /j/acl', { rc: -102 }],
      ['set b /j/acl q -1', { rc: -102 }],
      ['exists b /j/acl', { stat: { dataLength: 1 } }],
      ['create b /j/acl2 x PERSISTENT creator', { rc: -114 }],
      ['whoami b', { ids: ['ip:127.0.0.1'] }],
      ['auth b digest alice:secret', {}],
      ['whoami b', { ids: ['digest:alice', 'ip:127.0.0.1'] }],
      ['get b /j/acl', { data: 'p' }],
      ['setAcl a /j/acl world:anyone=r 5', { rc: -103 }],
      ['setAcl a /j/acl world:anyone=r 0', { stat: { aversion: 1 } }],
      ['set a /j/acl q -1', { rc: -102 }],
      ['getAcl b /j/acl', { acl: ['world:anyone=r'] }],
    ]);
  });

  it('delivers one-shot watches: exists, getData, getChildren, and one NodeDeleted', async () => {
    await expectSteps([
      ['exists w /j/wn watch', { stat: null }],
      ['create a /j/wn x PERSISTENT', {}],
      ['get w /j/wn watch', {}],
      ['ls w /j/wn watch', {}],
      ['set a /j/wn y -1', {}],
      ['set a /j/wn z -1', {}],
      ['create a /j/wn/c x PERSISTENT', {}],
      ['events w', { events: [ev('NodeCreated', '/j/wn'), ev('NodeDataChanged', '/j/wn'), ev('NodeChildrenChanged', '/j/wn')] }],
      ['get w /j/wn/c watch', {}],
      ['ls w /j/wn/c watch', {}],
      ['delete a /j/wn/c -1', {}],
      ['events w', { events: [ev('NodeDeleted', '/j/wn/c')] }],
    ]);
  });

  it('keeps persistent and persistent-recursive watches, and removes watches', async () => {
    await expectSteps([
      ['addWatch w /j/wn PERSISTENT', {}],
      ['addWatch w /j/r PERSISTENT_RECURSIVE', {}],
      ['set a /j/wn 1 -1', {}],
      ['set a /j/wn 2 -1', {}],
      ['create a /j/wn/k x PERSISTENT', {}],
      ['create a /j/r x PERSISTENT', {}],
      ['create a /j/r/a x PERSISTENT', {}],
      ['create a /j/r/a/b x PERSISTENT', {}],
      ['set a /j/r/a/b y -1', {}],
      ['delete a /j/r/a/b -1', {}],
      ['events w', { events: [
        ev('NodeDataChanged', '/j/wn'), ev('NodeDataChanged', '/j/wn'), ev('NodeChildrenChanged', '/j/wn'),
        ev('NodeCreated', '/j/r'), ev('NodeCreated', '/j/r/a'), ev('NodeCreated', '/j/r/a/b'),
        ev('NodeDataChanged', '/j/r/a/b'), ev('NodeDeleted', '/j/r/a/b'),
      ] }],
      ['raw w checkWatches /j/wn 2', {}],
      ['raw w checkWatches /j/none 3', { rc: -121 }],
      ['raw w removeWatches /j/none 1', { rc: -121 }],
      ['get w /j/m1 watch', {}],
      ['removeWatches w /j/m1 Data', {}],
      ['removeWatches w /j/m1 Data', { rc: -121 }],
      ['ls w /j/m1 watch', {}],
      ['removeAllWatches w /j/m1 Any', {}],
      ['set a /j/m1 q -1', {}],
      ['events w', { events: [ev('DataWatchRemoved', '/j/m1'), ev('ChildWatchRemoved', '/j/m1')] }],
    ]);
  });

  it('deletes a closed session\'s ephemerals and notifies watchers', async () => {
    await expectSteps([
      ['get w /j/e watch', {}],
      ['ls w /j watch', {}],
      ['close a', {}],
    ]);
    // Both ephemerals of a go at once; their order follows the server's session bookkeeping.
    const { events } = await client.cmd('events w');
    const seen = (events as Array<{ type: string; path: string }>).map((e) => `${e.type} ${e.path}`).sort();
    expect(seen).toEqual(['NodeChildrenChanged /j', 'NodeDeleted /j/e']);
    await expectSteps([
      ['exists w /j/es-0000000003', { stat: null }],
      ['ephemerals w', { paths: [] }],
      ['ls w /zookeeper', { children: ['config', 'quota'], stat: { cversion: -2, numChildren: 2 } }],
    ]);
  });
});
