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
 *   E[k_ab] = sum_o p(a, o) p(b, o) (1 - (1 - q_o)^(m_a m_b)),
 *
 * where m_a is a's mean number of shares per distinct object (1 for most accounts; a prolific account posting its
 * favourite domain many times a day meets everyone on it far more often than once-per-object sharing would),
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
import { PairIndex } from "../../stats/pair-index.js";
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

/**
 * Per object: its number of distinct accounts, and q_o, the probability that a share by one account and a share by
 * another fall within the window (cross-account pairs of its shares within the window / all cross-account pairs).
 * Pairs of one account's own repeated shares are left out of both.
 */
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
  let maxAccount = -1;
  for (let i = 0; i < n; i++) if (account[i]! > maxAccount) maxAccount = account[i]!;
  // each account's shares of the current object, in the window and in all, counted in arrays by account and reset
  // by the object's own rows: JS Maps cleared and refilled per object took most of the time of the repost layer's
  // millions of objects shared once or twice
  const inWin = new Int32Array(maxAccount + 1);
  const total = new Int32Array(maxAccount + 1);
  let i = 0;
  while (i < n) {
    const o = object[i]!;
    let j = i;
    let lo = i;
    let crossInWindow = 0;
    let samePairs = 0;
    let distinct = 0;
    while (j < n && object[j] === o) {
      while (tsMs[j]! - tsMs[lo]! > windowMs) {
        inWin[account[lo]!]!--;
        lo++;
      }
      const a = account[j]!;
      crossInWindow += j - lo - inWin[a]!;
      inWin[a]!++;
      const c = total[a]!;
      if (c === 0) distinct++;
      // the pairs of one account's own shares: c(c - 1) / 2 grows by c with its (c + 1)th share
      samePairs += c;
      total[a] = c + 1;
      j++;
    }
    for (let r = i; r < j; r++) {
      inWin[account[r]!] = 0;
      total[account[r]!] = 0;
    }
    const rows = j - i;
    const cross = (rows * (rows - 1)) / 2 - samePairs;
    degree[o] = distinct;
    q[o] = cross > 0 ? Math.min(1, crossInWindow / cross) : 0;
    i = j;
  }
  return { degree, q };
}

/** Shares per distinct object, per account (1 when every object was shared once). */
export function sharesPerObject(account: Int32Array, perAccount: Float64Array): Float64Array {
  const rows = new Float64Array(perAccount.length);
  for (let i = 0; i < account.length; i++) rows[account[i]!]!++;
  for (let a = 0; a < rows.length; a++) rows[a] = perAccount[a]! > 0 ? rows[a]! / perAccount[a]! : 1;
  return rows;
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
  /**
   * Mean shares per distinct object, per account (`sharesPerObject`). Two accounts that post each object m_a and
   * m_b times meet on a shared object with probability 1 - (1 - q_o)^(m_a m_b), not q_o: a prolific account that
   * posts its favourite domain twenty times a day meets everyone on it.
   */
  multiplicity?: Float64Array;
  /**
   * Entries of the tables that find a pair's cached expectation by its classes (one per multiplicity bucket);
   * buckets past the budget use a hash table instead. Default `DENSE_SLOT_BUDGET`; the result is the same either way.
   */
  slotTableBudget?: number;
  /**
   * Test only the pairs with at least this many co-shared objects; the others get expectation NaN and log p-value
   * 0 (as one meeting always does). For callers that use neither for those pairs: most pairs met once, and their
   * expectation was most of the test's time. Default 0: every pair.
   */
  minK?: number;
}

