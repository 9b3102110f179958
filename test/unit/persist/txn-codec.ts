// Test-side encoders/decoders for the txn records the persistence tests write and check
// (zookeeper.jute: CreateTxn, DeleteTxn, SetDataTxn, SetACLTxn, CreateSessionTxn,
// CloseSessionTxn, MultiTxn). The server has its own records; these exist so the tests can
// produce and read real ZooKeeper txns without depending on it.
import { ByteReader, ByteWriter } from '../../../src/persist/bytes.js';
import { readAclList, writeAclList } from '../../../src/persist/records.js';
import type { ACL, TxnHeader } from '../../../src/persist/types.js';

export const Op = { create: 1, delete: 2, setData: 5, setACL: 7, check: 13, multi: 14, create2: 15,
  createContainer: 19, deleteContainer: 20, createTTL: 21, createSession: -10, closeSession: -11, error: -1 } as const;

export const OPEN_ACL: ACL[] = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];

export function createTxn(path: string, data: Buffer, acl: ACL[], ephemeral: boolean, parentCVersion: number): Buffer {
  const w = new ByteWriter();
  w.ustring(path).bytes(data);
  writeAclList(w, acl);
  w.byte(ephemeral ? 1 : 0).int(parentCVersion);
  return Buffer.from(w.view());
}

export function deleteTxn(path: string): Buffer {
  return Buffer.from(new ByteWriter().ustring(path).view());
}

export function setDataTxn(path: string, data: Buffer, version: number): Buffer {
  return Buffer.from(new ByteWriter().ustring(path).bytes(data).int(version).view());
}

export function setAclTxn(path: string, acl: ACL[], version: number): Buffer {
  const w = new ByteWriter().ustring(path);
  writeAclList(w, acl);
  return Buffer.from(w.int(version).view());
}

export function createSessionTxn(timeout: number): Buffer {
  return Buffer.from(new ByteWriter().int(timeout).view());
}

export function closeSessionTxn(paths: string[]): Buffer {
  const w = new ByteWriter().int(paths.length);
  for (const p of paths) w.ustring(p);
  return Buffer.from(w.view());
}

export function multiTxn(parts: { type: number; body: Buffer }[]): Buffer {
  const w = new ByteWriter().int(parts.length);
  for (const p of parts) w.int(p.type).bytes(p.body);
  return Buffer.from(w.view());
}

export function header(zxid: bigint, type: number, clientId = 0x100n, cxid = 1): TxnHeader {
  return { clientId, cxid, zxid, time: 1_700_000_000_000n + zxid, type };
}

/** A decoded txn body, enough for the interop model to apply it. */
export type Decoded =
  | { type: 'create'; path: string; data: Buffer; acl: ACL[]; ephemeral: boolean; parentCVersion: number; ttl?: bigint; container?: boolean }
  | { type: 'delete'; path: string }
  | { type: 'setData'; path: string; data: Buffer; version: number }
  | { type: 'setACL'; path: string; acl: ACL[]; version: number }
  | { type: 'createSession'; timeout: number }
  | { type: 'closeSession'; paths: string[] }
  | { type: 'multi'; parts: Decoded[] }
  | { type: 'error'; err: number }
  | { type: 'check' };

export function decodeTxn(type: number, body: Buffer): Decoded {
  const r = new ByteReader(body);
  switch (type) {
    case Op.create: case Op.create2: case Op.createContainer: case Op.createTTL: {
      const path = r.ustring()!, data = r.bytes() ?? Buffer.alloc(0), acl = readAclList(r);
      if (type === Op.createContainer) return { type: 'create', path, data, acl, ephemeral: false, parentCVersion: r.int(), container: true };
      if (type === Op.createTTL) return { type: 'create', path, data, acl, ephemeral: false, parentCVersion: r.int(), ttl: r.long() };
      return { type: 'create', path, data, acl, ephemeral: r.byte() !== 0, parentCVersion: r.int() };
    }
    case Op.delete: case Op.deleteContainer: return { type: 'delete', path: r.ustring()! };
    case Op.setData: return { type: 'setData', path: r.ustring()!, data: r.bytes() ?? Buffer.alloc(0), version: r.int() };
    case Op.setACL: return { type: 'setACL', path: r.ustring()!, acl: readAclList(r), version: r.int() };
    case Op.createSession: return { type: 'createSession', timeout: r.int() };
    case Op.closeSession: {
      const paths: string[] = [];
      const n = body.length === 0 ? 0 : r.int();
      for (let i = 0; i < n; i++) paths.push(r.ustring()!);
      return { type: 'closeSession', paths };
    }
    case Op.error: return { type: 'error', err: r.int() };
    case Op.check: return { type: 'check' };
    case Op.multi: {
      const n = r.int();
      const parts: Decoded[] = [];
      for (let i = 0; i < n; i++) {
        const t = r.int();
        parts.push(decodeTxn(t, r.bytes()!));
      }
      return { type: 'multi', parts };
    }
    default: throw new Error(`txn type ${type}`);
  }
}
