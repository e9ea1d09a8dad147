/**
 * The serve API in-process (`app.request()`) on the bundled sample, analysed once: the overview agrees with the
 * findings document, ties come with their post pairs in time order and rows that exist, labels and notes survive
 * a second analysis that renumbers the campaigns, undo reverts, writes are all-or-nothing, and the guard refuses
 * foreign Host headers, missing tokens off loopback and cross-site writes. One test listens on a real socket.
 */
import { describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import type { FindingsDoc } from "../report/findings.js";
import { analyzeCase } from "../report/pipeline.js";
import { CaseStore } from "../store/case.js";
import { analysedSampleSuite, SAMPLE } from "../../test/helpers/sample-case.js";
import { ingestFile } from "../ingest/ingest.js";
import { tempDir } from "../../test/helpers/tmp.js";
import { createApp } from "./app.js";
import { startServer } from "./listen.js";

const ORIGIN = "http://127.0.0.1:8123";

let tmp: ReturnType<typeof tempDir>;
let store: CaseStore;
let doc: FindingsDoc;
let app: ReturnType<typeof createApp>;
const internal: Error[] = [];

analysedSampleSuite((sample) => {
  ({ tmp, store, doc } = sample);
  app = createApp(store, {
    host: "127.0.0.1",
    port: 8123,
    casePath: "<b>case</b>.duckdb",
    onInternalError: (e) => internal.push(e),
  });
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: Json; res: Response }> {
  const res = await app.request(`${ORIGIN}${path}`, init);
  const text = await res.text();
  let body: Json = {};
  if ((res.headers.get("content-type") ?? "").startsWith("application/json")) body = JSON.parse(text) as Json;
  return { status: res.status, body, res };
}

const json = (method: string, value: unknown): RequestInit => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(value),
});

const memberKeys = (c: Record<string, unknown>): string[] =>
  (c["accounts"] as Array<{ platform: string; id: string }>).map((m) => `${m.platform}:${m.id}`);

describe("searching accounts", () => {
  it("finds accounts by handle, name or id, the handle itself first, as ingest folds text", async () => {
    const member = doc.accounts.find((a) => a.handle && a.campaigns.length > 0)!;
    const exact = await call(`/api/accounts?q=${encodeURIComponent(member.handle!.toUpperCase())}`);
    expect(exact.status).toBe(200);
    expect(exact.body.accounts[0]).toMatchObject({
      key: `${member.platform}:${member.id}`,
      handle: member.handle,
      score: member.score,
      campaigns: member.campaigns,
    });
    expect(exact.body.accounts[0].posts).toBeGreaterThan(0);
    // a Persian display name, typed as an Arabic keyboard types it (ي for ی)
    const persian = await store.all<{ display_name: string }>(
      "SELECT display_name FROM accounts WHERE display_name LIKE '%ی%' ORDER BY display_name LIMIT 1",
    );
    const name = persian[0]!.display_name;
    const typed = await call(`/api/accounts?q=${encodeURIComponent(name.replaceAll("ی", "ي"))}`);
    expect(typed.body.total).toBeGreaterThanOrEqual(1);
    expect(typed.body.accounts.map((a: Json) => a.display_name)).toContain(name);
    // pages of a common substring, in a stable order
    const all = await call("/api/accounts?q=a&limit=200");
    const page = await call("/api/accounts?q=a&limit=10&offset=10");
    expect(all.body.total).toBeGreaterThan(20);
    expect(page.body.accounts.map((a: Json) => a.key)).toEqual(
      all.body.accounts.slice(10, 20).map((a: Json) => a.key),
    );
    // a page past the last match still says how many there are
    const past = await call("/api/accounts?q=a&offset=100000");
    expect(past.body).toMatchObject({ total: all.body.total, accounts: [] });
    const none = await call("/api/accounts?q=no-such-account-anywhere");
    expect(none.body).toMatchObject({ total: 0, accounts: [] });
  });

  it("refuses an empty or unreadable query with a message", async () => {
    expect((await call("/api/accounts")).status).toBe(400);
    const blank = await call(`/api/accounts?q=${encodeURIComponent("\u200b")}`);
    expect(blank.status).toBe(400);
    expect(blank.body.error).toContain("nothing to search for");
    expect((await call("/api/accounts?q=x&limit=0")).status).toBe(400);
  });
});

