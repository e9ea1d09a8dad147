import { describe, expect, it } from "vitest";
import { seededRng } from "../detectors/detector.js";
import { smallestK } from "./select.js";

/** The definition: the first k positions of a stable sort by value (NaN last). */
function bySorting(values: number[], k: number): number[] {
  const key = (v: number): number => (Number.isNaN(v) ? Infinity : v);
  return values
    .map((v, i) => ({ v: key(v), i }))
    .sort((x, y) => x.v - y.v || x.i - y.i)
    .slice(0, Math.max(0, k))
    .map((x) => x.i);
}

describe("smallestK", () => {
  it("gives the first k positions of a stable sort, on values with many ties", () => {
    const rng = seededRng(11);
    for (const n of [1, 2, 7, 100, 5000]) {
      // few distinct values, so that the k-th value is shared by many positions
      const values = Array.from({ length: n }, () => -Math.floor(rng() * 6));
      for (const k of [0, 1, 3, Math.floor(n / 2), n - 1, n, n + 5]) {
        expect([...smallestK(Float64Array.from(values), k)], `n=${n} k=${k}`).toEqual(bySorting(values, k));
      }
    }
  });

  it("handles continuous values, infinities and NaN (last)", () => {
    const rng = seededRng(5);
    const values = Array.from({ length: 2000 }, (_, i) =>
      i % 97 === 0 ? NaN : i % 89 === 0 ? -Infinity : i % 83 === 0 ? 0 : Math.log(rng()),
    );
    for (const k of [1, 10, 500, 1990, 2000]) {
      expect([...smallestK(Float64Array.from(values), k)]).toEqual(bySorting(values, k));
    }
  });

  it("leaves its input as it was", () => {
    const values = Float64Array.from([3, 1, 2, 1, 0]);
    expect([...smallestK(values, 2)]).toEqual([4, 1]);
    expect([...values]).toEqual([3, 1, 2, 1, 0]);
  });
});
