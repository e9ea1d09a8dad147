/// <reference lib="dom" />
/**
 * Screenshots of the case report of the bundled sample, for the README and docs/report.md. Uses Debian's
 * Chromium (/usr/bin/chromium, or CHORUS_CHROMIUM) through playwright-core; run after `npm run build`:
 *
 *   npx tsx scripts/report-screenshots.ts            # writes docs/report-summary.png, docs/report-campaign.png
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { main } from "../src/cli/main.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "chorus-shots-"));
try {
  const code = await main(["analyze", join(root, "sample/posts.jsonl"), "-o", dir, "--no-progress"], {
    out: () => {},
    err: (l) => process.stderr.write(l + "\n"),
    setExitCode: () => {},
  });
  if (code !== 0) throw new Error(`analyze exited ${code}`);
  const browser = await chromium.launch({
    executablePath: process.env["CHORUS_CHROMIUM"] ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--no-first-run",
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1200, height: 820 }, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(join(dir, "report.html")).href);
  await page.waitForSelector("html[data-ready=true]");
  await page.screenshot({ path: join(root, "docs/report-summary.png") });
  const campaign = page.locator("section.campaign").first();
  await campaign.locator(".graph").scrollIntoViewIfNeeded();
  await page.waitForSelector("section.campaign .graph[data-drawn]");
  await page.evaluate(() => document.querySelector("section.campaign h3")?.scrollIntoView());
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(root, "docs/report-campaign.png") });
  await browser.close();
  process.stdout.write("Wrote docs/report-summary.png, docs/report-campaign.png\n");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
