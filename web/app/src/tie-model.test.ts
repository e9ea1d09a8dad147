import { describe, expect, it } from "vitest";
import type { TiePair } from "./api.js";
import { filterPairs, tieStats } from "./tie-model.js";

const pair = (layer: string, ts: string, gap: number, first: "a" | "b" | null): TiePair => ({
  layer,
  a: { post_id: "1", ts },
  b: { post_id: "2", ts },
  gap_seconds: gap,
  first,
});

describe("the tie's post pairs", () => {
  const pairs = [
    pair("url", "2024-03-01T10:00:00Z", 4, "a"),
    pair("hashtag", "2024-03-02T10:00:00Z", 40, "b"),
    pair("url", "2024-03-03T10:00:00Z", 12, "b"),
    pair("sync", "2024-03-03T11:00:00Z", 0, null),
  ];

  it("keep their order under layer, window and date filters", () => {
    expect(filterPairs(pairs, [{ name: "layer", value: "url" }]).map((p) => p.gap_seconds)).toEqual([4, 12]);
    expect(filterPairs(pairs, [{ name: "window", value: "10" }]).map((p) => p.gap_seconds)).toEqual([4, 0]);
    expect(filterPairs(pairs, [{ name: "window", value: "fast" }])).toHaveLength(4);
    expect(filterPairs(pairs, [{ name: "dates", value: "2024-03-02..2024-03-03" }])).toHaveLength(3);
  });

  it("count who was first and the median gap", () => {
    expect(tieStats(pairs)).toEqual({ aFirst: 1, bFirst: 2, same: 1, medianGap: 8 });
    expect(tieStats([])).toEqual({ aFirst: 0, bFirst: 0, same: 0, medianGap: null });
  });
});
