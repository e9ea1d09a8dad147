import { describe, expect, it } from "vitest";
import { permuteRecords } from "./read.js";

describe("permuteRecords", () => {
  it("moves each record to its new position in place, across cycles and fixed points", () => {
    const to = Int32Array.from([3, 1, 0, 4, 2, 5]); // cycle 0 -> 3 -> 4 -> 2 -> 0, fixed points 1 and 5
    const a = Uint32Array.from([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    permuteRecords(a, 2, to);
    const want = new Uint32Array(12);
    to.forEach((p, t) => want.set([t, t], p * 2));
    expect([...a]).toEqual([...want]);
  });
});
