// The notification frame, field by field against zookeeper.jute: a 4-byte length, then
// ReplyHeader{int xid; long zxid; int err} and WatcherEvent{int type; int state; ustring path},
// all big-endian, a ustring being an int length and UTF-8 bytes. Checked for the TypeScript
// builder and for the frame the WASM core writes.
import { describe, expect, it } from 'vitest';
import { EventType, KeeperState, Xid } from '../../../src/proto/constants.js';
import { buildNotificationFrame, NOTIFICATION_FRAME_OVERHEAD } from '../../../src/watch/frame.js';
import { WasmWatchManager } from '../../../src/watch/wasm-manager.js';

const enc = new TextEncoder();

/** Reads the frame back with a cursor, as a jute InputArchive would. */
function parse(frame: Uint8Array) {
  const v = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  let at = 0;
  const int = () => ((at += 4), v.getInt32(at - 4));
  const long = () => ((at += 8), v.getBigInt64(at - 8));
  const length = int();
  const header = { xid: int(), zxid: long(), err: int() };
  const type = int();
  const state = int();
  const pathLen = int();
  const path = new TextDecoder().decode(frame.subarray(at, at + pathLen));
  return { length, header, event: { type, state, path }, consumed: at + pathLen };
}

const CASES: [number, bigint, string][] = [
  [EventType.NodeCreated, 1n, '/'],
  [EventType.NodeDeleted, -1n, '/a/b'],
  [EventType.NodeDataChanged, 0x7fff_ffff_ffff_ffffn, '/日本/ünï'],
  [EventType.NodeChildrenChanged, 0x1_0000_0002n, '/' + 'x'.repeat(3000)],
];

describe('notification frame', () => {
  const wasm = new WasmWatchManager();

  it.each(CASES)('type %i zxid %s: every field where zookeeper.jute puts it', (type, zxid, path) => {
    const bytes = enc.encode(path);
    const frame = buildNotificationFrame(type, zxid, bytes);
    expect(frame.length).toBe(NOTIFICATION_FRAME_OVERHEAD + bytes.length);
    const f = parse(frame);
    expect(f.length).toBe(frame.length - 4);
    expect(f.header).toEqual({ xid: Xid.notification, zxid, err: 0 });
    expect(f.event).toEqual({ type, state: KeeperState.SyncConnected, path });
    expect(f.consumed).toBe(frame.length);
    // Fixed offsets, independent of the parser above.
    expect(Array.from(frame.subarray(4, 8))).toEqual([0xff, 0xff, 0xff, 0xff]);
    expect(new DataView(frame.buffer).getInt32(28)).toBe(bytes.length);
  });

  it.each(CASES)('the WASM core writes the same bytes (type %i zxid %s)', (type, zxid, path) => {
    wasm.addWatch(path, 3);
    const r = wasm.triggerWatch(path, type, zxid);
    expect(Array.from(r.watchers)).toEqual([3]);
    expect(Buffer.from(r.frame).equals(Buffer.from(buildNotificationFrame(type, zxid, enc.encode(path))))).toBe(true);
  });
});
