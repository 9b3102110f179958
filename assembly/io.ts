// The buffers that cross the JS boundary. JS writes a path's UTF-8 bytes at inputPtr() (and, for a
// trigger, the suppressed watcher ids at outputPtr()), calls an export with numbers, and reads
// results from outputPtr() (u32 ids) and framePtr() (the notification frame). Growing either buffer
// may grow memory, which detaches JS views: the JS side rebuilds its views after such calls.
import { alloc, free } from './mem';

/** Slack past the input so the path hash may read whole 8-byte words. */
const SLACK: u32 = 8;
/** Frame bytes before the path: length, ReplyHeader, type, state, path length. */
export const FRAME_OVERHEAD: u32 = 32;

let inBlock: usize = 0;
let inCap: u32 = 0;
let outBlock: usize = 0;
let outCap: u32 = 0;
/**
 * Words JS reads without a call (src/wasm/status.ts): output ptr, frame ptr, length of the last
 * frame, number of live paths, then what src/wasm/fast-add.ts needs to add a watch to a bitset path without
 * calling in: the count of watches, where the path and watcher records start, and the watcher
 * capacity. Allocated once, so its address never changes.
 */
let status: usize = 0;
const STATUS_BYTES: usize = 32;
const S_TOTAL: usize = 16;
const S_PATH_RECS: usize = 20;
const S_WATCHER_RECS: usize = 24;
const S_WATCHER_CAP: usize = 28;

export function statusPtr(): usize {
  return status;
}

/** Publishes the number of live paths (with watches; retired ones apart) in the status words. */
@inline export function publishPathCount(n: u32): void {
  store<u32>(status, n, 12);
}

/**
 * Pairs in the table (IWatchManager.size). Kept in the status words rather than a global, because
 * JS's add fast path (src/wasm/fast-add.ts) counts the pairs it adds.
 */
@inline export function totalCount(): u32 {
  return load<u32>(status, S_TOTAL);
}
@inline export function addTotal(delta: i32): void {
  store<u32>(status, load<u32>(status, S_TOTAL) + delta, S_TOTAL);
}
/** Where the path records start (they move when they grow). */
@inline export function publishPathRecs(recs: usize): void {
  store<u32>(status, <u32>recs, S_PATH_RECS);
}
/** Where the watcher records start, and how many there are room for. */
@inline export function publishWatcherRecs(recs: usize, cap: u32): void {
  store<u32>(status, <u32>recs, S_WATCHER_RECS);
  store<u32>(status, cap, S_WATCHER_CAP);
}

export function inputPtr(): usize {
  return inBlock;
}
export function inputCap(): u32 {
  return inCap;
}
export function framePtr(): usize {
  return inBlock + inCap + SLACK;
}
export function outputPtr(): usize {
  return outBlock;
}
export function outputCap(): u32 {
  return outCap;
}

export function initIo(): void {
  status = alloc(STATUS_BYTES);
  memory.fill(status, 0, STATUS_BYTES);
  ensureInput(1024);
  ensureOutput(256);
}

/** Room for an `n`-byte path (and its frame); one block, so a trap leaves the old one. */
export function ensureInput(n: u32): void {
  if (n <= inCap) return;
  let cap: u32 = inCap ? inCap : 1024;
  while (cap < n) cap <<= 1;
  const block = alloc(<usize>cap * 2 + SLACK + FRAME_OVERHEAD);
  memory.fill(block + cap, 0, SLACK);
  free(inBlock);
  inBlock = block;
  inCap = cap;
  store<u32>(status, <u32>framePtr(), 4);
}

/** Room for `n` ids in the output. Contents are not kept. */
export function ensureOutput(n: u32): void {
  if (n <= outCap) return;
  let cap: u32 = outCap ? outCap : 256;
  while (cap < n) cap <<= 1;
  const block = alloc(<usize>cap << 2);
  free(outBlock);
  outBlock = block;
  outCap = cap;
  store<u32>(status, <u32>block);
}

@inline export function putOut(i: u32, v: u32): void {
  store<u32>(outBlock + (<usize>i << 2), v);
}
@inline export function getOut(i: u32): u32 {
  return load<u32>(outBlock + (<usize>i << 2));
}

/** Writes the notification frame for the `n`-byte input path (see src/watch/frame.ts). */
export function writeFrame(type: i32, zxid: i64, n: u32): void {
  const f = framePtr();
  store<u32>(f, bswap<u32>(n + FRAME_OVERHEAD - 4));
  store<u32>(f, 0xffffffff, 4); // xid -1: notification
  store<u64>(f, bswap<u64>(<u64>zxid), 8);
  store<u32>(f, 0, 16); // err 0
  store<u32>(f, bswap<u32>(<u32>type), 20);
  store<u32>(f, bswap<u32>(3), 24); // SyncConnected
  store<u32>(f, bswap<u32>(n), 28);
  memory.copy(f + FRAME_OVERHEAD, inBlock, n);
  store<u32>(status, n + FRAME_OVERHEAD, 8);
}
