// Transaction log writer and reader on real files with real fsync: format details ZooKeeper
// depends on (name, header, padding), round trips across rolled files, group commit, and
// torn/corrupt tails at random offsets.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { copyFile, mkdtemp, open, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TxnLogReader, TxnLogWriter, truncateAtCut, type TxnRecord } from '../../../src/persist/index.js';
import { encodeTxnRecord, PREALLOC_BYTES } from '../../../src/persist/txn-log.js';
import { Op, OPEN_ACL, createTxn, deleteTxn, header, setDataTxn } from './txn-codec.js';

const roots: string[] = [];
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wk-txnlog-'));
  roots.push(dir);
});
afterAll(async () => {
  for (const d of roots) await rm(d, { recursive: true, force: true });
});

/** A deterministic mix of txn shapes, some with a digest as 3.8 writes them. */
function makeTxn(zxid: bigint): TxnRecord {
  const i = Number(zxid);
  const kinds = [
    () => ({ type: Op.create, body: createTxn(`/n${i}`, Buffer.alloc(i % 300, i & 0xff), OPEN_ACL, i % 7 === 0, i) }),
    () => ({ type: Op.setData, body: setDataTxn(`/n${i - 1}`, Buffer.from(`v${i}`), 0) }),
    () => ({ type: Op.delete, body: deleteTxn(`/n${i - 2}`) }),
  ];
  const { type, body } = kinds[i % 3]();
  const digest = i % 2 === 0 ? { version: 2, treeDigest: BigInt(i) * 0x1234567n } : null;
  return { header: header(zxid, type, 0x100n + BigInt(i % 5), i), body, digest };
}

async function readAll(from = 0n): Promise<{ recs: TxnRecord[]; reader: TxnLogReader }> {
  const reader = await TxnLogReader.open(dir, from);
  const recs: TxnRecord[] = [];
  for await (const r of reader) recs.push(r);
  return { recs, reader };
}

describe('TxnLogWriter format', () => {
  it('names the file after the first zxid, writes the ZKLG header, pads 64 MiB like FilePadding', async () => {
    const w = await TxnLogWriter.open(dir);
    w.append(makeTxn(0x1an).header, makeTxn(0x1an).body);
    await w.commit();
    await w.close();
    const file = join(dir, 'version-2', 'log.1a');
    const head = (await readFile(file)).subarray(0, 16);
    expect(head.toString('latin1', 0, 4)).toBe('ZKLG');
    expect(head.readInt32BE(4)).toBe(2);
    expect(head.readBigInt64BE(8)).toBe(0n);
    // ZooKeeper 3.8 leaves a fresh log at exactly preAllocSize + 16 bytes.
    expect((await stat(file)).size).toBe(PREALLOC_BYTES + 16);
  });

  it('encodes a record as checksum, length, header+txn+digest, then B', () => {
    const t = makeTxn(2n);
    const rec = encodeTxnRecord(t.header, t.body, t.digest);
    const len = rec.readInt32BE(8);
    expect(len).toBe(32 + t.body.length + 12);
    expect(rec.length).toBe(8 + 4 + len + 1);
    expect(rec[rec.length - 1]).toBe(0x42);
  });
});

describe('TxnLogWriter round trips', () => {
  it('reads back every txn across rolled files, from any zxid', async () => {
    const w = await TxnLogWriter.open(dir, { preallocBytes: 8192 });
    const all: TxnRecord[] = [];
    for (let z = 1n; z <= 300n; z++) {
      const t = makeTxn(z);
      all.push(t);
      w.append(t.header, t.body, t.digest);
      if (z % 50n === 0n) await w.commit();
      if (z === 120n || z === 250n) w.rollLog();
    }
    await w.commit();
    await w.close();
    expect((await readdir(join(dir, 'version-2'))).sort()).toEqual(['log.1', 'log.79', 'log.fb']);
    const { recs, reader } = await readAll();
    expect(reader.cut).toBeNull();
    expect(recs).toEqual(all);
    const mid = await readAll(200n);
    expect(mid.recs.map((r) => r.header.zxid)).toEqual(all.slice(199).map((r) => r.header.zxid));
  });

  it('group commit: concurrent commits share rounds and never overlap an fsync', async () => {
    const w = await TxnLogWriter.open(dir);
    const commits: Promise<void>[] = [];
    for (let z = 1n; z <= 200n; z++) {
      const t = makeTxn(z);
      w.append(t.header, t.body, t.digest);
      commits.push(w.commit());
    }
    // The first commit starts a round at once; the 199 asked for while it runs share one promise
    // and one more round (one write, one fsync) covering every record queued by then.
    expect(new Set(commits.slice(1)).size).toBe(1);
    expect(commits[1]).not.toBe(commits[0]);
    await Promise.all(commits);
    expect(w.stats.maxInFlight).toBe(1);
    expect(w.stats.rounds).toBe(2);
    expect(w.stats.fsyncs).toBe(2);
    await w.close();
    expect((await readAll()).recs).toHaveLength(200);
  });

  it('forceSync false writes without fsync', async () => {
    const w = await TxnLogWriter.open(dir, { forceSync: false });
    for (let z = 1n; z <= 10n; z++) w.append(makeTxn(z).header, makeTxn(z).body);
    await w.commit();
    await w.close();
    expect(w.stats.fsyncs).toBe(0);
    expect((await readAll()).recs).toHaveLength(10);
  });
});

