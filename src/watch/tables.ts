// The data and child watch tables of one server (DataTree's dataWatches/childWatches pair) and
// delivery of fired notifications. Each watcher id is a connection; the frame a trigger builds once
// is handed to every recipient's output buffer. Recipients must hold READ on the changed node
// (NIOServerCnxn.process(event, znodeAcl), the CVE-2024-23944 fix), checked by the sink.
import { EventType, KeeperState, WatcherType } from '../proto/constants.js';
import { JuteWriter } from '../proto/jute.js';
import type { ACL } from '../data/acl.js';
import type { DataTree, TreeEvents } from '../data/tree.js';
import { WatcherMode, type WatchManager, type WatcherModeBit } from './types.js';

/** Where fired notifications go. `acl` null means "no ACL check" (setWatches catch-up events). */
export interface WatchSink {
  deliver(watcher: number, frame: Uint8Array, acl: readonly ACL[] | null): void;
}

export interface WatchTablesOptions {
  /** Zxid in notification headers: 3.8 sends -1, 3.9+ the triggering txn's zxid. */
  notificationZxid: 'minus1' | 'txn';
  /**
   * '3.8': a (path, watcher) pair holds one mode and a new watch replaces it (WatchManager's
   * setWatcherMode), so a getData watch on a persistently watched path turns it one-shot.
   * '3.9': modes accumulate as bits (ZOOKEEPER-4466).
   */
  modeSemantics?: '3.8' | '3.9';
}

const EMPTY = new Int32Array(0);

export class WatchTables implements TreeEvents {
  private readonly w = new JuteWriter(128);

  constructor(
    readonly data: WatchManager,
    readonly child: WatchManager,
    private readonly sink: WatchSink,
    private readonly opts: WatchTablesOptions = { notificationZxid: 'txn', modeSemantics: '3.9' },
  ) {}

  private z(zxid: bigint): bigint {
    return this.opts.notificationZxid === 'txn' ? zxid : -1n;
  }

  /** Fires `table` and delivers; returns a copy of who was notified (the delete path's suppress set). */
  private fire(table: WatchManager, path: string, type: number, zxid: bigint, acl: ACL[], suppress?: Int32Array): Int32Array {
    // A table without a single watch fires nothing: skip handing the path to the core (every write
    // fires two or three triggers, and a write-only workload has no watches at all).
    if (table.size() === 0) return EMPTY;
    const r = table.triggerWatch(path, type, this.z(zxid), suppress);
    const n = r.watchers.length;
    if (n === 0) return EMPTY;
    // The trigger's views last only until the next call: copy the frame once, share the copy.
    const frame = Buffer.from(r.frame);
    const watchers = r.watchers.slice();
    for (let i = 0; i < n; i++) this.sink.deliver(watchers[i]!, frame, acl);
    return watchers;
  }

  created(path: string, parent: string, zxid: bigint, acl: ACL[], parentAcl: ACL[]): void {
    this.fire(this.data, path, EventType.NodeCreated, zxid, acl);
    this.fire(this.child, parent, EventType.NodeChildrenChanged, zxid, parentAcl);
  }

  /** One NodeDeleted per watcher even when it held both a data and a child watch. */
  deleted(path: string, parent: string, zxid: bigint, acl: ACL[], parentAcl: ACL[]): void {
    const processed = this.fire(this.data, path, EventType.NodeDeleted, zxid, acl);
    this.fire(this.child, path, EventType.NodeDeleted, zxid, acl, processed);
    this.fire(this.child, parent, EventType.NodeChildrenChanged, zxid, parentAcl);
  }

  dataChanged(path: string, zxid: bigint, acl: ACL[]): void {
    this.fire(this.data, path, EventType.NodeDataChanged, zxid, acl);
  }

  /** Adds a watch to one table, replacing the pair's mode under 3.8 semantics. */
  add(table: WatchManager, path: string, watcher: number, mode: WatcherModeBit = WatcherMode.Standard): void {
    if (this.opts.modeSemantics === '3.8') table.removeWatch(path, watcher);
    table.addWatch(path, watcher, mode);
  }

  /** DataTree.addWatch: persistent watches go in both tables, recursive ones only in the data table. */
  addPersistent(path: string, watcher: number, recursive: boolean): void {
    if (recursive) {
      this.add(this.data, path, watcher, WatcherMode.PersistentRecursive);
      return;
    }
    this.add(this.data, path, watcher, WatcherMode.Persistent);
    this.add(this.child, path, watcher, WatcherMode.Persistent);
  }

