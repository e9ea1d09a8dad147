import { describe, expect, it } from "vitest";
import { sortShares, type ShareColumnsLike, type SortedShares } from "./sort.js";
import { seededRng } from "../detector.js";

/** The expected order by brute force: kept rows by (object, time, row), objects with one kept row left out. */
function expectedRows(cols: ShareColumnsLike, include?: Uint8Array): number[] {
  const kept: number[] = [];
  for (let r = 0; r < cols.object.length; r++) if (include === undefined || include[r] !== 0) kept.push(r);
  const perObject = new Map<number, number>();
  for (const r of kept) perObject.set(cols.object[r]!, (perObject.get(cols.object[r]!) ?? 0) + 1);
  return kept
    .filter((r) => perObject.get(cols.object[r]!)! > 1)
    .sort((x, y) => cols.object[x]! - cols.object[y]! || cols.tsMs[x]! - cols.tsMs[y]! || x - y);
}

function expectSorted(cols: ShareColumnsLike, s: SortedShares, want: number[]): void {
  expect(Array.from(s.row!)).toEqual(want);
  expect(Array.from(s.account)).toEqual(want.map((r) => cols.account[r]!));
  expect(Array.from(s.tsMs)).toEqual(want.map((r) => cols.tsMs[r]!));
  if (cols.share !== undefined) expect(Array.from(s.share!)).toEqual(want.map((r) => cols.share![r]!));
  for (let g = 0; g < s.runObject.length; g++) {
    for (let k = s.runStart[g]!; k < s.runStart[g + 1]!; k++)
      expect(cols.object[s.row![k]!]).toBe(s.runObject[g]);
  }
  expect(s.runStart[s.runObject.length]).toBe(want.length);
}

describe("sortShares", () => {
  it("orders by object then time, stably, and leaves out objects shared once", () => {
    const next = seededRng(5);
    for (let round = 0; round < 60; round++) {
      const n = 1 + Math.floor(next() * 300);
      const objects = 1 + Math.floor(next() * 100);
      const cols: ShareColumnsLike = {
        object: Int32Array.from({ length: n }, () => Math.floor(next() * objects)),
        account: Int32Array.from({ length: n }, () => Math.floor(next() * 50)),
        tsMs: Float64Array.from({ length: n }, () => Math.floor(next() * 40)),
        share: round % 2 === 0 ? Int32Array.from({ length: n }, (_, i) => i * 3) : undefined,
      };
      const include =
        round % 3 === 0 ? Uint8Array.from({ length: n }, () => (next() < 0.7 ? 1 : 0)) : undefined;
      const s = sortShares(cols, include);
      expectSorted(cols, s, expectedRows(cols, include));
      const kept = include === undefined ? n : include.reduce((x, f) => x + f, 0);
      expect(s.rows).toBe(kept);
      const distinct = new Set<number>();
      for (let r = 0; r < n; r++)
        if (include === undefined || include[r] !== 0) distinct.add(cols.object[r]!);
      expect(s.objects).toBe(distinct.size);
    }
  });

  it("keeps no rows when not asked, with the same order of the other columns", () => {
    const next = seededRng(9);
    const n = 2000;
    const cols: ShareColumnsLike = {
      object: Int32Array.from({ length: n }, () => Math.floor(next() * 20)),
      account: Int32Array.from({ length: n }, (_, i) => i),
      tsMs: Float64Array.from({ length: n }, () => Math.floor(next() * 500)),
    };
    const s = sortShares(cols, undefined, false);
    expect(s.row).toBeUndefined();
    // Account i is row i here, so the accounts spell out the order.
    expect(Array.from(s.account)).toEqual(expectedRows(cols));
  });

  it("returns input already in order without copies", () => {
    const cols: ShareColumnsLike = {
      object: Int32Array.of(0, 0, 1, 2, 2),
      account: Int32Array.of(3, 4, 5, 6, 7),
      tsMs: Float64Array.of(1, 2, 0, 5, 5),
    };
    const s = sortShares(cols);
    expect(s.row).toBeUndefined();
    expect(s.account).toBe(cols.account);
    expect(Array.from(s.runStart)).toEqual([0, 2, 3, 5]);
    expect(s.objects).toBe(3);
  });
});
