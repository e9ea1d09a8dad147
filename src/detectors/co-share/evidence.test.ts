import { describe, expect, it } from "vitest";
import { examplePosts } from "./evidence.js";

describe("examplePosts", () => {
  it("lists each post of the ties' examples once, in order, without the ties that have none", () => {
    const a = Int32Array.from([7, 3, -1, 3, 12, 0]);
    const b = Int32Array.from([3, 9, -1, 7, 12, 5]);
    expect(Array.from(examplePosts(a, b))).toEqual([0, 3, 5, 7, 9, 12]);
  });

  it("gives none for ties without examples, or no ties", () => {
    expect(examplePosts(Int32Array.from([-1, -1]), Int32Array.from([-1, -1])).length).toBe(0);
    expect(examplePosts(new Int32Array(0), new Int32Array(0)).length).toBe(0);
  });

  it("agrees with a set over many random ties", () => {
    let x = 12345;
    const next = (): number => (x = (x * 1103515245 + 12345) % 2 ** 31) % 5000;
    const a = Int32Array.from({ length: 20_000 }, () => next() - 1);
    const b = Int32Array.from({ length: 20_000 }, () => next() - 1);
    const want = [...new Set([...a, ...b].filter((p) => p >= 0))].sort((p, q) => p - q);
    expect(Array.from(examplePosts(a, b))).toEqual(want);
  });
});
