import { describe, expect, it } from "vitest";
import { delayMs, fastReposts, logBinomialUpperTail } from "./fast-repost.js";
import type { RepostColumns } from "./load.js";

function reposts(rows: Array<{ account: number; original: number; ts: number; ots: number }>): RepostColumns {
  return {
    rows: rows.length,
    account: Int32Array.from(rows, (r) => r.account),
    original: Int32Array.from(rows, (r) => r.original),
    tsMs: Float64Array.from(rows, (r) => r.ts),
    originalMs: Float64Array.from(rows, (r) => r.ots),
    row: Float64Array.from(rows, (_, i) => 100 + i),
    originalRow: Float64Array.from(rows, (r) => r.original),
    originals: Math.max(0, ...rows.map((r) => r.original + 1)),
  };
}

describe("fastReposts", () => {
  it("measures delays, tolerates a second of clock skew, and groups fast reposters by original", () => {
    const r = reposts([
      { account: 0, original: 0, ts: 3000, ots: 0 },
      { account: 1, original: 0, ts: 9000, ots: 0 },
      { account: 2, original: 0, ts: 60_000, ots: 0 },
      { account: 0, original: 1, ts: 99_500, ots: 100_000 },
      { account: 1, original: 1, ts: 90_000, ots: 100_000 },
      { account: 2, original: 2, ts: 5000, ots: NaN },
    ]);
    expect(delayMs(r, 3)).toBe(0);
    expect(Number.isNaN(delayMs(r, 4))).toBe(true);
    const s = fastReposts(r, 3, 10_000, 5);
    expect(Array.from(s.fast)).toEqual([2, 1, 0]);
    expect(Array.from(s.timed)).toEqual([2, 1, 1]);
    expect(Array.from(s.reposts)).toEqual([2, 2, 2]);
    expect(s.untimed).toBe(2);
    expect(Array.from(s.groupOriginal)).toEqual([0, 1]);
    expect(Array.from(s.groups.offsets)).toEqual([0, 2, 3]);
    expect(s.triggers).toEqual(new Set([0]));
    expect(s.examples.get(0)).toEqual([3, 0]);
  });
});

describe("logBinomialUpperTail", () => {
  it("agrees with a direct sum", () => {
    const choose = (n: number, k: number): number => {
      let c = 1;
      for (let j = 1; j <= k; j++) c = (c * (n - j + 1)) / j;
      return c;
    };
    for (const [n, q] of [
      [10, 0.1],
      [30, 0.02],
      [7, 0.5],
    ] as const) {
      for (let k = 0; k <= n; k++) {
        let p = 0;
        for (let j = k; j <= n; j++) p += choose(n, j) * q ** j * (1 - q) ** (n - j);
        if (p < 1e-12) continue;
        expect(Math.exp(logBinomialUpperTail(k, n, q))).toBeCloseTo(p, 9);
      }
    }
  });
});
