/**
 * The bipartite configuration model (BiCM; Saracco, Di Clemente, Gabrielli & Squartini 2015, "Randomizing bipartite
 * networks: the case of the World Trade Web", Sci. Rep. 5:10595): the maximum-entropy random bipartite graph whose
 * expected degrees equal the observed ones. An account of degree d links to an object of degree e with
 * probability p = x_d y_e / (1 + x_d y_e). Unlike the sparse approximation d e / M, it stays right when an object
 * is shared by a large part of the population (a viral link): there a low-activity account's chance of sharing
 * it is high, as observed, not d e / M.
 *
 * Nodes of equal degree have equal multipliers, so the fit runs on degree classes: cost per iteration is
 * (distinct account degrees) x (distinct object degrees), a few hundred squared, whatever the data size. Solved by
 * the fixed-point iteration of Vallarano et al. 2021 ("Fast and scalable likelihood maximization for exponential
 * random graph models with local constraints", Sci. Rep. 11:15227).
 */

export interface BicmFit {
  /** Distinct account degrees (ascending) and their multipliers. */
  accountDegrees: Float64Array;
  x: Float64Array;
  /** Distinct object degrees (ascending) and their multipliers. */
  objectDegrees: Float64Array;
  y: Float64Array;
  iterations: number;
  /** Largest relative error of an expected degree at the end. */
  maxRelError: number;
}

function classes(degrees: ArrayLike<number>): { values: Float64Array; counts: Float64Array } {
  const m = new Map<number, number>();
  for (let i = 0; i < degrees.length; i++) {
    const d = degrees[i]!;
    if (d > 0) m.set(d, (m.get(d) ?? 0) + 1);
  }
  const values = Float64Array.from([...m.keys()].sort((a, b) => a - b));
  const counts = Float64Array.from(values, (v) => m.get(v)!);
  return { values, counts };
}

/** Products of multipliers a fit may compute when no iteration count is given (about 3 s on our 2-core machine). */
export const FIT_WORK = 1e9;

/** Fit the BiCM to account degrees and object degrees (zeros are ignored). */
export function fitBicm(
  accountDegrees: ArrayLike<number>,
  objectDegrees: ArrayLike<number>,
  opts: { maxIterations?: number; tolerance?: number } = {},
): BicmFit {
  const A = classes(accountDegrees);
  const O = classes(objectDegrees);
  const tol = opts.tolerance ?? 1e-6;
  const nA = A.values.length;
  const nO = O.values.length;
  // an iteration costs about 2.2 x nA x nO products (both sweeps, and the error every tenth): past FIT_WORK of them
  // the fit stops, and its maxRelError says how close it came. Real layers have a few hundred classes of each and
  // never reach it; a staircase of degrees built to have thousands of each (account i sharing objects 1 to i)
  // would have taken minutes
  const maxIt = opts.maxIterations ?? Math.max(50, Math.min(2000, Math.floor(FIT_WORK / (2.2 * nA * nO))));
  let links = 0;
  for (let i = 0; i < nA; i++) links += A.values[i]! * A.counts[i]!;
  const s = Math.sqrt(Math.max(1, links));
  const x = Float64Array.from(A.values, (d) => d / s);
  const y = Float64Array.from(O.values, (e) => e / s);
  const BIG = 1e12;
  let it = 0;
  let err = Infinity;
  let best = Infinity;
  let sinceBest = 0;
  for (; it < maxIt && err > tol; it++) {
    for (let i = 0; i < nA; i++) {
      let den = 0;
      const xi = x[i]!;
      for (let j = 0; j < nO; j++) den += (O.counts[j]! * y[j]!) / (1 + xi * y[j]!);
      x[i] = den > 0 ? Math.min(BIG, A.values[i]! / den) : BIG;
    }
    for (let j = 0; j < nO; j++) {
      let den = 0;
      const yj = y[j]!;
      for (let i = 0; i < nA; i++) den += (A.counts[i]! * x[i]!) / (1 + x[i]! * yj);
      y[j] = den > 0 ? Math.min(BIG, O.values[j]! / den) : BIG;
    }
    if (it % 10 === 9 || it === maxIt - 1) {
      err = relativeError(A, O, x, y);
      // a degree at its maximum (an object shared by every account) drives a multiplier to infinity: the error
      // then shrinks ever more slowly; stop when 100 iterations gained less than 1%
      if (err < best * 0.99) {
        best = err;
        sinceBest = 0;
      } else if ((sinceBest += 10) >= 100) break;
    }
  }
  return {
    accountDegrees: A.values,
    x,
    objectDegrees: O.values,
    y,
    iterations: it,
    maxRelError: relativeError(A, O, x, y),
  };
}

function relativeError(
  A: { values: Float64Array; counts: Float64Array },
  O: { values: Float64Array; counts: Float64Array },
  x: Float64Array,
  y: Float64Array,
): number {
  let worst = 0;
  for (let i = 0; i < A.values.length; i++) {
    let e = 0;
    for (let j = 0; j < O.values.length; j++) e += (O.counts[j]! * x[i]! * y[j]!) / (1 + x[i]! * y[j]!);
    worst = Math.max(worst, Math.abs(e - A.values[i]!) / A.values[i]!);
  }
  for (let j = 0; j < O.values.length; j++) {
    let e = 0;
    for (let i = 0; i < A.values.length; i++) e += (A.counts[i]! * x[i]! * y[j]!) / (1 + x[i]! * y[j]!);
    worst = Math.max(worst, Math.abs(e - O.values[j]!) / O.values[j]!);
  }
  return worst;
}

/** Index of `v` in the ascending `values` (binary search); -1 when absent. */
export function classIndex(values: Float64Array, v: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = values[mid]!;
    if (m === v) return mid;
    if (m < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
