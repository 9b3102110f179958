// create / create2 / createContainer / createTTL (PrepRequestProcessor.pRequest2TxnCreate).
import { fixupACL } from '../../data/acl.js';
import { MAX_TTL, CONTAINER_EPHEMERAL_OWNER, ephemeralKind, ttlOwner } from '../../data/ephemeral.js';
import { createStat, parentOf } from '../../data/node.js';
import { Err, OpCode, Perms } from '../../proto/constants.js';
import { CreateRequestRec, CreateTTLRequestRec } from '../../proto/records/requests.js';
import { StatRec } from '../../proto/records/data.js';
import type { TxnHeader } from '../../proto/records/txn.js';
import { ChangeTable } from '../changes.js';
import { requirePerm, type ProcessorContext } from '../context.js';
import { OpError, type Request } from '../request.js';
import { checkPath } from './pathcheck.js';
import type { WriteOp } from './types.js';

interface Mode {
  ephemeral: boolean;
  sequential: boolean;
  container: boolean;
  ttl: boolean;
}

/** CreateMode.fromFlag; an unknown flag is BadArguments. */
function modeOf(flags: number, path: string): Mode {
  const m = (e: boolean, s: boolean, c = false, t = false): Mode => ({ ephemeral: e, sequential: s, container: c, ttl: t });
  switch (flags) {
    case 0: return m(false, false);
    case 1: return m(true, false);
    case 2: return m(false, true);
    case 3: return m(true, true);
    case 4: return m(false, false, true);
    case 5: return m(false, false, false, true);
    case 6: return m(false, true, false, true);
  }
  throw new OpError(Err.badArguments, path);
}

/** validateCreateRequest: TTL needs extended types; a TTL is required exactly for TTL modes. */
function checkMode(ctx: ProcessorContext, mode: Mode, ttl: bigint, path: string): void {
  if (mode.ttl && !ctx.extendedTypes) throw new OpError(Err.unimplemented, path);
  const ok = mode.ttl ? ttl > 0n && ttl <= MAX_TTL : ttl < 0n;
  if (!ok) throw new OpError(Err.badArguments, path);
}

function ownerOf(mode: Mode, ttl: bigint, sessionId: bigint): bigint {
  if (mode.container) return CONTAINER_EPHEMERAL_OWNER;
  if (mode.ttl) return ttlOwner(ttl);
  return mode.ephemeral ? sessionId : 0n;
}

function prepCreate(ctx: ProcessorContext, req: Request, rec: any, hdr: TxnHeader, type: number) {
  const ttl: bigint = type === OpCode.createTTL ? rec.ttl : -1n;
  let path: string = rec.path;
  const mode = modeOf(rec.flags, path);
  checkMode(ctx, mode, ttl, path);
  if (path.lastIndexOf('/') === -1 || path.includes('\0')) throw new OpError(Err.badArguments, path);
  const acl = fixupACL(path, req.client?.authIds ?? [], rec.acl);
  if (acl === null) throw new OpError(Err.invalidACL, path);
  const parentPath = parentOf(path);
  const parent = ctx.changes.get(parentPath);
  requirePerm(ctx, req, parent.acl, Perms.CREATE, path);
  if (mode.sequential) path += String(parent.stat!.cversion).padStart(10, '0');
  checkPath(path);
  const existing = ctx.changes.lookup(path);
  if (existing && existing.stat) throw new OpError(Err.nodeExists, path);
  if (ephemeralKind(parent.stat!.ephemeralOwner, ctx.extendedTypes) === 'normal') throw new OpError(Err.noChildrenForEphemerals, path);
  const cv = parent.stat!.cversion + 1;
  const p2 = ChangeTable.duplicate(parent, hdr.zxid);
  p2.childCount++;
  p2.stat!.cversion = cv;
  p2.stat!.pzxid = hdr.zxid;
  ctx.changes.add(p2);
  const owner = ownerOf(mode, ttl, req.sessionId);
  const stat = createStat(hdr.zxid, hdr.time, owner);
  ctx.changes.add({ zxid: hdr.zxid, path, stat, childCount: 0, acl, data: rec.data });
  return { type, txn: txnFor(type, path, rec.data, acl, mode, cv, ttl) };
}

function txnFor(type: number, path: string, data: Buffer | null, acl: unknown, mode: Mode, cv: number, ttl: bigint): unknown {
  if (type === OpCode.createContainer) return { path, data, acl, parentCVersion: cv };
  if (type === OpCode.createTTL) return { path, data, acl, parentCVersion: cv, ttl };
  return { path, data, acl, ephemeral: mode.ephemeral, parentCVersion: cv };
}

function createOp(type: number, withStat: boolean): WriteOp {
  return {
    kind: 'write',
    codec: type === OpCode.createTTL ? CreateTTLRequestRec : CreateRequestRec,
    prep: (ctx, req, rec, hdr) => prepCreate(ctx, req, rec, hdr, type),
    respond(w, rc) {
      w.ustring(rc.path ?? '');
      if (withStat) StatRec.write(w, rc.stat!);
    },
  };
}

export const create = createOp(OpCode.create, false);
export const create2 = createOp(OpCode.create2, true);
export const createContainer = createOp(OpCode.createContainer, true);
export const createTTL = createOp(OpCode.createTTL, true);
