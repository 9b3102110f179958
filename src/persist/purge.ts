// Autopurge as PurgeTxnLog does it: keep the N newest snapshots that look intact, and every log
// that may hold txns after the oldest kept one (the newest log starting at or before its zxid,
// and all later logs). Older snapshots and logs are deleted. ZooKeeper requires N >= 3.
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { LOG_PREFIX, VERSION_DIR, listZxidFiles, logsFrom } from './files.js';
import { listSnapshots, looksSealed } from './snapshot-reader.js';

export interface PurgeResult {
  kept: string[];
  deleted: string[];
}

export const MIN_RETAIN = 3;

/** Deletes snapshots and logs no longer needed to recover from the `keep` newest snapshots. */
export async function purge(dataDir: string, keep: number, dataLogDir = dataDir): Promise<PurgeResult> {
  if (keep < MIN_RETAIN) throw new RangeError(`keep must be at least ${MIN_RETAIN}`);
  const kept: string[] = [];
  for (const s of await listSnapshots(dataDir)) {
    if (kept.length === keep) break;
    if (await looksSealed(s.path)) kept.push(s.path);
  }
  if (kept.length === 0) return { kept, deleted: [] };
  const oldest = (await listSnapshots(dataDir)).find((s) => s.path === kept[kept.length - 1])!;
  const logs = await listZxidFiles(join(dataLogDir, VERSION_DIR), LOG_PREFIX);
  const neededLogs = new Set(logsFrom(logs, oldest.zxid).map((f) => f.path));
  const doomed = [
    ...logs.filter((f) => !neededLogs.has(f.path) && f.zxid < oldest.zxid),
    ...(await listSnapshots(dataDir)).filter((s) => s.zxid < oldest.zxid),
  ].map((f) => f.path);
  doomed.push(...(await staleTempFiles(join(dataDir, VERSION_DIR))));
  for (const f of doomed) await unlink(f).catch(() => undefined);
  return { kept, deleted: doomed };
}

/** Leftovers of snapshot writes that died before their rename (snapshot.ts's temp names). */
async function staleTempFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => n.startsWith('.snapshot.') && n.endsWith('.tmp')).map((n) => join(dir, n));
}

/** Runs purge every `intervalMs` (autopurge.purgeInterval); the timer does not keep Node alive. */
export function startAutopurge(dataDir: string, keep: number, intervalMs: number, dataLogDir = dataDir,
  onError: (e: unknown) => void = () => undefined): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    purge(dataDir, keep, dataLogDir).catch(onError).finally(() => { running = false; });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
