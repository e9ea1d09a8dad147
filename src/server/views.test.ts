/**
 * The serve API's filters, timeline, heat map and whole-case graph, in-process on the bundled sample analysed
 * once. Expected values are worked out independently: posts bucketed in JavaScript from the posts table, hours
 * of the week read with Intl in the zone asked for, ties counted with SQL over the run's edges, campaigns
 * filtered from the findings document.
 */
import { describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import graphologyDefault from "graphology";
import { parse as parseGexf } from "graphology-gexf";
import { parse as parseGraphml } from "graphology-graphml";
import type { FindingsDoc } from "../report/findings.js";
import { CaseStore } from "../store/case.js";
import { analysedSampleSuite } from "../../test/helpers/sample-case.js";
import { EVIDENCE_TIER_SQL as TIER_SQL } from "../store/schema.js";
import { createApp } from "./app.js";

const ORIGIN = "http://127.0.0.1:8123";

let store: CaseStore;
let doc: FindingsDoc;
let runId: number;
let app: ReturnType<typeof createApp>;
let posts: Array<{ key: string; t: number; post_id: string; platform: string }>;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

analysedSampleSuite(async (sample) => {
  ({ store, doc, runId } = sample);
  app = createApp(store, { host: "127.0.0.1", port: 8123 });
  posts = await store.all(
    `SELECT platform || ':' || account_id AS key, epoch_ms(ts)::DOUBLE AS t, post_id, platform FROM posts`,
  );
});

async function call(path: string): Promise<{ status: number; body: Json }> {
  const res = await app.request(`${ORIGIN}${path}`);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return { status: res.status, body: (await res.json()) as Json };
}

const keysOf = (c: Record<string, unknown>): string[] =>
  (c["accounts"] as Array<{ platform: string; id: string }>).map((m) => `${m.platform}:${m.id}`);
const byId = (id: string) => doc.campaigns.find((c) => c["id"] === id)!;

/** Posts per bin, bucketed here from the posts themselves. */
function bucket(ts: number[], binMs: number, offsetMs = 0): Map<number, number> {
  const m = new Map<number, number>();
  for (const t of ts) {
    const start = Math.floor((t - offsetMs) / binMs) * binMs + offsetMs;
    m.set(start, (m.get(start) ?? 0) + 1);
  }
  return m;
}

describe("filters", () => {
  it("lists the filters in the order the query gave them, with captions, and counts total, matched and shown", async () => {
    const { status, body } = await call(
      "/api/campaigns?window=fast&minScore=0.5&to=2024-03-09&from=2024-03-01&limit=1",
    );
    expect(status).toBe(200);
    expect(body.filters.map((f: Json) => f.name)).toEqual(["window", "minScore", "dates"]);
    expect(body.filters[1].caption).toBe("score ≥ 0.5");
    expect(body.filters[2]).toMatchObject({
      params: ["from", "to"],
      caption: "2024-03-01 to 2024-03-09 UTC",
    });
    expect(body.filters[0].caption).toMatch(/fast-core window \(\d+ s\)/);
    const expected = doc.campaigns.filter(
      (c) =>
        Number(c["score"]) >= 0.5 &&
        Number(c["fast_core_share"]) > 0 &&
        Date.parse(String(c["first_seen"])) < Date.parse("2024-03-10T00:00:00Z") &&
        Date.parse(String(c["last_seen"])) >= Date.parse("2024-03-01T00:00:00Z"),
    );
    expect(body.total).toBe(doc.campaigns.length);
    expect(body.matched).toBe(expected.length);
    expect(body.shown).toBe(Math.min(1, expected.length));
  });

  it("selects campaigns by id and number, by binding ties among members, and by dates that miss them", async () => {
    const [c1, c2] = doc.campaigns as [Record<string, unknown>, Record<string, unknown>];
    const key2 = (await call(`/api/campaigns/${String(c2["id"])}`)).body.key as string;
    const some = await call(`/api/campaigns?campaign=${String(c1["id"])},${key2}`);
    expect(some.body.campaigns.map((c: Json) => c.id).sort()).toEqual([c1["id"], c2["id"]].sort());
    expect(some.body.filters[0].caption).toBe(`campaigns ${String(c1["id"])}, ${key2}`);
    const ties = Math.max(...doc.campaigns.map((c) => Number(c["ties"])));
    const most = await call(`/api/campaigns?minTies=${ties}`);
    expect(most.body.campaigns.map((c: Json) => c.id)).toEqual(
      doc.campaigns.filter((c) => Number(c["ties"]) >= ties).map((c) => c["id"]),
    );
    const before = await call("/api/campaigns?to=2020-01-01");
    expect([before.body.matched, before.body.filters[0].caption]).toEqual([0, "until 2020-01-01 UTC"]);
    const at = await call("/api/campaigns?from=2024-03-05T10:30Z");
    expect(at.body.filters[0].caption).toBe("from 2024-03-05 10:30 UTC");
  });

  it("answers 400 naming the parameter for unknown, repeated, malformed and hostile values", async () => {
    const cases: Array<[string, RegExp]> = [
      ["/api/campaigns?colour=red", /colour/],
      ["/api/campaigns?minScore=0.1&minScore=0.2", /minScore: given more than once/],
      ["/api/campaigns?from=2024-13-01", /from/],
      ["/api/campaigns?from=2024-02-30", /from/],
      ["/api/campaigns?from=yesterday", /from/],
      ["/api/campaigns?from=2024-03-09&to=2024-03-01", /to: must be after from/],
      ["/api/campaigns?minTies=-1", /minTies/],
      ["/api/campaigns?minScore=", /minScore: empty value/],
      ["/api/campaigns?minTies=2.5", /minTies/],
      ["/api/campaigns?window=slow", /window/],
      ["/api/campaigns?campaign=C1,<script>alert(1)</script>", /campaign/],
      [`/api/campaigns?campaign=${"C1,".repeat(2000)}`, /campaign/],
      ["/api/campaigns?layer=%3Cimg%20src%3Dx%3E", /layer/],
      [`/api/campaigns?platform=${"x".repeat(10_000)}`, /platform/],
      ["/api/timeline?unit=fortnight", /unit/],
      ["/api/timeline?unit=minute", /unit: minute bins over this span/],
      ["/api/timeline?layer=sync", /layer: sync is not a kind of shared object/],
      ["/api/timeline?a=twitter:1", /b: a tie needs both a and b/],
      ["/api/timeline?account=twitter:1&a=twitter:1&b=twitter:2", /account/],
      ["/api/timeline?a=twitter:1&b=twitter:1", /two different accounts/],
      ["/api/timeline?account=no-colon", /account/],
      ["/api/heatmap?tz=Mars/Olympus", /tz/],
      ["/api/heatmap?tz=UTC';DROP TABLE posts;--", /tz/],
      ["/api/graph?maxNodes=0", /maxNodes/],
      ["/api/graph?groupAbove=many", /groupAbove/],
      ["/api/graph?expand=C1;DROP", /expand/],
    ];
    for (const [path, message] of cases) {
      const r = await call(path);
      expect([path, r.status]).toEqual([path, 400]);
      expect(r.body.error).toMatch(message);
    }
    expect((await call("/api/campaigns?campaign=C9999")).status).toBe(404);
    expect((await call("/api/graph?expand=C9999")).status).toBe(404);
    // a campaign named twice is one campaign
    const twice = await call("/api/campaigns?campaign=C1,C1");
    const once = await call("/api/campaigns?campaign=C1");
    expect([twice.status, twice.body.filters, twice.body.matched]).toEqual([
      200,
      once.body.filters,
      once.body.matched,
    ]);
    // the case is intact after all that
    expect((await call("/api/case")).body.counts.posts).toBe(posts.length);
  });
});

describe("timeline", () => {
  it("counts the whole case's posts per bin, densely, with zero bins and distinct accounts", async () => {
    const { body } = await call("/api/timeline");
    expect(body.scope.kind).toBe("case");
    expect(body.matched).toBe(posts.length);
    expect(body.bins.length).toBeLessThanOrEqual(1000);
    const binMs = body.bin_seconds * 1000;
    const expected = bucket(
      posts.map((p) => p.t),
      binMs,
    );
    for (let i = 1; i < body.bins.length; i++) {
      expect(Date.parse(body.bins[i].start) - Date.parse(body.bins[i - 1].start)).toBe(binMs);
    }
    for (const b of body.bins as Json[]) {
      expect(b.posts).toBe(expected.get(Date.parse(b.start)) ?? 0);
      expect(b.accounts).toBeLessThanOrEqual(b.posts);
    }
    expect(body.bins.reduce((n: number, b: Json) => n + b.posts, 0)).toBe(posts.length);
    // the sample is hourly-binned: some hours have no posts, and they are there with zeros
    if (body.unit !== "week") expect(body.bins.some((b: Json) => b.posts === 0)).toBe(true);
  });

  it("counts a campaign's members' posts by day within dates, and distinct accounts per day", async () => {
    const c = doc.campaigns[0]!;
    const members = new Set(keysOf(c));
    const { body } = await call(
      `/api/timeline?campaign=${String(c["id"])}&unit=day&from=2024-03-05&to=2024-03-12`,
    );
    expect(body.scope).toMatchObject({ kind: "campaigns", campaigns: [c["id"]], accounts: members.size });
    expect(body.bins).toHaveLength(8);
    expect(body.bins[0].start).toBe("2024-03-05T00:00:00.000Z");
    const lo = Date.parse("2024-03-05T00:00:00Z");
    const hi = Date.parse("2024-03-13T00:00:00Z");
    const mine = posts.filter((p) => members.has(p.key) && p.t >= lo && p.t < hi);
    const day = 86_400_000;
    for (const b of body.bins as Json[]) {
      const start = Date.parse(b.start);
      const inBin = mine.filter((p) => p.t >= start && p.t < start + day);
      expect(b.posts).toBe(inBin.length);
      expect(b.accounts).toBe(new Set(inBin.map((p) => p.key)).size);
    }
    expect(body.matched).toBe(mine.length);
  });

  it("weeks start on Monday, and a tie's bins count each account apart", async () => {
    const g = await call(`/api/campaigns/${String(doc.campaigns[0]!["id"])}/graph`);
    const e = g.body.edges[0] as Json;
    const { body } = await call(
      `/api/timeline?a=${encodeURIComponent(e.b)}&b=${encodeURIComponent(e.a)}&unit=week`,
    );
    expect(body.scope).toMatchObject({ kind: "tie", a: [e.a, e.b].sort()[0], b: [e.a, e.b].sort()[1] });
    for (const b of body.bins as Json[]) {
      expect(new Date(b.start).getUTCDay()).toBe(1);
      expect(b.a + b.b).toBe(b.posts);
    }
    const total = posts.filter((p) => p.key === e.a || p.key === e.b).length;
    expect(body.matched).toBe(total);
  });

  it("counts only posts that carry an object of the layer asked for, on the platform asked for", async () => {
    const withUrl = new Set(
      (
        await store.all<{ k: string }>(
          `SELECT DISTINCT platform || '|' || post_id AS k FROM shared_objects WHERE kind = 'url'`,
        )
      ).map((r) => r.k),
    );
    const { body } = await call("/api/timeline?layer=url&platform=twitter&unit=day");
    const expected = posts.filter(
      (p) => p.platform === "twitter" && withUrl.has(`${p.platform}|${p.post_id}`),
    );
    expect(body.matched).toBe(expected.length);
    expect(body.filters.map((f: Json) => f.name)).toEqual(["layer", "platform"]);
  });

  it("an account the case does not have is a 404, as its page is, and a hostile key stays data", async () => {
    const hostile = "x:<script>alert(1)</script>'; DROP TABLE posts;--";
    for (const path of [
      `/api/timeline?account=${encodeURIComponent(hostile)}`,
      `/api/heatmap?account=${encodeURIComponent(hostile)}`,
      `/api/timeline?a=${encodeURIComponent(keysOf(doc.campaigns[0]!)[0]!)}&b=${encodeURIComponent("twitter:nope")}`,
    ]) {
      const { status, body } = await call(path);
      expect([path, status]).toEqual([path, 404]);
      expect(body.error).toMatch(/^server: no account /);
    }
    expect((await call(`/api/timeline?account=${encodeURIComponent(hostile)}`)).body.error).toContain(
      "<script>",
    );
    expect((await call("/api/case")).body.counts.posts).toBeGreaterThan(0);
  });
});

describe("heatmap", () => {
  const hourOfWeek = (t: number, tz: string): number => {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      weekday: "short",
      hour: "2-digit",
      hourCycle: "h23",
    }).formatToParts(new Date(t));
    const wd = parts.find((p) => p.type === "weekday")!.value;
    const h = Number(parts.find((p) => p.type === "hour")!.value);
    return ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(wd) * 24 + h;
  };

  it("counts posts by hour of the week in the zone asked for, daylight saving included", async () => {
    // the sample spans 2024-03-10, when New York moved its clocks forward
    for (const tz of ["UTC", "America/New_York", "Asia/Tehran"]) {
      const c = doc.campaigns[1]!;
      const members = new Set(keysOf(c));
      const { body } = await call(`/api/heatmap?campaign=${String(c["id"])}&tz=${encodeURIComponent(tz)}`);
      expect(body.tz).toBe(tz);
      const expected = new Array<number>(168).fill(0);
      for (const p of posts) if (members.has(p.key)) expected[hourOfWeek(p.t, tz)]!++;
      expect((body.posts as number[][]).flat()).toEqual(expected);
      expect(body.total_posts).toBe(expected.reduce((x, y) => x + y, 0));
    }
  });
});

