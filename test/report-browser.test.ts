/// <reference lib="dom" />
/**
 * The case report in a real browser (Debian's Chromium): the sample's report renders, its graphs draw, its counts
 * match findings.json, pagination, filtering and links to account cards work, and nothing is requested from the
 * network; the report of hostile profiles runs none of their scripts and shows the bidi override as a marker; the
 * report of a Bluesky case in Persian stays English and left to right while each post, object and quote in it takes
 * its own direction (right-aligned, its punctuation on its own side), and shows handles that are domains as
 * written and never as links.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import sharp from "sharp";
import type { Browser } from "playwright-core";
import { HAVE_CHROMIUM, launch, watchedPage, type Watched } from "./helpers/browser.js";
import { runCli } from "./helpers/cli.js";
import { blueskyWorld, DOMAIN_HANDLE, PERSIAN_POSTS, UNIT_HANDLE } from "./helpers/bluesky-world.js";
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
    writeJsonl(tmp.path("bluesky.jsonl"), blueskyWorld().posts);
    const b = await runCli([
      "analyze",
      tmp.path("bluesky.jsonl"),
      "-o",
      tmp.path("bluesky"),
      "--no-progress",
    ]);
    expect(b.code, b.err).toBe(0);
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

  it("sets each Persian post, object and quote in its own direction, in a report that stays English and left to right", async () => {
    const w = await open("bluesky");
    const { page } = w;
    // the report itself: English, left to right, its headings and column heads too
    expect([
      await page.locator("html").getAttribute("lang"),
      await page.locator("html").getAttribute("dir"),
    ]).toEqual(["en", "ltr"]);
    const own = await page
      .locator("main h2, main h3, main th, section.campaign > p")
      .evaluateAll((els) => [...new Set(els.map((el) => getComputedStyle(el).direction))]);
    expect(own).toEqual(["ltr"]);
    await page.evaluate(() => {
      for (const d of document.querySelectorAll("details")) d.open = true;
    });
    const shown = await page.evaluate(() => {
      const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;
      const LTR = /[A-Za-z\u00c0-\u024f]/;
      /** The direction `dir="auto"` gives an element: its first strong letter's, skipping isolated children. */
      const expected = (el: Element): string | null => {
        const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, {
          acceptNode: (n) =>
            n.parentElement!.closest("bdi, [dir]") !== el
              ? NodeFilter.FILTER_REJECT
              : NodeFilter.FILTER_ACCEPT,
        });
        for (let n = walk.nextNode(); n; n = walk.nextNode())
          for (const ch of n.textContent!) {
            if (RTL.test(ch)) return "rtl";
            if (LTR.test(ch)) return "ltr";
          }
        return null;
      };
      /** Where a Persian sentence's closing punctuation stands: on the left of its last letter, as it should. */
      const punctuation = (el: Element): string | null => {
        const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode()) {
          const m = /[\u0600-\u06ff]([!?.\u061f])/.exec(n.textContent!);
          if (!m) continue;
          const at = (i: number) => {
            const r = document.createRange();
            r.setStart(n, i);
            r.setEnd(n, i + 1);
            return r.getBoundingClientRect();
          };
          const letter = at(m.index);
          const mark = at(m.index + 1);
          return mark.right <= letter.left + 1 ? "left of its last letter" : "right of its last letter";
        }
        return null;
      };
      return [...document.querySelectorAll("main [dir=auto]")].flatMap((el) => {
        const want = expected(el);
        if (want === null || !(el as HTMLElement).offsetParent) return [];
        const style = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        const range = document.createRange();
        range.selectNodeContents(el);
        const text = range.getBoundingClientRect();
        const inline = style.display === "inline";
        // a block or a cell holds its text against its own start: the right for right to left
        const aligned = inline
          ? null
          : want === "rtl"
            ? Math.abs(
                box.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth) - text.right,
              ) < 2
            : Math.abs(
                text.left - box.left - parseFloat(style.paddingLeft) - parseFloat(style.borderLeftWidth),
              ) < 2;
        return [
          {
            where:
              el.tagName === "TD"
                ? `td.${el.className}`
                : `${el.tagName.toLowerCase()}${el.className ? `.${el.className}` : ""}`,
            table: el.closest("table")?.className ?? "",
            summary: el.closest("section.campaign > p") !== null,
            inline,
            text: el.textContent!.trim(),
            want,
            dir: style.direction,
            aligned,
            punctuation: want === "rtl" ? punctuation(el) : null,
          },
        ];
      });
    });
    // every piece of user text is in the direction of its own first letters, and a block or a cell is aligned to it
    for (const s of shown) {
      expect([s.text, s.dir], s.where).toEqual([s.text, s.want]);
      if (!s.inline) expect([s.text, s.aligned], s.where).toEqual([s.text, true]);
      if (s.punctuation !== null)
        expect([s.text, s.punctuation]).toEqual([s.text, "left of its last letter"]);
    }
    const rtl = shown.filter((s) => s.dir === "rtl");
    // the evidence rows name Persian hashtags in cells of their own, right to left and right-aligned
    expect(rtl.some((s) => s.table === "evidence" && s.where === "td.obj" && !s.inline)).toBe(true);
    // the most shared objects quote every Persian post as a block of its own, its punctuation on its left
    for (const post of PERSIAN_POSTS) {
      const block = rtl.find((s) => s.where === "div.post-text" && s.text === post);
      expect(block, post).toBeDefined();
      expect(block!.punctuation, post).toBe("left of its last letter");
    }
    // the campaigns' summaries are English sentences, and the posts they quote are isolated in their own direction
    const quoted = rtl.filter(
      (s) => s.summary && PERSIAN_POSTS.some((p) => s.text.startsWith(p.slice(0, 10))),
    );
    expect(quoted.length).toBeGreaterThan(0);
    for (const q of quoted) expect(q.punctuation, q.text).toBe("left of its last letter");
    expect(w.errors).toEqual([]);
    expect(w.requests).toEqual([]);
    await page.close();
  });

  it("shows handles that are domains (Bluesky) as written, and no handle or text of the case as a link", async () => {
    const w = await open("bluesky");
    const { page } = w;
    // what a reader sees, every page of every list (the page's data and script left out)
    const text = (await page.locator("main").textContent()) ?? "";
    for (const handle of [DOMAIN_HANDLE, UNIT_HANDLE]) {
      // an identity, the evidence of who posted: not defanged
      expect(text).toContain(`@${handle}`);
      expect(text).not.toContain(handle.replace(/\./g, "[.]"));
    }
    // every link leads inside the report; an element that shows a handle is a link to its card, or no link at all
    const hrefs = await page.locator("a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
    expect(hrefs.length).toBeGreaterThan(0);
    expect(hrefs.filter((h) => !h.startsWith("#"))).toEqual([]);
    const around = await page.evaluate((handle) => {
      const out: Array<string | null> = [];
      const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode())
        if (n.textContent!.includes(handle))
          out.push(n.parentElement!.closest("a")?.getAttribute("href") ?? null);
      return out;
    }, DOMAIN_HANDLE);
    expect(around.length).toBeGreaterThan(1);
    for (const href of around) expect(href === null || href.startsWith("#acct-"), String(href)).toBe(true);
    // following the handle's link opens its card in the report
    const link = page.locator("section.campaign a", { hasText: `@${DOMAIN_HANDLE}` }).first();
    await link.click();
    const card = page.locator("article.card:target");
    await expect(card.locator("h3").textContent()).resolves.toContain(`@${DOMAIN_HANDLE}`);
    expect(w.requests).toEqual([]);
    expect(w.errors).toEqual([]);
    await page.close();
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
