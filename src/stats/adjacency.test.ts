import { describe, expect, it } from "vitest";
import { seededRng } from "../detectors/detector.js";
import { adjacency } from "./adjacency.js";

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
});
