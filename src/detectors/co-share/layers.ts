/**
 * Running the layers of co-share, several at once where the machine has the cores. A layer's run (layer.ts) is
 * pure computation on its own columns, and at millions of posts it is most of co-share's time, on one core while
 * the others wait. Each worker thread runs one layer at a time; the outcomes are put back in layer order, so the
 * result is the same whichever thread ran a layer and whenever it finished.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { WalkScratch } from "./account-walk.js";
import { columnBuffers, runLayer, type LayerColumns, type LayerOutcome, type LayerSpec } from "./layer.js";
import type { LayerReply, LayerTask } from "./layer-worker.js";

/** Below this many shares in all, layers run in the calling thread: starting workers would cost more. */
const MIN_SHARES_FOR_THREADS = 200_000;
/** Most threads used: each holds one layer's pairs (about 2 GiB for the largest layers at 10M posts). */
const MAX_THREADS = 4;

/**
 * Threads for `totalShares` shares over `layers` layers: one per core up to `MAX_THREADS`, never more than the
 * layers, and 1 for small runs. `CHORUS_THREADS` (a positive integer) overrides the core count, e.g. 1 to keep
 * every layer in the calling thread.
 */
export function layerThreads(totalShares: number, layers: number, env = process.env): number {
  const forced = env["CHORUS_THREADS"];
  let cores = availableParallelism();
  if (forced !== undefined && forced !== "") {
    const n = Number(forced);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`CHORUS_THREADS must be a positive integer, got '${forced}'`);
    cores = n;
  } else if (totalShares < MIN_SHARES_FOR_THREADS) return 1;
  return Math.max(1, Math.min(cores, MAX_THREADS, layers));
}

/**
 * Run every layer, with `threads` worker threads (1: in the calling thread). Outcomes are in the layers' order. A
 * layer's columns are lent to its thread (transferred, not copied) and put back into the same object with its
 * outcome; while the layer runs, the caller's arrays are empty.
 */
export async function runLayers(
  layers: readonly LayerColumns[],
  spec: LayerSpec,
  threads: number,
  onDone?: (index: number, outcome: LayerOutcome, seconds: number) => void,
): Promise<LayerOutcome[]> {
  if (threads <= 1 || layers.length <= 1) {
    const scratch = new WalkScratch();
    return layers.map((cols, i) => {
      const start = performance.now();
      const outcome = runLayer(cols, spec, scratch);
      onDone?.(i, outcome, (performance.now() - start) / 1000);
      return outcome;
    });
  }
  // the costliest layers first, so that the last to finish is a cheap one (by share count alone, the domains of
  // 10M posts, as many shares as the links but three times the pairs, ran last, alone for a minute)
  const cost = layers.map((l) => layerCost(l, spec.windowMs, spec.maxPartnersPerShare));
  const queue = layers.map((_, i) => i).sort((x, y) => cost[y]! - cost[x]! || x - y);
  const out: Array<LayerOutcome | undefined> = new Array(layers.length);
  const workers = Array.from({ length: Math.min(threads, layers.length) }, () => startWorker());
  try {
    await Promise.all(
      workers.map(async (worker) => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
          const lent = columnsOf(layers[i]!);
          const { outcome, cols, seconds } = await runOn(worker, { index: i, cols: lent, spec });
          // the shares were lent to the thread (transferred, not copied): they are the caller's again
          Object.assign(layers[i]!, cols);
          out[i] = outcome;
          onDone?.(i, outcome, seconds);
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out.map((o, i) => {
    if (o === undefined) throw new Error(`co-share: layer ${i} was not run`);
    return o;
  });
}

/**
 * The work of a layer's walk, to schedule it: the share pairs within the window (each share with the earlier shares
 * of its object at most `windowMs` before it, at most `maxPartners` of them), counted in one pass over the shares,
 * which are sorted by object then time. It is the number of co-shares the walk visits.
 */
export function layerCost(
  cols: Pick<LayerColumns, "object" | "tsMs">,
  windowMs: number,
  maxPartners: number,
): number {
  const { object, tsMs } = cols;
  let cost = 0;
  for (let i = 0, lo = 0; i < object.length; i++) {
    while (object[lo] !== object[i] || tsMs[i]! - tsMs[lo]! > windowMs) lo++;
    cost += Math.min(i - lo, maxPartners);
  }
  return cost;
}

/** Only the columns a layer reads: they go to the thread and come back, the rest of the caller's object stays. */
function columnsOf(c: LayerColumns): LayerColumns {
  return { object: c.object, account: c.account, tsMs: c.tsMs, post: c.post };
}

function startWorker(): Worker {
  // compiled, the worker is the .js beside this file. From source (tests, benchmarks) it is the .ts, which Node 20
  // does not load in a worker even with the parent's TypeScript loader in execArgv: the worker then starts from a
  // line of JavaScript that imports it through tsx (a development dependency, present wherever the source runs)
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./layer-worker.js", import.meta.url));
  const entry = new URL("./layer-worker.ts", import.meta.url).href;
  const api = import.meta.resolve("tsx/esm/api");
  const code = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(code, { eval: true });
}

function runOn(
  worker: Worker,
  task: LayerTask,
): Promise<{ outcome: LayerOutcome; cols: LayerColumns; seconds: number }> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    const onMessage = (reply: LayerReply): void => {
      cleanup();
      if ("error" in reply)
        reject(new Error(`co-share: layer ${reply.index} failed in its thread: ${reply.error}`));
      else resolve({ outcome: reply.outcome, cols: reply.cols, seconds: reply.seconds });
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`co-share: a layer's thread stopped (exit code ${code})`));
    };
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.postMessage(task, columnBuffers(task.cols));
  });
}
