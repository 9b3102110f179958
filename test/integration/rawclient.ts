// A small raw ZooKeeper client for tests: writes frames by hand and reads replies and
// notifications as they arrive, so tests can assert exact bytes and order.
import net from 'node:net';
import { JuteReader, JuteWriter } from '../../src/proto/jute.js';
import { ConnectRequestRec, ConnectResponseRec, type ConnectResponse } from '../../src/proto/records/connect.js';
import type { Codec } from '../../src/proto/schema.js';

export interface Reply {
  xid: number;
  zxid: bigint;
  err: number;
  /** Body bytes after the ReplyHeader. */
  body: Buffer;
  /** The whole frame, length prefix included. */
  raw: Buffer;
}

export class RawClient {
  readonly socket: net.Socket;
  private buf = Buffer.alloc(0);
  private frames: Buffer[] = [];
  private waiters: Array<() => void> = [];
  closed = false;
  session: ConnectResponse | null = null;
  private xid = 1;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (d) => this.onData(d));
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static open(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, host, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  /** Opens and completes a handshake (with the readOnly byte unless told otherwise). */
  static async connect(port: number, opts: { timeOut?: number; sessionId?: bigint; passwd?: Buffer; readOnlyByte?: boolean } = {}): Promise<RawClient> {
    const c = await RawClient.open(port);
    c.sendConnect(opts);
    c.session = await c.readConnectResponse();
    return c;
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    while (this.buf.length >= 4) {
      const len = this.buf.readInt32BE(0);
      if (this.buf.length < 4 + len) break;
      this.frames.push(this.buf.subarray(0, 4 + len));
      this.buf = this.buf.subarray(4 + len);
    }
    this.wake();
  }

  private wake(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  /** The next whole frame (length included); rejects on close or timeout. */
  async nextFrame(timeoutMs = 3000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0) {
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timeout waiting for frame');
      await new Promise<void>((res) => {
        const t = setTimeout(res, left);
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
    return this.frames.shift()!;
  }

  /** Resolves true when the server closes the connection within the time. */
  async waitClosed(timeoutMs = 3000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return this.closed;
  }

  sendConnect(o: { timeOut?: number; sessionId?: bigint; passwd?: Buffer; readOnlyByte?: boolean; lastZxidSeen?: bigint }): void {
    const w = new JuteWriter().int(0);
    ConnectRequestRec.write(w, {
      protocolVersion: 0,
      lastZxidSeen: o.lastZxidSeen ?? 0n,
      timeOut: o.timeOut ?? 30000,
      sessionId: o.sessionId ?? 0n,
      passwd: o.passwd ?? Buffer.alloc(16),
      readOnly: o.readOnlyByte === false ? undefined : false,
    });
    w.patchInt(0, w.offset - 4);
    this.socket.write(w.bytes());
  }

  async readConnectResponse(): Promise<ConnectResponse> {
    const f = await this.nextFrame();
    return ConnectResponseRec.read(new JuteReader(f, 4));
  }

  /** Sends a request with a fresh xid (or the given one); returns the xid. */
  send<T>(type: number, codec: Codec<T> | null, rec: T | null, xid = this.xid++): number {
    const w = new JuteWriter().int(0).int(xid).int(type);
    if (codec && rec !== null) codec.write(w, rec);
    w.patchInt(0, w.offset - 4);
    this.socket.write(w.bytes());
    return xid;
  }

  async nextReply(timeoutMs?: number): Promise<Reply> {
    const raw = await this.nextFrame(timeoutMs);
    const r = new JuteReader(raw, 4);
    return { xid: r.int(), zxid: r.long(), err: r.int(), body: raw.subarray(20), raw };
  }

  /** Sends and returns the reply with that xid, keeping notifications that arrive first in `events`. */
  async call<T>(type: number, codec: Codec<T> | null, rec: T | null, events: Reply[] = []): Promise<Reply> {
    const xid = this.send(type, codec, rec);
    for (;;) {
      const r = await this.nextReply();
      if (r.xid === xid) return r;
      events.push(r);
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

export function decodeBody<T>(codec: Codec<T>, r: Reply): T {
  return codec.read(new JuteReader(r.body));
}

/** The raw clients a test file opens on one server, closed together in its afterAll. */
export class ClientPool {
  readonly open: RawClient[] = [];

  constructor(private readonly port: () => number) {}

  /** Connects a new session and keeps it for closeAll. */
  async connect(): Promise<RawClient> {
    const c = await RawClient.connect(this.port());
    this.open.push(c);
    return c;
  }

  closeAll(): void {
    for (const c of this.open) c.close();
    this.open.length = 0;
  }
}
