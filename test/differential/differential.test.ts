// Differential suite: every scenario runs through the real Java client against Apache ZooKeeper
// 3.8.0 and against the subject (watchkeeper; WK_SUBJECT=zookeeper for a ZooKeeper-vs-ZooKeeper
// run that validates the harness). After normalisation (normalise.ts) the replies — error codes,
// stats, data, children, ACLs and each session's ordered events — must be identical.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JavaClient, type Reply } from '../helpers/java.js';
import { startSubject } from '../helpers/subject.js';
import { startZooKeeper, type RunningServer } from '../helpers/zookeeper.js';
import { diffReplies } from './diff.js';
import { normalise } from './normalise.js';
import { scenarios, type Scenario } from './scenarios.js';
import { reconnectScenario, type ReconnectResult } from './reconnect.js';
import { expiryScenario } from './expiry.js';

let zk: RunningServer;
let subject: RunningServer;
let zkClient: JavaClient;
let subjectClient: JavaClient;

// The reference is ZooKeeper 3.8.0, so watchkeeper runs in its 3.8 compatibility settings here:
// one watch mode per (path, watcher) pair (its default follows 3.9, ZOOKEEPER-4466) and -1 as the
// notification zxid. With its defaults, "persistent and recursive watches" differs at the
// removeWatches(Any) step: 3.9 semantics keep firing the recursive watch.
const AS_ZOOKEEPER_38 = { watchModeSemantics: '3.8', notificationZxid: 'minus1' };

beforeAll(async () => {
  [zk, subject] = await Promise.all([startZooKeeper(), startSubject(AS_ZOOKEEPER_38)]);
  zkClient = new JavaClient({ server: zk.connectString });
  subjectClient = new JavaClient({ server: subject.connectString });
});

afterAll(async () => {
  await Promise.all([zkClient?.stop(), subjectClient?.stop()]);
  await Promise.all([zk?.stop(), subject?.stop()]);
});

async function runTimed(client: JavaClient, lines: string[]): Promise<{ replies: Reply[]; window: [number, number] }> {
  const start = Date.now() - 1000;
  const replies = await client.script(lines);
  return { replies, window: [start, Date.now() + 1000] };
}

/** DIFF_DUMP=dir writes each scenario's normalised replies there, for reading by a person. */
function dump(s: Scenario, reference: unknown[], sub: unknown[]): void {
  const dir = process.env.DIFF_DUMP;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const text = s.lines.map((l, i) => `${l}\n  zookeeper ${JSON.stringify(reference[i])}\n  subject   ${JSON.stringify(sub[i])}\n`);
  writeFileSync(join(dir, `${s.name.replace(/[^a-z0-9]+/gi, '-')}.txt`), text.join(''));
}

async function compare(s: Scenario): Promise<string[]> {
  const [ref, sub] = await Promise.all([runTimed(zkClient, s.lines), runTimed(subjectClient, s.lines)]);
  const [a, b] = [normalise(ref.replies, ref.window), normalise(sub.replies, sub.window)];
  dump(s, a, b);
  return diffReplies(s.lines, a, b);
}

describe(`differential: Apache ZooKeeper vs ${process.env.WK_SUBJECT ?? 'watchkeeper'}`, () => {
  for (const s of scenarios) {
    it(s.name, async () => {
      const diffs = await compare(s);
      expect(diffs.join('\n'), `scenario "${s.name}" differs:\n${diffs.join('\n')}`).toBe('');
    });
  }
});

// The client fills 128 KB batches with one-shot watches first and persistent ones last; a batch
// holding persistent watches goes as SetWatches2 (105), the others as SetWatches (101).
const SET_WATCHES = 101;
const SET_WATCHES2 = 105;
const sorted = (l: string[]): string[] => [...l].sort();
const count = (r: ReconnectResult, op: number): number => r.opcodes.filter((o) => o === op).length;

function summary(r: ReconnectResult): object {
  return { catchUp: sorted(r.catchUp), after: sorted(r.after) };
}

describe('Java client reconnect with thousands of watches (SetWatches2)', () => {
  it('re-arms every watch and delivers the same catch-up events as ZooKeeper', async () => {
    const [ref, sub] = await Promise.all([reconnectScenario(zk), reconnectScenario(subject)]);
    if (process.env.DIFF_DUMP) {
      const show = (r: ReconnectResult) => ({ setWatches: count(r, SET_WATCHES), setWatches2: count(r, SET_WATCHES2), ...summary(r) });
      writeFileSync(join(process.env.DIFF_DUMP, 'reconnect.json'), JSON.stringify({ zookeeper: show(ref), subject: show(sub) }, null, 1));
    }
    const failed = [...ref.replies, ...sub.replies].filter((r) => r.rc !== 0 || r.complete === false || r.ok === false);
    expect(failed, 'every step succeeds').toEqual([]);
    expect(count(ref, SET_WATCHES) + count(ref, SET_WATCHES2)).toBeGreaterThan(2);
    expect(count(ref, SET_WATCHES2)).toBeGreaterThanOrEqual(1);
    expect([count(sub, SET_WATCHES), count(sub, SET_WATCHES2)]).toEqual([count(ref, SET_WATCHES), count(ref, SET_WATCHES2)]);
    expect(summary(sub)).toEqual(summary(ref));
    // What ZooKeeper's DataTree.setWatches promises, independent of the comparison above.
    expect(sub.catchUp).toEqual(expect.arrayContaining([
      'None:Disconnected ', 'None:SyncConnected ', 'NodeDataChanged:SyncConnected P/5',
      'NodeCreated:SyncConnected P/7/new', 'NodeChildrenChanged:SyncConnected P/7', 'NodeDeleted:SyncConnected P/11',
    ]));
    expect(sub.after).toEqual(expect.arrayContaining([
      'NodeDataChanged:SyncConnected P/20', 'NodeCreated:SyncConnected P/30/new',
      'NodeChildrenChanged:SyncConnected P', 'NodeCreated:SyncConnected /sw2r/later',
    ]));
  }, 180_000);
});

describe('session expiry', () => {
  it('deletes the expired session\'s ephemerals, notifies watchers and tells the client Expired', async () => {
    const [ref, sub] = await Promise.all([expiryScenario(zk), expiryScenario(subject)]);
    const failed = [...ref.replies, ...sub.replies].filter((r) => r.rc !== 0 || r.complete === false || r.ok === false);
    expect(failed, 'every step succeeds').toEqual([]);
    expect({ watcher: sub.watcher, expired: sub.expired }).toEqual({ watcher: ref.watcher, expired: ref.expired });
    expect(sub.watcher).toEqual(['NodeDeleted:SyncConnected /d-exp/eph', 'NodeChildrenChanged:SyncConnected /d-exp']);
    expect(sub.expired).toEqual(['None:Disconnected ', 'None:Expired ']);
  }, 120_000);
});
