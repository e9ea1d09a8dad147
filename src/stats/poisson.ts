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

function logSumExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
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
  // the lower part is the smaller one: 1 - P(X < k)
  const logLambda = Math.log(lambda);
  let lower = -Infinity;
  for (let j = 0; j < k; j++) lower = logSumExp(lower, -lambda + j * logLambda - logGamma(j + 1));
  const p = 1 - Math.exp(lower);
  return p > 0 ? Math.log(p) : Math.log(Number.MIN_VALUE);
}

/**
 * Benjamini-Hochberg: which of the given log p-values are discoveries at false-discovery rate `alpha`, when
 * `m` hypotheses were tested in all (the untested ones have p = 1 and are never discoveries).
 *
 * The discoveries are the p-values up to the largest rank r whose p(r) <= alpha r / m, so only the values need
 * sorting (natively, no comparator), not their indices: every p-value equal to p(r) passes too, since a tie at a
 * later rank would meet a looser bound. NaN is never a discovery.
 */
export function benjaminiHochberg(logP: Float64Array, alpha: number, m: number): Uint8Array {
  const n = logP.length;
  const total = Math.max(m, n);
  const logAlphaOverM = Math.log(alpha) - Math.log(total);
  // only p-values that could pass at the largest rank need sorting
  const maxLog = Math.log(alpha);
  let count = 0;
  for (let i = 0; i < n; i++) if (logP[i]! <= maxLog) count++;
  const sorted = new Float64Array(count);
  count = 0;
  for (let i = 0; i < n; i++) if (logP[i]! <= maxLog) sorted[count++] = logP[i]!;
  sorted.sort();
  let cut = -1;
  for (let r = 0; r < sorted.length; r++) {
    if (sorted[r]! <= logAlphaOverM + Math.log(r + 1)) cut = r;
  }
  const out = new Uint8Array(n);
  if (cut < 0) return out;
  const threshold = sorted[cut]!;
  for (let i = 0; i < n; i++) if (logP[i]! <= threshold) out[i] = 1;
  return out;
}
