import { describe, expect, it } from "vitest";
import { samplePairs } from "./sample-pairs.js";

const keys = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `twitter:acct${String(i).padStart(6, "0")}`);

/** Partners of each position, from the pairs. */
function partnersOf(n: number, pairs: Array<[number, number]>): number[][] {
  const out: number[][] = Array.from({ length: n }, () => []);
  for (const [i, j] of pairs) {
    out[i]!.push(j);
    out[j]!.push(i);
  }
  return out;
}

describe("samplePairs", () => {
  it("keeps every pair of a group small enough for each account to keep all the others", () => {
    expect(samplePairs(keys(4), 3)).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 2],
      [1, 3],
      [2, 3],
    ]);
    expect(samplePairs(keys(1), 3)).toEqual([]);
  });

  it("ties each account of a large group to k drawn partners, in one piece, the same every time", () => {
    const n = 8000;
    const k = 50;
    const pairs = samplePairs(keys(n), k);
    // pairs are i < j, distinct, in order
    let disordered = 0;
    for (let q = 0; q < pairs.length; q++) {
      const [i, j] = pairs[q]!;
      if (!(i < j && j < n)) disordered++;
      const prev = pairs[q - 1];
      if (prev && !(prev[0] < i || (prev[0] === i && prev[1] < j))) disordered++;
    }
    expect(disordered).toBe(0);
    // every account draws k distinct partners and may be drawn by others: between k and a few times k
    const partners = partnersOf(n, pairs);
    const degrees = partners.map((p) => p.length);
    expect(Math.min(...degrees)).toBeGreaterThanOrEqual(k);
    expect(pairs.length).toBeLessThanOrEqual(n * k);
    expect(pairs.length).toBeGreaterThan(0.9 * n * k);
    // one piece: every account is reached from the first
    const seen = new Uint8Array(n);
    const stack = [0];
    seen[0] = 1;
    while (stack.length > 0) {
      for (const o of partners[stack.pop()!]!) {
        if (!seen[o]) {
          seen[o] = 1;
          stack.push(o);
        }
      }
    }
    expect(seen.every((x) => x === 1)).toBe(true);
    // not a lattice of neighbours in key order: most partners are far from the account in that order
    const near = pairs.filter(([i, j]) => j - i <= 2 * k).length;
    expect(near / pairs.length).toBeLessThan(0.05);
    expect(samplePairs(keys(n), k).join(" ")).toBe(pairs.join(" "));
  });
});
