/**
 * Debian's Chromium, driven by playwright-core, for the browser tests. Never a downloaded browser: the path is
 * /usr/bin/chromium (or CHORUS_CHROMIUM). Without it the tests are skipped on a developer's machine and fail
 * in CI, where `.ci/run` installs it.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = process.env["CHORUS_CHROMIUM"] ?? "/usr/bin/chromium";
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

if (!HAVE_CHROMIUM && process.env["CI"]) {
  throw new Error(`browser tests: no Chromium at ${CHROMIUM} (CI must install Debian's chromium package)`);
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

export interface Watched {
  page: Page;
  /** Console errors, page errors and CSP refusals. */
  errors: string[];
  /** Requests for anything but the file itself and in-page data. */
  requests: string[];
  dialogs: string[];
}

/** A new page that records errors, requests and dialogs (dialogs are dismissed). */
export async function watchedPage(browser: Browser): Promise<Watched> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const w: Watched = { page, errors: [], requests: [], dialogs: [] };
  page.on("console", (m) => {
    if (m.type() === "error") w.errors.push(m.text());
  });
  page.on("pageerror", (e) => w.errors.push(`pageerror: ${e.message}`));
  page.on("request", (r) => {
    if (!/^(file|data|blob):/.test(r.url())) w.requests.push(r.url());
  });
  page.on("dialog", (d) => {
    w.dialogs.push(d.message());
    void d.dismiss();
  });
  return w;
}
