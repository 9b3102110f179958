// Txn header type -> txn record codec, for the log writer and for replay (SerializeUtils.deserializeTxn).
import { OpCode } from '../constants.js';
import type { Codec } from '../schema.js';
import { decode } from '../schema.js';
import { JuteWriter } from '../jute.js';
import {
  CheckVersionTxnRec,
  CloseSessionTxnRec,
  CreateContainerTxnRec,
  CreateSessionTxnRec,
  CreateTTLTxnRec,
  CreateTxnRec,
  DeleteTxnRec,
  ErrorTxnRec,
  MultiTxnRec,
  SetACLTxnRec,
  SetDataTxnRec,
} from './txn.js';

const txnCodecs = new Map<number, Codec<any>>([
  [OpCode.create, CreateTxnRec],
  [OpCode.create2, CreateTxnRec],
  [OpCode.createTTL, CreateTTLTxnRec],
  [OpCode.createContainer, CreateContainerTxnRec],
  [OpCode.delete, DeleteTxnRec],
  [OpCode.deleteContainer, DeleteTxnRec],
  [OpCode.setData, SetDataTxnRec],
  [OpCode.reconfig, SetDataTxnRec],
  [OpCode.setACL, SetACLTxnRec],
  [OpCode.check, CheckVersionTxnRec],
  [OpCode.createSession, CreateSessionTxnRec],
  [OpCode.closeSession, CloseSessionTxnRec],
  [OpCode.error, ErrorTxnRec],
  [OpCode.multi, MultiTxnRec],
]);

export function txnCodec(type: number): Codec<any> {
  const c = txnCodecs.get(type);
  if (!c) throw new Error(`no txn record for type ${type}`);
  return c;
}

/** Scratch for encodeTxnView: every logged txn is encoded here, so none allocates a buffer. */
const scratch = new JuteWriter(4096);

/**
 * Like encodeTxn, into a scratch buffer: the view is valid only until the next call, for a
 * consumer that copies it at once (the txn log's append does).
 */
export function encodeTxnView(type: number, txn: unknown): Buffer {
  scratch.reset();
  if (txn !== null && txn !== undefined) txnCodec(type).write(scratch, txn);
  return scratch.written();
}

/** Bytes of a txn record of `type` (a copy); a closeSession without a record encodes as nothing. */
export function encodeTxn(type: number, txn: unknown): Buffer {
  return Buffer.from(encodeTxnView(type, txn));
}

/** The txn record of `type` from `bytes`; empty closeSession bytes give null (pre-3.6 logs). */
export function decodeTxn(type: number, bytes: Uint8Array): any {
  if (type === OpCode.closeSession && bytes.length === 0) return null;
  return decode(txnCodec(type), bytes);
}
