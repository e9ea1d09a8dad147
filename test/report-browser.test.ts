/// <reference lib="dom" />
/**
 * The case report in a real browser (Debian's Chromium): the sample's report renders, its graphs draw, its counts
 * match findings.json, pagination, filtering and links to account cards work, and nothing is requested from the
 * network; the report of hostile profiles runs none of their scripts and shows the bidi override as a marker.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import sharp from "sharp";
import type { Browser } from "playwright-core";
import { HAVE_CHROMIUM, launch, watchedPage, type Watched } from "./helpers/browser.js";
import { runCli } from "./helpers/cli.js";
import { hostileWorld } from "./helpers/hostile-world.js";
import { writeJsonl } from "./helpers/posts.js";
import { tempDir } from "./helpers/tmp.js";

const SAMPLE = fileURLToPath(new URL("../sample/posts.jsonl", import.meta.url));

interface Doc {
  campaigns: Array<{ id: string; accounts: unknown[] }>;
  accounts: Array<{ handle: string | null }>;
}

describe.skipIf(!HAVE_CHROMIUM)("the case report in Chromium", () => {
  let tmp: ReturnType<typeof tempDir>;
  let browser: Browser;
  let doc: Doc;

  beforeAll(async () => {
    tmp = tempDir();
    const a = await runCli(["analyze", SAMPLE, "-o", tmp.path("sample"), "--no-progress"]);
    expect(a.code, a.err).toBe(0);
    doc = JSON.parse(readFileSync(tmp.path("sample/findings.json"), "utf8")) as Doc;
    writeJsonl(tmp.path("hostile.jsonl"), hostileWorld().posts);
    const h = await runCli([
      "analyze",
      tmp.path("hostile.jsonl"),
      "-o",
      tmp.path("hostile"),
      "--no-progress",
    ]);
    expect(h.code, h.err).toBe(0);
    browser = await launch();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    tmp?.cleanup();
  });

  async function open(dir: string): Promise<Watched> {
    const w = await watchedPage(browser);
    await w.page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) =>
        console.error(`CSP refused ${e.violatedDirective}: ${e.blockedURI}`),
      );
    });
    await w.page.goto(pathToFileURL(tmp.path(`${dir}/report.html`)).href);
    await w.page.waitForSelector("html[data-ready=true]");
    return w;
  }

  it("renders every section with the counts of findings.json, without errors or requests", async () => {
    const w = await open("sample");
    const { page } = w;
    for (const id of ["summary", "campaigns", "accounts", "methodology", "provenance"]) {
      await expect(page.locator(`#${id}`).isVisible()).resolves.toBe(true);
    }
    expect(await page.locator("section.campaign").count()).toBe(doc.campaigns.length);
    expect(await page.locator("#summary table.campaign-list tbody tr").count()).toBe(doc.campaigns.length);
    expect(await page.locator("article.card").count()).toBe(doc.accounts.length);
    // 30 cards a page
    const pager = page.locator("#accounts .pager span");
    await expect(pager.textContent()).resolves.toBe(`Showing 1–30 of ${doc.accounts.length}`);
    expect(await page.locator("article.card:visible").count()).toBe(Math.min(30, doc.accounts.length));
    await page.locator("#accounts .pager button", { hasText: "Next" }).click();
    await expect(pager.textContent()).resolves.toBe(
      `Showing 31–${Math.min(60, doc.accounts.length)} of ${doc.accounts.length}`,
    );
    expect(w.errors).toEqual([]);
    expect(w.requests).toEqual([]);
    await page.close();
  });

  it("prints every row and card the pages hold, and the screen's pages come back after", async () => {
    const w = await open("sample");
    const { page } = w;
    const rows = page.locator("table.evidence tbody tr");
    const total = await rows.count();
    expect(await page.locator("table.evidence tbody tr:visible").count()).toBeLessThan(total);
    // a PDF made without print events (a headless browser's) takes the print styles alone
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("table.evidence tbody tr:visible").count()).toBe(total);
    expect(await page.locator("article.card:visible").count()).toBe(doc.accounts.length);
    await page.emulateMedia({ media: "screen" });
    // a print from the browser's menu: its events open the folded lists, and close them after
    const folded = await page.locator("details:not([open])").count();
    await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
    expect(await page.locator("details:not([open])").count()).toBe(0);
    await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
    expect(await page.locator("details:not([open])").count()).toBe(folded);
    expect(await page.locator("article.card:visible").count()).toBe(Math.min(30, doc.accounts.length));
    expect(w.errors).toEqual([]);
    await page.close();
  });

  it("draws each campaign's graph with all its members when it scrolls into view", async () => {
    const w = await open("sample");
    const { page } = w;
    const everyone = { id: "all-campaigns", accounts: doc.campaigns.flatMap((c) => c.accounts) };
    for (const c of [everyone, ...doc.campaigns]) {
      const graph = page.locator(`.graph[data-graph="${c.id}"]`);
      await graph.scrollIntoViewIfNeeded();
      await page.waitForSelector(`.graph[data-graph="${c.id}"][data-drawn]`);
      expect(Number(await graph.getAttribute("data-drawn"))).toBe(c.accounts.length);
      expect(await graph.locator("canvas").count()).toBeGreaterThan(0);
      await page.waitForTimeout(300);
      // the canvas is not blank: the picture has contrast (nodes and edges on the light background)
      const stats = await sharp(await graph.screenshot()).stats();
      const spread = Math.max(...stats.channels.slice(0, 3).map((ch) => ch.stdev));
      expect(spread, `graph of ${c.id}`).toBeGreaterThan(8);
    }
    expect(w.errors).toEqual([]);
    await page.close();
  });

  it("follows a link from the evidence table to an account card on another page", async () => {
    const w = await open("sample");
    const { page } = w;
    // the last card is on the last page, hidden until a link asks for it
    const last = page.locator("article.card").last();
    const id = await last.getAttribute("id");
    expect(await last.isVisible()).toBe(false);
    await page.evaluate((target) => {
      location.hash = target;
    }, id!);
    await expect(last.isVisible()).resolves.toBe(true);
    // the filter narrows the cards to the matching handle
    const handle = doc.accounts.find((a) => a.handle)!.handle!;
    await page.locator('input[data-filter="account-cards"]').fill(handle);
    const visible = await page.locator("article.card:visible").count();
    expect(visible).toBeGreaterThanOrEqual(1);
    expect(visible).toBeLessThan(doc.accounts.length);
    // a link to a card the filter hides clears the filter and shows the card
    const hidden = page.locator('article.card[data-filtered="out"]').first();
    const hiddenId = (await hidden.getAttribute("id"))!;
    await page.evaluate((target) => {
      location.hash = target;
    }, hiddenId);
    await expect(page.locator(`[id="${hiddenId}"]`).isVisible()).resolves.toBe(true);
    await expect(page.locator('input[data-filter="account-cards"]').inputValue()).resolves.toBe("");
    // a Persian name is found as an Arabic keyboard types it (ي for ی)
    const word = await page.evaluate(() => {
      const card = [...document.querySelectorAll<HTMLElement>("article.card")].find((c) =>
        /[\u0600-\u06ff]*ی[\u0600-\u06ff]*/.test(c.dataset["search"] ?? ""),
      )!;
      return /[\u0600-\u06ff]*ی[\u0600-\u06ff]*/.exec(card.dataset["search"]!)![0];
    });
    await page.locator('input[data-filter="account-cards"]').fill(word.replaceAll("ی", "ي"));
    const found = await page.locator("article.card:visible").allTextContents();
    expect(found.length).toBeGreaterThanOrEqual(1);
    expect(found.some((t) => t.includes(word))).toBe(true);
    expect(w.errors).toEqual([]);
    await page.close();
  });

  it("runs none of the hostile profiles' scripts and shows their bidi override as a marker", async () => {
    const w = await open("hostile");
    const { page } = w;
    // visit every graph, page through every table: nothing hostile may run on the way
    for (const g of await page.locator(".graph[data-graph]").all()) {
      await g.scrollIntoViewIfNeeded();
      await g.hover();
    }
    for (const next of await page.locator(".pager button", { hasText: "Next" }).all()) {
      if (await next.isEnabled()) await next.click();
    }
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(w.dialogs).toEqual([]);
    expect(w.requests).toEqual([]);
    expect(w.errors).toEqual([]);
    expect(await page.locator("img, iframe, svg[onload], object, embed").count()).toBe(0);
    const markers = await page.locator("mark.hidden-char").allTextContents();
    expect(markers).toContain("[U+202E]");
    // the huge bio is cut, and the cut is said
    await expect(page.locator(".cut").first().textContent()).resolves.toMatch(/more characters/);
    await expectNoSidewaysScroll(page);
    await page.close();
  });

  it("fits the page's width with every table and heat map open", async () => {
    const w = await open("sample");
    await expectNoSidewaysScroll(w.page);
    expect(w.errors).toEqual([]);
    await w.page.close();
  });

  /** With every <details> open, nothing runs past the window's width (a long handle, the heat map's table). */
  async function expectNoSidewaysScroll(page: Watched["page"]): Promise<void> {
    await page.evaluate(() => {
      for (const d of document.querySelectorAll("details")) d.open = true;
    });
    const { scroll, width } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      width: window.innerWidth,
    }));
    expect(scroll).toBeLessThanOrEqual(width);
  }
});
