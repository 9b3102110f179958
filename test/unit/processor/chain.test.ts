import { describe, expect, it } from 'vitest';
import { DataTree } from '../../../src/data/tree.js';
import { Pipeline } from '../../../src/processor/chain.js';
import { ChangeTable } from '../../../src/processor/changes.js';
import type { ProcessorContext } from '../../../src/processor/context.js';
import { newRequest, type Client } from '../../../src/processor/request.js';
import type { TxnLog } from '../../../src/processor/sync.js';
import { JuteReader } from '../../../src/proto/jute.js';
import { encode } from '../../../src/proto/schema.js';
import { Err, OpCode } from '../../../src/proto/constants.js';
import { CreateRequestRec, GetDataRequestRec, TxnHeaderRec, type TxnHeader } from '../../../src/proto/records/index.js';
import { ReferenceWatchManager } from '../../../src/watch/reference.js';
import { WatchTables } from '../../../src/watch/tables.js';

/** A log whose commits finish only when the test says so. */
class ManualLog implements TxnLog {
  appended: TxnHeader[] = [];
  commits: Array<() => void> = [];
  append(hdr: TxnHeader): void {
    this.appended.push({ ...hdr });
  }
  commit(): Promise<void> {
    return new Promise((res) => this.commits.push(res));
  }
}

class TestClient implements Client {
  frames: Array<{ xid: number; zxid: bigint; err: number }> = [];
  closed = false;
  authIds = [];
  remoteAddress = '127.0.0.1';
  constructor(readonly sessionId: bigint, readonly watcherId: number) {}
  send(frame: Uint8Array): void {
    const r = new JuteReader(frame, 4);
    this.frames.push({ xid: r.int(), zxid: r.long(), err: r.int() });
  }
  closeAfterFlush(): void {}
}

function setup() {
  const tree = new DataTree();
  const sink = { deliver() {} };
  const watches = new WatchTables(new ReferenceWatchManager(), new ReferenceWatchManager(), sink);
  tree.events = watches;
  let zxid = 0n;
  const ctx: ProcessorContext = {
    tree,
    changes: new ChangeTable(tree),
    watches,
    sessions: { setClosing() {}, remove() {} },
    extendedTypes: false,
    nextZxid: () => ++zxid,
    sessionClosed() {},
  };
  const log = new ManualLog();
  return { tree, log, pipeline: new Pipeline(ctx, log, (e) => { throw e; }) };
}

const acl = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
const createBody = (path: string) => encode(CreateRequestRec, { path, data: null, acl, flags: 0 });
const getBody = (path: string) => encode(GetDataRequestRec, { path, watch: false });
const tick = () => new Promise((r) => setImmediate(r));

describe('Pipeline', () => {
  it('answers a read after the same session\'s pending write, and sees it', async () => {
    const { log, pipeline, tree } = setup();
    const a = new TestClient(1n, 0);
    pipeline.submit(newRequest(a, 1n, 1, OpCode.create, createBody('/x')));
    pipeline.submit(newRequest(a, 1n, 2, OpCode.getData, getBody('/x')));
    await tick();
    expect(a.frames).toEqual([]);
    expect(tree.get('/x')).toBeUndefined(); // nothing applied before the commit
    log.commits.shift()!();
    await tick();
    expect(a.frames).toEqual([{ xid: 1, zxid: 1n, err: 0 }, { xid: 2, zxid: 1n, err: 0 }]);
  });

  it('lets another session\'s read run while a write is pending', async () => {
    const { log, pipeline } = setup();
    const a = new TestClient(1n, 0);
    const b = new TestClient(2n, 1);
    pipeline.submit(newRequest(a, 1n, 1, OpCode.create, createBody('/y')));
    pipeline.submit(newRequest(b, 2n, 1, OpCode.getData, getBody('/y')));
    expect(b.frames).toEqual([{ xid: 1, zxid: 0n, err: Err.noNode }]);
    await tick();
    log.commits.shift()!();
    await tick();
    expect(a.frames[0]!.err).toBe(0);
  });

  it('preps pipelined writes against each other and commits them as one group', async () => {
    const { log, pipeline, tree } = setup();
    const a = new TestClient(1n, 0);
    pipeline.submit(newRequest(a, 1n, 1, OpCode.create, createBody('/p')));
    pipeline.submit(newRequest(a, 1n, 2, OpCode.create, createBody('/p/q')));
    pipeline.submit(newRequest(a, 1n, 3, OpCode.create, createBody('/p')));
    await tick();
    expect(log.commits.length).toBe(1);
    expect(log.appended.map((h) => [h.zxid, h.type])).toEqual([[1n, 1], [2n, 1], [3n, OpCode.error]]);
    log.commits.shift()!();
    await tick();
    expect(a.frames.map((f) => f.err)).toEqual([0, 0, Err.nodeExists]);
    expect(tree.stat('/p')!.numChildren).toBe(1);
    void TxnHeaderRec;
  });

  it('starts the next commit only after the one in flight, covering all queued txns', async () => {
    const { log, pipeline } = setup();
    const a = new TestClient(1n, 0);
    pipeline.submit(newRequest(a, 1n, 1, OpCode.create, createBody('/g1')));
    await tick();
    pipeline.submit(newRequest(a, 1n, 2, OpCode.create, createBody('/g2')));
    pipeline.submit(newRequest(a, 1n, 3, OpCode.create, createBody('/g3')));
    await tick();
    expect(log.commits.length).toBe(1);
    log.commits.shift()!();
    await tick();
    expect(log.commits.length).toBe(1);
    log.commits.shift()!();
    await tick();
    expect(a.frames.map((f) => f.xid)).toEqual([1, 2, 3]);
  });
});
