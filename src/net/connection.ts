// One client connection: the first frame is a ConnectRequest (or the first four bytes are a
// four-letter word: answer and close). Frames wait in a backlog while the session is being set up
// (auth, setWatches sent ahead by clients) and while the connection is throttled, and run in order
// once it is ready again. Counters follow ServerCnxn; throttling follows ZooKeeper's
// incr/decrOutstandingAndCheckThrottle (stop reading a connection while the server has more than
// globalOutstandingLimit requests in process and this connection has some of them).
//
// Per-connection cost: tens of thousands of connections may be open, so a connection carries no
// closures of its own: the socket listeners are shared module functions that find the connection
// through a symbol on the socket, the backlog array exists only while frames wait, and the Framer
// only while a partial frame is pending (whole frames are cut from the chunk with no state).
import type { Socket } from 'node:net';
import { connectionAuthIds, type Id } from '../data/acl.js';
import { JuteError, JuteReader, JuteWriter } from '../proto/jute.js';
import { ConnectRequestRec, ConnectResponseRec, type ConnectRequest } from '../proto/records/connect.js';
import type { Client, Request } from '../processor/request.js';
import { cutFrames, FrameError, Framer } from './framer.js';
import { OutputBuffer, type FlushQueue, type OutputOwner } from './outbuf.js';
import { ConnectionStats, elapsedMs, type ServerStats } from './stats.js';

export interface ConnectionHost {
  readonly maxFrame: number;
  /** The server-wide flush pass (its maxPending is the output limit per connection). */
  readonly flushQueue: FlushQueue;
  /** Server-wide counters and the outstanding-request throttle. */
  readonly stats: ServerStats;
  fourLetter(word: string): string | null;
  connect(conn: Connection, req: ConnectRequest): void;
  request(conn: Connection, xid: number, type: number, body: Buffer): void;
  closed(conn: Connection): void;
}

type State = 'new' | 'connecting' | 'open' | 'closed';

/** NIOServerCnxnFactory's connection expiry queue works in 10 s buckets (sessionlessCnxnTimeout). */
const CNXN_EXPIRY_INTERVAL = 10_000;

const CONN = Symbol('watchkeeper.connection');
/** Wall-clock ms when this module loaded; connection times are kept relative to it. */
const WALL_BASE = Date.now();
type OwnedSocket = Socket & { [CONN]: Connection };

function onSocketData(this: OwnedSocket, chunk: Buffer): void {
  this[CONN].receive(chunk);
}

/** 'error' and 'close': the socket is gone. */
function onSocketGone(this: OwnedSocket): void {
  this[CONN].close();
}

/** 'end': the client sent FIN. ZooKeeper closes the connection on EOF; the socket goes later. */
function onSocketEnd(this: OwnedSocket): void {
  this[CONN].close(true);
}

interface Waiting {
  frame: Buffer;
  at: number;
}

export class Connection implements Client, OutputOwner {
  state: State = 'new';
  sessionId = 0n;
  sessionTimeout = 0;
  readonly stats = new ConnectionStats();
  /** Arrival time (elapsedMs, whole ms) of the frame being dispatched: the request's createTime. */
  frameArrivedAt = 0;
  /** Last socket activity (elapsedMs), for the connection expiry shown by dump. */
  private lastIoAt = elapsedMs();
  private fourLetterMode = false;
  private throttled = false;
  /** Holds a partial frame's bytes; null while none is pending. */
  private framer: Framer | null = null;
  private readonly out: OutputBuffer;
  /** Frames read but not yet run (session setup, throttling); null when none wait. */
  private backlog: Waiting[] | null = null;
  private backlogHead = 0;
  /** The ip auth id and those added by auth packets; made on first use (see authIds). */
  private auth: Id[] | null = null;
  /** Wall-clock ms at accept, less WALL_BASE: a small integer, where the time itself is a boxed double. */
  private readonly openedAt = Date.now() - WALL_BASE;

  constructor(readonly socket: Socket, readonly watcherId: number, private readonly host: ConnectionHost) {
    void socket.remoteAddress; // Node caches the peer address on the socket, where it stays after a close
    this.out = new OutputBuffer(socket, host.flushQueue, this);
    socket.setNoDelay(true);
    (socket as OwnedSocket)[CONN] = this;
    socket.on('data', onSocketData);
    socket.on('error', onSocketGone);
    socket.on('close', onSocketGone);
    // The server allows half-open sockets, so Node does not end() each one on EOF (shutdown ->
    // _final -> destroy over later ticks: several times the cost of a destroy); the connection
    // closes at once and its socket is destroyed by the flush queue's bounded pass.
    socket.on('end', onSocketEnd);
  }

  /**
   * The identities ACLs are checked against: `ip:<address>` plus any added by auth packets (the
   * caller may push to it). Made on first use, so an idle session carries no array for it.
   */
  get authIds(): Id[] {
    return (this.auth ??= connectionAuthIds(this.socket.remoteAddress));
  }

  /** The peer's address: Node caches it on the socket at accept (it stays after a close). */
  get remoteAddress(): string {
    return this.socket.remoteAddress ?? '';
  }

