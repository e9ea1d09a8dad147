/// <reference lib="dom" />
/**
 * The investigation app (dist/web) in Debian's Chromium, served by `chorus serve`'s server in-process on 127.0.0.1
 * over the bundled sample, the hostile world and a case of reported email: every screen (overview, campaign tabs,
 * whole-case graph, account, tie, notes, reported email) shows the API's counts; the whole-case graph grouped by
 * campaign on demand matches the API's grouped nodes and expanded members and keeps both over a reload, and says
 * its ungrouped accounts are in no campaign; the export dialog writes the view as SVG and PNG; the full flow
 * (filter, campaign, tie, label, reload) leaves the label in the case file; Persian turns the page right-to-left
 * with Jalali dates and layer names in Persian, the reported email included, and each post keeps its own
 * direction; tiers, strengths, detectors and verdicts are said in Persian, and no English word of the interface is
 * left on a Persian screen; hostile profiles run nothing and break no CSP rule; no screen shows a live indicator of
 * hostile mail or of a finding, and none links out; a Bluesky handle that is a domain is shown as written on every
 * screen and is never a link out; axe finds no serious or critical problem in English or Persian; three
 * screens match their committed pictures within a tolerance (UPDATE_SCREENSHOTS=1 rewrites them, a list of names
 * only those); the first load stays under 600 kB gzipped.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { DuckDBInstance } from "@duckdb/node-api";
import sharp from "sharp";
import type { Browser, Page } from "playwright-core";
import { ingestFile } from "../src/ingest/ingest.js";
import { analyzeCase } from "../src/report/pipeline.js";
import { startServer, type Listening } from "../src/server/listen.js";
import { defaultWebDir } from "../src/server/static.js";
import { CaseStore } from "../src/store/case.js";
import { TIERS } from "../src/detectors/co-share/evidence.js";
import { DETECTORS } from "../src/detectors/registry.js";
import { VERDICT_ORDER } from "../src/report/html/email.js";
import {
  formatDate,
  formatNumber,
  layerName,
  PERSIAN,
  t as translate,
  term,
  type Vocabulary,
} from "../web/app/src/i18n.js";
import { FRINGE_OPEN, FRINGE_PAGE, MESSAGES_PAGE } from "../web/app/src/paging.js";
import { blueskyWorld, DOMAIN_HANDLE, PERSIAN_POSTS } from "./helpers/bluesky-world.js";
import { HAVE_CHROMIUM, launch, watchedPage, type Watched } from "./helpers/browser.js";
import { fringeWorld } from "./helpers/fringe-world.js";
import { BIDI, hostileWorld } from "./helpers/hostile-world.js";
import { key as accountKey, writeJsonl } from "./helpers/posts.js";
import { tempDir } from "./helpers/tmp.js";

const SAMPLE = fileURLToPath(new URL("../sample/posts.jsonl", import.meta.url));
const EMAIL_CASE = fileURLToPath(new URL("./fixtures/email-case/", import.meta.url));
const SCREENS = fileURLToPath(new URL("./fixtures/app-screens/", import.meta.url));
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const WEB = defaultWebDir();
/** A subject written to run as markup in a careless viewer. */
const MARKUP_SUBJECT = `<img src=x onerror="window.__pwned=1"> Verify <b>now</b>`;
/** A protected sender, and the lookalike of its address that phishes in its name. */
const GENUINE = "it-desk@civicrights.example";
const LOOKALIKE = "it-desk@civicrlghts.example";
/** The lookalike's subject, in Persian with a URL on the operation's landing domain ("your account was blocked"). */
const LANDING_SUBJECT =
  "حساب شما مسدود شد: Verify your account at https://civicrights-login.example/verify today";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Served {
  store: CaseStore;
  server: Listening;
  path: string;
}

async function serveCase(path: string, input: string): Promise<Served> {
  const store = await CaseStore.open(path);
  await ingestFile(store, input);
  await analyzeCase(store, { outDir: `${path}.out`, report: false, now: new Date("2026-01-01T00:00:00Z") });
  const server = await startServer(store, { port: 0, web: WEB });
  return { store, server, path };
}

/** The web app as `npm run build` leaves it; built here when a fresh checkout has not built it yet. */
async function ensureBuilt(): Promise<void> {
  if (existsSync(join(WEB, "index.html"))) return;
  const { build } = await import("vite");
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    await build({ configFile: join(ROOT, "web/app/vite.config.ts"), logLevel: "warn" });
  } finally {
    process.chdir(cwd);
  }
}

