import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Err, EventType, OpCode } from '../../src/proto/constants.js';
import {
  Create2ResponseRec,
  CreateRequestRec,
  CreateTTLRequestRec,
  DeleteRequestRec,
  ExistsRequestRec,
  WatcherEventRec,
} from '../../src/proto/records/index.js';
import type { WatchkeeperServer } from '../../src/server/server.js';
import { OPEN_ACL, startServer } from './helpers.js';
import { decodeBody, RawClient } from './rawclient.js';

let server: WatchkeeperServer;
let port: number;
let c: RawClient;
beforeAll(async () => {
  ({ server, port } = await startServer({ extendedTypesEnabled: true, containers: { checkIntervalMs: 100 } }));
  c = await RawClient.connect(port);
});
afterAll(async () => {
  c.close();
  await server.close();
});

const waitFor = async (f: () => Promise<boolean>, ms = 3000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await f()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
};
const gone = (path: string) => async () => (await c.call(OpCode.exists, ExistsRequestRec, { path, watch: false })).err === Err.noNode;

describe('containers and TTL nodes', () => {
  it('reaps a container once its last child is gone, but not a never-used one', async () => {
    const r = await c.call(OpCode.createContainer, CreateRequestRec, { path: '/box', data: null, acl: OPEN_ACL, flags: 4 });
    // Clients see 0 for a container's owner (DataTree.getClientEphemeralOwner).
    expect(decodeBody(Create2ResponseRec, r).stat.ephemeralOwner).toBe(0n);
    await c.call(OpCode.createContainer, CreateRequestRec, { path: '/unused', data: null, acl: OPEN_ACL, flags: 4 });
    await c.call(OpCode.create, CreateRequestRec, { path: '/box/k', data: null, acl: OPEN_ACL, flags: 0 });
    await c.call(OpCode.exists, ExistsRequestRec, { path: '/box', watch: true });
    await c.call(OpCode.delete, DeleteRequestRec, { path: '/box/k', version: -1 });
    const ev = await c.nextReply(3000);
    expect(decodeBody(WatcherEventRec, ev)).toEqual({ type: EventType.NodeDeleted, state: 3, path: '/box' });
    expect(await gone('/unused')()).toBe(false);
  });

  it('reaps an empty TTL node after its TTL when extended types are on', async () => {
    const r = await c.call(OpCode.createTTL, CreateTTLRequestRec, { path: '/ttl', data: null, acl: OPEN_ACL, flags: 5, ttl: 150n });
    expect(r.err).toBe(0);
    expect(await waitFor(gone('/ttl'))).toBe(true);
  });

  it('rejects a TTL of 0 and a TTL on a non-TTL mode as BadArguments', async () => {
    expect((await c.call(OpCode.createTTL, CreateTTLRequestRec, { path: '/t0', data: null, acl: OPEN_ACL, flags: 5, ttl: 0n })).err).toBe(Err.badArguments);
    expect((await c.call(OpCode.createTTL, CreateTTLRequestRec, { path: '/t1', data: null, acl: OPEN_ACL, flags: 0, ttl: 10n })).err).toBe(Err.badArguments);
  });
});
