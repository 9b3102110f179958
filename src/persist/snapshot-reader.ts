// Reads snapshots written by ZooKeeper 3.x (CHECKED stream mode) or by snapshot.ts. Any damage
// (short file, bad magic, a node whose parent was not seen, a checksum that does not match the
// seal) throws SnapshotError, so the caller falls back to the previous snapshot as
// FileSnap.deserialize does. Nodes can be streamed to a callback instead of collected.
import { open } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ByteReader, FormatError, Underflow, adler32 } from './bytes.js';
import { FileCursor } from './cursor.js';
import { SNAP_MAGIC, SNAP_PREFIX, VERSION_DIR, listZxidFiles, zxidFromName, type ZxidFile } from './files.js';
import { readAclList, readStat } from './records.js';
import type { ACL, SnapshotContent, SnapshotNode, ZxidDigest } from './types.js';

export class SnapshotError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'SnapshotError';
  }
}

export interface SnapshotReadOptions {
  /** Receives each node in file order; when given, `nodes` in the result stays empty. */
  onNode?: (node: SnapshotNode) => void;
}

/** Nodes parsed per window pass: bounds the work done between awaits. */
const NODES_PER_PASS = 4096;

/** Parses as many nodes as the window holds; `null` in the output marks the "/" terminator. */
function parseNodes(r: ByteReader): (SnapshotNode | null)[] {
  const out: (SnapshotNode | null)[] = [];
  while (out.length < NODES_PER_PASS) {
    const mark = r.pos;
    try {
      const path = r.ustring();
      if (path === '/') {
        out.push(null);
        return out;
      }
      if (path === null) throw new FormatError('null node path');
      out.push({ path, data: r.bytes(), aclRef: r.long(), stat: readStat(r) });
    } catch (e) {
      if (!(e instanceof Underflow) || out.length === 0) throw e;
      r.pos = mark;
      return out;
    }
  }
  return out;
}

class SnapshotParser {
  private checksum = 1;
  readonly cursor: FileCursor;
  private readonly seen = new Set<string>();

  constructor(fh: import('node:fs/promises').FileHandle, private readonly file: string) {
    this.cursor = new FileCursor(fh, (b) => {
      this.checksum = adler32(b, 0, b.length, this.checksum);
    });
  }

  fail(msg: string): never {
    throw new SnapshotError(this.file, msg);
  }

  async need<T>(parse: (r: ByteReader) => T, what: string): Promise<T> {
    const v = await this.cursor.parse(parse);
    if (v === null) this.fail(`truncated in ${what}`);
    return v;
  }

  async sessions(): Promise<Map<bigint, number>> {
    const out = new Map<bigint, number>();
    const count = await this.need((r) => r.int(), 'session count');
    for (let i = 0; i < count; i++) {
      const [id, to] = await this.need((r) => [r.long(), r.int()] as const, 'sessions');
      out.set(id, to);
    }
    return out;
  }

  async acls(): Promise<Map<bigint, ACL[]>> {
    const out = new Map<bigint, ACL[]>();
    const count = await this.need((r) => r.int(), 'acl count');
    for (let i = 0; i < count; i++) {
      const [ref, list] = await this.need((r) => [r.long(), readAclList(r)] as const, 'acls');
      out.set(ref, list);
    }
    return out;
  }

  /** DataTree.deserialize: every node's parent must already exist; the root is "". */
  private checkParent(path: string): void {
    const slash = path.lastIndexOf('/');
    if (slash !== -1 && !this.seen.has(path.slice(0, slash))) this.fail(`node ${path} before its parent`);
    if (slash === -1 && path !== '') this.fail(`bad node path ${JSON.stringify(path)}`);
    this.seen.add(path);
  }

  async nodes(sink: (n: SnapshotNode) => void): Promise<void> {
    for (;;) {
      const batch = await this.need(parseNodes, 'nodes');
      for (const n of batch) {
        if (n === null) return;
        this.checkParent(n.path);
        sink(n);
      }
    }
  }

  /** SnapStream.checkSealIntegrity: the stored Adler-32 must equal that of all bytes before it. */
  async seal(): Promise<void> {
    const expected = adler32(this.cursor.consumedInWindow(), 0, undefined, this.checksum);
    const val = await this.need((r) => { const v = r.long(); r.ustring(); return v; }, 'seal');
    if (val !== BigInt(expected)) this.fail('checksum mismatch (corrupt snapshot)');
  }

  /** DataTree.deserializeZxidDigest; digest versions before 2 stored the digest as hex text. */
  async digest(): Promise<ZxidDigest | null> {
    if (await this.cursor.atEnd()) return null;
    const d = await this.need((r) => {
      const zxid = r.long();
      const digestVersion = r.int();
      const digest = digestVersion < 2 ? BigInt.asIntN(64, BigInt('0x' + (r.ustring() || '0'))) : r.long();
      return { zxid, digestVersion, digest };
    }, 'digest');
    await this.seal();
    return d;
  }
}

/** Reads and verifies a whole snapshot file. */
export async function readSnapshot(file: string, opts: SnapshotReadOptions = {}): Promise<SnapshotContent> {
  const zxid = zxidFromName(basename(file), SNAP_PREFIX);
  if (zxid === null) throw new SnapshotError(file, 'not a snapshot file name');
  const fh = await open(file, 'r');
  try {
    const p = new SnapshotParser(fh, file);
    const [magic, , dbid] = await p.need((r) => [r.int(), r.int(), r.long()] as const, 'file header');
    if (magic !== SNAP_MAGIC) p.fail(`bad magic 0x${(magic >>> 0).toString(16)}`);
    const sessions = await p.sessions();
    const acls = await p.acls();
    const nodes: SnapshotNode[] = [];
    await p.nodes(opts.onNode ?? ((n) => nodes.push(n)));
    await p.seal();
    const digest = await p.digest();
    return { zxid, dbid, sessions, acls, nodes, digest };
  } catch (e) {
    if (e instanceof FormatError) throw new SnapshotError(file, e.message);
    throw e;
  } finally {
    await fh.close();
  }
}

/** Snapshot files in `<dataDir>/version-2`, newest first. */
export function listSnapshots(dataDir: string): Promise<ZxidFile[]> {
  return listZxidFiles(join(dataDir, VERSION_DIR), SNAP_PREFIX, false);
}

/** SnapStream.isValidCheckedStream: a cheap check that the file ends with a seal's "/". */
export async function looksSealed(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    if (size < 10) return false;
    const tail = Buffer.alloc(5);
    await fh.read(tail, 0, 5, size - 5);
    return tail.readInt32BE(0) === 1 && tail[4] === 0x2f;
  } finally {
    await fh.close();
  }
}
