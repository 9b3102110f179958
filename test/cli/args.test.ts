import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/args.js';
import { ConfigError } from '../../src/server/config.js';

const tmp = mkdtempSync(join(tmpdir(), 'wk-args-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(argv: string[]) {
  const c = parseCommandLine(argv);
  if (c.kind !== 'run') throw new Error('expected a run command');
  return c.options;
}

describe('parseCommandLine', () => {
  it('defaults to ZooKeeper\'s port and ./data', () => {
    const o = run([]);
    expect([o.host, o.port, o.dataDir, o.tickTime]).toEqual(['127.0.0.1', 2181, './data', 2000]);
  });

  it('flags override zoo.cfg, which overrides defaults', () => {
    const cfg = join(tmp, 'zoo.cfg');
    writeFileSync(cfg, 'clientPort=3000\ndataDir=/cfg/data\nclientPortAddress=0.0.0.0\ntickTime=100\n');
    const fromFile = run(['--config', cfg]);
    expect([fromFile.host, fromFile.port, fromFile.dataDir, fromFile.tickTime]).toEqual(['0.0.0.0', 3000, '/cfg/data', 100]);
    const o = run(['--config', cfg, '--port', '0', '--data-dir', '/flag/data', '--host', '::1']);
    expect([o.host, o.port, o.dataDir, o.maxSessionTimeout]).toEqual(['::1', 0, '/flag/data', 2000]);
  });

  it('accepts --flag=value and short forms', () => {
    expect(run(['--port=7', '-d', 'x']).port).toBe(7);
    expect(run(['-p', '8']).port).toBe(8);
  });

  it.each([
    [['--port', 'abc']],
    [['--port', '70000']],
    [['--data-dir', '']],
    [['--nope']],
    [['extra-positional']],
    [['--config', '/definitely/not/here.cfg']],
  ])('rejects %j with a ConfigError', (argv) => {
    expect(() => parseCommandLine(argv)).toThrow(ConfigError);
  });

  it('--help wins', () => {
    expect(parseCommandLine(['--port', '1', '--help']).kind).toBe('help');
  });
});
