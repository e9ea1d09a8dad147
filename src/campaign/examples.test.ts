import { describe, expect, it } from "vitest";
import { describeTie, examplePair } from "./examples.js";

const post = (id: string, ts: string, row: number) => ({ post_id: id, ts, input_id: 1, source_row: row });

describe("examplePair", () => {
  it("reads a co-share example as it is", () => {
    const ex = examplePair("url", {
      example: {
        object: "https://x.example/a",
        a: post("p2", "2024-05-01T00:00:03.000Z", 2),
        b: post("p1", "2024-05-01T00:00:01.000Z", 1),
        gap_seconds: 2,
        first: "b",
      },
    });
    expect(ex).toEqual({
      object: "https://x.example/a",
      a: post("p2", "2024-05-01T00:00:03.000Z", 2),
      b: post("p1", "2024-05-01T00:00:01.000Z", 1),
      gap_seconds: 2,
      first: "b",
    });
  });

  it("takes a fast repost's own posts, names what was reposted, and works out the gap and who was first", () => {
    const ex = examplePair("fast-repost", {
      example: {
        a: {
          repost: post("r2", "2024-05-01T05:00:02.500Z", 9),
          original: post("o", "2024-05-01T05:00:00Z", 7),
        },
        b: {
          repost: post("r1", "2024-05-01T05:00:01.000Z", 8),
          original: post("o", "2024-05-01T05:00:00Z", 7),
        },
      },
    });
    expect(ex).toEqual({
      object: "repost of post o",
      a: post("r2", "2024-05-01T05:00:02.500Z", 9),
      b: post("r1", "2024-05-01T05:00:01.000Z", 8),
      gap_seconds: 1.5,
      first: "b",
    });
  });

  it("names a sync burst by its start", () => {
    const ex = examplePair("sync", {
      example: {
        burst_start: "2024-05-02T06:00:00.000Z",
        a: post("x", "2024-05-02T06:00:00.200Z", 3),
        b: post("y", "2024-05-02T06:00:00.900Z", 4),
      },
    });
    expect(ex?.object).toBe("burst at 2024-05-02T06:00:00.000Z");
    expect(ex?.first).toBe("a");
    expect(ex?.gap_seconds).toBe(0.7);
  });

  it("returns null for ties without a post pair", () => {
    expect(examplePair("rhythm", { relation: "same shift" })).toBeNull();
    expect(examplePair("sync", { example: { a: { nothing: 1 }, b: post("y", "t", 1) } })).toBeNull();
  });
});

describe("describeTie", () => {
  it("puts a rhythm tie in words: relation, blocks, zone and rota", () => {
    expect(
      describeTie("rhythm", {
        relation: "complementary shifts of one rota",
        block_a_utc: "04:30-12:30",
        block_b_utc: "12:30-20:30",
        zone: "+03:30",
        rota: "R1",
      }),
    ).toBe("complementary shifts of one rota: 04:30-12:30 and 12:30-20:30 UTC, zone +03:30, rota R1");
  });
});
