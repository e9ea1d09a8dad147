/**
 * Ingest benchmark: native JSONL and CSV at N posts, against DuckDB's own read_json / read_csv of the same file.
 * Every step runs in a child process of its own, so that its peak memory (max RSS) is that step's alone, and the
 * steps of a pair run back to back, so that their ratio compares like with like on a machine whose load changes.
 *
 *   npx tsx bench/ingest.ts                                  # 1M posts
 *   npx tsx bench/ingest.ts --posts 10000000                 # 10M (data generation included)
 *   npx tsx bench/ingest.ts --posts 1000000 --only csv --repeat 3
 *   npx tsx bench/ingest.ts --only jsonl --jsonl FILE             # native JSONL of your own (or bench/analyze's)
 *
 * Native JSON Lines is parsed by DuckDB where it can be (src/ingest/fast-jsonl.ts); the same file is also ingested
 * through the adapter alone (`chorus-jsonl-adapter`), and the two must store the same number of posts. A third
 * reference, `duckdb-tables`, is DuckDB alone writing the case's posts, objects and accounts from its own typed
 * read_json in one transaction, with nothing checked, normalised or traced to its line (`engineFloor`): the least
 * time this engine takes on this machine to get the file into those tables.
 *
 * The data is generated once per size and seed into --dir (default $TMPDIR/chorus-bench) and reused. It is meant
 * to look like a collection of Persian/English political Twitter: a few popular articles shared many times, with
 * the tracking parameters of share buttons (utm_*, fbclid, si), www./mobile/http variants and short links; hashtags
 * in Persian (with Arabic-yeh and ZWNJ spellings of the same tag) and English in several cases; retweets of earlier
 * posts that repeat their text, links and tags; replies and mentions; texts with commas, quotes and line breaks.
 * The CSV names its columns the way exports do (id, user_id, screen_name, created_at, ...), so the `csv` adapter is
 * chosen by sniffing and maps them automatically.
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { seededRng } from "../src/detectors/detector.js";
import type { CaseStore } from "../src/store/case.js";

const { values } = parseArgs({
  options: {
    posts: { type: "string", default: "1000000" },
    only: { type: "string" },
    dir: { type: "string" },
    repeat: { type: "string", default: "1" },
    step: { type: "string" },
    file: { type: "string" },
    jsonl: { type: "string" },
  },
});

/** Bumped whenever the generator changes, so that stale files are not reused. */
const DATA_VERSION = 2;
const SEED = 42;

const WORDS_FA = [
  "خبر",
  "فوری",
  "ایران",
  "مردم",
  "تهران",
  "انتخابات",
  "ویدیو",
  "ببینید",
  "می‌گویند",
  "حقیقت",
  "امروز",
  "اعتراض",
  "دولت",
  "کتاب‌ها",
  "نمی‌دانم",
];
const WORDS_EN = ["news", "today", "people", "vote", "video", "watch", "truth", "breaking", "live", "update"];
const WORDS_AR = ["العربية", "عاجل", "الناس", "اليوم"];
/** Tags as typed: the same Persian tag with Persian or Arabic yeh/kaf, with or without ZWNJ; English in any case. */
const TAG_FORMS = [
  ["مهسا_امینی", "مهسا_اميني", "#مهسا_امینی"],
  ["زن_زندگی_آزادی", "زن_زندگي_آزادي"],
  ["ایران", "ايران", "#ایران"],
  ["اعتراضات_سراسری", "اعتراضات‌_سراسری"],
  ["Iran", "iran", "IRAN", "#Iran"],
  ["Elections2024", "elections2024"],
  ["BreakingNews", "breakingnews"],
  ["تهران", "#تهران"],
];
const DOMAINS = [
  "example-news.com",
  "iran-daily.ir",
  "persian.example.org",
  "radio-farda.example",
  "bbc.co.uk",
];
const TRACKING = ["", "", "", "?utm_source=twitter&utm_medium=social", "?fbclid=", "?si=", "?utm_source=tg"];

