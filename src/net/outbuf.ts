// Per-connection output and the server-wide flush pass (Redis's clients_pending_write): replies and
// notifications are appended during a loop turn, the connection is marked dirty, and ONE
// setImmediate per turn flushes every dirty connection. Each connection then costs one plain
// socket.write per turn: a lone frame goes out by reference (a notification frame is shared by
// every recipient), several frames are copied into one contiguous segment first, so the socket
// never takes the cork/writev path for small frames. A client that stops reading is cut off once
// the bytes queued in its socket pass the limit (Redis's output-buffer hard limit).
//
// A pass over many connections hands a share of its writes to a second thread (writer.ts): on
// loopback the write syscalls are most of the cost, and they can run on the machine's other core.
import type { Socket } from 'node:net';
import { RESULT_NONE, RESULT_UNCLAIMED } from './writer-thread.js';
import { defaultWriterThreaded, SocketWriter } from './writer.js';

/** Frames at least this long are queued by reference rather than copied into the segment. */
const BIG_FRAME = 16 * 1024;
/**
 * Smallest segment carved when a connection's segment must grow (a second frame in one turn: a
 * pipelining client, a reply and a notification). A first frame gets exactly its size, so an
 * idle connection keeps no slab memory.
 */
const MIN_SEGMENT = 512;
/** A leftover segment shorter than this is dropped after a flush instead of kept for next time. */
const KEEP_SEGMENT = 128;
const SLAB_SIZE = 64 * 1024;

/**
 * Carves segments out of large shared allocations, as Buffer's own pool does: one allocation
 * serves dozens of connections. A carved segment is never handed out twice; the slab is freed by
 * the GC once no segment of it is referenced (by a connection or by a socket write in progress).
 */
class Slab {
  private buf = Buffer.allocUnsafeSlow(SLAB_SIZE);
  private used = 0;

  take(n: number): Buffer {
    if (n > SLAB_SIZE / 4) return Buffer.allocUnsafe(n);
    if (this.used + n > SLAB_SIZE) {
      this.buf = Buffer.allocUnsafeSlow(SLAB_SIZE);
      this.used = 0;
    }
    const seg = this.buf.subarray(this.used, this.used + n);
    this.used += n;
    return seg;
  }
}

/** What an output buffer reports to its connection. */
export interface OutputOwner {
  /**
   * The socket's queue passed the limit: the client is not reading. Also called when what the
   * writer thread wrote for it is unknown (the thread died holding its bytes): the client must
   * reconnect.
   */
  overflowed(): void;
  /** Frames handed to the socket by one flush (ZooKeeper counts packetSent per written frame). */
  sent(frames: number): void;
}

/**
 * Time per loop turn for destroySoon's sockets (10-60 µs each, most of it the close syscall and
 * stream teardown), checked every DESTROY_BATCH sockets.
 */
const DESTROY_MS_PER_TURN = 2;
const DESTROY_BATCH = 4;

/**
 * The server-wide pending-write list: one flush pass per loop turn for every dirty connection. It
 * also destroys sockets whose clients left, a bounded number per turn: a thousand clients closing
 * at once arrive as a thousand EOFs in one poll, and destroying them all there stalls the loop.
 */
export class FlushQueue {
  private dirty: OutputBuffer[] = [];
  private doomed: Socket[] = [];
  private doomedHead = 0;
  private scheduled = false;
  readonly slab = new Slab();
  private readonly runBound = (): void => this.run();
  /** null: every write on the main thread. */
  private writer: SocketWriter | null = null;
  /** The connections of the batch being written, by entry index. */
  private batch: OutputBuffer[] = [];
  /** Connections whose bytes a dead writer held: closed once the thread is gone. */
  private limbo: OutputBuffer[] = [];

  /**
   * `writerMinBatch`: passes with at least this many dirty connections share their writes with the
   * writer thread (`threaded` false: written directly by this thread, no second one); 0 = neither.
   */
  constructor(readonly maxPending: number, writerMinBatch = 0, threaded = defaultWriterThreaded()) {
    if (writerMinBatch > 0) {
      this.writer = new SocketWriter(writerMinBatch, threaded);
      this.writer.onExit = () => this.writerGone();
    }
  }

  /** The writer thread (tests kill it); null when there is none. */
  get socketWriter(): SocketWriter | null {
    return this.writer;
  }

  /** The server is closing. */
  stop(): void {
    this.writer?.stop();
  }

