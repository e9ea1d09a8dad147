/**
 * End-to-end benchmark: `chorus analyze` on N synthetic posts (native JSONL, with planted campaigns and organic
 * traps), timed by phase, with peak memory. The data is generated first and not timed.
 *
 *   npx tsx bench/analyze.ts --posts 1000000
 *   npx tsx bench/analyze.ts --posts 10000000      # the scale target (under 60 s, under 4 GiB)
 *   npx tsx bench/analyze.ts --posts 3000000 --log # and each detector's phases, with time and memory (the
 *                                                  # process's memory then, its peak so far, the JS heap, the
 *                                                  # typed arrays outside it; the rest is mostly DuckDB's), and
 *                                                  # the cores busy since the line before
 *
 * The benchmark runs itself in a second process started as the `chorus` command starts `chorus analyze`
 * (src/cli/heap.ts): half the machine's memory as heap, unless set already. To compare with transparent huge pages
 * for malloc: GLIBC_TUNABLES=glibc.malloc.hugetlb=1 npx tsx bench/analyze.ts ...
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { getHeapStatistics } from "node:v8";
import { currentSituation, relaunchPlan, relaunchSettings } from "../src/cli/heap.js";
import { ingestFile } from "../src/ingest/ingest.js";
import { analyzeCase } from "../src/report/pipeline.js";
import { CaseStore } from "../src/store/case.js";
import { defaultConfig, generatePosts, planWorld, writePostsJsonl } from "../src/synth/index.js";

const RELAUNCHED = "CHORUS_BENCH_RELAUNCHED";
const plan = relaunchPlan(currentSituation(["analyze"], process.env[RELAUNCHED] === "1"));
if (plan !== null) {
  const flags = relaunchSettings(plan);
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, ...flags, process.argv[1]!, ...process.argv.slice(2)],
    {
      stdio: "inherit",
      env: { ...process.env, [RELAUNCHED]: "1" },
    },
  );
  process.exit(r.status ?? 1);
}
console.log(
  `heap ${Math.round(getHeapStatistics().heap_size_limit / 2 ** 20)} MiB, ` +
    `GLIBC_TUNABLES=${process.env["GLIBC_TUNABLES"] ?? "(unset)"}`,
);

const { values } = parseArgs({
  options: {
    posts: { type: "string", default: "1000000" },
    seed: { type: "string", default: "1" },
    log: { type: "boolean", default: false },
  },
});
const posts = Number(values.posts);
const seed = Number(values.seed);
const dir = join(tmpdir(), "chorus-bench-analyze");
mkdirSync(dir, { recursive: true });
const file = join(dir, `posts-${posts}-${seed}.jsonl`);
if (!existsSync(file)) {
  const t = performance.now();
  const cfg = defaultConfig(posts, seed);
  await writePostsJsonl(generatePosts(cfg, planWorld(cfg)), createWriteStream(file));
  console.log(`generated ${file} in ${((performance.now() - t) / 1000).toFixed(1)} s (not timed below)`);
}
const casePath = join(dir, "case.duckdb");
rmSync(casePath, { force: true });
rmSync(casePath + ".wal", { force: true });
const store = await CaseStore.open(casePath);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const ing = await ingestFile(store, file);
const t1 = performance.now();
const mib = (bytes: number): number => Math.round(bytes / 2 ** 20);
// the cores busy since the line before (the process's CPU time, every thread's, over the wall time): a phase near
// 1.0 ran on one core of the two
let lastWall = t0;
let lastCpu = cpu0;
const cores = (): string => {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const used = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000 / Math.max(1, wall - lastWall);
  lastWall = wall;
  lastCpu = cpu;
  return `cores ${used.toFixed(2)}`;
};
const stamp = (): string => {
  const m = process.memoryUsage();
  return (
    `${((performance.now() - t0) / 1000).toFixed(1).padStart(7)} s  ${cores()}  ` +
    `rss ${mib(m.rss)} MiB  peak ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB  ` +
    `heap ${mib(m.heapUsed)} MiB  arrays ${mib(m.arrayBuffers)} MiB`
  );
};
const log = {
  info: (m: string) => console.error(`${stamp()}  ${m}`),
  warn: (m: string) => console.error(`${stamp()}  warning: ${m}`),
};
if (values.log) log.info(`ingested ${ing.postsStored} posts`);
const res = await analyzeCase(store, { outDir: join(dir, "out"), seed: 1, ...(values.log ? { log } : {}) });
const t2 = performance.now();
store.close();
const cs = res.runs.find((r) => r.id === "co-share");
console.log(`posts stored        ${ing.postsStored.toLocaleString("en-US")}`);
console.log(
  `ingest              ${((t1 - t0) / 1000).toFixed(1)} s  (${Math.round(ing.postsStored / ((t1 - t0) / 1000)).toLocaleString("en-US")} posts/s)`,
);
console.log(`detect + campaigns  ${((t2 - t1) / 1000).toFixed(1)} s  (co-share ${cs?.seconds.toFixed(1)} s)`);
for (const r of [...res.runs].sort((a, b) => b.seconds - a.seconds)) {
  console.log(`  ${r.id.padEnd(18)}${r.seconds.toFixed(1).padStart(6)} s  ${r.status}`);
}
const detectSec = res.runs.reduce((a, r) => a + r.seconds, 0);
console.log(`  (campaigns, findings, report: ${((t2 - t1) / 1000 - detectSec).toFixed(1)} s)`);
console.log(`total               ${((t2 - t0) / 1000).toFixed(1)} s`);
console.log(
  `campaigns           ${res.campaigns.length}, ruled out ${res.ruledOut.filter((r) => r.accounts >= 3).length}`,
);
console.log(`peak RSS            ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
// the planted truth, planned again from the seed after everything above was measured: flagged = members of a
// reported campaign, planted = members of a planted one (as `npm run eval` counts them); a unit is found when
// half its members or more are in one campaign
const cfg = defaultConfig(posts, seed);
const world = planWorld(cfg);
const plantedOf = new Map<string, number>();
for (const a of world.accounts) if (a.campaign >= 0) plantedOf.set(`${cfg.platform}:${a.id}`, a.campaign);
const flagged = new Set(res.campaigns.flatMap((c) => c.members.map((m) => m.key)));
const hits = [...flagged].filter((k) => plantedOf.has(k)).length;
const found = cfg.campaigns.filter((_unit, u) => {
  const size = [...plantedOf.values()].filter((x) => x === u).length;
  return res.campaigns.some((c) => c.members.filter((m) => plantedOf.get(m.key) === u).length * 2 >= size);
}).length;
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
console.log(
  `planted             ${found} of ${cfg.campaigns.length} units found; precision ${pct(hits / Math.max(1, flagged.size))}, ` +
    `recall ${pct(hits / Math.max(1, plantedOf.size))} over accounts (${flagged.size} flagged, ${plantedOf.size} planted)`,
);
