// The server process's V8 young generation ("new space"), capped.
//
// V8 starts each of the two semi-spaces of the new space at 1 MiB and doubles them, up to 16 MiB on
// 64-bit Node 20, while many objects survive scavenges, which is what a burst of connections or
// SetWatches packets looks like. It rarely gives the space back while the server idles, so ten
// thousand connecting clients leave ~27 MiB of young generation resident for good: about as much
// as the JS objects of those sessions. Smaller is not free: with 1 MiB semi-spaces the server spent
// ~40% more CPU per read in bench:load's 100% getData mix (in-flight requests survive the frequent
// scavenges); at 4 MiB the difference from 16 MiB was within the noise of interleaved runs (~5%).
//
// The cap cannot be set with --max-semi-space-size from inside the process (V8 reads it once, when
// the heap is set up), but the growth factor is read at every growth: after each GC we let the new
// space double while it is below the cap and stop it (factor 1) once it reaches it. The gc
// observer runs after the GCs of a loop turn, so a single turn that allocates more than the cap
// several times over can still overshoot once; V8 shrinks the space again when allocation slows.
//
// A user who sets the young generation through node flags (the command line or NODE_OPTIONS) keeps
// their setting: the cap is then left off.
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

/** Semi-space cap in MiB (the new space is two of them). */
export const DEFAULT_SEMI_SPACE_MIB = 4;
/** V8's own growth factor (--semi-space-growth-factor default). */
const V8_GROWTH_FACTOR = 2;
const YOUNG_GEN_FLAG = /--(max|min)[-_]semi[-_]space[-_]size|--semi[-_]space[-_]growth[-_]factor|--max[-_]heap[-_]size/;

/** Whether node was told how to size the young generation (then we leave it alone). */
export function youngGenerationConfigured(execArgv: readonly string[], nodeOptions: string): boolean {
  return execArgv.some((a) => YOUNG_GEN_FLAG.test(a)) || YOUNG_GEN_FLAG.test(nodeOptions);
}

/** Size of one semi-space now, in bytes (the new space's size is two of them). */
export function semiSpaceBytes(): number {
  const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  return space === undefined ? 0 : space.space_size / 2;
}

/**
 * Caps the young generation of this process at `semiMiB` per semi-space, unless node flags already
 * size it. Returns a function that stops the cap (tests), or null when it was not installed.
 */
export function capYoungGeneration(
  semiMiB = DEFAULT_SEMI_SPACE_MIB,
  execArgv: readonly string[] = process.execArgv,
  nodeOptions = process.env['NODE_OPTIONS'] ?? '',
): (() => void) | null {
  if (youngGenerationConfigured(execArgv, nodeOptions)) return null;
  const cap = semiMiB * 2 ** 20;
  let factor = 0;
  const adjust = (): void => {
    const next = semiSpaceBytes() >= cap ? 1 : V8_GROWTH_FACTOR;
    if (next === factor) return;
    factor = next;
    v8.setFlagsFromString(`--semi-space-growth-factor=${next}`);
  };
  adjust();
  const observer = new PerformanceObserver(adjust);
  observer.observe({ entryTypes: ['gc'] });
  return () => {
    observer.disconnect();
    v8.setFlagsFromString(`--semi-space-growth-factor=${V8_GROWTH_FACTOR}`);
  };
}
