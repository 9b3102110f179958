// One benchmark child process: drives a TypeScript WatchManager (reference or wasm) through one
// shape and prints one JSON line per operation, the same lines bench/watch/java/WatchBench.java
// prints, for run.ts to parse:
//
//   node --expose-gc dist/bench/watch/driver.js IMPL NAME WATCHERS K P WARM_MS BUDGET_MS

import { measure, warmUp, type Line } from './phases.js';
import { warmUpShape, type Shape, type ShapeName } from './shapes.js';
import { loadSubject, type SubjectFactory, type TsImpl } from './subjects.js';

function emit(line: Line): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function parseShape(argv: readonly string[]): Shape {
  const [name, watchers, perWatcher, pool] = argv;
  const n = (v: string | undefined): number => {
    const x = Number(v);
    if (!Number.isInteger(x) || x <= 0) throw new Error(`bad shape argument ${v}`);
    return x;
  };
  return { name: name as ShapeName, label: name ?? '', watchers: n(watchers), perWatcher: n(perWatcher), pool: n(pool) };
}

async function main(): Promise<void> {
  const [implArg, ...rest] = process.argv.slice(2);
  const [warmMs, budgetMs] = rest.slice(4).map(Number) as [number, number];
  const impl = implArg as TsImpl;
  const shape = parseShape(rest);
  let make: SubjectFactory;
  try {
    make = await loadSubject(impl);
  } catch (e) {
    emit({ impl, shape: shape.name, skip: `not available: ${(e as Error).message.split('\n')[0]}` });
    return;
  }
  try {
    warmUp(make, warmUpShape(shape), warmMs);
    measure(impl, make, shape, budgetMs, emit);
  } catch (e) {
    emit({ impl, shape: shape.name, skip: `${(e as Error).name}: ${(e as Error).message}` });
  }
}

await main();
