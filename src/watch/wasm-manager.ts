// The drop-in WatchManager backed by the WASM core (assembly/). Each manager owns one instance and
// its memory, so DataTree's data and child managers are independent; the suppress list handed from
// one trigger to the other is a plain Int32Array copy into the second instance's buffer.
// Only numbers cross the boundary: path bytes are written into the core's input buffer (copied
// from a Uint8Array, or TextEncoder.encodeInto for strings), results are read through typed-array
// views. Any call that can allocate may grow memory, which detaches every view, so views are
// rebuilt whenever memory.buffer changed. A failed memory.grow traps inside the core before any
// table mutation (the core reserves first); we call recover() and throw WatchMemoryError.
// Order: triggerWatch lists watchers in table order (not sorted); reports list watcher ids in
// ascending order and each watcher's paths in table order.
import { instantiateWatchCore, WasmAbortError, type WatchCoreOptions } from '../wasm/loader.js';
import type { WatchCoreExports } from '../wasm/watchcore.js';
import { fastAdd } from '../wasm/fast-add.js';
import { PathIdCache } from '../wasm/path-ids.js';
import { ResultViews } from '../wasm/result-views.js';
import { StatusWord } from '../wasm/status.js';
import { checkMode, checkWatcher } from './args.js';
import { decodePath, validatePath, validatePathBytes } from './path.js';
import {
  InvalidPathError,
  WatcherMode,
  WatchMemoryError,
  type TriggerResult,
  type WatchManager,
  type WatcherModeBit,
  type WatchesSummary,
} from './types.js';

export type WasmWatchManagerOptions = WatchCoreOptions;

const encoder = new TextEncoder();
const INVALID = -1;
/** addWatchId / triggerId: the cached path id is no longer interned (assembly/table.ts). */
const STALE = -2;
/** addWatch's answer bit: the path was interned by this call, under a possibly reused id. */
const FRESH = 2;
/** reportCursor() when a report is complete (u32 0xffffffff read as i32). */
const REPORT_DONE = -1;

/**
 * One small manager kept for the life of the process, made with the first one. V8 keeps the hidden
 * classes (maps) of a manager and of its parts only while some object uses them, and optimized
 * code that checks a map is thrown away when the map is collected. So when the last manager was
 * collected (a benchmark drops one per round) every hot method was deoptimized ("weak objects" in
 * --trace-deopt, for addWatch, PathIdCache.get, syncViews...) and the next manager's adds ran
 * unoptimized until V8 recompiled them, often inside the timed loop. Costs one instance with its
 * initial 1 MiB of memory.
 */
let shapeKeeper: WasmWatchManager | null | undefined;

export class WasmWatchManager implements WatchManager {
  private readonly core: WatchCoreExports;
  private readonly memory: WebAssembly.Memory;
  private buffer!: ArrayBuffer;
  private bytes!: Uint8Array;
  private ids!: Int32Array;
  /** The input buffer, exactly; encodeInto writes into it. */
  private input!: Uint8Array;
  private inputPtr = 0;
  /** Index in `ids` of the core's status words (output ptr, frame ptr, frame length, paths). */
  private readonly statusWord: number;
  private readonly pathIds = new PathIdCache();
  private readonly views = new ResultViews();

  constructor(opts: WasmWatchManagerOptions = {}) {
    const { exports, memory } = instantiateWatchCore(opts);
    this.core = exports;
    this.memory = memory;
    this.statusWord = exports.statusPtr() >>> 2;
    this.rebuildViews();
    if (shapeKeeper === undefined) {
      shapeKeeper = null; // the keeper's own construction must not make another
      shapeKeeper = new WasmWatchManager({ build: opts.build, maximumPages: 16 });
    }
  }

  /** Recreates the views after memory grew or the input buffer moved. */
  private rebuildViews(): void {
    this.buffer = this.memory.buffer as ArrayBuffer;
    this.bytes = new Uint8Array(this.buffer);
    this.ids = new Int32Array(this.buffer);
    this.inputPtr = this.core.inputPtr();
    this.input = new Uint8Array(this.buffer, this.inputPtr, this.core.inputCap());
  }

  private syncViews(): void {
    // memory.grow detaches the old buffer, so every view over it drops to length 0: a length
    // check is cheaper than reading memory.buffer on every call.
    if (this.bytes.length === 0) this.rebuildViews();
  }

