// The default watch table implementation: the WASM manager, falling back to the TypeScript
// reference (same interface, same semantics) when build/watchcore.wasm has not been built.
// Tests pass a factory to run the server over either.
import { ReferenceWatchManager } from '../watch/reference.js';
import type { WatchManager } from '../watch/types.js';
import { WasmWatchManager } from '../watch/wasm-manager.js';

let warned = false;

export const wasmWatchManagerFactory = (): WatchManager => new WasmWatchManager();
export const referenceWatchManagerFactory = (): WatchManager => new ReferenceWatchManager();

export function defaultWatchManagerFactory(): WatchManager {
  try {
    return wasmWatchManagerFactory();
  } catch (e) {
    if (!warned) {
      warned = true;
      console.warn(`watchkeeper: WASM watch core unavailable (${(e as Error).message}); using the TypeScript watch manager`);
    }
    return referenceWatchManagerFactory();
  }
}
