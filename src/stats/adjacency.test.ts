import { describe, expect, it } from "vitest";
import { seededRng } from "../detectors/detector.js";
import { adjacency, pairEntries } from "./adjacency.js";

describe("adjacency", () => {
  it("lists each node's partners in the order of the pairs, repeats included, and only the first pairs asked", () => {
    const rng = seededRng(3);
    const nodes = 40;
    const n = 500;
    const a = new Int32Array(n + 5);
    const b = new Int32Array(n + 5);
    for (let i = 0; i < a.length; i++) {
      a[i] = Math.floor(rng() * nodes);
      b[i] = (a[i]! + 1 + Math.floor(rng() * (nodes - 1))) % nodes;
    }
    // a pair listed twice, and pairs past the count that must not appear
    a[10] = a[3]!;
    b[10] = b[3]!;
    const { start, partner } = adjacency(a, b, n, nodes + 2);
    expect(start).toHaveLength(nodes + 3);
    expect(start[nodes + 2]).toBe(2 * n);
    const expected: number[][] = Array.from({ length: nodes + 2 }, () => []);
    for (let i = 0; i < n; i++) {
      expected[a[i]!]!.push(b[i]!);
      expected[b[i]!]!.push(a[i]!);
    }
    for (let v = 0; v < nodes + 2; v++) {
      expect(Array.from(partner.subarray(start[v]!, start[v + 1]!)), String(v)).toEqual(expected[v]);
    }
    // the two nodes past the pairs' own have empty runs
    expect(start[nodes + 1]).toBe(start[nodes]);
  });

  it("lays out each entry's partner, pair and value side by side, in the runs adjacency gives", () => {
    const rng = seededRng(8);
    const nodes = 30;
    const n = 400;
    const a = new Int32Array(n);
    const b = new Int32Array(n);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      a[i] = Math.floor(rng() * nodes);
      b[i] = (a[i]! + 1 + Math.floor(rng() * (nodes - 1))) % nodes;
      values[i] = -rng() * 400;
    }
    const plain = adjacency(a, b, n - 7, nodes);
    const { start, entries, values32 } = pairEntries(a, b, values, n - 7, nodes);
    expect(Array.from(start)).toEqual(Array.from(plain.start));
    for (let j = 0; j < 2 * (n - 7); j++) {
      const partner = entries[3 * j]!;
      const pair = entries[3 * j + 1]!;
      expect(partner).toBe(plain.partner[j]);
      expect(pair).toBeLessThan(n - 7);
      // the entry's pair joins its partner and the node whose run holds it
      expect([a[pair], b[pair]]).toContain(partner);
      expect(values32[3 * j + 2]).toBe(Math.fround(values[pair]!));
    }
  });
});