  mark(out: OutputBuffer): void {
    this.dirty.push(out);
    this.schedule();
  }

  /** Destroys the socket on a later turn (its connection is already closed). */
  destroySoon(socket: Socket): void {
    this.doomed.push(socket);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.runBound);
  }

  /** Flushes every connection marked so far (in the order they were first marked). */
  run(): void {
    this.scheduled = false;
    const list = this.dirty;
    this.dirty = [];
    const w = this.writer;
    if (w !== null && list.length >= w.minBatch && w.ready()) this.flushShared(list, w);
    else for (let i = 0; i < list.length; i++) list[i]!.flush();
    if (this.doomedHead < this.doomed.length) this.destroySome();
  }

  /**
   * A big pass: the connections that can be offloaded (see OutputBuffer.offer) go into a batch that
   * the writer thread and this thread both take entries from; the others are flushed here first.
   * Nothing is destroyed while the batch is open: the thread writes to raw fds.
   */
  private flushShared(list: OutputBuffer[], w: SocketWriter): void {
    const batch = this.batch;
    w.begin();
    let rest = 0;
    for (let i = 0; i < list.length; i++) {
      const out = list[i]!;
      if (out.offer(w)) batch.push(out);
      else list[rest++] = out;
    }
    w.close();
    for (let i = 0; i < rest; i++) list[i]!.flush();
    for (let i = w.claim(); i >= 0; i = w.claim()) w.write(i);
    w.settle();
    for (let i = 0; i < batch.length; i++) this.finish(batch[i]!, w.result(i));
    batch.length = 0;
  }

  private finish(out: OutputBuffer, result: number): void {
    if (result === RESULT_UNCLAIMED) return out.flush();
    if (result !== RESULT_NONE) return out.flushWritten(result);
    out.hold();
    this.limbo.push(out);
  }

  /** The writer thread exited: connections whose output it left unknown are closed now. */
  private writerGone(): void {
    this.writer = null;
    const held = this.limbo;
    this.limbo = [];
    for (const out of held) out.release();
  }

  private destroySome(): void {
    const deadline = performance.now() + DESTROY_MS_PER_TURN;
    do {
      const end = Math.min(this.doomed.length, this.doomedHead + DESTROY_BATCH);
      while (this.doomedHead < end) this.doomed[this.doomedHead++]!.destroy();
    } while (this.doomedHead < this.doomed.length && performance.now() < deadline);
    if (this.doomedHead < this.doomed.length) return this.schedule();
    this.doomed = [];
    this.doomedHead = 0;
  }
}

export class OutputBuffer {
  /** A lone frame held by reference: nothing else is pending. */
  private ref: Uint8Array | null = null;
  /** Copied frames: bytes [0, len) of seg. */
  private seg: Buffer | null = null;
  private len = 0;
  /** Finished pieces ahead of seg, only when a big frame was queued this turn. */
  private parts: Uint8Array[] | null = null;
  private frames = 0;
  private marked = false;
  private closeAfter = false;
  /** The writer thread died holding this connection's bytes: output stops until it is closed. */
  private held = false;

  constructor(
    private readonly socket: Socket,
    private readonly queue: FlushQueue,
    private readonly owner: OutputOwner,
  ) {}

  /** Frames queued for the next flush. */
  get queued(): number {
    return this.frames;
  }

  /** Queues a frame the caller will never change again (it may be shared between connections). */
  append(frame: Uint8Array): void {
    if (this.socket.destroyed || this.held) return;
    if (this.frames === 0) this.ref = frame;
    else this.add(frame, true);
    this.queued1();
  }

  /** Queues a copy of `bytes` (the caller reuses its buffer, e.g. one writer for every reply). */
  appendCopy(bytes: Uint8Array): void {
    if (this.socket.destroyed || this.held) return;
    this.add(bytes, false);
    this.queued1();
  }

  /** Flush what is queued, then end the connection (sendCloseSession). */
  endAfterFlush(): void {
    this.closeAfter = true;
    this.markDirty();
  }

  private queued1(): void {
    this.frames++;
    this.markDirty();
  }

  private markDirty(): void {
    if (this.marked) return;
    this.marked = true;
    this.queue.mark(this);
  }

  /** Puts bytes after everything pending; a frame held by reference moves into the segment first. */
  private add(bytes: Uint8Array, owned: boolean): void {
    const r = this.ref;
    if (r !== null) {
      this.ref = null;
      if (r.length + bytes.length < BIG_FRAME) this.reserve(r.length + bytes.length);
      this.place(r, true);
    }
    this.place(bytes, owned);
  }

