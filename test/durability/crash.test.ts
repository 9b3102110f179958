// kill -9 of the server process in the middle of write load from real clients, several times:
// after every restart each write a client saw acknowledged is there with its data (the reply left
// only after the txn was fsynced), and the zxid counter goes on from the recovered one.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyAcked, runAckedLoad, verifyAcked } from '../../bench/write/acked-load.js';
import { stopChild } from '../helpers/processes.js';
import { buildDist, crash, startCli, writeZooCfg, type CliServer } from './cli.js';
import { tempDir } from './helpers.js';

const CYCLES = 4;
let root = '';
const running: CliServer[] = [];

beforeAll(() => {
  buildDist();
  root = tempDir('wk-crash-');
}, 120_000);

afterAll(async () => {
  for (const s of running) await stopChild(s.child);
  rmSync(root, { recursive: true, force: true });
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('kill -9 during write load', () => {
  it(`keeps every acknowledged write over ${CYCLES} crash cycles`, async () => {
    const dataDir = join(root, 'data');
    mkdirSync(dataDir);
    const cfg = join(root, 'zoo.cfg');
    // A small snapCount so crashes also land during snapshots and right after log rolls.
    writeZooCfg(cfg, dataDir, ['snapCount=400']);
    const acked = emptyAcked();
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const s = await startCli(cfg);
      running.push(s);
      const ep = { host: '127.0.0.1', port: s.port };
      expect(await verifyAcked(ep, acked)).toEqual([]);
      const killAt = sleep(300 + Math.floor(Math.random() * 700)).then(() => crash(s));
      await runAckedLoad(ep, { tag: `c${cycle}`, sessions: 4, window: 32 }, acked, killAt);
      await killAt;
    }
    const s = await startCli(cfg);
    running.push(s);
    try {
      expect(acked.creates.size).toBeGreaterThan(CYCLES * 50);
      expect(await verifyAcked({ host: '127.0.0.1', port: s.port }, acked)).toEqual([]);
      expect(s.output()).toMatch(/recovered \d+ znodes from snapshot/);
      const names = readdirSync(join(dataDir, 'version-2'));
      expect(names.filter((n) => n.startsWith('log.')).length).toBeGreaterThan(CYCLES);
    } finally {
      await stopChild(s.child);
    }
  }, 80_000);
});
