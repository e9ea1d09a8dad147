/**
 * A p-value in words, from its natural log: "p = 0.012" above 0.001, else "p < 1e-124", the power of ten just above
 * it (an upper bound, never a smaller p than the one computed), which stays readable far past where `Math.exp`
 * underflows to 0 (a p-value is never 0).
 *
 * @example
 * pText(Math.log(0.0123)); // "p = 0.012"
 * pText(Math.log(9e-5)); // "p < 1e-4"
 * pText(-900); // "p < 1e-390"
 */
export function pText(logP: number): string {
  const log10 = logP / Math.LN10;
  if (log10 > -3) return `p = ${(10 ** log10).toFixed(3)}`;
  return `p < 1e${Math.ceil(log10)}`;
}
