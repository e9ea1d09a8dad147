import { describe, expect, it } from "vitest";
import { HyperLogLog } from "./hll.js";
import { hashPair } from "./pair-table.js";

describe("HyperLogLog", () => {
  it("estimates distinct pairs within a few percent, from a handful to millions, however often they repeat", () => {
    for (const distinct of [0, 1, 10, 1000, 40_000, 2_000_000]) {
      const hll = new HyperLogLog();
      // every pair three times, in an order unlike insertion
      for (let rep = 0; rep < 3; rep++)
        for (let i = 0; i < distinct; i++) {
          const k = (i * 7919 + rep) % distinct;
          hll.add(hashPair(k % 5003, 5003 + Math.floor(k / 5003)));
        }
      const e = hll.estimate();
      if (distinct === 0) expect(e).toBe(0);
      else expect(Math.abs(e - distinct) / distinct).toBeLessThan(distinct < 100 ? 0.1 : 0.03);
    }
  });

  it("does not depend on the order the items come in", () => {
    const a = new HyperLogLog();
    const b = new HyperLogLog();
    for (let i = 0; i < 50_000; i++) a.add(hashPair(i, i + 1 + (i % 97)));
    for (let i = 49_999; i >= 0; i--) b.add(hashPair(i, i + 1 + (i % 97)));
    expect(Array.from(a.registers)).toEqual(Array.from(b.registers));
    expect(a.estimate()).toBe(b.estimate());
  });
});
