/**
 * Images end to end: a unit that posts the same fresh image within seconds, again and again, is a campaign bound by
 * the image layer, from a native JSON Lines file whose lines list their images; a meme that a crowd shares over a
 * day, and images that ordinary accounts post once, bind no one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { seededRng } from "../src/detectors/detector.js";
import { ingestFile } from "../src/ingest/ingest.js";
import { analyzeCase, type AnalysisResult } from "../src/report/pipeline.js";
import { CaseStore } from "../src/store/case.js";
import { tempDir } from "./helpers/tmp.js";

const START = Date.UTC(2024, 2, 1);
const UNIT = ["unit0", "unit1", "unit2", "unit3", "unit4"];
const CROWD = 200;

let tmp: ReturnType<typeof tempDir>;
let store: CaseStore;
let result: AnalysisResult;
let memeSharers: Set<string>;

beforeAll(async () => {
  tmp = tempDir();
  const rng = seededRng(7);
  const hex = (): string => Array.from({ length: 16 }, () => Math.floor(rng() * 16).toString(16)).join("");
  const lines: string[] = [];
  const post = (account: string, tsMs: number, images: string[]): void => {
    lines.push(
      JSON.stringify({
        platform: "twitter",
        post_id: String(lines.length + 1),
        account_id: account,
        ts: new Date(tsMs).toISOString(),
        text: `post ${lines.length + 1}`,
        images,
      }),
    );
  };
  // the crowd: each account posts its own images (or none) over four weeks
  for (let i = 0; i < 4000; i++) {
    const account = `user${Math.floor(rng() * CROWD)}`;
    post(account, START + Math.floor(rng() * 28 * 86_400_000), rng() < 0.6 ? [`phash:${hex()}`] : []);
  }
  // a meme: 80 of the crowd post the same image over a day, some of them twice
  const meme = `phash:${hex()}`;
  memeSharers = new Set<string>();
  for (let i = 0; i < 100; i++) {
    const account = `user${Math.floor(rng() * 80)}`;
    memeSharers.add(account);
    post(account, START + 10 * 86_400_000 + Math.floor(rng() * 86_400_000), [meme.toUpperCase()]);
  }
  // the unit: seven times, each member posts the same fresh image within 15 seconds of the first
  for (let k = 0; k < 7; k++) {
    const image = `phash:${hex()}`;
    const at = START + k * 3 * 86_400_000 + Math.floor(rng() * 86_400_000);
    for (const account of UNIT) post(account, at + Math.floor(rng() * 15_000), [image]);
  }
  const path = tmp.path("posts.jsonl");
  writeFileSync(path, lines.join("\n") + "\n");
  store = await CaseStore.open(tmp.path("case.duckdb"));
  await ingestFile(store, path);
  result = await analyzeCase(store, { outDir: tmp.path("out"), report: false });
});

afterAll(() => {
  store.close();
  tmp.cleanup();
});

describe("the image layer", () => {
  it("stores one object per image, however its hash was written", async () => {
    const rows = await store.all<{ n: number }>(
      "SELECT count(DISTINCT post_id)::INTEGER AS n FROM objects WHERE kind = 'image' GROUP BY value ORDER BY n DESC LIMIT 1",
    );
    // the meme's 100 posts wrote its hash in upper case: one object
    expect(rows[0]!.n).toBe(100);
  });

  it("reports the unit as a campaign bound by the images it posted together", () => {
    const byImage = result.campaigns.filter((c) => c.layers.includes("image"));
    expect(byImage).toHaveLength(1);
    const members = byImage[0]!.members.map((m) => m.accountId).sort();
    expect(members).toEqual(UNIT);
    expect(byImage[0]!.summary).toMatch(/the same images/);
  });

  it("ties no one for posting the meme a crowd shared over a day", () => {
    const flagged = new Set(result.campaigns.flatMap((c) => c.members.map((m) => m.accountId)));
    expect(memeSharers.size).toBeGreaterThan(50);
    expect([...memeSharers].filter((a) => flagged.has(a))).toEqual([]);
  });
});
