import { describe, expect, it } from "vitest";
import { lowerBound } from "./bisect.js";

describe("lowerBound", () => {
  it("finds the first position at least the value, in typed arrays and plain ones", () => {
    const xs = Int32Array.of(1, 3, 3, 7);
    expect([0, 1, 2, 3, 4, 7, 8].map((x) => lowerBound(xs, x))).toEqual([0, 0, 1, 1, 3, 3, 4]);
    expect(lowerBound(Float64Array.of(0.5, 1.5), 1)).toBe(1);
    expect(lowerBound([], 5)).toBe(0);
    // against a linear scan
    const sorted = Array.from({ length: 200 }, (_, i) => Math.floor(i / 3) * 2);
    for (let x = -1; x < 140; x++)
      expect(lowerBound(sorted, x)).toBe(
        sorted.findIndex((v) => v >= x) === -1 ? 200 : sorted.findIndex((v) => v >= x),
      );
  });
});
