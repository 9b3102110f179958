// Promise wrappers over node-zookeeper-client (callback API, no bundled types) for the compat
// test. Errors come back as ZooKeeper codes so tests compare numbers.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const nzk: any = require('node-zookeeper-client');

export interface NodeEvent {
  type: string;
  path: string;
}

type Cb = (error: { getCode(): number } | null, ...rest: unknown[]) => void;

/** Result of a call: the error code (0 = ok) and the callback's values. */
export interface Outcome {
  rc: number;
  values: unknown[];
}

export class NodeClient {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly raw: any;
  readonly events: NodeEvent[] = [];
  readonly states: string[] = [];

  constructor(connectString: string, options: Record<string, unknown> = {}) {
    this.raw = nzk.createClient(connectString, { sessionTimeout: 10_000, spinDelay: 100, ...options });
    this.raw.on('state', (s: { getName(): string }) => this.states.push(s.getName()));
  }

  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('node-zookeeper-client did not connect')), 15_000);
      this.raw.once('connected', () => {
        clearTimeout(timer);
        resolve();
      });
      this.raw.connect();
    });
  }

  /** A watcher that records events in this client's list. */
  readonly watcher = (e: { getName(): string; getPath(): string }): void => {
    this.events.push({ type: e.getName(), path: e.getPath() });
  };

  /** Calls method(...args, callback) and settles with the error code and the results. */
  call(method: string, ...args: unknown[]): Promise<Outcome> {
    return new Promise((resolve) => {
      const cb: Cb = (error, ...values) => resolve({ rc: error ? error.getCode() : 0, values });
      this.raw[method](...args, cb);
    });
  }

  /** Commits a transaction built by build(t); rc is the first failing op's code. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  commit(build: (t: any) => any): Promise<Outcome> {
    return new Promise((resolve) => {
      build(this.raw.transaction()).commit((error: { getCode(): number } | null, results: unknown) =>
        resolve({ rc: error ? error.getCode() : 0, values: [results] }),
      );
    });
  }

  /** Waits until at least n events have arrived (bounded). */
  async waitEvents(n: number, timeoutMs = 10_000): Promise<NodeEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return this.events.splice(0, this.events.length);
  }

  close(): void {
    this.raw.close();
  }
}