  get remotePort(): number {
    return this.socket.remotePort ?? 0;
  }

  /** Wall-clock time the connection was accepted (cons: est). */
  get established(): number {
    return WALL_BASE + this.openedAt;
  }

  get closed(): boolean {
    return this.state === 'closed';
  }

  get packetsReceived(): number {
    return this.stats.packetsReceived;
  }

  get packetsSent(): number {
    return this.stats.packetsSent;
  }

  get lastCxid(): number {
    return this.stats.lastCxid;
  }

  get lastOperation(): string {
    return this.stats.lastOperation;
  }

  /** Selector interest as cons prints it: 0 not reading, 1 reading, 5 reading with output queued. */
  get interestOps(): number {
    if (this.fourLetterMode || this.throttled || this.state === 'closed') return 0;
    return this.out.queued > 0 || this.socket.writableLength > 0 ? 5 : 1;
  }

  /** Wall-clock deadline of the connection expiry bucket (NIOServerCnxnFactory.touchCnxn). */
  get expiresAt(): number {
    const timeout = this.sessionTimeout > 0 ? this.sessionTimeout : CNXN_EXPIRY_INTERVAL;
    const bucket = (Math.floor((this.lastIoAt + timeout) / CNXN_EXPIRY_INTERVAL) + 1) * CNXN_EXPIRY_INTERVAL;
    return bucket + (Date.now() - elapsedMs());
  }

  /** Queues a frame that will not change again (it may be shared by many connections). */
  send(frame: Uint8Array): void {
    if (this.state !== 'closed') this.out.append(frame);
  }

  /** Queues a copy of bytes the caller goes on to reuse (final's one reply writer). */
  sendCopy(bytes: Uint8Array): void {
    if (this.state !== 'closed') this.out.appendCopy(bytes);
  }

  closeAfterFlush(): void {
    this.out.endAfterFlush();
  }

