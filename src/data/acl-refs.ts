// The ACL cache ZooKeeper keeps beside its tree (ReferenceCountedACLCache): each distinct ACL list
// gets a long ref, snapshots store the ref table before the nodes and each node by ref. Here the
// tree interns every list it stores, so equal lists share one array and a snapshot finds a node's
// ref in O(1). Refs are handed out in the order lists first appear (1, 2, ...), as ZooKeeper's
// convertAcls does, and the table only grows: a ref written into a snapshot never changes meaning,
// and a fuzzy snapshot's late nodes use refs that replaying their create txns hands out again.
import type { ACL } from './acl.js';

/** ZooKeeper's ref for a null ACL list: OPEN_ACL_UNSAFE without a cache entry. */
export const OPEN_UNSAFE_REF = -1n;

function keyOf(acl: readonly ACL[]): string {
  let k = '';
  for (const a of acl) k += `${a.perms}\u0000${a.id.scheme}\u0000${a.id.id}\u0001`;
  return k;
}

function sameEntry(a: ACL, b: ACL): boolean {
  return a.perms === b.perms && a.id.scheme === b.id.scheme && a.id.id === b.id.id;
}

export class AclTable {
  private readonly byKey = new Map<string, ACL[]>();
  private readonly refs = new Map<ACL[], bigint>();
  private readonly lists = new Map<bigint, ACL[]>();
  private nextRef = 1n;
  /** The last one-entry list interned: creates repeat the same ACL, this skips building its key. */
  private lastOne: ACL[] | null = null;

  /** The canonical array equal to `acl`, given a ref when first seen. */
  intern(acl: readonly ACL[]): ACL[] {
    if (acl.length === 1 && this.lastOne !== null && sameEntry(acl[0]!, this.lastOne[0]!)) return this.lastOne;
    if (this.refs.has(acl as ACL[])) return acl as ACL[];
    const key = keyOf(acl);
    const list = this.byKey.get(key) ?? this.put(this.nextRef, [...acl], key);
    if (list.length === 1) this.lastOne = list;
    return list;
  }

  /** Seeds a ref read from a snapshot (its number is kept so later snapshots agree with it). */
  seed(ref: bigint, acl: readonly ACL[]): ACL[] {
    const key = keyOf(acl);
    const known = this.byKey.get(key);
    if (known) return known;
    return this.put(ref, [...acl], key);
  }

  private put(ref: bigint, list: ACL[], key: string): ACL[] {
    this.byKey.set(key, list);
    this.refs.set(list, ref);
    this.lists.set(ref, list);
    if (ref >= this.nextRef) this.nextRef = ref + 1n;
    return list;
  }

  /** The ref of an interned list (interning it when the tree was handed a foreign array). */
  refOf(acl: readonly ACL[]): bigint {
    return this.refs.get(acl as ACL[]) ?? this.refs.get(this.intern(acl))!;
  }

  /** A copy of the ref table, for a snapshot's ACL section. */
  entries(): Map<bigint, ACL[]> {
    return new Map(this.lists);
  }

  listOf(ref: bigint): ACL[] | undefined {
    return this.lists.get(ref);
  }

  /** Forgets every ref (before a snapshot's table is seeded). */
  clear(): void {
    this.byKey.clear();
    this.refs.clear();
    this.lists.clear();
    this.nextRef = 1n;
    this.lastOne = null;
  }

  get size(): number {
    return this.lists.size;
  }
}
