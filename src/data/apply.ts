// Applying one committed txn to the tree (DataTree.processTxn), multi included: a multi that holds
// an error txn applies nothing; its results are 0 for ops before the failure, the failure's own
// code, and RuntimeInconsistency after it.
import { Err, OpCode } from '../proto/constants.js';
import type { Stat } from '../proto/records/data.js';
import type { Txn, TxnHeader } from '../proto/records/txn.js';
import { decodeTxn } from '../proto/records/txncodec.js';
import { CONTAINER_EPHEMERAL_OWNER, ttlOwner } from './ephemeral.js';
import { parentOf, statOf } from './node.js';
import { TreeError, type DataTree } from './tree.js';

export interface TxnResult {
  type: number;
  err: number;
  path?: string;
  stat?: Stat;
  multi?: TxnResult[];
}

export function applyTxn(tree: DataTree, hdr: TxnHeader, txn: any): TxnResult {
  const rc: TxnResult = { type: hdr.type, err: 0 };
  tree.applying = hdr.zxid;
  try {
    applyOne(tree, hdr, txn, rc);
  } catch (e) {
    if (!(e instanceof TreeError)) throw e;
    rc.err = e.code;
    if (CREATES.has(hdr.type) && e.code === Err.nodeExists) replayedCreate(tree, hdr, txn);
  }
  if (hdr.zxid > tree.lastProcessedZxid) tree.lastProcessedZxid = hdr.zxid;
  return rc;
}

const CREATES = new Set<number>([OpCode.create, OpCode.create2, OpCode.createTTL, OpCode.createContainer]);

/**
 * Replay of a create whose node is already in a fuzzy snapshot (DataTree.processTxn's
 * NodeExists case): still move the parent's cversion/pzxid forward, and give the node the txn's
 * ACL, which repairs an ACL ref the snapshot's cache did not hold yet. Live requests never get
 * here: prep refuses a create of an existing node.
 */
function replayedCreate(tree: DataTree, hdr: TxnHeader, txn: any): void {
  tree.replaceAcl(txn.path, txn.acl);
  const parent = parentOf(txn.path);
  if (tree.get(parent)) tree.setCversionPzxid(parent, txn.parentCVersion, hdr.zxid);
}

function applyOne(tree: DataTree, hdr: TxnHeader, txn: any, rc: TxnResult): void {
  switch (hdr.type) {
    case OpCode.create:
    case OpCode.create2: {
      rc.path = txn.path;
      const node = tree.createNode(txn.path, txn.data, txn.acl, txn.ephemeral ? hdr.clientId : 0n, txn.parentCVersion, hdr.zxid, hdr.time);
      // create's reply (CreateResponse) and multi result carry only the path: no Stat to build.
      if (hdr.type === OpCode.create2) rc.stat = statOf(node);
      return;
    }
    case OpCode.createTTL:
      rc.path = txn.path;
      rc.stat = statOf(tree.createNode(txn.path, txn.data, txn.acl, ttlOwner(txn.ttl), txn.parentCVersion, hdr.zxid, hdr.time));
      return;
    case OpCode.createContainer:
      rc.path = txn.path;
      rc.stat = statOf(tree.createNode(txn.path, txn.data, txn.acl, CONTAINER_EPHEMERAL_OWNER, txn.parentCVersion, hdr.zxid, hdr.time));
      return;
    case OpCode.delete:
    case OpCode.deleteContainer:
      rc.path = txn.path;
      tree.deleteNode(txn.path, hdr.zxid);
      return;
    case OpCode.setData:
    case OpCode.reconfig:
      rc.path = txn.path;
      rc.stat = tree.setData(txn.path, txn.data, txn.version, hdr.zxid, hdr.time);
      return;
    case OpCode.setACL:
      rc.path = txn.path;
      rc.stat = tree.setACL(txn.path, txn.acl, txn.version);
      return;
    case OpCode.closeSession:
      tree.killSession(hdr.clientId, hdr.zxid, txn?.paths2Delete ?? []);
      return;
    case OpCode.error:
      rc.err = txn.err;
      return;
    case OpCode.check:
      rc.path = txn.path;
      return;
    case OpCode.multi:
      applyMulti(tree, hdr, txn.txns, rc);
  }
}

function applyMulti(tree: DataTree, hdr: TxnHeader, txns: Txn[], rc: TxnResult): void {
  const failed = txns.some((t) => t.type === OpCode.error);
  let postFailed = false;
  rc.multi = [];
  for (const sub of txns) {
    let type = sub.type;
    let body = decodeTxn(sub.type, sub.data ?? Buffer.alloc(0));
    if (type === OpCode.error) postFailed = true;
    else if (failed) {
      type = OpCode.error;
      body = { err: postFailed ? Err.runtimeInconsistency : Err.ok };
    }
    const subRc = applyTxn(tree, { ...hdr, type }, body);
    rc.multi.push(subRc);
    if (subRc.err !== 0 && rc.err === 0) rc.err = subRc.err;
  }
}
