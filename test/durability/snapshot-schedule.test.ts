// When snapshots happen (SyncRequestProcessor's rule) and that only one runs at a time; autopurge
// at startup keeps the newest snapshots and the logs they need, and the state survives it.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SnapshotSchedule } from '../../src/persist/wiring/snapshot-schedule.js';
import { RawClient } from '../integration/rawclient.js';
import { OpCode } from '../../src/proto/constants.js';
import { CreateRequestRec } from '../../src/proto/records/requests.js';
import { dumpTree, startDurable, tempDir } from './helpers.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('snapshot schedule', () => {
  it('rolls and snapshots after snapCount/2 + randRoll txns, one snapshot at a time', async () => {
    const events: string[] = [];
    let finish: () => void = () => {};
    const rolls = [0.5, 0, 0.99];
    const s = new SnapshotSchedule({
      snapCount: 100,
      random: () => rolls.shift() ?? 0,
      rollLog: () => events.push('roll'),
      take: () => {
        events.push('snap');
        return new Promise<void>((r) => (finish = r));
      },
      onError: (e) => { throw e; },
    });
    const logN = (n: number): void => { for (let i = 0; i < n; i++) s.logged(); };
    logN(75); // 50 + floor(0.5 * 50) = 75: not yet
    expect(events).toEqual([]);
    logN(1);
    expect(events).toEqual(['roll', 'snap']);
    logN(51); // next threshold 50 + 0: the log rolls, but the snapshot still running is not doubled
    expect(events).toEqual(['roll', 'snap', 'roll']);
    expect(s.stats).toEqual({ taken: 1, skipped: 1 });
    finish();
    await s.idle();
    logN(50 + 49 + 1); // threshold 50 + floor(0.99 * 50)
    expect(events).toEqual(['roll', 'snap', 'roll', 'roll', 'snap']);
    finish();
    await s.idle();
  });
});

describe('autopurge', () => {
  it('purges at startup down to snapRetainCount snapshots and the state survives', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const OPEN = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
    for (let round = 0; round < 6; round++) {
      const { server, port } = await startDurable(dir, { snapCount: 10 });
      const c = await RawClient.connect(port);
      for (let i = 0; i < 12; i++) c.send(OpCode.create, CreateRequestRec, { path: `/r${round}-${i}`, data: Buffer.from('x'), acl: OPEN, flags: 0 });
      for (let i = 0; i < 12; i++) expect((await c.nextReply()).err).toBe(0);
      c.close();
      await server.close();
    }
    const snapshots = (): string[] => readdirSync(join(dir, 'version-2')).filter((n) => n.startsWith('snapshot.'));
    expect(snapshots().length).toBeGreaterThan(6);
    const before = await startDurable(dir);
    const expected = dumpTree(before.server.tree);
    await before.server.close();
    const { server } = await startDurable(dir, { autopurgePurgeInterval: 1, autopurgeSnapRetainCount: 3 });
    const deadline = Date.now() + 5000;
    while (snapshots().length > 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await server.close();
    expect(snapshots().length).toBe(3);
    const after = await startDurable(dir);
    try {
      expect(dumpTree(after.server.tree)).toEqual(expected);
    } finally {
      await after.server.close();
    }
  });
});

describe('snapshots of a running server', () => {
  it('writes snapshot.0 on an empty data dir before serving', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const { server } = await startDurable(dir);
    try {
      expect(readdirSync(join(dir, 'version-2'))).toContain('snapshot.0');
    } finally {
      await server.close();
    }
  });

  it('walks a 100,000-node tree in slices that keep the event loop responsive', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const { server } = await startDurable(dir, { forceSync: false });
    try {
      const acl = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
      for (let i = 0; i < 100; i++) {
        server.tree.createNode(`/d${i}`, null, acl, 0n, -1, 1n, 0n);
        for (let j = 0; j < 1000; j++) server.tree.createNode(`/d${i}/n${j}`, Buffer.alloc(20, j), acl, 0n, -1, 1n, 0n);
      }
      let ticks = 0;
      const timer = setInterval(() => ticks++, 1);
      const written = await server.durability!.snapshot({ tree: server.tree, tracker: server.tracker, changes: server.ctx.changes });
      clearInterval(timer);
      expect(written.nodes).toBe(server.tree.size);
      expect(written.maxSliceCpuMs).toBeLessThan(50);
      expect(ticks).toBeGreaterThan(3); // timers ran while the snapshot was written
    } finally {
      await server.close();
    }
  });
});
