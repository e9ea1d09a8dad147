/**
 * Schema version 7 keeps co-share's evidence as columns of `edge_rows` behind the `edges` view, version 8 sync's,
 * version 9 names the accounts of their ties by number, and version 10 their example posts and objects. `chorus
 * report` opens a case read-only, which does not migrate it: the report and the graph export must read a case
 * written before version 10 (examples in the ties' own columns), before version 9 (every tie with its keys), before
 * version 8 (sync's evidence as JSON), before version 7 (ties in the table `edges`, JSON evidence) and before
 * version 6 (without the tier column), and show the same ties with the same evidence as from the migrated case.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFileSync } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";
import { loadExportGraph } from "../src/report/export/graph.js";
import { createApp } from "../src/server/app.js";
import { loadReportData } from "../src/report/html/data.js";
import { CaseStore } from "../src/store/case.js";
import { storeTiesAsVersion } from "./helpers/older-case.js";
import { analysedSample } from "./helpers/sample-case.js";
import { tempDir } from "./helpers/tmp.js";

let tmp: ReturnType<typeof tempDir>;
let current: {
  report: Awaited<ReturnType<typeof loadReportData>>;
  binding: Awaited<ReturnType<typeof loadExportGraph>>;
  all: Awaited<ReturnType<typeof loadExportGraph>>;
  evidence: string[];
  /** The layers of the ties that the current case holds by account number. */
  numbered: string[];
  /** The app's answers that read ties (`appAnswers`). */
  app: Record<string, unknown>;
  /** Ties with examples in their own columns, and with example posts and objects by number (version 10). */
  examples: { own: number; posts: number; objects: number };
};

const allEvidence = (s: CaseStore): Promise<string[]> =>
  s
    .all<{ e: string }>("SELECT concat_ws('|', layer, a, b, evidence) AS e FROM edges ORDER BY e")
    .then((rows) => rows.map((r) => r.e));

/**
 * The answers of the app's routes that read ties (src/server/ties.ts, case-view.ts): the whole-case graph, the
 * first campaign's graph, and one of its accounts and ties, by path.
 */
async function appAnswers(store: CaseStore): Promise<Record<string, unknown>> {
  const app = createApp(store, { host: "127.0.0.1", port: 8123 });
  const get = async (path: string): Promise<Record<string, unknown>> => {
    const res = await app.request(`http://127.0.0.1:8123${path}`);
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };
  const list = (await get("/api/campaigns"))["campaigns"] as Array<{ id: string }>;
  const graphPath = `/api/campaigns/${list[0]!.id}/graph`;
  const graph = (await get(graphPath)) as {
    nodes: Array<{ key: string }>;
    edges: Array<{ a: string; b: string }>;
  };
  const { a, b } = graph.edges[0]!;
  const paths = [
    "/api/graph",
    `/api/accounts/${encodeURIComponent(graph.nodes[0]!.key)}`,
    `/api/ties/${encodeURIComponent(a)}/${encodeURIComponent(b)}`,
  ];
  const out: Record<string, unknown> = { [graphPath]: graph };
  for (const path of paths) out[path] = await get(path);
  return out;
}

beforeAll(async () => {
  tmp = tempDir();
  const { store } = await analysedSample(tmp);
  try {
    current = {
      report: await loadReportData(store),
      binding: await loadExportGraph(store),
      all: await loadExportGraph(store, { all: true }),
      evidence: await allEvidence(store),
      numbered: (
        await store.all<{ layer: string }>(
          "SELECT DISTINCT layer FROM edge_rows WHERE a IS NULL AND a_ref IS NOT NULL ORDER BY layer",
        )
      ).map((r) => r.layer),
      app: await appAnswers(store),
      examples: (
        await store.all<{ own: number; posts: number; objects: number }>(
          `SELECT (SELECT count(*) FROM edge_rows WHERE example_a_post_id IS NOT NULL OR example_object IS NOT NULL)::INTEGER AS own,
                (SELECT count(*) FROM edge_rows WHERE example_a_ref IS NOT NULL)::INTEGER AS posts,
                (SELECT count(*) FROM edge_rows WHERE example_object_ref IS NOT NULL)::INTEGER AS objects`,
        )
      )[0]!,
    };
  } finally {
    store.close();
  }
}, 120_000);
afterAll(() => tmp.cleanup());