describe.skipIf(!HAVE_CHROMIUM)("the investigation app in Chromium", () => {
  let tmp: ReturnType<typeof tempDir>;
  let browser: Browser;
  let sample: Served;
  let hostile: Served;
  let fringed: Served;
  let mail: Served;
  let bluesky: Served;
  let planted: string[];
  let fringeKeys: string[];

  beforeAll(async () => {
    await ensureBuilt();
    tmp = tempDir();
    sample = await serveCase(tmp.path("sample.duckdb"), SAMPLE);
    const world = hostileWorld();
    planted = world.planted;
    writeJsonl(tmp.path("hostile.jsonl"), world.posts);
    hostile = await serveCase(tmp.path("hostile.duckdb"), tmp.path("hostile.jsonl"));
    const fw = fringeWorld(3);
    fringeKeys = fw.fringe.map(accountKey).sort();
    writeJsonl(tmp.path("fringe.jsonl"), fw.posts);
    fringed = await serveCase(tmp.path("fringe.duckdb"), tmp.path("fringe.jsonl"));
    mail = await serveMail();
    writeJsonl(tmp.path("bluesky.jsonl"), blueskyWorld().posts);
    bluesky = await serveCase(tmp.path("bluesky.duckdb"), tmp.path("bluesky.jsonl"));
    browser = await launch();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    for (const s of [sample, hostile, fringed, mail, bluesky]) {
      await s?.server.close().catch(() => undefined);
      s?.store.close();
    }
    tmp?.cleanup();
  });

  /**
   * The sample's posts and reported email: the phishing operation, ordinary mail, the lone phish again under a subject
   * written to run as markup (MARKUP_SUBJECT), and one more from a lookalike of a protected sender (LOOKALIKE) whose
   * subject holds a URL on the operation's landing domain: an email-infrastructure finding and an impersonation
   * finding name the phishing domains.
   */
  async function serveMail(): Promise<Served> {
    const lone = readFileSync(EMAIL_CASE + "lone.eml", "utf8");
    const markup = tmp.path("markup.eml");
    writeFileSync(
      markup,
      lone
        .replace("Subject: Upgrade your inbox", `Subject: ${MARKUP_SUBJECT}`)
        .replace("Message-ID: <c6@", "Message-ID: <c7@"),
    );
    const lookalike = tmp.path("lookalike.eml");
    writeFileSync(
      lookalike,
      lone
        .replace(/^From: .*$/m, `From: Civic Rights IT Desk <${LOOKALIKE}>`)
        .replace(/^Subject: .*$/m, `Subject: ${LANDING_SUBJECT}`)
        .replace("Message-ID: <c6@", "Message-ID: <c8@"),
    );
    const path = tmp.path("email.duckdb");
    const store = await CaseStore.open(path);
    for (const f of [SAMPLE, EMAIL_CASE + "campaign.mbox", EMAIL_CASE + "benign.mbox", markup, lookalike])
      await ingestFile(store, f);
    await analyzeCase(store, {
      outDir: `${path}.out`,
      report: false,
      now: new Date("2026-01-01T00:00:00Z"),
      params: {
        impersonation: {
          protected: [{ handle: GENUINE, display_name: "Civic Rights IT Desk", platform: "email" }],
        },
      },
    });
    return { store, server: await startServer(store, { port: 0, web: WEB }), path };
  }

  const api = async (s: Served, path: string): Promise<Json> => {
    const res = await fetch(`${s.server.url}${path.replace(/^\//, "")}`);
    expect(res.status, path).toBe(200);
    return (await res.json()) as Json;
  };

  /** Another screen of the page already open, by its hash (no reload), once `ready` shows. */
  async function visit(w: Watched, hash: string, ready: string): Promise<void> {
    await w.page.evaluate((h) => {
      location.hash = h;
    }, hash);
    await w.page.waitForSelector(ready);
  }

  async function open(s: Served, hash: string, w?: Watched): Promise<Watched> {
    const watched = w ?? (await watchedPage(browser));
    if (!w) {
      await watched.page.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (e) =>
          console.error(`CSP refused ${e.violatedDirective}: ${e.blockedURI}`),
        );
      });
    }
    await watched.page.goto(`${s.server.url}${hash}`);
    await watched.page.waitForSelector("html[data-ready=true]");
    return watched;
  }

  /** Only our own server was asked for anything. */
  const ownRequests = (w: Watched, s: Served) =>
    expect(w.requests.filter((u) => !u.startsWith(s.server.url))).toEqual([]);

  const showing = async (page: Page, scope = "main"): Promise<[number, number]> => {
    const el = page.locator(`${scope} .view-caption`).first();
    return [Number(await el.getAttribute("data-shown")), Number(await el.getAttribute("data-total"))];
  };

  it("serves the app with its CSP, cacheable hashed assets and an index that is never cached", async () => {
    const res = await fetch(sample.server.url);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-security-policy")).toContain(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'",
    );
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i); // no inline script
    expect(html).not.toMatch(/<style|style=/i);
    const js = html.match(/src="(\/assets\/[^"]+\.js)"/)![1]!;
    const asset = await fetch(`${sample.server.url}${js.slice(1)}`);
    expect(asset.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(asset.headers.get("cache-control")).toMatch(/immutable/);
    // a foreign Host gets nothing, app files included
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port: sample.server.port, path: "/", headers: { host: "evil.example" } },
        (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it("shows the overview with the API's counts, detectors and ranked campaigns", async () => {
    const overview = await api(sample, "/api/case");
    const list = await api(sample, "/api/campaigns?limit=1000");
    const w = await open(sample, "#/overview");
    const { page } = w;
    await page.waitForSelector("table.campaigns tbody tr");
    expect(await page.locator('[data-count="posts"]').textContent()).toBe(
      overview.counts.posts.toLocaleString("en-US"),
    );
    expect(await page.locator("table.detectors tbody tr").count()).toBe(overview.detectors.length);
    for (const d of overview.detectors)
      expect(await page.locator(`tr[data-detector="${d.id}"]`).getAttribute("data-status")).toBe(d.status);
    const ids = await page
      .locator("table.campaigns tbody tr")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-campaign")));
    expect(ids).toEqual(list.campaigns.map((c: Json) => c.id));
    expect(await showing(page)).toEqual([list.total, list.total]);
    await expect(page.locator(".showing").first().textContent()).resolves.toBe(
      `Showing ${list.total} of ${list.total} campaigns`,
    );
    expect(await page.locator("table.inputs tbody tr").count()).toBe(overview.inputs.length);
    await expect(page.locator("table.inputs").textContent()).resolves.toContain(overview.inputs[0].sha256);
    expect(w.errors).toEqual([]);
    ownRequests(w, sample);
    await page.close();
  });

  it("draws a campaign's graph with its members, and the timeline, heat map and objects agree with the API", async () => {
    const detail = await api(sample, "/api/campaigns/C1");
    const graph = await api(sample, "/api/campaigns/C1/graph");
    const w = await open(sample, "#/campaign/C1");
    const { page } = w;
    await page.waitForSelector(".graph[data-drawn]");
    expect(Number(await page.locator(".graph").getAttribute("data-drawn"))).toBe(graph.nodes.length);
    expect(await page.locator("table.members tbody tr").count()).toBe(graph.nodes.length);
    expect(await showing(page)).toEqual([graph.nodes.length, graph.total_nodes]);
    // hovering an account highlights it and its neighbours through node states
    const top = graph.nodes[0].key as string;
    const at = await page
      .locator(".graph")
      .evaluate(
        (el, k) =>
          (el as unknown as { chorusViewport(k: string): { x: number; y: number } }).chorusViewport(k),
        top,
      );
    const box = (await page.locator(".graph").boundingBox())!;
    await page.mouse.move(box.x + at.x, box.y + at.y);
    await page.waitForSelector(`.graph[data-hovered="${top}"]`);
    const neighbours = new Set(
      graph.edges.flatMap((e: Json) => (e.a === top ? [e.b] : e.b === top ? [e.a] : [])),
    );
    expect(Number(await page.locator(".graph").getAttribute("data-highlighted"))).toBe(neighbours.size + 1);
    // the keyboard moves the selection between neighbours
    await page.locator(".graph").focus();
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction(() => location.hash.includes("sel="));
    const sel = () => page.evaluate(() => new URLSearchParams(location.hash.split("?")[1]).get("sel"));
    const from = await sel();
    expect(graph.nodes.map((n: Json) => n.key)).toContain(from);
    for (const key of ["ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp"]) {
      const before = await sel();
      await page.keyboard.press(key);
      const after = await sel();
      // each move lands on a neighbour of where it started (or stays, when none lies that way)
      if (after !== before) {
        const tied = graph.edges.some(
          (e: Json) => (e.a === before && e.b === after) || (e.b === before && e.a === after),
        );
        expect(tied, `${key}: ${before} -> ${after}`).toBe(true);
      }
    }

    // the heat map: the server's hours of the week, read in the chosen zone
    await page.locator("#tab-heatmap").click();
    const cellsOf = async () =>
      (await page.locator("table.heat tbody td").allTextContents()).map((c) =>
        c ? Number(c.replace(/,/g, "")) : 0,
      );
    const byDayHour = (posts: number[][]) => {
      const out: number[] = [];
      for (let h = 0; h < 24; h++) for (let d = 0; d < 7; d++) out.push(posts[d]![h]!);
      return out;
    };
    const utc = await api(sample, "/api/heatmap?campaign=C1&tz=UTC");
    await page.waitForSelector("table.heat");
    expect(await cellsOf()).toEqual(byDayHour(utc.posts));
    expect(await page.locator('[data-count="heat-total"]').textContent()).toBe(
      utc.total_posts.toLocaleString("en-US"),
    );
    await page.locator(".heatmap select").selectOption("Asia/Tehran");
    await page.waitForFunction(() => location.hash.includes("tz=Asia%2FTehran"));
    const tehran = await api(sample, "/api/heatmap?campaign=C1&tz=Asia%2FTehran");
    await page.waitForFunction(
      (want) =>
        [...document.querySelectorAll("table.heat tbody td")].map((c) => c.textContent).join("|") === want,
      byDayHour(tehran.posts)
        .map((n) => (n > 0 ? n.toLocaleString("en-US") : ""))
        .join("|"),
    );
    expect(tehran.total_posts).toBe(utc.total_posts);
    expect(detail.hour_of_week.length).toBe(168);

    await page.locator("#tab-objects").click();
    expect(await page.locator("table.objects tbody tr").count()).toBe(detail.top_objects.length);
    await page.locator("#tab-timeline").click();
    await page.waitForSelector("svg.brush rect");
    expect(await page.locator("table.examples tbody tr").count()).toBe((detail.examples ?? []).length);
    expect(w.errors).toEqual([]);
    ownRequests(w, sample);
    await page.close();
  });

  it("draws the whole-case graph, and exports the view as SVG and PNG with legend and caption", async () => {
    const g = await api(sample, "/api/graph");
    const w = await open(sample, "#/explorer?f=score%3A0.1");
    const { page } = w;
    await page.waitForSelector(".graph[data-drawn]");
    const filtered = await api(sample, "/api/graph?minScore=0.1");
    expect(Number(await page.locator(".graph").getAttribute("data-drawn"))).toBe(filtered.nodes.length);
    expect(await showing(page)).toEqual([filtered.shown, filtered.matched]);
    expect(filtered.matched).toBeLessThanOrEqual(g.matched);

    await page.locator("header.top .prefs button").click();
    const dialog = page.locator("dialog.export");
    await dialog.waitFor();
    expect(await dialog.locator('a[download="findings.json"]').getAttribute("href")).toBe(
      "/api/export/findings.json",
    );
    const [svgDownload] = await Promise.all([
      page.waitForEvent("download"),
      dialog.locator("button", { hasText: "SVG" }).click(),
    ]);
    const svg = readFileSync((await svgDownload.path())!, "utf8");
    expect(svg).toMatch(/^<\?xml/);
    expect(svg).toContain(`Showing ${filtered.nodes.length} of ${filtered.matched} accounts`);
    expect(svg).toContain("1. Minimum score ≥ 0.1");
    expect(svg).toContain("in a campaign");
    expect((svg.match(/<circle /g) ?? []).length).toBe(filtered.nodes.length);
    const [pngDownload] = await Promise.all([
      page.waitForEvent("download"),
      dialog.locator("button", { hasText: "PNG" }).click(),
    ]);
    const meta = await sharp(readFileSync((await pngDownload.path())!)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 2400, 1800]);
    expect(w.errors).toEqual([]);
    ownRequests(w, sample);
    await page.close();
  });

  it("groups the whole-case graph by campaign on demand, expands a campaign by keyboard, and keeps both over a reload", async () => {
    const grouped = await api(sample, "/api/graph?groupAbove=1");
    expect(grouped.grouped).toBe(true);
    const groups = grouped.nodes.filter((n: Json) => n.kind !== "account");
    const campaigns = grouped.nodes.filter((n: Json) => n.kind === "campaign");
    expect(campaigns.length).toBeGreaterThan(0);
    const w = await open(sample, "#/explorer");
    const { page } = w;
    await page.waitForSelector('.explorer-view[data-grouped="false"] .graph[data-drawn]');
    const toggle = page.getByRole("checkbox", { name: "Group by campaign" });
    expect(await toggle.isChecked()).toBe(false);
    /** Which of these keys the graph on screen has drawn. */
    const drawn = (keys: string[]) =>
      page
        .locator(".graph")
        .evaluate(
          (el, ks) =>
            ks.filter(
              (k) => (el as unknown as { chorusViewport(k: string): unknown }).chorusViewport(k) !== null,
            ),
          keys,
        );
    /** The graph drawn is exactly the server's nodes (grouped ones keyed `group:`), the tables and caption too. */
    const agrees = async (g: Json) => {
      const keys: string[] = g.nodes.map((n: Json) => (n.kind === "account" ? n.id : `group:${n.id}`));
      // the new data's graph, once sigma has it
      await page.waitForFunction((ks) => {
        const el = document.querySelector('.explorer-view[data-grouped="true"] .graph[data-drawn]') as
          (HTMLElement & { chorusViewport(k: string): unknown }) | null;
        return el?.dataset["drawn"] === String(ks.length) && ks.every((k) => el.chorusViewport(k) !== null);
      }, keys);
      expect(await drawn(keys)).toEqual(keys);
      expect(await showing(page)).toEqual([g.shown, g.matched]);
      // the graph's label counts the accounts its nodes stand for, not the nodes, and says how they are drawn
      const groupNodes = g.nodes.filter((n: Json) => n.kind !== "account").length;
      const en = (n: number) => n.toLocaleString("en-US");
      await expect(page.locator(".graph").getAttribute("aria-label")).resolves.toBe(
        `${translate("en", "explorer")}: Showing ${en(g.shown)} of ${en(g.matched)} accounts · Drawn as ${en(groupNodes)} grouped ` +
          `nodes and ${en(g.nodes.length - groupNodes)} single accounts`,
      );
      // every grouped node is a row with its accounts in scope, after the expanded campaigns
      const rows = await page
        .locator("table.groups tbody tr")
        .evaluateAll((trs) =>
          trs.map((tr) => [tr.getAttribute("data-campaign"), tr.getAttribute("data-size")]),
        );
      const accountsOf = (id: string) => g.nodes.filter((n: Json) => n.campaign === id).length;
      expect(rows).toEqual([
        ...g.expanded.map((id: string) => [id, String(accountsOf(id))]),
        ...g.nodes.filter((n: Json) => n.kind !== "account").map((n: Json) => [n.id, String(n.size)]),
      ]);
    };

    await toggle.focus();
    await page.keyboard.press("Space");
    await page.waitForFunction(() => location.hash.includes("group=1"));
    await agrees(grouped);
    expect(groups.reduce((n: number, x: Json) => n + x.size, 0)).toBe(grouped.shown);
    expect(await page.locator(".explorer-view").getAttribute("data-expanded")).toBe("");

    // the arrow keys select the strongest campaign, Enter expands it into its accounts
    await page.locator(".graph").focus();
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction(() => location.hash.includes("sel=group"));
    const sel = await page.evaluate(() => new URLSearchParams(location.hash.split("?")[1]).get("sel"));
    const id = sel!.replace(/^group:/, "");
    const node = campaigns.find((n: Json) => n.id === id);
    expect(node).toBeDefined();
    // labelled with the accounts it stands for
    await expect(page.locator(".selected-node").textContent()).resolves.toContain(
      `${id} · ${node.size.toLocaleString("en-US")}`,
    );
    await page.keyboard.press("Enter");
    await page.waitForFunction((c) => location.hash.includes(`expand=${c}`), id);
    const opened = await api(sample, `/api/graph?groupAbove=1&expand=${id}`);
    const members = opened.nodes.filter((n: Json) => n.kind === "account");
    expect(members.length).toBeGreaterThan(0);
    expect(members.every((n: Json) => n.campaign === id)).toBe(true);
    await page.waitForSelector(`.explorer-view[data-expanded="${id}"]`);
    await agrees(opened);
    expect(await drawn([`group:${id}`])).toEqual([]);
    expect(await page.locator(".explorer-view details table tbody tr").count()).toBe(members.length);

    // a reload shows the same
    await page.reload();
    await page.waitForSelector(`.explorer-view[data-expanded="${id}"]`);
    expect(await toggle.isChecked()).toBe(true);
    await agrees(opened);
    expect(await page.getByRole("button", { name: `Collapse ${id}` }).getAttribute("aria-pressed")).toBe(
      "true",
    );

    // a case past the server's own threshold (played here by asking for a lower one whenever the app asks for
    // none): turned off, the control lets the expanded campaign go, and the server still groups; the control
    // shows as on and cannot be turned off
    const threshold = grouped.matched - 1;
    await page.route(
      (u) => u.pathname === "/api/graph",
      (route) => {
        const url = new URL(route.request().url());
        if (!url.searchParams.has("groupAbove")) url.searchParams.set("groupAbove", String(threshold));
        return route.continue({ url: url.toString() });
      },
    );
    await toggle.focus();
    await page.keyboard.press("Space");
    await page.waitForFunction(
      () => !location.hash.includes("group=1") && !location.hash.includes("expand="),
    );
    await page.waitForSelector(".explorer-view #group-auto");
    await agrees(await api(sample, `/api/graph?groupAbove=${threshold}`));
    expect([await toggle.isChecked(), await toggle.isDisabled()]).toEqual([true, true]);
    await expect(page.locator("#group-auto").textContent()).resolves.toContain(
      `More than ${threshold} accounts`,
    );
    expect(w.errors).toEqual([]);
    ownRequests(w, sample);
    await page.close();
  });

  it("filters, opens a campaign and a tie, labels the campaign, and the label survives a reload and is in the case", async () => {
    const all = await api(sample, "/api/campaigns?limit=1000");
    const min = all.campaigns[Math.min(1, all.campaigns.length - 1)].score as number;
    const filtered = await api(sample, `/api/campaigns?limit=1000&minScore=${min}`);
    const w = await open(sample, "#/overview");
    const { page } = w;
    // add a score filter through the form
    await page.locator("form.add-filter select").selectOption("score");
    await page.locator("form.add-filter input").fill(String(min));
    await page.locator("form.add-filter button[type=submit]").click();
    await page.waitForFunction(
      (m) => location.hash.includes(`score%3A${m}`) || location.hash.includes(`score:${m}`),
      min,
    );
    await page.waitForFunction(
      (n) => document.querySelectorAll("table.campaigns tbody tr").length === n,
      filtered.matched,
    );
    expect(await showing(page)).toEqual([filtered.matched, all.total]);
    await expect(page.locator("ol.chips").textContent()).resolves.toContain(`Minimum score ≥ ${min}`);
    // a layer is chosen from the layers there are, not typed (quotes among them), and removed again
    await page.locator("form.add-filter select").first().selectOption("layer");
    const layers = await page.locator("form.add-filter select").nth(1).locator("option").allTextContents();
    expect(layers).toContain("quote");
    await page.locator("form.add-filter select").nth(1).selectOption("quote");
    await page.locator("form.add-filter button[type=submit]").click();
    await page.waitForFunction(() => /layer(%3A|:)quote/.test(location.hash));
    await page.locator("ol.chips li", { hasText: "quote" }).locator("button").click();
    await page.waitForFunction(() => !/layer(%3A|:)quote/.test(location.hash));
    await page.waitForFunction(
      (n) => document.querySelectorAll("table.campaigns tbody tr").length === n,
      filtered.matched,
    );

    // open the first campaign; the filter stays in the URL and is captioned there too
    await page.locator("table.campaigns tbody tr th a").first().click();
    await page.waitForSelector(".graph[data-drawn]");
    const id = await page.evaluate(() => decodeURIComponent(location.hash.split("?")[0]!.split("/")[2]!));
    expect(await page.locator(".view-caption").first().textContent()).toContain(`Minimum score ≥ ${min}`);

    // a tie from the example pairs
    await page.locator("#tab-timeline").click();
    await page.locator("table.examples a", { hasText: "Open tie" }).first().click();
    await page.waitForSelector("li.pair");
    const [a, b] = await page.evaluate(() =>
      location.hash
        .split("?")[0]!
        .split("/")
        .slice(2, 4)
        .map((x) => decodeURIComponent(x)),
    );
    const tie = await api(sample, `/api/ties/${encodeURIComponent(a!)}/${encodeURIComponent(b!)}?limit=2000`);
    expect(await showing(page)).toEqual([tie.pairs.length, tie.total]);
    const pairs = page.locator("li.pair");
    expect(await pairs.count()).toBe(Math.min(50, tie.pairs.length));
    // both posts side by side, with both timestamps, the gap, who was first, file and row
    const firstPair = tie.pairs[0];
    const row = pairs.first();
    expect(await row.locator("article.post").count()).toBe(2);
    await expect(row.locator("article.post").nth(0).textContent()).resolves.toContain(firstPair.a.ts);
    await expect(row.locator("article.post").nth(1).textContent()).resolves.toContain(firstPair.b.ts);
    await expect(row.locator("article.post").nth(0).textContent()).resolves.toContain(
      `row ${firstPair.a.source_row.toLocaleString("en-US")}`,
    );
    const firstSide = firstPair.first === "a" ? 0 : 1;
    expect(await row.locator("article.post").nth(firstSide).getAttribute("class")).toContain("first");
    // time order
    const times = tie.pairs.map((p: Json) => Math.min(Date.parse(p.a.ts), Date.parse(p.b.ts)));
    expect(times).toEqual([...times].sort((x: number, y: number) => x - y));

    // back to the campaign, label it, reload
    await page.goBack();
    await page.waitForSelector(".side-panel input[value=confirmed]");
    await page.locator(".side-panel input[value=confirmed]").check();
    await page.waitForSelector('.side-panel .current-label [data-label="confirmed"]');
    await page.reload();
    await page.waitForSelector('.side-panel .current-label [data-label="confirmed"]');
    expect(await page.locator(".side-panel input[value=confirmed]").isChecked()).toBe(true);
    await page.locator(".side-panel textarea").fill("checked the pairs <b>by hand</b>");
    await page.locator(".side-panel form.note-form button").click();
    await page.waitForSelector(".side-panel ul.notes li");
    await expect(page.locator(".side-panel ul.notes").textContent()).resolves.toContain("<b>by hand</b>");
    // undo takes back the latest change, the note, and keeps the label
    await page.locator(".side-panel button", { hasText: "Undo last change" }).click();
    await page.waitForSelector(".side-panel ul.notes li", { state: "detached" });
    await expect(page.locator(".side-panel [role=status]").textContent()).resolves.toBe(
      "Undone: a note on this page.",
    );
    expect(await page.locator(".side-panel input[value=confirmed]").isChecked()).toBe(true);
    expect(w.errors).toEqual([]);
    await page.close();

    // the label is in the case file, read with DuckDB once the server has let go of it
    const key = (await api(sample, `/api/campaigns/${id}`)).key as string;
    await sample.server.close();
    sample.store.close();
    const db = await DuckDBInstance.create(sample.path, { access_mode: "READ_ONLY" });
    const conn = await db.connect();
    const rows = (
      await conn.runAndReadAll("SELECT target_kind, target_id, label FROM labels ORDER BY target_id")
    ).getRowObjects();
    conn.closeSync();
    db.closeSync();
    expect(rows).toEqual([{ target_kind: "campaign", target_id: key, label: "confirmed" }]);
    sample = await reopen(sample);
  });

  async function reopen(s: Served): Promise<Served> {
    const store = await CaseStore.open(s.path);
    return { store, server: await startServer(store, { port: 0, web: WEB }), path: s.path };
  }

  it("finds an account from the header's search box, by part of its handle in any case, and opens it", async () => {
    const overview = await api(sample, "/api/campaigns/C1");
    const member = (overview.accounts as Json[]).find((m) => m.handle)!;
    const key = `${member.platform}:${member.id}`;
    const w = await open(sample, "#/overview");
    const { page } = w;
    await page.waitForSelector("table.campaigns tbody tr");
    const part = (member.handle as string).slice(0, -1).toUpperCase();
    await page.locator("form[role=search] input").fill(part);
    await page.locator("form[role=search] button").click();
    await page.waitForSelector(`[data-search-shown="${part}"] table.search-results tbody tr`);
    const found = await api(sample, `/api/accounts?q=${encodeURIComponent(part)}`);
    expect(await page.locator("table.search-results tbody tr").count()).toBe(Math.min(found.total, 50));
    await page
      .locator(`table.search-results a[href*="${encodeURIComponent(key)}"]`)
      .first()
      .click();
    await page.waitForSelector(`[data-account-shown="${key}"] dl.profile`);
    // a search is a link: back returns to the results
    await page.goBack();
    await page.waitForSelector(`[data-search-shown="${part}"] table.search-results`);
    expect(w.errors).toEqual([]);
    await page.close();
  });

  it("shows an account's findings and ties, and the notes screen lists every label and note", async () => {
    const key = (await api(sample, "/api/campaigns/C1/graph")).nodes[0].key as string;
    const acc = await api(sample, `/api/accounts/${encodeURIComponent(key)}?ties=200`);
    const w = await open(sample, `#/account/${encodeURIComponent(key)}`);
    const { page } = w;
    await page.waitForSelector("dl.profile");
    expect(await page.locator("ul.findings > li").count()).toBe(acc.findings.length);
    expect(await page.locator("table.ties tbody tr").count()).toBe(acc.ties.ties.length);
    expect(await showing(page)).toEqual([acc.ties.ties.length, acc.ties.total]);
    expect(await page.locator('[data-count="posts"]').textContent()).toBe(String(acc.profile.posts));
    await expect(page.locator("dl.profile").textContent()).resolves.toContain(
      `row ${acc.profile.source_row.toLocaleString("en-US")}`,
    );
    // every tie links to the tie screen of this account and its partner
    const href = await page
      .locator("table.ties tbody tr")
      .first()
      .locator("a", { hasText: "Open tie" })
      .getAttribute("href");
    expect(decodeURIComponent(href!)).toContain(`#/tie/${key}/${acc.ties.ties[0].partner}`);

    const labels = await api(sample, "/api/labels");
    const notes = await api(sample, "/api/notes");
    await visit(w, "#/notes", ".notes-screen:not(:has(.loading))");
    expect(await page.locator("main table tbody tr").count()).toBe(labels.total);
    expect(await page.locator("main ul.notes li").count()).toBe(notes.total);
    expect(w.errors).toEqual([]);
    await page.close();
  });

  it("lists a campaign's fringe beside its graph, each account with the posts by which it joined the bursts", async () => {
    const list = await api(fringed, "/api/campaigns?limit=1000");
    const withFringe: Json[] = [];
    for (const c of list.campaigns as Json[]) {
      const detail = await api(fringed, `/api/campaigns/${c.id}`);
      if ((detail.accounts as Json[]).some((m) => m.role === "fringe")) withFringe.push(detail);
    }
    expect(withFringe).toHaveLength(1);
    const detail = withFringe[0]!;
    const fringe = (detail.accounts as Json[]).filter((m) => m.role === "fringe");
    expect(fringe.map((m) => `${m.platform}:${m.id}`).sort()).toEqual(fringeKeys);
    // the list counts the members and the fringe apart, as the campaign's screen does
    const listed = (list.campaigns as Json[]).find((c) => c.id === detail.id)!;
    expect([listed.members, listed.fringe]).toEqual([detail.accounts.length - fringe.length, fringe.length]);
    // and so does the context kept with a label put on the campaign
    const put = await fetch(`${fringed.server.url}api/labels`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ target: { kind: "campaign", id: detail.id }, label: "unsure" }),
    });
    expect(put.status).toBe(200);
    expect(((await put.json()) as Json).label.context).toMatchObject({
      number: detail.id,
      members: detail.accounts.length - fringe.length,
      fringe: fringe.length,
    });
    for (const m of fringe) {
      expect(m.joined.length).toBeGreaterThanOrEqual(2);
      for (const j of m.joined) expect(j.input_path).toBe(tmp.path("fringe.jsonl"));
    }
    // the graph draws the members, who have ties; the fringe has none
    const graph = await api(fringed, `/api/campaigns/${detail.id}/graph`);
    expect(graph.total_nodes).toBe(detail.accounts.length - fringe.length);
    expect(graph.nodes.map((n: Json) => n.key)).not.toEqual(expect.arrayContaining([fringeKeys[0]]));

    const w = await open(fringed, `#/campaign/${detail.id}`);
    const { page } = w;
    await page.waitForSelector("section.fringe");
    const facts = (await page.locator("dl.facts").textContent()) ?? "";
    expect(facts).toContain(`${translate("en", "members")}${detail.accounts.length - fringe.length}`);
    expect(facts).toContain(`${translate("en", "fringe")}${fringe.length}`);
    const shown = page.locator("section.fringe ul.fringe-accounts > li");
    expect(await shown.count()).toBe(fringe.length);
    for (const m of fringe) {
      const item = page.locator(`section.fringe li[data-account="${m.platform}:${m.id}"]`);
      const text = (await item.textContent()) ?? "";
      // one item a post, with each object by which it joined
      expect(await item.locator("li").count()).toBe(new Set(m.joined.map((j: Json) => j.post_id)).size);
      expect(await item.locator(".joined-object").count()).toBe(m.joined.length);
      for (const j of m.joined) {
        expect(text).toContain(j.post_id);
        expect(text).toContain(`row ${formatNumber(j.source_row, { lang: "en" })}`);
        expect(text).toContain(translate("en", "fringeMembers", { n: j.members }));
      }
    }
    expect(w.errors).toEqual([]);
    await page.close();
  });

  it("draws a large fringe only when opened, a page at a time", async () => {
    const list = await api(fringed, "/api/campaigns?limit=1000");
    const withFringe = (list.campaigns as Json[]).find((c) => c.fringe > 0)!;
    const total = 2 * FRINGE_PAGE + 50;
    expect(total).toBeGreaterThan(FRINGE_OPEN);
    const w = await watchedPage(browser);
    const { page } = w;
    // the campaign as the API gives it, with its one fringe account copied under new ids up to `total`
    await page.route(
      (u) => u.pathname === `/api/campaigns/${withFringe.id}`,
      async (route) => {
        const body = (await (await route.fetch()).json()) as Json;
        const one = (body.accounts as Json[]).find((m) => m.role === "fringe")!;
        const others = (body.accounts as Json[]).filter((m) => m.role !== "fringe");
        const copies = Array.from({ length: total }, (_, i) => ({
          ...one,
          id: `copy${i}`,
          handle: `copy${i}`,
        }));
        await route.fulfill({ json: { ...body, accounts: [...others, ...copies] } });
      },
    );
    await open(fringed, `#/campaign/${withFringe.id}`, w);
    await page.waitForSelector("section.fringe");
    const items = page.locator("section.fringe ul.fringe-accounts > li");
    const more = page.locator("section.fringe button.more");
    // folded: nothing drawn, and the summary says how many there are; open, how many are drawn
    expect(await page.locator("section.fringe details").getAttribute("open")).toBeNull();
    expect(await items.count()).toBe(0);
    const summary = page.locator("section.fringe summary");
    expect(await summary.textContent()).toBe(
      `${formatNumber(total, { lang: "en" })} ${translate("en", "accountsWord")}`,
    );
    await summary.click();
    await page.waitForFunction(
      (n) => document.querySelectorAll("section.fringe ul.fringe-accounts > li").length === n,
      FRINGE_PAGE,
    );
    expect(await summary.textContent()).toBe(
      translate("en", "showing", {
        n: formatNumber(FRINGE_PAGE, { lang: "en" }),
        m: formatNumber(total, { lang: "en" }),
        what: translate("en", "accountsWord"),
      }),
    );
    expect(await more.textContent()).toBe(
      translate("en", "showMore", { n: formatNumber(FRINGE_PAGE, { lang: "en" }) }),
    );
    await more.click();
    await page.waitForFunction(
      (n) => document.querySelectorAll("section.fringe ul.fringe-accounts > li").length === n,
      2 * FRINGE_PAGE,
    );
    expect(await more.textContent()).toBe(
      translate("en", "showMore", { n: formatNumber(50, { lang: "en" }) }),
    );
    await more.click();
    await page.waitForFunction(
      (n) => document.querySelectorAll("section.fringe ul.fringe-accounts > li").length === n,
      total,
    );
    expect(await more.count()).toBe(0);
    expect(await items.last().getAttribute("data-account")).toBe(`twitter:copy${total - 1}`);
    expect(w.errors).toEqual([]);
    await page.close();
  });

  it("lays out Persian right to left, with the interface translated and Jalali dates", async () => {
    const overview = await api(sample, "/api/case");
    const w = await open(sample, "#/overview?lang=fa&cal=persian");
    const { page } = w;
    await page.waitForSelector("table.campaigns tbody tr");
    expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
    expect(await page.locator("html").getAttribute("lang")).toBe("fa");
    await expect(page.locator("h1").textContent()).resolves.toBe(translate("fa", "overview"));
    expect(translate("fa", "overview")).not.toBe(translate("en", "overview"));
    const prefs = { lang: "fa", calendar: "persian", tz: "UTC" } as const;
    const jalali = formatDate(overview.counts.first_post, prefs);
    expect(jalali).toMatch(/۱۴۰۲/); // March 2024 is in the Jalali year 1402
    await expect(page.locator("dl.facts").textContent()).resolves.toContain(jalali);
    await expect(page.locator('[data-count="posts"]').textContent()).resolves.toBe(
      new Intl.NumberFormat("fa-IR").format(overview.counts.posts),
    );
    // the filters column sits on the right in RTL
    const filters = (await page.locator("section.filters").boundingBox())!;
    const table = (await page.locator("table.campaigns").boundingBox())!;
    expect(filters.x).toBeGreaterThan(table.x);
    // a Latin handle reads "@name" on a right-to-left page too: the @ on the left of the name, not after it
    await page.goto(page.url().replace(/#.*$/, "#/campaign/C1?lang=fa&tab=timeline"));
    await page.waitForSelector(".handle bdi");
    const atLeftOfName = await page
      .locator(".handle")
      .first()
      .evaluate((el) => {
        const at = document.createRange();
        at.setStart(el.firstChild!, 0);
        at.setEnd(el.firstChild!, 1);
        return (
          at.toString() === "@" &&
          at.getBoundingClientRect().right <= el.querySelector("bdi")!.getBoundingClientRect().left + 1
        );
      });
    expect(atLeftOfName).toBe(true);
    expect(w.errors).toEqual([]);
    await page.close();
  });

  it("draws Persian handles in graph labels whole and right to left, on the left of their accounts", async () => {
    const graph = await api(sample, "/api/campaigns/C1/graph");
    const persian = ["کاوه_رضایی", "مریم_کاظمی", "علی_جعفری"];
    // every other member gets a Persian handle, the rest keep their Latin ones
    const renamed = new Map<string, string>(
      graph.nodes
        .filter((_: Json, i: number) => i % 2 === 0)
        .map((n: Json, i: number) => [n.key, `${persian[i % 3]}${i}`]),
    );
    const w = await watchedPage(browser);
    const { page } = w;
    await page.route(
      (u) => u.pathname === "/api/campaigns/C1/graph",
      async (route) => {
        const body = (await (await route.fetch()).json()) as Json;
        for (const n of body.nodes) if (renamed.has(n.key)) n.handle = renamed.get(n.key);
        await route.fulfill({ json: body });
      },
    );
    await open(sample, "#/campaign/C1?lang=fa", w);
    await page.waitForSelector(".graph[data-drawn][data-labels=ready]");
    const { labels, at } = await page.locator(".graph").evaluate((el) => {
      const g = el as unknown as {
        chorusLabels(): Array<{ key: string; dir: string; left: number; right: number }>;
        chorusViewport(k: string): { x: number; y: number };
      };
      const labels = g.chorusLabels();
      return { labels, at: Object.fromEntries(labels.map((l) => [l.key, g.chorusViewport(l.key)])) };
    });
    expect(labels.some((l) => renamed.has(l.key))).toBe(true);
    expect(labels.some((l) => !renamed.has(l.key))).toBe(true);
    for (const l of labels) {
      const { x } = at[l.key]!;
      if (renamed.has(l.key)) expect([l.key, l.dir, l.right < x]).toEqual([l.key, "rtl", true]);
      else expect([l.key, l.dir, l.left > x]).toEqual([l.key, "ltr", true]);
    }
    // the labels' font is the bundled one, loaded for Arabic script in both weights
    expect(
      await page.evaluate(() =>
        ["400", "700"].map((wt) => document.fonts.check(`${wt} 12px Vazirmatn`, "کاوه")),
      ),
    ).toEqual([true, true]);
    expect(w.errors).toEqual([]);
    await page.close();
  });

  it("shows hostile profiles and posts as inert text, with the bidi override as a marker, and no CSP error", async () => {
    const list = await api(hostile, "/api/campaigns?limit=1000");
    const w = await open(hostile, "#/overview");
    const { page } = w;
    await page.waitForSelector("table.campaigns tbody tr");
    for (const c of list.campaigns) {
      await visit(w, `#/campaign/${c.id}`, `[data-campaign-shown="${c.id}"] .graph[data-drawn]`);
      await page.locator(".graph").hover();
      // with every table open, a 300-character handle wraps instead of pushing columns out of sight
      const overflow = await page.evaluate(() => {
        for (const d of document.querySelectorAll("details")) d.open = true;
        const out: string[] = [];
        for (const t of document.querySelectorAll("main table")) {
          const box = t.parentElement!.getBoundingClientRect();
          if (t.getBoundingClientRect().right > box.right + 1) out.push(t.className || t.tagName);
        }
        return { page: document.documentElement.scrollWidth - window.innerWidth, tables: out };
      });
      expect(overflow, c.id).toEqual({ page: 0, tables: [] });
    }
    const key = `twitter:${planted[0]}`;
    await visit(w, `#/account/${encodeURIComponent(key)}`, `[data-account-shown="${key}"] dl.profile`);
    const markers = await page.locator("mark.hidden-char").allTextContents();
    expect(markers).toContain("[U+202E]");
    expect(BIDI).toContain("\u202E");
    // the huge bio of the second planted account is cut, and the cut is said
    const second = `twitter:${planted[1]}`;
    await visit(w, `#/account/${encodeURIComponent(second)}`, `[data-account-shown="${second}"] dl.profile`);
    await expect(page.locator("dl.profile .cut").first().textContent()).resolves.toMatch(/more characters/);
    const acc = await api(hostile, `/api/accounts/${encodeURIComponent(key)}`);
    const partner = acc.ties.ties[0]?.partner as string | undefined;
    if (partner) {
      await visit(w, `#/tie/${encodeURIComponent(key)}/${encodeURIComponent(partner)}`, "li.pair");
    }
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(w.dialogs).toEqual([]);
    expect(w.errors).toEqual([]);
    expect(
      await page.locator("main img, main iframe, main svg[onload], main object, main embed").count(),
    ).toBe(0);
    ownRequests(w, hostile);
    await page.close();
  });

  it("lists reported email, the hostile first, with a subject of markup shown as text, and filters by verdict", async () => {
    // a case of posts alone offers no messages screen
    const plain = await open(sample, "#/overview");
    await plain.page.waitForSelector("table.campaigns tbody tr");
    // once the header has the count (0), and not before, the link's absence means something
    await plain.page.waitForSelector('header nav[data-messages="0"]');
    expect(await plain.page.locator('header nav a[href^="#/messages"]').count()).toBe(0);
    expect(await plain.page.locator('[data-count="messages"]').count()).toBe(0);
    await plain.page.close();

    // the phishing operation, ordinary mail, the lone phish under a subject of markup, the lookalike's phish
    const overview = await api(mail, "/api/case");
    const all = await api(mail, `/api/messages?limit=${MESSAGES_PAGE}`);
    const hostileList = await api(mail, `/api/messages?verdict=hostile&limit=${MESSAGES_PAGE}`);
    expect(overview.messages.hostile).toBeGreaterThan(0);
    const w = await open(mail, "#/overview");
    const { page } = w;
    await expect(page.locator('[data-count="messages"]').textContent()).resolves.toBe(
      `${overview.messages.total} reported messages, ${overview.messages.hostile} malicious or suspicious`,
    );
    // the header asks for the count on its own: its link comes when that answer does
    await page.waitForSelector('header nav a[href^="#/messages"]');
    await page.locator('[data-count="messages"]').click();
    await page.waitForSelector('[data-verdict-shown="all"] table.messages tbody tr');
    const rows = () =>
      page
        .locator("table.messages tbody tr")
        .evaluateAll((trs) =>
          trs.map((tr) => [tr.getAttribute("data-sha256"), tr.getAttribute("data-verdict")]),
        );
    expect(await rows()).toEqual(all.messages.map((m: Json) => [m.sha256, m.verdict]));
    await page.selectOption('select[name="verdict"]', "hostile");
    await page.waitForSelector('[data-verdict-shown="hostile"] table.messages tbody tr');
    expect(await rows()).toEqual(hostileList.messages.map((m: Json) => [m.sha256, m.verdict]));
    expect(hostileList.messages.length).toBe(Math.min(MESSAGES_PAGE, overview.messages.hostile));
    // the markup is letters on the screen: no element made of it, nothing run
    const subjects = await page.locator("table.messages tbody th.subject").allTextContents();
    expect(subjects).toContain(MARKUP_SUBJECT);
    expect(await page.locator("table.messages img, table.messages b").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(w.errors).toEqual([]);
    ownRequests(w, mail);
    await page.close();
  });

  it("shows no live indicator of hostile mail or of a finding: senders, their findings, subjects, searches, notes", async () => {
    // the indicators the findings name, as findings.json keeps them (real values)
    const doc = await api(mail, "/api/export/findings.json");
    const infra = (doc.detectors as Json[]).find((d) => d.id === "email-infrastructure")!;
    const live = new Set<string>([LOOKALIKE, GENUINE, "https://civicrights-login.example/verify"]);
    for (const g of infra.details.groups as Json[]) {
      for (const sender of g.senders as string[]) live.add(sender);
      for (const i of g.indicators as Json[]) if (i.kind !== "attachment") live.add(i.value as string);
    }
    const indicators = [...live].filter((v) => v.includes("."));
    const key = `email:${LOOKALIKE}`;
    const acc = await api(mail, `/api/accounts/${encodeURIComponent(key)}?ties=200`);
    // the case is what it claims: the lookalike's findings name the phishing domains
    const detectors = (acc.findings as Json[]).map((f) => f.detector);
    expect(detectors).toEqual(expect.arrayContaining(["email-infrastructure", "impersonation"]));
    expect((acc.findings as Json[]).every((f) => String(f.explanation).includes(LOOKALIKE))).toBe(true);
    const put = await fetch(`${mail.server.url}api/labels`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ target: { kind: "account", id: key }, label: "confirmed" }),
    });
    expect(put.status).toBe(200);

    const w = await open(mail, "#/overview");
    const { page } = w;
    const screens: Array<[string, string]> = [
      [`#/account/${encodeURIComponent(key)}`, `[data-account-shown="${key}"] ul.findings li`],
      ["#/messages/hostile", '[data-verdict-shown="hostile"] table.messages tbody tr'],
      ["#/search/civicrlghts", '[data-search-shown="civicrlghts"] table.search-results tbody tr'],
      ["#/notes", ".notes-screen table tbody tr"],
    ];
    const partner = acc.ties.ties[0]?.partner as string | undefined;
    expect(partner, "the senders of the operation are tied").toBeDefined();
    screens.push([
      `#/tie/${encodeURIComponent(key)}/${encodeURIComponent(partner!)}`,
      "table.layers tbody tr",
    ]);
    const defanged = (v: string) => v.replace(/\./g, "[.]");
    for (const [hash, ready] of screens) {
      await visit(w, hash, ready);
      const text = (await page.locator("body").textContent()) ?? "";
      for (const v of indicators) expect(text, `${hash}: ${v}`).not.toContain(v);
      expect(await page.title(), hash).not.toContain(LOOKALIKE);
      // the sender is there, defanged, on every screen but the messages (which name it by the mail's sender)
      if (!hash.startsWith("#/messages")) expect(text, hash).toContain(defanged(LOOKALIKE));
      // nothing on the screen links out of the app
      const out = await page
        .locator("main a[href]")
        .evaluateAll((as) => as.map((a) => a.getAttribute("href")!).filter((h) => !h.startsWith("#")));
      expect(out, hash).toEqual([]);
    }
    // the subject that carried the landing URL is shown, the URL defanged
    await visit(w, "#/messages/hostile", '[data-verdict-shown="hostile"] table.messages tbody tr');
    const subjects = await page.locator("table.messages tbody th.subject").allTextContents();
    expect(
      subjects.some((x) => x.includes("Verify your account at hxxps://civicrights-login[.]example/")),
    ).toBe(true);
    // the links the social campaigns shared stay as text, never as links
    const c1 = await api(mail, "/api/campaigns/C1");
    const urls = (c1.top_objects as Json[]).filter((o) => o.kind === "url").map((o) => o.value as string);
    expect(urls.length).toBeGreaterThan(0);
    await visit(w, "#/campaign/C1?tab=objects", "table.objects tbody tr");
    const objects = (await page.locator("table.objects").textContent()) ?? "";
    for (const u of urls) expect(objects).toContain(u);
    expect(await page.locator("main a[href]:not([href^='#'])").count()).toBe(0);
    expect(w.errors).toEqual([]);
    ownRequests(w, mail);
    await page.close();
  });

  it("sets each post of a tie in its own direction, and names the layers in Persian", async () => {
    const a = (await api(sample, "/api/campaigns/C1/graph")).nodes;
    const [x, y] = [a[0].key as string, a[1].key as string];
    const persian = "این یک پست فارسی است که باید از راست به چپ خوانده شود";
    const english = "An English post that reads left to right";
    const w = await watchedPage(browser);
    const { page } = w;
    // the first pair's posts: A in Persian, B in English
    await page.route(
      (u) => u.pathname.startsWith("/api/ties/"),
      async (route) => {
        const body = (await (await route.fetch()).json()) as Json;
        body.pairs[0].a.text = persian;
        body.pairs[0].b.text = english;
        await route.fulfill({ json: body });
      },
    );
    const tie = `#/tie/${encodeURIComponent(x)}/${encodeURIComponent(y)}`;
    const detail = await api(
      sample,
      `/api/ties/${encodeURIComponent(x)}/${encodeURIComponent(y)}?limit=2000`,
    );
    /** The first pair's two posts: the direction of each text block and whether its text hugs that side. */
    const posts = () =>
      page
        .locator("li.pair")
        .first()
        .locator(".post-text")
        .evaluateAll((els) =>
          els.map((el) => {
            const box = el.getBoundingClientRect();
            const range = document.createRange();
            range.selectNodeContents(el);
            const text = range.getBoundingClientRect();
            const dir = getComputedStyle(el).direction;
            const pad = parseFloat(getComputedStyle(el).paddingInlineStart) || 0;
            // the text starts at the block's start: its right edge for right to left, its left edge for left to right
            const atStart =
              dir === "rtl"
                ? Math.abs(box.right - pad - text.right) < 2
                : Math.abs(text.left - box.left - pad) < 2;
            return [el.textContent, dir, atStart];
          }),
        );
    for (const lang of ["en", "fa"]) {
      await open(sample, `${tie}${lang === "fa" ? "?lang=fa" : ""}`, w);
      await page.waitForSelector(`html[lang=${lang}] li.pair .post-text`);
      expect(await posts(), lang).toEqual([
        [persian, "rtl", true],
        [english, "ltr", true],
      ]);
    }
    // the layers of the tie, and each pair's layer, in Persian words; the data attribute keeps the layer's name
    const layers = (detail.ties as Json[]).map((t) => t.layer as string);
    expect(layers.some((l) => layerName("fa", l) !== l)).toBe(true);
    expect(await page.locator("table.layers tbody th").allTextContents()).toEqual(
      layers.map((l) => layerName("fa", l)),
    );
    const tags = await page
      .locator("li.pair")
      .evaluateAll((lis) =>
        lis.map((li) => [li.getAttribute("data-layer"), li.querySelector(".layer-tag")!.textContent]),
      );
    expect(tags.length).toBeGreaterThan(0);
    for (const [layer, tag] of tags) expect(tag).toBe(layerName("fa", layer!));
    // the layer filter offers the layers in Persian, and its chip says the one chosen in Persian
    await page.locator("form.add-filter select").first().selectOption("layer");
    const options = page.locator("form.add-filter select").nth(1).locator("option");
    const values = await options.evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(await options.allTextContents()).toEqual(values.map((v) => layerName("fa", v)));
    await page.locator("form.add-filter select").nth(1).selectOption("repost");
    await page.locator("form.add-filter button[type=submit]").click();
    await page.waitForFunction(() => /layer(%3A|:)repost/.test(location.hash));
    await expect(page.locator("ol.chips").textContent()).resolves.toContain(
      `${translate("fa", "f_layer")} = ${layerName("fa", "repost")}`,
    );
    expect(w.errors).toEqual([]);
    await page.close();
  });

  it("says that the accounts of the whole-case graph's ungrouped node are in no campaign, in both languages", async () => {
    const grouped = await api(sample, "/api/graph?groupAbove=1");
    const rest = (grouped.nodes as Json[]).find((n) => n.kind === "unclustered") as Json;
    expect(rest, "the sample has accounts tied outside every campaign").toBeDefined();
    const w = await watchedPage(browser);
    const { page } = w;
    for (const lang of ["en", "fa"] as const) {
      const sel = encodeURIComponent(`group:${rest.id}`);
      await open(sample, `#/explorer?group=1&sel=${sel}${lang === "fa" ? "&lang=fa" : ""}`, w);
      await page.waitForSelector(`html[lang=${lang}] .explorer-view[data-grouped="true"] .graph[data-drawn]`);
      const row = page.locator(`table.groups tbody tr[data-campaign="${rest.id}"]`);
      const cells = await row.locator("th, td").allTextContents();
      expect(cells[0]).toBe(translate(lang, "ungrouped"));
      // the confidence column says what the node is, where a campaign has its number
      expect(cells[3]).toBe(translate(lang, "notInCampaign"));
      // the node is named, and when selected says the same
      const selected = (await page.locator(".selected-node").textContent()) ?? "";
      expect(selected).toContain(`${translate(lang, "ungrouped")} · ${formatNumber(rest.size, { lang })}`);
      expect(selected).toContain(`${translate(lang, "confidence")} ${translate(lang, "notInCampaign")}`);
    }
    expect(w.errors).toEqual([]);
    await page.close();
  });

  it("lays out reported email right to left in Persian: verdicts translated, reasons in their cells, subjects in their own direction", async () => {
    const list = await api(mail, `/api/messages?limit=${MESSAGES_PAGE}`);
    const w = await open(mail, "#/messages?lang=fa");
    const { page } = w;
    await page.waitForSelector('html[dir=rtl] [data-verdict-shown="all"] table.messages tbody tr');
    await expect(page.locator("h1").textContent()).resolves.toBe(translate("fa", "messages"));
    expect(translate("fa", "messages")).not.toBe(translate("en", "messages"));
    // the columns run right to left: the verdict first, on the right, the file and row last, on the left
    const heads = page.locator("table.messages thead th");
    expect((await heads.first().boundingBox())!.x).toBeGreaterThan((await heads.last().boundingBox())!.x);
    // each verdict in Persian words
    const badges = await page
      .locator("table.messages tbody td .badge[data-verdict]")
      .evaluateAll((els) => els.map((el) => [el.getAttribute("data-verdict")!, el.textContent]));
    expect(badges.map(([v]) => v)).toEqual(list.messages.map((m: Json) => m.verdict));
    for (const [v, shown] of badges) expect(shown).toBe(translate("fa", `verdict_${v}` as never));
    // the reasons are English sentences: each list runs left to right, its numbers inside its own cell
    const reasons = await page.locator("table.messages ol.reasons").evaluateAll((ols) =>
      ols.map((ol) => {
        const cell = ol.closest("td")!.getBoundingClientRect();
        const items = [...ol.querySelectorAll("li")].map((li) => li.getBoundingClientRect());
        const style = getComputedStyle(ol);
        return {
          dir: style.direction,
          // the numbers stand in the list's padding on the left of its items, and that is inside the cell
          numbers:
            parseFloat(style.paddingLeft) > 0 &&
            items.every((r) => r.left - parseFloat(style.paddingLeft) >= cell.left - 1),
        };
      }),
    );
    expect(reasons.length).toBe(list.messages.length);
    for (const r of reasons) expect(r).toEqual({ dir: "ltr", numbers: true });
    // a sender's address reads left to right; a subject in the direction of its own first letters
    const rows = await page.locator("table.messages tbody tr").evaluateAll((trs) =>
      trs.map((tr) => ({
        sha: tr.getAttribute("data-sha256"),
        sender: getComputedStyle(tr.querySelector("td.sender bdi") ?? tr).direction,
        subject: getComputedStyle(tr.querySelector("th.subject > *")!).direction,
      })),
    );
    const bySha = new Map(list.messages.map((m: Json) => [m.sha256, m]));
    const persianFirst = (s: string | null) => /^[^A-Za-z\u0600-\u06FF]*[\u0600-\u06FF]/.test(s ?? "");
    for (const r of rows) {
      const m = bySha.get(r.sha) as Json;
      if (m.from_defanged) expect(r.sender, m.from_defanged).toBe("ltr");
      expect(r.subject, m.subject).toBe(persianFirst(m.subject) ? "rtl" : "ltr");
    }
    expect(list.messages.some((m: Json) => persianFirst(m.subject))).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    expect(w.errors).toEqual([]);
    await page.close();
  });

  /** The tie of the sample whose layers are of the most tiers (significant, chance, context, ...). */
  async function tieOfTiers(): Promise<[string, string]> {
    const [pair] = await sample.store.all<{ a: string; b: string }>(
      `SELECT a, b FROM edges WHERE run_id = (SELECT max(run_id) FROM analyses)
        GROUP BY a, b ORDER BY count(DISTINCT tier) DESC, count(*) DESC, a, b LIMIT 1`,
    );
    return [pair!.a, pair!.b];
  }

  /** Of the campaign's first members, the account whose findings are of the most detectors and strengths. */
  async function accountOfFindings(): Promise<Json> {
    const nodes = ((await api(sample, "/api/campaigns/C1/graph")).nodes as Json[]).slice(0, 12);
    let best: Json | null = null;
    for (const n of nodes) {
      const acc = await api(sample, `/api/accounts/${encodeURIComponent(n.key as string)}?ties=200`);
      const kinds = new Set((acc.findings as Json[]).map((f) => `${f.detector} ${f.strength}`)).size;
      if (!best || kinds > best.kinds) best = { ...acc, kinds };
    }
    return best!;
  }

  it("says the tiers, strengths, detectors and verdicts in Persian, and keeps the data's own names in attributes", async () => {
    // every value of each vocabulary, as the code and the case have them, has Persian words
    const tiers = new Set<string>(TIERS);
    for (const r of await sample.store.all<{ tier: string }>(
      "SELECT DISTINCT tier FROM edges WHERE tier IS NOT NULL",
    ))
      tiers.add(r.tier);
    const strengths = (
      await sample.store.all<{ strength: string }>("SELECT DISTINCT strength FROM findings")
    ).map((r) => r.strength);
    const vocabularies: Array<[Vocabulary, string[]]> = [
      ["tier", [...tiers]],
      ["strength", strengths],
      ["detector", DETECTORS.map((d) => d.id)],
      ["verdict", [...VERDICT_ORDER]],
    ];
    for (const [v, values] of vocabularies) {
      expect(values.length, v).toBeGreaterThan(1);
      for (const x of values) expect(term("fa", v, x), `${v} ${x}`).toMatch(/^[^A-Za-z]+$/);
    }

    // the detectors of the overview, by their Persian names; the row keeps the detector's id
    const overview = await api(sample, "/api/case");
    const w = await open(sample, "#/overview?lang=fa");
    const { page } = w;
    await page.waitForSelector("table.detectors tbody tr");
    expect(
      await page
        .locator("table.detectors tbody tr")
        .evaluateAll((trs) =>
          trs.map((tr) => [tr.getAttribute("data-detector"), tr.querySelector(".detector")!.textContent]),
        ),
    ).toEqual((overview.detectors as Json[]).map((d) => [d.id, term("fa", "detector", d.id as string)]));

    // an account's findings: each detector and strength in Persian, the item keeping the detector's id
    const acc = await accountOfFindings();
    expect(acc.kinds).toBeGreaterThan(1);
    await visit(w, `#/account/${encodeURIComponent(acc.key as string)}?lang=fa`, "ul.findings li");
    expect(
      await page
        .locator("ul.findings > li")
        .evaluateAll((lis) =>
          lis.map((li) => [
            li.getAttribute("data-detector"),
            li.querySelector(".detector")!.textContent,
            li.querySelector(".strength")!.getAttribute("data-strength"),
            li.querySelector(".strength")!.textContent,
          ]),
        ),
    ).toEqual(
      (acc.findings as Json[]).map((f) => [
        f.detector,
        term("fa", "detector", f.detector as string),
        f.strength,
        term("fa", "strength", f.strength as string),
      ]),
    );

    // a tie of several tiers: each in Persian, only the chance tier said to be at chance level; the median gap
    const [a, b] = await tieOfTiers();
    const tie = await api(sample, `/api/ties/${encodeURIComponent(a)}/${encodeURIComponent(b)}?limit=2000`);
    expect(new Set((tie.ties as Json[]).map((x) => x.tier)).size).toBeGreaterThan(1);
    await visit(
      w,
      `#/tie/${encodeURIComponent(a)}/${encodeURIComponent(b)}?lang=fa`,
      "table.layers tbody tr",
    );
    expect(
      await page
        .locator("table.layers tbody tr")
        .evaluateAll((trs) =>
          trs.map((tr) => [tr.getAttribute("data-tier"), tr.querySelector("td.tier")!.textContent]),
        ),
    ).toEqual(
      (tie.ties as Json[]).map((x) => [
        x.tier,
        `${term("fa", "tier", x.tier as string)}${x.tier === "chance" ? ` (${translate("fa", "chanceLevel")})` : ""}`,
      ]),
    );
    expect(await page.locator("dl.tie-stats dt").allTextContents()).toContain(translate("fa", "gapMedian"));
    expect(w.errors).toEqual([]);
    await page.close();
  });

  it("leaves no English word of the interface on a Persian screen, and none in the graph's role", async () => {
    // Latin on a Persian screen is either the case's data (isolated, or marked as English) or written into the
    // Persian strings themselves (UTC, the keys Tab and Enter, the p of p-value)
    const own = new Set(Object.values(PERSIAN).flatMap((s) => s.match(/[A-Za-z][A-Za-z0-9_.-]*/g) ?? []));
    const list = await api(sample, "/api/campaigns?limit=1000");
    const ids = new Set((list.campaigns as Json[]).flatMap((c) => [c.id as string, c.key as string]));
    const acc = await accountOfFindings();
    const [a, b] = await tieOfTiers();
    const labelled = await fetch(`${sample.server.url}api/labels`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ target: { kind: "account", id: acc.key }, label: "unsure" }),
    });
    expect(labelled.status).toBe(200);
    const screens: Array<[Served, string, string]> = [
      [sample, "#/overview", "table.detectors tbody tr"],
      [sample, "#/campaign/C1", ".graph[data-drawn]"],
      [sample, "#/campaign/C1?tab=timeline", "table.examples tbody tr"],
      [sample, "#/campaign/C1?tab=heatmap", "table.heat"],
      [sample, "#/campaign/C1?tab=objects", "table.objects tbody tr"],
      [sample, `#/account/${encodeURIComponent(acc.key as string)}`, "ul.findings li"],
      [sample, `#/tie/${encodeURIComponent(a)}/${encodeURIComponent(b)}`, "li.pair"],
      [sample, "#/explorer?group=1&expand=C1", '.explorer-view[data-expanded="C1"] .graph[data-drawn]'],
      [sample, "#/notes", ".notes-screen table tbody tr"],
      [mail, "#/messages", '[data-verdict-shown="all"] table.messages tbody tr'],
    ];
    const left: string[] = [];
    for (const [served, hash, ready] of screens) {
      const w = await open(served, `${hash}${hash.includes("?") ? "&" : "?"}lang=fa`);
      await w.page.waitForSelector(`html[lang=fa] ${ready}`);
      const words = await w.page.evaluate(() => {
        // the case's data: isolated (bdi), in its own direction, marked as English, or an ISO time
        const data = "bdi, [dir=auto], [lang=en], code, mark, option, .iso";
        const found: string[] = [];
        const walk = document.createTreeWalker(document.querySelector("main")!, NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode())
          if (!n.parentElement!.closest(data))
            found.push(...(n.textContent!.match(/[A-Za-z][A-Za-z0-9_.-]*/g) ?? []));
        for (const g of document.querySelectorAll("[aria-roledescription]"))
          found.push(...(g.getAttribute("aria-roledescription")!.match(/[A-Za-z]+/g) ?? []));
        return found;
      });
      left.push(...words.filter((x) => !own.has(x) && !ids.has(x)).map((x) => `${hash}: ${x}`));
      expect(w.errors, hash).toEqual([]);
      await w.page.close();
    }
    // the case as it was: the label taken off again
    const removed = await fetch(
      `${sample.server.url}api/labels?kind=account&id=${encodeURIComponent(acc.key as string)}`,
      { method: "DELETE" },
    );
    expect(removed.status).toBe(200);
    expect([...new Set(left)]).toEqual([]);
  });

  it("shows a Bluesky handle that is a domain as written on every screen, never defanged and never a link out", async () => {
    const found = await api(bluesky, `/api/accounts?q=${encodeURIComponent(DOMAIN_HANDLE)}`);
    const acc = (found.accounts as Json[]).find((x) => x.handle === DOMAIN_HANDLE)!;
    const key = acc.key as string;
    const campaign = (acc.campaigns as string[])[0]!;
    expect(campaign, "the handle's account is in a campaign").toBeDefined();
    const detail = await api(bluesky, `/api/accounts/${encodeURIComponent(key)}?ties=200`);
    const partner = (detail.ties.ties as Json[])[0]!.partner as string;
    const k = encodeURIComponent(key);
    const screens: Array<[string, string]> = [
      [`#/search/${encodeURIComponent(DOMAIN_HANDLE)}`, "table.search-results tbody tr"],
      [`#/account/${k}`, `[data-account-shown="${key}"] ul.findings li`],
      [`#/campaign/${campaign}`, `[data-campaign-shown="${campaign}"] table.members tbody tr`],
      [`#/campaign/${campaign}?tab=objects`, "table.objects tbody tr"],
      [`#/campaign/${campaign}?tab=timeline`, "table.examples tbody tr"],
      [`#/tie/${k}/${encodeURIComponent(partner)}`, "li.pair"],
      [
        `#/explorer?group=1&expand=${campaign}`,
        `.explorer-view[data-expanded="${campaign}"] .graph[data-drawn]`,
      ],
    ];
    const w = await open(bluesky, "#/overview");
    const { page } = w;
    for (const lang of ["en", "fa"] as const) {
      for (const [hash, ready] of screens) {
        const at = `${hash}${lang === "fa" ? `${hash.includes("?") ? "&" : "?"}lang=fa` : ""}`;
        await visit(w, at, `html[lang=${lang}] ${ready}`);
        // an identity, the evidence of who posted: as written, on every screen that names the account
        const text = (await page.locator("main").textContent()) ?? "";
        expect(text, at).toContain(`@${DOMAIN_HANDLE}`);
        expect(text, at).not.toContain(DOMAIN_HANDLE.replace(/\./g, "[.]"));
        // every link stays in the app, and the handle is a link to its account's screen or no link at all
        const hrefs = await page
          .locator("a[href]")
          .evaluateAll((as) => as.map((x) => x.getAttribute("href")!));
        expect(
          hrefs.filter((h) => !h.startsWith("#")),
          at,
        ).toEqual([]);
        const around = await page.evaluate((handle) => {
          const out: Array<string | null> = [];
          const walk = document.createTreeWalker(document.querySelector("main")!, NodeFilter.SHOW_TEXT);
          for (let n = walk.nextNode(); n; n = walk.nextNode())
            if (n.textContent!.includes(handle))
              out.push(n.parentElement!.closest("a")?.getAttribute("href") ?? null);
          return out;
        }, DOMAIN_HANDLE);
        expect(around.length, at).toBeGreaterThan(0);
        for (const href of around)
          expect(href === null || href.startsWith("#/account/"), `${at}: ${href}`).toBe(true);
      }
    }
    // on an English page the ring's Persian posts, quoted among the campaign's objects, read and align right to left
    await visit(w, `#/campaign/${campaign}?tab=objects`, "html[lang=en] table.objects .post-text");
    const posts = await page.locator("table.objects .post-text").evaluateAll((els) =>
      els.map((el) => {
        const box = el.getBoundingClientRect();
        const range = document.createRange();
        range.selectNodeContents(el);
        return [
          el.textContent,
          getComputedStyle(el).direction,
          Math.abs(box.right - range.getBoundingClientRect().right) < 2,
        ];
      }),
    );
    for (const post of PERSIAN_POSTS) expect(posts).toContainEqual([post, "rtl", true]);
    expect(w.errors).toEqual([]);
    ownRequests(w, bluesky);
    await page.close();
  });

  it("passes axe with no serious or critical violation, in English and in Persian", async () => {
    // axe is injected as an inline script, which the app's CSP rightly refuses: this context bypasses it
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const a = (await api(sample, "/api/campaigns/C1/graph")).nodes;
    const tie = `#/tie/${encodeURIComponent(a[0].key)}/${encodeURIComponent(a[1].key)}`;
    const found: string[] = [];
    // the screens of the sample, and the reported email of the case that has some
    const screens: Array<[Served, Array<readonly [string, string]>]> = [
      [
        sample,
        [
          ["#/campaign/C1", ".graph[data-drawn]"],
          [tie, "li.pair"],
          ["#/explorer?group=1&expand=C1", '.explorer-view[data-expanded="C1"] .graph[data-drawn]'],
        ],
      ],
      [mail, [["#/messages", '[data-verdict-shown="all"] table.messages tbody tr']]],
    ];
    for (const [served, hashes] of screens) {
      await page.goto(`${served.server.url}#/overview`);
      await page.waitForSelector("html[data-ready=true]");
      await page.addScriptTag({ path: join(ROOT, "node_modules/axe-core/axe.min.js") });
      for (const lang of ["en", "fa"]) {
        for (const [hash, ready] of hashes) {
          await page.evaluate(
            (h) => {
              location.hash = h;
            },
            `${hash}${lang === "fa" ? `${hash.includes("?") ? "&" : "?"}lang=fa` : ""}`,
          );
          await page.waitForSelector(`html[lang=${lang}] ${ready}`);
          const violations = await page.evaluate(async () => {
            const axe = (window as unknown as { axe: { run(o?: unknown): Promise<{ violations: Json[] }> } })
              .axe;
            const r = await axe.run({
              runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"] },
              resultTypes: ["violations"],
            });
            return r.violations
              .filter((v) => v.impact === "serious" || v.impact === "critical")
              .map((v) => `${v.id}: ${v.nodes.length} (${v.nodes[0]?.target})`);
          });
          found.push(...violations.map((v: string) => `${lang} ${hash}: ${v}`));
        }
      }
    }
    await context.close();
    expect(found).toEqual([]);
  });

  it("looks as the committed pictures do, within a tolerance", async () => {
    const a = (await api(sample, "/api/campaigns/C1/graph")).nodes;
    // name, case, screen, what shows it is drawn, the part pictured
    const shots: Array<[string, Served, string, string, string]> = [
      [
        "tie-en",
        sample,
        `#/tie/${encodeURIComponent(a[0].key)}/${encodeURIComponent(a[1].key)}`,
        "li.pair",
        ".main-col",
      ],
      [
        "heatmap-fa",
        sample,
        "#/campaign/C1?tab=heatmap&lang=fa&cal=persian&tz=Asia%2FTehran",
        "table.heat",
        ".main-col",
      ],
      ["messages-fa", mail, "#/messages?lang=fa&cal=persian", "table.messages tbody tr", ".messages-screen"],
    ];
    // UPDATE_SCREENSHOTS=1 rewrites every picture; a list of names (messages-fa,tie-en) only those
    const asked = process.env["UPDATE_SCREENSHOTS"] ?? "";
    const update = (name: string) => asked === "1" || asked.split(",").includes(name);
    mkdirSync(SCREENS, { recursive: true });
    const w = await watchedPage(browser);
    await w.page.emulateMedia({ reducedMotion: "reduce" });
    // the files messages came from are in a temporary folder: pictured by their names alone
    await w.page.route(
      (u) => u.pathname === "/api/messages",
      async (route) => {
        const body = (await (await route.fetch()).json()) as Json;
        for (const m of body.messages) m.input_path = String(m.input_path).replace(/^.*[\\/]/, "");
        await route.fulfill({ json: body });
      },
    );
    for (const [name, served, hash, ready, part] of shots) {
      await open(served, hash, w);
      await w.page.waitForSelector(ready);
      await w.page.evaluate(() => document.fonts.ready);
      await w.page.waitForTimeout(200);
      const box = (await w.page.locator(part).boundingBox())!;
      const png = await w.page.screenshot({
        clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, 640) },
      });
      const file = join(SCREENS, `${name}.png`);
      if (update(name)) {
        writeFileSync(file, png);
        continue;
      }
      expect(existsSync(file), `${file} is missing: run with UPDATE_SCREENSHOTS=1`).toBe(true);
      const want = await sharp(readFileSync(file)).raw().toBuffer({ resolveWithObject: true });
      const got = await sharp(png).raw().toBuffer({ resolveWithObject: true });
      expect([got.info.width, got.info.height]).toEqual([want.info.width, want.info.height]);
      let differ = 0;
      const ch = got.info.channels;
      for (let i = 0; i < got.data.length; i += ch) {
        let d = 0;
        for (let c = 0; c < 3; c++) d = Math.max(d, Math.abs(got.data[i + c]! - want.data[i + c]!));
        if (d > 32) differ++;
      }
      const share = differ / (got.info.width * got.info.height);
      if (share >= 0.01) writeFileSync(join(SCREENS, `${name}-changed.png`), png);
      expect(share, `${name}: share of pixels that differ`).toBeLessThan(0.01);
    }
    expect(w.errors).toEqual([]);
    await w.page.close();
  });

  it("loads the first screen (index, scripts, styles, fonts) in under 600 kB gzipped", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const bodies: Array<Promise<[string, number]>> = [];
    page.on("response", (r) => {
      const url = r.url();
      if (!url.startsWith(sample.server.url) || url.includes("/api/")) return;
      bodies.push(r.body().then((b) => [url, gzipSync(b, { level: 9 }).length] as [string, number]));
    });
    await page.goto(`${sample.server.url}#/overview?lang=fa`);
    await page.waitForSelector("html[data-ready=true]");
    await page.evaluate(() => document.fonts.ready);
    const sizes = await Promise.all(bodies);
    const total = sizes.reduce((n, [, s]) => n + s, 0);
    expect(sizes.some(([u]) => u.endsWith(".js"))).toBe(true);
    expect(sizes.some(([u]) => u.endsWith(".css"))).toBe(true);
    expect(sizes.some(([u]) => u.endsWith(".woff2"))).toBe(true);
    expect(total).toBeLessThan(600_000);
    await page.close();
  });
});
