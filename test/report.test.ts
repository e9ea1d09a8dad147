/**
 * The case report and the exports, end to end in-process: the bundled sample and a world of hostile profiles are
 * analysed; the report must be self-contained (no network, script and style pinned by hash), agree with
 * findings.json, rebuild byte for byte from the case, and show every hostile string as text. The GEXF and GraphML
 * exports are read back with graphology's parsers, the CSV tables with csv-parse, and checked against the case.
 * (test/report-browser.test.ts opens the same reports in Chromium.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseCsv } from "csv-parse/sync";
import graphologyDefault from "graphology";
import { parse as parseGexf } from "graphology-gexf";
import { parse as parseGraphml } from "graphology-graphml";
import { escapeHtml } from "../src/report/html/escape.js";
import { CaseStore } from "../src/store/case.js";
import { runCli } from "./helpers/cli.js";
import { BIDI, CR_FORMULA, HUGE_CHARS, hostileWorld, PAYLOADS } from "./helpers/hostile-world.js";
import { writeJsonl } from "./helpers/posts.js";
import { tempDir } from "./helpers/tmp.js";

const MultiGraph = (graphologyDefault as unknown as { MultiGraph: typeof import("graphology").MultiGraph })
  .MultiGraph;

const SAMPLE = fileURLToPath(new URL("../sample/posts.jsonl", import.meta.url));

interface Doc {
  campaigns: Array<{
    id: string;
    accounts: Array<{ platform: string; id: string; handle: string | null }>;
    amplified?: Array<{ account: string; members: number; audience: number }>;
    bloc?: boolean;
  }>;
  accounts: Array<{ platform: string; id: string; handle: string | null }>;
}

let tmp: ReturnType<typeof tempDir>;
let sampleHtml: string;
let sampleDoc: Doc;
let hostileHtml: string;
let hostileDoc: Doc;

beforeAll(async () => {
  tmp = tempDir();
  const a = await runCli(["analyze", SAMPLE, "-o", tmp.path("sample"), "--no-progress"]);
  expect(a.code, a.err).toBe(0);
  sampleHtml = readFileSync(tmp.path("sample/report.html"), "utf8");
  sampleDoc = JSON.parse(readFileSync(tmp.path("sample/findings.json"), "utf8")) as Doc;
  writeJsonl(tmp.path("hostile.jsonl"), hostileWorld().posts);
  const h = await runCli(["analyze", tmp.path("hostile.jsonl"), "-o", tmp.path("hostile"), "--no-progress"]);
  expect(h.code, h.err).toBe(0);
  hostileHtml = readFileSync(tmp.path("hostile/report.html"), "utf8");
  hostileDoc = JSON.parse(readFileSync(tmp.path("hostile/findings.json"), "utf8")) as Doc;
}, 120_000);
afterAll(() => tmp.cleanup());

const sha = (s: string): string => createHash("sha256").update(s, "utf8").digest("base64");

/** The page without its script and style blocks: the markup that came from the data and from us. */
function markup(page: string): string {
  return page.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "").replace(/<style>[\s\S]*?<\/style>/g, "");
}

