// Container and TTL reaping (ContainerManager.java): every check interval, empty containers that
// once had children (cversion > 0, so a fresh container is not reaped before use) and empty TTL
// nodes untouched for longer than their TTL are deleted through the normal request chain, at most
// maxPerMinute per minute.
import { ephemeralKind, ttlOf } from './ephemeral.js';
import type { DataTree } from './tree.js';

export interface ContainerOptions {
  /** znode.container.checkIntervalMs, default 60000. */
  checkIntervalMs: number;
  /** znode.container.maxPerMinute, default 10000. */
  maxPerMinute: number;
  /** znode.container.maxNeverUsedIntervalMs, default 0 (never reap unused containers). */
  maxNeverUsedIntervalMs: number;
}

export const defaultContainerOptions: ContainerOptions = { checkIntervalMs: 60000, maxPerMinute: 10000, maxNeverUsedIntervalMs: 0 };

/** ContainerManager.getCandidates at wall time `now`. */
export function containerCandidates(tree: DataTree, opts: ContainerOptions, now: number): string[] {
  const out: string[] = [];
  for (const path of tree.containers) {
    const n = tree.get(path);
    if (!n || n.children.size > 0) continue;
    const unusedTooLong = opts.maxNeverUsedIntervalMs !== 0 && now - Number(n.stat.mtime) > opts.maxNeverUsedIntervalMs;
    if (n.stat.cversion > 0 || unusedTooLong) out.push(path);
  }
  for (const path of tree.ttls) {
    const n = tree.get(path);
    if (!n || n.children.size > 0 || ephemeralKind(n.stat.ephemeralOwner, tree.extendedTypes) !== 'ttl') continue;
    const ttl = Number(ttlOf(n.stat.ephemeralOwner));
    if (ttl !== 0 && now - Number(n.stat.mtime) > ttl) out.push(path);
  }
  return out;
}

/** Runs the periodic check; `reap` submits one deleteContainer request. */
export class ContainerManager {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly tree: DataTree,
    private readonly opts: ContainerOptions,
    private readonly reap: (path: string) => void,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.check(), this.opts.checkIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One pass; the per-pass cap stands in for ZooKeeper's sleep between deletes. */
  check(now = Date.now()): number {
    const cap = Math.max(1, Math.floor((this.opts.maxPerMinute * this.opts.checkIntervalMs) / 60000));
    const paths = containerCandidates(this.tree, this.opts, now).slice(0, cap);
    for (const p of paths) this.reap(p);
    return paths.length;
  }
}
