// A minimal raw ZooKeeper client for load generation: one TCP connection per session, requests
// pipelined by xid, replies matched in order (ZooKeeper answers a session's requests in the order
// sent, so a FIFO of pending xids is enough), notifications (xid -1) handed to a callback, pings
// (xid -2) on a timer. Frames are encoded by hand into reusable Buffers: the generator must cost
// far less CPU than the server it drives. Wire records as in zookeeper.jute.
//
// Receiving bypasses the Readable stream: every socket of the process reads into ONE shared buffer
// (net.connect's `onread`) and frames are parsed in place. Through 'data' events each read cost a
// fresh Buffer, the stream's push/emit machinery and a Buffer per frame, about 10 µs of generator
// CPU per fan-out notification measured on 2 cores, while the server spent about 9.5 µs writing
// it: with server and generator sharing the cores, that cost lengthened the time to the last
// notification for both servers alike.
import net from 'node:net';
import { OpCode, Xid } from '../../src/proto/constants.js';

/** Microseconds on CLOCK_MONOTONIC: comparable across processes on one Linux machine. */
export function nowUs(): number {
  const [s, ns] = process.hrtime();
  return s * 1e6 + ns / 1e3;
}

export interface Reply {
  xid: number;
  zxid: number;
  err: number;
  /** Body bytes (a view into the receive buffer, valid only during the callback). */
  body: Buffer;
}

type ReplyFn = (r: Reply, sentUs: number) => void;
interface Pending {
  xid: number;
  sentUs: number;
  cb: ReplyFn | null;
}

export interface Endpoint {
  host: string;
  port: number;
  /** Source address in 127/8, spread so ephemeral ports do not run out across scenarios. */
  localAddress?: string;
}

const WORLD_ANYONE_ACL = aclBytes();
const SESSION_TIMEOUT_MS = 30_000;
const PING_EVERY_MS = 10_000;
const CONNECT_TIMEOUT_MS = 20_000;
/**
 * The receive buffer shared by every socket of this process: libuv reads into it and the callback
 * runs synchronously before the next read, so one buffer serves them all. A frame cut by the end of
 * a read is copied out into its session (rare: most frames here are under 200 bytes).
 */
const RX = Buffer.allocUnsafe(64 * 1024);

function aclBytes(): Buffer {
  // vector<ACL> with one entry: perms ALL (31), Id{"world","anyone"}.
  const b = Buffer.alloc(4 + 4 + 4 + 5 + 4 + 6);
  let o = b.writeInt32BE(1, 0);
  o = b.writeInt32BE(31, o);
  o = b.writeInt32BE(5, o);
  o += b.write('world', o);
  o = b.writeInt32BE(6, o);
  b.write('anyone', o);
  return b;
}

/** Bytes of a jute ustring/buffer field. */
function field(v: Buffer | string): Buffer {
  const body = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
  const b = Buffer.allocUnsafe(4 + body.length);
  b.writeInt32BE(body.length, 0);
  body.copy(b, 4);
  return b;
}

function int32(v: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeInt32BE(v, 0);
  return b;
}

/** Request bodies (everything after xid/type). */
export const Body = {
  getData: (path: string, watch: boolean) => Buffer.concat([field(path), Buffer.from([watch ? 1 : 0])]),
  exists: (path: string, watch: boolean) => Buffer.concat([field(path), Buffer.from([watch ? 1 : 0])]),
  setData: (path: string, data: Buffer) => Buffer.concat([field(path), field(data), int32(-1)]),
  create: (path: string, data: Buffer) => Buffer.concat([field(path), field(data), WORLD_ANYONE_ACL, int32(0)]),
  delete: (path: string) => Buffer.concat([field(path), int32(-1)]),
  setWatches: (paths: readonly string[]) => {
    // relativeZxid far ahead of every node's mzxid: register the watches without catch-up events.
    const head = Buffer.alloc(8);
    head.writeBigInt64BE(1n << 60n, 0);
    return Buffer.concat([head, int32(paths.length), ...paths.map((p) => field(p)), int32(0), int32(0)]);
  },
};

function connectFrame(): Buffer {
  const b = Buffer.alloc(4 + 4 + 8 + 4 + 8 + 4 + 16 + 1);
  let o = b.writeInt32BE(b.length - 4, 0);
  o = b.writeInt32BE(0, o); // protocolVersion
  o = b.writeBigInt64BE(0n, o); // lastZxidSeen
  o = b.writeInt32BE(SESSION_TIMEOUT_MS, o);
  o = b.writeBigInt64BE(0n, o); // sessionId: new session
  o = b.writeInt32BE(16, o); // passwd: 16 zero bytes
  return b; // readOnly byte already 0
}

export class Session {
  readonly socket: net.Socket;
  sessionId = 0n;
  private pending: Pending[] = [];
  private head = 0;
  private nextXid = 1;
  private out: Buffer[] = [];
  private flushQueued = false;
  private rx: Buffer | null = null;
  private connected = false;
  private pingTimer: NodeJS.Timeout | null = null;
  onNotify: (type: number, path: string, atUs: number) => void = () => {};
  /**
   * When set, notifications come here instead of onNotify, with the path as bytes b[start, end)
   * (no string made per notification: the fan-out counts 10,000 of them per round).
   */
  onNotifyBytes: ((type: number, b: Buffer, start: number, end: number, atUs: number) => void) | null = null;
  onClose: () => void = () => {};
  closed = false;