/** Event-handler attributes in any tag (quoted attribute values, where escaped text lives, are skipped). */
function handlerAttributes(page: string): string[] {
  return (markup(page).match(/<[a-z][^>]*>/gi) ?? [])
    .map((tag) => tag.replace(/"[^"]*"|'[^']*'/g, '""'))
    .filter((tag) => /\son[a-z]+\s*=/i.test(tag));
}

function blocks(page: string, tag: "script" | "style"): string[] {
  return [...page.matchAll(new RegExp(`<${tag}(?: [^>]*)?>([\\s\\S]*?)</${tag}>`, "g"))].map((m) => m[0]);
}

describe("the report of the bundled sample", () => {
  it("has every section and one campaign section per campaign of findings.json", () => {
    expect(sampleDoc.campaigns.length).toBeGreaterThan(0);
    for (const id of ["summary", "campaigns", "accounts", "methodology", "provenance"]) {
      expect(sampleHtml.includes(`id="${id}"`), `id="${id}"`).toBe(true);
    }
    const sections = [...sampleHtml.matchAll(/<section\s+class="campaign"\s+id="campaign-([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(sections).toEqual(sampleDoc.campaigns.map((c) => c.id));
    const cards = [...sampleHtml.matchAll(/<article class="card" id="acct-/g)].length;
    expect(cards).toBe(sampleDoc.accounts.length);
    for (const c of sampleDoc.campaigns) {
      expect(sampleHtml.includes(`data-graph="${c.id}"`), `data-graph="${c.id}"`).toBe(true);
    }
  });

  it("embeds graph data for every member it draws", () => {
    const m = /<script type="application\/json" id="chorus-graphs">([\s\S]*?)<\/script>/.exec(sampleHtml);
    const graphs = JSON.parse(m![1]!) as Array<{ id: string; nodes: unknown[][]; edges: unknown[][] }>;
    // one per campaign, then every campaign together
    expect(graphs.map((g) => g.id)).toEqual([...sampleDoc.campaigns.map((c) => c.id), "all-campaigns"]);
    const all = graphs.pop()!;
    expect(all.nodes.length).toBe(sampleDoc.campaigns.reduce((n, c) => n + c.accounts.length, 0));
    expect(new Set(all.nodes.map((n) => n[5])).size).toBe(sampleDoc.campaigns.length);
    graphs.forEach((g, i) => {
      expect(g.nodes.length).toBe(sampleDoc.campaigns[i]!.accounts.length);
      expect(g.edges.length).toBeGreaterThan(0);
      for (const n of g.nodes) expect(Number.isFinite(n[2]) && Number.isFinite(n[3])).toBe(true);
    });
  });

  it("is self-contained: no address to load, the script and style pinned by hash in the CSP", () => {
    const loads = /\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:|\/\/|javascript:)/i;
    expect(loads.test(markup(sampleHtml))).toBe(false);
    expect(/<link\b|<iframe\b|<object\b|<embed\b|@import|url\(/i.test(markup(sampleHtml))).toBe(false);
    expect(/@import|url\(/.test(blocks(sampleHtml, "style")[0]!)).toBe(false);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/
      .exec(sampleHtml)![1]!
      .replace(/&#39;/g, "'");
    expect(csp).toContain("default-src 'none'");
    const scripts = blocks(sampleHtml, "script");
    expect(scripts).toHaveLength(2);
    const code = /^<script>([\s\S]*)<\/script>$/.exec(scripts[1]!)![1]!;
    expect(csp).toContain(`script-src 'sha256-${sha(code)}'`);
    const style = /^<style>([\s\S]*)<\/style>$/.exec(blocks(sampleHtml, "style")[0]!)![1]!;
    expect(csp).toContain(`style-src 'sha256-${sha(style)}'`);
  });

  it("is rebuilt byte for byte from the case by 'chorus report'", async () => {
    const r = await runCli([
      "report",
      "--case",
      tmp.path("sample/case.duckdb"),
      "-o",
      tmp.path("sample/again.html"),
    ]);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(tmp.path("sample/again.html"), "utf8")).toBe(sampleHtml);
  });

  it("caps the account cards when asked and says so", async () => {
    const r = await runCli([
      "report",
      "--case",
      tmp.path("sample/case.duckdb"),
      "--max-accounts",
      "5",
      "-o",
      tmp.path("sample/small.html"),
    ]);
    expect(r.code, r.err).toBe(0);
    const small = readFileSync(tmp.path("sample/small.html"), "utf8").replace(/\s+/g, " ");
    expect([...small.matchAll(/<article class="card"/g)]).toHaveLength(5);
    const note = `Showing cards for the 5 highest-scoring of ${sampleDoc.accounts.length}`;
    expect(small.includes(note), note).toBe(true);
  });

  it("refuses a case that has no analysis, naming the case and what to run", async () => {
    const empty = tmp.path("empty.duckdb");
    (await CaseStore.open(empty)).close();
    const r = await runCli(["report", "--case", empty, "-o", tmp.path("never.html")]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`case ${empty}: no analysis yet`);
    expect(r.err).toContain("chorus detect");
  });
});

describe("the report of hostile profiles and posts", () => {
  it("keeps the hostile accounts in a campaign, so their strings reach the page", () => {
    const planted = new Set(hostileWorld().planted.map((a) => `twitter:${a}`));
    const inCampaigns = hostileDoc.campaigns.flatMap((c) => c.accounts.map((a) => `${a.platform}:${a.id}`));
    expect(inCampaigns.filter((k) => planted.has(k)).length).toBeGreaterThanOrEqual(4);
  });

  it("contains no markup from the data: only our two script blocks, every payload escaped", () => {
    expect(blocks(hostileHtml, "script")).toHaveLength(2);
    for (const bad of [/<script>window/, /<img\b/, /<svg onload/, /<iframe\b/, /<a href="javascript:/]) {
      expect(bad.test(markup(hostileHtml)), String(bad)).toBe(false);
    }
    expect(handlerAttributes(hostileHtml)).toEqual([]);
    expect(hostileHtml.includes("&lt;script&gt;window.__pwned=1&lt;/script&gt;")).toBe(true);
    expect(hostileHtml.includes("&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;")).toBe(true);
    // every payload that reached the page did so as text
    const seen = PAYLOADS.filter((p) => hostileHtml.includes(escapeHtml(p)));
    expect(seen.length).toBeGreaterThanOrEqual(4);
  });

  it("lists the accounts a campaign amplifies one way, with their audiences, and says when it acts as a bloc", () => {
    // the section of each campaign, from its opening tag to the next section's
    const sectionOf = (id: string): string => {
      const start = hostileHtml.indexOf(`data-campaign="${id}"`);
      const end = hostileHtml.indexOf("<section", start);
      return hostileHtml.slice(start, end === -1 ? undefined : end);
    };
    const amplifying = hostileDoc.campaigns.filter((c) => (c.amplified ?? []).length > 0);
    // the persona's amplifiers, and the herald's bloc (test/helpers/campaign-world.ts)
    expect(amplifying.length).toBeGreaterThanOrEqual(2);
    for (const c of amplifying) {
      const section = sectionOf(c.id);
      expect(section).toContain("Accounts they amplify one way");
      for (const a of c.amplified!) {
        expect(section).toContain(`<td class="num">${a.members}</td>`);
        expect(section).toContain(`<td class="num">${a.audience}</td>`);
      }
      expect(section.includes("they act as a bloc")).toBe(c.bloc === true);
    }
    expect(amplifying.some((c) => c.bloc === true)).toBe(true);
    const plain = hostileDoc.campaigns.find((c) => c.amplified === undefined)!;
    expect(sectionOf(plain.id)).not.toContain("Accounts they amplify one way");
  });

  it("marks the bidi override in a display name, and cuts the huge bio", () => {
    expect(hostileHtml.includes("invoice<mark"), "invoice<mark").toBe(true);
    expect(hostileHtml.includes("[U+202E]"), "[U+202E]").toBe(true);
    expect(hostileHtml.includes(BIDI)).toBe(false);
    expect(hostileHtml.includes("A".repeat(5000))).toBe(false);
    expect(/[\d,]+ more characters/.test(hostileHtml), String(/[\d,]+ more characters/)).toBe(true);
    expect(hostileHtml.length).toBeLessThan(HUGE_CHARS * 10);
  });
});

describe("chorus export", () => {
  async function tiesInCase(casePath: string, all: boolean): Promise<number> {
    const store = await CaseStore.open(casePath, { readOnly: true });
    try {
      return (
        (await store.scalar<number>(
          `SELECT count(*)::INTEGER FROM edges WHERE run_id = (SELECT max(run_id) FROM analyses)
             ${all ? "" : `AND coalesce(json_extract_string(evidence, '$.tier'), CASE WHEN significant THEN 'significant' END) IN ('significant', 'candidate')`}`,
        )) ?? 0
      );
    } finally {
      store.close();
    }
  }

  it("writes GEXF that graphology reads back with every tie and the accounts' attributes", async () => {
    const out = tmp.path("x/graph.gexf");
    const r = await runCli([
      "export",
      "--case",
      tmp.path("hostile/case.duckdb"),
      "--format",
      "gexf",
      "-o",
      out,
    ]);
    expect(r.code, r.err).toBe(0);
    const g = parseGexf(MultiGraph, readFileSync(out, "utf8"));
    expect(g.size).toBe(await tiesInCase(tmp.path("hostile/case.duckdb"), false));
    const member = hostileDoc.campaigns[0]!.accounts[0]!;
    const node = g.findNode((_k, a) => a["account_id"] === member.id);
    expect(node).toBeDefined();
    expect(g.getNodeAttribute(node!, "campaign")).toBe(hostileDoc.campaigns[0]!.id);
    expect(g.getNodeAttribute(node!, "handle")).toBe(member.handle);
    // each edge names its layer as its kind, so that Gephi keeps a pair's layers apart instead of adding them up
    const text = readFileSync(out, "utf8");
    const kinds = [
      ...text.matchAll(/<edge [^>]*kind="([^"]*)"[^>]*>.*?<attvalue for="layer" value="([^"]*)"/g),
    ];
    expect(kinds.length).toBe(g.size);
    for (const [, kind, layer] of kinds) expect(kind).toBe(layer);
    // a line break in an attribute reads back as written, not as the space a reader makes of a raw one
    expect(g.mapNodes((_k, a) => a["display_name"])).toContain(CR_FORMULA);
  });

  it("writes GraphML that graphology reads back, hostile handles intact as data", async () => {
    const out = tmp.path("x/graph.graphml");
    const r = await runCli([
      "export",
      "--case",
      tmp.path("hostile/case.duckdb"),
      "--format",
      "graphml",
      "-o",
      out,
    ]);
    expect(r.code, r.err).toBe(0);
    const g = parseGraphml(MultiGraph, readFileSync(out, "utf8"));
    expect(g.size).toBe(await tiesInCase(tmp.path("hostile/case.duckdb"), false));
    const handles = new Set(g.mapNodes((_k, a) => a["handle"] as string));
    expect(handles.has(`${PAYLOADS[0]}0`)).toBe(true);
    expect(g.mapNodes((_k, a) => a["display_name"])).toContain(CR_FORMULA);
    g.forEachEdge((_e, a) => {
      expect(typeof a["layer"]).toBe("string");
      expect(a["weight"]).toBeGreaterThan(0);
    });
  });

  it("writes CSV tables that agree with the case, with spreadsheet formulas defused", async () => {
    const dir = tmp.path("x/tables");
    const r = await runCli([
      "export",
      "--case",
      tmp.path("hostile/case.duckdb"),
      "--format",
      "csv",
      "-o",
      dir,
    ]);
    expect(r.code, r.err).toBe(0);
    const read = (name: string): Array<Record<string, string>> =>
      parseCsv(readFileSync(`${dir}/${name}`, "utf8"), { columns: true }) as Array<Record<string, string>>;
    expect(read("edges.csv")).toHaveLength(await tiesInCase(tmp.path("hostile/case.duckdb"), false));
    expect(read("campaigns.csv").map((c) => c["id"])).toEqual(hostileDoc.campaigns.map((c) => c.id));
    const members = read("campaign_members.csv");
    expect(members).toHaveLength(hostileDoc.campaigns.reduce((n, c) => n + c.accounts.length, 0));
    const cells = read("accounts.csv").flatMap((row) => Object.values(row));
    expect(cells.some((c) => c.startsWith(`'=HYPERLINK`))).toBe(true);
    expect(cells.some((c) => /^[=+@]/.test(c))).toBe(false);
    // read as a spreadsheet or Python's csv reads it, a carriage return ending a row as a line feed does: the
    // name with a formula after its CR stays one cell, and no row starts with that formula
    const strict = parseCsv(readFileSync(`${dir}/accounts.csv`, "utf8"), {
      record_delimiter: ["\n", "\r"],
      relax_column_count: true,
    }) as string[][];
    expect(strict.flat()).toContain(CR_FORMULA);
    expect(strict.some((row) => /^[=+@-]/.test(row[0] ?? ""))).toBe(false);
  });

  it("adds the chance-level ties with --all-edges", async () => {
    const out = tmp.path("x/all.graphml");
    const r = await runCli([
      "export",
      "--case",
      tmp.path("sample/case.duckdb"),
      "--format",
      "graphml",
      "--all-edges",
      "-o",
      out,
    ]);
    expect(r.code, r.err).toBe(0);
    const g = parseGraphml(MultiGraph, readFileSync(out, "utf8"));
    const all = await tiesInCase(tmp.path("sample/case.duckdb"), true);
    expect(g.size).toBe(all);
    expect(all).toBeGreaterThan(await tiesInCase(tmp.path("sample/case.duckdb"), false));
  });

  it("refuses an unknown format", async () => {
    const r = await runCli([
      "export",
      "--case",
      tmp.path("sample/case.duckdb"),
      "--format",
      "pdf",
      "-o",
      "x",
    ]);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain("gexf, graphml, csv");
  });
});

describe("hidden characters in the detectors' details", () => {
  it("are marked in the report's parameters and details, as everywhere else", async () => {
    // twenty accounts post one text with a right-to-left override: near-duplicate's details show it as a sample
    const override = "\u202E";
    const posts = Array.from({ length: 20 }, (_, i) => ({
      platform: "twitter",
      post_id: String(1000 + i),
      account_id: `acc${i}`,
      handle: `acc${i}`,
      ts: new Date(Date.UTC(2024, 2, 1, 10, 0, i * 7)).toISOString(),
      text: `the invoice is attached, open it today ${override}fdp.exe before the deadline`,
      urls: [],
      hashtags: [],
      mentions: [],
    }));
    writeJsonl(tmp.path("bidi.jsonl"), posts);
    const r = await runCli(["analyze", tmp.path("bidi.jsonl"), "-o", tmp.path("bidi"), "--no-progress"]);
    expect(r.code, r.err).toBe(0);
    const doc = readFileSync(tmp.path("bidi/findings.json"), "utf8");
    expect(doc.includes("\\u202e") || doc.includes(override), "the override is in the details").toBe(true);
    const page = readFileSync(tmp.path("bidi/report.html"), "utf8");
    const details = page.slice(page.indexOf("Parameters and details"));
    expect(details).toContain(`title="RIGHT-TO-LEFT OVERRIDE">[U+202E]</mark>fdp.exe`);
    expect(page.includes(override)).toBe(false);
  }, 120_000);
});
