#!/usr/bin/env node
// The `watchkeeper` binary: options from flags and zoo.cfg, then one server until SIGINT/SIGTERM.
import { mkdirSync } from 'node:fs';
import { createServer } from '../server/server.js';
import { ConfigError } from '../server/config.js';
import { parseCommandLine, USAGE } from './args.js';
import { capYoungGeneration } from './young-gen.js';

/** Exit codes: 0 clean stop, 1 runtime failure, 2 bad command line or config. */
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

async function main(argv: string[]): Promise<number> {
  // Before any session arrives: a server holding ten thousand idle sessions should not also hold
  // the young generation their connection burst grew (see young-gen.ts).
  capYoungGeneration();
  const command = parseCommandLine(argv, (msg) => console.error(msg));
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const { options } = command;
  mkdirSync(options.dataDir, { recursive: true });
  if (options.dataLogDir !== undefined) mkdirSync(options.dataLogDir, { recursive: true });
  const server = createServer(options);
  const bound = await server.listen();
  // Tests and scripts read this line to learn the port when --port 0 was given.
  console.log(`watchkeeper listening on ${formatHostPort(bound.host, bound.port)}`);
  await waitForStopSignal();
  await server.close();
  return 0;
}

function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Resolves on the first SIGINT or SIGTERM; another one while closing exits at once. */
function waitForStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      console.log(`watchkeeper: ${signal} received, closing`);
      const force = (): never => process.exit(EXIT_FAILURE);
      process.once('SIGINT', force);
      process.once('SIGTERM', force);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError) {
      console.error(`watchkeeper: ${err.message}\n\n${USAGE}`);
      process.exit(EXIT_USAGE);
    }
    console.error('watchkeeper: fatal:', err);
    process.exit(EXIT_FAILURE);
  },
);