  /** Writes the path's UTF-8 bytes into the input buffer; returns their length. */
  private writePath(path: string | Uint8Array): number {
    if (typeof path !== 'string') {
      if (path.length > this.input.length) this.growInput(path.length);
      this.bytes.set(path, this.inputPtr);
      return path.length;
    }
    const n = path.length;
    const input = this.input;
    if (n <= input.length) {
      // Short ASCII paths (the usual case) are copied by hand: cheaper than encodeInto's result object.
      let i = 0;
      for (; i < n; i++) {
        const c = path.charCodeAt(i);
        if (c >= 0x80) break;
        input[i] = c;
      }
      if (i === n) return n;
    }
    let r = encoder.encodeInto(path, this.input);
    if (r.read < path.length) {
      this.growInput(path.length * 3);
      r = encoder.encodeInto(path, this.input);
    }
    return r.written;
  }

  private growInput(bytes: number): void {
    this.guard(() => this.core.ensureInput(bytes));
    this.rebuildViews();
  }

  /** Runs a core call that may allocate; maps an out-of-memory trap to WatchMemoryError. */
  private guard<T>(call: () => T): T {
    try {
      return call();
    } catch (e) {
      throw this.failed(e);
    } finally {
      this.syncViews();
    }
  }

  private failed(e: unknown): Error {
    this.core.recover();
    const oom =
      (e instanceof WebAssembly.RuntimeError && /unreachable/.test(e.message)) ||
      (e instanceof WasmAbortError && /Allocation too large/.test(e.message));
    if (!oom) return e as Error;
    const mib = this.memory.buffer.byteLength / 2 ** 20;
    return new WatchMemoryError(`watch table out of memory at ${mib} MiB (${this.core.totalWatches()} watches); nothing was changed`);
  }

  /** The reason ZooKeeper gives for an invalid path (the core only says "invalid"). */
  private invalid(path: string | Uint8Array): InvalidPathError {
    try {
      if (typeof path === 'string') validatePath(path);
      else validatePathBytes(path);
    } catch (e) {
      if (e instanceof InvalidPathError) return e;
    }
    const text = typeof path === 'string' ? path : decodePath(path);
    return new InvalidPathError(text, 'invalid path');
  }

  addWatch(path: string | Uint8Array, watcher: number, mode: WatcherModeBit = WatcherMode.Standard): boolean {
    checkWatcher(watcher);
    checkMode(mode);
    if (typeof path === 'string' && this.pathIds.on) {
      const id = this.pathIds.get(path);
      if (id !== undefined) {
        if (mode === WatcherMode.Standard) {
          const f = fastAdd(this.ids, this.statusWord, id, watcher);
          if (f >= 0) return f === 1;
        }
        let r: number;
        try {
          r = this.core.addWatchId(id, watcher, mode);
        } catch (e) {
          this.fail(e);
        }
        this.syncViews();
        if (r !== STALE) return r === 1;
        this.pathIds.stale(path);
      }
    }
    const len = this.writePath(path);
    let r: number;
    try {
      r = this.core.addWatch(len, watcher, mode);
    } catch (e) {
      this.fail(e);
    }
    this.syncViews();
    if (r === INVALID) throw this.invalid(path);
    this.pathIds.learn(path, r >>> 2, (r & FRESH) !== 0, this.ids[this.statusWord + StatusWord.PATHS]!, this.size());
    return (r & 1) === 1;
  }

  /**
   * After a core call that may allocate threw: resync the views and rethrow (an out-of-memory
   * trap as WatchMemoryError). Call sites use try/catch inline: a closure per call costs ~10 ns.
   */
  private fail(e: unknown): never {
    this.syncViews();
    throw this.failed(e);
  }

  containsWatcher(path: string | Uint8Array, watcher: number, mode?: WatcherModeBit): boolean {
    checkWatcher(watcher);
    if (mode !== undefined) checkMode(mode);
    const r = this.core.containsWatch(this.writePath(path), watcher, mode ?? 0);
    if (r === INVALID) throw this.invalid(path);
    return r === 1;
  }

  removeWatch(path: string | Uint8Array, watcher: number, mode?: WatcherModeBit): boolean {
    checkWatcher(watcher);
    if (mode !== undefined) checkMode(mode);
    const r = this.core.removeWatch(this.writePath(path), watcher, mode ?? 0);
    if (r === INVALID) throw this.invalid(path);
    return r === 1;
  }

  removeWatcher(watcher: number): void {
    checkWatcher(watcher);
    this.core.removeWatcher(watcher);
  }

  /**
   * removeWatcher in slices, for a server that must keep its event loop responsive while a
   * session with very many watches closes: ends at most `budget` (>= 1) of the watcher's watches
   * and returns true once the watcher is gone, false when the caller should call again (on a later
   * loop turn). Between slices the table is consistent; the watcher just has fewer watches. Do not
   * hand the watcher id to a new session before this returned true.
   */
  removeWatcherSome(watcher: number, budget: number): boolean {
    return this.removeWatcherWithin(watcher, budget) >= 0;
  }

