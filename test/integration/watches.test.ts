// Watch behaviour over the wire, run over both watch-table implementations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Err, EventType, OpCode, WatcherType } from '../../src/proto/constants.js';
import {
  AddWatchRequestRec,
  CheckWatchesRequestRec,
  CreateRequestRec,
  DeleteRequestRec,
  ExistsRequestRec,
  GetChildrenRequestRec,
  GetDataRequestRec,
  RemoveWatchesRequestRec,
  SetDataRequestRec,
  SetWatches2Rec,
  WatcherEventRec,
} from '../../src/proto/records/index.js';
import { referenceWatchManagerFactory, wasmWatchManagerFactory } from '../../src/server/watch-factory.js';
import type { WatchkeeperServer } from '../../src/server/server.js';
import { OPEN_ACL, startServer } from './helpers.js';
import { decodeBody, RawClient, type Reply } from './rawclient.js';

const create = (path: string, flags = 0) => ({ path, data: Buffer.from('d'), acl: OPEN_ACL, flags });
const ev = (r: Reply) => decodeBody(WatcherEventRec, r);

for (const [name, factory] of [['wasm', wasmWatchManagerFactory], ['reference', referenceWatchManagerFactory]] as const) {
  describe(`watches (${name} tables)`, () => {
    let server: WatchkeeperServer;
    let port: number;
    const clients: RawClient[] = [];
    const client = async () => {
      const c = await RawClient.connect(port);
      clients.push(c);
      return c;
    };
    beforeAll(async () => {
      ({ server, port } = await startServer({ watchManagerFactory: factory }));
    });
    afterAll(async () => {
      for (const c of clients) c.close();
      await server.close();
    });

    it('one-shot watches fire once: exists -> NodeCreated, getChildren -> NodeChildrenChanged', async () => {
      const w = await client();
      const m = await client();
      expect((await w.call(OpCode.exists, ExistsRequestRec, { path: '/o', watch: true })).err).toBe(Err.noNode);
      await w.call(OpCode.create, CreateRequestRec, create('/o-parent'));
      await w.call(OpCode.getChildren, GetChildrenRequestRec, { path: '/o-parent', watch: true });
      await m.call(OpCode.create, CreateRequestRec, create('/o'));
      await m.call(OpCode.create, CreateRequestRec, create('/o-parent/k'));
      await m.call(OpCode.create, CreateRequestRec, create('/o-parent/k2'));
      expect(ev(await w.nextReply())).toEqual({ type: EventType.NodeCreated, state: 3, path: '/o' });
      expect(ev(await w.nextReply())).toEqual({ type: EventType.NodeChildrenChanged, state: 3, path: '/o-parent' });
      await expect(w.nextReply(200)).rejects.toThrow(/timeout/);
    });

    it('the notification arrives before the reply of the write that fired it, for the writer itself', async () => {
      const c = await client();
      await c.call(OpCode.create, CreateRequestRec, create('/self'));
      await c.call(OpCode.getData, GetDataRequestRec, { path: '/self', watch: true });
      const events: Reply[] = [];
      const r = await c.call(OpCode.setData, SetDataRequestRec, { path: '/self', data: null, version: -1 }, events);
      expect(r.err).toBe(0);
      expect(events.map(ev)).toEqual([{ type: EventType.NodeDataChanged, state: 3, path: '/self' }]);
    });

    it('persistent recursive watches see the subtree, never NodeChildrenChanged, and stay', async () => {
      const w = await client();
      const m = await client();
      await m.call(OpCode.create, CreateRequestRec, create('/r'));
      expect((await w.call(OpCode.addWatch, AddWatchRequestRec, { path: '/r', mode: 1 })).body.toString('hex')).toBe('00000000');
      await m.call(OpCode.create, CreateRequestRec, create('/r/a'));
      await m.call(OpCode.setData, SetDataRequestRec, { path: '/r/a', data: null, version: -1 });
      await m.call(OpCode.delete, DeleteRequestRec, { path: '/r/a', version: -1 });
      const got = [ev(await w.nextReply()), ev(await w.nextReply()), ev(await w.nextReply())];
      expect(got.map((e) => [e.type, e.path])).toEqual([
        [EventType.NodeCreated, '/r/a'],
        [EventType.NodeDataChanged, '/r/a'],
        [EventType.NodeDeleted, '/r/a'],
      ]);
      expect((await w.call(OpCode.checkWatches, CheckWatchesRequestRec, { path: '/r', type: WatcherType.PersistentRecursive })).err).toBe(0);
    });

    it('persistent (non-recursive) watches get data and child events of the node', async () => {
      const w = await client();
      const m = await client();
      await m.call(OpCode.create, CreateRequestRec, create('/pp'));
      await w.call(OpCode.addWatch, AddWatchRequestRec, { path: '/pp', mode: 0 });
      await m.call(OpCode.create, CreateRequestRec, create('/pp/x'));
      await m.call(OpCode.setData, SetDataRequestRec, { path: '/pp', data: null, version: -1 });
      await m.call(OpCode.setData, SetDataRequestRec, { path: '/pp', data: null, version: -1 });
      const got = [ev(await w.nextReply()), ev(await w.nextReply()), ev(await w.nextReply())];
      expect(got.map((e) => e.type)).toEqual([EventType.NodeChildrenChanged, EventType.NodeDataChanged, EventType.NodeDataChanged]);
    });

    it('checkWatches and removeWatches answer NoWatcher (-121) when there is none', async () => {
      const w = await client();
      await w.call(OpCode.create, CreateRequestRec, create('/cw'));
      expect((await w.call(OpCode.checkWatches, CheckWatchesRequestRec, { path: '/cw', type: WatcherType.Data })).err).toBe(Err.noWatcher);
      await w.call(OpCode.getData, GetDataRequestRec, { path: '/cw', watch: true });
      expect((await w.call(OpCode.checkWatches, CheckWatchesRequestRec, { path: '/cw', type: WatcherType.Data })).err).toBe(0);
      expect((await w.call(OpCode.checkWatches, CheckWatchesRequestRec, { path: '/cw', type: WatcherType.Children })).err).toBe(Err.noWatcher);
      expect((await w.call(OpCode.removeWatches, RemoveWatchesRequestRec, { path: '/cw', type: WatcherType.Any })).err).toBe(0);
      expect((await w.call(OpCode.removeWatches, RemoveWatchesRequestRec, { path: '/cw', type: WatcherType.Any })).err).toBe(Err.noWatcher);
      await w.call(OpCode.setData, SetDataRequestRec, { path: '/cw', data: null, version: -1 });
      await expect(w.nextReply(200)).rejects.toThrow(/timeout/);
    });

    it('setWatches2 catches up on changes after relativeZxid and re-registers the rest', async () => {
      const m = await client();
      const before = await m.call(OpCode.create, CreateRequestRec, create('/sw-old'));
      await m.call(OpCode.create, CreateRequestRec, create('/sw-new'));
      const w = await client();
      const sw = { relativeZxid: before.zxid, dataWatches: ['/sw-old', '/sw-new', '/sw-gone'], existWatches: [], childWatches: ['/sw-old'], persistentWatches: [], persistentRecursiveWatches: ['/sw-old'] };
      const events: Reply[] = [];
      expect((await w.call(OpCode.setWatches2, SetWatches2Rec, sw, events)).err).toBe(0);
      expect(events.map(ev).map((e) => [e.type, e.path])).toEqual([
        [EventType.NodeDataChanged, '/sw-new'],
        [EventType.NodeDeleted, '/sw-gone'],
      ]);
      await m.call(OpCode.setData, SetDataRequestRec, { path: '/sw-old', data: null, version: -1 });
      // One watcher, standard + recursive on the same path: ZooKeeper delivers a single event.
      expect(ev(await w.nextReply())).toMatchObject({ type: EventType.NodeDataChanged, path: '/sw-old' });
      await expect(w.nextReply(200)).rejects.toThrow(/timeout/);
    });

    it('a closed connection loses its watches', async () => {
      const w = await client();
      const m = await client();
      await m.call(OpCode.create, CreateRequestRec, create('/gone-w'));
      await w.call(OpCode.getData, GetDataRequestRec, { path: '/gone-w', watch: true });
      w.close();
      await new Promise((r) => setTimeout(r, 50));
      const n = await client(); // reuses the freed watcher id: must not inherit the old watch
      await m.call(OpCode.setData, SetDataRequestRec, { path: '/gone-w', data: null, version: -1 });
      await expect(n.nextReply(200)).rejects.toThrow(/timeout/);
    });
  });
}
