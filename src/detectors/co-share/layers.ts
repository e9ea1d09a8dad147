/**
 * Running the layers of co-share, several at once where the machine has the cores. A layer's run (layer.ts) is
 * pure computation on its own columns, and at millions of posts it is most of co-share's time, on one core while
 * the others wait. Each worker thread runs one layer, or one part of a layer split by ranges of accounts, at a
 * time; the outcomes are put back in layer order, so the result is the same whichever thread ran a layer and
 * whenever it finished.
 */
import type { Worker } from "node:worker_threads";
import { coresToUse, startWorker } from "../../threads.js";
import { WalkScratch } from "./account-walk.js";
import { MIN_PARTNER_CAP } from "./kernel.js";
import {
  CLOSED_MAX_SHARES,
  columnBuffers,
  layerPairBudget,
  pick,
  runLayer,
  tieCandidates,
  type LayerColumns,
  type LayerOutcome,
  type LayerSpec,
} from "./layer.js";
import type { LayerReply, LayerTask } from "./layer-worker.js";

/** Below this many shares in all, layers run in the calling thread: starting workers would cost more. */
const MIN_SHARES_FOR_THREADS = 200_000;
/** Most threads used: each holds one layer's pairs, or a part's (about 2 GiB for the largest at 10M posts). */
const MAX_THREADS = 4;

/**
 * Threads for `totalShares` shares over `layers` layers: one per core up to `MAX_THREADS`, and 1 for small runs or
 * no layer. A single layer gets them too: it is split between them (`runLayers`). `CHORUS_THREADS` (a positive
 * integer) overrides the core count, e.g. 1 to keep every layer in the calling thread.
 */
export function layerThreads(totalShares: number, layers: number, env = process.env): number {
  const { cores, forced } = coresToUse(env);
  if (!forced && totalShares < MIN_SHARES_FOR_THREADS) return 1;
  return layers === 0 ? 1 : Math.max(1, Math.min(cores, MAX_THREADS));
}

/**
 * Run every layer, with `threads` worker threads (1: in the calling thread). Outcomes are in the layers' order. A
 * layer's columns are lent to its thread (transferred, not copied) and put back into the same object with its
 * outcome; while the layer runs, the caller's arrays are empty.
 *
 * A layer that would take longer than an even share of all the work (at 10M posts, the repost layer: 18 s of the
 * 27 s that all layers take on one core) is split into one part per thread by ranges of accounts (`splitRanges`),
 * each part run with a copy of its shares, and the parts are put together (`mergeParts`) into the outcome the
 * whole layer gives, to the last bit. When the parts together met more pairs than the layer's budget allows, the
 * whole layer would have walked again with a lower partner cap: it is then run whole, and that is the outcome.
 */
