// kazoo 2.8 (Debian's python3-kazoo) against the subject: test/compat/kazoo/scenario.py runs the
// client and prints its observations as JSON; the expectations below are ZooKeeper's answers.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSubject } from '../helpers/subject.js';
import { requireFile, type RunningServer } from '../helpers/zookeeper.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = resolve(import.meta.dirname, 'kazoo/scenario.py');
let server: RunningServer;
let seen: Record<string, unknown>;

function runScenario(hosts: string): Promise<Record<string, unknown>> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(PYTHON, [SCRIPT, hosts], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('exit', () => {
      clearTimeout(timer);
      try {
        resolvePromise(JSON.parse(out) as Record<string, unknown>);
      } catch {
        reject(new Error(`kazoo scenario printed no JSON: ${out}\n${err.slice(-3000)}`));
      }
    });
  });
}

beforeAll(async () => {
  requireFile(PYTHON, 'python3');
  const probe = spawn(PYTHON, ['-c', 'import kazoo']);
  const ok = await new Promise<boolean>((r) => probe.on('exit', (code) => r(code === 0)));
  if (!ok) throw new Error('kazoo is missing for /usr/bin/python3: apt-get install -y python3-kazoo');
  server = await startSubject();
  seen = await runScenario(server.connectString);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe('kazoo against the subject', () => {
  it('ran to the end', () => {
    expect(seen.fatal).toBeUndefined();
  });

  it('connects and reads the server version from envi', () => {
    expect(seen.connected).toBe(true);
    const v = seen.server_version as number[];
    expect(v).toHaveLength(3);
    expect(v[0]).toBe(3);
    expect(v.every((n) => Number.isInteger(n) && n >= 0)).toBe(true);
  });

  it('does CRUD with ZooKeeper\'s errors', () => {
    expect(seen).toMatchObject({
      ensure_path: true,
      create: ['/kz/n', 'hello', 0, 5],
      create_exists_error: 'NodeExistsError',
      create_nonode_error: 'NoNodeError',
      set: 1,
      set_bad_version: 'BadVersionError',
      // The sequence number is the parent's cversion: /kz already had children a and n.
      seq: ['/kz/s-0000000002', '/kz/s-0000000003'],
      eph_owner_is_me: true,
      children: ['a', 'e', 'n', 's-0000000002', 's-0000000003'],
      not_empty: 'NotEmptyError',
      after_recursive_delete: true,
    });
  });

  it('delivers one-shot watches and drives the DataWatch and ChildrenWatch recipes', () => {
    expect(seen.one_shot_events).toEqual([['CHANGED', '/kz/n'], ['CHILD', '/kz']]);
    expect(seen.data_watch).toEqual([null, 'one', 'two', null]);
    const base = ['e', 'n', 's-0000000002', 's-0000000003'];
    expect(seen.children_watch).toEqual([['c1', ...base], ['c1', 'dw', ...base], ['c1', ...base]]);
  });

  it('commits transactions and rolls back a failing one', () => {
    expect(seen.txn_ok).toEqual(['/kz/t1', 'ZnodeStat', true, true]);
    expect(seen.txn_fail).toEqual(['RolledBackError', 'BadVersionError', 'RuntimeInconsistency']);
    expect(seen.txn_rolled_back).toBe(true);
  });

  it('enforces digest ACLs', () => {
    expect(seen.acl).toEqual([['digest', 'kazoo:HPFSRkg+p8BXYjh0ALbhDlOwDJk=', 31]]);
    expect(seen.acl_stranger_get).toBe('NoAuthError');
    expect(seen.acl_after_auth).toBe('s');
  });

  it('reconnects on the same session after its connection drops', () => {
    expect(seen.reconnect_states).toEqual(['SUSPENDED', 'CONNECTED']);
    expect(seen.reconnect_same_session).toBe(true);
    expect(seen.reconnect_events).toEqual([['NONE', null]]);
    expect(seen.reconnect_data_watch_last).toBe('while-away');
    expect(seen.reconnect_get).toBe('while-away');
  });
});
