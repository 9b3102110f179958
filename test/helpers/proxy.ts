// A TCP proxy on 127.0.0.1 between a client and a server, so a test can cut a client's connection
// (and keep it cut while it changes data) without the server's help. It also reads the client's
// frames (4-byte length, then after the ConnectRequest an xid and an opcode) and records each
// connection's request opcodes, which shows e.g. that a reconnecting client sent SetWatches.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { LOOPBACK } from './ports.js';

export interface ProxiedConnection {
  /** Opcodes of the requests sent after the ConnectRequest, in order. */
  readonly opcodes: number[];
}

/** Splits the client's byte stream into frames and records request opcodes. */
class FrameSniffer {
  private buf = Buffer.alloc(0);
  private sawConnect = false;

  constructor(private readonly conn: ProxiedConnection) {}

  feed(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    while (this.buf.length >= 4) {
      const len = this.buf.readInt32BE(0);
      if (this.buf.length < 4 + len) return;
      if (this.sawConnect && len >= 8) this.conn.opcodes.push(this.buf.readInt32BE(8));
      this.sawConnect = true;
      this.buf = this.buf.subarray(4 + len);
    }
  }
}

export class TcpProxy {
  readonly connections: ProxiedConnection[] = [];
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private refusing = false;
  port = 0;

  constructor(private readonly targetHost: string, private readonly targetPort: number) {}

  async start(): Promise<string> {
    this.server = createServer((client) => this.accept(client));
    await new Promise<void>((r) => this.server!.listen(0, LOOPBACK, r));
    this.port = (this.server.address() as { port: number }).port;
    return `${LOOPBACK}:${this.port}`;
  }

  private accept(client: Socket): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const conn: ProxiedConnection = { opcodes: [] };
    this.connections.push(conn);
    const sniffer = new FrameSniffer(conn);
    const upstream = connect({ host: this.targetHost, port: this.targetPort });
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('data', (c: Buffer) => sniffer.feed(c));
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  /** Drops every open connection; with refuse, new ones are closed at once until resume(). */
  cut(refuse = true): void {
    this.refusing = refuse;
    for (const s of this.sockets) s.destroy();
  }

  resume(): void {
    this.refusing = false;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
