// Makes two servers' replies comparable. Values a server chooses freely are replaced by what a
// client may rely on: zxids by their dense rank among all zxids the scenario saw (so equality and
// order are compared, not the numbers), times by "T" (a plausible wall-clock time in ms) and mtime
// by its relation to ctime. Everything else (error codes, versions, data, children, ACLs, events)
// is compared as is, with one exception: the removal events of a single removeWatches call are
// compared as a set. Their order comes from the Java client, not the server: ZKWatchManager.removeWatcher
// collects them in a HashMap keyed by EventType, whose iteration order follows enum identity hashes
// and so changes from one JVM to the next (seen: ChildWatchRemoved/DataWatchRemoved swapped between
// two runs against the same server).
import type { Reply } from '../helpers/java.js';

const ZXID_KEYS = new Set(['czxid', 'mzxid', 'pzxid']);
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function collectZxids(v: unknown, into: Set<number>): void {
  if (Array.isArray(v)) {
    for (const x of v) collectZxids(x, into);
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (ZXID_KEYS.has(k) && typeof x === 'number') into.add(x);
      else collectZxids(x, into);
    }
  }
}

/** Zxid 0 (never written, e.g. /zookeeper) stays 0; others become z1, z2, ... in order. */
function zxidRanks(replies: Reply[]): Map<number, string> {
  const all = new Set<number>();
  collectZxids(replies, all);
  const sorted = [...all].filter((z) => z !== 0).sort((a, b) => a - b);
  return new Map(sorted.map((z, i) => [z, `z${i + 1}`]));
}

function time(t: number, window: [number, number]): Json {
  if (t === 0) return 0;
  return t >= window[0] && t <= window[1] ? 'T' : `bad-time:${t}`;
}

/** A never-modified node (version 0) must have mtime = ctime; later ones only mtime >= ctime. */
function mtimeRelation(stat: Record<string, number>): string {
  if (stat.mtime === stat.ctime && stat.version === 0) return '=ctime';
  return stat.mtime >= stat.ctime ? '>=ctime' : '<ctime';
}

function isStat(v: Record<string, unknown>): v is Record<string, number> {
  return typeof v.ctime === 'number' && typeof v.mtime === 'number' && 'czxid' in v;
}

function walk(v: unknown, ranks: Map<number, string>, window: [number, number]): Json {
  if (Array.isArray(v)) return v.map((x) => walk(x, ranks, window));
  if (v === null || typeof v !== 'object') return v as Json;
  const o = v as Record<string, unknown>;
  const out: Record<string, Json> = {};
  for (const [k, x] of Object.entries(o)) {
    if (ZXID_KEYS.has(k) && typeof x === 'number') out[k] = x === 0 ? 0 : (ranks.get(x) ?? x);
    else if (k === 'ctime' && typeof x === 'number') out[k] = time(x, window);
    else if (k === 'mtime' && isStat(o)) out[k] = o.mtime === 0 ? 0 : mtimeRelation(o);
    else out[k] = walk(x, ranks, window);
  }
  return out;
}

interface EventJson {
  type?: unknown;
  path?: unknown;
}

const isRemoval = (e: EventJson): boolean => typeof e.type === 'string' && e.type.endsWith('WatchRemoved');

/** Sorts each run of consecutive removal events for one path by type (see the header). */
function removalRunsSorted(events: EventJson[]): EventJson[] {
  const out = [...events];
  for (let i = 0; i < out.length; ) {
    let j = i + 1;
    if (isRemoval(out[i]!)) while (j < out.length && isRemoval(out[j]!) && out[j]!.path === out[i]!.path) j++;
    const run = out.slice(i, j).sort((a, b) => String(a.type).localeCompare(String(b.type)));
    out.splice(i, j - i, ...run);
    i = j;
  }
  return out;
}

function withRemovalsSorted(r: Reply): Reply {
  const events = (r as { events?: unknown }).events;
  return Array.isArray(events) ? ({ ...r, events: removalRunsSorted(events as EventJson[]) } as Reply) : r;
}

/** Normalises one scenario's replies; window = [earliest, latest] plausible time in ms. */
export function normalise(replies: Reply[], window: [number, number]): Json[] {
  const ranks = zxidRanks(replies);
  return replies.map((r) => walk(withRemovalsSorted(r), ranks, window));
}
