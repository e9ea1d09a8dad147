/**
 * Benchmark: the `chorus serve` API in-process on a case of N synthetic posts (the generator of
 * bench/analyze.ts). Each request is timed cold (the first time its route is asked, right after the server
 * started on a freshly opened case) and warm (the median of three repeats), with the server's peak RSS.
 *
 *   npx tsx bench/serve.ts --posts 1000000
 *   nice -n 10 npx tsx bench/serve.ts --posts 10000000 --only co-share,sync
 *   nice -n 10 npx tsx bench/serve.ts --case /path/to/case.duckdb
 *
 * The case is built once (ingest + analyze, in a child process so that its memory is not counted as the
 * server's) in the OS temp dir and reused by later runs with the same size, seed and detectors. `--only` names
 * the detectors to run when building (default: all). `--case FILE` times an existing case instead (analysed,
 * written to: a case of an older schema is migrated first, in a child process, and the migration's time printed
 * apart). Nothing here is a test: it prints figures.
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ingestFile } from "../src/ingest/ingest.js";
import { analyzeCase } from "../src/report/pipeline.js";
import { createApp } from "../src/server/app.js";
import { CaseStore } from "../src/store/case.js";
import { SCHEMA_VERSION } from "../src/store/schema.js";
import { defaultConfig, generatePosts, planWorld, writePostsJsonl } from "../src/synth/index.js";

const { values } = parseArgs({
  options: {
    posts: { type: "string", default: "1000000" },
    seed: { type: "string", default: "1" },
    only: { type: "string" },
    build: { type: "boolean", default: false },
    case: { type: "string" },
    migrate: { type: "boolean", default: false },
  },
});
const posts = Number(values.posts);
const seed = Number(values.seed);
if (!Number.isInteger(posts) || posts <= 0) throw new Error("bench: --posts must be a positive integer");
if (values.case !== undefined && values.build)
  throw new Error("bench: --case times an existing case; no --build");
const only = values.only ? values.only.split(",").map((s) => s.trim()) : undefined;
const dir = join(tmpdir(), "chorus-bench-serve");
mkdirSync(dir, { recursive: true });
const file = join(dir, `posts-${posts}-${seed}.jsonl`);
const tag = `${posts}-${seed}-${only ? only.join("+") : "all"}`;
const casePath = values.case ?? join(dir, `case-${tag}.duckdb`);
const built = `${casePath}.built`;
const seconds = (t: number): string => ((performance.now() - t) / 1000).toFixed(1);

if (values.migrate) {
  const t = performance.now();
  const store = await CaseStore.open(casePath, { mustExist: true });
  store.close();
  const rss = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`migrated to schema ${SCHEMA_VERSION} in ${seconds(t)} s, peak RSS ${rss} MiB`);
  process.exit(0);
}

if (values.build) {
  if (!existsSync(file)) {
    const t = performance.now();
    const cfg = defaultConfig(posts, seed);
    await writePostsJsonl(generatePosts(cfg, planWorld(cfg)), createWriteStream(file));
    console.log(`generated ${file} in ${seconds(t)} s`);
  }
  for (const f of [casePath, `${casePath}.wal`, built]) rmSync(f, { force: true });
  const store = await CaseStore.open(casePath);
  const t0 = performance.now();
  await ingestFile(store, file);
  console.log(`ingested in ${seconds(t0)} s`);
  const t1 = performance.now();
  const res = await analyzeCase(store, {
    outDir: join(dir, `out-${tag}`),
    seed: 1,
    report: false,
    ...(only ? { only } : {}),
  });
  console.log(
    `analysed in ${seconds(t1)} s: ${res.campaigns.length} campaigns; detectors ` +
      res.runs.map((r) => `${r.id} ${r.status} ${r.seconds.toFixed(1)} s`).join(", "),
  );
  store.close();
  writeFileSync(built, new Date().toISOString() + "\n");
  process.exit(0);
}

if (values.case !== undefined) {
  const probe = await CaseStore.open(casePath, { readOnly: true });
  const version = await probe.schemaVersion();
  probe.close();
  if (version < SCHEMA_VERSION) {
    console.log(`migrating ${casePath} from schema ${version} (not timed below) ...`);
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), "--migrate", "--case", casePath],
      { stdio: "inherit" },
    );
    if (child.status !== 0) throw new Error(`bench: migrating the case failed (${child.status})`);
  }
} else if (!existsSync(built)) {
  console.log(`building ${casePath} (not timed below) ...`);
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, script, "--build", "--posts", String(posts), "--seed", String(seed)].concat(
      only ? ["--only", only.join(",")] : [],
    ),
    { stdio: "inherit" },
  );
  if (child.status !== 0) throw new Error(`bench: building the case failed (${child.status})`);
}

const ORIGIN = "http://127.0.0.1:8123";
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const tStart = performance.now();
const store = await CaseStore.open(casePath, { mustExist: true });
const app = createApp(store, { host: "127.0.0.1", port: 8123 });
const opened = performance.now() - tStart;

async function get(path: string): Promise<{ ms: number; status: number; bytes: number; body: Json }> {
  const t = performance.now();
  const res = await app.request(ORIGIN + path);
  const text = await res.text();
  const ms = performance.now() - t;
  let body: Json = {};
  if ((res.headers.get("content-type") ?? "").startsWith("application/json")) body = JSON.parse(text) as Json;
  return { ms, status: res.status, bytes: text.length, body };
}

interface Row {
  name: string;
  path: string;
  cold: number;
  warm: number;
  status: number;
  bytes: number;
}
const rows: Row[] = [];

async function time(name: string, paths: string[]): Promise<Json[]> {
  let cold = 0;
  let status = 200;
  let bytes = 0;
  const bodies: Json[] = [];
  for (const p of paths) {
    const r = await get(p);
    cold += r.ms;
    status = Math.max(status, r.status);
    bytes += r.bytes;
    bodies.push(r.body);
  }
  const warms: number[] = [];
  for (let i = 0; i < 3; i++) {
    let sum = 0;
    for (const p of paths) sum += (await get(p)).ms;
    warms.push(sum);
  }
  warms.sort((x, y) => x - y);
  rows.push({ name, path: paths.join(" + "), cold, warm: warms[1]!, status, bytes });
  console.error(`  ${name}: cold ${cold.toFixed(0)} ms, warm ${warms[1]!.toFixed(0)} ms`);
  return bodies;
}

const [caseBody, list] = await time("overview", ["/api/case", "/api/campaigns"]);
const overviewReady = performance.now() - tStart;
const first = (list?.["campaigns"] as Json[] | undefined)?.[0];
const c = first ? String(first["id"]) : null;
if (c) {
  await time("campaign detail", [`/api/campaigns/${c}`]);
  const [g] = await time("campaign graph", [`/api/campaigns/${c}/graph`]);
  await time("timeline, case", ["/api/timeline"]);
  await time("timeline, campaign", [`/api/timeline?campaign=${c}`]);
  await time("heatmap, case", ["/api/heatmap"]);
  await time("heatmap, campaign", [`/api/heatmap?campaign=${c}&tz=Europe/Berlin`]);
  await time("whole-case graph", ["/api/graph"]);
  const node = (g?.["nodes"] as Json[] | undefined)?.[0];
  if (node) await time("account", [`/api/accounts/${encodeURIComponent(String(node["key"]))}`]);
  const edge = (g?.["edges"] as Json[] | undefined)?.[0];
  if (edge) {
    const [a, b] = [String(edge["a"]), String(edge["b"])].map(encodeURIComponent);
    await time("tie", [`/api/ties/${a}/${b}`]);
    await time("timeline, tie", [`/api/timeline?a=${a}&b=${b}`]);
  }
} else {
  await time("timeline, case", ["/api/timeline"]);
  await time("heatmap, case", ["/api/heatmap"]);
  await time("whole-case graph", ["/api/graph"]);
}
const rss = Math.round(process.resourceUsage().maxRSS / 1024);
store.close();

const counts = (caseBody?.["counts"] ?? {}) as Json;
console.log(
  `case ${casePath}: ${Number(counts["posts"] ?? 0).toLocaleString("en-US")} posts, ` +
    `${Number(counts["accounts"] ?? 0).toLocaleString("en-US")} accounts, ${String(counts["campaigns"])} campaigns` +
    (values.case !== undefined ? "" : only ? ` (detectors: ${only.join(", ")})` : " (all detectors)"),
);
console.log(`store opened and app created in ${opened.toFixed(0)} ms`);
console.log(`overview ready ${(overviewReady / 1000).toFixed(2)} s after opening the case`);
const pad = (s: string, n: number): string => s.padEnd(n);
const num = (v: number): string => v.toFixed(0).padStart(9);
console.log(
  `${pad("request", 20)} ${"cold ms".padStart(9)} ${"warm ms".padStart(9)}  warm/cold  status    bytes`,
);
for (const r of rows) {
  console.log(
    `${pad(r.name, 20)} ${num(r.cold)} ${num(r.warm)}  ${(r.warm / Math.max(r.cold, 1e-9)).toFixed(2).padStart(9)}` +
      `  ${String(r.status).padStart(6)} ${String(r.bytes).padStart(8)}`,
  );
}
console.log(`peak RSS (server process) ${rss} MiB`);