  /** DataTree.containsWatcher by WatcherType. */
  contains(path: string, type: number, watcher: number): boolean {
    switch (type) {
      case WatcherType.Children: return this.child.containsWatcher(path, watcher);
      case WatcherType.Data: return this.data.containsWatcher(path, watcher);
      case WatcherType.Any: return this.child.containsWatcher(path, watcher) || this.data.containsWatcher(path, watcher);
      case WatcherType.Persistent: return this.data.containsWatcher(path, watcher, WatcherMode.Persistent);
      case WatcherType.PersistentRecursive: return this.data.containsWatcher(path, watcher, WatcherMode.PersistentRecursive);
    }
    return false;
  }

  /** DataTree.removeWatch by WatcherType; true when something was removed. */
  remove(path: string, type: number, watcher: number): boolean {
    const both = (mode?: WatcherModeBit): boolean => {
      const c = this.child.removeWatch(path, watcher, mode);
      const d = this.data.removeWatch(path, watcher, mode);
      return c || d;
    };
    switch (type) {
      case WatcherType.Children: return this.child.removeWatch(path, watcher);
      case WatcherType.Data: return this.data.removeWatch(path, watcher);
      case WatcherType.Any: return both();
      case WatcherType.Persistent: return both(WatcherMode.Persistent);
      case WatcherType.PersistentRecursive: return this.data.removeWatch(path, watcher, WatcherMode.PersistentRecursive);
    }
    return false;
  }

  /**
   * removeWatcher in slices over both tables: drops at most about `budget` watches per table and
   * returns true once every watch of `watcher` is gone (false: call again, on a later loop turn).
   * A table without a budgeted removal (the TypeScript reference) drops everything at once.
   */
  removeWatcherSome(watcher: number, budget: number): boolean {
    return removeSome(this.data, watcher, budget) && removeSome(this.child, watcher, budget);
  }

  /** Connection gone: drop all of its watches (DataTree.removeCnxn). */
  removeWatcher(watcher: number): void {
    this.data.removeWatcher(watcher);
    this.child.removeWatcher(watcher);
  }

  /**
   * DataTree.setWatches: re-registers a reconnecting client's watches, firing at once (and not
   * registering) those whose node changed after relativeZxid. Catch-up events carry zxid -1 and no
   * ACL check, as ZooKeeper sends them through watcher.process(event) without an ACL.
   */
  setWatches(tree: DataTree, watcher: number, sw: SetWatchesLists): void {
    for (const p of sw.dataWatches) {
      const n = tree.get(p);
      if (!n) this.catchUp(watcher, EventType.NodeDeleted, p);
      else if (n.stat.mzxid > sw.relativeZxid) this.catchUp(watcher, EventType.NodeDataChanged, p);
      else this.add(this.data, p, watcher);
    }
    for (const p of sw.existWatches) {
      if (tree.get(p)) this.catchUp(watcher, EventType.NodeCreated, p);
      else this.add(this.data, p, watcher);
    }
    for (const p of sw.childWatches) {
      const n = tree.get(p);
      if (!n) this.catchUp(watcher, EventType.NodeDeleted, p);
      else if (n.stat.pzxid > sw.relativeZxid) this.catchUp(watcher, EventType.NodeChildrenChanged, p);
      else this.add(this.child, p, watcher);
    }
    for (const p of sw.persistentWatches ?? []) this.addPersistent(p, watcher, false);
    for (const p of sw.persistentRecursiveWatches ?? []) this.addPersistent(p, watcher, true);
  }

  private catchUp(watcher: number, type: number, path: string): void {
    this.sink.deliver(watcher, notificationFrame(this.w, type, path), null);
  }
}

/** The WASM manager's budgeted removal (true once the watcher is gone), where the table has it. */
type Budgeted = WatchManager & { removeWatcherSome?(watcher: number, budget: number): boolean };

function removeSome(t: Budgeted, watcher: number, budget: number): boolean {
  if (t.removeWatcherSome) return t.removeWatcherSome(watcher, budget);
  t.removeWatcher(watcher);
  return true;
}

export interface SetWatchesLists {
  relativeZxid: bigint;
  dataWatches: string[];
  existWatches: string[];
  childWatches: string[];
  persistentWatches?: string[];
  persistentRecursiveWatches?: string[];
}

/** A whole notification frame: length, ReplyHeader{-1, -1, 0}, WatcherEvent{type, SyncConnected, path}. */
export function notificationFrame(w: JuteWriter, type: number, path: string, zxid = -1n): Buffer {
  w.reset().int(0).int(-1).long(zxid).int(0).int(type).int(KeeperState.SyncConnected).ustring(path);
  w.patchInt(0, w.offset - 4);
  return w.bytes();
}
