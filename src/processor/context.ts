// What the processors need from the server, in one place (ZooKeeperServer's role in the chain).
import { checkACL, type ACL } from '../data/acl.js';
import type { DataTree } from '../data/tree.js';
import { Err } from '../proto/constants.js';
import type { WatchTables } from '../watch/tables.js';
import type { ChangeTable } from './changes.js';
import { OpError, type Request } from './request.js';

export interface SessionControl {
  /** Marks a session closing so expiry and new requests leave it alone (setSessionClosing). */
  setClosing(sessionId: bigint): void;
  /** Forgets the session once its closeSession txn is applied. */
  remove(sessionId: bigint): void;
}

export interface ProcessorContext {
  readonly tree: DataTree;
  readonly changes: ChangeTable;
  readonly watches: WatchTables;
  readonly sessions: SessionControl;
  readonly superDigest?: string;
  /** zookeeper.extendedTypesEnabled: TTL nodes. Off by default, as in ZooKeeper. */
  readonly extendedTypes: boolean;
  /** The next zxid (ZooKeeperServer.getNextZxid): increments the counter. */
  nextZxid(): bigint;
  /** Called when the session's closeSession is applied, to drop its connection. */
  sessionClosed(sessionId: bigint): void;
}

/** ZooKeeperServer.checkACL: NoAuth unless some entry grants `perm` to the requester. */
export function requirePerm(ctx: ProcessorContext, req: Request, acl: readonly ACL[], perm: number, path: string): void {
  const ids = req.client?.authIds ?? [];
  if (!checkACL(acl, perm, ids, ctx.superDigest)) throw new OpError(Err.noAuth, path);
}
