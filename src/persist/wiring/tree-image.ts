// The server's DataTree in the persistence layer's terms (DataTree.serialize / deserialize): a
// snapshot loads into the tree node by node, and the tree streams out as SnapshotNodes for a
// snapshot while it keeps changing (ZooKeeper's fuzzy snapshot). Replaying the txns logged after
// the snapshot's zxid repairs whatever the walk saw half-way.
import { OPEN_ACL_UNSAFE, type ACL } from '../../data/acl.js';
import { OPEN_UNSAFE_REF } from '../../data/acl-refs.js';
import { joinPath, type DataNode } from '../../data/node.js';
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

function image(tree: DataTree, path: string, n: DataNode): SnapshotNode {
  // The stat is copied: the walk yields to the event loop and the node may change meanwhile.
  return { path: path === '/' ? '' : path, data: n.data, aclRef: tree.acls.refOf(n.acl), stat: { ...n.stat } };
}

interface Frame {
  path: string;
  names: string[];
  next: number;
}

/**
 * Every node, parents before children, as DataTree.serializeNode walks them: depth first over a
 * copy of each node's child names taken when the node is written. A child created after that copy
 * is not written (its create txn comes after the snapshot's zxid and replays); one deleted before
 * it is reached is skipped. Each path is written at most once.
 */
export function* treeNodes(tree: DataTree): Generator<SnapshotNode> {
  const root = tree.get('/');
  if (!root) return;
  yield image(tree, '/', root);
  const stack: Frame[] = [{ path: '/', names: [...root.children], next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next >= top.names.length) {
      stack.pop();
      continue;
    }
    const path = joinPath(top.path, top.names[top.next++]!);
    const n = tree.get(path);
    if (!n) continue;
    yield image(tree, path, n);
    if (n.children.size > 0) stack.push({ path, names: [...n.children], next: 0 });
  }
}