describe('torn and corrupt tails', () => {
  /** Writes n txns to one file, returns the file and the end offset of each record. */
  async function writeLog(n: number): Promise<{ file: string; ends: number[]; recs: TxnRecord[] }> {
    const w = await TxnLogWriter.open(dir, { preallocBytes: 64 * 1024 });
    const recs: TxnRecord[] = [];
    const ends: number[] = [];
    let off = 16;
    for (let z = 1n; z <= BigInt(n); z++) {
      const t = makeTxn(z);
      recs.push(t);
      w.append(t.header, t.body, t.digest);
      off += encodeTxnRecord(t.header, t.body, t.digest).length;
      ends.push(off);
    }
    await w.commit();
    await w.close();
    return { file: join(dir, 'version-2', 'log.1'), ends, recs };
  }

  it('keeps every complete txn before a tear at random offsets, then truncates there', async () => {
    const { file, ends, recs } = await writeLog(60);
    const pristine = join(dir, 'pristine');
    await copyFile(file, pristine);
    let seed = 12345;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let trial = 0; trial < 40; trial++) {
      const at = 17 + rand(ends[ends.length - 1] - 17);
      const mode = trial % 3; // 0: file ends at `at`; 1: zeros from `at` (preallocated); 2: garbage byte
      await copyFile(pristine, file);
      const fh = await open(file, 'r+');
      if (mode === 0) await fh.truncate(at);
      if (mode === 1) await fh.write(Buffer.alloc(ends[ends.length - 1] - at), 0, ends[ends.length - 1] - at, at);
      if (mode === 2) await fh.write(Buffer.from([((await readFile(pristine))[at] ^ 0x5a) & 0xff]), 0, 1, at);
      await fh.close();
      const complete = ends.filter((e) => e <= at).length;
      const { recs: got, reader } = await readAll();
      const boundary = complete === 0 ? 16 : ends[complete - 1];
      if (mode === 2) {
        // A flipped byte damages the record holding it; everything before survives.
        const hit = ends.findIndex((e) => e > at);
        expect(got).toEqual(recs.slice(0, hit));
        expect(reader.cut?.offset).toBe(hit === 0 ? 16 : ends[hit - 1]);
        continue;
      }
      expect(got).toEqual(recs.slice(0, complete));
      // A tear that left only zero bytes of the next record (the checksum's high half is always
      // zero) looks exactly like the preallocated end, and is one.
      const leftover = (await readFile(pristine)).subarray(boundary, at);
      if (mode === 1 && leftover.every((b) => b === 0)) expect(reader.cut).toBeNull();
      else if (at === boundary) expect(reader.cut).toBeNull();
      else expect(reader.cut).toMatchObject({ file, offset: boundary });
      if (reader.cut) {
        await truncateAtCut(reader.cut);
        const again = await readAll();
        expect(again.reader.cut).toBeNull();
        expect(again.recs).toEqual(recs.slice(0, complete));
      }
    }
  });

  it('reports a checksum mismatch with its reason', async () => {
    const { file, ends, recs } = await writeLog(5);
    const buf = await readFile(file);
    buf[ends[2] + 20] ^= 0xff; // inside the 4th record's TxnHeader
    await writeFile(file, buf);
    const { recs: got, reader } = await readAll();
    expect(got).toEqual(recs.slice(0, 3));
    expect(reader.cut).toMatchObject({ offset: ends[2], reason: 'checksum' });
  });
});
