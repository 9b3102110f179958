// Four-letter word output against text captured from Apache ZooKeeper 3.8.0 (Debian's package) with
// two kazoo sessions holding watches and ephemerals: the source below reproduces that server's state
// and every answer must come out byte for byte the same.
import { describe, expect, it } from 'vitest';
import {
  answerFourLetterWord,
  FOUR_LETTER_WORDS,
  fullVersion,
  hex64,
  isFourLetterWord,
  javaDate,
  javaDouble,
  javaSocketAddress,
  serverAvg,
  ZK_NOT_SERVING,
} from '../../../src/net/fourletter.js';
import { freshServer, idleConnection, type SourceData, sourceOf } from './source.js';

const ZK_VERSION = '3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC';
const S3 = 0x10000067e6b0003n;
const S4 = 0x10000067e6b0004n;

/** The state behind the captured answers. */
function capturedState(): SourceData {
  const d = freshServer(ZK_VERSION);
  d.connections = [
    idleConnection('127.0.0.1', 42744, {
      interestOps: 1, packetsReceived: 3, packetsSent: 3, sessionId: S4, lastOperation: 'GETD',
      established: 1795401958564, sessionTimeout: 10000, lastCxid: 2, lastZxid: 0x10n, lastResponseTime: 577955,
      maxLatency: 1, avgLatency: 0.5,
    }),
    idleConnection('127.0.0.1', 42752),
    idleConnection('127.0.0.1', 42730, {
      interestOps: 1, packetsReceived: 6, packetsSent: 6, sessionId: S3, lastOperation: 'EXIS',
      established: 1795401958559, sessionTimeout: 10000, lastCxid: 5, lastZxid: 0x10n, lastResponseTime: 577954,
      maxLatency: 1, avgLatency: 0.2,
    }),
  ];
  d.watchesBySession = new Map([[S4, ['/x']], [S3, ['/x', '/nope']]]);
  d.sessionExpiry = [{ expiresAt: Date.UTC(2026, 10, 23, 2, 46, 8), sessionIds: [S3, S4] }];
  d.ephemerals = new Map([[S4, ['/y']], [S3, ['/x/e']]]);
  return d;
}

const all = '*' as const;

