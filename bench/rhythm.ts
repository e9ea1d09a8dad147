/**
 * Benchmark: the rhythm detector on a case of N posts, against two reference paths over the same case, each in a
 * process of its own so that peak memory is each path's own.
 *
 *   npx tsx bench/rhythm.ts [--posts 10000000] [--days 28] [--seed 1] [--keep]
 *
 * The generator is seeded and deterministic: four weeks of posts from accounts with heavy-tailed activity (log-
 * normal), people with smooth days in many zones (evening peak, later and busier at the weekend), night-shift
 * workers (the same day moved by 10-12 hours), news bots posting round the clock, a few office workers (09:00-17:00
 * Monday to Friday), and a planted shift unit: three cohorts of 15 accounts on 00:00-08:00, 08:00-16:00 and
 * 16:00-24:00 Tehran time (UTC+03:30), Fridays off, each posting about five times per shift at random moments (no
 * synchrony). Posts go into a real case file (the `posts` table) through DuckDB data chunks.
 *
 * Measured, each in a fresh process on the same case file:
 * - `detector`: rhythmDetector.run as the runner calls it: profiles, blocks, schedules, rotas, findings and edges.
 * - `sql-histogram`: the straightforward SQL a reference would start from, hour-of-week counts per account
 *   materialised in DuckDB (GROUP BY account, hour of week). It finds nothing by itself: it is the floor for any
 *   path that reads every post once.
 * - `js-all-posts`: every post's account and time read into typed arrays (readColumns) and binned in JS: the naive
 *   typed-array path.
 * Printed: wall and CPU seconds, peak RSS (DuckDB runs in-process, so its memory counts), the ratios, and the
 * detector's recall on the planted unit (strong findings) with its false positives (any finding, and significant
 * edges, outside the unit).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DOUBLE, DuckDBDataChunk, INTEGER } from "@duckdb/node-api";
import { seededRng } from "../src/detectors/detector.js";
import { rhythmDetector, rhythmParams } from "../src/detectors/rhythm/index.js";
import { CaseStore } from "../src/store/case.js";
import { readColumns } from "../src/store/columns.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;
/** Monday 2024-03-04, 00:00 UTC. */
const T0 = Date.UTC(2024, 2, 4);
const TEHRAN = 210;
const UNIT_COHORT = 15;

interface Args {
  posts: number;
  days: number;
  seed: number;
  keep: boolean;
  child: string | null;
  file: string | null;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { posts: 10_000_000, days: 28, seed: 1, keep: false, child: null, file: null };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    switch (argv[i]) {
      case "--posts":
        a.posts = Number(v);
        i++;
        break;
      case "--days":
        a.days = Number(v);
        i++;
        break;
      case "--seed":
        a.seed = Number(v);
        i++;
        break;
      case "--keep":
        a.keep = true;
        break;
      case "--child":
        a.child = v!;
        i++;
        break;
      case "--file":
        a.file = v!;
        i++;
        break;
      default:
        throw new Error(`bench/rhythm: unknown argument ${argv[i]}`);
    }
  }
  if (!(a.posts >= 10_000) || !(a.days >= 14))
    throw new Error("bench/rhythm: --posts >= 10000, --days >= 14");
  return a;
}

/** Relative activity by local hour for people, weekdays and weekends. */
const PEOPLE = [
  0.5, 0.25, 0.12, 0.08, 0.06, 0.08, 0.2, 0.5, 0.8, 0.9, 1, 1.05, 1.3, 1.1, 1, 1, 1.1, 1.25, 1.45, 1.65, 1.85,
  1.95, 1.6, 1.0,
];
const WEEKEND = [
  0.9, 0.6, 0.3, 0.12, 0.06, 0.05, 0.06, 0.12, 0.3, 0.6, 0.9, 1.1, 1.3, 1.4, 1.5, 1.5, 1.5, 1.5, 1.6, 1.7,
  1.8, 1.9, 1.7, 1.3,
];
const ZONES: Array<[number, number]> = [
  [-480, 0.1],
  [-300, 0.2],
  [-240, 0.05],
  [0, 0.15],
  [60, 0.15],
  [180, 0.1],
  [210, 0.15],
  [330, 0.05],
  [480, 0.05],
];

function cdf(weights: number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  return Float64Array.from(weights, (w) => (acc += w / total));
}

const pickFrom = (c: Float64Array, u: number): number => {
  let i = 0;
  while (i < c.length - 1 && u > c[i]!) i++;
  return i;
};

