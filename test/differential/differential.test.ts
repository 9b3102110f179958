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

let zk: RunningServer;
let subject: RunningServer;
let zkClient: JavaClient;
let subjectClient: JavaClient;

beforeAll(async () => {
  [zk, subject] = await Promise.all([startZooKeeper(), startSubject()]);
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
