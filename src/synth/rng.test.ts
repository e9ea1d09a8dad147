import { describe, expect, it } from "vitest";
import { AliasTable, Rng, streamSeed, zipfWeights } from "./rng.js";
import { accountId, PostIdMinter, snowflakeId, SNOWFLAKE_EPOCH_MS } from "./ids.js";

describe("Rng", () => {
  it("gives the same stream for the same seed and a different one otherwise", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 8 }, () => a.uint32());
    expect(Array.from({ length: 8 }, () => b.uint32())).toEqual(xs);
    expect(Array.from({ length: 8 }, () => c.uint32())).not.toEqual(xs);
  });

  it("derives independent named streams without advancing anything", () => {
    expect(Rng.for(1, "slice", 3).next()).toBe(Rng.for(1, "slice", 3).next());
    expect(Rng.for(1, "slice", 3).next()).not.toBe(Rng.for(1, "slice", 4).next());
    expect(Rng.for(1, "slice", 3).next()).not.toBe(Rng.for(1, "fandom", 3).next());
    // Seeds above 2^32 keep their high bits.
    expect(streamSeed(2 ** 40)).not.toBe(streamSeed(0));
  });

  it("keeps draws in range with the expected means", () => {
    const r = new Rng(7);
    let sum = 0;
    let poissonSum = 0;
    let bad = 0;
    for (let i = 0; i < 20_000; i++) {
      const u = r.next();
      const k = r.intBetween(3, 5);
      if (!(u >= 0 && u < 1) || !(k >= 3 && k <= 5 && Number.isInteger(k))) bad++;
      sum += u;
      poissonSum += r.poisson(4);
    }
    expect(bad).toBe(0);
    expect(sum / 20_000).toBeCloseTo(0.5, 1);
    expect(poissonSum / 20_000).toBeCloseTo(4, 0);
    expect(r.poisson(1000)).toBeGreaterThan(850);
  });

  it("samples distinct items and shuffles in place", () => {
    const r = new Rng(3);
    const items = Array.from({ length: 50 }, (_, i) => i);
    const s = r.sample(items, 20);
    expect(new Set(s).size).toBe(20);
    expect(r.sample(items, 80)).toHaveLength(50);
    expect(r.shuffle(items.slice()).sort((x, y) => x - y)).toEqual(items);
    expect(() => r.pick([])).toThrow(RangeError);
  });
});

describe("AliasTable", () => {
  it("draws indices in proportion to their weights", () => {
    const t = new AliasTable([1, 0, 3, 6]);
    const r = new Rng(11);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 50_000; i++) counts[t.draw(r)]!++;
    expect(counts[1]).toBe(0);
    expect(counts[0]! / 50_000).toBeCloseTo(0.1, 1);
    expect(counts[3]! / 50_000).toBeCloseTo(0.6, 1);
  });

  it("refuses empty, negative or all-zero weights", () => {
    expect(() => new AliasTable([])).toThrow(RangeError);
    expect(() => new AliasTable([1, -1])).toThrow(RangeError);
    expect(() => new AliasTable([0, 0])).toThrow(RangeError);
  });

  it("makes Zipf weights fall with rank", () => {
    const w = zipfWeights(5, 1);
    expect(w[0]).toBe(1);
    expect(w[4]).toBeCloseTo(0.2);
  });
});

describe("ids", () => {
  it("writes snowflakes exactly (checked against BigInt)", () => {
    const r = new Rng(5);
    for (let i = 0; i < 2000; i++) {
      const ms = SNOWFLAKE_EPOCH_MS + r.int(2 ** 40);
      const worker = r.int(1024);
      const seq = r.int(4096);
      const ref = (
        (BigInt(ms - SNOWFLAKE_EPOCH_MS) << 22n) |
        (BigInt(worker) << 12n) |
        BigInt(seq)
      ).toString();
      expect(snowflakeId(ms, worker, seq)).toBe(ref);
    }
    expect(Number(BigInt(snowflakeId(1539202764713, 0, 0)) >> 22n) + SNOWFLAKE_EPOCH_MS).toBe(1539202764713);
  });

  it("mints unique ids within a millisecond and account ids by era", () => {
    const m = new PostIdMinter(3);
    const ids = new Set(Array.from({ length: 100 }, () => m.mint(1709888415123)));
    expect(ids.size).toBe(100);
    expect(accountId(Date.UTC(2010, 0, 1), 5, 123)).toMatch(/^\d{8,10}$/);
    expect(accountId(Date.UTC(2020, 0, 1), 5, 123)).toMatch(/^\d{18,19}$/);
  });
});
