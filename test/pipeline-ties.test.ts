/**
 * The analysis lets go of the detectors' ties once the campaigns are built (at 10M posts their columns take
 * gigabytes through findings.json and the report), unless the caller keeps them: every tie is then in the case,
 * the runs keep everything else, and the campaigns are the same either way.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFile } from "../src/ingest/ingest.js";
import { collectGarbage } from "../src/detectors/detector.js";
import { analyzeCase, type AnalysisResult } from "../src/report/pipeline.js";
import { CaseStore } from "../src/store/case.js";
import { SAMPLE } from "./helpers/sample-case.js";
import { tempDir } from "./helpers/tmp.js";

const NOW = new Date("2026-01-01T00:00:00Z");

let tmp: ReturnType<typeof tempDir>;
let store: CaseStore;
let released: AnalysisResult;
let kept: AnalysisResult;

const tiesInCase = async (runId: number): Promise<number> =>
  Number(await store.scalar<bigint>("SELECT count(*) FROM edges WHERE run_id = $r", { r: runId }));

const campaignsOf = (r: AnalysisResult): string[][] =>
  r.campaigns.map((c) => [c.id, ...c.members.map((m) => m.key).sort()]);

beforeAll(async () => {
  tmp = tempDir();
  store = await CaseStore.open(tmp.path("case.duckdb"));
  await ingestFile(store, SAMPLE);
  released = await analyzeCase(store, { outDir: tmp.path("out-1"), report: false, now: NOW });
  kept = await analyzeCase(store, { outDir: tmp.path("out-2"), report: false, now: NOW, keepTies: true });
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

describe("the runs' ties after the campaign step", () => {
  it("are let go by default, and reading them says where they are instead", () => {
    const ok = released.runs.filter((r) => r.status === "ok");
    expect(ok.map((r) => r.id)).toContain("co-share");
    for (const r of ok) {
      expect(r.result.ties, r.id).toBeUndefined();
      expect(() => r.result.edges, r.id).toThrow(/let go after the campaign step.*edges table.*keepTies/);
    }
  });

  it("are all in the case, as many as the runs held when kept", async () => {
    const held = kept.runs.filter((r) => r.status === "ok").reduce((n, r) => n + r.result.edges.length, 0);
    expect(held).toBeGreaterThan(0);
    expect(await tiesInCase(kept.runId)).toBe(held);
    expect(await tiesInCase(released.runId)).toBe(held);
  });

  it("leave each run's status, counts, findings and details as they were", () => {
    for (const [i, r] of released.runs.entries()) {
      const k = kept.runs[i]!;
      expect(r.id).toBe(k.id);
      expect(r.result.status).toBe(k.result.status);
      expect(r.result.message).toBe(k.result.message);
      expect(r.result.counts).toEqual(k.result.counts);
      expect(r.result.findings).toEqual(k.result.findings);
      expect(r.result.warnings).toEqual(k.result.warnings);
      expect(r.result.details).toEqual(k.result.details);
    }
  });

  it("do not change the campaigns or findings.json", () => {
    expect(campaignsOf(released).length).toBeGreaterThan(0);
    expect(campaignsOf(released)).toEqual(campaignsOf(kept));
    expect(released.findings).toEqual(kept.findings);
  });
});

describe("collectGarbage", () => {
  it("collects typed arrays that nothing holds any more", async () => {
    let collected = false;
    const registry = new FinalizationRegistry(() => (collected = true));
    let big: Float64Array | null = new Float64Array(16 << 20); // 128 MiB, outside the heap
    big[big.length - 1] = 1;
    registry.register(big, "big");
    big = null;
    collectGarbage();
    // the registry's callback runs in a task of its own after the collection
    for (let tries = 0; tries < 500 && !collected; tries++) await new Promise((r) => setTimeout(r, 10));
    expect(collected).toBe(true);
    expect(big).toBeNull();
  });
});
