import { describe, expect, it } from "vitest";
import { accountFindings } from "./index.js";
import { PARTNERS_SHOWN } from "../partners.js";
import type { AccountRef, TieColumns } from "./evidence.js";
import { seededRng } from "../detector.js";

/** Ties as columns from rows of (layer, a, b, objects, log10 of the p-value). */
function ties(rows: Array<[layer: number, a: number, b: number, k: number, log10P: number]>): TieColumns {
  const n = rows.length;
  const col = <T extends { [i: number]: number }>(
    make: new (n: number) => T,
    f: (r: (typeof rows)[0]) => number,
  ) => {
    const out = new make(n);
    rows.forEach((r, i) => (out[i] = f(r)));
    return out;
  };
  return {
    layer: col(Uint8Array, (r) => r[0]),
    a: col(Int32Array, (r) => r[1]),
    b: col(Int32Array, (r) => r[2]),
    k: col(Int32Array, (r) => r[3]),
    sharePairs: col(Uint32Array, (r) => r[3]),
    expected: col(Float64Array, () => 0.2),
    pValue: col(Float64Array, (r) => 10 ** r[4]),
    log10P: col(Float64Array, (r) => r[4]),
    tier: new Uint8Array(n),
    fast: new Uint8Array(n),
    exObject: new Int32Array(n).fill(-1),
    exPostA: new Int32Array(n).fill(-1),
    exPostB: new Int32Array(n).fill(-1),
  };
}

const handles = ["dana", "erin", "carl", "bert", "amir"];
const refs = new Map<number, AccountRef>(
  handles.map((h, aid) => [aid, { key: `twitter:${h}`, platform: "twitter", accountId: h, handle: h }]),
);

describe("co-share account findings", () => {
  it("names the same strongest tie whatever the order of the ties: p-value, then objects, then partner key", () => {
    // dana (0): three ties of equal p-value; two of them with 6 objects, to carl (2) and to bert (3), of which
    // bert comes first by key; amir (4) is tied more weakly
    const rows: Array<[number, number, number, number, number]> = [
      [0, 0, 1, 4, -9],
      [1, 0, 2, 6, -9],
      [0, 0, 3, 6, -9],
      [0, 0, 4, 9, -6],
      [1, 1, 2, 5, -12],
      [0, 1, 2, 5, -12],
    ];
    const next = seededRng(5);
    let first: string | undefined;
    for (let round = 0; round < 12; round++) {
      const shuffled = rows.map((r) => [next(), r] as const).sort((x, y) => x[0] - y[0]);
      const got = accountFindings(
        ties(shuffled.map(([, r]) => r)),
        rows.length,
        ["url", "hashtag"],
        60,
        refs,
      );
      const byAccount = new Map(got.map((f) => [f.subject, f.evidence["strongest"]]));
      expect(byAccount.get("twitter:dana")).toEqual({ account: "twitter:bert", layer: "url" });
      // erin and carl: equal p-values and objects on two layers of one pair: the first layer in the list
      expect(byAccount.get("twitter:erin")).toEqual({ account: "twitter:carl", layer: "url" });
      expect(byAccount.get("twitter:carl")).toEqual({ account: "twitter:erin", layer: "url" });
      const all = JSON.stringify(got);
      first ??= all;
      expect(all).toBe(first);
    }
  });

  it("tells p-values apart below the smallest double, by their logarithms", () => {
    // both p-values are 0 as doubles; the tie to erin is the stronger (10^-400 against 10^-350, fewer objects)
    const got = accountFindings(
      ties([
        [0, 0, 1, 5, -400],
        [0, 0, 2, 10, -350],
      ]),
      2,
      ["url"],
      60,
      refs,
    );
    expect(got.find((f) => f.subject === "twitter:dana")!.evidence["strongest"]).toEqual({
      account: "twitter:erin",
      layer: "url",
    });
  });

  it("counts every partner once and names the strongest PARTNERS_SHOWN, each by its strongest tie", () => {
    // 400 accounts, ties on three layers among them (a pair often on more than one), p-values with many repeats
    const next = seededRng(9);
    const accounts = 400;
    const rows: Array<[number, number, number, number, number]> = [];
    for (let layer = 0; layer < 3; layer++) {
      for (let a = 0; a < accounts; a++) {
        for (let b = a + 1; b < accounts; b++) {
          if (next() < 0.25) rows.push([layer, a, b, 2 + Math.floor(next() * 4), -Math.floor(next() * 30)]);
        }
      }
    }
    const many = new Map<number, AccountRef>(
      Array.from({ length: accounts }, (_, aid) => {
        const h = `u${((aid * 7919) % 1000).toString().padStart(3, "0")}`;
        return [aid, { key: `twitter:${h}`, platform: "twitter", accountId: h, handle: h }];
      }),
    );
    const layers = ["url", "hashtag", "mention"] as const;
    const got = accountFindings(ties(rows), rows.length, layers, 60, many);
    expect(got).toHaveLength(accounts);
    // brute force: each partner's strongest tie (smallest log10 p, most objects, then layer), partners in the
    // order of those ties and then by key
    const keyOf = (aid: number): string => many.get(aid)!.key;
    let capped = 0;
    for (const f of got) {
      const aid = [...many].find(([, r]) => r.key === f.subject)![0];
      const best = new Map<number, [number, number, number]>();
      for (const [layer, a, b, k, lp] of rows) {
        if (a !== aid && b !== aid) continue;
        const mate = a === aid ? b : a;
        const cur = best.get(mate);
        if (!cur || lp < cur[0] || (lp === cur[0] && (k > cur[1] || (k === cur[1] && layer < cur[2]))))
          best.set(mate, [lp, k, layer]);
      }
      const order = [...best].sort(
        ([x, bx], [y, by]) =>
          bx[0] - by[0] || by[1] - bx[1] || (keyOf(x) < keyOf(y) ? -1 : keyOf(x) > keyOf(y) ? 1 : 0),
      );
      expect(f.evidence["partner_count"]).toBe(best.size);
      const shown = order.slice(0, PARTNERS_SHOWN).map(([mate]) => keyOf(mate));
      expect(f.evidence["partners"]).toEqual(shown);
      expect((f.evidence["strongest"] as { account: string }).account).toBe(shown[0]);
      expect(f.explanation).toContain(`of ${best.size} other accounts`);
      if (best.size > PARTNERS_SHOWN) capped++;
    }
    // most accounts here have far more partners than are shown
    expect(capped).toBeGreaterThan(accounts / 2);
  });
});