  /**
   * removeWatcherSome for a budget shared by several watchers in one loop turn (the shape of
   * bench/results/close-storm-fix.patch): returns the budget left once the watcher is gone, or -1
   * when the budget ran out first. A budget below 1 counts as 1, so every call makes progress.
   */
  removeWatcherWithin(watcher: number, budget: number): number {
    checkWatcher(watcher);
    return this.core.removeWatcherSome(watcher, Math.max(1, Math.min(budget, 0x7fffffff) | 0));
  }

  triggerWatch(path: string | Uint8Array, type: number, zxid: bigint, suppress?: ArrayLike<number>): TriggerResult {
    const suppressed = suppress ? this.writeSuppress(suppress) : 0;
    let n = STALE;
    if (typeof path === 'string' && this.pathIds.on) {
      const id = this.pathIds.get(path);
      if (id !== undefined) {
        try {
          n = this.core.triggerId(id, type, zxid, suppressed);
        } catch (e) {
          this.fail(e);
        }
      }
      if (n === STALE && id !== undefined) this.pathIds.stale(path);
    }
    if (n === STALE) {
      // writePath may grow the input buffer; the suppressed ids wait in the output buffer.
      const len = this.writePath(path);
      try {
        n = this.core.trigger(len, type, zxid, suppressed);
      } catch (e) {
        this.fail(e);
      }
    }
    this.syncViews();
    if (n === INVALID) throw this.invalid(path);
    return this.views.result(this.buffer, this.ids, this.statusWord, n);
  }

  /** Copies suppressed ids into the output buffer, where the core reads them first. */
  private writeSuppress(suppress: ArrayLike<number>): number {
    const n = suppress.length;
    if (n === 0) return 0;
    if (n > this.core.outputCap()) this.guard(() => this.core.ensureOutput(n));
    const at = this.core.outputPtr() >>> 2;
    if (suppress instanceof Int32Array) this.ids.set(suppress, at);
    else for (let i = 0; i < n; i++) this.ids[at + i] = suppress[i];
    return n;
  }

  /** Read from the core's status words: no call into WASM (fires check it on every write). */
  size(): number {
    return this.ids[this.statusWord + StatusWord.TOTAL]! >>> 0;
  }

  summary(): WatchesSummary {
    return {
      numConnections: this.core.connections(),
      numPaths: this.core.pathsWatched(),
      totalWatches: this.size(),
    };
  }

  watchesByWatcher(): Map<number, string[]> {
    const out = new Map<number, string[]>();
    const names = new Map<number, string>();
    const limit = this.core.watcherLimit();
    for (let w = 0; w < limit; w++) {
      if (!this.core.isRegistered(w)) continue;
      // A watcher's vector may name an id twice until it is compacted (assembly/vec.ts).
      const ids = new Set(this.readList((from) => this.core.reportWatcher(w, from)));
      out.set(w, Array.from(ids, (id) => this.pathName(id, names)));
    }
    return out;
  }

  watchesByPath(): Map<string, number[]> {
    const out = new Map<string, number[]>();
    const limit = this.core.pathIdLimit();
    for (let id = 1; id < limit; id++) {
      if (!this.core.pathLive(id)) continue;
      const name = this.pathName(id, new Map());
      out.set(name, this.readList((from) => this.core.reportPath(id, from)).sort((a, b) => a - b));
    }
    return out;
  }

  /**
   * Runs a report export chunk by chunk (each fills at most the output buffer, so reports never
   * allocate inside the core) and collects the ids it listed.
   */
  private readList(report: (from: number) => number): number[] {
    const out: number[] = [];
    let from = 0;
    do {
      const n = report(from);
      const at = this.core.outputPtr() >>> 2;
      for (let i = 0; i < n; i++) out.push(this.ids[at + i]);
      from = this.core.reportCursor();
    } while (from !== REPORT_DONE);
    return out;
  }

  private pathName(id: number, cache: Map<number, string>): string {
    let name = cache.get(id);
    if (name === undefined) {
      const at = this.core.pathBytes(id);
      name = decodePath(this.bytes.subarray(at, at + this.core.pathLength(id)));
      cache.set(id, name);
    }
    return name;
  }

  /**
   * Walks the whole table and returns 0 when every invariant holds, else the number of the first
   * broken one (assembly/check.ts). O(table size): for tests and diagnostics.
   */
  checkConsistency(): number {
    return this.core.checkTable();
  }

  /** Pairs holding a persistent-recursive bit. */
  recursiveWatchCount(): number {
    return this.core.recursiveWatches();
  }

  /** Bytes in the core's live heap blocks (tables, sets, path copies, I/O buffers). */
  heapBytes(): number {
    return this.core.heapBytes();
  }

  /** Size of the instance's memory (it never shrinks). */
  memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }
}
