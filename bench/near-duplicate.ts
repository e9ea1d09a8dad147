/**
 * Benchmark: the near-duplicate detector on a case of synthetic posts with planted copypasta, against exact-text
 * grouping in DuckDB SQL (the reference for the verbatim case) on the same case.
 *
 *   npx tsx bench/near-duplicate.ts                      # 1M posts
 *   npx tsx bench/near-duplicate.ts --posts 10000000     # 10M
 *   npx tsx bench/near-duplicate.ts --posts 1000000 --copypasta 0.1 --seed 2 --keep
 *
 * The generator is seeded and deterministic. Posts are half English, half Persian, made of pseudo-words drawn
 * from Zipf-distributed vocabularies (so different posts share common words, as posts on one topic do); Persian
 * words carry ZWNJ affixes. 3% of ordinary posts are stock phrases (300 of them, verbatim: legitimate exact
 * duplicates), 15% are reposts (kind `repost`, which the detector skips by default), some carry a link, a
 * hashtag or an emoji. A share `--copypasta` (default 5%) of posts are planted copies: templates of 18-35 words,
 * 10 to 300 copies each (log-uniform), posted by the campaign's own 40 accounts, each copy with 0-3 random edits
 * (emoji inserted, word dropped, neighbours swapped, word inserted, ZWNJ dropped or spaced, Arabic letter forms).
 *
 * Steps, each in a child process of its own so that its peak memory (max RSS) is its own:
 * 1. generate a TSV and load it into a fresh case (not timed as part of the detector);
 * 2. run the detector through `runDetectors` (sketching, LSH, clusters, evidence, and storing the text objects);
 * 3. the reference: `GROUP BY lower(text)` in DuckDB, groups of two or more accounts.
 * Both are scored against the planted truth: recall = share of planted copies that landed in the cluster holding
 * most of their template's copies; precision = over clusters holding planted copies, the share of their posts
 * from the cluster's main template; stray = ordinary one-off posts that ended in any cluster (false joins).
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { seededRng } from "../src/detectors/detector.js";
import { runDetectors } from "../src/detectors/run.js";
import { CaseStore } from "../src/store/case.js";

const { values } = parseArgs({
  options: {
    posts: { type: "string", default: "1000000" },
    copypasta: { type: "string", default: "0.05" },
    seed: { type: "string", default: "1" },
    dir: { type: "string" },
    step: { type: "string" },
    keep: { type: "boolean", default: false },
  },
});

const ZWNJ = "\u200c";
const EMOJI = ["🔥", "😡", "🙏", "‼️", "👇", "💔", "😂", "👏"];
/** Syllables: every consonant with every vowel (and some with a coda), so shingles are as varied as in a language. */
const syllables = (consonants: string, vowels: string[], codas: string): string[] =>
  [...consonants].flatMap((c) => vowels.flatMap((v) => [c + v, ...[...codas].map((k) => c + v + k)]));
const EN_SYL = syllables("bcdfghjklmnprstvwz", ["a", "e", "i", "o", "u", "ou", "ea"], "nrst");
const FA_SYL = syllables("بپتجچخدرزسشفقکگلمنوهی", ["ا", "و", "ی", ""], "نرد");

/** Truth per post: template id (>= 0), stock phrase (STOCK + id), one-off (-1), repost (-2). */
const STOCK = 1_000_000;

function vocabulary(syl: string[], n: number, rng: () => number, persian: boolean): string[] {
  const words = new Set<string>();
  while (words.size < n) {
    let w = "";
    const len = 2 + Math.floor(rng() * 3);
    for (let i = 0; i < len; i++) w += syl[Math.floor(rng() * syl.length)];
    if (persian && rng() < 0.15) w = rng() < 0.5 ? `می${ZWNJ}${w}` : `${w}${ZWNJ}ها`;
    words.add(w);
  }
  // the most frequent words are the shortest (Zipf's law of abbreviation), as in real languages
  return [...words].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
}

function zipfCdf(n: number, s: number): Float64Array {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / Math.pow(i + 1, s);
  for (let i = 0; i < n; i++) cdf[i]! /= sum;
  return cdf;
}

