// The order ZooKeeper lists a node's children in: DataTree.getChildren copies the node's
// HashSet<String>, created as `new HashSet<>(8)` on the first child, so clients see Java's hash
// iteration order. A java.util.HashMap iterates its table from bucket 0 upward, and within a
// bucket in insertion order (appends go to the bin's tail; resizes and removals keep relative
// order). The bucket is (h ^ h >>> 16) & (capacity - 1) with h = String.hashCode, and the capacity
// only grows: 8 to start, doubled whenever the size passes 3/4 of it. A JS Set keeps insertion
// order (re-adding after a delete moves to the end, as in a Java bin), so ordering a node's Set by
// bucket, stably, under the capacity its largest size implied gives ZooKeeper's order.
//
// Not exact: a bin that reaches 9 names (pathological hash clustering) is treeified by Java or
// forces an early resize below 64 buckets; the resize is approximated, tree-bin order is not.

const MIN_TABLE = 8;
const TREEIFY_THRESHOLD = 8;
const MIN_TREEIFY_CAPACITY = 64;

/** String.hashCode over UTF-16 code units, as an int32. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** The table size a HashSet(8) has after holding `maxSize` entries at once. */
export function hashSetCapacity(maxSize: number): number {
  let cap = MIN_TABLE;
  while (maxSize > cap * 0.75) cap *= 2;
  return cap;
}

function bucketsOf(names: readonly string[], cap: number): Int32Array {
  const b = new Int32Array(names.length);
  for (let i = 0; i < names.length; i++) {
    const h = javaStringHash(names[i]!);
    b[i] = (h ^ (h >>> 16)) & (cap - 1);
  }
  return b;
}

/** A bin past the treeify threshold below 64 buckets makes Java resize instead. */
function overfull(buckets: Int32Array, cap: number): boolean {
  if (cap >= MIN_TREEIFY_CAPACITY) return false;
  const counts = new Int32Array(cap);
  for (const b of buckets) if (++counts[b] > TREEIFY_THRESHOLD) return true;
  return false;
}

/**
 * The children in Java HashSet iteration order. `maxSize` is the most children the node held at
 * once since its set was built (ZooKeeper never shrinks the table). O(n + capacity).
 */
export function javaHashSetOrder(children: Iterable<string>, maxSize: number): string[] {
  const names = [...children];
  if (names.length < 2) return names;
  let cap = hashSetCapacity(Math.max(maxSize, names.length));
  let buckets = bucketsOf(names, cap);
  while (overfull(buckets, cap)) buckets = bucketsOf(names, (cap *= 2));
  // Counting sort by bucket: stable, so insertion order is kept within a bucket.
  const start = new Int32Array(cap + 1);
  for (const b of buckets) start[b + 1]++;
  for (let i = 0; i < cap; i++) start[i + 1] += start[i];
  const out = new Array<string>(names.length);
  for (let i = 0; i < names.length; i++) out[start[buckets[i]]++] = names[i]!;
  return out;
}
