// Connect handling (ZooKeeperServer.processConnectRequest / reopenSession / finishSessionInit).
import { OpCode } from '../proto/constants.js';
import type { ConnectRequest } from '../proto/records/connect.js';
import type { Connection } from '../net/connection.js';
import { newRequest } from '../processor/request.js';
import type { Pipeline } from '../processor/chain.js';
import type { SessionTracker } from '../session/tracker.js';

export interface ConnectDeps {
  readonly minSessionTimeout: number;
  readonly maxSessionTimeout: number;
  readonly tracker: SessionTracker;
  readonly pipeline: Pipeline;
  lastZxid(): bigint;
  /** Binds the session to `conn`, closing another connection that held it. */
  attach(conn: Connection, sessionId: bigint): void;
}

/** The client's timeout clamped into [min, max]. */
export function negotiateTimeout(d: ConnectDeps, asked: number): number {
  return Math.min(Math.max(asked, d.minSessionTimeout), d.maxSessionTimeout);
}

export function handleConnect(d: ConnectDeps, conn: Connection, req: ConnectRequest): void {
  const ro = req.readOnly !== undefined;
  // A client that has seen a newer zxid than ours talked to a server ahead of us: refuse it.
  if (req.lastZxidSeen > d.lastZxid()) return conn.close();
  const timeout = negotiateTimeout(d, req.timeOut);
  if (req.sessionId === 0n) return createSession(d, conn, timeout, ro);
  const passwd = req.passwd ?? Buffer.alloc(0);
  if (!d.tracker.isLive(req.sessionId) || !d.tracker.checkPassword(req.sessionId, passwd)) return conn.reject(ro);
  d.tracker.touch(req.sessionId, timeout);
  d.attach(conn, req.sessionId);
  conn.establish(req.sessionId, timeout, passwd, ro);
}

/** A new session is a createSession txn; the ConnectResponse goes out once it is applied. */
function createSession(d: ConnectDeps, conn: Connection, timeout: number, ro: boolean): void {
  const { sessionId, password } = d.tracker.createSession(timeout);
  const req = newRequest(conn, sessionId, 0, OpCode.createSession, Buffer.alloc(0));
  req.txn = { timeOut: timeout };
  req.arrivedAt = conn.frameArrivedAt; // the connect's latency shows in cons (lop=SESS, llat)
  conn.submitted();
  req.onFinal = () => {
    if (conn.closed) return;
    d.attach(conn, sessionId);
    conn.establish(sessionId, timeout, password, ro);
  };
  d.pipeline.submit(req);
}
