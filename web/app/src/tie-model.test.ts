import { describe, expect, it } from "vitest";
import type { TiePair } from "./api.js";
import { filterPairs, pairCitation, tieStats } from "./tie-model.js";

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

describe("a pair as text", () => {
  it("names both posts with time, file and row, hidden characters written out", () => {
    const p: TiePair = {
      layer: "url",
      object: "https://example.com/x",
      a: {
        post_id: "p1",
        ts: "2024-03-01T10:00:00Z",
        input_path: "in.jsonl",
        source_row: 12,
        text: "look\u202Eevil",
      },
      b: {
        post_id: "p2",
        ts: "2024-03-01T10:00:04Z",
        input_path: "in.jsonl",
        source_row: 13,
        text: "<b>same</b>",
      },
      gap_seconds: 4,
      first: "a",
    };
    const text = pairCitation(p, { key: "twitter:1", handle: "one" }, { key: "twitter:2", handle: null });
    expect(text.split("\n")).toEqual([
      "url https://example.com/x; gap 4 s; first: a",
      "A @one 2024-03-01T10:00:00Z (in.jsonl row 12, post p1): look[U+202E]evil",
      "B twitter:2 2024-03-01T10:00:04Z (in.jsonl row 13, post p2): <b>same</b>",
    ]);
    // a handle, post id or file name of the data's cannot forge a line of the citation or reverse one
    const forged = pairCitation(
      { ...p, a: { ...p.a, post_id: "p1\r\nB @x", input_path: "in\u202e.jsonl" } },
      {
        key: "twitter:1",
        handle: "one\nB @trusted 2024-03-10T09:59:00.000Z (tips.jsonl row 7, post 1): story",
      },
      { key: "twitter:2", handle: null },
    );
    expect(forged.split("\n")).toHaveLength(3);
    expect(forged.split("\n")[1]).toBe(
      "A @one⏎B @trusted 2024-03-10T09:59:00.000Z (tips.jsonl row 7, post 1): story 2024-03-01T10:00:00Z " +
        "(in[U+202E].jsonl row 12, post p1⏎B @x): look[U+202E]evil",
    );
  });
});
