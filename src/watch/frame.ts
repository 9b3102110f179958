// The notification frame ZooKeeper sends for a fired watch (NIOServerCnxn.process → sendResponse):
// a 4-byte big-endian length, then ReplyHeader{int xid = -1, long zxid, int err = 0} and
// WatcherEvent{int type, int state = 3 (SyncConnected), ustring path} from zookeeper.jute.
// A ustring is an int byte length followed by UTF-8 bytes, so the frame is 32 + path bytes long.
// The WASM core writes the same layout itself; this is the TypeScript reference and the test oracle.
import { KeeperState, Xid } from '../proto/constants.js';

/** Bytes of a notification frame before the path bytes (length, header, type, state, path length). */
export const NOTIFICATION_FRAME_OVERHEAD = 32;

/** Builds the whole notification frame for an event of `type` on `pathUtf8`. */
export function buildNotificationFrame(type: number, zxid: bigint, pathUtf8: Uint8Array): Uint8Array {
  const frame = new Uint8Array(NOTIFICATION_FRAME_OVERHEAD + pathUtf8.length);
  writeNotificationFrame(frame, 0, type, zxid, pathUtf8);
  return frame;
}

/** Writes the frame at `offset` of `out` (which must have room); returns the bytes written. */
export function writeNotificationFrame(
  out: Uint8Array,
  offset: number,
  type: number,
  zxid: bigint,
  pathUtf8: Uint8Array,
): number {
  const total = NOTIFICATION_FRAME_OVERHEAD + pathUtf8.length;
  const v = new DataView(out.buffer, out.byteOffset + offset, total);
  v.setInt32(0, total - 4); // the length prefix does not count itself
  v.setInt32(4, Xid.notification); // ReplyHeader.xid
  v.setBigInt64(8, BigInt.asIntN(64, zxid)); // ReplyHeader.zxid
  v.setInt32(16, 0); // ReplyHeader.err
  v.setInt32(20, type); // WatcherEvent.type
  v.setInt32(24, KeeperState.SyncConnected); // WatcherEvent.state
  v.setInt32(28, pathUtf8.length); // ustring length
  out.set(pathUtf8, offset + NOTIFICATION_FRAME_OVERHEAD);
  return total;
}
