/**
 * Near-duplicate texts as a co-share layer, end to end: posts ingested from a file, detectors run in registry
 * order, near-duplicate clusters stored as derived `text` objects, co-share tying the accounts that pasted the
 * same messages, and every text object traceable to the posts (input file and row) behind it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRng } from "../src/detectors/detector.js";
import { runDetectors, type DetectorRun } from "../src/detectors/run.js";
import type { CaseStore } from "../src/store/case.js";
import { copypastaWorld, type CopypastaWorld } from "./helpers/copypasta.js";
import { caseOf, DAY, T0, type JsonlPost } from "./helpers/posts.js";
import { tempDir } from "./helpers/tmp.js";

const NOW = new Date("2024-06-01T00:00:00Z");
const STOCK = [
  "Good morning everyone, have a lovely day",
  "Can't believe it's already Friday again",
  "The weather is perfect for a long walk today",
  "صبح همگی بخیر، روز خوبی داشته باشید",
  "امروز هوا برای پیاده‌روی عالی است",
  "Thanks for all the kind messages, friends",
];

/** Background: 60 ordinary accounts post stock phrases (verbatim: text objects too) at random over ten days. */
function stockPhrases(): JsonlPost[] {
  const rng = seededRng(17);
  const posts: JsonlPost[] = [];
  for (let a = 0; a < 60; a++) {
    for (let k = 0; k < 6; k++) {
      posts.push({
        platform: "twitter",
        post_id: `stock${a}-${k}`,
        account_id: `person${a}`,
        handle: `h_person${a}`,
        ts: new Date(T0 + Math.floor(rng() * 10 * DAY)).toISOString(),
        text: STOCK[Math.floor(rng() * STOCK.length)]!,
        urls: [],
        hashtags: [],
        mentions: [],
      });
    }
  }
  return posts;
}
const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

describe("near-duplicate clusters feed co-share's text layer", () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: CaseStore;
  let world: CopypastaWorld;
  let runId: number;
  let runs: DetectorRun[];
  const run = (id: string): DetectorRun => runs.find((r) => r.id === id)!;

  beforeAll(async () => {
    tmp = tempDir();
    world = copypastaWorld(5);
    store = (await caseOf(tmp, [...world.posts, ...stockPhrases()])).store;
    ({ runId, runs } = await runDetectors(store, {
      only: ["near-duplicate", "co-share"],
      params: { "co-share": { layers: ["text"] } },
      seed: 1,
      now: NOW,
    }));
  });
  afterAll(() => {
    store.close();
    tmp.cleanup();
  });

  it("stores the clusters as text objects of this run before co-share runs", async () => {
    const rows = await store.all<{ run_id: number; detector: string; kind: string; n: number; v: number }>(
      `SELECT run_id, detector, kind, count(*)::INTEGER AS n, count(DISTINCT value)::INTEGER AS v
         FROM derived_objects GROUP BY ALL`,
    );
    const stock = 60 * 6;
    expect(rows).toEqual([
      {
        run_id: runId,
        detector: "near-duplicate",
        kind: "text",
        n: world.copies.flat().length + stock,
        v: 5 + STOCK.length,
      },
    ]);
    expect(run("co-share").result.counts["text_shares"]).toBe(world.copies.flat().length + stock);
  });

  it("ties the unit's members on the text layer beyond chance, and only them", () => {
    const co = run("co-share");
    const bound = co.result.edges.filter((e) => e.evidence["tier"] !== "chance");
    expect(bound.length).toBeGreaterThan(0);
    const unit = new Set(world.unit.map((a) => `twitter:${a}`));
    for (const e of bound) {
      expect(e.layer).toBe("text");
      expect(unit.has(e.a) && unit.has(e.b), `${e.a} ${e.b}`).toBe(true);
    }
    // each pair that pasted two or more messages together has an edge with that many objects
    const account = new Map(world.posts.map((p) => [p.post_id, `twitter:${p.account_id}`]));
    const together = new Map<string, number>();
    for (const ids of world.copies) {
      const accs = ids.map((id) => account.get(id)!);
      for (let i = 0; i < accs.length; i++)
        for (let j = i + 1; j < accs.length; j++) {
          const k = pairKey(accs[i]!, accs[j]!);
          together.set(k, (together.get(k) ?? 0) + 1);
        }
    }
    const edges = new Map(co.result.edges.map((e) => [pairKey(e.a, e.b), e]));
    for (const [pair, n] of together) {
      if (n < 2) continue;
      expect(edges.get(pair)?.nObjects, pair).toBe(n);
      if (n >= 4) expect(edges.get(pair)?.evidence["significant"], pair).toBe(true);
    }
  });

  it("lets a text object in an edge's evidence be traced to its posts, input file and row", async () => {
    // co-share's examples are built in the case and saved with the tie's evidence, not held in memory
    const saved = await store.all<{ example: string }>(
      `SELECT json_extract(evidence, '$.example')::VARCHAR AS example FROM edges
        WHERE run_id = $run AND layer = 'text' AND json_extract(evidence, '$.example') IS NOT NULL
        ORDER BY a, b LIMIT 1`,
      { run: runId },
    );
    expect(saved).toHaveLength(1);
    const ex = JSON.parse(saved[0]!.example) as {
      object: string;
      a: { post_id: string };
      b: { post_id: string };
    };
    expect(ex.object).toMatch(/^t:twitter:/);
    const members = await store.all<{ post_id: string; input_id: number; source_row: number; text: string }>(
      `SELECT p.post_id, p.input_id, p.source_row::INTEGER AS source_row, p.text
         FROM derived_objects d JOIN posts p USING (platform, post_id)
        WHERE d.kind = 'text' AND d.value = $v ORDER BY p.ts`,
      { v: ex.object },
    );
    const ids = members.map((m) => m.post_id);
    expect(ids).toContain(ex.a.post_id);
    expect(ids).toContain(ex.b.post_id);
    expect(`t:twitter:${ids[0]}`).toBe(ex.object); // named after its earliest post
    expect(world.copies.some((c) => [...c].sort().join() === [...ids].sort().join())).toBe(true);
    for (const m of members) expect(m.input_id).toBe(1);
  });

  it("replaces, never piles up, the clusters when the case is analysed again", async () => {
    const before = await store.scalar<number>("SELECT count(*)::INTEGER FROM derived_objects");
    const again = await runDetectors(store, { seed: 1, now: NOW, only: ["near-duplicate", "co-share"] });
    const rows = await store.all<{ run_id: number; n: number }>(
      "SELECT run_id, count(*)::INTEGER AS n FROM derived_objects GROUP BY run_id",
    );
    expect(rows).toEqual([{ run_id: again.runId, n: before }]);
    expect(again.runId).toBe(runId + 1);
  });

  it("keeps the latest clusters for a co-share run on its own, and drops them when near-duplicate finds none", async () => {
    const alone = await runDetectors(store, {
      only: ["co-share"],
      params: { "co-share": { layers: ["text"] } },
    });
    expect(alone.runs[0]!.result.counts["text_shares"]).toBe(world.copies.flat().length + 60 * 6);
    await runDetectors(store, { only: ["near-duplicate"], params: { "near-duplicate": { minChars: 1000 } } });
    expect(await store.scalar<number>("SELECT count(*)::INTEGER FROM derived_objects")).toBe(0);
    const none = await runDetectors(store, {
      only: ["co-share"],
      params: { "co-share": { layers: ["text"] } },
    });
    expect(none.runs[0]!.status).toBe("skipped");
  });
});
