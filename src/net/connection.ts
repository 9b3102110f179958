// One client connection: the first frame is a ConnectRequest (or the first four bytes are a
// four-letter word: answer and close). Frames that arrive while the session is being set up
// (auth, setWatches sent ahead by clients) wait in an inbox and run in order once it is.
import type { Socket } from 'node:net';
import { connectionAuthIds, type Id } from '../data/acl.js';
import { JuteError, JuteReader, JuteWriter } from '../proto/jute.js';
import { ConnectRequestRec, ConnectResponseRec, type ConnectRequest } from '../proto/records/connect.js';
import type { Client } from '../processor/request.js';
import { FrameError, Framer } from './framer.js';
import { OutputBuffer } from './outbuf.js';

export interface ConnectionHost {
  readonly maxFrame: number;
  readonly maxPendingOutput: number;
  fourLetter(word: string): string | null;
  connect(conn: Connection, req: ConnectRequest): void;
  request(conn: Connection, xid: number, type: number, body: Buffer): void;
  closed(conn: Connection): void;
}

type State = 'new' | 'connecting' | 'open' | 'closed';

export class Connection implements Client {
  state: State = 'new';
  sessionId = 0n;
  sessionTimeout = 0;
  readonly authIds: Id[];
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly established = Date.now();
  packetsReceived = 0;
  lastCxid = -1;
  lastOperation = 'NA';
  private readonly framer: Framer;
  private readonly out: OutputBuffer;
  private inbox: Buffer[] = [];

  constructor(readonly socket: Socket, readonly watcherId: number, private readonly host: ConnectionHost) {
    this.remoteAddress = socket.remoteAddress ?? '';
    this.remotePort = socket.remotePort ?? 0;
    this.authIds = connectionAuthIds(socket.remoteAddress);
    this.framer = new Framer(host.maxFrame);
    this.out = new OutputBuffer(socket, host.maxPendingOutput, () => this.close());
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  get closed(): boolean {
    return this.state === 'closed';
  }

  get packetsSent(): number {
    return this.out.packetsSent;
  }

  send(frame: Uint8Array): void {
    if (this.state !== 'closed') this.out.append(frame);
  }

  closeAfterFlush(): void {
    this.out.endAfterFlush();
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.inbox = [];
    this.socket.destroy();
    this.host.closed(this);
  }

  private onData(chunk: Buffer): void {
    if (this.state === 'closed') return;
    try {
      if (this.state === 'new' && this.tryFourLetter(chunk)) return;
      for (const f of this.framer.push(chunk)) this.onFrame(f);
    } catch (e) {
      if (e instanceof FrameError || e instanceof JuteError) this.close();
      else throw e;
    }
  }

  /** Four-letter words only count as the very first bytes of a connection. */
  private tryFourLetter(chunk: Buffer): boolean {
    const head = this.framer.buffered === 0 && chunk.length >= 4 ? chunk.subarray(0, 4) : null;
    if (!head) return false;
    const answer = this.host.fourLetter(head.toString('latin1'));
    if (answer === null) return false;
    this.state = 'closed';
    this.socket.end(answer);
    this.host.closed(this);
    return true;
  }

  private onFrame(frame: Buffer): void {
    if (this.state === 'closed') return;
    this.packetsReceived++;
    if (this.state === 'new') {
      this.state = 'connecting';
      this.host.connect(this, ConnectRequestRec.read(new JuteReader(frame)));
    } else if (this.state === 'connecting') this.inbox.push(frame);
    else this.dispatch(frame);
  }

  private dispatch(frame: Buffer): void {
    const r = new JuteReader(frame);
    const xid = r.int();
    const type = r.int();
    if (xid >= 0) this.lastCxid = xid;
    this.host.request(this, xid, type, frame.subarray(8));
  }

  /** Session ready: answer the ConnectRequest in the form the client used, then run the inbox. */
  establish(sessionId: bigint, timeOut: number, passwd: Buffer, readOnlyByte: boolean): void {
    if (this.state === 'closed') return;
    this.sessionId = sessionId;
    this.sessionTimeout = timeOut;
    this.sendConnectResponse(timeOut, sessionId, passwd, readOnlyByte);
    this.state = 'open';
    const queued = this.inbox;
    this.inbox = [];
    for (const f of queued) if (this.state === 'open') this.dispatch(f);
  }

  /** Unknown/expired session or bad password: timeout 0, id 0, then close (finishSessionInit(false)). */
  reject(readOnlyByte: boolean): void {
    this.sendConnectResponse(0, 0n, Buffer.alloc(16), readOnlyByte);
    this.inbox = [];
    this.closeAfterFlush();
  }

  private sendConnectResponse(timeOut: number, sessionId: bigint, passwd: Buffer, readOnlyByte: boolean): void {
    const w = new JuteWriter(64).int(0);
    ConnectResponseRec.write(w, { protocolVersion: 0, timeOut, sessionId, passwd, readOnly: readOnlyByte ? false : undefined });
    w.patchInt(0, w.offset - 4);
    this.send(w.bytes());
  }
}
