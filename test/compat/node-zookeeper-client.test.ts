// node-zookeeper-client (npm) against the subject: CRUD, watches, transactions, ACLs, and a
// reconnect through a proxy that is cut while another client changes the watched nodes, so the
// watches are only re-armed by the SetWatches (101) the client sends on reconnect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpProxy } from '../helpers/proxy.js';
import { startSubject } from '../helpers/subject.js';
import type { RunningServer } from '../helpers/zookeeper.js';
import { NodeClient, nzk } from './node-client.js';

let server: RunningServer;
let a: NodeClient;
let b: NodeClient;
const opened: NodeClient[] = [];

async function client(connectString: string): Promise<NodeClient> {
  const c = new NodeClient(connectString);
  opened.push(c);
  await c.connect();
  return c;
}

beforeAll(async () => {
  server = await startSubject();
  [a, b] = await Promise.all([client(server.connectString), client(server.connectString)]);
});

afterAll(async () => {
  for (const c of opened) c.close();
  await server?.stop();
});

const text = (v: unknown): string => (v as Buffer).toString('utf8');
const version = (v: unknown): number => (v as { version: number }).version;

describe('node-zookeeper-client against the subject', () => {
  it('creates, reads, updates and deletes with ZooKeeper error codes', async () => {
    expect((await a.call('create', '/nzk', Buffer.from('hello'))).values).toEqual(['/nzk']);
    expect((await a.call('create', '/nzk', Buffer.from('x'))).rc).toBe(-110);
    expect((await a.call('create', '/nzk/x/y', Buffer.from('x'))).rc).toBe(-101);
    const got = await a.call('getData', '/nzk');
    expect([got.rc, text(got.values[0]), version(got.values[1])]).toEqual([0, 'hello', 0]);
    expect(version((await a.call('setData', '/nzk', Buffer.from('world'), 0)).values[0])).toBe(1);
    expect((await a.call('setData', '/nzk', Buffer.from('again'), 0)).rc).toBe(-103);
    const seq = await a.call('create', '/nzk/s-', Buffer.from(''), nzk.CreateMode.PERSISTENT_SEQUENTIAL);
    expect(seq.values).toEqual(['/nzk/s-0000000000']);
    expect((await a.call('mkdirp', '/nzk/deep/er')).rc).toBe(0);
    expect((await a.call('getChildren', '/nzk')).values[0]).toEqual(expect.arrayContaining(['deep', 's-0000000000']));
    expect((await a.call('exists', '/nzk/none')).values).toEqual([null]);
    expect((await a.call('remove', '/nzk/deep', -1)).rc).toBe(-111);
    expect((await a.call('remove', '/nzk/deep/er', 5)).rc).toBe(-103);
    expect((await a.call('remove', '/nzk/deep/er', -1)).rc).toBe(0);
    expect((await a.call('remove', '/nzk/deep', -1)).rc).toBe(0);
  });

  it('delivers data, exists and child watches', async () => {
    await a.call('getData', '/nzk', a.watcher);
    await a.call('exists', '/nzk/w', a.watcher);
    await a.call('getChildren', '/nzk', a.watcher);
    await b.call('setData', '/nzk', Buffer.from('w'), -1);
    await b.call('create', '/nzk/w', Buffer.from(''));
    await a.call('exists', '/'); // replies come after the notifications sent before them
    expect(await a.waitEvents(3)).toEqual([
      { type: 'NODE_DATA_CHANGED', path: '/nzk' },
      { type: 'NODE_CREATED', path: '/nzk/w' },
      { type: 'NODE_CHILDREN_CHANGED', path: '/nzk' },
    ]);
  });

  it('commits a transaction and reports per-op errors of a failing one', async () => {
    const ok = await a.commit((t) =>
      t.create('/nzk/t', Buffer.from('t')).setData('/nzk/t', Buffer.from('u'), 0).check('/nzk/t', 1).remove('/nzk/w', -1),
    );
    expect(ok.rc).toBe(0);
    expect((ok.values[0] as Array<{ type: number }>).map((r) => r.type)).toEqual([1, 5, 13, 2]);
    // Version 7 is wrong (it is 1). Not 0: this client's transaction turns a 0 version into -1.
    const bad = await a.commit((t) => t.create('/nzk/t2').setData('/nzk/t', Buffer.from('v'), 7).remove('/nzk/t', -1));
    expect(bad.rc).toBe(-103);
    expect((bad.values[0] as Array<{ err: number }>).map((r) => r.err)).toEqual([0, -103, -2]);
    expect((await a.call('exists', '/nzk/t2')).values).toEqual([null]);
  });

  it('enforces digest ACLs until the client adds auth', async () => {
    const owner = await client(server.connectString);
    owner.raw.addAuthInfo('digest', Buffer.from('nzk:pw'));
    const acl = [new nzk.ACL(nzk.Permission.ALL, new nzk.Id('auth', ''))];
    expect((await owner.call('create', '/nzk/acl', Buffer.from('s'), acl, nzk.CreateMode.PERSISTENT)).rc).toBe(0);
    const acls = (await owner.call('getACL', '/nzk/acl')).values[0] as Array<{ id: { scheme: string; id: string }; permission: number }>;
    // sha1("nzk:pw") in base64: the id DigestAuthenticationProvider stores.
    expect(acls.map((x) => [x.id.scheme, x.id.id, x.permission])).toEqual([['digest', 'nzk:V36gwZSdzEa6MwFqIbVd8JjRrq4=', 31]]);
    expect((await b.call('getData', '/nzk/acl')).rc).toBe(-102);
    expect((await b.call('setACL', '/nzk/acl', nzk.ACL.OPEN_ACL_UNSAFE, -1)).rc).toBe(-102);
    b.raw.addAuthInfo('digest', Buffer.from('nzk:pw'));
    expect(text((await b.call('getData', '/nzk/acl')).values[0])).toBe('s');
  });

  it('re-arms watches with SetWatches after a reconnect and gets the missed events', async () => {
    const proxy = new TcpProxy(server.host, server.port);
    const c = await client(await proxy.start());
    const session = c.raw.getSessionId().toString('hex');
    await b.call('create', '/nzk/r', Buffer.from('0'));
    await c.call('getData', '/nzk/r', c.watcher);
    await c.call('exists', '/nzk/r/new', c.watcher);
    await c.call('getChildren', '/nzk/r', c.watcher);
    proxy.cut(); // and refuse reconnects while the nodes change
    await b.call('setData', '/nzk/r', Buffer.from('1'), -1);
    await b.call('create', '/nzk/r/new', Buffer.from(''));
    expect(c.events).toEqual([]);
    proxy.resume();
    const events = await c.waitEvents(3);
    expect(events).toEqual(expect.arrayContaining([
      { type: 'NODE_DATA_CHANGED', path: '/nzk/r' },
      { type: 'NODE_CREATED', path: '/nzk/r/new' },
      { type: 'NODE_CHILDREN_CHANGED', path: '/nzk/r' },
    ]));
    expect(events).toHaveLength(3);
    expect(c.raw.getSessionId().toString('hex')).toBe(session);
    expect(c.states).toContain('DISCONNECTED');
    expect(proxy.connections.length).toBeGreaterThanOrEqual(2);
    expect(proxy.connections.at(-1)!.opcodes[0]).toBe(101);
    await proxy.stop();
  });
});