describe("reading the case", () => {
  it("the overview's counts match the findings document and the inputs", async () => {
    const { status, body, res } = await call("/api/case");
    expect(status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(body.counts.campaigns).toBe(doc.campaigns.length);
    expect(body.counts.accounts_with_findings).toBe(doc.accounts.length);
    expect(body.counts.posts).toBe(4802);
    // groups ruled out as organic, as the report counts them: the sample's pairs too few to be a campaign are not
    const groups = doc.ruled_out.filter((r) => !r.reason.includes("too few to be a campaign"));
    expect(groups.length).toBeLessThan(doc.ruled_out.length);
    expect(body.counts.ruled_out).toBe(groups.length);
    expect(body.inputs.map((i: Json) => [i.sha256, i.rows, i.rejected])).toEqual(
      doc.inputs.map((i) => [i.sha256, i.rows, i.rejected]),
    );
    expect(body.detectors.map((d: Json) => [d.id, d.status])).toEqual(
      doc.detectors.map((d) => [d.id, d.status]),
    );
    expect(body.analysis.id).toBeGreaterThan(0);
  });

  it("ranks campaigns, filters them and says how many it shows of how many", async () => {
    const all = await call("/api/campaigns");
    expect(all.body.total).toBe(doc.campaigns.length);
    const scores = all.body.campaigns.map((c: Json) => c.score as number);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
    const strong = await call("/api/campaigns?minScore=0.8&limit=1");
    expect(strong.body.matched).toBe(doc.campaigns.filter((c) => Number(c["score"]) >= 0.8).length);
    expect(strong.body.shown).toBe(Math.min(1, strong.body.matched));
    const none = await call("/api/campaigns?platform=nowhere");
    expect([none.body.matched, none.body.shown, none.body.total]).toEqual([0, 0, doc.campaigns.length]);
    const layer = String((doc.campaigns[0]!["layers"] as string[])[0]);
    const byLayer = await call(`/api/campaigns?layer=${layer}`);
    expect(byLayer.body.campaigns.every((c: Json) => (c.layers as string[]).includes(layer))).toBe(true);
  });

  it("shows a campaign by number or stable id, and its graph capped with totals", async () => {
    const c1 = doc.campaigns[0]!;
    const { body } = await call(`/api/campaigns/${String(c1["id"])}`);
    expect(body.key).toMatch(/^cm_[0-9a-f]{16}$/);
    expect(memberKeys(body)).toEqual(memberKeys(c1));
    expect(body.summary).toBe(c1["summary"]);
    expect(body.timeline).toEqual(c1["timeline"]);
    expect(body.label).toBeNull();
    // co-share ran with its chance model: the screen may say the ties beat chance
    expect(body.compat).toBeNull();
    const byKey = await call(`/api/campaigns/${body.key as string}`);
    expect(byKey.body.id).toBe(c1["id"]);
    const g = await call(`/api/campaigns/${body.key as string}/graph?maxNodes=2`);
    expect(g.body.total_nodes).toBe(memberKeys(c1).length);
    expect(g.body.nodes).toHaveLength(2);
    expect(g.body.total_edges).toBeGreaterThan(0);
    const shown = new Set(g.body.nodes.map((n: Json) => n.key));
    for (const e of g.body.edges) expect(shown.has(e.a) && shown.has(e.b)).toBe(true);
    const full = await call(`/api/campaigns/${body.key as string}/graph`);
    expect(full.body.edges).toHaveLength(full.body.total_edges);
    for (const e of full.body.edges) expect(e).toHaveProperty("p_value");
  });

  it("shows an account with its findings, campaigns and strongest ties", async () => {
    const key = memberKeys(doc.campaigns[0]!)[0]!;
    const { status, body } = await call(`/api/accounts/${encodeURIComponent(key)}`);
    expect(status).toBe(200);
    expect(body.profile.key).toBe(key);
    expect(body.profile.input_path).toMatch(/posts\.jsonl$/);
    expect(body.profile.posts).toBeGreaterThan(0);
    expect(body.campaigns.map((c: Json) => c.id)).toContain(doc.campaigns[0]!["id"]);
    expect(body.findings.length).toBeGreaterThan(0);
    expect(
      body.findings.every((f: Json) => typeof f.explanation === "string" && f.explanation.length > 0),
    ).toBe(true);
    expect(body.ties.total).toBeGreaterThan(0);
    // each partner is named by its handle too, as the case holds it
    const handles = new Map(
      (
        await store.all<{ k: string; h: string }>(
          `SELECT platform || ':' || account_id AS k, min(handle) AS h FROM accounts
            WHERE handle IS NOT NULL GROUP BY 1`,
        )
      ).map((r) => [r.k, r.h]),
    );
    for (const t of body.ties.ties as Json[]) {
      const [platform, ...id] = String(t.partner).split(":");
      const handle = handles.get(`${platform}:${id.join(":")}`) ?? null;
      expect(t.handle, String(t.partner)).toBe(handle);
    }
    expect((body.ties.ties as Json[]).some((t) => typeof t.handle === "string")).toBe(true);
    // the total is the account's partners whatever the page holds, none included
    for (const n of [0, 1, 5000]) {
      const paged = await call(`/api/accounts/${encodeURIComponent(key)}?ties=${n}`);
      expect([n, paged.body.ties.total, paged.body.ties.ties.length]).toEqual([
        n,
        body.ties.total,
        Math.min(n, body.ties.total),
      ]);
    }
    expect((await call("/api/accounts/twitter:no-such-account")).status).toBe(404);
  });

  it("refuses numbers not written in digits, layers that no detector has, and a parameter named __proto__", async () => {
    for (const q of [
      "minScore=0x1",
      "minTies=0x10",
      "limit=0b11",
      "limit=0o7",
      "limit=1e3",
      "limit=%2B5",
      "minScore=%200.5",
      "layer=nope",
      "__proto__=1",
    ]) {
      const r = await call(`/api/campaigns?${q}`);
      expect([q, r.status]).toEqual([q, 400]);
    }
    expect((await call("/api/graph?layer=co-share")).status).toBe(400);
    expect(
      (await call(`/api/accounts/${encodeURIComponent(memberKeys(doc.campaigns[0]!)[0]!)}?__proto__=1`))
        .status,
    ).toBe(400);
    // written in digits, they are read
    for (const q of ["minScore=0.5", "minScore=.5", "minTies=2", "limit=5", "layer=repost", "layer=rhythm"]) {
      expect([q, (await call(`/api/campaigns?${q}`)).status]).toEqual([q, 200]);
    }
  });

  it("a tie's post pairs are in time order, with gaps that match the timestamps and rows that exist", async () => {
    const g = await call(`/api/campaigns/${String(doc.campaigns[0]!["id"])}/graph`);
    const e = g.body.edges[0] as Json;
    // either order names the same tie
    const { status, body } = await call(`/api/ties/${encodeURIComponent(e.b)}/${encodeURIComponent(e.a)}`);
    expect(status).toBe(200);
    expect(body.id).toBe([e.a, e.b].sort().join("|"));
    expect(body.ties.map((t: Json) => t.layer)).toContain(e.layer);
    expect(body.pairs.length).toBeGreaterThan(0);
    expect(body.shown).toBe(body.pairs.length);
    let last = -Infinity;
    for (const p of body.pairs as Json[]) {
      const ta = Date.parse(p.a.ts);
      const tb = Date.parse(p.b.ts);
      expect(Math.min(ta, tb)).toBeGreaterThanOrEqual(last);
      last = Math.min(ta, tb);
      expect(p.gap_seconds).toBeCloseTo(Math.abs(ta - tb) / 1000, 6);
      expect(p.first).toBe(ta < tb ? "a" : tb < ta ? "b" : "same time");
      expect(p.a.input_path).toMatch(/posts\.jsonl$/);
      const tie = (body.ties as Json[]).find((t) => t.layer === p.layer)!;
      if (p.source === "posts") expect(p.gap_seconds).toBeLessThanOrEqual(tie.window_seconds);
      for (const [side, key] of [
        [p.a, body.a.key],
        [p.b, body.b.key],
      ] as Array<[Json, string]>) {
        const rows = await store.all<{ key: string; t: number }>(
          `SELECT platform || ':' || account_id AS key, epoch_ms(ts)::DOUBLE AS t FROM posts
            WHERE input_id = $input AND source_row = $row AND post_id = $post`,
          { input: side.input_id, row: side.source_row, post: side.post_id },
        );
        expect(rows).toEqual([{ key, t: Date.parse(side.ts) }]);
      }
    }
    const capped = await call(`/api/ties/${encodeURIComponent(e.a)}/${encodeURIComponent(e.b)}?limit=1`);
    expect(capped.body.shown).toBe(1);
    expect(capped.body.total).toBe(body.total);
  });

  it("exports the findings document and the graph", async () => {
    const f = await call("/api/export/findings.json");
    expect(f.body).toEqual(JSON.parse(JSON.stringify(doc)));
    expect(f.res.headers.get("content-disposition")).toContain("findings.json");
    const gexf = await app.request(`${ORIGIN}/api/export/graph.gexf`);
    expect(await gexf.text()).toContain("<gexf");
    const graphml = await app.request(`${ORIGIN}/api/export/graph.graphml`);
    expect(await graphml.text()).toContain("<graphml");
    const csv = await app.request(`${ORIGIN}/api/export/csv/campaigns.csv`);
    expect((await csv.text()).split("\n")[0]).toContain("id");
    // they take no parameters
    for (const path of ["/api/export/graph.gexf?foo=1", "/api/export/csv/edges?x=1"]) {
      const r = await call(path);
      expect([path, r.status, r.body.error]).toEqual([
        path,
        400,
        expect.stringMatching(/^server: bad query/),
      ]);
    }
  });
});

describe("labels and notes", () => {
  it("round trip, survive a second analysis that renumbers the campaigns, and undo step by step", async () => {
    expect(doc.campaigns.length).toBeGreaterThanOrEqual(2);
    const [c1, c2] = doc.campaigns as [Record<string, unknown>, Record<string, unknown>];
    const key1 = (await call(`/api/campaigns/${String(c1["id"])}`)).body.key as string;
    const put = await call(
      "/api/labels",
      json("PUT", { target: { kind: "campaign", id: c1["id"] }, label: "confirmed" }),
    );
    expect(put.status).toBe(200);
    expect(put.body.label).toMatchObject({
      target_id: key1,
      label: "confirmed",
      context: { number: c1["id"] },
    });
    const acct = memberKeys(c2)[0]!;
    await call("/api/labels", json("PUT", { target: { kind: "account", id: acct }, label: "unsure" }));
    const note = await call(
      "/api/notes",
      json("PUT", { target: { kind: "campaign", id: c1["id"] }, text: "first look" }),
    );
    expect(note.status).toBe(201);
    const noteId = note.body.note.id as string;
    const edited = await call("/api/notes", json("PUT", { id: noteId, text: "second look" }));
    expect(edited.body.note.text).toBe("second look");

    // a second analysis, then campaign numbers swapped as a run with other parameters might number them
    const again = await analyzeCase(store, {
      outDir: tmp.path("out2"),
      report: false,
      now: new Date("2026-01-02T00:00:00Z"),
    });
    const renumbered = structuredClone(again.findings);
    const [n1, n2] = [renumbered.campaigns[0]!, renumbered.campaigns[1]!];
    [n1["id"], n2["id"]] = [n2["id"], n1["id"]];
    await store.conn.run("UPDATE analyses SET findings = $doc::JSON WHERE run_id = $run", {
      doc: JSON.stringify(renumbered),
      run: again.runId,
    });
    const list = await call("/api/campaigns");
    expect(list.body.campaigns.find((c: Json) => c.key === key1)).toMatchObject({
      id: c2["id"],
      label: "confirmed",
    });
    const detail = await call(`/api/campaigns/${String(c2["id"])}`);
    expect(detail.body.label.label).toBe("confirmed");
    expect(detail.body.notes.map((n: Json) => n.text)).toEqual(["second look"]);
    expect(detail.body.member_labels).toBeDefined();
    const labels = await call(`/api/labels?kind=campaign&id=${key1}`);
    expect(labels.body.labels[0]).toMatchObject({ campaign: c2["id"], label: "confirmed" });
    expect((await call(`/api/accounts/${encodeURIComponent(acct)}`)).body.label.label).toBe("unsure");

    // undo: the edit, then the note, then the account label
    expect((await call("/api/undo", json("POST", {}))).body.undone).toMatchObject({
      table: "notes",
      action: "update",
    });
    const listed = (await call(`/api/notes?kind=campaign&id=${key1}`)).body.notes[0];
    expect(listed.text).toBe("first look");
    // named by its number in the latest analysis, as its label is
    const label = (await call("/api/labels")).body.labels.find((l: Json) => l.target_id === key1);
    expect(label.campaign).toMatch(/^C\d+$/);
    expect(listed.campaign).toBe(label.campaign);
    await call("/api/undo", json("POST", {}));
    expect((await call(`/api/notes?kind=campaign&id=${key1}`)).body.total).toBe(0);
    await call("/api/undo", json("POST", {}));
    expect((await call(`/api/accounts/${encodeURIComponent(acct)}`)).body.label).toBeNull();
    // a delete is undone too
    expect((await call(`/api/labels?kind=campaign&id=${key1}`, { method: "DELETE" })).status).toBe(200);
    expect((await call("/api/labels")).body.total).toBe(0);
    await call("/api/undo", json("POST", {}));
    expect((await call("/api/labels")).body.labels.map((l: Json) => l.label)).toEqual(["confirmed"]);
  });

  it("labels a tie whichever order it is named in, and refuses targets that do not exist", async () => {
    const g = await call(`/api/campaigns/${String(doc.campaigns[0]!["id"])}/graph`);
    const e = g.body.edges[0] as Json;
    const r = await call(
      "/api/labels",
      json("PUT", { target: { kind: "tie", id: `${e.b}|${e.a}` }, label: "benign" }),
    );
    expect(r.body.label.target_id).toBe([e.a, e.b].sort().join("|"));
    const tie = await call(`/api/ties/${encodeURIComponent(e.a)}/${encodeURIComponent(e.b)}`);
    expect(tie.body.label.label).toBe("benign");
    const missing = await call(
      "/api/labels",
      json("PUT", { target: { kind: "account", id: "twitter:nobody-here" }, label: "benign" }),
    );
    expect(missing.status).toBe(404);
    const noCampaign = await call(
      "/api/notes",
      json("PUT", { target: { kind: "campaign", id: "C999" }, text: "x" }),
    );
    expect(noCampaign.status).toBe(404);
    // two accounts that exist, but that the analysis did not tie
    const members = memberKeys(doc.campaigns[0]!);
    const other = memberKeys(doc.campaigns[1]!).find((k) => !members.includes(k))!;
    const untied = await call(`/api/ties/${encodeURIComponent(members[0]!)}/${encodeURIComponent(other)}`);
    expect(untied.status).toBe(404);
    for (const [path, extra] of [
      ["/api/labels", { label: "benign" }],
      ["/api/notes", { text: "x" }],
    ] as const) {
      const r = await call(
        path,
        json("PUT", { target: { kind: "tie", id: `${members[0]}|${other}` }, ...extra }),
      );
      expect([path, r.status, r.body.error]).toEqual([
        path,
        404,
        expect.stringMatching(/^server: no tie .* in the latest analysis/),
      ]);
    }
  });

  it("refuses a note holding a lone surrogate with a 400, and keeps an internal fault's details from the client", async () => {
    const acct = memberKeys(doc.campaigns[0]!)[0]!;
    const before = (await call("/api/notes")).body.total as number;
    const raw = `{"target":{"kind":"account","id":${JSON.stringify(acct)}},"text":"x \\ud800"}`;
    const r = await call("/api/notes", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: raw,
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/lone surrogate/);
    expect((await call("/api/notes")).body.total).toBe(before);
  });

  it("each write is one transaction: when its history row cannot be written, the label is not written either", async () => {
    const acct = memberKeys(doc.campaigns[0]!)[1]!;
    await store.conn.run("ALTER TABLE edit_history RENAME TO edit_history_away");
    try {
      const r = await call(
        "/api/labels",
        json("PUT", { target: { kind: "account", id: acct }, label: "confirmed" }),
      );
      expect(r.status).toBe(500);
      // the engine's message (it names the case's tables) stays in the server's terminal
      expect(r.body.error).toBe("server: internal error (the server's terminal has the details)");
      expect(internal.at(-1)?.message).toMatch(/edit_history/);
    } finally {
      await store.conn.run("ALTER TABLE edit_history_away RENAME TO edit_history");
    }
    expect((await call(`/api/labels?kind=account&id=${encodeURIComponent(acct)}`)).body.total).toBe(0);
  });

  it("returns hostile text as JSON data, never as markup", async () => {
    const hostile = `<script>alert(1)</script><img src=x onerror=alert(2)>\u202Egnp.exe`;
    const r = await call(
      "/api/notes",
      json("PUT", { target: { kind: "account", id: memberKeys(doc.campaigns[0]!)[0] }, text: hostile }),
    );
    expect(r.res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(r.body.note.text).toBe(hostile);
    const listed = await app.request(`${ORIGIN}/api/notes`);
    expect(listed.headers.get("content-type")).toMatch(/^application\/json/);
    expect(listed.headers.get("x-content-type-options")).toBe("nosniff");
    const probe = await app.request(
      `${ORIGIN}/api/accounts/${encodeURIComponent("x:<script>alert(1)</script>")}`,
    );
    expect(probe.status).toBe(404);
    expect(probe.headers.get("content-type")).toMatch(/^application\/json/);
    const home = await app.request(`${ORIGIN}/`);
    const page = await home.text();
    expect(page).toContain("&lt;b&gt;case&lt;/b&gt;.duckdb");
    expect(page).not.toContain("<b>case</b>");
    expect(page).not.toMatch(/<script/i);
    expect(home.headers.get("content-security-policy")).toMatch(/default-src 'none'; style-src 'sha256-/);
  });
});

describe("bad input", () => {
  it("answers 400 with a message that names the problem", async () => {
    const cases: Array<[string, RequestInit | undefined, RegExp]> = [
      ["/api/campaigns?minScore=abc", undefined, /minScore/],
      ["/api/campaigns?minScore=2", undefined, /minScore/],
      ["/api/campaigns?colour=red", undefined, /colour/],
      ["/api/ties/twitter:a/twitter:a", undefined, /two different accounts/],
      ["/api/accounts/no-colon", undefined, /platform:account_id/],
      ["/api/labels", json("PUT", { target: { kind: "campaign", id: "C1" }, label: "guilty" }), /label/],
      ["/api/labels", json("PUT", { target: { kind: "planet", id: "C1" }, label: "benign" }), /kind/],
      ["/api/notes", json("PUT", { target: { kind: "campaign", id: "C1" }, text: "   " }), /text/],
      [
        "/api/notes",
        { method: "PUT", headers: { "content-type": "application/json" }, body: "{not json" },
        /not valid JSON/,
      ],
      ["/api/labels?kind=campaign", { method: "DELETE" }, /both kind and id/],
    ];
    for (const [path, init, message] of cases) {
      const r = await call(path, init);
      expect([path, r.status]).toEqual([path, 400]);
      expect(r.body.error).toMatch(message);
    }
  });

  it("refuses oversized bodies, and writes that are not JSON", async () => {
    const big = await call(
      "/api/notes",
      json("PUT", { target: { kind: "campaign", id: "C1" }, text: "x".repeat(100_000) }),
    );
    expect(big.status).toBe(413);
    const form = await call("/api/undo", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "x",
    });
    expect(form.status).toBe(415);
  });
});

describe("the guard", () => {
  it("refuses a Host header that is not the bound address (DNS rebinding)", async () => {
    expect((await app.request("http://evil.example:8123/api/case")).status).toBe(403);
    expect((await app.request("http://127.0.0.1:9999/api/case")).status).toBe(403);
    expect((await app.request("http://localhost:8123/api/case")).status).toBe(200);
    const spoofed = await app.request(`${ORIGIN}/api/case`, { headers: { host: "rebind.example:8123" } });
    expect(spoofed.status).toBe(403);
    expect(spoofed.headers.get("cache-control")).toBe("no-store");
  });

  it("refuses cross-origin writes", async () => {
    const r = await call("/api/undo", {
      ...json("POST", {}),
      headers: { "content-type": "application/json", origin: "http://evil.example" },
    });
    expect(r.status).toBe(403);
  });

  it("answers the API only to its own pages and to people, never to a page of another site", async () => {
    const read = (site?: string) =>
      call("/api/case", site === undefined ? {} : { headers: { "sec-fetch-site": site } });
    expect((await read()).status).toBe(200); // a script or curl sends no fetch metadata
    expect((await read("same-origin")).status).toBe(200); // the app's own fetches
    expect((await read("none")).status).toBe(200); // an address typed into the browser
    // another site, and another port of 127.0.0.1, which is the same site
    expect((await read("cross-site")).status).toBe(403);
    expect((await read("same-site")).status).toBe(403);
    // the app's page itself may be opened from a link anywhere
    expect((await call("/", { headers: { "sec-fetch-site": "cross-site" } })).status).toBe(200);
  });

  it("off loopback, needs the token (header or query) and refuses to start without one", async () => {
    expect(() => createApp(store, { host: "192.0.2.10", port: 8123 })).toThrow(/token/);
    const remote = createApp(store, { host: "192.0.2.10", port: 8123, token: "s3cret-token" });
    const url = "http://192.0.2.10:8123/api/case";
    expect((await remote.request(url)).status).toBe(401);
    expect((await remote.request(url, { headers: { authorization: "Bearer wrong-token" } })).status).toBe(
      401,
    );
    expect((await remote.request(url, { headers: { authorization: "Bearer s3cret-token" } })).status).toBe(
      200,
    );
    expect((await remote.request(`${url}?token=s3cret-token`)).status).toBe(200);
    expect(
      (
        await remote.request("http://127.0.0.1:8123/api/case", {
          headers: { authorization: "Bearer s3cret-token" },
        })
      ).status,
    ).toBe(403);
  });

  it("on a wildcard bind, accepts any Host name but still needs the token, and refuses other origins' writes", async () => {
    const wide = createApp(store, { host: "0.0.0.0", port: 8123, token: "s3cret-token" });
    const auth = { authorization: "Bearer s3cret-token" };
    expect((await wide.request("http://192.0.2.7:8123/api/case")).status).toBe(401);
    expect((await wide.request("http://192.0.2.7:8123/api/case", { headers: auth })).status).toBe(200);
    const write = (origin: string) =>
      wide.request("http://192.0.2.7:8123/api/undo", {
        method: "POST",
        headers: { ...auth, "content-type": "application/json", origin },
        body: "{}",
      });
    expect((await write("http://evil.example")).status).toBe(403);
    expect((await write("http://192.0.2.7:8123")).status).not.toBe(403);
  });

  it("serves on a real socket on 127.0.0.1, any free port", async () => {
    const s = await startServer(store, { port: 0 });
    try {
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(s.token).toBeUndefined();
      const res = await fetch(`${s.url}api/case`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as Json).counts.posts).toBe(4802);
      const rebound = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          {
            host: "127.0.0.1",
            port: s.port,
            path: "/api/case",
            headers: { host: `attacker.example:${s.port}` },
          },
          (r) => {
            r.resume();
            resolve(r.statusCode ?? 0);
          },
        );
        req.on("error", reject);
        req.end();
      });
      expect(rebound).toBe(403);
    } finally {
      await s.close();
    }
  });

  it("answers other requests while a client sends a write's body slowly", async () => {
    const s = await startServer(store, { port: 0 });
    // a write that announces 100 bytes and sends 10, then waits: its body is read before the case is taken
    const stalled = httpRequest({
      host: "127.0.0.1",
      port: s.port,
      method: "PUT",
      path: "/api/notes",
      headers: { "content-type": "application/json", "content-length": "100" },
    });
    stalled.on("error", () => undefined);
    stalled.write('{"target":');
    try {
      // with the case taken for the stalled write, this would wait for as long as that client does
      const res = await fetch(`${s.url}api/case`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as Json).counts.posts).toBe(4802);
    } finally {
      stalled.destroy();
      await s.close();
    }
  });
});

