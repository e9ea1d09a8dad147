/**
 * Parity with CooRTweet 2.1.3 on its own sample data (test/fixtures/coortweet, MIT, see LICENSE.md there). The
 * expected numbers are the reference outputs of the R package; they must not be edited to make a test pass.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { coortweetCompat, quantileType7, type CoortweetRows } from "./coortweet.js";

const fixtures = fileURLToPath(new URL("../../../test/fixtures/coortweet/", import.meta.url));

/** The fixtures are plain CSV: a header, no quoting, empty cells for missing values. */
function readCsv(name: string): { header: string[]; rows: string[][] } {
  const text = gunzipSync(readFileSync(fixtures + name)).toString("utf8");
  if (text.includes('"')) throw new Error(`${name}: quoted fields are not expected`);
  const lines = text.split("\n").filter((l) => l.length > 0);
  const header = lines[0]!.split(",");
  const rows = lines.slice(1).map((l) => l.split(","));
  for (const r of rows) if (r.length !== header.length) throw new Error(`${name}: ragged row ${r.join(",")}`);
  return { header, rows };
}

function column(t: { header: string[]; rows: string[][] }, name: string): string[] {
  const i = t.header.indexOf(name);
  if (i < 0) throw new Error(`no column ${name}`);
  return t.rows.map((r) => r[i]!);
}

describe("quantileType7", () => {
  // Values from R: quantile(x, p) with the default type 7.
  it.each([
    [[1, 2, 3, 4], 0.25, 1.75],
    [[1, 2, 3, 4], 0.5, 2.5],
    [[1, 1, 1, 2], 0.5, 1],
    [[1, 1, 2, 2, 3], 0.25, 1],
    [[1, 1, 2, 2, 3], 0.75, 2],
    [[5, 1, 3], 0, 1],
    [[5, 1, 3], 1, 5],
    [[7], 0.3, 7],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9.1],
  ])("quantile(%j, %d) = %d", (x, p, want) => {
    expect(quantileType7(x, p)).toBeCloseTo(want, 12);
  });

  it("is NaN on no data", () => {
    expect(quantileType7([], 0.5)).toBeNaN();
  });
});

describe("CooRTweet 2.1.3 parity: russian_coord_tweets", () => {
  let rows: CoortweetRows;
  beforeAll(() => {
    const t = readCsv("russian_coord_tweets.csv.gz");
    expect(t.header).toEqual(["object_id", "account_id", "content_id", "timestamp_share"]);
    rows = {
      objectId: column(t, "object_id"),
      accountId: column(t, "account_id"),
      contentId: column(t, "content_id"),
      tsSec: column(t, "timestamp_share").map(Number),
    };
  });

  it("has 35,125 rows, 35,124 after de-duplication", () => {
    expect(rows.objectId.length).toBe(35_125);
    const r = coortweetCompat(rows, { timeWindow: 10, minParticipation: 2, edgeWeightQuantile: 0.5 });
    expect(r.rows).toBe(35_124);
  });

  it("time_window 60, min_participation 2, edge_weight 0.5", () => {
    const r = coortweetCompat(rows, { timeWindow: 60, minParticipation: 2, edgeWeightQuantile: 0.5 });
    expect(r.coshares).toBe(3_791);
    expect([r.accounts, r.edges]).toEqual([2_110, 3_721]);
    expect([r.accountsAboveThreshold, r.edgesAboveThreshold]).toEqual([94, 60]);
    expect([r.components, r.largestComponent]).toEqual([34, 10]);
    // The edge list is the same graph.
    expect(r.edgeList.length).toBe(3_721);
    expect(r.edgeList.reduce((s, e) => s + e.weight, 0)).toBe(3_791);
    expect(r.edgeList.filter((e) => e.aboveThreshold).length).toBe(60);
  });

  it("time_window 10, min_participation 2, edge_weight 0.5", () => {
    const r = coortweetCompat(rows, { timeWindow: 10, minParticipation: 2, edgeWeightQuantile: 0.5 });
    expect(r.coshares).toBe(447);
    expect([r.accounts, r.edges]).toEqual([525, 442]);
    expect([r.accountsAboveThreshold, r.edgesAboveThreshold]).toEqual([8, 4]);
  });

  it("time_window 10, min_participation 5, edge_weight 0.5", () => {
    const r = coortweetCompat(rows, { timeWindow: 10, minParticipation: 5, edgeWeightQuantile: 0.5 });
    expect(r.coshares).toBe(22);
    expect([r.accounts, r.edges]).toEqual([23, 20]);
    expect([r.accountsAboveThreshold, r.edgesAboveThreshold]).toEqual([2, 1]);
  });

  it("min_participation 1 agrees with the QUT coordination-network-toolkit cross-check", () => {
    expect(
      coortweetCompat(rows, { timeWindow: 10, minParticipation: 1, edgeWeightQuantile: 0.5 }).edges,
    ).toBe(1_092);
    expect(
      coortweetCompat(rows, { timeWindow: 60, minParticipation: 1, edgeWeightQuantile: 0.5 }).edges,
    ).toBe(6_206);
  });
});