describe('answers captured from ZooKeeper 3.8.0', () => {
  it('cons', () => {
    expect(answerFourLetterWord('cons', sourceOf(capturedState()), all)).toBe(
      ' /127.0.0.1:42744[1](queued=0,recved=3,sent=3,sid=0x10000067e6b0004,lop=GETD,est=1795401958564,to=10000,lcxid=0x2,lzxid=0x10,lresp=577955,llat=0,minlat=0,avglat=0,maxlat=1)\n' +
        ' /127.0.0.1:42752[0](queued=0,recved=1,sent=0)\n' +
        ' /127.0.0.1:42730[1](queued=0,recved=6,sent=6,sid=0x10000067e6b0003,lop=EXIS,est=1795401958559,to=10000,lcxid=0x5,lzxid=0x10,lresp=577954,llat=0,minlat=0,avglat=0,maxlat=1)\n' +
        '\n',
    );
  });

  it('stat', () => {
    const d = capturedState();
    d.connections = [
      idleConnection('127.0.0.1', 42744, { interestOps: 1, packetsReceived: 3, packetsSent: 3, sessionId: S4 }),
      idleConnection('127.0.0.1', 42730, { interestOps: 1, packetsReceived: 6, packetsSent: 6, sessionId: S3 }),
      idleConnection('127.0.0.1', 42766),
    ];
    Object.assign(d.stats, { minLatency: 0, avgLatency: 53 / 36, maxLatency: 8, packetsReceived: 39, packetsSent: 39 });
    Object.assign(d.stats, { numAliveConnections: 3, lastProcessedZxid: 0x10n, nodeCount: 10 });
    expect(answerFourLetterWord('stat', sourceOf(d), all)).toBe(
      `Zookeeper version: ${ZK_VERSION}\nClients:\n` +
        ' /127.0.0.1:42744[1](queued=0,recved=3,sent=3)\n' +
        ' /127.0.0.1:42730[1](queued=0,recved=6,sent=6)\n' +
        ' /127.0.0.1:42766[0](queued=0,recved=1,sent=0)\n' +
        '\n' +
        'Latency min/avg/max: 0/1.4722/8\nReceived: 39\nSent: 39\nConnections: 3\nOutstanding: 0\nZxid: 0x10\nMode: standalone\nNode count: 10\n',
    );
  });

  it('srvr (after srst)', () => {
    const d = capturedState();
    Object.assign(d.stats, { packetsReceived: 2, packetsSent: 2, numAliveConnections: 3, lastProcessedZxid: 0x10n, nodeCount: 10 });
    expect(answerFourLetterWord('srvr', sourceOf(d), all)).toBe(
      `Zookeeper version: ${ZK_VERSION}\nLatency min/avg/max: 0/0.0/0\nReceived: 2\nSent: 2\nConnections: 3\nOutstanding: 0\nZxid: 0x10\nMode: standalone\nNode count: 10\n`,
    );
  });

  it('wchs, wchc, wchp', () => {
    const src = sourceOf(capturedState());
    expect(answerFourLetterWord('wchs', src, all)).toBe('2 connections watching 2 paths\nTotal watches:3\n');
    expect(answerFourLetterWord('wchc', src, all)).toBe('0x10000067e6b0004\n\t/x\n0x10000067e6b0003\n\t/x\n\t/nope\n\n');
    expect(answerFourLetterWord('wchp', src, all)).toBe('/x\n\t0x10000067e6b0004\n\t0x10000067e6b0003\n/nope\n\t0x10000067e6b0003\n\n');
  });

  it('dump', () => {
    const d = capturedState();
    const conns = [
      idleConnection('127.0.0.1', 42744, { sessionId: S4 }),
      idleConnection('127.0.0.1', 42806),
      idleConnection('127.0.0.1', 42730, { sessionId: S3 }),
    ];
    const src = {
      ...sourceOf(d),
      connectionExpiry: () => [
        { expiresAt: Date.UTC(2026, 10, 23, 2, 46, 0), connections: [] },
        { expiresAt: Date.UTC(2026, 10, 23, 2, 46, 10), connections: conns },
      ],
    };
    expect(answerFourLetterWord('dump', src, all)).toBe(
      'SessionTracker dump:\nSession Sets (1)/(2):\n2 expire at Mon Nov 23 02:46:08 UTC 2026:\n\t0x10000067e6b0003\n\t0x10000067e6b0004\n' +
        'ephemeral nodes dump:\nSessions with Ephemerals (2):\n0x10000067e6b0004:\n\t/y\n0x10000067e6b0003:\n\t/x/e\n' +
        'Connections dump:\nConnections Sets (2)/(3):\n0 expire at Mon Nov 23 02:46:00 UTC 2026:\n3 expire at Mon Nov 23 02:46:10 UTC 2026:\n' +
        '\tip: /127.0.0.1:42744 sessionId: 0x10000067e6b0004\n\tip: /127.0.0.1:42806 sessionId: 0x0\n\tip: /127.0.0.1:42730 sessionId: 0x10000067e6b0003\n',
    );
  });

  it('fresh server: ruok, isro, dirs, srst, crst, conf, empty watch reports', () => {
    const d = freshServer(ZK_VERSION);
    d.dataDirSize = 457;
    d.logDirSize = 457;
    d.conf = [['clientPort', 21811], ['secureClientPort', -1], ['tickTime', 2000]];
    const src = sourceOf(d);
    expect(answerFourLetterWord('ruok', src, all)).toBe('imok');
    expect(answerFourLetterWord('isro', src, all)).toBe('rw');
    expect(answerFourLetterWord('dirs', src, all)).toBe('datadir_size: 457\nlogdir_size: 457\n');
    expect(answerFourLetterWord('srst', src, all)).toBe('Server stats reset.\n');
    expect(answerFourLetterWord('crst', src, all)).toBe('Connection stats reset.\n');
    expect(d.resets).toEqual(['srst', 'crst']);
    expect(answerFourLetterWord('conf', src, all)).toBe('clientPort=21811\nsecureClientPort=-1\ntickTime=2000\n');
    expect(answerFourLetterWord('wchs', src, all)).toBe('0 connections watching 0 paths\nTotal watches:0\n');
    expect(answerFourLetterWord('wchc', src, all)).toBe('\n');
    expect(answerFourLetterWord('wchp', src, all)).toBe('\n');
  });

  it('mntr is zk_<key>\\t<value> lines, version and server_state first', () => {
    const text = answerFourLetterWord('mntr', sourceOf(freshServer(ZK_VERSION)), all)!;
    const lines = text.split('\n');
    expect(lines.slice(0, 2)).toEqual([`zk_version\t${ZK_VERSION}`, 'zk_server_state\tstandalone']);
    expect(lines.at(-1)).toBe('');
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^zk_[a-z_]+\t\S.*$/);
    expect(text).toContain('zk_avg_latency\t0.0\n');
    expect(text).toContain('zk_znode_count\t5\n');
  });

  it('envi starts with zookeeper.version, which kazoo parses', () => {
    const text = answerFourLetterWord('envi', sourceOf(freshServer(fullVersion('0.1.0'))), all)!;
    expect(text.startsWith('Environment:\nzookeeper.version=3.8.0-watchkeeper-0.1.0\n')).toBe(true);
    expect(text).toMatch(/\nuser\.dir=.+\nos\.memory\.free=\d+MB\nos\.memory\.max=\d+MB\nos\.memory\.total=\d+MB\n$/);
  });
});

