// Heap blocks for the watch table, with a running count of the bytes they occupy (payload plus
// the allocator's 4-byte header), so the JS side can report bytes per watch without guessing at
// allocator slack. Only unmanaged memory (heap.alloc) is used: no GC object is ever created, so a
// trap inside the allocator (memory.grow refused) leaves nothing half-built in the runtime.

/** Bytes held by live blocks, headers included. */
export let heapBytes: usize = 0;

/** TLSF keeps the payload size in the word before the block, with two tag bits. */
@inline function blockBytes(ptr: usize): usize {
  return (load<u32>(ptr - 4) & ~3) + 4;
}

/** Allocates `size` bytes (contents undefined). Traps when memory cannot grow. */
export function alloc(size: usize): usize {
  const ptr = heap.alloc(size);
  heapBytes += blockBytes(ptr);
  return ptr;
}

/** Allocates `size` zeroed bytes. */
export function allocZeroed(size: usize): usize {
  const ptr = alloc(size);
  memory.fill(ptr, 0, size);
  return ptr;
}

/** Frees a block from alloc (0 is ignored). */
export function free(ptr: usize): void {
  if (ptr == 0) return;
  heapBytes -= blockBytes(ptr);
  heap.free(ptr);
}

/**
 * Shrinks a block in place to `size` bytes. TLSF splits the tail off without allocating, so this
 * can never trap: removals use it to give memory back without risking an out-of-memory midway.
 */
export function shrinkInPlace(ptr: usize, size: usize): void {
  heapBytes -= blockBytes(ptr);
  const same = heap.realloc(ptr, size);
  heapBytes += blockBytes(same);
}
