/**
 * The first k of a stable sort without sorting everything: which positions hold the k smallest values, ties
 * broken by position. Co-share keeps the strongest 100,000 of tens of millions of pairs that chance explains;
 * sorting them all (as objects, with a comparator) took most of a minute at 3M posts.
 */
import quickselect from "quickselect";

/**
 * Positions of the `k` smallest of `values`, ordered by (value, position): exactly the first `k` positions of a
 * stable ascending sort. NaN counts as larger than every number.
 */
export function smallestK(values: Float64Array, k: number): Int32Array {
  const n = values.length;
  const at = (i: number): number => {
    const v = values[i]!;
    return Number.isNaN(v) ? Infinity : v;
  };
  const byValue = (x: number, y: number): number => at(x) - at(y) || x - y;
  if (k <= 0 || n === 0) return new Int32Array(0);
  if (k >= n) return Int32Array.from({ length: n }, (_, i) => i).sort(byValue);
  // the k-th smallest value: everything below it is taken, and as many of the positions holding it as fit, in order
  const copy = values.map((v) => (Number.isNaN(v) ? Infinity : v));
  quickselect(copy as unknown as number[], k - 1);
  const cut = copy[k - 1]!;
  let below = 0;
  for (let i = 0; i < n; i++) if (at(i) < cut) below++;
  const out = new Int32Array(k);
  let taken = 0;
  let atCut = k - below;
  for (let i = 0; i < n && taken < k; i++) {
    const v = at(i);
    if (v < cut) out[taken++] = i;
    else if (v === cut && atCut > 0) {
      out[taken++] = i;
      atCut--;
    }
  }
  return out.sort(byValue);
}
