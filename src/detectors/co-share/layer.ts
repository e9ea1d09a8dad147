/**
 * One layer of co-share, from its shares to the pairs that can become ties: episodes, the walks at the window and
 * at the fast-core window, the chance test of every pair that met, and the pick of the pairs kept for the steps
 * across layers. A layer needs nothing from the others, so `runLayers` (layers.ts) can run several at once, each
 * in a worker thread; what a layer returns is plain columns, so that it crosses threads without a copy.
 */
import { objectTiming, objectsPerAccount, sharesPerObject, testPairs } from "./chance.js";
import { smallestK } from "../../stats/select.js";
import { coShareWindows, type CoShareResult } from "./kernel.js";
import type { WalkScratch } from "./account-walk.js";
import type { LayerShares } from "./load.js";
import { collectGarbage } from "../detector.js";

/** What a layer's run needs besides its shares: plain numbers, so that it can be posted to a worker. */
export interface LayerSpec {
  windowMs: number;
  /** At most `windowMs`. */
  fastWindowMs: number;
  episodeGapMs: number;
  maxPartnersPerShare: number;
  /** Account pairs a layer may meet (see `layerPairBudget`). */
  maxPairs: number;
  minCoshares: number;
  alpha: number;
  candidateP: number;
  keepInsignificant: number;
  /** Accounts in the run's dictionary (dense ids are below it). */
  accounts: number;
}

/** The columns of one layer that a run reads. */
export type LayerColumns = Pick<LayerShares, "object" | "account" | "tsMs" | "post">;

/** A layer's outcome as columns only (every array its own buffer, so that all can be transferred). */
export interface LayerOutcome {
  /** Pairs that met at the window and at the fast-core window: the hypotheses of each false-discovery control. */
  pairsMet: number;
  fastPairsMet: number;
  /** The kept pairs (see `tieCandidates`), in scan order: accounts, share pairs, objects. */
  a: Int32Array;
  b: Int32Array;
  sharePairs: Uint32Array;
  objects: Uint32Array;
  /** The example of each kept pair: the co-share with the smallest gap, as its object and its two posts. */
  exObject: Int32Array;
  exPostA: Int32Array;
  exPostB: Int32Array;
  totals: CoShareResult["totals"];
  expected: Float64Array;
  logP: Float64Array;
  /** The p-values of the fast-core pairs that can pass its false-discovery control. */
  fastLogP: Float64Array;
  /** For each kept pair, its place among those fast-core pairs (in `fastLogP`), or -1 when it is not one of them. */
  fastOf: Int32Array;
  fit: { iterations: number; maxRelError: number };
  /**
   * When the layer is closed (`isClosed`) and was tested with the timing of its shares at large: that q, the share
   * of pairs of the layer's shares by two accounts that fell within the window; NaN otherwise.
   */
  pooledQ: number;
}

/**
 * The account pairs a layer of `shares` may meet before its partner cap is lowered: `maxPairs`, or 10 a share when
 * that is more, so that the walk's memory stays within a constant of its input's (at 10M posts, the repost layer
 * met 7 pairs a share) and no ordinary layer is cut.
 */
export function layerPairBudget(maxPairs: number, shares: number): number {
  return Math.max(maxPairs, 10 * shares);
}

/**
 * Run one layer, or with `accountRange` one part of it: the pairs whose smaller account is in that range, with
 * everything the chance test reads of the layer (the accounts' activity, the objects' popularity and timing) taken
 * from all its shares, so that a pair's test is the same in a part as in the whole (`mergeParts`). `scratch` is
 * reused between the layers that one thread runs.
 */
