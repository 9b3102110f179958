// getChildren lists children in ZooKeeper's order (Java HashSet iteration, data/child-order.ts):
// the same creates, deletes and re-creates against Apache ZooKeeper 3.8.0 and watchkeeper give
// the same lists at every step, across the table's growth from 8 to 64 buckets and after
// shrinking (the table never shrinks), for random, sequential and look-alike names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpCode } from '../../src/proto/constants.js';
import { CreateRequestRec, DeleteRequestRec, GetChildrenRequestRec } from '../../src/proto/records/index.js';
import { GetChildrenResponseRec } from '../../src/proto/records/responses.js';
import type { WatchkeeperServer } from '../../src/server/server.js';
import { fourLetter } from '../helpers/fourletter.js';
import { type RunningServer, startZooKeeper } from '../helpers/zookeeper.js';
import { OPEN_ACL, startServer } from './helpers.js';
import { decodeBody, RawClient } from './rawclient.js';

let zk: RunningServer;
let wk: WatchkeeperServer;
let real: RawClient;
let ours: RawClient;

beforeAll(async () => {
  zk = await startZooKeeper();
  for (let i = 0; i < 100 && (await fourLetter(zk.host, zk.port, 'isro')) !== 'rw'; i++) await new Promise((r) => setTimeout(r, 100));
  const started = await startServer();
  wk = started.server;
  real = await RawClient.connect(zk.port);
  ours = await RawClient.connect(started.port);
}, 90_000);

afterAll(async () => {
  real?.close();
  ours?.close();
  await wk?.close();
  await zk?.stop();
});

/** Runs one op on both servers; the replies' errors must agree. Returns the created path. */
async function both(op: (c: RawClient) => Promise<{ err: number; body: Buffer }>): Promise<Buffer> {
  const [a, b] = await Promise.all([op(real), op(ours)]);
  expect(b.err).toBe(a.err);
  return a.body;
}

const mk = (path: string, flags = 0) => (c: RawClient) => c.call(OpCode.create, CreateRequestRec, { path, data: null, acl: OPEN_ACL, flags });
const rm = (path: string) => (c: RawClient) => c.call(OpCode.delete, DeleteRequestRec, { path, version: -1 });

async function expectSameChildren(path: string): Promise<string[]> {
  const ls = (c: RawClient) => c.call(OpCode.getChildren, GetChildrenRequestRec, { path, watch: false });
  const [a, b] = await Promise.all([ls(real), ls(ours)]);
  const want = decodeBody(GetChildrenResponseRec, a).children;
  expect({ path, children: decodeBody(GetChildrenResponseRec, b).children }).toEqual({ path, children: want });
  return want;
}

/** Deterministic names: random letters, numbered look-alikes and a few long ones. */
function names(seed: number, n: number): string[] {
  let x = seed;
  const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 3;
    if (kind === 0) out.push(Array.from({ length: 3 + Math.floor(rnd() * 8) }, () => String.fromCharCode(97 + Math.floor(rnd() * 26))).join(''));
    else if (kind === 1) out.push(`worker-${Math.floor(rnd() * 1000)}-${i}`);
    else out.push(`lock-${'x'.repeat(Math.floor(rnd() * 40))}${i}`);
  }
  return [...new Set(out)];
}

describe('children order, watchkeeper vs Apache ZooKeeper 3.8.0', () => {
  it('matches through growth past 6, 12, 24 and 48 children, deletes and re-creates', async () => {
    const parent = '/kids';
    await both(mk(parent));
    const all = names(7, 60);
    for (let i = 0; i < all.length; i++) {
      await both(mk(`${parent}/${all[i]}`));
      if ([1, 5, 6, 7, 12, 13, 24, 25, 48, 49, all.length - 1].includes(i)) await expectSameChildren(parent);
    }
    const gone = all.filter((_, i) => i % 4 !== 0);
    for (const name of gone) await both(rm(`${parent}/${name}`));
    await expectSameChildren(parent); // 15 left in a 128-bucket table
    for (const name of [...gone.slice(0, 5), ...names(99, 4)]) await both(mk(`${parent}/${name}`));
    await expectSameChildren(parent);
  });

  it('matches for sequential children and for the root and /zookeeper', async () => {
    await both(mk('/seq'));
    for (let i = 0; i < 30; i++) await both(mk('/seq/job-', 2));
    await expectSameChildren('/seq');
    await expectSameChildren('/zookeeper');
    expect((await expectSameChildren('/')).length).toBe(3);
  });
});
