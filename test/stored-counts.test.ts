/**
 * Schema version 6 stores what the overview and the views used to recompute from every post and every tie's JSON:
 * the accounts with posts (`post_accounts`, kept by ingest) and each tie's tier and fast-core flag (written with
 * the tie). These tests hold the stored values to the queries they replace: on the analysed sample, after more
 * inputs (duplicates, new accounts, another platform, an email, a refused file), and after migrating a case of
 * version 5.
 */
import { describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { DuckDBInstance } from "@duckdb/node-api";
import { ingestFile } from "../src/ingest/ingest.js";
import { IngestError } from "../src/ingest/types.js";
import { CaseView } from "../src/server/case-view.js";
import { CaseStore } from "../src/store/case.js";
import { EVIDENCE_FAST_CORE_SQL, EVIDENCE_TIER_SQL, SCHEMA_VERSION } from "../src/store/schema.js";
import { storeTiesAsVersion } from "./helpers/older-case.js";
import { analysedSample, analysedSampleSuite, SAMPLE } from "./helpers/sample-case.js";
import { FIXTURES, tempDir } from "./helpers/tmp.js";

let tmp: ReturnType<typeof tempDir>;
let store: CaseStore;
let runId: number;

analysedSampleSuite((sample) => {
  ({ tmp, store, runId } = sample);
});

interface Counted {
  /** count(DISTINCT (platform, account_id)) over posts: what the overview showed before version 6. */
  slow: number;
  stored: number;
  rows: number;
  posts: number;
  summed: number;
  /** Accounts whose stored number of posts differs from their posts in the case (or that only one side has). */
  wrong: number;
}

async function counted(s: CaseStore): Promise<Counted> {
  const [r] = await s.all<Counted>(
    `SELECT (SELECT count(DISTINCT (platform, account_id)) FROM posts)::DOUBLE AS slow,
            (SELECT count(*) FROM (SELECT DISTINCT platform, account_id FROM post_accounts))::DOUBLE AS stored,
            (SELECT count(*) FROM post_accounts)::DOUBLE AS rows,
            (SELECT count(*) FROM posts)::DOUBLE AS posts,
            (SELECT coalesce(sum(posts), 0) FROM post_accounts)::DOUBLE AS summed,
            (SELECT count(*) FROM (SELECT platform, account_id, count(*) AS n FROM posts GROUP BY ALL) p
               FULL JOIN post_accounts a USING (platform, account_id)
              WHERE p.n IS DISTINCT FROM a.posts)::DOUBLE AS wrong`,
  );
  return r!;
}

/** The stored counts agree with the slow queries, and the overview shows the same number as before. */
async function expectExact(s: CaseStore): Promise<Counted> {
  const c = await counted(s);
  expect(c.slow).toBeGreaterThan(0);
  expect(c).toEqual({
    slow: c.slow,
    stored: c.slow,
    rows: c.slow,
    posts: c.posts,
    summed: c.posts,
    wrong: 0,
  });
  const totals = await new CaseView(s).caseTotals();
  expect(totals.accounts).toBe(c.slow);
  expect(totals.posts).toBe(c.posts);
  return c;
}

async function postAccounts(s: CaseStore): Promise<string[]> {
  const rows = await s.all<{ r: string }>(
    `SELECT platform || ':' || account_id || '=' || posts AS r FROM post_accounts ORDER BY platform, account_id`,
  );
  return rows.map((x) => x.r);
}

async function tiesMismatched(s: CaseStore): Promise<number> {
  return (await s.scalar<number>(
    `SELECT count(*)::DOUBLE FROM edges
      WHERE tier IS DISTINCT FROM ${EVIDENCE_TIER_SQL} OR fast_core IS DISTINCT FROM ${EVIDENCE_FAST_CORE_SQL}`,
  ))!;
}

describe("accounts with posts, counted at ingest", () => {
  it("equal the distinct count over posts on the bundled sample", async () => {
    const c = await expectExact(store);
    expect(c.posts).toBeGreaterThan(1000);
  });

  it("stay exact over a re-ingest, duplicates, new accounts, another platform, an email and a refused file", async () => {
    const before = await postAccounts(store);
    expect((await ingestFile(store, SAMPLE)).skipped).toBe(true);
    expect(await postAccounts(store)).toEqual(before);

    // posts the case has, repeats within the file, new posts of known accounts and posts of new accounts
    const lines = readFileSync(SAMPLE, "utf8").split("\n").filter(Boolean);
    const known = lines.slice(0, 300).map((l) => JSON.parse(l) as Record<string, unknown>);
    const more = [
      ...known.slice(0, 200),
      known[0]!,
      ...known.slice(200).map((p, i) => ({ ...p, post_id: `new-${i}` })),
      ...Array.from({ length: 40 }, (_, i) => ({
        platform: "twitter",
        post_id: `fresh-${i}`,
        account_id: `fresh-account-${i % 7}`,
        ts: "2024-03-05T12:00:00Z",
        text: `fresh ${i}`,
      })),
    ];
    const p = tmp.path("more.jsonl");
    writeFileSync(p, more.map((x) => JSON.stringify(x)).join("\n") + "\n");
    const s = await ingestFile(store, p);
    expect(s.postsDuplicate).toBe(201);
    expect(s.postsStored).toBe(more.length - 201);
    const c = await expectExact(store);
    expect(c.slow).toBe(before.length + 7);

    await ingestFile(store, `${FIXTURES}ingest/mastodon/statuses.jsonl`);
    const other = await expectExact(store);
    expect(other.slow).toBeGreaterThan(c.slow);

    // email senders are accounts of platform `email` without posts: the overview does not count them
    const emailAccounts = async () =>
      (await store.scalar<number>("SELECT count(*)::DOUBLE FROM accounts WHERE platform = 'email'"))!;
    const senders = await emailAccounts();
    await ingestFile(store, `${FIXTURES}email-case/lone.eml`);
    expect(await emailAccounts()).toBeGreaterThan(senders);
    expect((await expectExact(store)).slow).toBe(other.slow);

    // a file refused part-way leaves the counts as they were
    const kept = await postAccounts(store);
    const rows = Array.from({ length: 50_000 }, (_, i) =>
      JSON.stringify({ platform: "x", post_id: String(i), account_id: "cut" + (i % 97), ts: 1700000000 + i }),
    ).join("\n");
    const gz = gzipSync(Buffer.from(rows));
    const cut = tmp.path("cut.jsonl.gz");
    writeFileSync(cut, gz.subarray(0, Math.floor(gz.length * 0.7)));
    await expect(ingestFile(store, cut)).rejects.toBeInstanceOf(IngestError);
    expect(await postAccounts(store)).toEqual(kept);
    await expectExact(store);
  }, 120_000);
});

describe("a tie's tier and fast-core flag, stored with the tie", () => {
  it("equal what the evidence says, for every tie of the analysed sample", async () => {
    const [t] = await store.all<{ ties: number; binding: number; chance: number; fast: number }>(
      `SELECT count(*)::DOUBLE AS ties, count(*) FILTER (tier IN ('significant', 'candidate'))::DOUBLE AS binding,
              count(*) FILTER (tier NOT IN ('significant', 'candidate'))::DOUBLE AS chance,
              count(*) FILTER (fast_core)::DOUBLE AS fast
         FROM edges WHERE run_id = $run`,
      { run: runId },
    );
    // every kind of value occurs, so that the comparison below means something
    expect(t!.binding).toBeGreaterThan(0);
    expect(t!.chance).toBeGreaterThan(0);
    expect(t!.fast).toBeGreaterThan(0);
    expect(await tiesMismatched(store)).toBe(0);
  });
});

describe("migrating a case of schema version 5", () => {
  it("fills the stored counts and tiers from the evidence, in one step, with the same values and evidence", async () => {
    const own = tempDir();
    const path = own.path("case.duckdb");
    const { store: s } = await analysedSample(own);
    const wanted = await postAccounts(s);
    const ties = await s.all<{ k: string }>(
      `SELECT concat_ws('|', run_id, layer, a, b, weight, tier, fast_core, evidence) AS k FROM edges ORDER BY k`,
    );
    s.close();
    // version 5 had neither the table nor the two columns
    const db = await DuckDBInstance.create(path);
    const conn = await db.connect();
    await conn.run("DROP TABLE post_accounts");
    await storeTiesAsVersion(conn, 5);
    conn.closeSync();
    db.closeSync();

    const m = await CaseStore.open(path);
    try {
      expect(await m.schemaVersion()).toBe(SCHEMA_VERSION);
      expect(await postAccounts(m)).toEqual(wanted);
      await expectExact(m);
      expect(
        await m.all<{ k: string }>(
          `SELECT concat_ws('|', run_id, layer, a, b, weight, tier, fast_core, evidence) AS k FROM edges ORDER BY k`,
        ),
      ).toEqual(ties);
      expect(await tiesMismatched(m)).toBe(0);
    } finally {
      m.close();
      own.cleanup();
    }
  }, 120_000);
});