function draw(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function editOnce(words: string[], vocab: string[], rng: () => number): void {
  const at = Math.floor(rng() * words.length);
  switch (Math.floor(rng() * 6)) {
    case 0:
      words.splice(at, 0, EMOJI[Math.floor(rng() * EMOJI.length)]!);
      break;
    case 1:
      if (words.length > 8) words.splice(at, 1);
      break;
    case 2:
      if (at + 1 < words.length) [words[at], words[at + 1]] = [words[at + 1]!, words[at]!];
      break;
    case 3:
      words.splice(at, 0, vocab[Math.floor(rng() * 50)]!);
      break;
    case 4:
      words[at] = words[at]!.replace(ZWNJ, rng() < 0.5 ? "" : " ");
      break;
    default:
      words[at] = words[at]!.replaceAll("ی", "ي").replaceAll("ک", "ك") + (rng() < 0.5 ? "!" : ",");
  }
}

interface Generated {
  posts: number;
  truth: Int32Array;
  copies: number;
  templates: number;
}

async function generate(file: string, n: number, share: number, seed: number): Promise<Generated> {
  const rng = seededRng(seed);
  const vocab = { en: vocabulary(EN_SYL, 8000, rng, false), fa: vocabulary(FA_SYL, 8000, rng, true) };
  const cdf = zipfCdf(8000, 1.05);
  const sentence = (lang: "en" | "fa", len: number): string[] =>
    Array.from({ length: len }, () => vocab[lang][draw(cdf, rng())]!);
  const stock = Array.from({ length: 300 }, (_, k) =>
    sentence(k % 2 ? "fa" : "en", 6 + Math.floor(rng() * 5)).join(" "),
  );
  const truth = new Int32Array(n);
  const out = createWriteStream(file);
  const write = async (line: string): Promise<void> => {
    if (!out.write(line)) await new Promise<void>((r) => out.once("drain", () => r()));
  };
  const t0 = Date.UTC(2024, 0, 1);
  const span = 30 * 86_400_000;
  // plan the copypasta: templates with their number of copies, until the share is filled
  const plan: Array<{ lang: "en" | "fa"; words: string[]; copies: number; start: number; campaign: number }> =
    [];
  let planned = 0;
  while (planned < n * share) {
    const copies = Math.min(
      Math.round(Math.exp(Math.log(10) + rng() * Math.log(30))),
      n * share - planned + 1,
    );
    const lang = rng() < 0.5 ? "en" : "fa";
    plan.push({
      lang,
      words: sentence(lang, 18 + Math.floor(rng() * 18)),
      copies: Math.max(2, copies),
      start: t0 + Math.floor(rng() * span),
      campaign: Math.floor(rng() * 1000),
    });
    planned += Math.max(2, copies);
  }
  // copies are scattered over the post ids; every other post is ordinary
  const isCopy = new Int32Array(n).fill(-1);
  let at = 0;
  plan.forEach((p, k) => {
    for (let c = 0; c < p.copies && at < n; c++) isCopy[at++] = k;
  });
  for (let i = at - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    if (j < n) [isCopy[i], isCopy[j]] = [isCopy[j]!, isCopy[i]!];
  }
  for (let i = n - 1; i > 0 && at < n; i--) {
    const j = Math.floor(rng() * (i + 1));
    [isCopy[i], isCopy[j]] = [isCopy[j]!, isCopy[i]!];
  }
  const accounts = Math.max(100, Math.floor(n / 20));
  let copies = 0;
  for (let i = 0; i < n; i++) {
    const k = isCopy[i]!;
    let text: string;
    let kind = "post";
    let account: string;
    let ts: number;
    if (k >= 0) {
      const p = plan[k]!;
      const words = [...p.words];
      const edits = Math.floor(rng() * 4);
      for (let e = 0; e < edits; e++) editOnce(words, vocab[p.lang], rng);
      text = words.join(" ");
      account = `c${p.campaign}_${Math.floor(rng() * 40)}`;
      ts = p.start + Math.floor(rng() * 6 * 3_600_000);
      truth[i] = k;
      copies++;
    } else {
      account = `u${Math.floor(Math.pow(rng(), 2) * accounts)}`;
      ts = t0 + Math.floor(rng() * span);
      const lang = rng() < 0.5 ? "en" : "fa";
      const r = rng();
      if (r < 0.15) {
        kind = "repost";
        text = `RT @someone: ${sentence(lang, 12).join(" ")}`;
        truth[i] = -2;
      } else if (r < 0.18) {
        const s = Math.floor(rng() * stock.length);
        text = stock[s]!;
        truth[i] = STOCK + s;
      } else {
        text = sentence(lang, 8 + Math.floor(rng() * 18)).join(" ");
        truth[i] = -1;
      }
      const extra = rng();
      if (extra < 0.1) text += ` https://news${Math.floor(rng() * 500)}.example/a/${i}`;
      else if (extra < 0.2) text += ` #tag${Math.floor(rng() * 200)}`;
      else if (extra < 0.3) text += ` ${EMOJI[Math.floor(rng() * EMOJI.length)]}`;
    }
    await write(`p${i}\t${account}\t${new Date(ts).toISOString()}\t${kind}\t${text}\n`);
  }
  await new Promise<void>((r) => out.end(() => r()));
  return { posts: n, truth, copies, templates: plan.length };
}

async function load(file: string, dbPath: string): Promise<void> {
  rmSync(dbPath, { force: true });
  rmSync(dbPath + ".wal", { force: true });
  const store = await CaseStore.open(dbPath);
  await store.conn.run(`INSERT INTO posts
    SELECT 'twitter', post_id, account_id, ts::TIMESTAMPTZ, text, NULL, kind, NULL, NULL, NULL, 1, row_number() OVER ()
      FROM read_csv('${file}', delim = '\t', quote = '', escape = '', header = false,
                    columns = {'post_id': 'VARCHAR', 'account_id': 'VARCHAR', 'ts': 'VARCHAR', 'kind': 'VARCHAR',
                               'text': 'VARCHAR'})`);
  store.close();
}

interface StepResult {
  seconds: number;
  /** CPU time of the whole process (JavaScript and DuckDB's threads): less inflated than wall time on a busy machine. */
  cpuSeconds: number;
  rssMiB: number;
  /** Cluster of each post (-1 = none), as post index -> cluster number, written to a file by the step. */
  clusters: number;
  postsInClusters: number;
  counts?: Record<string, number>;
  assignment: string;
}

/** Runs in a child process: the detector, or the SQL reference. Writes the post -> cluster assignment to a file. */
async function runStep(step: string, dir: string): Promise<void> {
  const store = await CaseStore.open(join(dir, "case.duckdb"));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const assignment = new Int32Array(Number(values.posts)).fill(-1);
  let clusters = 0;
  let counts: Record<string, number> | undefined;
  if (step === "detector") {
    const { runs } = await runDetectors(store, { only: ["near-duplicate"], seed: 1 });
    const r = runs[0]!;
    if (r.status !== "ok") throw new Error(`near-duplicate: ${r.status}: ${r.message}`);
    counts = r.result.counts;
    const d = r.result.derivedObjects;
    if (d) {
      clusters = d.values.length;
      d.postId.forEach((id, i) => (assignment[Number(id.slice(1))] = d.value[i]!));
    }
  } else {
    const rows = await store.all<{ id: string; g: number }>(
      `WITH g AS (SELECT lower(text) AS t, dense_rank() OVER (ORDER BY lower(text)) AS g FROM posts
                   WHERE kind <> 'repost' GROUP BY lower(text) HAVING count(DISTINCT account_id) >= 2)
       SELECT p.post_id AS id, g.g::INTEGER AS g FROM posts p JOIN g ON lower(p.text) = g.t WHERE p.kind <> 'repost'`,
    );
    for (const r of rows) assignment[Number(r.id.slice(1))] = r.g;
    clusters = new Set(rows.map((r) => r.g)).size;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  const file = join(dir, `${step}.assignment`);
  const { writeFileSync } = await import("node:fs");
  writeFileSync(file, Buffer.from(assignment.buffer));
  let postsInClusters = 0;
  for (const c of assignment) if (c >= 0) postsInClusters++;
  store.close();
  const result: StepResult = {
    seconds,
    cpuSeconds,
    rssMiB,
    clusters,
    postsInClusters,
    assignment: file,
    ...(counts ? { counts } : {}),
  };
  process.stdout.write(JSON.stringify(result) + "\n");
}

function spawnStep(step: string, dir: string): StepResult {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", self, "--step", step, "--dir", dir, "--posts", String(values.posts)],
    { encoding: "utf8", maxBuffer: 1 << 24, stdio: ["ignore", "pipe", "inherit"] },
  );
  if (r.status !== 0) throw new Error(`${step} failed (exit ${r.status})`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as StepResult;
}

interface Score {
  recall: number;
  precision: number;
  stray: number;
  stockRecall: number;
}

function score(truth: Int32Array, assignment: Int32Array, templates: number): Score {
  // per template: copies, and copies per cluster (the best cluster is the template's)
  const perTemplate = new Map<number, Map<number, number>>();
  const copies = new Int32Array(templates);
  const clusterMain = new Map<number, Map<number, number>>();
  const clusterSize = new Map<number, number>();
  let stray = 0;
  let stockTotal = 0;
  let stockIn = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!;
    const c = assignment[i]!;
    if (c >= 0) clusterSize.set(c, (clusterSize.get(c) ?? 0) + 1);
    if (t >= 0 && t < STOCK) {
      copies[t]!++;
      if (c < 0) continue;
      const m = perTemplate.get(t) ?? new Map<number, number>();
      m.set(c, (m.get(c) ?? 0) + 1);
      perTemplate.set(t, m);
    } else if (t >= STOCK) {
      stockTotal++;
      if (c >= 0) stockIn++;
    } else if (t === -1 && c >= 0) stray++;
    if (c >= 0) {
      const m = clusterMain.get(c) ?? new Map<number, number>();
      m.set(t, (m.get(t) ?? 0) + 1);
      clusterMain.set(c, m);
    }
  }
  let found = 0;
  for (const m of perTemplate.values()) found += Math.max(...m.values());
  const totalCopies = copies.reduce((s, x) => s + x, 0);
  let main = 0;
  let size = 0;
  for (const [c, m] of clusterMain) {
    const planted = [...m].filter(([t]) => t >= 0 && t < STOCK);
    if (planted.length === 0) continue;
    main += Math.max(...planted.map(([, k]) => k));
    size += clusterSize.get(c)!;
  }
  return {
    recall: found / totalCopies,
    precision: size === 0 ? 1 : main / size,
    stray,
    stockRecall: stockTotal === 0 ? 1 : stockIn / stockTotal,
  };
}

async function main(): Promise<void> {
  const dir = values.dir ?? join(tmpdir(), "chorus-bench-near-duplicate");
  if (values.step) return runStep(values.step, dir);
  const n = Number(values.posts);
  const share = Number(values.copypasta);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "posts.tsv");
  const tGen = performance.now();
  const gen = await generate(file, n, share, Number(values.seed));
  const tLoad = performance.now();
  await load(file, join(dir, "case.duckdb"));
  const fmt = (x: number): string => Math.round(x).toLocaleString("en-US");
  console.log(
    `data: ${fmt(n)} posts, ${fmt(gen.copies)} planted copies of ${fmt(gen.templates)} templates ` +
      `(generated in ${((tLoad - tGen) / 1000).toFixed(1)} s, loaded in ${((performance.now() - tLoad) / 1000).toFixed(1)} s)`,
  );
  const { readFileSync } = await import("node:fs");
  const read = (r: StepResult): Int32Array =>
    new Int32Array(new Uint8Array(readFileSync(r.assignment)).buffer);
  const ours = spawnStep("detector", dir);
  const ref = spawnStep("sql-exact", dir);
  const so = score(gen.truth, read(ours), gen.templates);
  const sr = score(gen.truth, read(ref), gen.templates);
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const line = (name: string, r: StepResult, s: Score): string =>
    `${name.padEnd(22)} ${r.seconds.toFixed(1).padStart(7)} s (CPU ${r.cpuSeconds.toFixed(1)} s)  peak RSS ${fmt(r.rssMiB).padStart(6)} MiB  ` +
    `clusters ${fmt(r.clusters).padStart(9)}  posts in clusters ${fmt(r.postsInClusters).padStart(10)}  ` +
    `copypasta recall ${pct(s.recall).padStart(6)}  precision ${pct(s.precision).padStart(6)}  ` +
    `stock phrases ${pct(s.stockRecall).padStart(6)}  stray one-offs ${fmt(s.stray)}`;
  console.log(line("near-duplicate", ours, so));
  console.log(line("SQL exact lower(text)", ref, sr));
  console.log(
    `ratio (near-duplicate / SQL exact): ${(ours.seconds / ref.seconds).toFixed(2)} x wall time, ` +
      `${(ours.cpuSeconds / ref.cpuSeconds).toFixed(2)} x CPU time`,
  );
  console.log(`detector counts: ${JSON.stringify(ours.counts)}`);
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}

await main();
