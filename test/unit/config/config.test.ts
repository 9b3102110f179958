import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  defaultOptions,
  parseProperties,
  parseWhitelist,
  parseZooCfg,
  resolveOptions,
} from '../../../src/server/config.js';

describe('defaultOptions (ZooKeeper 3.8 defaults)', () => {
  it('has ZooKeeper\'s values', () => {
    const d = defaultOptions();
    expect(d).toMatchObject({
      host: '127.0.0.1',
      port: 2181,
      dataDir: './data',
      tickTime: 2000,
      minSessionTimeout: 4000,
      maxSessionTimeout: 40000,
      maxClientCnxns: 60,
      juteMaxBuffer: 0xfffff,
      forceSync: true,
      snapCount: 100000,
      autopurgeSnapRetainCount: 3,
      autopurgePurgeInterval: 0,
      globalOutstandingLimit: 1000,
      extendedTypesEnabled: false,
    });
    expect(d.fourLetterWhitelist).toEqual(new Set(['srvr'])); // FourLetterCommands with no whitelist set
    expect(d.superDigest).toBeUndefined();
  });
});

describe('parseZooCfg', () => {
  const cfg = `
# a typical standalone zoo.cfg
tickTime=500
initLimit=10
dataDir=/var/lib/zk
dataLogDir = /var/log/zk
clientPort: 2999
clientPortAddress 0.0.0.0
maxClientCnxns=0
4lw.commands.whitelist=ruok, stat ,mntr
autopurge.snapRetainCount=5
autopurge.purgeInterval=24
jute.maxbuffer=4194304
forceSync=no
snapCount=5000
globalOutstandingLimit=50
zookeeper.extendedTypesEnabled=true
DigestAuthenticationProvider.superDigest=super:abc=
admin.enableServer=false
server.1=localhost:2888:3888
`;

  it('reads every supported key, with =, : or blank separators', () => {
    const p = parseZooCfg(cfg);
    expect(p).toMatchObject({
      tickTime: 500,
      dataDir: '/var/lib/zk',
      dataLogDir: '/var/log/zk',
      port: 2999,
      host: '0.0.0.0',
      maxClientCnxns: 0,
      autopurgeSnapRetainCount: 5,
      autopurgePurgeInterval: 24,
      juteMaxBuffer: 4194304,
      forceSync: false,
      snapCount: 5000,
      globalOutstandingLimit: 50,
      extendedTypesEnabled: true,
      superDigest: 'super:abc=',
    });
    expect(p.fourLetterWhitelist).toEqual(new Set(['ruok', 'stat', 'mntr', 'srvr']));
    expect(p.raw?.initLimit).toBe('10');
  });

  it('logs unknown keys without failing, and ignores ensemble-only ones quietly', () => {
    const logged: string[] = [];
    parseZooCfg(cfg + 'someFutureKey=1\n', (m) => logged.push(m));
    expect(logged).toEqual(['zoo.cfg: ignoring unknown key someFutureKey']);
  });

  it('derives session bounds from the configured tickTime', () => {
    const o = resolveOptions(parseZooCfg('tickTime=500\n'));
    expect([o.minSessionTimeout, o.maxSessionTimeout]).toEqual([1000, 10000]);
    const explicit = resolveOptions(parseZooCfg('tickTime=500\nminSessionTimeout=300\nmaxSessionTimeout=-1\n'));
    expect([explicit.minSessionTimeout, explicit.maxSessionTimeout]).toEqual([300, 10000]);
  });

  it('accepts superDigest under all three spellings', () => {
    for (const key of ['superDigest', 'DigestAuthenticationProvider.superDigest', 'zookeeper.DigestAuthenticationProvider.superDigest']) {
      expect(parseZooCfg(`${key}=super:xyz\n`).superDigest).toBe('super:xyz');
    }
  });

  it.each([
    ['tickTime=fast', /tickTime: expected an integer, got "fast"/],
    ['tickTime=0', /tickTime: must be at least 1/],
    ['clientPort=2181x', /clientPort: expected an integer/],
    ['maxClientCnxns=-1', /maxClientCnxns: must be at least 0/],
    ['forceSync=maybe', /forceSync: expected true\/false or yes\/no/],
    ['snapCount=99999999999', /out of the 32-bit integer range/],
    ['dataDir=', /dataDir: value must not be empty/],
  ])('rejects %s clearly', (line, message) => {
    expect(() => parseZooCfg(`${line}\n`)).toThrow(ConfigError);
    expect(() => parseZooCfg(`${line}\n`)).toThrow(message);
  });
});

describe('resolveOptions', () => {
  it('rejects min above max', () => {
    expect(() => resolveOptions({ minSessionTimeout: 5000, maxSessionTimeout: 4000 })).toThrow(/must not be larger/);
  });

  it('rejects ports out of range and bad ticks', () => {
    expect(() => resolveOptions({ port: 70000 })).toThrow(ConfigError);
    expect(() => resolveOptions({ tickTime: -1 })).toThrow(ConfigError);
  });

  it('raises autopurge.snapRetainCount below 3 to 3, as ZooKeeper does', () => {
    expect(resolveOptions({ autopurgeSnapRetainCount: 1 }).autopurgeSnapRetainCount).toBe(3);
  });

  it('takes the whitelist as a Set, a list, text or "*", always adding srvr', () => {
    expect(resolveOptions({ fourLetterWhitelist: new Set(['ruok']) }).fourLetterWhitelist).toEqual(new Set(['ruok', 'srvr']));
    expect(resolveOptions({ fourLetterWhitelist: ['*'] }).fourLetterWhitelist).toBe('*');
    expect(resolveOptions({ fourLetterWhitelist: 'stat,*' }).fourLetterWhitelist).toBe('*');
    expect(resolveOptions({ fourLetterWhitelist: '*' }).fourLetterWhitelist).toBe('*');
  });

  it('is idempotent and ignores undefined fields', () => {
    const once = resolveOptions({ tickTime: 100, dataDir: undefined });
    expect(once.dataDir).toBe('./data');
    expect(resolveOptions(once)).toEqual(once);
  });

  it('parseWhitelist drops blanks', () => {
    expect(parseWhitelist(' , ruok,, ')).toEqual(new Set(['ruok', 'srvr']));
  });
});

describe('parseProperties (java.util.Properties text)', () => {
  it('handles comments, continuations and escapes', () => {
    const text = ['! bang comment', '  # indented comment', 'a = 1', 'long = one \\', '    two', 'esc\\ key=tab\\there', 'uni=\\u0041B', 'empty', 'c:d:e'].join('\n');
    expect(parseProperties(text)).toEqual({ a: '1', long: 'one two', 'esc key': 'tab\there', uni: 'AB', empty: '', c: 'd:e' });
  });

  it('accepts CRLF files', () => {
    expect(parseProperties('tickTime=3\r\nclientPort=4\r\n')).toEqual({ tickTime: '3', clientPort: '4' });
  });
});
