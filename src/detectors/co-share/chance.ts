/**
 * The chance model for co-shares. Two accounts that are both very active, on objects that are popular and shared
 * in bursts, meet inside a time window often by chance alone; a troll unit meets far more often than that.
 *
 * Null model (analytic, per layer): the bipartite configuration model (BiCM, src/stats/bicm.ts) between accounts
 * and objects, fitted to every account's number of distinct objects and every object's number of distinct
 * accounts, with each object's own timing. Account a links to object o with probability p(a, o) from the BiCM;
 * two shares of o fall within the window with probability q_o, the fraction of o's own pairs of shares that did.
 * The expected number of objects a and b co-share within the window is
 *
 *   E[k_ab] = sum_o p(a, o) p(b, o) q_o,
 *
 * computed over degree classes (accounts of equal degree have equal p), so it costs the same for a million pairs
 * as for a thousand. The BiCM makes hyperactive accounts, viral links and burst-shaped objects expected rather than
 * suspicious; a plain d_a d_b / M expectation (the sparse approximation, as in modularity) underestimates how often
 * ordinary accounts meet on a link that a third of the population shared within half an hour.
 *
 * The test: k_ab (distinct objects co-shared within the window) against Poisson(E), conditional on the pair
 * having met at least once, p = P(X >= k | X >= 1). A single co-share is never evidence (its p is 1); what is
 * tested is meeting again and again. Conditioning on the first meeting makes the pairs that met the hypotheses
 * (m = the number of pairs with k >= 1, over all layers), and Benjamini-Hochberg controls the false-discovery
 * rate over them. Without the conditioning, m would be every pair of accounts, and on a real dataset of 9,500
 * accounts (CooRTweet's Russian sample) no pair could ever reach significance.
 */
import { classIndex, fitBicm } from "../../stats/bicm.js";
import { benjaminiHochberg, logPoissonUpperTail } from "../../stats/poisson.js";

export interface PairTest {
  expected: Float64Array;
  logP: Float64Array;
}

/** Distinct objects per account in a layer; `object`/`account` sorted by object. */
export function objectsPerAccount(object: Int32Array, account: Int32Array, accounts: number): Float64Array {
  const n = new Float64Array(accounts);
  const last = new Int32Array(accounts).fill(-1);
  for (let i = 0; i < object.length; i++) {
    const a = account[i]!;
    if (last[a] !== object[i]) {
      last[a] = object[i]!;
      n[a]!++;
    }
  }
  return n;
}

/** Distinct accounts per object and q_o, the fraction of the object's share pairs within the window. */
export function objectTiming(
  object: Int32Array,
  account: Int32Array,
  tsMs: Float64Array,
  objects: number,
  windowMs: number,
): { degree: Float64Array; q: Float64Array } {
  const degree = new Float64Array(objects);
  const q = new Float64Array(objects);
  const n = object.length;
  let i = 0;
  while (i < n) {
    const o = object[i]!;
    let j = i;
    let lo = i;
    let inWindow = 0;
    const seen = new Set<number>();
    while (j < n && object[j] === o) {
      while (tsMs[j]! - tsMs[lo]! > windowMs) lo++;
      inWindow += j - lo;
      seen.add(account[j]!);
      j++;
    }
    const rows = j - i;
    degree[o] = seen.size;
    q[o] = rows > 1 ? Math.min(1, inWindow / ((rows * (rows - 1)) / 2)) : 0;
    i = j;
  }
  return { degree, q };
}

export interface PairTestInput {
  a: Int32Array;
  b: Int32Array;
  /** Observed distinct objects co-shared within the window, per pair. */
  k: Uint32Array;
  /** Distinct objects per account (the BiCM account degrees). */
  accountDegree: Float64Array;
  /** Distinct accounts per object, and q_o at this window. */
  objectDegree: Float64Array;
  q: Float64Array;
}

export function testPairs(
  input: PairTestInput,
): PairTest & { fit: { iterations: number; maxRelError: number } } {
  const fit = fitBicm(input.accountDegree, input.objectDegree);
  const nO = fit.objectDegrees.length;
  // Q per object-degree class: the sum of q_o over its objects; only classes that can co-share matter
  const Q = new Float64Array(nO);
  for (let o = 0; o < input.objectDegree.length; o++) {
    const d = input.objectDegree[o]!;
    if (d > 1 && input.q[o]! > 0) Q[classIndex(fit.objectDegrees, d)]! += input.q[o]!;
  }
  const active: number[] = [];
  for (let j = 0; j < nO; j++) if (Q[j]! > 0) active.push(j);
  const prob = (xi: number, j: number): number => (xi * fit.y[j]!) / (1 + xi * fit.y[j]!);
  const cache = new Map<number, number>();
  const nA = fit.accountDegrees.length;
  const expected = new Float64Array(input.a.length);
  const logP = new Float64Array(input.a.length);
  for (let i = 0; i < input.a.length; i++) {
    let ca = classIndex(fit.accountDegrees, input.accountDegree[input.a[i]!]!);
    let cb = classIndex(fit.accountDegrees, input.accountDegree[input.b[i]!]!);
    if (ca > cb) [ca, cb] = [cb, ca];
    const key = ca * nA + cb;
    let e = cache.get(key);
    if (e === undefined) {
      e = 0;
      const xa = fit.x[ca]!;
      const xb = fit.x[cb]!;
      for (const j of active) e += prob(xa, j) * prob(xb, j) * Q[j]!;
      cache.set(key, e);
    }
    expected[i] = e;
    // P(X >= k | X >= 1) = P(X >= k) / P(X >= 1); one meeting is the condition, not evidence (p = 1)
    const k = input.k[i]!;
    logP[i] = k <= 1 ? 0 : Math.min(0, logPoissonUpperTail(k, e) - logPoissonUpperTail(1, e));
  }
  return { expected, logP, fit: { iterations: fit.iterations, maxRelError: fit.maxRelError } };
}

/** Joint Benjamini-Hochberg over several layers' tests. */
export function significantAcrossLayers(
  layers: Array<{ logP: Float64Array }>,
  alpha: number,
  hypotheses: number,
): Uint8Array[] {
  let total = 0;
  for (const l of layers) total += l.logP.length;
  const all = new Float64Array(total);
  let off = 0;
  for (const l of layers) {
    all.set(l.logP, off);
    off += l.logP.length;
  }
  const flags = benjaminiHochberg(all, alpha, hypotheses);
  const out: Uint8Array[] = [];
  off = 0;
  for (const l of layers) {
    out.push(flags.subarray(off, off + l.logP.length));
    off += l.logP.length;
  }
  return out;
}
