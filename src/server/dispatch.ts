// From a decoded RequestHeader to the chain, in ZooKeeperServer.processPacket / submitRequestNow's
// order: auth packets are answered on the spot (before any session check); then the session is
// touched, and a request for a session that is closing or gone is dropped without a reply
// (MissingSessionException: "Dropping request") — the client sees its connection closed once the
// close is applied; unknown opcodes get Unimplemented and a close; the rest become Requests.
import { parseAuth } from '../data/acl.js';
import type { Connection } from '../net/connection.js';
import { Err, OpCode, Xid } from '../proto/constants.js';
import { JuteError, JuteReader, JuteWriter } from '../proto/jute.js';
import { AuthPacketRec } from '../proto/records/requests.js';
import { handlers } from '../processor/ops/index.js';
import { newRequest } from '../processor/request.js';
import type { ServerCore } from './server.js';

const w = new JuteWriter(32);

function replyHeaderOnly(conn: Connection, xid: number, zxid: bigint, err: number): void {
  conn.send(w.reset().int(16).int(xid).long(zxid).int(err).bytes());
}

export function dispatchRequest(s: ServerCore, conn: Connection | null, xid: number, type: number, body: Buffer, sessionId = conn?.sessionId ?? 0n): void {
  if (!conn) return s.pipeline.submit(newRequest(null, sessionId, xid, type, body));
  if (type === OpCode.auth) return handleAuth(conn, body);
  if (!s.tracker.touch(sessionId, conn.sessionTimeout)) return;
  if (!handlers.has(type) || type === OpCode.createSession) {
    replyHeaderOnly(conn, xid, -1n, Err.unimplemented); // UnimplementedRequestProcessor
    return conn.closeAfterFlush();
  }
  const req = newRequest(conn, sessionId, xid, type, body);
  req.arrivedAt = conn.frameArrivedAt;
  conn.submitted();
  s.pipeline.submit(req);
}

/** Adds the id to the connection; a failed auth answers AuthFailed and closes (processPacket). */
function handleAuth(conn: Connection, body: Buffer): void {
  let id = null;
  try {
    const pkt = AuthPacketRec.read(new JuteReader(body));
    id = parseAuth(pkt.scheme, pkt.auth ?? Buffer.alloc(0), conn.remoteAddress);
  } catch (e) {
    if (!(e instanceof JuteError)) throw e;
  }
  if (id === null) {
    replyHeaderOnly(conn, Xid.auth, 0n, Err.authFailed);
    return conn.closeAfterFlush();
  }
  if (!conn.authIds.some((a) => a.scheme === id.scheme && a.id === id.id)) conn.authIds.push(id);
  replyHeaderOnly(conn, Xid.auth, 0n, Err.ok);
}