describe("ties between platforms whose names sort apart in DuckDB and in JavaScript", () => {
  it("finds, labels and annotates a tie stored in DuckDB's order (twitter before twitter-b)", async () => {
    const own = tempDir();
    try {
      // the sample, and a copy of one campaign's accounts' posts under the platform twitter-b: each copy shares
      // its original's objects at its original's time, so the two are tied
      const lines = readFileSync(SAMPLE, "utf8").trim().split("\n");
      const campaign = new Set(memberKeys(doc.campaigns[0]!).slice(0, 5));
      const copies = lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((p) => campaign.has(`${String(p["platform"])}:${String(p["account_id"])}`))
        .map((p) => ({ ...p, platform: "twitter-b", post_id: `b${String(p["post_id"])}` }));
      const file = own.path("both.jsonl");
      writeFileSync(file, [...lines, ...copies.map((p) => JSON.stringify(p))].join("\n") + "\n");
      const s = await CaseStore.open(own.path("both.duckdb"));
      try {
        await ingestFile(s, file);
        await analyzeCase(s, {
          outDir: own.path("out"),
          report: false,
          now: new Date("2026-01-01T00:00:00Z"),
        });
        const app2 = createApp(s, { host: "127.0.0.1", port: 8123 });
        const get = async (path: string, init?: RequestInit) => {
          const res = await app2.request(`${ORIGIN}${path}`, init);
          return { status: res.status, body: (await res.json()) as Json };
        };
        const [first] = [...campaign];
        const copy = `twitter-b:${first!.slice("twitter:".length)}`;
        // JavaScript sorts "twitter-b:" before "twitter:"; DuckDB stores the tie with twitter first
        expect(copy < first!).toBe(true);
        for (const [x, y] of [
          [first!, copy],
          [copy, first!],
        ] as Array<[string, string]>) {
          const tie = await get(`/api/ties/${encodeURIComponent(x)}/${encodeURIComponent(y)}`);
          expect(tie.status).toBe(200);
          expect([tie.body.a.key, tie.body.b.key]).toEqual([first, copy]);
          expect(tie.body.pairs.length).toBeGreaterThan(0);
          for (const p of tie.body.pairs as Json[]) expect(p.b.post_id).toMatch(/^b/);
        }
        const label = await get(
          "/api/labels",
          json("PUT", { target: { kind: "tie", id: `${first}|${copy}` }, label: "unsure" }),
        );
        expect(label.status).toBe(200);
        const note = await get(
          "/api/notes",
          json("PUT", { target: { kind: "tie", id: `${copy}|${first}` }, text: "copied" }),
        );
        expect(note.status).toBe(201);
      } finally {
        s.close();
      }
    } finally {
      own.cleanup();
    }
  }, 120_000);
});

