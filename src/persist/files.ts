// File naming and listing as ZooKeeper's persistence Util does it: files live under
// <dir>/version-2, are named "log.<hex zxid>" / "snapshot.<hex zxid>", and are ordered by the
// zxid parsed from the name (names whose zxid does not parse sort as -1 and are ignored).
import { readdir, mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';

export const VERSION_DIR = 'version-2';
export const LOG_PREFIX = 'log';
export const SNAP_PREFIX = 'snapshot';

/** FileHeader magics: the ASCII bytes "ZKLG" and "ZKSN" read as a big-endian int. */
export const TXNLOG_MAGIC = 0x5a4b4c47;
export const SNAP_MAGIC = 0x5a4b534e;
export const FORMAT_VERSION = 2;
export const FILE_HEADER_BYTES = 16;

export interface ZxidFile {
  name: string;
  path: string;
  zxid: bigint;
}

/** Long.toHexString: unsigned, lowercase, no padding. */
export function hexZxid(zxid: bigint): string {
  return BigInt.asUintN(64, zxid).toString(16);
}

export function logName(zxid: bigint): string {
  return `${LOG_PREFIX}.${hexZxid(zxid)}`;
}

export function snapshotName(zxid: bigint): string {
  return `${SNAP_PREFIX}.${hexZxid(zxid)}`;
}

/** Util.getZxidFromName: the second dot-separated part as hex, or null when it does not parse. */
export function zxidFromName(name: string, prefix: string): bigint | null {
  const parts = name.split('.');
  if (parts.length < 2 || parts[0] !== prefix || !/^[0-9a-fA-F]{1,16}$/.test(parts[1])) return null;
  return BigInt.asIntN(64, BigInt('0x' + parts[1]));
}

/** The version-2 directory under a configured dataDir / dataLogDir, created when missing. */
export async function versionDir(baseDir: string): Promise<string> {
  const dir = join(baseDir, VERSION_DIR);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Files of one kind in a version-2 directory, sorted by zxid (ascending unless told). */
export async function listZxidFiles(dir: string, prefix: string, ascending = true): Promise<ZxidFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const files: ZxidFile[] = [];
  for (const name of names) {
    const zxid = zxidFromName(name, prefix);
    if (zxid !== null) files.push({ name, path: join(dir, name), zxid });
  }
  files.sort((a, b) => (a.zxid < b.zxid ? -1 : a.zxid > b.zxid ? 1 : 0));
  return ascending ? files : files.reverse();
}

/**
 * FileTxnLog.getLogFiles: the newest log starting at or before `zxid` (it may hold txns after
 * zxid) and every later log. Older logs cannot contain anything past zxid.
 */
export function logsFrom(logs: ZxidFile[], zxid: bigint): ZxidFile[] {
  let startZxid = 0n;
  for (const f of logs) {
    if (f.zxid > zxid) break;
    if (f.zxid > startZxid) startZxid = f.zxid;
  }
  return logs.filter((f) => f.zxid >= startZxid);
}

/** fsync a directory so a create/rename/unlink inside it survives a crash. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