  /** Closes now; `later` leaves destroying the socket to the flush queue's bounded pass. */
  close(later = false): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.host.stats.paused.delete(this);
    this.backlog = null;
    this.backlogHead = 0;
    if (later) this.host.flushQueue.destroySoon(this.socket);
    else this.socket.destroy();
    this.host.closed(this);
  }

  /** crst */
  resetStats(): void {
    this.stats.reset();
  }

  /** OutputOwner: the client is not reading its output; cut it off. */
  overflowed(): void {
    this.close();
  }

  /** OutputOwner: frames handed to the socket. */
  sent(frames: number): void {
    this.stats.packetsSent += frames;
    this.host.stats.packetsSent += frames;
    this.lastIoAt = elapsedMs();
  }

  private received(): void {
    this.stats.packetsReceived++;
    this.host.stats.packetsReceived++;
  }

  /** Socket data. Frames run at once unless earlier ones wait; the rest join the backlog. */
  receive(chunk: Buffer): void {
    if (this.state === 'closed') return;
    // elapsedMs(): whole ms are all the latency counters use, and a small integer field stays
    // unboxed where a fractional time would be a heap number per connection.
    const at = elapsedMs();
    this.lastIoAt = at;
    if (this.state === 'new' && this.tryFourLetter(chunk)) return;
    let frames: Buffer[];
    try {
      frames = this.framesOf(chunk);
    } catch (e) {
      if (e instanceof FrameError) return this.close();
      throw e;
    }
    const ran = this.backlog === null ? this.runFrames(frames, at) : 0;
    if (ran === frames.length || this.closed) return;
    const backlog = (this.backlog ??= []);
    for (let i = ran; i < frames.length; i++) backlog.push({ frame: frames[i]!, at });
    this.drainBacklog();
  }

  /** The whole frames a chunk completes; a partial frame left over gets a Framer to wait in. */
  private framesOf(chunk: Buffer): Buffer[] {
    const framer = this.framer;
    if (framer !== null) {
      const frames = framer.push(chunk);
      if (framer.buffered === 0) this.framer = null;
      return frames;
    }
    const frames: Buffer[] = [];
    const at = cutFrames(chunk, this.host.maxFrame, frames);
    if (at < chunk.length) (this.framer = new Framer(this.host.maxFrame)).push(chunk.subarray(at));
    return frames;
  }

  /** Runs frames while the connection can; returns how many ran. */
  private runFrames(frames: Buffer[], at: number): number {
    let i = 0;
    try {
      while (i < frames.length && this.canRun()) this.onFrame(frames[i++]!, at);
    } catch (e) {
      this.failed(e);
    }
    return i;
  }

  /** Four-letter words only count as the very first bytes of a connection. */
  private tryFourLetter(chunk: Buffer): boolean {
    const head = this.framer === null && chunk.length >= 4 ? chunk.subarray(0, 4) : null;
    if (!head) return false;
    this.fourLetterMode = true;
    this.received();
    const answer = this.host.fourLetter(head.toString('latin1'));
    if (answer === null) {
      this.fourLetterMode = false;
      this.stats.packetsReceived--;
      this.host.stats.packetsReceived--;
      return false;
    }
    this.state = 'closed';
    this.host.stats.packetsSent++; // sendBufferSync counts the answer as a packet sent
    this.socket.end(answer);
    this.host.closed(this);
    return true;
  }

  /** Runs queued frames until the connection must wait (session setup, throttling). */
  private drainBacklog(): void {
    try {
      // this.backlog is re-read each time: a frame may close the connection (backlog = null).
      while (this.backlog !== null && this.backlogHead < this.backlog.length && this.canRun()) {
        const { frame, at } = this.backlog[this.backlogHead++]!;
        this.onFrame(frame, at);
      }
    } catch (e) {
      return this.failed(e);
    }
    if (this.backlog !== null && this.backlogHead === this.backlog.length) {
      this.backlog = null;
      this.backlogHead = 0;
    }
  }

  /**
   * A frame could not be handled. A frame too short for its header or ConnectRequest is a
   * protocol error; anything else is a bug of ours. Either way only this connection pays: it is
   * closed, as NIOServerCnxn.doIO closes the connection on any exception, and the server goes on.
   */
  private failed(e: unknown): void {
    if (!(e instanceof JuteError)) console.error('watchkeeper: closing a connection after an unexpected error:', e);
    this.close();
  }

  private canRun(): boolean {
    return this.state !== 'closed' && this.state !== 'connecting' && !this.throttled;
  }

  private onFrame(frame: Buffer, at: number): void {
    this.received();
    this.frameArrivedAt = at;
    if (this.state === 'new') {
      this.state = 'connecting';
      this.host.connect(this, ConnectRequestRec.read(new JuteReader(frame)));
    } else this.dispatch(frame);
  }

  private dispatch(frame: Buffer): void {
    if (frame.length < 8) throw new JuteError(`truncated request header: ${frame.length} bytes`);
    const xid = frame.readInt32BE(0);
    const type = frame.readInt32BE(4);
    // processPacket counts the request before submitting it, special xids excepted.
    if (xid > 0 && this.host.stats.shouldThrottle(++this.stats.outstanding)) this.throttle();
    this.host.request(this, xid, type, frame.subarray(8));
  }

  /** The request entered the chain (ZooKeeperServer.incInProcess). */
  submitted(): void {
    this.host.stats.inProcess++;
  }

  /**
   * Final is done with a request of this connection: the in-process count drops, latency and the
   * last-operation fields are recorded (FinalRequestProcessor.updateStats), and when a reply went
   * out for a positive xid the outstanding count drops and reading may resume.
   */
  replied(req: Request, zxid: bigint, op: string, answered: boolean): void {
    const stats = this.host.stats;
    stats.requestDone();
    const end = elapsedMs();
    const start = req.arrivedAt ?? end;
    stats.latency.add(Math.max(0, end - start));
    this.stats.responded(req.xid, zxid, op, start, end);
    if (!answered || req.xid <= 0) return;
    if (!stats.shouldThrottle(--this.stats.outstanding)) this.unthrottle();
  }

  private throttle(): void {
    if (this.throttled) return;
    this.throttled = true;
    this.host.stats.paused.add(this);
    this.socket.pause();
  }

  /** The server is back within its outstanding limit (ServerStats.requestDone). */
  wake(): void {
    this.unthrottle();
  }

  /** Resumes on a later turn: final may be running inside the pipeline's drain loop. */
  private unthrottle(): void {
    if (!this.throttled) return;
    this.throttled = false;
    this.host.stats.paused.delete(this);
    setImmediate(resumeReading, this);
  }

  /** The unthrottle's later turn (module function below: no closure per call). */
  resumeNow(): void {
    if (this.state === 'closed' || this.throttled) return;
    this.socket.resume();
    this.drainBacklog();
  }

  /** Session ready: answer the ConnectRequest in the form the client used, then run the backlog. */
  establish(sessionId: bigint, timeOut: number, passwd: Buffer, readOnlyByte: boolean): void {
    if (this.state === 'closed') return;
    this.sessionId = sessionId;
    this.sessionTimeout = timeOut;
    this.sendConnectResponse(timeOut, sessionId, passwd, readOnlyByte);
    this.state = 'open';
    this.drainBacklog();
  }

  /** Unknown/expired session or bad password: timeout 0, id 0, then close (finishSessionInit(false)). */
  reject(readOnlyByte: boolean): void {
    this.sendConnectResponse(0, 0n, Buffer.alloc(16), readOnlyByte);
    this.backlog = null;
    this.backlogHead = 0;
    this.closeAfterFlush();
  }

  private sendConnectResponse(timeOut: number, sessionId: bigint, passwd: Buffer, readOnlyByte: boolean): void {
    const w = new JuteWriter(64).int(0);
    ConnectResponseRec.write(w, { protocolVersion: 0, timeOut, sessionId, passwd, readOnly: readOnlyByte ? false : undefined });
    w.patchInt(0, w.offset - 4);
    this.send(w.bytes());
  }
}

function resumeReading(conn: Connection): void {
  conn.resumeNow();
}
