/**
 * Write a synthetic dataset with planted campaigns: by default the bundled sample in `sample/`, or a dataset of
 * any size for benchmarks and evaluations. Output is deterministic for the same options.
 *
 *   npx tsx scripts/make-sample.ts                                   # sample/posts.jsonl, truth.json, README.md
 *   npx tsx scripts/make-sample.ts --posts 10000000 --out /tmp/big   # streams, bounded memory
 *   npx tsx scripts/make-sample.ts --posts 1000000 --out - --truth /tmp/truth.json > posts.jsonl
 */
import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { finished } from "node:stream/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  datasetReadme,
  defaultConfig,
  generatePosts,
  generateTruth,
  planWorld,
  SAMPLE_POSTS,
  SAMPLE_SEED,
  SORT_LIMIT,
  sortedByTime,
  truthToJson,
  writePostsJsonl,
  type SynthStats,
} from "../src/synth/index.js";

const USAGE = `usage: npx tsx scripts/make-sample.ts [options]

  --posts N       organic posts, about (default ${SAMPLE_POSTS}; planted campaigns add a few percent)
  --seed S        seed (default ${SAMPLE_SEED})
  --days D        days of data (default 21)
  --out DIR       output directory (default sample); "-" writes the posts to stdout
  --truth FILE    with --out -, where to write the ground truth
  --keep-empty    write empty urls/hashtags/mentions lists instead of leaving them out
  --quiet         no progress on stderr
  --help          this text

Writes DIR/posts.jsonl (chorus-jsonl), DIR/truth.json (planted campaigns and organic traps) and DIR/README.md.
Up to ${SORT_LIMIT.toLocaleString("en-US")} posts are sorted by time; larger outputs stream, sorted within each hour.`;

const REPO = fileURLToPath(new URL("..", import.meta.url));

/**
 * truth.json inside the repository is laid out as Prettier writes it, so that the project's format check
 * passes on the bundled sample. Elsewhere (benchmark outputs) the plain layout is kept: Prettier is slow on a
 * large truth, and it is a dev dependency.
 */
async function formatTruth(text: string, path: string): Promise<string> {
  if (!path.startsWith(REPO)) return text;
  try {
    const prettier = await import("prettier");
    const options = (await prettier.resolveConfig(path)) ?? {};
    return await prettier.format(text, { ...options, filepath: path });
  } catch {
    return text;
  }
}

function fail(msg: string): never {
  process.stderr.write(`make-sample: ${msg}\n\n${USAGE}\n`);
  process.exit(2);
}

function whole(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const x = Number(v.replaceAll("_", ""));
  if (!Number.isSafeInteger(x) || x < 0) fail(`--${name} must be a whole number, got '${v}'`);
  return x;
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        posts: { type: "string" },
        seed: { type: "string" },
        days: { type: "string" },
        out: { type: "string" },
        truth: { type: "string" },
        "keep-empty": { type: "boolean" },
        quiet: { type: "boolean" },
        help: { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    fail((err as Error).message);
  }
  if (args.help) {
    process.stdout.write(USAGE + "\n");
    return;
  }
  const posts = whole("posts", args.posts, SAMPLE_POSTS);
  const seed = whole("seed", args.seed, SAMPLE_SEED);
  const days = whole("days", args.days, 21);
  const out = args.out ?? "sample";
  const omitEmpty = args["keep-empty"] !== true;
  const quiet = args.quiet === true;
  if (args.truth !== undefined && out !== "-")
    fail("--truth only goes with --out - (otherwise it is DIR/truth.json)");

  const log = (msg: string): void => {
    if (!quiet) process.stderr.write(msg + "\n");
  };
  const t0 = performance.now();
  const cfg = defaultConfig(posts, seed, days);
  const plan = planWorld(cfg);
  const truth = generateTruth(cfg, plan);
  const sorted = cfg.posts <= SORT_LIMIT;
  const stream = sorted ? sortedByTime(generatePosts(cfg, plan)) : generatePosts(cfg, plan);
  const onProgress = (n: number): void => {
    const s = (performance.now() - t0) / 1000;
    if (n % 1_000_000 === 0) log(`  ${n.toLocaleString("en-US")} posts, ${s.toFixed(1)} s`);
  };
  let stats: SynthStats;
  if (out === "-") {
    stats = await writePostsJsonl(stream, process.stdout, { omitEmpty, onProgress });
    if (args.truth !== undefined) writeFileSync(args.truth, truthToJson(truth));
  } else {
    mkdirSync(out, { recursive: true });
    const file = createWriteStream(join(out, "posts.jsonl"), { highWaterMark: 1 << 20 });
    stats = await writePostsJsonl(stream, file, { omitEmpty, onProgress });
    file.end();
    await finished(file);
    const truthPath = resolve(out, "truth.json");
    writeFileSync(truthPath, await formatTruth(truthToJson(truth), truthPath));
    const flags = [
      posts !== SAMPLE_POSTS ? `--posts ${posts}` : "",
      seed !== SAMPLE_SEED ? `--seed ${seed}` : "",
      days !== 21 ? `--days ${days}` : "",
      out !== "sample" ? `--out ${out}` : "",
      omitEmpty ? "" : "--keep-empty",
    ].filter((f) => f !== "");
    const command = ["npx tsx scripts/make-sample.ts", ...flags].join(" ");
    writeFileSync(
      join(out, "README.md"),
      datasetReadme({ cfg, truth, stats, command, omitEmpty, sorted, out }),
    );
  }
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage();
  log(
    `make-sample: ${stats.posts.toLocaleString("en-US")} posts by ${stats.accounts.toLocaleString("en-US")} accounts, ` +
      `${(stats.bytes / 1e6).toFixed(1)} MB, ${truth.campaigns.length} planted campaigns, ` +
      `${secs.toFixed(1)} s (${Math.round(stats.posts / secs).toLocaleString("en-US")} posts/s; ` +
      `CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s), ` +
      `peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB -> ${out === "-" ? "stdout" : out}`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`make-sample: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
