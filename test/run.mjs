// `npm test`: installs the system packages the tests need, runs the whole vitest suite, and ends
// with one plain line `N passed, N failed` for the run (CI reads that line).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const deps = spawnSync('bash', ['test/system-deps.sh'], { stdio: 'inherit' });
if (deps.status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const report = '.vitest-report.json';
rmSync(report, { force: true });
const args = [
  'vitest', 'run', '--config', 'test/vitest.config.ts',
  '--reporter=default', '--reporter=json', `--outputFile.json=${report}`,
  ...process.argv.slice(2),
];
const run = spawnSync('npx', args, { stdio: 'inherit' });

let passed = 0;
let failed = 0;
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
  // A file that failed to load has no tests in the count: count it as a failure.
  for (const f of r.testResults ?? []) if (f.status === 'failed' && f.assertionResults.length === 0) failed++;
} catch {
  failed = Math.max(failed, 1);
}
const status = run.status === 0 && failed === 0 && passed > 0 ? 0 : 1;
if (status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(status);