export function testPairs(
  input: PairTestInput,
): PairTest & { fit: { iterations: number; maxRelError: number } } {
  const fit = fitBicm(input.accountDegree, input.objectDegree);
  const nO = fit.objectDegrees.length;
  // per object-degree class: the objects that can co-share and their q values, for sum_o (1 - (1 - q_o)^M)
  const classQ: number[][] = Array.from({ length: nO }, () => []);
  for (let o = 0; o < input.objectDegree.length; o++) {
    const d = input.objectDegree[o]!;
    if (d > 1 && input.q[o]! > 0) classQ[classIndex(fit.objectDegrees, d)]!.push(input.q[o]!);
  }
  const active: number[] = [];
  for (let j = 0; j < nO; j++) if (classQ[j]!.length > 0) active.push(j);
  const nAct = active.length;
  // sum_o (1 - (1 - q_o)^M) per active class, computed once per multiplicity M (few distinct values)
  const meetSums = new Map<number, Float64Array>();
  const meetSumsFor = (M: number): Float64Array => {
    let out = meetSums.get(M);
    if (out === undefined) {
      out = new Float64Array(nAct);
      for (let t = 0; t < nAct; t++) {
        const qs = classQ[active[t]!]!;
        let s = 0;
        if (M === 1) for (const q of qs) s += q;
        else for (const q of qs) s += q >= 1 ? 1 : -Math.expm1(M * Math.log1p(-q));
        out[t] = s;
      }
      meetSums.set(M, out);
    }
    return out;
  };
  // p(a, o) for every account class and active object class, row-major
  const nA = fit.accountDegrees.length;
  const prob = new Float64Array(nA * nAct);
  for (let c = 0; c < nA; c++) {
    const xi = fit.x[c]!;
    for (let t = 0; t < nAct; t++) {
      const yj = fit.y[active[t]!]!;
      prob[c * nAct + t] = (xi * yj) / (1 + xi * yj);
    }
  }
  // every account's degree class, looked up once instead of per pair
  const classOf = new Int32Array(input.accountDegree.length);
  for (let a = 0; a < classOf.length; a++) {
    const d = input.accountDegree[a]!;
    classOf[a] = d > 0 ? classIndex(fit.accountDegrees, d) : -1;
  }
  // the expectation depends on the two classes and the bucketed multiplicity only: cached under one number
  const mIndex = new Map<number, number>();
  const mBucket: number[] = [];
  const bucketIndex = (M: number): number => {
    let mi = mIndex.get(M);
    if (mi === undefined) {
      mIndex.set(M, (mi = mBucket.length));
      mBucket.push(M);
    }
    return mi;
  };
  let oneIndex = -1;
  /** `twoDigitKey` of a multiplicity product → its bucket's index + 1 (0: not seen yet) */
  const keyBucket = new Int32Array(TWO_DIGIT_KEYS);
  /** the products `twoDigitKey` declines → their bucket's index (cleared when full) */
  const declined = new Map<number, number>();
  // (bucket, class pair) -> slot in `slotE` (the expectation) and `slotTail1` (log P(X >= 1) under it), for the
  // buckets past the dense tables' budget (at 10M posts, about a million keys: a Map of them took 2 s more of the
  // mentions' 18-s test)
  const cache = new PairIndex();
  // the same as a table of slots per multiplicity bucket when there are few enough classes: a Map lookup per pair
  // was a third of the test's time
  const denseSlots: Array<Int32Array | null> = [];
  let denseBudget = input.slotTableBudget ?? DENSE_SLOT_BUDGET;
  const slotE: number[] = [];
  const slotTail1: number[] = [];
  const expected = new Float64Array(input.a.length);
  const logP = new Float64Array(input.a.length);
  const minK = input.minK ?? 0;
  for (let i = 0; i < input.a.length; i++) {
    if (input.k[i]! < minK) {
      expected[i] = NaN;
      continue;
    }
    const ia = input.a[i]!;
    const ib = input.b[i]!;
    const classA = classOf[ia]!;
    const classB = classOf[ib]!;
    const ca = classA < classB ? classA : classB;
    const cb = classA < classB ? classB : classA;
    // multiplicity product, bucketed to two significant digits so that the cache stays small
    const rawM = input.multiplicity ? input.multiplicity[ia]! * input.multiplicity[ib]! : 1;
    let mi: number;
    if (rawM <= 1) {
      if (oneIndex < 0) oneIndex = bucketIndex(1);
      mi = oneIndex;
    } else {
      // formatting a number is slow next to arithmetic: at 10M posts the mentions' products missed a cache of them
      // 11.7M times, and formatting them was 7 s of the test's 16
      const key = twoDigitKey(rawM);
      if (key < 0) {
        // halfway products such as 1.5 x 1.5 recur: remembered rather than formatted each time
        let bucket = declined.get(rawM);
        if (bucket === undefined) {
          if (declined.size >= DECLINED_LIMIT) declined.clear();
          declined.set(rawM, (bucket = bucketIndex(Number(rawM.toPrecision(2)))));
        }
        mi = bucket;
      } else {
        mi = keyBucket[key]! - 1;
        if (mi < 0) keyBucket[key] = (mi = bucketIndex(twoDigitValue(key))) + 1;
      }
    }
    let slot: number | undefined;
    let dense = denseSlots[mi];
    if (dense === undefined) {
      // a bucket's table is made when the bucket is first seen, while the budget lasts
      dense = null;
      if (nA * nA <= denseBudget) {
        dense = new Int32Array(nA * nA).fill(-1);
        denseBudget -= nA * nA;
      }
      denseSlots[mi] = dense;
    }
    if (dense !== null) {
      const d = dense[ca * nA + cb]!;
      slot = d < 0 ? undefined : d;
    } else {
      const found = cache.get(mi, ca * nA + cb);
      slot = found < 0 ? undefined : found;
    }
    if (slot === undefined) {
      let e = 0;
      const S = meetSumsFor(mBucket[mi]!);
      const ra = ca * nAct;
      const rb = cb * nAct;
      for (let t = 0; t < nAct; t++) e += prob[ra + t]! * prob[rb + t]! * S[t]!;
      slot = slotE.length;
      slotE.push(e);
      slotTail1.push(logPoissonUpperTail(1, e));
      if (dense !== null) dense[ca * nA + cb] = slot;
      else cache.set(mi, ca * nA + cb, slot);
    }
    const e = slotE[slot]!;
    expected[i] = e;
    // P(X >= k | X >= 1) = P(X >= k) / P(X >= 1); one meeting is the condition, not evidence (p = 1)
    const k = input.k[i]!;
    logP[i] = k <= 1 ? 0 : Math.min(0, logPoissonUpperTail(k, e) - slotTail1[slot]!);
  }
  return { expected, logP, fit: { iterations: fit.iterations, maxRelError: fit.maxRelError } };
}

