// Crash soak (not in CI): kill -9 the watchkeeper process in the middle of write load, restart it
// on the same data dir, check that every acknowledged write is there with its data, and repeat.
//   npm run build && node dist/bench/write/soak.js [--cycles 200] [--sessions 8] [--window 32]
//     [--snap-count 2000] [--dir DIR] [--no-fsync]
// Exits non-zero at the first lost acknowledged write, leaving the data dir for inspection.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { emptyAcked, runAckedLoad, verifyAcked } from './acked-load.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'main.js');

function options() {
  const { values } = parseArgs({
    options: {
      cycles: { type: 'string', default: '200' },
      sessions: { type: 'string', default: '8' },
      window: { type: 'string', default: '32' },
      'snap-count': { type: 'string', default: '2000' },
      dir: { type: 'string' },
      'no-fsync': { type: 'boolean', default: false },
    },
  });
  return {
    cycles: Number(values.cycles), sessions: Number(values.sessions), window: Number(values.window),
    snapCount: Number(values['snap-count']), dir: values.dir, forceSync: !values['no-fsync'],
  };
}

function start(cfg: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [CLI, '--config', cfg, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /listening on \S+:(\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
      const cut = /cut damaged txn log tail.*/.exec(d.toString());
      if (cut) console.log(`  ${cut[0]}`);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`watchkeeper exited with ${code}:\n${out.slice(-3000)}`)));
  });
}

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function main(): Promise<void> {
  const o = options();
  const root = o.dir ?? mkdtempSync(join(tmpdir(), 'wk-soak-'));
  const dataDir = join(root, 'data');
  mkdirSync(dataDir, { recursive: true });
  const cfg = join(root, 'zoo.cfg');
  writeFileSync(cfg, [`dataDir=${dataDir}`, 'maxClientCnxns=0', `snapCount=${o.snapCount}`,
    `forceSync=${o.forceSync ? 'yes' : 'no'}`, 'autopurge.purgeInterval=1', ''].join('\n'));
  const acked = emptyAcked();
  /** Restarts on the data dir and checks every acknowledged write; exits on the first loss. */
  const restartAndVerify = async (cycle: number): Promise<{ child: ChildProcess; port: number }> => {
    const s = await start(cfg);
    const bad = await verifyAcked({ host: '127.0.0.1', port: s.port }, acked);
    if (bad.length > 0) {
      console.error(`after cycle ${cycle - 1}: acknowledged writes lost (data kept in ${root}):\n  ${bad.join('\n  ')}`);
      await kill9(s.child);
      process.exit(1);
    }
    return s;
  };
  for (let cycle = 0; cycle < o.cycles; cycle++) {
    const s = await restartAndVerify(cycle);
    const ep = { host: '127.0.0.1', port: s.port };
    const ms = 200 + Math.floor(Math.random() * 2000);
    const killed = new Promise<void>((r) => setTimeout(r, ms)).then(() => kill9(s.child));
    await runAckedLoad(ep, { tag: `c${cycle}`, sessions: o.sessions, window: o.window }, acked, killed);
    await killed;
    console.log(`cycle ${cycle}: killed after ${ms} ms; ${acked.creates.size} acknowledged creates so far`);
  }
  await kill9((await restartAndVerify(o.cycles)).child);
  if (!o.dir) rmSync(root, { recursive: true, force: true });
  console.log(`soak passed: ${o.cycles} kill -9 cycles, ${acked.creates.size} acknowledged creates verified`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