export async function runLayers(
  layers: readonly LayerColumns[],
  spec: LayerSpec,
  threads: number,
  onDone?: (index: number, outcome: LayerOutcome, seconds: number) => void,
  /** Split a layer that would take more than an even share of the work (false: every layer whole, a baseline). */
  split = true,
  /** Layers with fewer shares are never split (tests lower it to split small layers). */
  minSplitShares = CLOSED_MAX_SHARES,
): Promise<LayerOutcome[]> {
  if (threads <= 1 || layers.length === 0) {
    const scratch = new WalkScratch();
    return layers.map((cols, i) => {
      const start = performance.now();
      const outcome = runLayer(cols, spec, scratch);
      onDone?.(i, outcome, (performance.now() - start) / 1000);
      return outcome;
    });
  }
  const cost = layers.map((l) => layerCost(l, spec.windowMs, spec.maxPartnersPerShare));
  const total = cost.reduce((a, b) => a + b, 0);
  // the tasks: a layer, or a part of one (its range of accounts); the part's shares are a copy, made before the
  // layer's own columns are lent to the thread of its first part
  const tasks: Array<{
    layer: number;
    part: number;
    cost: number;
    range?: readonly [number, number];
    copy?: LayerColumns;
  }> = [];
  const parts: Array<Array<LayerOutcome | undefined>> = layers.map(() => [undefined]);
  layers.forEach((l, i) => {
    // a layer under CLOSED_MAX_SHARES runs whole, whatever the threads: it may be closed (layer.ts)
    const ranges =
      split && cost[i]! * threads > total && l.object.length >= minSplitShares
        ? splitRanges(l, spec, threads)
        : [];
    if (ranges.length < 2) {
      tasks.push({ layer: i, part: 0, cost: cost[i]! });
      return;
    }
    parts[i] = ranges.map(() => undefined);
    ranges.forEach((range, part) => {
      const task = { layer: i, part, cost: cost[i]! / ranges.length, range };
      tasks.push(part === 0 ? task : { ...task, copy: copyOf(l) });
    });
  });
  // the costliest first, so that the last to finish is a cheap one (by share count alone, the domains of 10M
  // posts, as many shares as the links but three times the pairs, ran last, alone for a minute)
  const queue = tasks.sort((x, y) => y.cost - x.cost || x.layer - y.layer || x.part - y.part);
  const seconds = layers.map(() => 0);
  const workers = Array.from({ length: Math.min(threads, tasks.length) }, () =>
    startWorker("layer-worker", import.meta.url),
  );
  const whole: number[] = [];
  try {
    await Promise.all(
      workers.map(async (worker) => {
        for (let t = queue.shift(); t !== undefined; t = queue.shift()) {
          const i = t.layer;
          const lent = t.copy ?? columnsOf(layers[i]!);
          delete t.copy;
          const task: LayerTask = { index: i, cols: lent, spec, ...(t.range ? { range: t.range } : {}) };
          const ran = await runOn(worker, task);
          // the shares were lent to the thread (transferred, not copied): they are the caller's again (a part's
          // copy is let go)
          if (t.part === 0) Object.assign(layers[i]!, ran.cols);
          parts[i]![t.part] = ran.outcome;
          seconds[i]! += ran.seconds;
          if (parts[i]!.length === 1) onDone?.(i, ran.outcome, seconds[i]!);
        }
      }),
    );
    // the split layers: their parts put together, or the layer run whole where the parts went past its budget
    parts.forEach((p, i) => {
      if (p.length > 1 && !partsFit(p as LayerOutcome[], spec, layers[i]!.object.length)) whole.push(i);
    });
    for (const i of whole) {
      const ran = await runOn(workers[0]!, { index: i, cols: columnsOf(layers[i]!), spec });
      Object.assign(layers[i]!, ran.cols);
      parts[i] = [ran.outcome];
      seconds[i]! += ran.seconds;
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return parts.map((p, i) => {
    if (p.some((o) => o === undefined)) throw new Error(`co-share: layer ${i} was not run`);
    if (p.length === 1) {
      if (whole.includes(i)) onDone?.(i, p[0]!, seconds[i]!);
      return p[0]!;
    }
    // put together once every thread has stopped and let go of its memory (at 10M posts, the repost layer's
    // parts are 0.7 GiB of kept pairs, which a copy doubles for a moment)
    const merged = mergeParts(p as LayerOutcome[], spec);
    p.length = 0;
    onDone?.(i, merged, seconds[i]!);
    return merged;
  });
}

/**
 * The work of one account pair's walk, its test and its keeping, in co-shares looked at: on the repost layer of
 * 10M posts (27M pairs met in 302M co-shares, a tenth of them per pair), parts split with this weight took 9.1 and
 * 9.8 s; counting co-shares alone (0), 13.3 and 6.0 s, since the pairs of the accounts numbered first are more.
 */
const PAIR_WEIGHT = 12;

/** Every how many shares `splitRanges` counts the partners of one. */
const SAMPLE = 8;

/**
 * Ranges of accounts that split a layer's walk into `parts` parts of about equal work, or none when the layer has
 * too few accounts to split. The work of an account's walk is its shares' co-shares, both ways (each is looked at
 * from both of its accounts), counted as `layerCost` counts them.
 */
export function splitRanges(
  cols: Pick<LayerColumns, "object" | "account" | "tsMs">,
  spec: Pick<LayerSpec, "windowMs" | "maxPartnersPerShare">,
  parts: number,
): Array<readonly [number, number]> {
  const { object, account, tsMs } = cols;
  let accounts = 0;
  for (let i = 0; i < account.length; i++) if (account[i]! >= accounts) accounts = account[i]! + 1;
  const work = new Float64Array(accounts);
  let total = 0;
  for (let i = 0, lo = 0; i < object.length; i++) {
    while (object[lo] !== object[i] || tsMs[i]! - tsMs[lo]! > spec.windowMs) lo++;
    const c = Math.min(i - lo, spec.maxPartnersPerShare);
    // every SAMPLE-th share's partners are counted, for SAMPLE shares each: the ranges need the work's shape, not
    // its exact count (all of them: 1.5 s of the main thread at 10M posts, before any thread could start)
    if (i % SAMPLE !== 0) continue;
    // the share's partners before it, each a co-share looked at from both accounts, and counted as a pair of the
    // smaller one (the walk writes and tests a pair there)
    const ai = account[i]!;
    work[ai]! += SAMPLE * c;
    for (let j = Math.max(lo, i - c); j < i; j++) {
      const aj = account[j]!;
      work[aj]! += SAMPLE;
      work[aj < ai ? aj : ai]! += SAMPLE * PAIR_WEIGHT;
    }
    total += SAMPLE * (2 + PAIR_WEIGHT) * c;
  }
  if (parts < 2 || total === 0) return [];
  const ranges: Array<readonly [number, number]> = [];
  let from = 0;
  let sum = 0;
  for (let a = 0; a < accounts && ranges.length < parts - 1; a++) {
    sum += work[a]!;
    if (sum >= (total * (ranges.length + 1)) / parts) {
      ranges.push([from, a + 1]);
      from = a + 1;
    }
  }
  ranges.push([from, accounts]);
  return ranges.filter(([lo, hi]) => hi > lo).length === ranges.length ? ranges : [];
}

/**
 * Whether a split layer's parts give what the whole layer gives at their partner cap: every part at the same cap,
 * and together within the layer's pair budget (or at the lowest cap, where no budget applies). Parts that all
 * lowered the cap to the same value did so by the same halvings, each part over the budget at every cap before,
 * so the whole walk, which meets at least as many pairs, stops at that cap too.
 */
function partsFit(parts: LayerOutcome[], spec: LayerSpec, shares: number): boolean {
  const pairs = parts.reduce((n, p) => n + p.pairsMet, 0);
  return (
    parts.every((p) => p.totals.cap === parts[0]!.totals.cap) &&
    (parts[0]!.totals.cap <= MIN_PARTNER_CAP || pairs <= layerPairBudget(spec.maxPairs, shares))
  );
}

/**
 * The outcome of a whole layer from the outcomes of its parts, in the order of their ranges: the kept pairs one
 * part after the other (the whole walk's order), each with the same test, example and fast-core place (shifted by
 * the fast-core pairs of the parts before). Of the pairs that only chance explains, a part keeps its own
 * `keepInsignificant` strongest; the whole layer's are the strongest of those, by p-value and then order
 * (`tieCandidates`), and the others are dropped here. Each part's columns are let go once copied.
 */
export function mergeParts(parts: LayerOutcome[], spec: LayerSpec): LayerOutcome {
  // which of the parts' pairs the whole layer keeps, chosen as a layer chooses its own (tieCandidates), over the
  // parts' p-values and objects one part after the other
  const cat = <T extends Uint32Array | Float64Array>(cols: T[]): T => {
    const out = new (cols[0]!.constructor as new (n: number) => T)(cols.reduce((m, c) => m + c.length, 0));
    let at = 0;
    for (const c of cols) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  };
  const allLogP = cat(parts.map((p) => p.logP));
  const allObjects = cat(parts.map((p) => p.objects));
  const keep = tieCandidates(allObjects, allLogP, spec);
  const n = keep.length;
  // the kept pairs as stretches of each part's columns (copied a stretch at a time, not pair by pair); `kept`
  // marks each pair of the parts, one part after the other
  const kept = new Uint8Array(allLogP.length);
  for (let j = 0; j < n; j++) kept[keep[j]!] = 1;
  const stretches = parts.map(() => [] as Array<[number, number]>);
  let k = 0;
  parts.forEach((p, r) => {
    let from = -1;
    for (let j = 0; j < p.logP.length; j++, k++) {
      if (kept[k] && from < 0) from = j;
      else if (!kept[k] && from >= 0) {
        stretches[r]!.push([from, j]);
        from = -1;
      }
    }
    if (from >= 0) stretches[r]!.push([from, p.logP.length]);
  });
  type Column = "a" | "b" | "sharePairs" | "exObject" | "exPostA" | "exPostB" | "expected";
  type Typed = Int32Array | Uint32Array | Float64Array;
  const merged = (name: Column): LayerOutcome[Column] => {
    const out = new (parts[0]![name].constructor as new (n: number) => Typed)(n);
    let at = 0;
    parts.forEach((p, r) => {
      const col = p[name] as Typed;
      for (const [from, to] of stretches[r]!) {
        out.set(col.subarray(from, to), at);
        at += to - from;
      }
      (p as unknown as Record<Column, unknown>)[name] = new (col.constructor as new (n: number) => Typed)(0);
    });
    return out as LayerOutcome[Column];
  };
  const fastOf = new Int32Array(n);
  const fastLogP = new Float64Array(parts.reduce((m, p) => m + p.fastLogP.length, 0));
  let at = 0;
  let fastBefore = 0;
  k = 0;
  for (const p of parts) {
    for (let j = 0; j < p.fastOf.length; j++, k++) {
      if (!kept[k]) continue;
      const f = p.fastOf[j]!;
      fastOf[at++] = f < 0 ? -1 : f + fastBefore;
    }
    fastLogP.set(p.fastLogP, fastBefore);
    fastBefore += p.fastLogP.length;
  }
  const first = parts[0]!;
  const sum = (f: (p: LayerOutcome) => number): number => parts.reduce((m, p) => m + f(p), 0);
  return {
    pairsMet: sum((p) => p.pairsMet),
    fastPairsMet: sum((p) => p.fastPairsMet),
    a: merged("a") as Int32Array,
    b: merged("b") as Int32Array,
    sharePairs: merged("sharePairs") as Uint32Array,
    objects: n === allObjects.length ? allObjects : pick(allObjects, keep),
    exObject: merged("exObject") as Int32Array,
    exPostA: merged("exPostA") as Int32Array,
    exPostB: merged("exPostB") as Int32Array,
    expected: merged("expected") as Float64Array,
    logP: n === allLogP.length ? allLogP : pick(allLogP, keep),
    fastLogP,
    fastOf,
    // the rows, objects and viral objects are the whole layer's in every part; the pairs and co-shares each part's
    totals: {
      ...first.totals,
      pairs: sum((p) => p.totals.pairs),
      sharePairs: sum((p) => p.totals.sharePairs),
      objectPairs: sum((p) => p.totals.objectPairs),
    },
    fit: first.fit,
    // a split layer (CLOSED_MAX_SHARES or more) is never tested as closed, in parts or whole
    pooledQ: NaN,
  };
}

/** A copy of a layer's columns that a thread reads (for the parts of a split layer after its first). */
function copyOf(c: LayerColumns): LayerColumns {
  return { object: c.object.slice(), account: c.account.slice(), tsMs: c.tsMs.slice(), post: c.post.slice() };
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
