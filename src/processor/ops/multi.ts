// multi (atomic writes) and multiRead. A failing op rolls back the pending changes of the ops
// before it; the txn then holds ErrorTxn(code) for it and ErrorTxn(-2) for every later op, and the
// reply lists 0 / code / -2 (PrepRequestProcessor's multi case, DataTree.processTxn's multi case).
import type { TxnResult } from '../../data/apply.js';
import { Err, OpCode } from '../../proto/constants.js';
import { JuteReader, type JuteWriter } from '../../proto/jute.js';
import { encode } from '../../proto/schema.js';
import { MultiRequestRec, MultiResponseRec, type MultiOp, type OpResult } from '../../proto/records/multi.js';
import { ErrorTxnRec, type Txn, type TxnHeader } from '../../proto/records/txn.js';
import { txnCodec } from '../../proto/records/txncodec.js';
import { parentOf } from '../../data/node.js';
import type { ProcessorContext } from '../context.js';
import { OpError, type Request } from '../request.js';
import type { ReadOp, WriteOp } from './types.js';
import { create, create2, createContainer, createTTL } from './create.js';
import { del, deleteContainer } from './delete.js';
import { setData } from './setData.js';
import { check } from './check.js';
import { getDataBody } from './getData.js';
import { getChildrenBody } from './getChildren.js';

const subOps = new Map<number, WriteOp>([
  [OpCode.create, create],
  [OpCode.create2, create2],
  [OpCode.createContainer, createContainer],
  [OpCode.createTTL, createTTL],
  [OpCode.delete, del],
  [OpCode.deleteContainer, deleteContainer],
  [OpCode.setData, setData],
  [OpCode.check, check],
]);

function prepSub(ctx: ProcessorContext, req: Request, op: MultiOp, hdr: TxnHeader): Txn {
  const handler = subOps.get(op.type);
  if (!handler) throw new OpError(Err.unimplemented);
  const p = handler.prep(ctx, req, op.req, hdr);
  return { type: p.type, data: encode(txnCodec(p.type), p.txn) };
}

const errorTxn = (code: number): Txn => ({ type: OpCode.error, data: encode(ErrorTxnRec, { err: code }) });

function touchedPaths(ops: MultiOp[]): string[] {
  const out: string[] = [];
  for (const op of ops) out.push(op.req.path, parentOf(op.req.path));
  return out;
}

export const multi: WriteOp = {
  kind: 'write',
  codec: MultiRequestRec,
  prep(ctx, req, ops: MultiOp[], hdr) {
    const saved = ctx.changes.snapshot(touchedPaths(ops));
    const txns: Txn[] = [];
    let failed = false;
    for (const op of ops) {
      if (failed) {
        txns.push(errorTxn(Err.runtimeInconsistency));
        continue;
      }
      try {
        txns.push(prepSub(ctx, req, op, hdr));
      } catch (e) {
        if (!(e instanceof OpError)) throw e;
        failed = true;
        txns.push(errorTxn(e.code));
        ctx.changes.rollback(hdr.zxid, saved);
      }
    }
    return { type: OpCode.multi, txn: { txns } };
  },
  respond(w: JuteWriter, rc: TxnResult) {
    MultiResponseRec.write(w, (rc.multi ?? []).map(resultOf));
  },
};

function resultOf(rc: TxnResult): OpResult {
  switch (rc.type) {
    case OpCode.check: return { type: OpCode.check };
    case OpCode.create: return { type: OpCode.create, path: rc.path! };
    case OpCode.create2:
    case OpCode.createTTL:
    case OpCode.createContainer: return { type: rc.type, path: rc.path!, stat: rc.stat! };
    case OpCode.delete:
    case OpCode.deleteContainer: return { type: OpCode.delete };
    case OpCode.setData: return { type: OpCode.setData, stat: rc.stat! };
  }
  return { type: OpCode.error, err: rc.err };
}

/** multiRead: getData / getChildren, each answered on its own; failures become ErrorResults. */
export const multiRead: ReadOp = {
  kind: 'read',
  run(ctx, req, w) {
    const ops = MultiRequestRec.read(new JuteReader(req.body));
    // Any other op type fails the whole request (ZooKeeper: IOException -> MarshallingError).
    if (ops.some((op) => op.type !== OpCode.getData && op.type !== OpCode.getChildren)) throw new OpError(Err.marshallingError);
    const results: OpResult[] = ops.map((op) => readOne(ctx, req, op));
    MultiResponseRec.write(w, results);
  },
};

function readOne(ctx: ProcessorContext, req: Request, op: MultiOp): OpResult {
  try {
    if (op.type === OpCode.getData) return { type: OpCode.getData, ...getDataBody(ctx, req, op.req) };
    return { type: OpCode.getChildren, children: getChildrenBody(ctx, req, op.req).children };
  } catch (e) {
    if (e instanceof OpError) return { type: OpCode.error, err: e.code };
    throw e;
  }
}
