// Damage on disk: a torn or corrupted end of the newest txn log (what a crash mid-write leaves) is
// cut at the first bad record, every complete txn before it is served, and the cut is logged; a
// corrupt newest snapshot falls back to the previous one plus the logs after it.
import { cpSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RawClient } from '../integration/rawclient.js';
import { OpCode } from '../../src/proto/constants.js';
import { CreateRequestRec } from '../../src/proto/records/requests.js';
import { dumpTree, startDurable, tempDir } from './helpers.js';

const OPEN = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
const root = tempDir('wk-damage-');
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** Starts a server on `dir`, creates /t<from>../t<to-1> (pipelined), closes; returns czxid per path. */
async function writeNodes(dir: string, from: number, to: number): Promise<Map<string, bigint>> {
  const { server, port } = await startDurable(dir, { snapCount: 1_000_000 });
  const c = await RawClient.connect(port);
  for (let i = from; i < to; i++) c.send(OpCode.create, CreateRequestRec, { path: `/t${i}`, data: Buffer.from(`v${i}`), acl: OPEN, flags: 0 });
  for (let i = from; i < to; i++) expect((await c.nextReply()).err).toBe(0);
  c.close();
  const czxid = new Map<string, bigint>();
  for (let i = from; i < to; i++) czxid.set(`/t${i}`, server.tree.get(`/t${i}`)!.stat.czxid);
  await server.close();
  return czxid;
}

interface LogRecord {
  start: number;
  end: number;
  zxid: bigint;
}

/** Record boundaries of a log file (FileHeader 16 bytes; crc 8, len 4, entry, 'B'). */
function records(file: string): LogRecord[] {
  const b = readFileSync(file);
  const out: LogRecord[] = [];
  let o = 16;
  while (o + 12 <= b.length) {
    const len = b.readInt32BE(o + 8);
    if (len <= 0) break;
    out.push({ start: o, end: o + 12 + len + 1, zxid: b.readBigInt64BE(o + 12 + 12) });
    o += 12 + len + 1;
  }
  return out;
}

function newestLog(dir: string): string {
  const logs = readdirSync(join(dir, 'version-2')).filter((n) => n.startsWith('log.'));
  logs.sort((a, b) => Number(BigInt('0x' + a.slice(4)) - BigInt('0x' + b.slice(4))));
  return join(dir, 'version-2', logs[logs.length - 1]!);
}

function captureLog(): () => string {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  return () => lines.join('\n');
}

describe('torn or corrupt log tail', () => {
  const pristine = join(root, 'pristine');
  let czxid = new Map<string, bigint>();
  beforeAll(async () => {
    czxid = await writeNodes(pristine, 0, 300);
  });

  const damages = ['truncate', 'flip'] as const;
  for (const kind of damages) {
    it(`${kind} at random offsets: keeps every complete txn before the damage and logs the cut`, async () => {
      for (let trial = 0; trial < 4; trial++) {
        const dir = join(root, `${kind}-${trial}`);
        cpSync(pristine, dir, { recursive: true });
        const log = newestLog(dir);
        const recs = records(log);
        const end = recs[recs.length - 1]!.end;
        const at = 16 + Math.floor(Math.random() * (end - 16));
        if (kind === 'truncate') truncateSync(log, at);
        else {
          const b = readFileSync(log);
          b[at] ^= 0x5a;
          writeFileSync(log, b);
        }
        // Truncated or flipped at `at`: the records wholly before it are intact, the one holding it is not.
        const kept = recs.filter((r) => r.end <= at);
        const lastKept = kept.length > 0 ? kept[kept.length - 1]!.zxid : 0n;
        const output = captureLog();
        const { server } = await startDurable(dir);
        try {
          expect(server.tree.lastProcessedZxid).toBe(lastKept);
          for (const [path, z] of czxid) expect(server.tree.get(path) !== undefined, `${path} (damage at ${at})`).toBe(z <= lastKept);
          const atBoundary = kind === 'truncate' && recs.some((r) => r.end === at);
          if (!atBoundary) expect(output()).toMatch(/cut damaged txn log tail: .*log\.[0-9a-f]+ from byte \d+/);
        } finally {
          await server.close();
        }
      }
    });
  }
});

describe('corrupt snapshot', () => {
  it('falls back to the previous snapshot and replays the logs after it', async () => {
    const dir = join(root, 'snapfall');
    await writeNodes(dir, 0, 50);
    await writeNodes(dir, 50, 100); // this start wrote a snapshot of the first 50
    const { server: a } = await startDurable(dir);
    const expected = dumpTree(a.tree);
    await a.close();
    const snaps = readdirSync(join(dir, 'version-2')).filter((n) => n.startsWith('snapshot.'));
    snaps.sort((x, y) => Number(BigInt('0x' + y.slice(9)) - BigInt('0x' + x.slice(9))));
    expect(snaps.length).toBeGreaterThanOrEqual(3);
    const newest = join(dir, 'version-2', snaps[0]!);
    const b = readFileSync(newest);
    b[Math.floor(b.length / 2)] ^= 0xff;
    writeFileSync(newest, b);
    const output = captureLog();
    const { server } = await startDurable(dir);
    try {
      expect(dumpTree(server.tree)).toEqual(expected);
      expect(output()).toContain(`snapshot ${newest} is unusable`);
    } finally {
      await server.close();
    }
  });
});
