import { describe, expect, it } from "vitest";
import { seededRng } from "../detectors/detector.js";
import { PairIndex } from "./pair-index.js";

describe("PairIndex", () => {
  it("maps ordered pairs to values as a Map of them does, through many growths", () => {
    const rng = seededRng(5);
    const index = new PairIndex();
    const reference = new Map<string, number>();
    const int = (n: number): number => Math.floor(rng() * n);
    // 60,000 sets over 20,000 possible keys: overwrites, and the table grows from 4,096 slots many times
    for (let i = 0; i < 60_000; i++) {
      const a = int(200);
      const b = int(100) - 5;
      const v = int(2 ** 31);
      index.set(a, b, v);
      reference.set(`${a},${b}`, v);
    }
    expect(reference.size).toBeGreaterThan(15_000);
    for (let a = 0; a < 200; a++)
      for (let b = -5; b < 95; b++) expect(index.get(a, b)).toBe(reference.get(`${a},${b}`) ?? -1);
  });

  it("keeps (a, b) and (b, a) apart and takes ids up to the int32 limit", () => {
    const index = new PairIndex();
    index.set(3, 7, 1);
    index.set(7, 3, 2);
    index.set(2 ** 31 - 1, 0, 3);
    index.set(3, 7, 4);
    expect([index.get(3, 7), index.get(7, 3), index.get(2 ** 31 - 1, 0), index.get(0, 2 ** 31 - 1)]).toEqual([
      4, 2, 3, -1,
    ]);
  });
});
