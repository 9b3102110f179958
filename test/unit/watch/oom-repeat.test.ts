// Thousands of out-of-memory failures in a row must leave the core usable and consistent. A trap
// unwinds WASM without running function epilogues, so anything a function had pushed on
// AssemblyScript's shadow stack would leak on every failure until the stack overflowed (the debug
// build aborts with a stack-check failure; the release build would overwrite static data).
import { describe, expect, it } from 'vitest';
import { WasmWatchManager } from '../../../src/watch/wasm-manager.js';
import { WatchMemoryError } from '../../../src/watch/types.js';
import type { WatchCoreBuild } from '../../../src/wasm/loader.js';

describe.each<WatchCoreBuild>(['release', 'debug'])('WASM core (%s build) under repeated exhaustion', (build) => {
  it('survives the same failing add retried thousands of times', () => {
    // One watcher over ever more paths: its path vector doubles, so the failing allocation is
    // the vector's growth, after the path was interned — retried over and over.
    const m = new WasmWatchManager({ build, maximumPages: 17 });
    let n = 0;
    for (; n < 1_000_000; n++) {
      try {
        m.addWatch(`/one/n${n}`, 0);
      } catch (e) {
        if (!(e instanceof WatchMemoryError)) throw e;
        break;
      }
    }
    expect(n).toBeLessThan(1_000_000);
    for (let k = 0; k < 20_000; k++) {
      expect(() => m.addWatch(`/one/n${n}`, 0)).toThrow(WatchMemoryError);
    }
    expect(m.checkConsistency()).toBe(0);
    expect(m.size()).toBe(n);
    m.removeWatcher(0);
    expect(m.size()).toBe(0);
    expect(m.addWatch(`/one/n${n}`, 0)).toBe(true);
  });

  it('survives thousands of failed adds and stays consistent', () => {
    const m = new WasmWatchManager({ build, maximumPages: 17 });
    let failures = 0;
    let added = 0;
    // Few watchers with long vectors over many paths: failures land in path interning, path-set
    // growth and watcher-vector growth alike.
    for (let i = 0; i < 100_000; i++) {
      try {
        if (m.addWatch(`/bulk/n${i % 30000}`, i % 4)) added++;
      } catch (e) {
        if (!(e instanceof WatchMemoryError)) throw e;
        failures++;
      }
    }
    expect(failures).toBeGreaterThan(5000);
    expect(m.checkConsistency()).toBe(0);
    expect(m.size()).toBe(added);
    for (let w = 0; w < 4; w++) m.removeWatcher(w);
    expect(m.size()).toBe(0);
    expect(m.addWatch('/after', 1)).toBe(true);
    expect(m.checkConsistency()).toBe(0);
  });
});
