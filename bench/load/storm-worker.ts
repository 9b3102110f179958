// Watch storm, one worker's share. The first `writers` sessions write; the rest each watch K of this
// worker's znodes with getData and re-arm on every NodeDataChanged. Writers keep one setData in
// flight per znode for the whole run (as fast as the server acknowledges).
//
// Latency without clocks in the payload: a watch armed by a getData whose reply carried zxid a is
// fired by the first write to that znode with zxid > a (ZooKeeper 3.8 notifications carry zxid -1,
// so the match is made afterwards). Each znode's writes are sequential, so their (zxid, send time)
// list is sorted and a binary search finds the trigger.
import { EventType, OpCode } from '../../src/proto/constants.js';
import { Histogram, type HistSnapshot } from './hist.js';
import { Body, nowUs, type Session } from './wire.js';

export interface StormSpec {
  paths: string[];
  k: number;
  writers: number;
  durationMs: number;
  dataBytes: number;
}

export interface StormResult {
  notifications: number;
  writes: number;
  windowMs: number;
  latency: HistSnapshot;
  unmatched: number;
}

/** Bounds the per-notification record (memory) on long runs; beyond it only counts grow. */
const MAX_RECORDED = 4_000_000;
const DRAIN_MS = 1000;

class WriteLog {
  readonly zxids: number[] = [];
  readonly sent: number[] = [];
  /** Send time of the first write with zxid > armZxid, or NaN. */
  trigger(armZxid: number): number {
    let lo = 0;
    let hi = this.zxids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.zxids[mid]! > armZxid) hi = mid;
      else lo = mid + 1;
    }
    return lo < this.zxids.length ? this.sent[lo]! : NaN;
  }
}

export async function runStorm(sessions: readonly Session[], spec: StormSpec): Promise<StormResult> {
  const m = spec.paths.length;
  const index = new Map(spec.paths.map((p, i) => [p, i]));
  const logs = spec.paths.map(() => new WriteLog());
  const rec = { z: [] as number[], arm: [] as number[], at: [] as number[], total: 0 };
  const watchers = sessions.slice(spec.writers);
  let running = true;
  let startUs = 0;
  let endUs = 0;

  // Slot j of watcher i is znode (i*K + j) mod M, so a znode maps back to its slot in O(1).
  const arm = watchers.map(() => new Float64Array(spec.k));
  const armOne = (s: Session, i: number, j: number): void => {
    const z = (i * spec.k + j) % m;
    s.send(OpCode.getData, Body.getData(spec.paths[z]!, true), (r) => {
      arm[i]![j] = r.zxid;
    });
  };
  watchers.forEach((s, i) => {
    s.onNotify = (type, path, at) => {
      const z = index.get(path);
      if (type !== EventType.NodeDataChanged || z === undefined) return;
      const j = (((z - i * spec.k) % m) + m) % m;
      if (j >= spec.k) return;
      if (running && at >= startUs) {
        rec.total++;
        if (rec.z.length < MAX_RECORDED) rec.z.push(z), rec.arm.push(arm[i]![j]!), rec.at.push(at);
      }
      if (running) armOne(s, i, j);
    };
  });
  await Promise.all(watchers.map((s, i) => armAll(s, i, spec, arm[i]!)));

  let writes = 0;
  const data = Buffer.alloc(spec.dataBytes, 0x61);
  const writeOne = (w: Session, z: number): void => {
    const sentUs = nowUs();
    w.send(OpCode.setData, Body.setData(spec.paths[z]!, data), (r) => {
      if (r.err === 0) logs[z]!.zxids.push(r.zxid), logs[z]!.sent.push(sentUs), writes++;
      if (running) writeOne(w, z);
    });
  };
  const writerSessions = sessions.slice(0, spec.writers);
  startUs = nowUs();
  for (let z = 0; z < m; z++) writeOne(writerSessions[z % writerSessions.length]!, z);
  await sleep(spec.durationMs);
  endUs = nowUs();
  running = false;
  await sleep(DRAIN_MS);
  for (const s of sessions) s.onNotify = () => {};
  return summarize(rec, logs, writes, (endUs - startUs) / 1000);
}

/** Initial arm of one watcher's K slots; resolves when every reply is in. */
function armAll(s: Session, i: number, spec: StormSpec, arm: Float64Array): Promise<void> {
  const m = spec.paths.length;
  const calls: Promise<void>[] = [];
  for (let j = 0; j < spec.k; j++) {
    const z = (i * spec.k + j) % m;
    calls.push(s.call(OpCode.getData, Body.getData(spec.paths[z]!, true)).then((r) => void (arm[j] = r.zxid)));
  }
  return Promise.all(calls).then(() => undefined);
}

function summarize(
  rec: { z: number[]; arm: number[]; at: number[]; total: number },
  logs: readonly WriteLog[],
  writes: number,
  windowMs: number,
): StormResult {
  const h = new Histogram();
  let unmatched = 0;
  for (let n = 0; n < rec.z.length; n++) {
    const sent = logs[rec.z[n]!]!.trigger(rec.arm[n]!);
    if (Number.isNaN(sent) || sent > rec.at[n]!) unmatched++;
    else h.record(rec.at[n]! - sent);
  }
  return { notifications: rec.total, writes, windowMs, latency: h.snapshot(), unmatched };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
