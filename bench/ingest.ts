/**
 * Ingest benchmark: native JSONL and CSV at N posts, against DuckDB's own read_json / read_csv of the same file,
 * each measured in a child process of its own so that peak memory (max RSS) is that step's alone.
 *
 *   npx tsx bench/ingest.ts --posts 1000000          # default 1M; 10M: --posts 10000000
 *   npx tsx bench/ingest.ts --posts 1000000 --only jsonl
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

const { values } = parseArgs({
  options: {
    posts: { type: "string", default: "1000000" },
    only: { type: "string" },
    dir: { type: "string" },
    step: { type: "string" },
    file: { type: "string" },
  },
});

/** A small seeded PRNG (mulberry32) so that every run writes the same bytes. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  "news",
  "today",
  "خبر",
  "فوری",
  "ایران",
  "people",
  "tehran",
  "vote",
  "العربية",
  "video",
  "watch",
  "truth",
];

async function writeData(dir: string, n: number): Promise<{ jsonl: string; csv: string }> {
  const jsonl = join(dir, `posts-${n}.jsonl`);
  const csv = join(dir, `posts-${n}.csv`);
  if (existsSync(jsonl) && existsSync(csv)) return { jsonl, csv };
  const r = rng(42);
  const accounts = Math.max(100, Math.floor(n / 20));
  const j = createWriteStream(jsonl);
  const c = createWriteStream(csv);
  c.write("platform,post_id,account_id,handle,ts,text,urls,hashtags,repost_of\n");
  const t0 = Date.parse("2024-01-01T00:00:00Z");
  const write = (s: NodeJS.WritableStream, line: string): Promise<void> | null =>
    s.write(line) ? null : new Promise((res) => s.once("drain", () => res()));
  for (let i = 0; i < n; i++) {
    const acc = Math.floor(accounts * Math.pow(r(), 2));
    const ts = new Date(t0 + Math.floor(r() * 30 * 86400_000)).toISOString();
    const words = Array.from(
      { length: 6 + Math.floor(r() * 10) },
      () => WORDS[Math.floor(r() * WORDS.length)],
    );
    const url =
      r() < 0.4
        ? `https://site${Math.floor(r() * 300)}.example/a/${Math.floor(Math.pow(r(), 3) * 50000)}?utm_source=x`
        : null;
    const tag = r() < 0.5 ? `tag${Math.floor(Math.pow(r(), 2) * 2000)}` : null;
    const repost = r() < 0.3 ? String(Math.floor(r() * i)) : null;
    const rec = {
      platform: "twitter",
      post_id: String(i),
      account_id: "a" + acc,
      handle: "user_" + acc,
      ts,
      text: words.join(" "),
      urls: url ? [url] : [],
      hashtags: tag ? [tag] : [],
      ...(repost ? { repost_of: repost } : {}),
    };
    const p1 = write(j, JSON.stringify(rec) + "\n");
    const p2 = write(
      c,
      `twitter,${i},a${acc},user_${acc},${ts},"${rec.text}",${url ?? ""},${tag ?? ""},${repost ?? ""}\n`,
    );
    if (p1) await p1;
    if (p2) await p2;
  }
  await Promise.all([new Promise((r2) => j.end(r2)), new Promise((r2) => c.end(r2))]);
  return { jsonl, csv };
}

async function runStep(step: string, file: string): Promise<void> {
  const { CaseStore } = await import("../src/store/case.js");
  const dbPath = join(values.dir ?? tmpdir(), `bench-${step}-${process.pid}.duckdb`);
  rmSync(dbPath, { force: true });
  const store = await CaseStore.open(dbPath);
  const t = performance.now();
  let rows = 0;
  if (step === "chorus-jsonl" || step === "chorus-csv") {
    const { ingestFile } = await import("../src/ingest/ingest.js");
    const s = await ingestFile(store, file, step === "chorus-csv" ? { format: "csv" } : {});
    rows = s.postsStored;
  } else if (step === "duckdb-read_json") {
    await store.conn.run(
      `CREATE TABLE raw AS SELECT * FROM read_json('${file}', format = 'newline_delimited')`,
    );
    rows = Number(await store.scalar<number>("SELECT count(*)::DOUBLE FROM raw"));
  } else if (step === "duckdb-read_csv") {
    await store.conn.run(`CREATE TABLE raw AS SELECT * FROM read_csv('${file}', header = true)`);
    rows = Number(await store.scalar<number>("SELECT count(*)::DOUBLE FROM raw"));
  }
  const seconds = (performance.now() - t) / 1000;
  store.close();
  rmSync(dbPath, { force: true });
  rmSync(dbPath + ".wal", { force: true });
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ step, rows, seconds, rssMiB }) + "\n");
}

async function mainBench(): Promise<void> {
  if (values.step && values.file) return runStep(values.step, values.file);
  const n = Number(values.posts);
  const dir = values.dir ?? join(tmpdir(), "chorus-bench");
  mkdirSync(dir, { recursive: true });
  const tGen = performance.now();
  const files = await writeData(dir, n);
  console.log(
    `data: ${n.toLocaleString("en-US")} posts in ${dir} (${((performance.now() - tGen) / 1000).toFixed(1)} s to write)`,
  );
  const self = fileURLToPath(import.meta.url);
  const pairs: Array<[string, string, string]> = [];
  if (!values.only || values.only === "jsonl") pairs.push(["chorus-jsonl", "duckdb-read_json", files.jsonl]);
  if (!values.only || values.only === "csv") pairs.push(["chorus-csv", "duckdb-read_csv", files.csv]);
  for (const [ours, ref, file] of pairs) {
    const results = [ours, ref].map((step) => {
      const r = spawnSync(
        process.execPath,
        ["--import", "tsx", self, "--step", step, "--file", file, "--dir", dir],
        {
          encoding: "utf8",
          maxBuffer: 1 << 24,
        },
      );
      if (r.status !== 0) throw new Error(`${step} failed: ${r.stderr}`);
      return JSON.parse(r.stdout.trim().split("\n").pop()!) as {
        step: string;
        rows: number;
        seconds: number;
        rssMiB: number;
      };
    });
    const mb = statSync(file).size / 1024 / 1024;
    for (const r of results) {
      console.log(
        `${r.step.padEnd(18)} ${r.rows.toLocaleString("en-US").padStart(12)} rows  ${r.seconds.toFixed(2).padStart(7)} s  ` +
          `${Math.round(r.rows / r.seconds)
            .toLocaleString("en-US")
            .padStart(10)} posts/s  peak ${Math.round(r.rssMiB)} MiB  (${mb.toFixed(0)} MiB file)`,
      );
    }
    console.log(
      `  ratio ${results[0]!.step} / ${results[1]!.step}: ${(results[0]!.seconds / results[1]!.seconds).toFixed(2)}x the time`,
    );
  }
}

await mainBench();