export function runLayer(
  cols: LayerColumns,
  spec: LayerSpec,
  scratch: WalkScratch,
  accountRange?: readonly [number, number],
): LayerOutcome {
  const opts = {
    maxPartnersPerShare: spec.maxPartnersPerShare,
    maxPairs: layerPairBudget(spec.maxPairs, cols.object.length),
  };
  // the unit of a meeting is an episode of an object (see episodes()), so a slogan pushed in ten bursts counts ten
  // times, and a domain shared all day long by everyone counts once per stretch
  const ep = episodes(cols.object, cols.tsMs, spec.episodeGapMs);
  const walk = { object: ep.episode, account: cols.account, tsMs: cols.tsMs, share: cols.post };
  // the fast-core window is counted in the same walk: its pairs are those of the window that also met that close
  const result = coShareWindows(walk, {
    ...opts,
    windowMs: spec.windowMs,
    fastWindowMs: spec.fastWindowMs,
    scratch,
    ...(accountRange === undefined ? {} : { accountRange }),
  });
  // the tests are held for every pair that met and the walk's columns for the layer (at 10M posts, the repost
  // layer's 27M pairs: 0.4 GiB of tests and 0.8 GiB of walk), so they are reduced to the kept pairs in two steps,
  // with the tests let go in between (see `tested`)
  const { keep, kept } = tested(
    result,
    ep,
    cols,
    spec,
    accountRange === undefined && cols.object.length < CLOSED_MAX_SHARES,
  );
  if (kept.pairsMet >= COLLECT_AFTER_PAIRS) collectGarbage();
  // the example of each kept pair, looked up here, in the layer's thread, where the shares are: the co-share with
  // the smallest gap (the kernel's evidence), as the object of its episode and the posts of its two rows
  const exObject = new Int32Array(keep.length).fill(-1);
  const exPostA = new Int32Array(keep.length).fill(-1);
  const exPostB = new Int32Array(keep.length).fill(-1);
  const ev = result.evidence;
  if (ev !== undefined) {
    for (let j = 0; j < keep.length; j++) {
      const rowA = ev.rowA[keep[j]!]!;
      const rowB = ev.rowB[keep[j]!]!;
      exObject[j] = ep.object[ep.episode[rowA]!]!;
      exPostA[j] = cols.post[rowA]!;
      exPostB[j] = cols.post[rowB]!;
    }
  }
  return {
    ...kept,
    a: pick(result.a, keep),
    b: pick(result.b, keep),
    sharePairs: pick(result.sharePairs, keep),
    objects: pick(result.objects, keep),
    exObject,
    exPostA,
    exPostB,
    totals: result.totals,
  };
}

/** Pairs that met at least this many times in a layer have their tests let go with a full collection. */
const COLLECT_AFTER_PAIRS = 5_000_000;

/**
 * The chance test of every pair of a walk at the window and at the fast-core window, and the pairs kept (their
 * positions in the walk, ascending) with their tests. The tests of all pairs are garbage once this returns: past
 * `COLLECT_AFTER_PAIRS` pairs `runLayer` frees them with a full collection before it picks the walk's columns,
 * since typed arrays outside the JavaScript heap wait for one.
 */
function tested(
  result: CoShareResult,
  ep: { episode: Int32Array; count: number },
  cols: LayerColumns,
  spec: LayerSpec,
  whole: boolean,
): {
  keep: Int32Array;
  kept: Pick<
    LayerOutcome,
    "pairsMet" | "fastPairsMet" | "expected" | "logP" | "fastLogP" | "fastOf" | "fit" | "pooledQ"
  >;
} {
  const fast = fastPairs(result);
  const perAccount = objectsPerAccount(ep.episode, cols.account, spec.accounts);
  const timing = objectTiming(ep.episode, cols.account, cols.tsMs, ep.count, spec.windowMs);
  const fastTiming = objectTiming(ep.episode, cols.account, cols.tsMs, ep.count, spec.fastWindowMs);
  const multiplicity = sharesPerObject(cols.account, perAccount);
  const testWith = (q: Float64Array): ReturnType<typeof testPairs> =>
    testPairs({
      a: result.a,
      b: result.b,
      k: result.objects,
      accountDegree: perAccount,
      objectDegree: timing.degree,
      q,
      multiplicity,
      // a pair with fewer objects is never a tie (tieCandidates) nor a hypothesis that can pass (eligible)
      minK: spec.minCoshares,
    });
  let test = testWith(timing.q);
  // a closed layer: the accounts that meet are nearly all who share its objects, whose own timing then explains
  // every meeting (a unit pasting its own texts, and no one else pasting any). Its pairs are tested against the
  // timing of the layer's shares at large instead: how often two shares of it by two accounts fall within the
  // window, whatever their objects. Decided on the whole layer only, so that the parts of a split layer agree
  let pooledQ = NaN;
  if (whole && isClosed(result.a, result.b, result.objects, test.expected, cols.account)) {
    pooledQ = pooledTiming(cols.account, cols.tsMs, spec.windowMs);
    if (pooledQ > 0) test = testWith(new Float64Array(timing.q.length).fill(pooledQ));
    else pooledQ = NaN;
  }
  const fastTest = testPairs({
    a: fast.a,
    b: fast.b,
    k: fast.k,
    accountDegree: perAccount,
    objectDegree: fastTiming.degree,
    q: fastTiming.q,
    multiplicity,
    // only fast pairs that pass alpha on their own are kept (keepFast), which one meeting never does
    minK: 2,
  });
  // only the pairs that can become ties are kept for the steps across layers: at millions of posts most pairs that
  // met are chance meetings, and holding all of them for every layer took more memory than the machine has
  const keep = tieCandidates(result.objects, test.logP, spec);
  const keepFast = positionsAtMost(fastTest.logP, Math.log(spec.alpha));
  // each kept pair's place among the fast-core pairs that can pass (in fastLogP): the main thread reads a pair's
  // fast-core verdict by that position
  const placeOfFast = new Int32Array(fast.a.length).fill(-1);
  for (let r = 0; r < keepFast.length; r++) placeOfFast[keepFast[r]!] = r;
  const fastOf = new Int32Array(keep.length).fill(-1);
  for (let j = 0; j < keep.length; j++) {
    const f = fast.of[keep[j]!]!;
    if (f >= 0) fastOf[j] = placeOfFast[f]!;
  }
  const kept = {
    pairsMet: result.a.length,
    fastPairsMet: fast.a.length,
    expected: pick(test.expected, keep),
    logP: pick(test.logP, keep),
    fastLogP: pick(fastTest.logP, keepFast),
    fastOf,
    fit: test.fit,
    pooledQ,
  };
  return { keep, kept };
}

