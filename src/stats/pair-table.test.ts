import { describe, expect, it } from "vitest";
import { hashPair, PairTable } from "./pair-table.js";
import { seededRng } from "../detectors/detector.js";

describe("PairTable", () => {
  it("counts unordered pairs", () => {
    const t = new PairTable();
    t.add(7, 3);
    t.add(3, 7, 2);
    t.add(1, 2);
    expect(t.get(3, 7)).toBe(3);
    expect(t.get(7, 3)).toBe(3);
    expect(t.get(2, 1)).toBe(1);
    expect(t.get(1, 3)).toBe(0);
    expect(t.find(1, 3)).toBe(-1);
    expect(t.size).toBe(2);
  });

  it("reports insertion and returns a slot that reads the count", () => {
    const t = new PairTable();
    const s = t.add(4, 9);
    expect(t.inserted).toBe(true);
    expect(t.add(9, 4)).toBe(s);
    expect(t.inserted).toBe(false);
    expect(t.countAt(s)).toBe(2);
  });

  it("accepts ids up to the int32 maximum and rejects misuse", () => {
    const t = new PairTable();
    t.add(0, 2 ** 31 - 1);
    expect(t.get(2 ** 31 - 1, 0)).toBe(1);
    expect(() => t.add(5, 5)).toThrow(RangeError);
    expect(() => t.add(-1, 5)).toThrow(RangeError);
    expect(() => t.add(1.5, 5)).toThrow(RangeError);
    expect(() => t.add(1, 2 ** 31)).toThrow(RangeError);
    expect(() => new PairTable(16, { extraFields: -1 })).toThrow(RangeError);
  });

  it("counts distinct tags when tags arrive grouped", () => {
    const t = new PairTable(16, { distinct: true });
    for (const tag of [0, 0, 0, 5, 5, 9]) t.add(1, 2, 1, tag);
    t.add(2, 3, 1, 0);
    expect(t.get(1, 2)).toBe(6);
    expect(t.getDistinct(1, 2)).toBe(3);
    expect(t.getDistinct(3, 2)).toBe(1);
    expect(t.getDistinct(1, 3)).toBe(0);
  });

  it("accumulates fractional increments as float64", () => {
    const t = new PairTable(16, { fractional: true });
    t.add(1, 2, 0.25);
    t.add(2, 1, 0.5);
    expect(t.get(1, 2)).toBeCloseTo(0.75, 15);
    expect(t.entries().count).toBeInstanceOf(Float64Array);
  });

  it("grows past many doublings and keeps 1M pairs, their counts and extra fields", () => {
    // Pair k is (k, k + 1 + (k * 7919) % 100_000), added 1 + k % 3 times in interleaved passes: every a is
    // distinct, so the expected table is known without a reference Map.
    const n = 1_000_000;
    const partner = (k: number) => k + 1 + ((k * 7919) % 100_000);
    const t = new PairTable(16, { distinct: true, extraFields: 1 });
    for (let pass = 0; pass < 3; pass++) {
      for (let k = 0; k < n; k++) {
        if (pass > k % 3) continue;
        const slot = t.add(partner(k), k, 1, pass);
        t.records[slot * t.stride + t.extraOffset] = k ^ 0x5555;
      }
    }
    expect(t.size).toBe(n);
    expect(t.generation).toBeGreaterThan(10);
    expect(t.size / t.capacity).toBeLessThanOrEqual(0.7);

    const e = t.entries();
    const extra = new Int32Array(n);
    t.copyInto({ a: new Int32Array(n), b: new Int32Array(n), count: new Uint32Array(n), extra: [extra] }, 0);
    const seen = new Uint8Array(n);
    let bad = 0;
    for (let i = 0; i < n; i++) {
      const a = e.a[i]!;
      const k = a;
      if (seen[k] === 1 || e.b[i] !== partner(k) || e.count[i] !== 1 + (k % 3)) bad++;
      if (e.distinct![i] !== 1 + (k % 3) || extra[i] !== (k ^ 0x5555)) bad++;
      seen[k] = 1;
    }
    expect(bad).toBe(0);
    expect(t.get(partner(12345), 12345)).toBe(1 + (12345 % 3));
    expect(t.get(12345, 12346)).toBe(0);
    let total = 0;
    t.forEach((_a, _b, count) => (total += count));
    let want = 0;
    for (let k = 0; k < n; k++) want += 1 + (k % 3);
    expect(total).toBe(want);
  });

  it("grows from a table presized too small and still finds everything", () => {
    const next = seededRng(42);
    const t = new PairTable(0);
    const ref = new Map<number, number>();
    for (let i = 0; i < 50_000; i++) {
      const a = Math.floor(next() * 3000);
      const b = Math.floor(next() * 3000);
      if (a === b) continue;
      t.add(a, b);
      const key = Math.min(a, b) * 2 ** 31 + Math.max(a, b);
      ref.set(key, (ref.get(key) ?? 0) + 1);
    }
    expect(t.size).toBe(ref.size);
    for (const [key, count] of ref) {
      const a = Math.floor(key / 2 ** 31);
      if (t.get(key - a * 2 ** 31, a) !== count) throw new Error(`count of ${key} lost`);
    }
  });

  it("hashes adjacent pairs to well-spread slots", () => {
    const buckets = new Int32Array(1024);
    for (let a = 0; a < 256; a++) for (let b = a + 1; b < a + 65; b++) buckets[hashPair(a, b) & 1023]!++;
    const mean = (256 * 64) / 1024;
    let max = 0;
    for (const c of buckets) max = Math.max(max, c);
    expect(max).toBeLessThan(mean * 2.5);
  });
});