  private place(bytes: Uint8Array, owned: boolean): void {
    if (bytes.length < BIG_FRAME) return this.copyIn(bytes);
    this.closeSegment();
    (this.parts ??= []).push(owned ? bytes : Buffer.from(bytes));
  }

  private copyIn(bytes: Uint8Array): void {
    const need = this.len + bytes.length;
    if (this.seg === null || need > this.seg.length) this.grow(this.len === 0 ? need : Math.max(MIN_SEGMENT, need * 2));
    this.seg!.set(bytes, this.len);
    this.len = need;
  }

  /** Room for `n` more bytes in the segment (more than one frame is on its way this turn). */
  private reserve(n: number): void {
    if (this.seg === null || this.len + n > this.seg.length) this.grow(Math.max(MIN_SEGMENT, (this.len + n) * 2));
  }

  private grow(size: number): void {
    const next = this.queue.slab.take(size);
    if (this.seg !== null && this.len > 0) this.seg.copy(next, 0, 0, this.len);
    this.seg = next;
  }

  /** Moves the copied bytes into parts (a big frame follows them). */
  private closeSegment(): void {
    if (this.len === 0) return;
    (this.parts ??= []).push(this.seg!.subarray(0, this.len));
    this.takeWritten();
  }

  /** The bytes [0, len) now belong to the socket; the rest of the segment stays ours. */
  private takeWritten(): void {
    const rest = this.seg!.length - this.len;
    this.seg = rest >= KEEP_SEGMENT ? this.seg!.subarray(this.len) : null;
    this.len = 0;
  }

  flush(): void {
    this.marked = false;
    const s = this.socket;
    if (s.destroyed || this.held) return this.drop();
    this.flushed(s, 0);
  }

  /**
   * Puts this connection's bytes in the writer's batch when the thread may write them to the fd
   * directly: one contiguous run (no big frames), nothing already queued in the socket (its bytes
   * would go after ours), no end pending.
   */
  offer(w: SocketWriter): boolean {
    if (this.frames === 0 || this.parts !== null || this.closeAfter || this.held) return false;
    const s = this.socket;
    if (s.destroyed || !s.writable || s.writableLength > 0) return false;
    const fd = (s as unknown as { _handle?: { fd?: number } | null })._handle?.fd;
    if (typeof fd !== 'number' || fd < 0) return false;
    const r = this.ref;
    return r !== null ? w.add(fd, r, r.length) : w.add(fd, this.seg!, this.len);
  }

  /** The writer thread wrote `result` bytes of the offered ones (negative: an errno, none written). */
  flushWritten(result: number): void {
    this.marked = false;
    const s = this.socket;
    if (s.destroyed) return this.drop();
    this.flushed(s, result > 0 ? result : 0);
  }

  /** Writes what is queued past the first `skip` bytes, counts the frames, checks the limit. */
  private flushed(s: Socket, skip: number): void {
    const frames = this.frames;
    if (frames > 0) {
      this.writeOut(s, skip);
      this.frames = 0;
      this.owner.sent(frames);
    }
    if (this.closeAfter) s.end();
    else if (s.writableLength > this.queue.maxPending) this.owner.overflowed();
  }

  /** The writer died with this connection's bytes: nothing more goes out until release. */
  hold(): void {
    this.marked = false;
    this.held = true;
    this.drop();
  }

  /** The writer thread is gone: the connection is closed (its output is unknown). */
  release(): void {
    this.owner.overflowed();
  }

  private writeOut(s: Socket, skip: number): void {
    if (this.ref !== null) {
      const r = this.ref;
      this.ref = null;
      if (skip < r.length) s.write(skip === 0 ? r : r.subarray(skip));
    } else if (this.parts === null) {
      const seg = this.seg!;
      const len = this.len;
      if (skip < len) s.write(skip === 0 && len === seg.length ? seg : seg.subarray(skip, len)); // exact: a first frame's segment
      this.takeWritten();
    } else {
      this.closeSegment();
      const parts = this.parts;
      this.parts = null;
      s.cork();
      for (const p of parts) s.write(p);
      s.uncork();
    }
  }

  private drop(): void {
    this.ref = null;
    this.seg = null;
    this.parts = null;
    this.len = 0;
    this.frames = 0;
  }
}
