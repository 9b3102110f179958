// A request moving through prep -> sync -> final (Request.java, reduced to what we use).
import type { Id } from '../data/acl.js';
import type { TxnResult } from '../data/apply.js';
import type { TxnHeader } from '../proto/records/txn.js';

/** The connection side of a request: who asked, where replies and notifications go. */
export interface Client {
  readonly sessionId: bigint;
  readonly authIds: Id[];
  readonly watcherId: number;
  readonly remoteAddress: string;
  /** Appends a whole frame to the output buffer (flushed once per loop turn). */
  send(frame: Uint8Array): void;
  /** Closes the connection after pending output is flushed (ServerCnxn.sendCloseSession). */
  closeAfterFlush(): void;
  readonly closed: boolean;
  /**
   * Final is done with one of this client's requests (FinalRequestProcessor.updateStats): `op` is
   * the short name cons prints as lop, `answered` false when no reply went out.
   */
  replied?(req: Request, lastZxid: bigint, op: string, answered: boolean): void;
}

export interface Request {
  /** null for requests the server makes itself (session expiry). */
  client: Client | null;
  sessionId: bigint;
  xid: number;
  type: number;
  /** The request record bytes after the RequestHeader. */
  body: Buffer;
  /** Set by prep for state-changing requests (ZooKeeper's request.getHdr()). */
  hdr: TxnHeader | null;
  txn: unknown;
  /** Prep's KeeperException code for requests without a txn (0 when none). */
  err: number;
  /** True once the txn is durable (or at once for reads): final may run. */
  ready: boolean;
  /** Called by final instead of the generic reply path (createSession -> ConnectResponse). */
  onFinal?: (rc: TxnResult | null) => void;
  /** elapsedMs() (whole ms of performance.now()) when the request frame arrived (ZooKeeper's Request.createTime). */
  arrivedAt?: number;
}

export function newRequest(client: Client | null, sessionId: bigint, xid: number, type: number, body: Buffer): Request {
  // Every field from the start (onFinal and arrivedAt too): one object shape, no growth later.
  return { client, sessionId, xid, type, body, hdr: null, txn: null, err: 0, ready: false, onFinal: undefined, arrivedAt: undefined };
}

/** Thrown by prep and read handlers: a KeeperException.Code for the reply. */
export class OpError extends Error {
  constructor(readonly code: number, readonly path = '') {
    super(`zookeeper error ${code} ${path}`);
    this.name = 'OpError';
  }
}
