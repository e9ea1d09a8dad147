/**
 * Worker threads for the steps that parallelise (co-share's layers): how a worker's module is found, compiled or
 * from source, and how many cores a step may use.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/**
 * Start the worker module `name` (without extension) that sits beside `callerUrl` (the caller's
 * `import.meta.url`). Compiled, it is the .js beside the caller. From source (tests, benchmarks) it is the .ts,
 * which Node 20 does not load in a worker even with the parent's TypeScript loader in execArgv: the worker then
 * starts from a line of JavaScript that imports it through tsx (a development dependency, present wherever the
 * source runs).
 */
export function startWorker(callerUrl: string, name: string): Worker {
  if (!callerUrl.endsWith(".ts")) return new Worker(new URL(`./${name}.js`, callerUrl));
  const entry = new URL(`./${name}.ts`, callerUrl).href;
  const api = import.meta.resolve("tsx/esm/api");
  const code = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(callerUrl)}))`;
  return new Worker(code, { eval: true });
}

/**
 * The cores a step may use: `CHORUS_THREADS` (a positive integer) when set, else the machine's parallelism.
 * `CHORUS_THREADS=1` keeps every step in the calling thread.
 */
export function coresAllowed(env: NodeJS.ProcessEnv = process.env): { cores: number; forced: boolean } {
  const forced = env["CHORUS_THREADS"];
  if (forced === undefined || forced === "") return { cores: availableParallelism(), forced: false };
  const n = Number(forced);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`CHORUS_THREADS must be a positive integer, got '${forced}'`);
  return { cores: n, forced: true };
}
