// watchkeeper as operators run it: the CLI from the build (dist/), in its own process, with the
// Java client doing a short session against it and four-letter words on the client port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fourLetter } from '../helpers/fourletter.js';
import { JavaClient } from '../helpers/java.js';
import { startWatchkeeperProcess } from '../helpers/watchkeeper.js';
import type { RunningServer } from '../helpers/zookeeper.js';

let server: RunningServer;
let client: JavaClient;

beforeAll(async () => {
  server = await startWatchkeeperProcess();
  client = new JavaClient({ server: server.connectString });
});

afterAll(async () => {
  await client?.stop();
  await server?.stop();
});

describe('watchkeeper CLI process', () => {
  it('serves a Java client session', async () => {
    const [connect, create, get, close] = await client.script([
      'connect a',
      'create2 a /cli-proc hello EPHEMERAL',
      'get a /cli-proc',
      'close a',
    ]);
    expect(connect).toMatchObject({ rc: 0, timeout: 10000 });
    expect(create).toMatchObject({ rc: 0, path: '/cli-proc', stat: { ephemeralOwner: 'a' } });
    expect(get).toMatchObject({ rc: 0, data: 'hello', stat: { version: 0 } });
    expect(close).toMatchObject({ rc: 0 });
  });

  // With no zoo.cfg, ZooKeeper 3.5+ whitelists only srvr among the four-letter words.
  it('answers srvr and refuses ruok by default, as ZooKeeper does', async () => {
    expect(await fourLetter(server.host, server.port, 'srvr')).toMatch(/^Zookeeper version: 3\.\d+\.\d+/);
    expect(await fourLetter(server.host, server.port, 'ruok')).toBe('ruok is not executed because it is not in the whitelist.\n');
  });
});
