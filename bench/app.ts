/**
 * Benchmark: the investigation web app in Debian's Chromium, served in-process by `chorus serve`'s server.
 * Two figures, each the median (and the slowest) of several runs:
 *
 * - overview ready: from navigation to the case overview showing its data (`html[data-ready]` and the ranked
 *   campaigns drawn), in a fresh page each time;
 * - hover highlight: on a campaign's graph, from the pointer moving onto an account to the end of the first frame
 *   that shows its neighbours highlighted (measured inside the page: from the time stamp of the last pointer event
 *   before the highlight, to a task run once the next frame's rendering steps are done: painting and committing
 *   it, which with WebGL in software includes drawing the WebGL canvas). The pointer comes from a corner of the
 *   graph each time, through one point on the way.
 *
 *   npx tsx bench/app.ts                               # the bundled sample, analysed in a temp dir
 *   npx tsx bench/app.ts --case out/case.duckdb --campaign C1 --runs 10
 *   npx tsx bench/app.ts --web /tmp/other-build          # another build of the app, to compare two versions
 *
 * Needs a built app (`npm run build`) and /usr/bin/chromium (or CHORUS_CHROMIUM). Nothing here is a test: it
 * prints figures. A case given with --case is opened for writing (labels), as `chorus serve` does.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { ingestFile } from "../src/ingest/ingest.js";
import { analyzeCase } from "../src/report/pipeline.js";
import { startServer } from "../src/server/listen.js";
import { defaultWebDir } from "../src/server/static.js";
import { CaseStore } from "../src/store/case.js";
import { tempDir } from "../test/helpers/tmp.js";

const { values } = parseArgs({
  options: {
    case: { type: "string" },
    campaign: { type: "string", default: "C1" },
    runs: { type: "string", default: "5" },
    hovers: { type: "string", default: "20" },
    web: { type: "string" },
  },
});
const runs = Number(values.runs);
const hovers = Number(values.hovers);
const web = values.web ?? defaultWebDir();
if (!existsSync(join(web, "index.html"))) throw new Error(`bench: no built app in ${web}: run npm run build`);
const executablePath = process.env["CHORUS_CHROMIUM"] ?? "/usr/bin/chromium";

const tmp = tempDir("chorus-bench-app-");
let path = values.case;
if (!path) {
  path = tmp.path("sample.duckdb");
  const store = await CaseStore.open(path);
  await ingestFile(store, fileURLToPath(new URL("../sample/posts.jsonl", import.meta.url)));
  await analyzeCase(store, { outDir: tmp.path("out"), report: false });
  store.close();
}
const store = await CaseStore.open(path, { mustExist: true });
const server = await startServer(store, { port: 0, web });
const browser = await chromium.launch({
  executablePath,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
});

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
/** Nearest-rank percentile. */
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.ceil(p * xs.length) - 1]!;
const fmt = (xs: number[]): string =>
  `median ${median(xs).toFixed(1)} ms, p95 ${pct(xs, 0.95).toFixed(1)} ms, slowest ${Math.max(...xs).toFixed(1)} ms (n=${xs.length})`;

try {
  const ready: number[] = [];
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const t0 = performance.now();
    await page.goto(`${server.url}#/overview`);
    await page.waitForSelector("html[data-ready=true] table.campaigns tbody tr");
    ready.push(performance.now() - t0);
    await page.close();
  }

  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${server.url}#/campaign/${encodeURIComponent(values.campaign!)}`);
  await page.waitForSelector(".graph[data-drawn]");
  await page.waitForTimeout(500);
  const graph = page.locator(".graph");
  const box = (await graph.boundingBox())!;
  const keys = await page.evaluate(() =>
    [...document.querySelectorAll("table.members tbody tr th a")].map((a) =>
      decodeURIComponent((a as HTMLAnchorElement).hash.split("?")[0]!.split("/")[2]!),
    ),
  );
  const latencies: number[] = [];
  for (let i = 0; i < Math.min(hovers, keys.length); i++) {
    const key = keys[i]!;
    const at = await graph.evaluate(
      (el, k) =>
        (el as unknown as { chorusViewport(k: string): { x: number; y: number } | null }).chorusViewport(k),
      key,
    );
    if (!at) continue;
    await page.mouse.move(box.x + 2, box.y + 2);
    await page.waitForFunction(() => !document.querySelector(".graph[data-hovered]"));
    // a string, not a function: tsx would wrap a function's inner helpers in its own __name, unknown in the page
    // The start is the event's own time stamp (when the input arrived, before any queueing behind a busy main
    // thread), of the last move before the highlight: the one onto the account. The end is a message posted from
    // the next animation frame, which runs after that frame has been painted and committed.
    const measured = page.evaluate(`new Promise((resolve) => {
      const el = document.querySelector(".graph");
      let start = 0;
      const onMove = (e) => { start = e.timeStamp; };
      el.addEventListener("pointermove", onMove, { capture: true });
      const obs = new MutationObserver(() => {
        if (el.dataset.hovered !== ${JSON.stringify(key)}) return;
        obs.disconnect();
        el.removeEventListener("pointermove", onMove, { capture: true });
        const from = start;
        requestAnimationFrame(() => {
          const ch = new MessageChannel();
          ch.port1.onmessage = () => resolve(performance.now() - from);
          ch.port2.postMessage(null);
        });
      });
      obs.observe(el, { attributes: true, attributeFilter: ["data-hovered"] });
    })`) as Promise<number>;
    await page.mouse.move(box.x + at.x, box.y + at.y, { steps: 2 });
    latencies.push(await measured);
  }
  console.log(`case: ${path}`);
  console.log(`overview ready:  ${fmt(ready)}`);
  console.log(`hover highlight: ${latencies.length ? fmt(latencies) : "no account could be hovered"}`);
} finally {
  await browser.close();
  await server.close();
  store.close();
  tmp.cleanup();
}