  private constructor(ep: Endpoint, private readonly ready: (err: Error | null) => void) {
    const onread = { buffer: RX, callback: (n: number, buf: Uint8Array): boolean => this.receive(buf as Buffer, n) };
    this.socket = net.connect({ host: ep.host, port: ep.port, localAddress: ep.localAddress, onread });
    this.socket.setNoDelay(true);
    this.socket.on('connect', () => this.socket.write(connectFrame()));
    this.socket.on('error', (e) => this.fail(e));
    this.socket.on('close', () => this.fail(new Error('connection closed')));
  }

  /** Opens a session and resolves once the ConnectResponse arrived. */
  static open(ep: Endpoint): Promise<Session> {
    return new Promise((resolve, reject) => {
      let s: Session | null = null;
      const timer = setTimeout(() => s?.destroy(), CONNECT_TIMEOUT_MS);
      s = new Session(ep, (err) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(s!);
      });
    });
  }

  get outstanding(): number {
    return this.pending.length - this.head;
  }

  /** Queues one request; all queued bytes go out in one write at the end of this tick. */
  send(type: number, body: Buffer, cb: ReplyFn | null, xid = this.nextXid++): void {
    const hdr = Buffer.allocUnsafe(12);
    hdr.writeInt32BE(8 + body.length, 0);
    hdr.writeInt32BE(xid, 4);
    hdr.writeInt32BE(type, 8);
    this.out.push(hdr, body);
    if (xid !== Xid.ping) this.pending.push({ xid, sentUs: nowUs(), cb });
    if (!this.flushQueued) {
      this.flushQueued = true;
      process.nextTick(() => this.flush());
    }
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.closed || this.out.length === 0) return;
    this.socket.write(this.out.length === 1 ? this.out[0]! : Buffer.concat(this.out));
    this.out = [];
  }

  /** Promise form of send, for setup steps. */
  call(type: number, body: Buffer, xid?: number): Promise<Reply> {
    return new Promise((resolve) => {
      this.send(type, body, (r) => resolve({ ...r, body: Buffer.from(r.body) }), xid);
    });
  }

  destroy(): void {
    this.closed = true;
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.socket.destroy();
  }

  private fail(err: Error): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    const wasClosed = this.closed;
    this.closed = true;
    if (!this.connected) this.ready(err);
    else if (!wasClosed) this.onClose();
  }

  /** Parses the frames in buf[0, n) (the shared RX buffer); keeps a cut-off tail in `rx`. */
  private receive(buf: Buffer, n: number): boolean {
    if (this.rx === null) {
      this.parse(buf, n);
      return true;
    }
    const joined = Buffer.concat([this.rx, buf.subarray(0, n)]);
    this.rx = null;
    this.parse(joined, joined.length);
    return true;
  }

  private parse(b: Buffer, end: number): void {
    let o = 0;
    while (end - o >= 4) {
      const len = b.readInt32BE(o);
      if (end - o - 4 < len) break;
      this.frame(b, o + 4, len);
      o += 4 + len;
    }
    if (o < end) this.rx = Buffer.from(b.subarray(o, end));
  }

  /** One frame: b[o, o + len). Views handed out are valid only during the callback. */
  private frame(b: Buffer, o: number, len: number): void {
    if (!this.connected) return this.connectResponse(b.subarray(o, o + len));
    const xid = b.readInt32BE(o);
    if (xid === Xid.notification) return this.notification(b, o);
    if (xid === Xid.ping) return;
    const p = this.pending[this.head];
    if (!p || p.xid !== xid) throw new Error(`reply xid ${xid} out of order (expected ${p?.xid})`);
    this.pending[this.head++] = undefined as unknown as Pending;
    if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
    if (p.cb === null) return;
    const zxid = Number(b.readBigInt64BE(o + 4));
    p.cb({ xid, zxid, err: b.readInt32BE(o + 12), body: b.subarray(o + 16, o + len) }, p.sentUs);
  }

  private connectResponse(f: Buffer): void {
    const timeout = f.readInt32BE(4);
    this.sessionId = f.readBigInt64BE(8);
    if (timeout <= 0) return this.fail(new Error('session rejected'));
    this.connected = true;
    this.pingTimer = setInterval(() => this.send(OpCode.ping, Buffer.alloc(0), null, Xid.ping), PING_EVERY_MS);
    this.ready(null);
  }

  private notification(b: Buffer, o: number): void {
    // ReplyHeader (16 bytes) then WatcherEvent{type, state, path}.
    const type = b.readInt32BE(o + 16);
    const start = o + 28;
    const end = start + b.readInt32BE(o + 24);
    if (this.onNotifyBytes !== null) this.onNotifyBytes(type, b, start, end, nowUs());
    else this.onNotify(type, b.toString('utf8', start, end), nowUs());
  }
}

/** Opens `n` sessions with at most `parallel` handshakes in flight; source addresses rotate. */
export async function openMany(n: number, ep: Endpoint, localBase: number, parallel = 200): Promise<Session[]> {
  const out: Session[] = new Array(n);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      out[i] = await Session.open({ ...ep, localAddress: localAddressFor(localBase + i) });
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, n) }, lane));
  return out;
}

/** 127.0.0.2 .. 127.0.0.201, one per 2,000 sessions, so TIME_WAIT ports of one scenario never block the next. */
export function localAddressFor(i: number): string {
  return `127.0.0.${2 + (Math.floor(i / 2000) % 200)}`;
}
