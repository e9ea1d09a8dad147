/**
 * Poisson tail probabilities in log space (p-values of co-share counts reach 1e-300 and below) and the
 * Benjamini-Hochberg step-up procedure over a stated number of hypotheses.
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7; ~15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln P(X >= k) for X ~ Poisson(lambda). */
export function logPoissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 0;
  if (!(lambda > 0)) return -Infinity;
  if (k === 1) return Math.log(-Math.expm1(-lambda));
  if (lambda < k) {
    // P(X >= k) = e^-l l^k / k! * (1 + l/(k+1) + l^2/((k+1)(k+2)) + ...): one log-gamma, a short series
    let series = 1;
    let term = 1;
    for (let j = k + 1; j < k + 10_000; j++) {
      term *= lambda / j;
      series += term;
      if (term < series * 1e-17) break;
    }
    return Math.min(0, -lambda + k * Math.log(lambda) - logGamma(k + 1) + Math.log(series));
  }
  // the lower part is the smaller one: 1 - P(X < k), its terms summed from j = k - 1 down (each the one above times
  // j / lambda < 1) until they no longer count: about 9 sqrt(lambda) terms at most, where a term per j (each with a
  // log-gamma) made a test of 20,000 posts against a mean of 20,000 cost 20,000 terms
  let series = 1;
  let term = 1;
  for (let j = k - 1; j > 0; j--) {
    term *= j / lambda;
    series += term;
    if (term < series * 1e-17) break;
  }
  const logLower = -lambda + (k - 1) * Math.log(lambda) - logGamma(k) + Math.log(series);
  const p = -Math.expm1(logLower);
  return p > 0 ? Math.log(p) : Math.log(Number.MIN_VALUE);
}

/**
 * Benjamini-Hochberg: which of the given log p-values are discoveries at false-discovery rate `alpha`, when
 * `m` hypotheses were tested in all (the untested ones have p = 1 and are never discoveries).
 *
 * The discoveries are the p-values up to the largest rank r whose p(r) <= alpha r / m. With g(r) the number of
 * p-values <= alpha r / m, that rank is the largest r with g(r) >= r, and every p-value <= alpha r / m passes (a
 * value between p(r) and that bound would make rank r + 1 pass too). g does not decrease as r grows, so starting
 * from the number of p-values <= alpha and taking r <- g(r) until it stops moving lands on that rank: each step is
 * a count over the values still below the bound, not a sort. When the count keeps creeping down (an unusual
 * spread of p-values), the values left are sorted and ranked as usual; they are the smallest ones, so their ranks
 * are the global ones. NaN is never a discovery.
 */
export function benjaminiHochberg(logP: Float64Array, alpha: number, m: number): Uint8Array {
  const n = logP.length;
  const total = Math.max(m, n);
  const logAlphaOverM = Math.log(alpha) - Math.log(total);
  // the bound at rank r (1-based), in logs; no value above alpha passes whatever its rank
  const maxLog = Math.log(alpha);
  const bound = (r: number): number => Math.min(maxLog, logAlphaOverM + Math.log(r));
  let left = atMost(logP, maxLog);
  let r = left.length;
  for (let step = 0; r > 0; step++) {
    const limit = bound(r);
    let below = 0;
    for (let i = 0; i < left.length; i++) below += left[i]! <= limit ? 1 : 0;
    if (below === r) break;
    r = below;
    // the values above the bound never pass again: drop them once they are many
    if (below < left.length / 2) left = atMost(left, limit);
    if (step === MAX_COUNTING_STEPS) {
      left = atMost(left, limit).sort();
      r = 0;
      for (let k = 0; k < left.length; k++) if (left[k]! <= bound(k + 1)) r = k + 1;
      break;
    }
  }
  const out = new Uint8Array(n);
  if (r === 0) return out;
  const limit = bound(r);
  for (let i = 0; i < n; i++) out[i] = logP[i]! <= limit ? 1 : 0;
  return out;
}

/**
 * The values at most `limit`, in their order, compacted without a branch per value (in co-share about half of the
 * p-values pass at random, and a branch mispredicts at every other value).
 */
function atMost(values: Float64Array, limit: number): Float64Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) count += values[i]! <= limit ? 1 : 0;
  const out = new Float64Array(count + 1);
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[at] = v;
    at += v <= limit ? 1 : 0;
  }
  return out.subarray(0, count);
}

/** Counting steps of `benjaminiHochberg` before it sorts what is left (it usually settles in a handful). */
const MAX_COUNTING_STEPS = 32;