describe("CooRTweet 2.1.3 parity: german_elections", () => {
  let table: { header: string[]; rows: string[][] };
  beforeAll(() => {
    table = readCsv("german_elections.csv.gz");
    expect(table.header).toEqual([
      "account_id",
      "post_id",
      "url_id",
      "hashtag_id",
      "domain_id",
      "phash_id",
      "timestamp",
    ]);
    expect(table.rows.length).toBe(218_971);
  });

  /** One object layer, as the vignette prepares it: post_id is the content, empty cells are no object. */
  function layer(name: string): CoortweetRows {
    return {
      objectId: column(table, name).map((v) => (v === "" ? null : `${name}:${v}`)),
      accountId: column(table, "account_id"),
      contentId: column(table, "post_id"),
      tsSec: column(table, "timestamp").map(Number),
    };
  }

  it.each([
    ["url_id", 41_100, 5_658, 371, 948],
    ["domain_id", 63_529, 5_968, 407, 975],
    ["hashtag_id", 36_005, 3_703, 154, 200],
    ["phash_id", 16_934, 2_131, 161, 228],
  ])(
    "%s at 30 s, 2, 0.25: %i rows, %i co-shares, %i / %i thresholded",
    (name, rows, coshares, accounts, edges) => {
      const r = coortweetCompat(layer(name), {
        timeWindow: 30,
        minParticipation: 2,
        edgeWeightQuantile: 0.25,
      });
      expect(r.rows).toBe(rows);
      expect(r.coshares).toBe(coshares);
      expect([r.accountsAboveThreshold, r.edgesAboveThreshold]).toEqual([accounts, edges]);
    },
  );
});

describe("coortweetCompat on hand-made rows", () => {
  it("applies the activity filter, loops, the refinement and the strict threshold", () => {
    // Object o1: a, b, c within 10 s; b lists content b1 twice, a second apart (two rows, never paired together).
    // Object o2: a and b again; d shares once (dropped by the activity filter). Object c3 is c's own content c3.
    // Objects o4-o6: e and f are active (two rows each) but co-share only once each, so the refinement drops e-f.
    const rows: CoortweetRows = {
      objectId: ["o1", "o1", "o1", "o1", "o2", "o2", "o2", "c3", "c3", "", "o4", "o4", "o5", "o6"],
      accountId: ["a", "b", "c", "b", "a", "b", "d", "c", "a", "c", "e", "f", "e", "f"],
      contentId: ["a1", "b1", "c1", "b1", "a2", "b2", "d1", "c3", "a3", "c4", "e1", "f1", "e2", "f2"],
      tsSec: [0, 5, 10, 6, 100, 110, 105, 200, 200, 0, 300, 301, 1000, 2000],
    };
    const r = coortweetCompat(rows, { timeWindow: 10, minParticipation: 2, edgeWeightQuantile: 0.5 });
    // o1: a-b twice (b's two rows), a-c (exactly 10 s), b-c twice; o2: a-b. c3 never pairs (object == content).
    expect(r.rows).toBe(13);
    expect(r.edgeList.map((e) => `${e.a}-${e.b}:${e.weight}/${e.objects}`)).toEqual([
      "a-b:3/2",
      "a-c:1/1",
      "b-c:2/1",
    ]);
    expect(r.coshares).toBe(6);
    expect(r.threshold).toBe(2);
    expect([r.edgesAboveThreshold, r.accountsAboveThreshold, r.components, r.largestComponent]).toEqual([
      1, 2, 1, 2,
    ]);
  });

  it("counts a row without a time as activity, but never pairs it (as R's NA)", () => {
    // a is active only thanks to its row without time (p); that row never pairs with b's share of p.
    const rows: CoortweetRows = {
      objectId: ["o", "o", "p", "p", "q", "q", "r"],
      accountId: ["a", "b", "a", "b", "b", "c", "c"],
      contentId: ["a1", "b1", "a2", "b3", "b2", "c1", "c2"],
      tsSec: [0, 1, Number.NaN, 2, 10, 11, 100],
    };
    const r = coortweetCompat(rows, { timeWindow: 5, minParticipation: 2, edgeWeightQuantile: 0 });
    expect(r.rows).toBe(7);
    expect(r.edgeList.map((e) => `${e.a}-${e.b}:${e.weight}`)).toEqual(["a-b:1", "b-c:1"]);
  });

  it("keeps every row when de-duplication is off", () => {
    const rows: CoortweetRows = {
      objectId: ["o", "o", "o"],
      accountId: ["a", "a", "b"],
      contentId: ["x", "x", "y"],
      tsSec: [0, 0, 1],
    };
    expect(
      coortweetCompat(rows, { timeWindow: 5, minParticipation: 1, edgeWeightQuantile: 0 }).coshares,
    ).toBe(1);
    const all = coortweetCompat(rows, {
      timeWindow: 5,
      minParticipation: 1,
      edgeWeightQuantile: 0,
      dedupe: false,
    });
    expect(all.rows).toBe(3);
    expect(all.coshares).toBe(2);
  });
});
