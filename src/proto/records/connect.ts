// ConnectRequest / ConnectResponse. Both end in a readOnly byte that older clients
// (node-zookeeper-client, 3.3-era C clients) neither send nor expect, so the codec records whether
// the byte was present and the server answers in the same form (ZooKeeperServer.processConnectRequest
// reads it only when bytes remain).
import type { Codec } from '../schema.js';

export interface ConnectRequest {
  protocolVersion: number;
  lastZxidSeen: bigint;
  timeOut: number;
  sessionId: bigint;
  passwd: Buffer | null;
  /** undefined when the client left the byte out. */
  readOnly?: boolean;
}

export interface ConnectResponse {
  protocolVersion: number;
  timeOut: number;
  sessionId: bigint;
  passwd: Buffer | null;
  /** undefined to leave the byte out. */
  readOnly?: boolean;
}

export const ConnectRequestRec: Codec<ConnectRequest> = {
  read(r) {
    const v: ConnectRequest = {
      protocolVersion: r.int(),
      lastZxidSeen: r.long(),
      timeOut: r.int(),
      sessionId: r.long(),
      passwd: r.buffer(),
    };
    if (r.remaining() > 0) v.readOnly = r.bool();
    return v;
  },
  write(w, v) {
    w.int(v.protocolVersion).long(v.lastZxidSeen).int(v.timeOut).long(v.sessionId).buffer(v.passwd);
    if (v.readOnly !== undefined) w.bool(v.readOnly);
  },
};

export const ConnectResponseRec: Codec<ConnectResponse> = {
  read(r) {
    const v: ConnectResponse = {
      protocolVersion: r.int(),
      timeOut: r.int(),
      sessionId: r.long(),
      passwd: r.buffer(),
    };
    if (r.remaining() > 0) v.readOnly = r.bool();
    return v;
  },
  write(w, v) {
    w.int(v.protocolVersion).int(v.timeOut).long(v.sessionId).buffer(v.passwd);
    if (v.readOnly !== undefined) w.bool(v.readOnly);
  },
};
