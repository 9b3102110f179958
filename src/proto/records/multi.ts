// multi / multiRead framing (MultiOperationRecord and MultiResponse in Apache ZooKeeper): a run of
// MultiHeader{type, done=false, err} each followed by its record, closed by MultiHeader{-1, true, -1}.
import { JuteError, type JuteReader, type JuteWriter } from '../jute.js';
import { record, type Codec } from '../schema.js';
import { OpCode } from '../constants.js';
import type { Stat } from './data.js';
import { StatRec } from './data.js';
import {
  CheckVersionRequestRec,
  CreateRequestRec,
  CreateTTLRequestRec,
  DeleteRequestRec,
  GetChildrenRequestRec,
  GetDataRequestRec,
  SetDataRequestRec,
} from './requests.js';

export const MultiHeaderRec = record({ type: 'int', done: 'bool', err: 'int' });

/** The request record carried by each op type a multi (or multiRead) may hold. */
const opCodecs = new Map<number, Codec<any>>([
  [OpCode.create, CreateRequestRec],
  [OpCode.create2, CreateRequestRec],
  [OpCode.createContainer, CreateRequestRec],
  [OpCode.createTTL, CreateTTLRequestRec],
  [OpCode.delete, DeleteRequestRec],
  [OpCode.setData, SetDataRequestRec],
  [OpCode.check, CheckVersionRequestRec],
  [OpCode.getChildren, GetChildrenRequestRec],
  [OpCode.getData, GetDataRequestRec],
]);

export interface MultiOp {
  type: number;
  req: any;
}

export const MultiRequestRec: Codec<MultiOp[]> = {
  read(r: JuteReader) {
    const ops: MultiOp[] = [];
    for (let h = MultiHeaderRec.read(r); !h.done; h = MultiHeaderRec.read(r)) {
      const codec = opCodecs.get(h.type);
      if (!codec) throw new JuteError(`invalid op type ${h.type} in multi`);
      ops.push({ type: h.type, req: codec.read(r) });
    }
    return ops;
  },
  write(w: JuteWriter, ops: MultiOp[]) {
    for (const op of ops) {
      MultiHeaderRec.write(w, { type: op.type, done: false, err: -1 });
      opCodecs.get(op.type)!.write(w, op.req);
    }
    MultiHeaderRec.write(w, { type: -1, done: true, err: -1 });
  },
};

/** One per-op result of multi / multiRead (OpResult in Apache ZooKeeper). */
export type OpResult =
  | { type: typeof OpCode.create; path: string }
  | { type: typeof OpCode.create2 | typeof OpCode.createTTL | typeof OpCode.createContainer; path: string; stat: Stat }
  | { type: typeof OpCode.delete | typeof OpCode.check }
  | { type: typeof OpCode.setData; stat: Stat }
  | { type: typeof OpCode.getData; data: Buffer | null; stat: Stat }
  | { type: typeof OpCode.getChildren; children: string[] }
  | { type: typeof OpCode.error; err: number };

function writeResultBody(w: JuteWriter, res: OpResult): void {
  switch (res.type) {
    case OpCode.create: w.ustring(res.path); return;
    case OpCode.create2:
    case OpCode.createTTL:
    case OpCode.createContainer: w.ustring(res.path); StatRec.write(w, res.stat); return;
    case OpCode.setData: StatRec.write(w, res.stat); return;
    case OpCode.getData: w.buffer(res.data); StatRec.write(w, res.stat); return;
    case OpCode.getChildren: w.vector(res.children, (ww, s) => ww.ustring(s)); return;
    case OpCode.error: w.int(res.err); return;
  }
}

function readResultBody(r: JuteReader, type: number): OpResult {
  switch (type) {
    case OpCode.create: return { type, path: r.ustring() ?? '' };
    case OpCode.create2:
    case OpCode.createTTL:
    case OpCode.createContainer: return { type, path: r.ustring() ?? '', stat: StatRec.read(r) };
    case OpCode.delete:
    case OpCode.check: return { type };
    case OpCode.setData: return { type, stat: StatRec.read(r) };
    case OpCode.getData: return { type, data: r.buffer(), stat: StatRec.read(r) };
    case OpCode.getChildren: return { type, children: r.vector((rr) => rr.ustring() ?? '') ?? [] };
    case OpCode.error: return { type, err: r.int() };
  }
  throw new JuteError(`invalid op result type ${type}`);
}

export const MultiResponseRec: Codec<OpResult[]> = {
  read(r) {
    const out: OpResult[] = [];
    for (let h = MultiHeaderRec.read(r); !h.done; h = MultiHeaderRec.read(r)) out.push(readResultBody(r, h.type));
    return out;
  },
  write(w, results) {
    for (const res of results) {
      MultiHeaderRec.write(w, { type: res.type, done: false, err: res.type === OpCode.error ? res.err : 0 });
      writeResultBody(w, res);
    }
    MultiHeaderRec.write(w, { type: -1, done: true, err: -1 });
  },
};
