// Command line of the `watchkeeper` binary, kept apart from main.ts so it can be tested without
// starting a server.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, parseZooCfg, resolveOptions, type ServerOptions } from '../server/config.js';

export const USAGE = `usage: watchkeeper [--config zoo.cfg] [--port N] [--data-dir DIR] [--host H]

  --config FILE    read a ZooKeeper zoo.cfg (tickTime, clientPort, dataDir, 4lw.commands.whitelist, ...)
  --port N         client port (overrides clientPort; 0 picks a free port)
  --data-dir DIR   snapshot and log directory (overrides dataDir; created if missing)
  --host H         address to bind (overrides clientPortAddress; default 127.0.0.1)
  --help           print this text
`;

export type CliCommand = { kind: 'help' } | { kind: 'run'; options: ServerOptions };

/**
 * argv (without node and script) -> what to do. Flags override the config file, which overrides
 * the defaults. Throws ConfigError with a message fit for the terminal.
 */
export function parseCommandLine(argv: string[], log: (msg: string) => void = () => {}): CliCommand {
  const { values } = parseFlags(argv);
  if (values.help) return { kind: 'help' };
  const fromFile = values.config === undefined ? {} : parseZooCfg(readConfig(values.config), log);
  const overrides: Partial<ServerOptions> = {};
  if (values.port !== undefined) overrides.port = parsePort(values.port);
  if (values['data-dir'] !== undefined) overrides.dataDir = nonEmpty('--data-dir', values['data-dir']);
  if (values.host !== undefined) overrides.host = nonEmpty('--host', values.host);
  return { kind: 'run', options: resolveOptions({ ...fromFile, ...overrides }) };
}

function parseFlags(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: 'string', short: 'c' },
        port: { type: 'string', short: 'p' },
        'data-dir': { type: 'string', short: 'd' },
        host: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}

function readConfig(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
}

function parsePort(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535) throw new ConfigError(`--port: expected 0..65535, got "${text}"`);
  return Number(text);
}

function nonEmpty(flag: string, value: string): string {
  if (value === '') throw new ConfigError(`${flag}: value must not be empty`);
  return value;
}
