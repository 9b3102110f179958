// The server's DataTree in the persistence layer's terms (DataTree.serialize / deserialize): a
// snapshot loads into the tree node by node, and the tree streams out as SnapshotNodes for a
// snapshot while it keeps changing (ZooKeeper's fuzzy snapshot). Replaying the txns logged after
// the snapshot's zxid repairs whatever the walk saw half-way.
import { OPEN_ACL_UNSAFE, type ACL } from '../../data/acl.js';
import { OPEN_UNSAFE_REF } from '../../data/acl-refs.js';
import type { DataTree } from '../../data/tree.js';
import type { SnapshotContent, SnapshotNode } from '../types.js';

export interface LoadReport {
  nodes: number;
  /** Nodes whose ACL ref the snapshot's cache lacked (a fuzzy snapshot; their create replays). */
  danglingAclRefs: number;
}

/** Replaces the tree's contents with the snapshot's; lastProcessedZxid becomes its zxid. */
export function loadSnapshot(tree: DataTree, snap: SnapshotContent): LoadReport {
  tree.clear();
  for (const [ref, list] of snap.acls) tree.acls.seed(ref, list);
  let dangling = 0;
  for (const n of snap.nodes) {
    let acl: readonly ACL[] | undefined = n.aclRef === OPEN_UNSAFE_REF ? OPEN_ACL_UNSAFE : tree.acls.listOf(n.aclRef);
    if (!acl) {
      dangling++;
      acl = OPEN_ACL_UNSAFE;
    }
    tree.loadNode(n.path, n.data, acl, { ...n.stat });
  }
  tree.ensureSystemNodes();
  tree.lastProcessedZxid = snap.zxid;
  return { nodes: snap.nodes.length, danglingAclRefs: dangling };
}

/**
 * Every node, parents before their children, root first under "" (DataTree.serialize's contract;
 * ZooKeeper's reader rejects a node whose parent it has not read yet). The walk is the node map's
 * insertion order rather than ZooKeeper's depth-first one: a node is always inserted after its
 * parent and a parent cannot be deleted while it has children, so insertion order already puts
 * every parent first, and it needs no path joins or lookups. Map iteration is defined under
 * mutation (ZooKeeper's fuzzy snapshot): a node deleted before it is reached is skipped, one
 * created meanwhile is written after its parent (its create txn also replays, harmlessly).
 *
 * One object is reused for every node and its stat is the node's own, not a copy: the snapshot
 * writer encodes each node before asking for the next, without yielding to the event loop.
 */
export function* treeNodes(tree: DataTree): Generator<SnapshotNode> {
  const root = tree.get('/');
  if (!root) return;
  const out: SnapshotNode = { path: '', data: root.data, aclRef: tree.acls.refOf(root.acl), stat: root.stat };
  yield out;
  for (const [path, n] of tree.nodes) {
    if (path === '/') continue;
    out.path = path;
    out.data = n.data;
    out.aclRef = tree.acls.refOf(n.acl);
    out.stat = n.stat;
    yield out;
  }
}
