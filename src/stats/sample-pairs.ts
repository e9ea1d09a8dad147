/**
 * A stable random sample of the pairs of a group, for detectors that tie every member of a group to the others
 * (rhythm's rotas, creation-burst's templates): every pair when the group is small, else a random graph in which
 * each member has a bounded number of partners, built in time proportional to the group.
 */
import { fnv1a } from "./hash.js";

/**
 * The pairs (i < j, positions in `keys`) of a group to tie: all of them when each account can keep every other,
 * else each account's `k` distinct partners drawn by a stable hash of its key and the draw's number, with the pairs
 * drawn from both sides once. In order of i, then j.
 */
export function samplePairs(keys: readonly string[], k: number): Array<[number, number]> {
  const n = keys.length;
  const out: Array<[number, number]> = [];
  if (n <= k + 1) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out.push([i, j]);
    return out;
  }
  // each pair as one number, i * n + j (exact below 2^53), sorted and made distinct in a typed array
  const codes = new Float64Array(n * k);
  let c = 0;
  const drawn = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    // k distinct partners: a draw that repeats one is drawn again (k < n - 1, so this ends)
    let got = 0;
    for (let r = 0; got < k; r++) {
      let j = fnv1a(`${keys[i]!}#${r}`) % (n - 1);
      if (j >= i) j++;
      if (drawn.subarray(0, got).includes(j)) continue;
      drawn[got++] = j;
      codes[c++] = i < j ? i * n + j : j * n + i;
    }
  }
  codes.sort();
  for (let q = 0; q < codes.length; q++) {
    if (q > 0 && codes[q] === codes[q - 1]) continue;
    const code = codes[q]!;
    out.push([Math.floor(code / n), code % n]);
  }
  return out;
}
