// The TypeScript implementations under test, loaded by name in a benchmark child process.
//
// They are imported dynamically so the benchmark still builds and runs the Java managers while an
// implementation is missing or half-written (src/watch/ is being written alongside this bench);
// a missing one is reported as skipped rather than failing the whole run.

import type { WatchCoreExports } from '../../src/wasm/watchcore.js';
import type { WatchManager } from '../../src/watch/types.js';

export type TsImpl = 'reference' | 'wasm';

/** Memory an implementation keeps outside the JS heap (WASM linear memory), in bytes. */
export interface OffHeap {
  /** Bytes in the core's live heap blocks (allocator headers included), path copies included. */
  readonly inUse: number;
  /** Of which: the blocks holding the interned path copies ([len u32][UTF-8 bytes] + header). */
  readonly pathBytes: number;
  /** The whole linear memory (it never shrinks), for the notes. */
  readonly memory: number;
}

export interface Subject {
  readonly manager: WatchManager;
  /** Off-heap memory in use now, or null when the JS heap holds everything (the reference). */
  offHeap(): OffHeap | null;
}

export type SubjectFactory = () => Subject;

const MODULES: Record<TsImpl, { file: string; exportName: string }> = {
  reference: { file: '../../src/watch/reference.js', exportName: 'ReferenceWatchManager' },
  wasm: { file: '../../src/watch/wasm-manager.js', exportName: 'WasmWatchManager' },
};

/** Loads the implementation's module; throws with a readable reason when it is not there. */
export async function loadSubject(impl: TsImpl): Promise<SubjectFactory> {
  const { file, exportName } = MODULES[impl];
  const mod = (await import(new URL(file, import.meta.url).href)) as Record<string, unknown>;
  const ctor = mod[exportName];
  if (typeof ctor !== 'function') throw new Error(`${file} does not export ${exportName}`);
  const make = ctor as new () => WatchManager;
  return () => {
    const manager = new make();
    return { manager, offHeap: impl === 'wasm' ? () => wasmMemory(manager) : () => null };
  };
}

/** What WasmWatchManager keeps private but the benchmark needs to split path bytes out. */
interface WasmInternals {
  readonly core: WatchCoreExports;
  readonly memory: WebAssembly.Memory;
}

/**
 * The WASM table's memory in use (the core's own count of live heap blocks), with the path copies
 * summed apart: one block per interned path, whose size TLSF keeps in the word before it (see
 * assembly/mem.ts and paths.ts). Reads the manager's private core, after timing only.
 */
function wasmMemory(manager: WatchManager): OffHeap {
  const { core, memory } = manager as unknown as WasmInternals;
  const words = new Uint32Array(memory.buffer);
  let pathBytes = 0;
  const limit = core.pathIdLimit();
  for (let id = 1; id < limit; id++) {
    if (!core.pathLive(id)) continue;
    const block = core.pathBytes(id) - 4; // [len u32][bytes]
    pathBytes += (words[(block - 4) >>> 2]! & ~3) + 4;
  }
  return { inUse: core.heapBytes(), pathBytes, memory: memory.buffer.byteLength };
}
