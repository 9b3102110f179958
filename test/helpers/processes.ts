// Child processes started by tests: every one is registered here so that a worker that exits
// (normally or on an uncaught error) takes its servers and clients with it.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const live = new Set<ChildProcess>();
let hooked = false;

function killAllSync(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', killAllSync);
}

/** spawn() that remembers the child until it exits. */
export function spawnTracked(cmd: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
  hookExit();
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], ...opts });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Resolves when the child has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** SIGTERM, then SIGKILL after graceMs if the child is still there. */
export async function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

/** Collects a child's output (bounded) for error messages. */
export function captureOutput(child: ChildProcess, limit = 64 * 1024): () => string {
  let text = '';
  const add = (chunk: Buffer): void => {
    if (text.length < limit) text += chunk.toString('utf8');
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  return () => text;
}

/**
 * Ties a child's life to this process even when this process dies by SIGKILL (a vitest worker
 * killed on timeout runs no exit handlers): a shell watches a pipe from us and kills the child
 * when the pipe closes. Returns a function that disarms the watchdog.
 */
export function guardChild(child: ChildProcess): () => void {
  if (child.pid === undefined) return () => undefined;
  const dog = spawnTracked('bash', ['-c', `read -r _; kill -9 ${child.pid} 2>/dev/null`], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  const disarm = (): void => {
    dog.kill('SIGKILL');
  };
  child.once('exit', disarm);
  return disarm;
}