/** The generated posts as columns: account (dense id), time; and which accounts are the planted unit. */
function generate(a: Args): { account: Int32Array; ms: Float64Array; unit: number; accounts: number } {
  const rng = seededRng(a.seed);
  const people = cdf(PEOPLE);
  const weekend = cdf(WEEKEND);
  const zones = cdf(ZONES.map((z) => z[1]));
  const account = new Int32Array(a.posts);
  const ms = new Float64Array(a.posts);
  let n = 0;
  const push = (acc: number, t: number): void => {
    if (n < a.posts) {
      account[n] = acc;
      ms[n++] = t;
    }
  };
  // the unit first (ids 0..44), so the rest of the budget goes to everyone else
  let id = 0;
  for (let c = 0; c < 3; c++) {
    for (let m = 0; m < UNIT_COHORT; m++, id++) {
      for (let d = 0; d < a.days; d++) {
        if (d % 7 === 4) continue; // Friday, Tehran time
        const start = T0 + d * DAY - TEHRAN * MINUTE + c * 8 * HOUR;
        const k = 2 + Math.floor(rng() * 7);
        for (let i = 0; i < k; i++) push(id, start + Math.floor(rng() * 8 * HOUR));
      }
    }
  }
  const unit = id;
  const remaining = a.posts - n;
  const others = Math.max(1000, Math.round(remaining / 60));
  const weights = new Float64Array(others);
  let total = 0;
  for (let i = 0; i < others; i++) {
    // log-normal activity: exp(N(0, 1.2)) by Box-Muller
    const g = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    weights[i] = Math.exp(1.2 * g);
    total += weights[i]!;
  }
  for (let i = 0; i < others; i++, id++) {
    const posts = Math.round((weights[i]! / total) * remaining);
    const role = rng();
    const zone = ZONES[pickFrom(zones, rng())]![0];
    if (role < 0.005) {
      // news bot: round the clock
      for (let k = 0; k < posts; k++) push(id, T0 + Math.floor(rng() * a.days * DAY));
    } else if (role < 0.006) {
      // office worker: 09:00-17:00 local, Monday to Friday
      for (let k = 0; k < posts; k++) {
        let d = Math.floor(rng() * a.days);
        while (d % 7 >= 5) d = Math.floor(rng() * a.days);
        push(id, T0 + d * DAY - zone * MINUTE + 9 * HOUR + Math.floor(rng() * 8 * HOUR));
      }
    } else {
      const shift = role < 0.026 ? 10 + Math.floor(rng() * 3) : 0; // night-shift workers
      for (let k = 0; k < posts; k++) {
        const d = Math.floor(rng() * a.days);
        const h = pickFrom(d % 7 >= 5 ? weekend : people, rng());
        const local = ((h + shift) % 24) * HOUR + Math.floor(rng() * HOUR);
        push(id, T0 + d * DAY - zone * MINUTE + local);
      }
    }
  }
  while (n < a.posts) push(unit + Math.floor(rng() * others), T0 + Math.floor(rng() * a.days * DAY));
  return { account, ms, unit, accounts: id };
}

async function build(a: Args, file: string): Promise<void> {
  const t0 = performance.now();
  const g = generate(a);
  const t1 = performance.now();
  const store = await CaseStore.open(file);
  try {
    await store.conn.run("CREATE TEMP TABLE gen (account INTEGER, ms DOUBLE)");
    const app = await store.conn.createAppender("gen");
    const CHUNK = 2048;
    for (let s = 0; s < a.posts; s += CHUNK) {
      const rows = Math.min(CHUNK, a.posts - s);
      const chunk = DuckDBDataChunk.create([INTEGER, DOUBLE], rows);
      const va = chunk.getColumnVector(0);
      const vt = chunk.getColumnVector(1);
      for (let i = 0; i < rows; i++) {
        va.setItem(i, g.account[s + i]!);
        vt.setItem(i, g.ms[s + i]!);
      }
      va.flush();
      vt.flush();
      app.appendDataChunk(chunk);
    }
    app.closeSync();
    await store.conn.run(
      `INSERT INTO inputs VALUES (1, 'bench', 'bench-rhythm', 'generated', 0, $n, 0, $n, 0, 0, 0, NULL, now(), 'bench')`,
      { n: a.posts },
    );
    await store.conn.run(
      `INSERT INTO posts (platform, post_id, account_id, ts, kind, input_id, source_row)
       SELECT 'twitter', 'p' || r, CASE WHEN account < ${g.unit} THEN 'u' ELSE 'a' END || account,
              make_timestamp((ms * 1000)::BIGINT)::TIMESTAMPTZ, 'post', 1, r
         FROM (SELECT row_number() OVER () AS r, account, ms FROM gen)`,
    );
  } finally {
    store.close();
  }
  const t2 = performance.now();
  console.log(
    `case: ${a.posts.toLocaleString("en-US")} posts, ${g.accounts.toLocaleString("en-US")} accounts ` +
      `(${g.unit} in the planted unit), ${a.days} days; generated in ${((t1 - t0) / 1000).toFixed(1)} s, ` +
      `loaded in ${((t2 - t1) / 1000).toFixed(1)} s, ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB`,
  );
}

