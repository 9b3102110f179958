// Preloaded into the watchkeeper server process by the load benchmark (node --import), so the
// benchmark can read what the server itself does not report (its mntr has no heap, WASM memory or
// event-loop delay) without adding anything to src/. It remembers every WebAssembly.Memory the
// process creates (the WASM watch core imports its memory, so the loader constructs one) and answers
// IPC messages from the benchmark. The IPC channel is unref'd so it never keeps the server alive.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface ProbeReport {
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  wasmBytes: number;
  wasmMemories: number;
  /** Worst event-loop delay (ms) since loopStart; NaN when not measuring. */
  loopMaxMs: number;
  loopP99Ms: number;
}

const memories: WebAssembly.Memory[] = [];
const Original = WebAssembly.Memory;

// A subclass is still a real Memory, so WebAssembly.Instance accepts it as an import.
class TrackedMemory extends Original {
  constructor(desc: WebAssembly.MemoryDescriptor) {
    super(desc);
    memories.push(this);
  }
}
(WebAssembly as { Memory: typeof WebAssembly.Memory }).Memory = TrackedMemory;

let loop: IntervalHistogram | null = null;

function report(): Omit<ProbeReport, 'id'> {
  const m = process.memoryUsage();
  return {
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    wasmBytes: memories.reduce((a, mem) => a + mem.buffer.byteLength, 0),
    wasmMemories: memories.length,
    loopMaxMs: loop ? loop.max / 1e6 : NaN,
    loopP99Ms: loop ? loop.percentile(99) / 1e6 : NaN,
  };
}

if (process.send) {
  process.on('message', (msg: { id: number; cmd: 'report' | 'loopStart' | 'loopStop' }) => {
    if (msg.cmd === 'loopStart') {
      loop?.disable();
      loop = monitorEventLoopDelay({ resolution: 1 });
      loop.enable();
    }
    const r = report();
    if (msg.cmd === 'loopStop') loop?.disable(), (loop = null);
    process.send!({ id: msg.id, ...r });
  });
  process.channel?.unref();
}