/** Zipf-like popularity: small indices are drawn much more often. */
const skewed = (r: () => number, n: number, power = 3): number => Math.floor(Math.pow(r(), power) * n);

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

interface Recent {
  id: number;
  handle: string;
  text: string;
  urls: string[];
  tags: string[];
}

/** Write `posts-N.jsonl` and `posts-N.csv` (the same posts) into `dir`, unless they are there already. */
function writeData(dir: string, n: number): { jsonl: string; csv: string } {
  const base = join(dir, `posts-${n}-v${DATA_VERSION}`);
  const jsonl = `${base}.jsonl`;
  const csv = `${base}.csv`;
  if (existsSync(jsonl) && existsSync(csv)) return { jsonl, csv };
  const r = seededRng(SEED);
  const accounts = Math.max(100, Math.floor(n / 20));
  const articles = Math.max(50, Math.floor(n / 40));
  const tags = Math.max(30, Math.floor(n / 500));
  const jfd = openSync(`${jsonl}.part`, "w");
  const cfd = openSync(`${csv}.part`, "w");
  let jbuf = "";
  let cbuf = "";
  cbuf += "platform,id,user_id,screen_name,created_at,text,lang,urls,hashtags,mentions,retweet_id\n";
  const recent: Recent[] = [];
  const t0 = Date.parse("2024-01-01T00:00:00Z");
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const articleUrl = (k: number): string => {
    const domain = DOMAINS[k % DOMAINS.length]!;
    const form = r();
    const host = form < 0.2 ? `www.${domain}` : form < 0.25 ? `m.${domain}` : domain;
    const scheme = form > 0.9 ? "http" : "https";
    let track = pick(TRACKING);
    if (track.endsWith("=")) track += Math.floor(r() * 1e9).toString(36);
    return `${scheme}://${host}/news/${k}${r() < 0.1 ? "/" : ""}${track}`;
  };
  for (let i = 0; i < n; i++) {
    const acc = skewed(r, accounts, 2);
    const handle = `user_${acc}`;
    const ts = new Date(t0 + Math.floor((i / n) * 30 * 86400_000 + r() * 60_000)).toISOString();
    const lang = r() < 0.6 ? "fa" : r() < 0.8 ? "en" : "ar";
    let text: string;
    let urls: string[];
    let postTags: string[];
    let repostOf: number | null = null;
    const mentions: string[] = [];
    const source = recent.length > 0 && r() < 0.3 ? recent[skewed(r, recent.length, 2)]! : null;
    if (source) {
      // a retweet repeats the original's text, links and tags
      repostOf = source.id;
      text = `RT @${source.handle}: ${source.text}`;
      urls = source.urls;
      postTags = source.tags;
      mentions.push(source.handle);
    } else {
      const words = lang === "fa" ? WORDS_FA : lang === "en" ? WORDS_EN : WORDS_AR;
      const parts = Array.from({ length: 5 + Math.floor(r() * 12) }, () => pick(words));
      urls = r() < 0.45 ? [articleUrl(skewed(r, articles))] : r() < 0.05 ? ["bit.ly/" + i.toString(36)] : [];
      postTags = [];
      const nTags = r() < 0.5 ? 0 : 1 + Math.floor(r() * 3);
      for (let k = 0; k < nTags; k++) {
        const forms = TAG_FORMS[skewed(r, TAG_FORMS.length, 2)]!;
        postTags.push(r() < 0.8 ? pick(forms) : `tag${skewed(r, tags, 2)}`);
      }
      if (r() < 0.1) mentions.push(`user_${skewed(r, accounts, 2)}`);
      if (r() < 0.05) parts.push('"quoted words", and a comma');
      if (r() < 0.02) parts.push("\nsecond line");
      text = [
        ...mentions.map((m) => "@" + m),
        ...parts,
        ...urls,
        ...postTags.map((t) => (t.startsWith("#") ? t : "#" + t)),
      ].join(" ");
    }
    if (!source && r() < 0.5) {
      recent.push({ id: i, handle, text, urls, tags: postTags });
      if (recent.length > 5000) recent.splice(0, 1000);
    }
    const rec: Record<string, unknown> = {
      platform: "twitter",
      post_id: String(i),
      account_id: String(1_000_000 + acc),
      handle,
      ts,
      text,
      lang,
      urls,
      hashtags: postTags,
    };
    if (mentions.length > 0) rec["mentions"] = mentions;
    if (repostOf !== null) rec["repost_of"] = String(repostOf);
    if (acc % 7 === 0 && r() < 0.2) rec["followers"] = acc * 13;
    jbuf += JSON.stringify(rec) + "\n";
    cbuf +=
      `twitter,${i},${1_000_000 + acc},${handle},${ts},${csvCell(text)},${lang},${csvCell(urls.join(" "))},` +
      `${csvCell(postTags.join(" "))},${mentions.join(" ")},${repostOf ?? ""}\n`;
    if (jbuf.length > 1 << 20) {
      writeSync(jfd, jbuf);
      jbuf = "";
    }
    if (cbuf.length > 1 << 20) {
      writeSync(cfd, cbuf);
      cbuf = "";
    }
  }
  writeSync(jfd, jbuf);
  writeSync(cfd, cbuf);
  closeSync(jfd);
  closeSync(cfd);
  renameSync(`${jsonl}.part`, jsonl);
  renameSync(`${csv}.part`, csv);
  return { jsonl, csv };
}

