/**
 * Accounts whose ids the ingest accepts but a URL or a list parameter could mangle: an id of 450 characters and
 * one with a control character, both members of a planted campaign. The app opens them, and their ties are in the
 * campaign's graph (the graph listed them with no tie, and their pages answered 400).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ingestFile } from "../ingest/ingest.js";
import type { FindingsDoc } from "../report/findings.js";
import { analyzeCase } from "../report/pipeline.js";
import { CaseStore } from "../store/case.js";
import { SAMPLE } from "../../test/helpers/sample-case.js";
import { tempDir } from "../../test/helpers/tmp.js";
import { createApp } from "./app.js";

const ORIGIN = "http://127.0.0.1:8124";
const LONG = "L".repeat(450);
const CONTROL = "acc\u0001ctl";

let tmp: ReturnType<typeof tempDir>;
let store: CaseStore;
let doc: FindingsDoc;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  tmp = tempDir();
  const truth = JSON.parse(
    readFileSync(fileURLToPath(new URL("../../sample/truth.json", import.meta.url)), "utf8"),
  ) as { campaigns: Array<{ accounts: string[] }> };
  const [first, second] = truth.campaigns[0]!.accounts;
  const renamed = new Map([
    [first!, LONG],
    [second!, CONTROL],
  ]);
  const lines = readFileSync(SAMPLE, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      const p = JSON.parse(l) as Record<string, unknown>;
      for (const f of ["account_id", "ref_account_id"])
        if (typeof p[f] === "string" && renamed.has(p[f])) p[f] = renamed.get(p[f]);
      return JSON.stringify(p);
    });
  const input = tmp.path("posts.jsonl");
  writeFileSync(input, lines.join("\n") + "\n");
  store = await CaseStore.open(tmp.path("case.duckdb"));
  await ingestFile(store, input);
  doc = (
    await analyzeCase(store, {
      outDir: tmp.path("out"),
      report: false,
      now: new Date("2026-01-01T00:00:00Z"),
    })
  ).findings;
  app = createApp(store, { host: "127.0.0.1", port: 8124, casePath: "case.duckdb" });
}, 120_000);
afterAll(() => {
  store.close();
  tmp.cleanup();
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function get(path: string): Promise<{ status: number; body: Json }> {
  const res = await app.request(`${ORIGIN}${path}`);
  return { status: res.status, body: (await res.json()) as Json };
}

describe("accounts with long ids and control characters", () => {
  for (const [name, id] of [
    ["a 450-character id", LONG],
    ["an id with a control character", CONTROL],
  ] as const) {
    it(`opens the account with ${name}, and draws its ties in its campaign's graph`, async () => {
      const key = `twitter:${id}`;
      const campaign = doc.campaigns.find((c) =>
        (c["accounts"] as Array<{ platform: string; id: string }>).some(
          (m) => `${m.platform}:${m.id}` === key,
        ),
      );
      expect(campaign, "the renamed account stays in its planted campaign").toBeDefined();
      const account = await get(`/api/accounts/${encodeURIComponent(key)}`);
      expect(account.status, JSON.stringify(account.body)).toBe(200);
      const graph = await get(`/api/campaigns/${String(campaign!["id"])}/graph`);
      expect(graph.status).toBe(200);
      const ties = (graph.body["edges"] as Array<{ a: string; b: string }>).filter(
        (e) => e.a === key || e.b === key,
      );
      expect(ties.length).toBeGreaterThan(0);
    });
  }
});