describe("a tie whose posts share two objects", () => {
  it("lists the two pairs of each two posts by object, the same every time", async () => {
    const own = tempDir();
    try {
      // two accounts post the same two hashtags a few seconds apart, ten times a day apart, among others who post
      // their own; the tags are written in the reverse of their order, so that only the ordering puts them right
      const start = Date.parse("2026-03-01T08:00:00Z");
      const posts: Array<Record<string, unknown>> = [];
      for (let round = 0; round < 10; round++) {
        const t = start + round * 86_400_000;
        for (const [i, who] of ["x", "y"].entries()) {
          posts.push({
            platform: "twitter",
            post_id: `${who}${round}`,
            account_id: who,
            ts: new Date(t + i * 4_000).toISOString(),
            text: "now #zulu #alpha",
            hashtags: ["zulu", "alpha"],
          });
        }
        for (let o = 0; o < 6; o++) {
          posts.push({
            platform: "twitter",
            post_id: `o${o}r${round}`,
            account_id: `o${o}`,
            ts: new Date(t + 3_600_000 * (o + 1)).toISOString(),
            text: `own #tag${o}${round}`,
            hashtags: [`tag${o}${round}`],
          });
        }
      }
      const file = own.path("two-tags.jsonl");
      writeFileSync(file, posts.map((p) => JSON.stringify(p)).join("\n") + "\n");
      const s = await CaseStore.open(own.path("two-tags.duckdb"));
      try {
        await ingestFile(s, file);
        await analyzeCase(s, {
          outDir: own.path("out"),
          report: false,
          now: new Date("2026-04-01T00:00:00Z"),
        });
        const app2 = createApp(s, { host: "127.0.0.1", port: 8123 });
        const res = await app2.request(`${ORIGIN}/api/ties/${encodeURIComponent("twitter:x")}/twitter%3Ay`);
        expect(res.status).toBe(200);
        const body = (await res.json()) as Json;
        const pairs = (body.pairs as Json[]).filter((p) => p.layer === "hashtag");
        expect(pairs).toHaveLength(20);
        for (let k = 0; k < pairs.length; k += 2) {
          expect([pairs[k]!.a.post_id, pairs[k + 1]!.a.post_id]).toEqual([`x${k / 2}`, `x${k / 2}`]);
          expect([pairs[k]!.object, pairs[k + 1]!.object]).toEqual(["alpha", "zulu"]);
        }
      } finally {
        s.close();
      }
    } finally {
      own.cleanup();
    }
  }, 120_000);
});
