// The TypeScript implementations under test, loaded by name in a benchmark child process.
//
// They are imported dynamically so the benchmark still builds and runs the Java managers while an
// implementation is missing or half-written (src/watch/ is being written alongside this bench);
// a missing one is reported as skipped rather than failing the whole run.

import type { WatchManager } from '../../src/watch/types.js';

export type TsImpl = 'reference' | 'wasm';

/** Memory an implementation keeps outside the JS heap (WASM linear memory), in bytes. */
export interface OffHeap {
  /** Linear memory in use by the table, path bytes included. */
  readonly inUse: number;
  /** Of which: the interned path bytes. */
  readonly pathBytes: number;
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
    return { manager, offHeap: () => null };
  };
}