/** Declined multiplicity products whose bucket `testPairs` remembers at once. */
const DECLINED_LIMIT = 1 << 16;

/** Largest decimal exponent that `twoDigitKey` handles; products of 10^15 or more go through `toPrecision`. */
const TWO_DIGIT_MAX_EXPONENT = 15;
const TWO_DIGIT_KEYS = (TWO_DIGIT_MAX_EXPONENT + 2) * 128;
const POWERS_OF_TEN = Array.from({ length: TWO_DIGIT_MAX_EXPONENT + 2 }, (_, e) => 10 ** e);

/**
 * `x` (> 1) rounded to two significant digits, as `e * 128 + n` for the value n * 10^(e - 1) (10 <= n <= 100), or
 * -1 when arithmetic could disagree with `Number(x.toPrecision(2))`: within 1e-9 of a halfway point (where the
 * error of a division could decide) or out of range. `twoDigitValue` gives the value, equal to what `toPrecision`
 * gives for every key this returns.
 */
export function twoDigitKey(x: number): number {
  if (!(x > 1) || !(x < POWERS_OF_TEN[TWO_DIGIT_MAX_EXPONENT]!)) return -1;
  let e = Math.floor(Math.log10(x));
  if (x < POWERS_OF_TEN[e]!) e--;
  else if (x >= POWERS_OF_TEN[e + 1]!) e++;
  // 10 <= s < 100
  const s = e === 0 ? x * 10 : x / POWERS_OF_TEN[e - 1]!;
  const whole = Math.floor(s);
  if (Math.abs(s - whole - 0.5) < 1e-9) return -1;
  return e * 128 + (s - whole > 0.5 ? whole + 1 : whole);
}

/** The value of a `twoDigitKey`: n / 10 or n * 10^(e - 1), both exactly as the decimal literal parses. */
export function twoDigitValue(key: number): number {
  const e = key >> 7;
  const n = key & 127;
  return e === 0 ? n / 10 : n * POWERS_OF_TEN[e - 1]!;
}

/** Entries (4 bytes each) of the per-bucket slot tables of `testPairs`, all buckets together: 16 MB at most. */
const DENSE_SLOT_BUDGET = 1 << 22;

/**
 * Benjamini-Hochberg in each layer over that layer's hypotheses (a stratified false-discovery control; Sun et al.
 * 2006): the false-discovery rate is at most alpha in every layer, and so over all of them.
 *
 * One control over every layer let the layers with many true discoveries pay for the others: at 10M posts the
 * repost layer's 14.5M ties of fans moved the bound to p = 0.0035 for every layer, where the hashtag layer's 6.4M
 * pairs that met would give about 22,500 ties by chance alone, and it had 19,023 "significant" ones: chance,
 * under the name of a finding, chaining organic accounts to planted units.
 */
export function significantPerLayer(
  layers: ReadonlyArray<{ logP: Float64Array; hypotheses: number }>,
  alpha: number,
): Uint8Array[] {
  return layers.map((l) => benjaminiHochberg(l.logP, alpha, l.hypotheses));
}
