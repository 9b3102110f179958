// The Java client's reconnect with thousands of watches, some persistent: on reconnect the 3.8
// client re-registers them with SetWatches2 (105) requests of at most 128 KB each
// (ClientCnxn.SendThread.primeConnection), and the server answers with catch-up events for the
// one-shot watches whose nodes changed while the client was away (DataTree.setWatches).
import { JavaClient, type Reply } from '../helpers/java.js';
import { TcpProxy } from '../helpers/proxy.js';
import type { RunningServer } from '../helpers/zookeeper.js';

/** Long names make the watch lists span several 128 KB SetWatches2 batches. */
export const PREFIX = `/sw2-${'p'.repeat(80)}`;
export const CHILDREN = 1500;

export interface ReconnectResult {
  /** Replies of every step, for a readable failure message. */
  replies: Reply[];
  /** Events seen while away and on reconnect, and after later changes (each "Type path"). */
  catchUp: string[];
  after: string[];
  /** Opcodes of the reconnected connection's requests. */
  opcodes: number[];
}

type Event = { type: string; state: string; path: string | null };

function names(reply: Reply): string[] {
  return (reply.events as Event[]).map((e) => `${e.type}:${e.state} ${e.path ?? ''}`.replace(PREFIX, 'P'));
}

/** Runs the scenario with client w behind a proxy in front of `server`. */
export async function reconnectScenario(server: RunningServer): Promise<ReconnectResult> {
  const proxy = new TcpProxy(server.host, server.port);
  const client = new JavaClient({ server: server.connectString, proxy: await proxy.start() });
  const replies: Reply[] = [];
  const run = async (line: string): Promise<Reply> => {
    const r = await client.cmd(line, 120_000);
    replies.push(r);
    return r;
  };
  try {
    for (const line of setupLines()) await run(line);
    proxy.cut(); // and refuse the client's reconnects while the nodes change
    await run('waitState w Disconnected 20000');
    for (const line of awayLines()) await run(line);
    proxy.resume();
    await run('waitState w SyncConnected 20000');
    const catchUp = names(await run('events w'));
    for (const line of afterLines()) await run(line);
    const after = names(await run('events w'));
    return { replies, catchUp, after, opcodes: proxy.connections.at(-1)?.opcodes ?? [] };
  } finally {
    await client.stop();
    await proxy.stop();
  }
}

function setupLines(): string[] {
  return [
    'connect a server',
    'connect w proxy',
    `create a ${PREFIX} x PERSISTENT`,
    `bulkCreate a ${PREFIX} ${CHILDREN}`,
    'create a /sw2r x PERSISTENT',
    `bulkWatch w ${PREFIX} ${CHILDREN} data`,
    `bulkWatch w ${PREFIX} ${CHILDREN} child`,
    `bulkWatch w ${PREFIX} ${CHILDREN} exists /new`,
    `addWatch w ${PREFIX} PERSISTENT`,
    'addWatch w /sw2r PERSISTENT_RECURSIVE',
    'events w',
  ];
}

function awayLines(): string[] {
  return [
    `set a ${PREFIX}/5 changed -1`,
    `create a ${PREFIX}/7/new x PERSISTENT`,
    `delete a ${PREFIX}/11 -1`,
    'create a /sw2r/missed x PERSISTENT',
  ];
}

function afterLines(): string[] {
  return [
    `set a ${PREFIX}/20 later -1`,
    `create a ${PREFIX}/30/new x PERSISTENT`,
    `create a ${PREFIX}/extra x PERSISTENT`,
    'create a /sw2r/later x PERSISTENT',
    'set a /sw2r/later y -1',
  ];
}