describe("whole-case graph", () => {
  it("returns the run's binding ties as one edge per pair, strongest accounts first, with totals", async () => {
    const [truth] = await store.all<{ pairs: number; accounts: number }>(
      `WITH e AS (SELECT DISTINCT a, b FROM edges WHERE run_id = $run AND ${TIER_SQL} IN ('significant', 'candidate'))
       SELECT count(*)::DOUBLE AS pairs, (SELECT count(*) FROM (SELECT a FROM e UNION SELECT b FROM e))::DOUBLE AS accounts FROM e`,
      { run: runId },
    );
    const { body } = await call("/api/graph?maxNodes=10&maxEdges=20");
    expect(body.grouped).toBe(false);
    expect([body.total_edges, body.total_nodes, body.total, body.matched]).toEqual([
      truth!.pairs,
      truth!.accounts,
      truth!.accounts,
      truth!.accounts,
    ]);
    expect(body.nodes).toHaveLength(Math.min(10, truth!.accounts));
    const strengths = body.nodes.map((n: Json) => n.strength as number);
    expect(strengths).toEqual([...strengths].sort((x, y) => y - x));
    const shown = new Set(body.nodes.map((n: Json) => n.id));
    expect(body.edges.length).toBeLessThanOrEqual(20);
    for (const e of body.edges) expect(shown.has(e.a) && shown.has(e.b) && e.a < e.b).toBe(true);
    const again = await call("/api/graph?maxNodes=10&maxEdges=20");
    expect(again.body).toEqual(body);
  });

  it("filters ties by layer and fast-core window, and accounts by number of ties", async () => {
    const layer = "hashtag";
    const { body } = await call(`/api/graph?layer=${layer}&window=fast`);
    const [truth] = await store.all<{ pairs: number }>(
      `SELECT count(DISTINCT (a, b))::DOUBLE AS pairs FROM edges
        WHERE run_id = $run AND layer = $layer AND ${TIER_SQL} IN ('significant', 'candidate')
          AND json_extract(evidence, '$.fast_core')::BOOLEAN`,
      { run: runId, layer },
    );
    expect(body.total_edges).toBe(truth!.pairs);
    for (const e of body.edges) expect(e.layers).toEqual([layer]);
    const minTies = 10;
    const dense = await call(`/api/graph?minTies=${minTies}`);
    expect(dense.body.nodes.every((n: Json) => n.ties >= minTies)).toBe(true);
    expect(dense.body.matched).toBeLessThan(body.total);
  });

  it("groups campaigns into nodes above the threshold, and expands the ones asked for into their members", async () => {
    const { body } = await call("/api/graph?groupAbove=5");
    expect(body.grouped).toBe(true);
    const full = await call("/api/graph");
    const inScope = new Set(full.body.nodes.map((n: Json) => n.id));
    for (const c of doc.campaigns) {
      const node = body.nodes.find((n: Json) => n.id === c["id"]);
      const size = keysOf(c).filter((k) => inScope.has(k)).length;
      if (size > 0) expect(node).toMatchObject({ kind: "campaign", size, confidence: c["score"] });
    }
    // every tie in scope is inside a group or between two
    const inside = body.nodes.reduce((n: number, x: Json) => n + (x.internal_ties ?? 0), 0);
    const between = body.edges.reduce((n: number, x: Json) => n + x.ties, 0);
    expect(inside + between).toBe(body.ties_in_scope);

    const c1 = String(doc.campaigns[0]!["id"]);
    const open = await call(`/api/graph?groupAbove=5&expand=${c1}`);
    expect(open.body.expanded).toEqual([c1]);
    expect(open.body.nodes.some((n: Json) => n.id === c1)).toBe(false);
    const expanded = open.body.nodes.filter((n: Json) => n.kind === "account").map((n: Json) => n.id);
    expect(expanded.sort()).toEqual(
      keysOf(byId(c1))
        .filter((k) => inScope.has(k))
        .sort(),
    );
  });

  it("keeps the members of the campaigns named, and only accounts that posted in the dates", async () => {
    const c = doc.campaigns[2] ?? doc.campaigns[0]!;
    const { body } = await call(`/api/graph?campaign=${String(c["id"])}`);
    const members = new Set(keysOf(c));
    expect(body.nodes.length).toBeGreaterThan(0);
    for (const n of body.nodes) expect(members.has(n.id)).toBe(true);
    const none = await call("/api/graph?from=2030-01-01");
    expect([none.body.matched, none.body.nodes]).toEqual([0, []]);
  });
});