interface Measure {
  wall: number;
  cpu: number;
  peakMiB: number;
  note: string;
}

async function measure(kind: string, file: string): Promise<Measure> {
  const store = await CaseStore.open(file);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let note: string;
  try {
    if (kind === "detector") {
      const r = await rhythmDetector.run({
        store,
        params: rhythmParams.parse({}),
        rng: seededRng(1),
        seed: 1,
        now: () => new Date(0),
        log: { info() {}, warn() {} },
        progress: () => {},
      });
      const unit = new Set(Array.from({ length: 3 * UNIT_COHORT }, (_, i) => `twitter:u${i}`));
      const strong = r.findings.filter((f) => unit.has(f.subject) && f.strength === "strong").length;
      const outside = r.findings.filter((f) => !unit.has(f.subject));
      const by = (s: string): number => outside.filter((f) => f.strength === s).length;
      const sigOutside = r.edges.filter(
        (e) => e.evidence["significant"] && !(unit.has(e.a) && unit.has(e.b)),
      );
      note =
        `recall ${strong}/${unit.size} (${((100 * strong) / unit.size).toFixed(1)}%) strong; outside the unit: ` +
        `${outside.length} findings (${by("strong")} strong, ${by("moderate")} moderate, ${by("weak")} weak), ` +
        `${sigOutside.length} significant edges; judged ${r.counts["judged"]} of ${r.counts["accounts"]} accounts`;
    } else if (kind === "sql-histogram") {
      await store.conn.run(
        `CREATE TEMP TABLE how AS
           SELECT platform, account_id, ((epoch_ms(ts) + 259200000) // 3600000) % 168 AS hour, count(*) AS n
             FROM posts GROUP BY ALL`,
      );
      note = `${await store.scalar<number>("SELECT count(*)::INTEGER FROM how")} (account, hour) rows`;
    } else {
      await store.conn.run(
        `CREATE TEMP TABLE acc AS SELECT (row_number() OVER () - 1)::INTEGER AS aid, platform, account_id
           FROM (SELECT DISTINCT platform, account_id FROM posts)`,
      );
      const { rows, cols } = await readColumns(
        store,
        `SELECT a.aid, epoch_ms(p.ts)::DOUBLE AS t FROM posts p JOIN acc a USING (platform, account_id)`,
        { aid: "int32", t: "float64" },
      );
      const accounts = (await store.scalar<number>("SELECT count(*)::INTEGER FROM acc"))!;
      const how = new Int32Array(accounts * 168);
      for (let i = 0; i < rows; i++) {
        const h = Math.floor((cols.t[i]! + 3 * DAY) / HOUR) % 168;
        how[cols.aid[i]! * 168 + h]!++;
      }
      note = `${rows.toLocaleString("en-US")} posts read into JS`;
    }
  } finally {
    store.close();
  }
  const cpu = process.cpuUsage(cpu0);
  return {
    wall: (performance.now() - t0) / 1000,
    cpu: (cpu.user + cpu.system) / 1e6,
    peakMiB: process.resourceUsage().maxRSS / 1024,
    note,
  };
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  if (a.child) {
    const m = await measure(a.child, a.file!);
    process.stdout.write(JSON.stringify(m));
    return;
  }
  const dir = join(tmpdir(), `chorus-bench-rhythm-${a.posts}-${a.seed}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "case.duckdb");
  try {
    await build(a, file);
    const self = fileURLToPath(import.meta.url);
    const results = new Map<string, Measure>();
    for (const kind of ["detector", "sql-histogram", "js-all-posts"]) {
      const r = spawnSync(process.execPath, ["--import", "tsx", self, "--child", kind, "--file", file], {
        encoding: "utf8",
        maxBuffer: 1 << 24,
      });
      if (r.status !== 0) throw new Error(`${kind} failed: ${r.stderr}`);
      const m = JSON.parse(r.stdout) as Measure;
      results.set(kind, m);
      console.log(
        `${kind.padEnd(14)} wall ${m.wall.toFixed(2).padStart(6)} s  cpu ${m.cpu.toFixed(2).padStart(6)} s  ` +
          `peak RSS ${m.peakMiB.toFixed(0).padStart(5)} MiB  ${m.note}`,
      );
    }
    const d = results.get("detector")!;
    console.log(
      `ratios: detector / sql-histogram = ${(d.wall / results.get("sql-histogram")!.wall).toFixed(2)} (wall); ` +
        `js-all-posts / detector = ${(results.get("js-all-posts")!.wall / d.wall).toFixed(2)} (wall)`,
    );
  } finally {
    if (!a.keep) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
