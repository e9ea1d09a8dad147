/**
 * Campaign labels carried over a re-analysis that changes the members: the overlap rule on its own, then through
 * the API on the sample, with later runs stored as a re-analysis would store them (one member leaves and one
 * joins; a campaign splits; a campaign disappears).
 */
import { describe, expect, it } from "vitest";
import type { FindingsDoc } from "../report/findings.js";
import { CaseStore } from "../store/case.js";
import { analysedSampleSuite } from "../../test/helpers/sample-case.js";
import { createApp } from "./app.js";
import { assignByOverlap, CARRY_THRESHOLD, jaccard } from "./carry.js";

const set = (...xs: string[]): Set<string> => new Set(xs);

describe("the overlap rule", () => {
  it("measures Jaccard overlap", () => {
    expect(jaccard(set("a", "b", "c"), set("b", "c", "d"))).toEqual({ j: 2 / 4, shared: 2 });
    expect(jaccard(set(), set())).toEqual({ j: 0, shared: 0 });
  });

  it("assigns one to one, best overlap first, and nothing under the threshold", () => {
    const old: Array<[string, Set<string>]> = [
      ["k1", set("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")],
      ["k2", set("x", "y")],
    ];
    // k1 split 6 / 4: only the larger part overlaps enough
    const now: Array<[string, Set<string>]> = [
      ["C1", set("g", "h", "i", "j")],
      ["C2", set("a", "b", "c", "d", "e", "f")],
      ["C3", set("x", "q", "r")],
    ];
    const got = assignByOverlap(old, now);
    expect(got).toEqual([{ from: "k1", to: "C2", j: 0.6, shared: 6 }]);
    expect(jaccard(old[0]![1], now[0]![1]).j).toBeLessThan(CARRY_THRESHOLD);
  });

  it("breaks equal overlaps by the older key, then by the newer campaign's rank", () => {
    const same = set("a", "b");
    const got = assignByOverlap(
      [
        ["kb", same],
        ["ka", same],
      ],
      [
        ["C2", set("a", "b")],
        ["C1", set("a", "b")],
      ],
    );
    expect(got.map((p) => [p.from, p.to])).toEqual([
      ["ka", "C2"],
      ["kb", "C1"],
    ]);
  });
});

const ORIGIN = "http://127.0.0.1:8123";
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Member = { platform: string; id: string };

let store: CaseStore;
let doc: FindingsDoc;
let app: ReturnType<typeof createApp>;

analysedSampleSuite((sample) => {
  ({ store, doc } = sample);
  app = createApp(store, { host: "127.0.0.1", port: 8123 });
});

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: Json }> {
  const res = await app.request(`${ORIGIN}${path}`, init);
  return { status: res.status, body: (await res.json()) as Json };
}
const put = (value: unknown): RequestInit => ({
  method: "PUT",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(value),
});

/** Store `next` as the findings of a new analysis run, as a re-analysis would. */
async function reanalyse(next: FindingsDoc): Promise<number> {
  const run = ((await store.scalar<number>("SELECT max(id) FROM runs")) ?? 0) + 1;
  await store.conn.run(
    `INSERT INTO runs VALUES ($run, '2026-01-03T00:00:00Z'::TIMESTAMPTZ, '2026-01-03T00:00:01Z'::TIMESTAMPTZ,
       'test', NULL, 'ok')`,
    { run },
  );
  await store.conn.run("INSERT INTO analyses VALUES ($run, $doc::JSON)", { run, doc: JSON.stringify(next) });
  // the same ties as the run before: only the campaigns change
  await store.conn.run(
    `INSERT INTO edge_rows SELECT * REPLACE ($run AS run_id) FROM edge_rows WHERE run_id = $run - 1`,
    { run },
  );
  await store.conn.run(
    `INSERT INTO tie_accounts SELECT * REPLACE ($run AS run_id) FROM tie_accounts WHERE run_id = $run - 1`,
    { run },
  );
  return run;
}

const membersOf = (c: Record<string, unknown>): Member[] => c["accounts"] as Member[];

