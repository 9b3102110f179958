// Per-connection output: replies and notifications are appended, and one flush per loop turn
// writes them together under cork (Redis's pending-write pass). A client that stops reading is
// cut off once the bytes queued in the socket pass the limit (Redis's output-buffer hard limit).
import type { Socket } from 'node:net';

export class OutputBuffer {
  private chunks: Uint8Array[] = [];
  private scheduled = false;
  private closeAfter = false;

  constructor(
    private readonly socket: Socket,
    private readonly maxPending: number,
    private readonly onOverflow: () => void,
    /** Frames handed to the socket by one flush (ZooKeeper counts packetSent per written frame). */
    private readonly onSent: (frames: number) => void = () => {},
  ) {}

  /** Frames queued for the next flush. */
  get queued(): number {
    return this.chunks.length;
  }

  append(frame: Uint8Array): void {
    if (this.socket.destroyed) return;
    this.chunks.push(frame);
    this.schedule();
  }

  /** Flush what is queued, then end the connection (sendCloseSession). */
  endAfterFlush(): void {
    this.closeAfter = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  flush(): void {
    this.scheduled = false;
    const s = this.socket;
    if (s.destroyed) return;
    const chunks = this.chunks;
    this.chunks = [];
    if (chunks.length > 0) {
      s.cork();
      for (const c of chunks) s.write(c);
      s.uncork();
      this.onSent(chunks.length);
    }
    if (this.closeAfter) s.end();
    else if (s.writableLength > this.maxPending) this.onOverflow();
  }
}