interface StepResult {
  step: string;
  rows: number;
  seconds: number;
  rssMiB: number;
  format?: string;
}

async function runStep(step: string, file: string, dir: string): Promise<void> {
  const { CaseStore } = await import("../src/store/case.js");
  const dbPath = join(dir, `bench-${step}-${process.pid}.duckdb`);
  rmSync(dbPath, { force: true });
  const { ingestFile } = await import("../src/ingest/ingest.js"); // loaded before the clock starts
  const store = await CaseStore.open(dbPath);
  const t = performance.now();
  let rows: number;
  let format: string | undefined;
  const sqlFile = `'${file.replaceAll("'", "''")}'`;
  if (step === "chorus-jsonl" || step === "chorus-csv" || step === "chorus-jsonl-adapter") {
    const s = await ingestFile(store, file, step === "chorus-jsonl-adapter" ? { sqlParse: "never" } : {});
    rows = s.postsStored;
    format = s.format;
  } else if (step === "duckdb-read_json") {
    await store.conn.run(
      `CREATE TABLE raw AS SELECT * FROM read_json(${sqlFile}, format = 'newline_delimited')`,
    );
    rows = Number(await store.scalar<number>("SELECT count(*)::DOUBLE FROM raw"));
  } else if (step === "duckdb-tables") {
    rows = await engineFloor(store, sqlFile);
  } else if (step === "duckdb-read_csv") {
    await store.conn.run(`CREATE TABLE raw AS SELECT * FROM read_csv(${sqlFile}, header = true)`);
    rows = Number(await store.scalar<number>("SELECT count(*)::DOUBLE FROM raw"));
  } else throw new Error(`unknown step ${step}`);
  // closing checkpoints the case: part of the cost of getting the data into it
  store.close();
  const seconds = (performance.now() - t) / 1000;
  rmSync(dbPath, { force: true });
  rmSync(dbPath + ".wal", { force: true });
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  const result: StepResult = { step, rows, seconds, rssMiB, ...(format ? { format } : {}) };
  process.stdout.write(JSON.stringify(result) + "\n");
}

