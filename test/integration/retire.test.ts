// A closed connection's watches are removed over later loop turns (the retire queue), with the
// budget per turn lowered so retiring spans many turns. Whatever the timing, a session that
// connects meanwhile must keep its own watches and never see the closed one's events (its
// watcher id is reused only once every old watch is gone), and wchs ends at the live count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Err, EventType, OpCode } from '../../src/proto/constants.js';
import { CreateRequestRec, ExistsRequestRec, SetWatches2Rec, WatcherEventRec } from '../../src/proto/records/index.js';
import { referenceWatchManagerFactory, wasmWatchManagerFactory } from '../../src/server/watch-factory.js';
import { RETIRE_BUDGET, type WatchkeeperServer } from '../../src/server/server.js';
import { fourLetter } from '../helpers/fourletter.js';
import { OPEN_ACL, startServer } from './helpers.js';
import { decodeBody, RawClient } from './rawclient.js';

const WATCHES = 3000;
const saved = { ...RETIRE_BUDGET };

async function totalWatches(port: number): Promise<number> {
  const m = /Total watches:(\d+)/.exec(await fourLetter('127.0.0.1', port, 'wchs'));
  return Number(m![1]);
}

async function waitFor(cond: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition not met in 3 s');
}

for (const [name, factory] of [['wasm', wasmWatchManagerFactory], ['reference', referenceWatchManagerFactory]] as const) {
  describe(`retiring a closed connection's watches (${name} tables)`, () => {
    let server: WatchkeeperServer;
    let port: number;
    const clients: RawClient[] = [];

    beforeAll(async () => {
      RETIRE_BUDGET.slice = 1; // one watch per table per loop turn: thousands of turns
      RETIRE_BUDGET.ms = 0;
      ({ server, port } = await startServer({ watchManagerFactory: factory }));
    });
    afterAll(async () => {
      Object.assign(RETIRE_BUDGET, saved);
      for (const c of clients) c.close();
      await server.close();
    });

    it('keeps a new session\'s watches and events apart from the retiring ones', async () => {
      const a = await RawClient.connect(port);
      clients.push(a);
      const paths = Array.from({ length: WATCHES }, (_, i) => `/gone-${i}`);
      const sw = { relativeZxid: 0n, dataWatches: [], existWatches: paths, childWatches: [], persistentWatches: [], persistentRecursiveWatches: [] };
      expect((await a.call(OpCode.setWatches2, SetWatches2Rec, sw)).err).toBe(Err.ok);
      expect(await totalWatches(port)).toBe(WATCHES);
      a.close();
      await a.waitClosed();

      const b = await RawClient.connect(port);
      clients.push(b);
      expect((await b.call(OpCode.exists, ExistsRequestRec, { path: '/mine', watch: true })).err).toBe(Err.noNode);
      await waitFor(async () => (await totalWatches(port)) === 1);

      const m = await RawClient.connect(port);
      clients.push(m);
      await m.call(OpCode.create, CreateRequestRec, { path: '/gone-7', data: null, acl: OPEN_ACL, flags: 0 });
      await m.call(OpCode.create, CreateRequestRec, { path: '/mine', data: null, acl: OPEN_ACL, flags: 0 });
      const event = decodeBody(WatcherEventRec, await b.nextReply());
      expect(event).toEqual({ type: EventType.NodeCreated, state: 3, path: '/mine' });
      await expect(b.nextReply(200)).rejects.toThrow(/timeout/);
      expect(await totalWatches(port)).toBe(0);
    });
  });
}
