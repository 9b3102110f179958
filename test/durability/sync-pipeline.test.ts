// The sync stage with overlapping commits, and the pipelined log writer under it: batches reach
// final strictly in log order whatever order their commits finish in, and every record written by
// overlapping rounds across log rolls reads back in zxid order.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TxnLogReader } from '../../src/persist/txn-log-reader.js';
import { TxnLogWriter } from '../../src/persist/txn-log.js';
import { SyncStage, type TxnLog } from '../../src/processor/sync.js';
import { newRequest, type Request } from '../../src/processor/request.js';
import { OpCode } from '../../src/proto/constants.js';
import { tempDir } from './helpers.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A log whose commits the test settles by hand, in any order. */
class ManualLog implements TxnLog {
  readonly maxRounds = 3;
  appended: bigint[] = [];
  commits: Array<() => void> = [];
  append(hdr: { zxid: bigint }): void {
    this.appended.push(hdr.zxid);
  }
  commit(): Promise<void> {
    return new Promise((resolve) => this.commits.push(resolve));
  }
}

function write(zxid: bigint): Request {
  const r = newRequest(null, 1n, Number(zxid), OpCode.setData, Buffer.alloc(0));
  r.hdr = { clientId: 1n, cxid: Number(zxid), zxid, time: 0n, type: OpCode.error };
  r.txn = { err: 0 };
  return r;
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('sync stage with overlapping commits', () => {
  it('keeps up to maxRounds commits in flight and releases batches in log order', async () => {
    const log = new ManualLog();
    const released: bigint[][] = [];
    const stage = new SyncStage(log, (b) => released.push(b.map((r) => r.hdr!.zxid)), (e) => { throw e; });
    for (let z = 1n; z <= 4n; z++) {
      stage.push(write(z));
      await turn(); // each push lands in its own round
    }
    expect(log.commits.length).toBe(3); // the 4th waits for a free round
    log.commits[2]!();
    log.commits[1]!();
    await turn();
    expect(released).toEqual([]); // rounds 2 and 3 are durable, round 1 is not: nothing may leave
    log.commits[0]!();
    await turn();
    expect(released).toEqual([[1n], [2n], [3n]]);
    expect(log.commits.length).toBe(4);
    log.commits[3]!();
    await turn();
    expect(released).toEqual([[1n], [2n], [3n], [4n]]);
  });
});

describe('txn log writer with overlapping rounds', () => {
  it('overlapping rounds and rolls read back complete and in zxid order', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const w = await TxnLogWriter.open(dir, { preallocBytes: 4096, maxRounds: 4 });
    const commits: Promise<void>[] = [];
    let zxid = 0n;
    for (let round = 0; round < 60; round++) {
      for (let i = 0; i < 1 + (round % 7); i++) {
        zxid++;
        w.append({ clientId: 5n, cxid: Number(zxid), zxid, time: 0n, type: OpCode.setData }, Buffer.alloc(40 + Number(zxid % 300n), Number(zxid % 251n)));
      }
      if (round % 17 === 16) w.rollLog();
      commits.push(w.commit());
    }
    await Promise.all(commits);
    expect(w.stats.maxInFlight).toBeGreaterThan(1);
    await w.close();
    const reader = await TxnLogReader.open(dir, 1n);
    const seen: bigint[] = [];
    for await (const rec of reader) {
      seen.push(rec.header.zxid);
      expect(rec.body.length).toBe(40 + Number(rec.header.zxid % 300n));
      expect(rec.body[0]).toBe(Number(rec.header.zxid % 251n));
    }
    expect(reader.cut).toBeNull();
    expect(readdirSync(join(dir, 'version-2')).filter((n) => n.startsWith('log.')).length).toBe(4);
    expect(seen).toEqual(Array.from({ length: Number(zxid) }, (_, i) => BigInt(i + 1)));
  });
});
