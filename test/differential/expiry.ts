// Session expiry as a client sees it: a session whose connection is cut (through a proxy that then
// refuses reconnects) outlives its timeout; the server expires it, deletes its ephemerals and
// notifies the other sessions' watchers; when the client gets through again it learns Expired.
import { JavaClient, type Reply } from '../helpers/java.js';
import { TcpProxy } from '../helpers/proxy.js';
import type { RunningServer } from '../helpers/zookeeper.js';

export interface ExpiryResult {
  replies: Reply[];
  /** Events of the watching session a once the session expired (each "Type:State path"). */
  watcher: string[];
  /** Events of the expired session e, from the cut on. */
  expired: string[];
}

type Event = { type: string; state: string; path: string | null };
const names = (r: Reply): string[] => (r.events as Event[]).map((e) => `${e.type}:${e.state} ${e.path ?? ''}`);

export async function expiryScenario(server: RunningServer): Promise<ExpiryResult> {
  const proxy = new TcpProxy(server.host, server.port);
  const client = new JavaClient({ server: server.connectString, proxy: await proxy.start() });
  const replies: Reply[] = [];
  const run = async (line: string): Promise<Reply> => {
    const r = await client.cmd(line, 60_000);
    replies.push(r);
    return r;
  };
  try {
    // 4000 ms is the shortest timeout a tickTime-2000 server grants (2 * tickTime).
    for (const line of ['connect a server', 'connect e proxy 4000', 'create a /d-exp x PERSISTENT',
      'create2 e /d-exp/eph x EPHEMERAL', 'get a /d-exp/eph watch', 'ls a /d-exp watch', 'events a', 'events e']) {
      await run(line);
    }
    proxy.cut();
    const watcher = names(await run('waitEvents a 2 30000'));
    proxy.resume();
    await run('waitState e Expired 30000');
    const expired = names(await run('waitEvents e 2 10000'));
    for (const line of ['exists a /d-exp/eph', 'ephemerals a', 'delete a /d-exp -1', 'close a']) await run(line);
    return { replies, watcher, expired };
  } finally {
    await client.stop();
    await proxy.stop();
  }
}