describe("carrying labels over a re-analysis", () => {
  it("carries a label when one member leaves and one joins, and to the larger part of a split", async () => {
    expect(doc.campaigns.length).toBeGreaterThanOrEqual(3);
    const [c1, c2, c3] = doc.campaigns as [Json, Json, Json];
    const keys: string[] = [];
    for (const [c, label] of [
      [c1, "confirmed"],
      [c2, "unsure"],
      [c3, "benign"],
    ] as Array<[Json, string]>) {
      const r = await call("/api/labels", put({ target: { kind: "campaign", id: c["id"] }, label }));
      expect(r.status).toBe(200);
      keys.push(r.body.label.target_id as string);
    }

    // the re-analysis: C1 loses its last member and gains an account from no campaign; C2 splits 60/40;
    // C3 is gone
    const inCampaigns = new Set(
      doc.campaigns.flatMap((c) => membersOf(c).map((m) => `${m.platform}:${m.id}`)),
    );
    const newcomer = doc.accounts.find((a) => !inCampaigns.has(`${a.platform}:${a.id}`))!;
    expect(newcomer).toBeDefined();
    const next = structuredClone(doc);
    const m1 = membersOf(c1);
    const changed1 = [...m1.slice(0, -1), { ...m1[0]!, id: newcomer.id, platform: newcomer.platform }];
    const m2 = membersOf(c2);
    const cut = Math.ceil(m2.length * 0.6);
    next.campaigns = [
      { ...c1, id: "C1", accounts: changed1 },
      { ...c2, id: "C2", accounts: m2.slice(cut) },
      { ...c2, id: "C3", accounts: m2.slice(0, cut) },
    ];
    await reanalyse(next);

    const list = await call("/api/campaigns");
    const byId = new Map((list.body.campaigns as Json[]).map((c) => [c.id, c]));
    const n1 = m1.length;
    expect(byId.get("C1")).toMatchObject({
      label: "confirmed",
      label_carried: {
        from_key: keys[0],
        from_number: c1["id"],
        overlap: Math.round(((n1 - 1) / (n1 + 1)) * 1000) / 1000,
      },
    });
    expect(byId.get("C1")!.label_carried.caption).toMatch(
      /label carried over from a campaign with \d+% of these members/,
    );
    // the split: the larger part (60% of the members) takes the label, the smaller does not
    const larger = cut / m2.length;
    expect(byId.get("C3")).toMatchObject({
      label: "unsure",
      label_carried: { from_key: keys[1], shared: cut },
    });
    expect(byId.get("C3")!.label_carried.overlap).toBeCloseTo(larger, 3);
    expect(byId.get("C2")).toMatchObject({ label: null, label_carried: null });

    const detail = await call("/api/campaigns/C1");
    expect(detail.body.label).toMatchObject({
      label: "confirmed",
      target_id: keys[0],
      carried: { from_key: keys[0], shared: n1 - 1, members_before: n1, members_now: n1 },
    });

    // the grouped graph shows the carried labels too
    const graph = await call("/api/graph?groupAbove=1");
    expect(graph.body.grouped).toBe(true);
    const g1 = (graph.body.nodes as Json[]).find((x) => x.id === "C1")!;
    expect(g1).toMatchObject({
      kind: "campaign",
      label: "confirmed",
      label_carried_overlap: byId.get("C1")!.label_carried.overlap,
    });

    const labels = await call("/api/labels?kind=campaign&id=" + keys[2]);
    expect(labels.body.labels[0]).toMatchObject({
      label: "benign",
      campaign: null,
      status: "unplaced",
      carried_to: null,
    });
    const all = await call("/api/labels");
    const status = new Map(
      (all.body.labels as Json[]).map((l) => [l.target_id, [l.status, l.carried_to?.campaign]]),
    );
    expect(status.get(keys[0])).toEqual(["carried", "C1"]);
    expect(status.get(keys[1])).toEqual(["carried", "C3"]);
  });

  it("a label given where one had carried settles it: it does not move again, and the new one is the campaign's own", async () => {
    const list = await call("/api/campaigns");
    const carried = (list.body.campaigns as Json[]).find((c) => c.id === "C3")!;
    const oldKey = carried.label_carried.from_key as string;
    const r = await call("/api/labels", put({ target: { kind: "campaign", id: "C3" }, label: "confirmed" }));
    expect(r.body.label.context).toMatchObject({ carried_from: oldKey });
    const after = await call("/api/campaigns");
    const c3 = (after.body.campaigns as Json[]).find((c) => c.id === "C3")!;
    expect(c3).toMatchObject({ label: "confirmed", label_carried: null });
    // the old label stays in the case, settled, and is not carried to the other part of the split
    expect((after.body.campaigns as Json[]).find((c) => c.id === "C2")!.label).toBeNull();
    const old = await call(`/api/labels?kind=campaign&id=${oldKey}`);
    expect(old.body.labels[0]).toMatchObject({ label: "unsure", status: "settled", carried_to: null });
  });
});
