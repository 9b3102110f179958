// ZooKeeper's C client shell, cli_mt (libzookeeper_mt), driven on stdin against the subject.
// Each command is sent once the previous one's output has appeared, and its output (results,
// stats, and the watch events cli_mt prints as they arrive) is checked.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnTracked, stopChild } from '../helpers/processes.js';
import { startSubject } from '../helpers/subject.js';
import { requireFile, type RunningServer } from '../helpers/zookeeper.js';

const CLI_MT = '/usr/lib/zookeeper/bin/cli_mt';
let server: RunningServer;
let child: ChildProcess | undefined;

beforeAll(async () => {
  requireFile(CLI_MT, 'zookeeper-bin');
  server = await startSubject();
});

afterAll(async () => {
  if (child) await stopChild(child);
  await server?.stop();
});

/** The shell's output so far, with a way to wait for a pattern after a given offset. */
class Shell {
  private out = '';
  private readonly proc: ChildProcess;

  constructor(connectString: string) {
    this.proc = spawnTracked(CLI_MT, ['-h', connectString]);
    child = this.proc;
    this.proc.stdout!.on('data', (c: Buffer) => (this.out += c.toString()));
    this.proc.stderr!.on('data', (c: Buffer) => (this.out += c.toString()));
  }

  /** Sends a command and resolves with its output once every pattern has shown up after it. */
  async run(command: string | null, ...patterns: RegExp[]): Promise<string> {
    const from = this.out.length;
    if (command !== null) this.proc.stdin!.write(`${command}\n`);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const text = this.out.slice(from);
      if (patterns.every((p) => p.test(text))) return text;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`cli_mt: "${command}" did not print ${patterns.join(' and ')}; output:\n${this.out.slice(from)}`);
  }
}

const event = (kind: string, path: string) => new RegExp(`Watcher ${kind} state = CONNECTED_STATE for path ${path}\\n`);

describe('cli_mt (C client) against the subject', () => {
  it('create, get, set, ls, exists with watch, delete', async () => {
    const sh = new Shell(server.connectString);
    await sh.run(null, /Watcher SESSION_EVENT state = CONNECTED_STATE/, /Got a new session id: 0x[0-9a-f]+/);
    await sh.run('create /climt', /\[\/climt\]: rc = 0\n\tname = \/climt\n/);
    const got = await sh.run('get /climt', /\/climt: rc = 0\n value_len = 3\nnew\nStat:\n[^]*ephemeralOwner = 0\n/);
    expect(got).toMatch(/\tversion=0\taversion=0\n/);
    const czxid = /czxid=(\d+)/.exec(got)![1];
    // get left a data watch: the set fires it.
    const set = await sh.run('set /climt world', event('CHANGED_EVENT', '/climt'), /\/climt: rc = 0 Stat:\n[^]*aversion=0\n/);
    expect(set).toMatch(/\tversion=1\taversion=0\n/);
    expect(set).toContain(`czxid=${czxid}\n`);
    expect(Number(/mzxid=(\d+)/.exec(set)![1])).toBeGreaterThan(Number(czxid));
    await sh.run('get /climt', /value_len = 5\nworld\n/);
    await sh.run('ls /climt', /\/climt: rc = 0\ntime = /);
    // ls left a child watch: the ephemeral child's creation fires it.
    await sh.run('create +e /climt/kid', event('CHILD_EVENT', '/climt'), /\[\/climt\/kid\]: rc = 0\n/);
    await sh.run('ls2 /climt', /\/climt: rc = 0\n\tkid\n/);
    await sh.run('wexists /climt/kid'); // prints nothing; the delete below fires its watch
    await sh.run('delete /climt/kid', event('DELETED_EVENT', '/climt/kid'), event('CHILD_EVENT', '/climt'), /\/climt\/kid: rc = 0\n/);
    await sh.run('exists /climt/kid', /Error -101 for \/climt\/kid\n/);
    await sh.run('delete /climt', event('DELETED_EVENT', '/climt'), /\/climt: rc = 0\n/);
    await sh.run('get /climt', /\/climt: rc = -101\n/);
  });
});
