/**
 * Binary search over an ascending array.
 *
 * @example
 * lowerBound(Int32Array.of(1, 3, 3, 7), 3); // 1
 * lowerBound(Int32Array.of(1, 3, 3, 7), 8); // 4
 */

/** The first position in ascending `xs` whose value is at least `x` (`xs.length` when none is). */
export function lowerBound(xs: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
