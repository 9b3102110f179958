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

/** The run of blocks freeRun is gathering: [runStart, runEnd) in payload addresses. */
let runStart: usize = 0;
let runEnd: usize = 0;
/** Runs stay far below TLSF's largest block (1 GiB). */
const RUN_MAX: usize = 1 << 20;

/**
 * free() for a batch of blocks, finished by flushRun(): blocks lying back to back in memory are
 * freed as one. Freeing them one by one costs TLSF a list removal and an insertion each (it merges
 * every freed block with its free left neighbour); a sweep freeing a million path copies that were
 * allocated in a row saves ~15 ns apiece. Relies on the TLSF header described at blockBytes: the
 * size word before a payload, the next block's header right after it. Nothing may allocate or
 * free between freeRun and flushRun.
 */
export function freeRun(ptr: usize): void {
  const bytes = blockBytes(ptr);
  heapBytes -= bytes;
  if (runStart != 0 && ptr == runEnd && runEnd - runStart < RUN_MAX) {
    runEnd += bytes;
    return;
  }
  flushRun();
  runStart = ptr;
  runEnd = ptr + bytes;
}

/** Frees the gathered run: the first block's size word widened over the rest, then one free. */
export function flushRun(): void {
  if (runStart == 0) return;
  const info = load<u32>(runStart - 4);
  store<u32>(runStart - 4, <u32>(runEnd - runStart - 4) | (info & 3));
  heap.free(runStart);
  runStart = 0;
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