/** Meetings on this many objects of a layer are a repetition that an open layer's chance model finds unusual. */
export const MIN_REPEATS = 3;

/**
 * Layers of this many shares or more are never tested as closed, and only they are split between threads
 * (`runLayers`): whether a layer is closed is decided on the whole layer, so that the outcome is the same whatever
 * the number of threads. A closed layer is one a unit makes nearly alone, far smaller than this.
 */
export const CLOSED_MAX_SHARES = 1_000_000;

/** The share of a layer's shares that the accounts meeting again and again must have made for it to be closed. */
export const CLOSED_SHARE = 0.8;

/**
 * Whether a layer is closed: pairs met on MIN_REPEATS objects or more, none of them by even twice what the model
 * expects of it, and the accounts of those pairs made CLOSED_SHARE or more of the layer's shares (`shareAccount`:
 * the account of each share). The model keeps each account's activity and each object's popularity and timing; when
 * the accounts that meet are nearly all who share the layer's objects, those fix the meetings, and no group beats
 * chance there. A layer with a background of its own (a crowd sharing a news site all day beside a unit's bursts
 * on its own site) is not closed, however well the objects' timing explains the unit there.
 */
export function isClosed(
  a: Int32Array,
  b: Int32Array,
  k: Uint32Array,
  expected: Float64Array,
  shareAccount: Int32Array,
): boolean {
  const repeating = new Set<number>();
  for (let i = 0; i < k.length; i++) {
    if (k[i]! < MIN_REPEATS) continue;
    if (k[i]! >= 2 * expected[i]!) return false;
    repeating.add(a[i]!);
    repeating.add(b[i]!);
  }
  if (repeating.size === 0) return false;
  let made = 0;
  for (let i = 0; i < shareAccount.length; i++) if (repeating.has(shareAccount[i]!)) made++;
  return made >= CLOSED_SHARE * shareAccount.length;
}

/**
 * The share of pairs of a layer's shares, by two different accounts, that fall within `windowMs` of each other,
 * whatever their objects: the timing of the layer at large. Counted over the shares in time order with a sliding
 * window (one account's own pairs left out).
 */
export function pooledTiming(account: Int32Array, tsMs: Float64Array, windowMs: number): number {
  // every share as a share of one object, in time order: its q in `objectTiming` is the layer's at large
  const n = tsMs.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => tsMs[x]! - tsMs[y]! || x - y);
  const acc = Int32Array.from(order, (i) => account[i]!);
  const ts = Float64Array.from(order, (i) => tsMs[i]!);
  return objectTiming(new Int32Array(n), acc, ts, 1, windowMs).q[0] ?? 0;
}

/**
 * The pairs of a walk that also met within its fast window, as their own columns (accounts and distinct objects
 * there), and for each pair of the walk its place among them (-1 when it never met that close).
 */