/** A copy of the analysed case as version `version` (9, 8, 7, 6 or 5) stored its ties. */
async function olderCase(version: 5 | 6 | 7 | 8 | 9): Promise<string> {
  const path = tmp.path(`v${version}.duckdb`);
  copyFileSync(tmp.path("case.duckdb"), path);
  const db = await DuckDBInstance.create(path);
  const conn = await db.connect();
  try {
    await storeTiesAsVersion(conn, version);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  return path;
}

describe("a case written before version 10, opened read-only", () => {
  it("has co-share and sync ties with examples to compare, named by number", () => {
    expect(current.evidence.some((e) => e.startsWith("url|") && e.includes('"example":'))).toBe(true);
    expect(current.evidence.some((e) => e.startsWith("sync|") && e.includes('"shared_bursts":'))).toBe(true);
    expect(current.report.campaigns.some((c) => c.evidence.length > 0)).toBe(true);
    expect(current.all.edges.length).toBeGreaterThan(current.binding.edges.length);
    expect(current.numbered).toEqual(expect.arrayContaining(["sync", "url"]));
    // the examples by number, and none in the ties' own columns
    expect(current.examples).toEqual({ own: 0, posts: expect.any(Number), objects: expect.any(Number) });
    expect(current.examples.posts).toBeGreaterThan(0);
    expect(current.examples.objects).toBeGreaterThan(0);
  });

  for (const version of [9, 8, 7, 6, 5] as const) {
    it(`gives the same report data and graph export (version ${version})`, async () => {
      const store = await CaseStore.open(await olderCase(version), { readOnly: true });
      try {
        expect(await store.schemaVersion()).toBe(version);
        expect(
          await store.scalar<number>(
            "SELECT count(*)::INTEGER FROM information_schema.tables WHERE table_name = 'edge_rows'",
          ),
        ).toBe(version >= 7 ? 1 : 0);
        expect(await allEvidence(store)).toEqual(current.evidence);
        expect(await loadReportData(store)).toEqual(current.report);
        expect(await loadExportGraph(store)).toEqual(current.binding);
        expect(await loadExportGraph(store, { all: true })).toEqual(current.all);
      } finally {
        store.close();
      }
    }, 60_000);
  }
});

describe("a case written before version 10, migrated", () => {
  it("keeps its ties' examples in their own columns, and gives the same evidence and answers", async () => {
    const store = await CaseStore.open(await olderCase(9));
    try {
      expect(await store.schemaVersion()).toBeGreaterThanOrEqual(10);
      expect(
        await store.scalar<number>("SELECT count(*)::INTEGER FROM edge_rows WHERE example_a_ref IS NOT NULL"),
      ).toBe(0);
      expect(await allEvidence(store)).toEqual(current.evidence);
      expect(await loadReportData(store)).toEqual(current.report);
      expect(await appAnswers(store)).toEqual(current.app);
    } finally {
      store.close();
    }
  }, 60_000);
});

describe("a case written before version 9, migrated", () => {
  it("keeps its ties' keys, and the app gives the same answers as where ties name accounts by number", async () => {
    const store = await CaseStore.open(await olderCase(8));
    try {
      expect(await store.schemaVersion()).toBeGreaterThanOrEqual(9);
      expect(
        await store.scalar<number>(
          "SELECT count(*)::INTEGER FROM edge_rows WHERE a IS NULL OR a_ref IS NOT NULL",
        ),
      ).toBe(0);
      expect(await allEvidence(store)).toEqual(current.evidence);
      const answers = await appAnswers(store);
      expect(Object.keys(answers)).toHaveLength(4);
      expect(answers).toEqual(current.app);
    } finally {
      store.close();
    }
  }, 60_000);
});
