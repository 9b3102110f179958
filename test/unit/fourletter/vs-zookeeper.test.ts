// Every four-letter word asked of a fresh Apache ZooKeeper 3.8 and of answerFourLetterWord over a
// source in the same state: after masking numbers, addresses and dates the answers must be line for
// line the same. One word is left out of the whitelist to compare the refusal text exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerFourLetterWord, confEntries, FOUR_LETTER_WORDS } from '../../../src/net/fourletter.js';
import { fourLetter } from '../../helpers/fourletter.js';
import { type RunningServer, startZooKeeper } from '../../helpers/zookeeper.js';
import { freshServer, sourceOf } from './source.js';

const REFUSED = 'crst';
const ENABLED = [...FOUR_LETTER_WORDS].filter((w) => w !== REFUSED);
const ZK_VERSION = '3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC';

/** Masks what legitimately differs between two servers: numbers, paths, dates, environment values. */
function shape(text: string, word: string): string {
  let t = text.replace(/[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d \w+ \d{4}/g, '<date>');
  if (word === 'envi') t = t.replace(/=.*$/gm, '=<v>');
  if (word === 'conf') t = t.replace(/^(dataDir|dataLogDir)=.*$/gm, '$1=<dir>');
  // ZooKeeper's connection expiry queue keeps a bucket after its last connection closed (here the
  // earlier four-letter connections, if they fell in another tick): an empty "expire at" bucket is
  // timing, not shape. Drop buckets with no connection line under them.
  if (word === 'dump') t = t.replace(/^\d+ expire at [^\n]*:\n(?=\d+ expire at |$)/gm, '');
  return t.replace(/0x[0-9a-f]+/g, '0x<n>').replace(/\d+/g, '<n>');
}

describe('four-letter words vs Apache ZooKeeper 3.8 (fresh server)', () => {
  let zk: RunningServer;
  const real = new Map<string, string>();

  beforeAll(async () => {
    zk = await startZooKeeper({ extra: { '4lw.commands.whitelist': ENABLED.join(',') } });
    // ruok answers imok before the database is loaded; isro says "rw" once it is serving.
    for (let i = 0; i < 100 && (await fourLetter(zk.host, zk.port, 'isro')) !== 'rw'; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const w of FOUR_LETTER_WORDS) real.set(w, await fourLetter(zk.host, zk.port, w));
  });

  afterAll(async () => {
    await zk?.stop();
  });

  function ours(word: string): string {
    const d = freshServer(ZK_VERSION);
    d.conf = confEntries({
      clientPort: zk.port, dataDir: '/d/version-2', dataDirSize: 0, dataLogDir: '/d/version-2', dataLogSize: 0,
      tickTime: 2000, maxClientCnxns: 0, minSessionTimeout: 4000, maxSessionTimeout: 40000, serverId: 0,
    });
    d.sessionExpiry = [];
    d.connections[0]!.expiresAt = Date.now() + 10_000;
    return answerFourLetterWord(word, sourceOf(d), new Set(ENABLED))!;
  }

  // mntr is checked below: ZooKeeper prints some 300 metrics in hash order, we print the useful ones.
  it.each(ENABLED.filter((w) => w !== 'mntr'))('%s has ZooKeeper\'s shape', (word) => {
    expect(shape(ours(word), word)).toBe(shape(real.get(word)!, word));
  });

  it('mntr starts with version and server_state, as ZooKeeper\'s dumpMonitorValues', () => {
    const firstTwo = (t: string): string[] => t.split('\n').slice(0, 2);
    expect(firstTwo(ours('mntr'))).toEqual(firstTwo(real.get('mntr')!));
  });

  it('the refusal of a word outside the whitelist is byte-identical', () => {
    expect(real.get(REFUSED)).toBe(`${REFUSED} is not executed because it is not in the whitelist.\n`);
    expect(ours(REFUSED)).toBe(real.get(REFUSED));
  });

  it('every mntr key we print is one ZooKeeper prints', () => {
    const keys = (t: string): string[] => t.split('\n').filter(Boolean).map((l) => l.split('\t')[0]!);
    const zkKeys = new Set(keys(real.get('mntr')!));
    const d = freshServer(ZK_VERSION);
    d.monitor = { ...d.monitor, openFileDescriptorCount: 10, maxFileDescriptorCount: 100 };
    const mine = keys(answerFourLetterWord('mntr', sourceOf(d), '*')!);
    expect(mine.filter((k) => !zkKeys.has(k))).toEqual([]);
  });
});
