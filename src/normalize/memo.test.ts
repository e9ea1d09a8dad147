import { describe, expect, it } from "vitest";
import { detach, StringMemo } from "./memo.js";

/** A memo of upper-casing that records every key it computes. */
function counted(limit: number, maxKeyLength = 64): { memo: StringMemo<string>; computed: string[] } {
  const computed: string[] = [];
  const memo = new StringMemo<string>(limit, maxKeyLength, (k) => {
    computed.push(k);
    return k.toUpperCase();
  });
  return { memo, computed };
}

describe("StringMemo", () => {
  it("computes a repeated key once and returns the computed value", () => {
    const { memo, computed } = counted(4);
    expect(["a", "b", "a", "a", "b"].map((k) => memo.get(k))).toEqual(["A", "B", "A", "A", "B"]);
    expect(computed).toEqual(["a", "b"]);
  });

  it("keeps at most two generations: a key not seen for two generations is computed again", () => {
    const { memo, computed } = counted(2);
    for (const k of ["k1", "k2", "k3", "k4", "k5", "k6"]) memo.get(k);
    computed.length = 0;
    memo.get("k1"); // dropped with the oldest generation
    memo.get("k6"); // young
    expect(computed).toEqual(["k1"]);
  });

  it("moves a key found in the old generation back to the young one, so that keys in use stay", () => {
    const { memo, computed } = counted(2);
    memo.get("hot");
    memo.get("x1");
    memo.get("x2"); // the generation of "hot" becomes the old one
    memo.get("hot"); // found there, kept in the young one
    memo.get("x3");
    memo.get("x4"); // the old generation is dropped, and with it the first entry of "hot"
    computed.length = 0;
    expect(memo.get("hot")).toBe("HOT");
    expect(computed).toEqual([]);
  });

  it("computes keys longer than its limit every time and keeps none of them", () => {
    const { memo, computed } = counted(4, 8);
    const long = "x".repeat(9);
    memo.get(long);
    memo.get(long);
    memo.get("short");
    memo.get("short");
    expect(computed).toEqual([long, long, "short"]);
  });

  it("memoises null results as well as strings", () => {
    let calls = 0;
    const memo = new StringMemo<string | null>(4, 64, () => {
      calls++;
      return null;
    });
    expect(memo.get("#")).toBeNull();
    expect(memo.get("#")).toBeNull();
    expect(calls).toBe(1);
  });
});

describe("detach", () => {
  it("returns an equal string, and null and undefined as they are", () => {
    const big = "مهسا_امینی ".repeat(1000);
    const slice = big.slice(11, 60);
    expect(detach(slice)).toBe(slice);
    expect(detach("short")).toBe("short");
    expect(detach(null)).toBeNull();
    expect(detach(undefined)).toBeUndefined();
  });
});