/** The native format's fields as DuckDB's JSON reader types them for `engineFloor`. */
const FLOOR_COLUMNS = {
  platform: "VARCHAR",
  post_id: "VARCHAR",
  account_id: "VARCHAR",
  handle: "VARCHAR",
  display_name: "VARCHAR",
  ts: "TIMESTAMPTZ",
  text: "VARCHAR",
  lang: "VARCHAR",
  kind: "VARCHAR",
  repost_of: "VARCHAR",
  reply_to: "VARCHAR",
  quote_of: "VARCHAR",
  ref_account_id: "VARCHAR",
  client: "VARCHAR",
  account_created_at: "TIMESTAMPTZ",
  bio: "VARCHAR",
  followers: "BIGINT",
  following: "BIGINT",
  avatar_url: "VARCHAR",
  location: "VARCHAR",
  urls: "VARCHAR[]",
  hashtags: "VARCHAR[]",
  mentions: "VARCHAR[]",
};

/**
 * DuckDB alone filling the case's posts, objects and accounts from a native JSON Lines file: its own typed
 * read_json staged before the transaction (as chorus-jsonl stages its parse), then the three tables written in one
 * transaction, an object row for each url (and its host, as the domain), hashtag, mention, repost and reply. Nothing
 * is checked, normalised, de-duplicated or traced to its line (source_row 0), and a field of the wrong type fails
 * the whole file: a floor for what ingest must do on this engine and machine, not a way to ingest.
 */
async function engineFloor(store: CaseStore, sqlFile: string): Promise<number> {
  const columns = Object.entries(FLOOR_COLUMNS)
    .map(([k, t]) => `'${k}': '${t}'`)
    .join(", ");
  const run = async (sql: string): Promise<void> => {
    await store.conn.run(sql);
  };
  await run(`CREATE TEMP TABLE floor_stage AS
    SELECT * FROM read_json(${sqlFile}, format = 'newline_delimited', columns = {${columns}})`);
  await run("BEGIN TRANSACTION");
  await run(`INSERT INTO posts
    SELECT lower(platform), post_id, account_id, ts, text, lang,
           coalesce(kind, CASE WHEN repost_of IS NOT NULL THEN 'repost' WHEN quote_of IS NOT NULL THEN 'quote'
                               WHEN reply_to IS NOT NULL THEN 'reply' ELSE 'post' END),
           coalesce(repost_of, quote_of, reply_to), ref_account_id, client, 1, 0
      FROM floor_stage`);
  const list = (kind: string, col: string, value = "v"): string =>
    `SELECT platform, post_id, '${kind}', ${value}, v, 1, 0
       FROM (SELECT lower(platform) AS platform, post_id, unnest(${col}) AS v FROM floor_stage)`;
  await run(`INSERT INTO objects
    ${list("url", "urls")}
    UNION ALL ${list("domain", "urls", "split_part(split_part(v, '://', 2), '/', 1)")}
    UNION ALL ${list("hashtag", "hashtags")}
    UNION ALL ${list("mention", "mentions")}
    UNION ALL SELECT lower(platform), post_id, 'repost', repost_of, NULL, 1, 0 FROM floor_stage
               WHERE repost_of IS NOT NULL
    UNION ALL SELECT lower(platform), post_id, 'reply', reply_to, NULL, 1, 0 FROM floor_stage
               WHERE reply_to IS NOT NULL`);
  await run(`INSERT INTO accounts (platform, account_id, handle, display_name, bio, created_at, followers, following,
                                   avatar_url, location, input_id, source_row)
    SELECT lower(platform), account_id, any_value(handle), any_value(display_name), any_value(bio),
           any_value(account_created_at), any_value(followers), any_value(following), any_value(avatar_url),
           any_value(location), 1, 0
      FROM floor_stage GROUP BY ALL`);
  await run("COMMIT");
  await run("DROP TABLE floor_stage");
  return Number(await store.scalar<number>("SELECT count(*)::DOUBLE FROM posts"));
}

