// ZooKeeper's own shell, zkCli.sh (Java client inside), one command per invocation against the
// subject, checking the text it prints the way an operator would read it.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSubject } from '../helpers/subject.js';
import { requireFile, type RunningServer } from '../helpers/zookeeper.js';

const ZKCLI = '/usr/share/zookeeper/bin/zkCli.sh';
let server: RunningServer;

beforeAll(async () => {
  requireFile(ZKCLI, 'zookeeper');
  server = await startSubject();
});

afterAll(async () => {
  await server?.stop();
});

/** Runs one zkCli command; returns what it printed besides its own connection messages. */
function zkCli(...command: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, CLIENT_JVMFLAGS: '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC' };
    const child = spawn(ZKCLI, ['-server', server.connectString, ...command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(timer);
      const marker = 'WatchedEvent state:SyncConnected type:None path:null';
      if (!out.includes(marker)) return reject(new Error(`zkCli never connected: ${out.slice(-1500)}`));
      // The command's output may come before or after the connect event's lines (zkCli prints them
      // from its event thread), so drop the client's own noise wherever it is.
      const noise = (l: string) => l.startsWith('SLF4J:') || l.startsWith('Connecting to ') || l === 'WATCHER::' || l === marker;
      resolve(out.split('\n').filter((l) => !noise(l)).join('\n').trim());
    });
  });
}

function statFields(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^(\w+) = (.*)$/.exec(line.trim());
    if (m) fields[m[1]] = m[2];
  }
  return fields;
}

describe('zkCli.sh against the subject', () => {
  it('create, get, ls, stat, delete', async () => {
    expect(await zkCli('create', '/zkcli', 'hello')).toBe('Created /zkcli');
    expect(await zkCli('create', '/zkcli/child', 'c')).toBe('Created /zkcli/child');
    expect(await zkCli('get', '/zkcli')).toBe('hello');
    expect(await zkCli('ls', '/zkcli')).toBe('[child]');
    const stat = statFields(await zkCli('stat', '/zkcli'));
    expect(stat).toMatchObject({
      cversion: '1', dataVersion: '0', aclVersion: '0', ephemeralOwner: '0x0', dataLength: '5', numChildren: '1',
    });
    expect(stat.cZxid).toMatch(/^0x[0-9a-f]+$/);
    expect(stat.mZxid).toBe(stat.cZxid);
    expect(BigInt(stat.pZxid)).toBeGreaterThan(BigInt(stat.cZxid));
    expect(stat.mtime).toBe(stat.ctime);
    expect(await zkCli('delete', '/zkcli')).toContain('Node not empty: /zkcli');
    expect(await zkCli('deleteall', '/zkcli')).toBe('');
    expect(await zkCli('get', '/zkcli')).toBe('Node does not exist: /zkcli');
  });
});
