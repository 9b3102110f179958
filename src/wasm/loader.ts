// Loads the WASM watch core.
// Why the plain WebAssembly API: every export takes and returns numbers (paths cross as bytes in a
// preallocated buffer), so @assemblyscript/loader's string/array lifting would add weight and a
// runtime dependency for nothing, and generated bindings would lift values we never pass. With the
// plain API the module is compiled once per build (synchronously, so `new WasmWatchManager()` works
// at server start-up), each manager gets its own Memory (imported, so tests can cap it small), and
// the typed interface in watchcore.ts is the whole contract.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WatchCoreExports } from './watchcore.js';

export type WatchCoreBuild = 'release' | 'debug';

export interface WatchCoreOptions {
  /** Which build to load; default from WATCHKEEPER_WASM_BUILD, else 'release'. */
  build?: WatchCoreBuild;
  /** Memory cap in 64 KiB pages (at most the module's 32768 = 2 GiB). */
  maximumPages?: number;
  /**
   * Emptied paths are reclaimed in bulk once more than this many wait (default 4096, and only
   * when they outnumber the live ones 3 to 1; assembly/paths.ts). Tests set 0 so that nearly
   * every removal runs the sweep.
   */
  sweepMin?: number;
}

export interface WatchCoreInstance {
  readonly exports: WatchCoreExports;
  readonly memory: WebAssembly.Memory;
}

/** The module's declared memory limits (package.json build:wasm). */
export const INITIAL_PAGES = 16;
export const MAXIMUM_PAGES = 32768;

const FILES: Record<WatchCoreBuild, string> = {
  release: 'build/watchcore.wasm',
  debug: 'build/watchcore.debug.wasm',
};

/** Thrown by the core's abort() (allocation too large, or a failed assertion in the debug build). */
export class WasmAbortError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WasmAbortError';
  }
}

let root: string | undefined;

/** The directory holding package.json, walking up from this file (works from src/ and dist/src/). */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('watchkeeper: package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return (root = dir);
}

export function defaultBuild(): WatchCoreBuild {
  return process.env.WATCHKEEPER_WASM_BUILD === 'debug' ? 'debug' : 'release';
}

const modules = new Map<WatchCoreBuild, WebAssembly.Module>();

/** The compiled module for `build`, compiled on first use. */
export function watchCoreModule(build: WatchCoreBuild = defaultBuild()): WebAssembly.Module {
  let mod = modules.get(build);
  if (!mod) {
    const file = join(packageRoot(), FILES[build]);
    if (!existsSync(file)) throw new Error(`watchkeeper: ${file} is missing; run npm run build:wasm (and build:wasm:debug)`);
    mod = new WebAssembly.Module(readFileSync(file));
    modules.set(build, mod);
  }
  return mod;
}

/** A fresh, initialised instance with its own memory. Synchronous. */
export function instantiateWatchCore(opts: WatchCoreOptions = {}): WatchCoreInstance {
  const maximum = Math.min(opts.maximumPages ?? MAXIMUM_PAGES, MAXIMUM_PAGES);
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: Math.max(maximum, INITIAL_PAGES) });
  const env = { memory, abort: (msg: number, file: number) => abort(memory, msg, file) };
  const instance = new WebAssembly.Instance(watchCoreModule(opts.build), { env });
  const exports = sameShape(instance.exports) as unknown as WatchCoreExports;
  exports.init((Math.random() * 0x100000000) >>> 0);
  if (opts.sweepMin !== undefined) exports.setSweepMin(opts.sweepMin >>> 0);
  return { exports, memory };
}

/**
 * The exports copied onto a plain object, keys in the module's order. Every instance's exports
 * object has a shape of its own, so the manager's property loads saw a new shape per instance:
 * V8 then deoptimised the hot methods whenever an old instance was collected (a benchmark
 * creates one per round) and fell back to megamorphic loads. Copies made the same way share one
 * shape, whatever the instance.
 */
function sameShape(exports: WebAssembly.Exports): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(exports)) copy[key] = exports[key];
  return copy;
}

function abort(memory: WebAssembly.Memory, msg: number, file: number): never {
  throw new WasmAbortError(`${readAsString(memory, msg)} (${readAsString(memory, file)})`);
}

/** An AssemblyScript string: UTF-16 code units, byte length in the word before it. */
function readAsString(memory: WebAssembly.Memory, ptr: number): string {
  if (!ptr) return '';
  const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0];
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, bytes >>> 1));
}
