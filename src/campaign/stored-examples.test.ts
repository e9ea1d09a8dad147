import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers/tmp.js";
import type { Edge } from "../model/index.js";
import { CaseStore } from "../store/case.js";
import { EDGE_ROWS } from "../store/edges.js";
import { storedExamples } from "./index.js";

// Co-share ties of two runs, written as the detector writes them (evidence as columns), with an example whose
// object and posts name the tie, so that every example found can be checked against the tie it was asked for.
const TIES = 5000;
const tieOf = (i: number): { layer: string; a: string; b: string } => ({
  layer: i % 3 === 0 ? "url" : "repost",
  a: `twitter:a${i % 97}`,
  b: `twitter:b${i}`,
});
const edge = (i: number, evidence: Record<string, unknown> = { significant: true }): Edge => ({
  ...tieOf(i),
  weight: 2,
  nObjects: 2,
  lift: 3,
  pValue: 1e-6,
  evidence,
});

let tmp: ReturnType<typeof tempDir>;
let store: CaseStore;

beforeAll(async () => {
  tmp = tempDir();
  store = await CaseStore.open(tmp.path("case.duckdb"));
  for (const run of [1, 2]) {
    await store.conn.run(
      `INSERT INTO ${EDGE_ROWS} (run_id, layer, a, b, weight, n_objects, significant, tier, fast_core, share_pairs,
                                 expected, log10_p, window_seconds, example_object, example_a_post_id, example_a_ts,
                                 example_a_input_id, example_a_source_row, example_b_post_id, example_b_ts,
                                 example_b_input_id, example_b_source_row)
       SELECT $run, CASE WHEN i % 3 = 0 THEN 'url' ELSE 'repost' END, 'twitter:a' || (i % 97), 'twitter:b' || i,
              2, 2, true, 'significant', false, 2, 0.01, -6, 60,
              CASE WHEN i % 10 = 7 THEN NULL ELSE 'run ' || $run || ' tie ' || i END,
              'pa' || i, TIMESTAMPTZ '2024-05-01 00:00:00+00' + to_seconds(i), 1, 2 * i,
              'pb' || i, TIMESTAMPTZ '2024-05-01 00:00:30+00' + to_seconds(i), 1, 2 * i + 1
         FROM range(${TIES}) r(i)
        ORDER BY hash(i, $run)`,
      { run },
    );
  }
  // checkpointed, as a saved run is when the campaign step reads it
  await store.conn.run("CHECKPOINT");
});

afterAll(() => {
  store.close();
  tmp.cleanup();
});

describe("storedExamples", () => {
  it("reads the example of each tie from the run's own rows, in more than one batch of row ids", async () => {
    // every other tie, asked for out of order, plus a tie the run does not hold
    const asked = Array.from({ length: TIES / 2 }, (_, k) => edge((k * 7919) % TIES)).concat([
      edge(TIES + 1),
    ]);
    const found = await storedExamples(store, 2, asked);
    const index = (e: Edge): number => Number(e.b.slice("twitter:b".length));
    expect(found.size).toBe(asked.filter((e) => index(e) < TIES && index(e) % 10 !== 7).length);
    for (const e of asked) {
      const i = index(e);
      const ex = found.get(e) as Record<string, Record<string, unknown> | string> | undefined;
      if (i >= TIES || i % 10 === 7) {
        expect(ex).toBeUndefined();
        continue;
      }
      expect(ex?.["object"]).toBe(`run 2 tie ${i}`);
      expect((ex?.["a"] as Record<string, unknown>)["post_id"]).toBe(`pa${i}`);
      expect((ex?.["b"] as Record<string, unknown>)["source_row"]).toBe(2 * i + 1);
      expect(ex?.["gap_seconds"]).toBe(30);
      expect(ex?.["first"]).toBe("a");
    }
  });

  it("does not look up ties that carry their example, nor any without a run; reads the run asked for", async () => {
    const own = edge(3, { significant: true, example: { object: "in memory" } });
    expect((await storedExamples(store, 1, [own])).size).toBe(0);
    expect((await storedExamples(store, undefined, [edge(3)])).size).toBe(0);
    const stored = edge(3);
    const ex = (await storedExamples(store, 1, [stored])).get(stored) as Record<string, unknown> | undefined;
    expect(ex?.["object"]).toBe("run 1 tie 3");
  });
});
