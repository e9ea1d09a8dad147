/**
 * A p-value as text, from its natural log: three decimals above 0.001, else the power of ten it is under ("1e-124"),
 * which stays readable far past where `Math.exp` underflows to 0 (a p-value is never 0).
 *
 * @example
 * pText(Math.log(0.0123)); // "0.012"
 * pText(-900); // "1e-391"
 */
export function pText(logP: number): string {
  const log10 = logP / Math.LN10;
  if (log10 > -3) return (10 ** log10).toFixed(3);
  return `1e${Math.floor(log10)}`;
}
