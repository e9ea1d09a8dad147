/** Proportions with their uncertainty: the Wilson score interval (Wilson 1927), sound at 0 and n, and at small n. */

export interface Rate {
  k: number;
  n: number;
  rate: number;
  lo: number;
  hi: number;
}

/**
 * The 95% Wilson score interval for k successes in n trials.
 *
 * E. B. Wilson, "Probable inference, the law of succession, and statistical inference", Journal of the American
 * Statistical Association 22 (1927), 209-212.
 *
 * @example wilson(0, 50) // { k: 0, n: 50, rate: 0, lo: 0, hi: 0.071 }
 */
export function wilson(k: number, n: number, z = 1.959964): Rate {
  if (n === 0) return { k, n, rate: 0, lo: 0, hi: 1 };
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { k, n, rate: p, lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/** "41.2% [33.0-49.9] (56/136)" */
export function showRate(r: Rate): string {
  const pc = (x: number): string => (x * 100).toFixed(1);
  return `${pc(r.rate)}% [${pc(r.lo)}-${pc(r.hi)}] (${r.k}/${r.n})`;
}
