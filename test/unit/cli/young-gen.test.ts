// The young-generation cap of the server process (src/cli/young-gen.ts). It changes V8 flags of
// the whole process and only acts while the new space is still small, so the allocation runs in a
// fresh child process on the tsc build (the form `npm start` runs), not in this test worker.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { youngGenerationConfigured } from '../../../src/cli/young-gen.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const BUILT = join(ROOT, 'dist/src/cli/young-gen.js');
const MiB = 2 ** 20;

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function ensureBuilt(): void {
  if (existsSync(BUILT) && statSync(BUILT).mtimeMs >= newestSource(join(ROOT, 'src/cli'))) return;
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { cwd: ROOT, stdio: 'pipe' });
  } catch (err) {
    if (!existsSync(BUILT)) throw err; // tsc still emits when another module has type errors
  }
}

/**
 * A child allocating ~1.5 MiB per loop turn for 300 turns, a quarter of it kept for a while (as a
 * burst of connections does): returns the largest semi-space seen, in bytes.
 */
function burst(capMiB: number, nodeFlags: string[] = []): number {
  const script = `
    const { capYoungGeneration, semiSpaceBytes } = await import(${JSON.stringify(pathToFileURL(BUILT).href)});
    if (${capMiB} > 0) capYoungGeneration(${capMiB});
    let keep = [], max = 0;
    for (let turn = 0; turn < 300; turn++) {
      for (let i = 0; i < 20000; i++) { const o = { a: i, b: [i] }; if (i % 4 === 0) keep.push(o); }
      if (keep.length > 100000) keep = [];
      await new Promise((r) => setImmediate(r));
      max = Math.max(max, semiSpaceBytes());
    }
    console.log(max);`;
  const env = { ...process.env, NODE_OPTIONS: '' };
  return Number(execFileSync(process.execPath, [...nodeFlags, '--input-type=module', '-e', script], { env, encoding: 'utf8' }).trim());
}

describe('young generation cap', () => {
  ensureBuilt();

  it('V8 alone grows the semi-space past 4 MiB under this burst (the case the cap is for)', () => {
    expect(burst(0)).toBeGreaterThan(4 * MiB);
  });

  it('keeps each semi-space at the cap', () => {
    expect(burst(2)).toBe(2 * MiB);
    expect(burst(4)).toBe(4 * MiB);
  });

  it("leaves a young generation sized by the user's node flags alone", () => {
    expect(burst(2, ['--max-semi-space-size=8'])).toBe(8 * MiB);
  });

  it('sees young-generation flags on the command line and in NODE_OPTIONS', () => {
    expect(youngGenerationConfigured(['--max-semi-space-size=8'], '')).toBe(true);
    expect(youngGenerationConfigured([], '--max_semi_space_size=2 --trace-gc')).toBe(true);
    expect(youngGenerationConfigured([], '--semi-space-growth-factor=4')).toBe(true);
    expect(youngGenerationConfigured(['--max-old-space-size=8192', '--import', 'x.js'], '--trace-warnings')).toBe(false);
  });
});