describe('whitelist and unknown words', () => {
  it('answers the whitelist refusal for known words that are not enabled', () => {
    const src = sourceOf(freshServer(ZK_VERSION));
    expect(answerFourLetterWord('stat', src, new Set(['ruok']))).toBe('stat is not executed because it is not in the whitelist.\n');
    expect(answerFourLetterWord('ruok', src, new Set(['ruok']))).toBe('imok');
  });

  it('always allows srvr (ZooKeeper\'s zkServer.sh needs it)', () => {
    expect(answerFourLetterWord('srvr', sourceOf(freshServer(ZK_VERSION)), new Set())).toMatch(/^Zookeeper version: /);
  });

  it('returns null for anything that is not a four-letter word', () => {
    const src = sourceOf(freshServer(ZK_VERSION));
    for (const w of ['RUOK', 'abcd', '\u0000\u0000\u0000\u002c', 'ruo']) expect(answerFourLetterWord(w, src, all)).toBeNull();
    expect(isFourLetterWord(Buffer.from('mntr'))).toBe(true);
    expect(isFourLetterWord(Buffer.from([0, 0, 0, 44, 0]))).toBe(false);
    expect(FOUR_LETTER_WORDS.size).toBe(15);
  });

  it('a server that is not running says so, except ruok/envi/isro', () => {
    const d = freshServer(ZK_VERSION);
    d.running = false;
    const src = sourceOf(d);
    expect(answerFourLetterWord('srvr', src, all)).toBe(ZK_NOT_SERVING);
    expect(answerFourLetterWord('mntr', src, all)).toBe(ZK_NOT_SERVING);
    expect(answerFourLetterWord('isro', src, all)).toBe('null');
    expect(answerFourLetterWord('ruok', src, all)).toBe('imok');
  });
});

describe('Java formatting helpers', () => {
  it.each([
    [0, '0.0'], [1, '1.0'], [1.5, '1.5'], [0.001, '0.001'], [1e7, '1.0E7'], [12345678.9, '1.23456789E7'], [0.0001, '1.0E-4'],
  ])('Double.toString(%s) = %s', (v, s) => {
    expect(javaDouble(v)).toBe(s);
  });

  it('rounds server averages half-up to 4 decimals', () => {
    expect(serverAvg(53 / 36)).toBe('1.4722');
    expect(serverAvg(0.00005)).toBe('1.0E-4');
    expect(serverAvg(2)).toBe('2.0');
  });

  it('hex64 prints two\'s complement like Long.toHexString', () => {
    expect(hex64(-1n)).toBe('ffffffffffffffff');
    expect(hex64(0n)).toBe('0');
    expect(hex64(S3)).toBe('10000067e6b0003');
  });

  it('socket addresses and dates', () => {
    expect(javaSocketAddress('::ffff:127.0.0.1', 5)).toBe('/127.0.0.1:5');
    expect(javaSocketAddress('::1', 5)).toBe('/[::1]:5');
    expect(javaDate(Date.UTC(2026, 0, 4, 5, 6, 7))).toBe('Sun Jan 04 05:06:07 UTC 2026');
  });
});