describe("graph exports", () => {
  const MultiGraph = (graphologyDefault as unknown as { MultiGraph: typeof import("graphology").MultiGraph })
    .MultiGraph;
  const leftovers = (): string[] => readdirSync(tmpdir()).filter((f) => f.startsWith("chorus-serve-export-"));

  it("streams GEXF and GraphML that graphology reads back, one edge per binding tie, and leaves no file behind", async () => {
    const before = leftovers();
    const ties = await store.scalar<number>(
      `SELECT count(*)::DOUBLE FROM edges WHERE run_id = $run AND ${TIER_SQL} IN ('significant', 'candidate')`,
      { run: runId },
    );
    const gexf = await app.request(`${ORIGIN}/api/export/graph.gexf`);
    expect(gexf.headers.get("content-disposition")).toContain("graph.gexf");
    const g1 = parseGexf(MultiGraph, await gexf.text());
    expect(g1.size).toBe(ties);
    const graphml = await app.request(`${ORIGIN}/api/export/graph.graphml`);
    const g2 = parseGraphml(MultiGraph, await graphml.text());
    expect(g2.size).toBe(ties);
    expect(g2.order).toBe(g1.order);
    // the temporary file goes once the stream has been read and closed
    for (let i = 0; i < 400 && leftovers().length > before.length; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(leftovers()).toEqual(before);
  });
});
