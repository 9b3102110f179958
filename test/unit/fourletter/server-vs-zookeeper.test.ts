// The four-letter words of a running watchkeeper (its real FourLetterSource over sockets), next
// to a fresh Apache ZooKeeper 3.8 asked the same words in the same order: same lines after
// masking what legitimately differs (numbers, dates, directories, environment), and the figures
// that must agree on two fresh servers agree exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOUR_LETTER_WORDS } from '../../../src/net/fourletter.js';
import { MNTR_EXTRAS } from '../../../src/server/stats.js';
import { createServer, type WatchkeeperServer } from '../../../src/server/server.js';
import { fourLetter } from '../../helpers/fourletter.js';
import { type RunningServer, startZooKeeper } from '../../helpers/zookeeper.js';

// mntr is compared key by key below (ZooKeeper prints ~300 metrics in hash order).
const WORDS = [...FOUR_LETTER_WORDS].filter((w) => w !== 'mntr');

function shape(text: string, word: string): string {
  let t = text.replace(/[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d \w+ \d{4}/g, '<date>');
  if (word === 'envi') t = t.replace(/=.*$/gm, '=<v>');
  if (word === 'conf') t = t.replace(/^(dataDir|dataLogDir)=.*$/gm, '$1=<dir>');
  t = t.replace(/^Zookeeper version: .*$/m, 'Zookeeper version: <v>');
  return t.replace(/0x[0-9a-f]+/g, '0x<n>').replace(/\d+/g, '<n>');
}

const line = (text: string, key: string): string | undefined => text.split('\n').find((l) => l.startsWith(key));

describe('a fresh watchkeeper vs a fresh Apache ZooKeeper 3.8, word by word', () => {
  let zk: RunningServer;
  let wk: WatchkeeperServer;
  let wkPort = 0;
  const real = new Map<string, string>();
  const ours = new Map<string, string>();

  beforeAll(async () => {
    zk = await startZooKeeper();
    for (let i = 0; i < 100 && (await fourLetter(zk.host, zk.port, 'isro')) !== 'rw'; i++) await new Promise((r) => setTimeout(r, 100));
    wk = createServer({ host: '127.0.0.1', port: 0, fourLetterWhitelist: '*' });
    wkPort = (await wk.listen()).port;
    await fourLetter(zk.host, zk.port, 'srst');
    await fourLetter('127.0.0.1', wkPort, 'srst');
    for (const w of [...WORDS, 'mntr']) {
      real.set(w, await fourLetter(zk.host, zk.port, w));
      ours.set(w, await fourLetter('127.0.0.1', wkPort, w));
    }
  }, 90_000);

  afterAll(async () => {
    await wk?.close();
    await zk?.stop();
  });

  it.each(WORDS)('%s has ZooKeeper\'s shape', (word) => {
    expect(shape(ours.get(word)!, word)).toBe(shape(real.get(word)!, word));
  });

  it.each(['Received:', 'Sent:', 'Connections:', 'Outstanding:', 'Zxid:', 'Mode:', 'Node count:'])(
    'srvr/stat "%s" agrees exactly',
    (key) => {
      for (const w of ['srvr', 'stat']) expect(line(ours.get(w)!, key)).toBe(line(real.get(w)!, key));
    },
  );

  it('cons lists the asking connection as ZooKeeper does', () => {
    const strip = (t: string) => t.replace(/:\d+\[/g, ':<port>[');
    expect(strip(ours.get('cons')!)).toBe(strip(real.get('cons')!));
  });

  it('conf names the bound port', () => {
    expect(line(ours.get('conf')!, 'clientPort=')).toBe(`clientPort=${wkPort}`);
  });

  it('mntr values that two fresh servers share are equal; watchkeeper lines are added', () => {
    const parse = (t: string) => new Map(t.trim().split('\n').map((l) => l.split('\t') as [string, string]));
    const z = parse(real.get('mntr')!);
    const o = parse(ours.get('mntr')!);
    for (const k of ['server_state', 'ephemerals_count', 'num_alive_connections', 'outstanding_requests', 'znode_count',
      'global_sessions', 'packets_sent', 'packets_received', 'watch_count', 'approximate_data_size', 'min_latency', 'max_latency']) {
      expect({ k, v: o.get(`zk_${k}`) }).toEqual({ k, v: z.get(`zk_${k}`) });
    }
    for (const k of MNTR_EXTRAS) expect(Number(o.get(`zk_${k}`))).toBeGreaterThanOrEqual(0);
    expect(Number(o.get('zk_open_file_descriptor_count'))).toBeGreaterThan(0);
  });
});
