/**
 * Worker threads for pure computation that would otherwise hold the main thread while DuckDB or another thread
 * waits for a core.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/**
 * A worker running the module `name` (without extension) beside the module at `from` (its `import.meta.url`).
 * Compiled, the worker is the .js beside that module. From source (tests, benchmarks) it is the .ts, which Node 20
 * does not load in a worker even with the parent's TypeScript loader in execArgv: the worker then starts from a
 * line of JavaScript that imports it through tsx (a development dependency, present wherever the source runs).
 */
export function startWorker(name: string, from: string): Worker {
  if (!from.endsWith(".ts")) return new Worker(new URL(`./${name}.js`, from));
  const entry = new URL(`./${name}.ts`, from).href;
  const api = import.meta.resolve("tsx/esm/api");
  const code = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(from)}))`;
  return new Worker(code, { eval: true });
}

/**
 * The cores to use: `CHORUS_THREADS` when set (a positive integer; 1 keeps all work in the calling thread), else
 * the machine's. `forced` says whether the variable set it.
 */
export function coresToUse(env: NodeJS.ProcessEnv = process.env): { cores: number; forced: boolean } {
  const given = env["CHORUS_THREADS"];
  if (given === undefined || given === "") return { cores: availableParallelism(), forced: false };
  const n = Number(given);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`CHORUS_THREADS must be a positive integer, got '${given}'`);
  return { cores: n, forced: true };
}