function spawnStep(step: string, file: string, dir: string): StepResult {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", self, "--step", step, "--file", file, "--dir", dir],
    { encoding: "utf8", maxBuffer: 1 << 24 },
  );
  if (r.status !== 0) throw new Error(`${step} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as StepResult;
}

const fmtInt = (x: number): string => Math.round(x).toLocaleString("en-US");

/** A step's line of the log: rows, time, posts/s and peak memory. */
const stepLine = (s: StepResult): string =>
  `${s.step.padEnd(17)} ${fmtInt(s.rows).padStart(11)} rows ${s.seconds.toFixed(2).padStart(7)} s ` +
  `${fmtInt(s.rows / s.seconds).padStart(9)} posts/s  peak ${fmtInt(s.rssMiB).padStart(5)} MiB`;

/** A step's row of the closing table, beside DuckDB's bare read of the same file (`ref`). */
const tableRow = (s: StepResult, ref: StepResult): string =>
  `| ${s.step} | ${fmtInt(s.rows)} | ${fmtInt(s.rows / s.seconds)} | ${s.seconds.toFixed(1)} | ${fmtInt(s.rssMiB)} | ` +
  `${ref.seconds.toFixed(1)} | ${fmtInt(ref.rssMiB)} | ${(s.seconds / ref.seconds).toFixed(2)}x |`;

async function mainBench(): Promise<void> {
  const dir = values.dir ?? join(tmpdir(), "chorus-bench");
  if (values.step && values.file) return runStep(values.step, values.file, dir);
  const n = Number(values.posts);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`--posts must be a positive integer, got ${values.posts}`);
  const repeat = Number(values.repeat);
  mkdirSync(dir, { recursive: true });
  const tGen = performance.now();
  const files = writeData(dir, n);
  console.log(
    `data: ${fmtInt(n)} posts in ${dir} (${((performance.now() - tGen) / 1000).toFixed(1)} s to write or find)`,
  );
  const pairs: Array<[string, string, string, string]> = [];
  if (!values.only || values.only === "jsonl") {
    pairs.push(["chorus-jsonl", "duckdb-read_json", values.jsonl ?? files.jsonl, "chorus-jsonl"]);
  }
  if (!values.only || values.only === "csv") pairs.push(["chorus-csv", "duckdb-read_csv", files.csv, "csv"]);
  const table: string[] = [];
  for (const [ours, ref, file, expectedFormat] of pairs) {
    const mb = statSync(file).size / 1024 / 1024;
    for (let k = 0; k < repeat; k++) {
      const a = spawnStep(ours, file, dir);
      const b = spawnStep(ref, file, dir);
      if (a.format !== expectedFormat)
        throw new Error(`${ours}: read as ${a.format}, expected ${expectedFormat}`);
      for (const s of [a, b]) console.log(`${stepLine(s)}  (${mb.toFixed(0)} MiB file)`);
      const ratio = a.seconds / b.seconds;
      console.log(`  ${ours} takes ${ratio.toFixed(2)}x the time of ${ref}`);
      if (ours === "chorus-jsonl") {
        // the same file through the adapter alone, as before DuckDB parsed native JSON Lines
        const c = spawnStep("chorus-jsonl-adapter", file, dir);
        console.log(stepLine(c));
        if (c.rows !== a.rows) throw new Error(`the adapter stored ${c.rows} posts, the SQL parse ${a.rows}`);
        console.log(`  ${ours} takes ${(a.seconds / c.seconds).toFixed(2)}x the time of the adapter alone`);
        table.push(tableRow(c, b));
      }
      table.push(tableRow(a, b));
      if (ours === "chorus-jsonl") {
        // DuckDB alone writing the same tables from its own parse: the floor on this engine and machine
        const f = spawnStep("duckdb-tables", file, dir);
        console.log(stepLine(f));
        console.log(
          `  ${ours} takes ${(a.seconds / f.seconds).toFixed(2)}x the time of DuckDB writing the tables alone`,
        );
        table.push(tableRow(f, b));
      }
    }
  }
  console.log("\n| step | posts | posts/s | s | peak MiB | DuckDB s | DuckDB peak MiB | time vs DuckDB |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const row of table) console.log(row);
}

await mainBench();