function fastPairs(result: CoShareResult): { a: Int32Array; b: Int32Array; k: Uint32Array; of: Int32Array } {
  const objects = result.fastObjects!;
  const of = new Int32Array(objects.length);
  let n = 0;
  for (let i = 0; i < objects.length; i++) of[i] = objects[i]! > 0 ? n++ : -1;
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  const k = new Uint32Array(n);
  for (let i = 0; i < objects.length; i++) {
    const f = of[i]!;
    if (f < 0) continue;
    a[f] = result.a[i]!;
    b[f] = result.b[i]!;
    k[f] = objects[i]!;
  }
  return { a, b, k, of };
}

/** Every buffer of an outcome, to transfer it between threads. */
export function outcomeBuffers(o: LayerOutcome): ArrayBuffer[] {
  const arrays = [o.a, o.b, o.sharePairs, o.objects, o.exObject, o.exPostA, o.exPostB, o.expected, o.logP];
  return [...arrays, o.fastLogP, o.fastOf].map((x) => x.buffer as ArrayBuffer);
}

/** The buffers of a layer's columns, to lend them to a thread and get them back without a copy. */
export function columnBuffers(c: LayerColumns): ArrayBuffer[] {
  return [...new Set([c.object, c.account, c.tsMs, c.post].map((x) => x.buffer as ArrayBuffer))];
}

/**
 * Positions (ascending) of the pairs of a layer that can become ties: every pair with at least `minCoshares`
 * objects whose p-value could pass the false-discovery control or make it a candidate (p <= max(alpha,
 * candidateP): Benjamini-Hochberg never passes a p-value above alpha), and of the others, which can only be ties that
 * chance explains, the `keepInsignificant` strongest (smallest p-value, then position), since the strongest of all
 * layers are among them. The control itself needs only those p-values and the number of pairs that met, so the
 * outcome is the same as with every pair kept.
 */
export function tieCandidates(
  objects: Uint32Array,
  logP: Float64Array,
  p: Pick<LayerSpec, "minCoshares" | "alpha" | "candidateP" | "keepInsignificant">,
): Int32Array {
  const logKeep = Math.log(Math.max(p.alpha, p.candidateP));
  const keep = new Uint8Array(logP.length);
  let rest = 0;
  for (let i = 0; i < logP.length; i++) {
    if (objects[i]! < p.minCoshares) continue;
    if (logP[i]! <= logKeep) keep[i] = 1;
    else rest++;
  }
  const restLogP = new Float64Array(rest);
  const restAt = new Int32Array(rest);
  let r = 0;
  for (let i = 0; i < logP.length; i++) {
    if (objects[i]! < p.minCoshares || keep[i]) continue;
    restLogP[r] = logP[i]!;
    restAt[r++] = i;
  }
  for (const k of smallestK(restLogP, p.keepInsignificant)) keep[restAt[k]!] = 1;
  let n = 0;
  for (let i = 0; i < keep.length; i++) n += keep[i]!;
  const out = new Int32Array(n);
  for (let i = 0, j = 0; i < keep.length; i++) if (keep[i]) out[j++] = i;
  return out;
}

/** Positions (ascending) of the values at most `limit`. */
function positionsAtMost(values: Float64Array, limit: number): Int32Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! <= limit) n++;
  const out = new Int32Array(n);
  for (let i = 0, j = 0; i < values.length; i++) if (values[i]! <= limit) out[j++] = i;
  return out;
}

/** The values at positions `at`, in that order, in a new array of the same type. */
export function pick<T extends Int32Array | Uint32Array | Float64Array>(values: T, at: Int32Array): T {
  const out = new (values.constructor as new (n: number) => T)(at.length);
  for (let j = 0; j < at.length; j++) out[j] = values[at[j]!]!;
  return out;
}

/**
 * Episodes of objects: an object's shares (sorted by object, then time) split wherever the object went unshared
 * for longer than `gapMs`. Meetings are counted per episode: two accounts that push the same hashtag together in
 * ten separate bursts meet ten times, not once, while a domain that everyone shares all day long is one episode.
 */
export function episodes(
  object: Int32Array,
  tsMs: Float64Array,
  gapMs: number,
): { episode: Int32Array; object: Int32Array; count: number } {
  const n = object.length;
  const episode = new Int32Array(n);
  const owner: number[] = [];
  let count = -1;
  for (let i = 0; i < n; i++) {
    if (i === 0 || object[i] !== object[i - 1] || tsMs[i]! - tsMs[i - 1]! > gapMs) {
      count++;
      owner.push(object[i]!);
    }
    episode[i] = count;
  }
  return { episode, object: Int32Array.from(owner), count: count + 1 };
}
