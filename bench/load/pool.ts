// The coordinator's handle on the generator processes (child_process.fork of worker.js): send a
// command to one or all, await replies, collect fan-out events, and add up the generator's own CPU.
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command, FanEvent, WorkerReply } from './worker.js';

const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'worker.js');
const COMMAND_TIMEOUT_MS = 15 * 60_000;
/** run.js --gen-cpu-prof DIR sets this: every generator process writes a V8 .cpuprofile there. */
const profDir = (): string | undefined => process.env.WK_GEN_CPU_PROF;
/** A profiled generator exits by itself on disconnect (writing its profile); killed if it lingers. */
const PROF_EXIT_GRACE_MS = 10_000;

interface Waiter {
  resolve: (r: WorkerReply) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

class GeneratorProcess {
  readonly child: ChildProcess;
  private seq = 0;
  private readonly waiting = new Map<number, Waiter>();
  cpuUs = 0;
  onFan: (e: FanEvent) => void = () => {};

  constructor(index: number) {
    const dir = profDir();
    const prof = dir ? ['--cpu-prof', '--cpu-prof-dir', dir] : [];
    this.child = fork(WORKER, [String(index)], { execArgv: ['--max-old-space-size=4096', ...prof], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m: WorkerReply | FanEvent) => this.message(m));
    this.child.on('exit', (code) => this.failAll(new Error(`generator ${index} exited (${code})`)));
  }

  private message(m: WorkerReply | FanEvent): void {
    if ('event' in m) return this.onFan(m);
    const w = this.waiting.get(m.id);
    if (!w) return;
    this.waiting.delete(m.id);
    clearTimeout(w.timer);
    this.cpuUs = m.cpuUs;
    w.resolve(m);
  }

  private failAll(err: Error): void {
    for (const w of this.waiting.values()) clearTimeout(w.timer), w.reject(err);
    this.waiting.clear();
  }

  run<T>(cmd: Command): Promise<T> {
    const id = ++this.seq;
    return new Promise<WorkerReply>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`generator command ${cmd.op} timed out`)), COMMAND_TIMEOUT_MS);
      this.waiting.set(id, { resolve, reject, timer });
      this.child.send({ id, cmd });
    }).then((r) => {
      if (!r.ok) throw new Error(`generator ${cmd.op}: ${r.error}`);
      return r.result as T;
    });
  }
}

export class GeneratorPool {
  readonly procs: GeneratorProcess[];

  constructor(n: number) {
    this.procs = Array.from({ length: n }, (_, i) => new GeneratorProcess(i));
  }

  get size(): number {
    return this.procs.length;
  }

  /** Sends each generator its own command (built from its index) and awaits all results. */
  each<T>(build: (i: number) => Command): Promise<T[]> {
    return Promise.all(this.procs.map((p, i) => p.run<T>(build(i))));
  }

  /** Sum of the generators' CPU time (µs) as of their last replies. */
  async cpuUs(): Promise<number> {
    await this.each(() => ({ op: 'cpu' }));
    return this.procs.reduce((a, p) => a + p.cpuUs, 0);
  }

  close(): void {
    for (const p of this.procs) if (p.child.connected) p.child.disconnect();
    if (!profDir()) for (const p of this.procs) p.child.kill('SIGKILL');
    else for (const p of this.procs) setTimeout(() => p.child.kill('SIGKILL'), PROF_EXIT_GRACE_MS).unref();
  }
}

/** Splits `total` into `parts` near-equal shares. */
export function shares(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}
