/**
 * Benchmark: the sync detector on N synthetic posts in a case, against a straightforward DuckDB SQL count of
 * distinct accounts per second with a rolling-median background, on the same case.
 *
 *   npx tsx bench/sync.ts --posts 10000000 [--seed 1] [--days 30] [--no-sql]
 *
 * The generator is seeded and runs inside DuckDB (hash-based draws over range(N)), so the data is the same for a
 * given seed and size, and generating it is not timed. It holds:
 * - organic accounts (one per 20 posts, heavy-tailed activity) posting over `days` on a daily cycle (four times
 *   busier at the peak than at the trough), a fifth of the posts reposts of earlier posts at human delays
 *   (minutes; a few under ten seconds);
 * - viral moments: 5 times, 5,000 organic accounts post within one minute;
 * - a unit of 500 accounts posting within the same second, 30 times (the pair guard's worst case: 125,000 pairs
 *   per burst);
 * - 50 amplifiers reposting each of a leader's 20 posts 2 to 8 seconds after it.
 * It prints the phases' times (load, burst scan, accounts and pairs, the whole detector with evidence), peak RSS,
 * the SQL baseline's time and the ratio, and recall and false positives against the planted accounts. The pairs
 * are counted twice more, account by account as the detector does and through a hash table of pairs as it did
 * before, with a check that both give the same pairs and the ratio of their times.
 *
 *   npx tsx bench/sync.ts --case /tmp/chorus-bench-analyze/case.duckdb
 *
 * runs the phases and the two pair counts on an existing case instead (read-only; for instance the one that
 * bench/analyze.ts leaves, whose bursts overlap far more than the planted unit's).
 */
import { parseArgs } from "node:util";
import { mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runDetectors } from "../src/detectors/run.js";
import { activityUnits, burstMembers, scanBursts } from "../src/detectors/sync/bursts.js";
import { testAccounts, testPairs } from "../src/detectors/sync/groups.js";
import { syncParams } from "../src/detectors/sync/index.js";
import { buildAccounts, loadPosts } from "../src/detectors/sync/load.js";
import { CaseStore } from "../src/store/case.js";
import { PairIndex } from "../src/stats/pair-index.js";

const { values } = parseArgs({
  options: {
    posts: { type: "string", default: "1000000" },
    seed: { type: "string", default: "1" },
    days: { type: "string", default: "30" },
    "no-sql": { type: "boolean", default: false },
    case: { type: "string" },
  },
});
const N = Number(values.posts);
const seed = Number(values.seed);
const days = Number(values.days);
const UNIT = 500;
const UNIT_BURSTS = 30;
const AMPS = 50;
const LEADER_POSTS = 20;
const VIRAL = 5;
const VIRAL_SIZE = 5000;

const dir = join(tmpdir(), "chorus-bench-sync");
mkdirSync(dir, { recursive: true });
const path = values.case ?? join(dir, `case-${N}-${seed}.duckdb`);
if (!values.case) {
  rmSync(path, { force: true });
  rmSync(path + ".wal", { force: true });
}
const store = await CaseStore.open(path, { readOnly: values.case !== undefined });
const T0 = Date.UTC(2024, 0, 1) / 1000;
const organicAccounts = Math.max(1000, Math.floor(N / 20));

const secs = (t: number): string => `${(t / 1000).toFixed(2)} s`;
if (!values.case) await generate();

// the detector's phases, one by one
const params = syncParams.parse({});
const t0 = performance.now();
const { accounts } = await buildAccounts(store);
const posts = await loadPosts(store, accounts);
const t1 = performance.now();
const act = activityUnits(posts.account, posts.tsMs, accounts);
const scan = scanBursts(act, accounts, params);
const t2 = performance.now();
const members = burstMembers(act, scan.bursts, accounts);
const acc = testAccounts(
  members,
  act.perAccount,
  act.n,
  params.minBursts,
  params.alpha,
  params.minSharedBursts,
);
const logCandidate = Math.log(params.candidateP);
const pairs = testPairs(members, acc.count, (a) => acc.logP[a]! <= logCandidate, act.perAccount, act.n, {
  minShared: params.minSharedBursts,
  maxMembersPerGroup: params.maxMembersPerBurst,
  maxPairs: params.maxPairs,
});
const t3 = performance.now();
console.log(
  `load posts          ${secs(t1 - t0)}  (${posts.rows.toLocaleString("en-US")} rows into typed arrays)`,
);
console.log(
  `burst scan          ${secs(t2 - t1)}  (${scan.tested.toLocaleString("en-US")} windows tested, ${scan.bursts.length} bursts)`,
);
console.log(
  `accounts and pairs  ${secs(t3 - t2)}  (${pairs.a.length.toLocaleString("en-US")} pairs sharing 2+ bursts)`,
);
{
  // the pairs again, as sync counted them before: a walk through the bursts with a hash table of pairs
  const p = {
    minShared: params.minSharedBursts,
    maxMembers: params.maxMembersPerBurst,
    maxPairs: params.maxPairs,
  };
  const eligible = (a: number): boolean => acc.logP[a]! <= logCandidate;
  const sweep0 = performance.now();
  testPairs(members, acc.count, eligible, act.perAccount, act.n, {
    minShared: p.minShared,
    maxMembersPerGroup: p.maxMembers,
    maxPairs: p.maxPairs,
  });
  const sweep1 = performance.now();
  const walked = hashWalk(members, acc.count, eligible, p);
  const sweep2 = performance.now();
  const same =
    walked.dropped === pairs.pairsDropped &&
    walked.a.length === pairs.a.length &&
    walked.a.every(
      (a, i) =>
        a === pairs.a[i] &&
        walked.b[i] === pairs.b[i] &&
        walked.n[i] === pairs.n[i] &&
        walked.first[i] === pairs.firstGroup[i],
    );
  if (!same) throw new Error("the pairs counted account by account differ from the hash table's");
  console.log(
    `  pairs counted by account ${secs(sweep1 - sweep0)}, through a hash table of pairs ${secs(sweep2 - sweep1)} ` +
      `(${((sweep1 - sweep0) / (sweep2 - sweep1)).toFixed(2)}x the time; the same pairs, counts and first bursts)`,
  );
}

if (values.case) {
  // an existing case (the analysis benchmark's, say): the phases and the pair count only, nothing written
  console.log(`peak RSS            ${(process.resourceUsage().maxRSS / 1024 / 1024).toFixed(2)} GiB`);
  process.exit(0);
}

const t4 = performance.now();
const { runs } = await runDetectors(store, {
  only: ["sync"],
  seed: 1,
  now: new Date(0),
  log: { info: (m) => console.log(`  ${m}`), warn: () => {} },
});
const t5 = performance.now();
const run = runs[0]!;
console.log(`whole detector      ${secs(t5 - t4)}  (with fast reposts, evidence, and saving to the case)`);
console.log(`  ${run.message}`);
for (const w of run.result.warnings) console.log(`  warning: ${w}`);
console.log(`peak RSS            ${(process.resourceUsage().maxRSS / 1024 / 1024).toFixed(2)} GiB`);

const flagged = new Set(run.result.findings.map((f) => f.subject));
const unit = Array.from({ length: UNIT }, (_, i) => `twitter:unit${i}`);
const amps = Array.from({ length: AMPS }, (_, i) => `twitter:amp${i}`);
const planted = new Set([...unit, ...amps]);
const fp = [...flagged].filter((k) => !planted.has(k));
console.log(
  `recall              unit ${unit.filter((k) => flagged.has(k)).length}/${UNIT}, ` +
    `amplifiers ${amps.filter((k) => flagged.has(k)).length}/${AMPS}; false positives ${fp.length}` +
    (fp.length > 0 ? ` (${fp.slice(0, 5).join(", ")}${fp.length > 5 ? ", ..." : ""})` : ""),
);
const sigEdges = run.result.edges.filter((e) => e.evidence["significant"]);
const badEdges = sigEdges.filter((e) => !planted.has(e.a) || !planted.has(e.b));
console.log(
  `significant edges   ${sigEdges.length.toLocaleString("en-US")}, ${badEdges.length} touching organic accounts` +
    badEdges
      .slice(0, 3)
      .map((e) => ` [${e.layer} ${e.a} ${e.b} n=${e.nObjects} p=${e.pValue?.toExponential(1)}]`)
      .join(""),
);

if (!values["no-sql"]) {
  // the baseline: distinct accounts per second, a rolling median of account-seconds per minute over +-30 minutes,
  // and a fixed excess threshold (no window widths, no p-values, no accounts or pairs)
  const s0 = performance.now();
  const n = await store.scalar<number>(`
    WITH s AS (SELECT DISTINCT account_id, epoch(ts)::BIGINT AS sec FROM posts),
    per_sec AS (SELECT sec, count(*) AS n FROM s GROUP BY sec),
    per_min AS (SELECT sec // 60 AS m, sum(n) AS n FROM per_sec GROUP BY ALL),
    bg AS (SELECT m, median(n) OVER (ORDER BY m RANGE BETWEEN 30 PRECEDING AND 30 FOLLOWING) / 60 AS rate
             FROM per_min)
    SELECT count(*)::INTEGER FROM per_sec JOIN bg ON bg.m = per_sec.sec // 60
     WHERE n >= 5 AND n > rate + 6 * sqrt(rate) + 3`);
  const s1 = performance.now();
  console.log(`SQL baseline        ${secs(s1 - s0)}  (${n} seconds above threshold, 1 s windows only)`);
  console.log(
    `ratio               SQL / (load + scan) = ${((s1 - s0) / (t2 - t0)).toFixed(2)}; ` +
      `SQL / whole detector = ${((s1 - s0) / (t5 - t4)).toFixed(2)}`,
  );
}
store.close();
rmSync(path, { force: true });
rmSync(path + ".wal", { force: true });

/**
 * The baseline for the pair count: the bursts in order, each one's recurring eligible members (the most recurring
 * when too many) paired in ascending order, each pair looked up in a hash table of pairs (src/stats/pair-index.ts),
 * new pairs numbered until `maxPairs`, and the meetings of pairs not numbered after that counted as dropped.
 */
function hashWalk(
  g: { offsets: Int32Array; account: Int32Array },
  count: Int32Array,
  eligible: (a: number) => boolean,
  p: { minShared: number; maxMembers: number; maxPairs: number },
): { a: number[]; b: number[]; n: number[]; first: number[]; dropped: number } {
  const index = new PairIndex();
  const pa: number[] = [];
  const pb: number[] = [];
  const pn: number[] = [];
  const pf: number[] = [];
  let dropped = 0;
  for (let grp = 0; grp + 1 < g.offsets.length; grp++) {
    let members: number[] = [];
    for (let i = g.offsets[grp]!; i < g.offsets[grp + 1]!; i++) {
      const a = g.account[i]!;
      if (count[a]! >= p.minShared && eligible(a)) members.push(a);
    }
    if (members.length > p.maxMembers) {
      members = members.sort((x, y) => count[y]! - count[x]! || x - y).slice(0, p.maxMembers);
    }
    members.sort((x, y) => x - y);
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const at = index.get(members[i]!, members[j]!);
        if (at >= 0) pn[at]!++;
        else if (pa.length >= p.maxPairs) dropped++;
        else {
          index.set(members[i]!, members[j]!, pa.length);
          pa.push(members[i]!);
          pb.push(members[j]!);
          pn.push(1);
          pf.push(grp);
        }
      }
    }
  }
  const keep = pn.flatMap((n, i) => (n >= p.minShared ? [i] : []));
  return {
    a: keep.map((i) => pa[i]!),
    b: keep.map((i) => pb[i]!),
    n: keep.map((i) => pn[i]!),
    first: keep.map((i) => pf[i]!),
    dropped,
  };
}

/** The seeded case described at the top, written into `store` by DuckDB. */
async function generate(): Promise<void> {
  const gen = performance.now();
  // u(i, k): a uniform draw in [0, 1) from the row and a stream number
  await store.conn.run(
    `CREATE OR REPLACE MACRO u(i, k) AS (hash(i, k, ${seed}) % 1000000007) / 1000000007.0`,
  );
  // organic time: a day drawn uniformly, the time of day warped so that the density varies fourfold
  await store.conn.run(`CREATE OR REPLACE MACRO organic_ts(i) AS
    ${T0} + floor(u(i, 1) * ${days}) * 86400
    + 86400 * (u(i, 2) + 0.6 * sin(2 * pi() * u(i, 2)) / (2 * pi()))`);
  await store.conn
    .run(`INSERT INTO inputs (id, path, sha256, format, bytes, rows_read, rows_rejected, posts_stored,
    posts_duplicate, accounts_stored, objects_stored, ingested_at, tool_version)
    VALUES (1, 'synthetic', 'bench-sync-${N}-${seed}', 'synthetic', 0, ${N}, 0, ${N}, 0, 0, 0, now(), 'bench')`);
  const organic = N - UNIT * UNIT_BURSTS - AMPS * LEADER_POSTS - LEADER_POSTS - VIRAL * VIRAL_SIZE;
  await store.conn.run(`INSERT INTO posts
    SELECT 'twitter', 'o' || i, 'org' || floor(${organicAccounts} * u(i, 3) * u(i, 3))::BIGINT,
           to_timestamp(CASE WHEN u(i, 4) < 0.2 AND i > 1000
             THEN organic_ts(i - 1 - floor(u(i, 5) * 1000)::BIGINT) + greatest(1, 600 * exp(1.3 * (u(i, 6) * 2 - 1) * 2))
             ELSE organic_ts(i) END),
           NULL, NULL, CASE WHEN u(i, 4) < 0.2 AND i > 1000 THEN 'repost' ELSE 'post' END,
           CASE WHEN u(i, 4) < 0.2 AND i > 1000 THEN 'o' || (i - 1 - floor(u(i, 5) * 1000)::BIGINT) END,
           NULL, NULL, 1, i + 1
      FROM range(${organic}) t(i)`);
  await store.conn.run(`INSERT INTO posts
    SELECT 'twitter', 'v' || i, 'org' || floor(${organicAccounts} * u(i, 7))::BIGINT,
           to_timestamp(${T0} + (1 + (i // ${VIRAL_SIZE}) * 5) * 86400 + 15 * 3600 + 60 * u(i, 8)),
           NULL, NULL, 'post', NULL, NULL, NULL, 1, ${organic} + i + 1
      FROM range(${VIRAL * VIRAL_SIZE}) t(i)`);
  let row = organic + VIRAL * VIRAL_SIZE;
  await store.conn.run(`INSERT INTO posts
    SELECT 'twitter', 'u' || i, 'unit' || (i % ${UNIT}),
           to_timestamp(floor(${T0} + u(i // ${UNIT}, 9) * ${days} * 86400) + u(i, 10)),
           'one voice', NULL, 'post', NULL, NULL, NULL, 1, ${row} + i + 1
      FROM range(${UNIT * UNIT_BURSTS}) t(i)`);
  row += UNIT * UNIT_BURSTS;
  await store.conn.run(`INSERT INTO posts
    SELECT 'twitter', 'l' || i, 'leader', to_timestamp(${T0} + u(i, 11) * ${days} * 86400),
           NULL, NULL, 'post', NULL, NULL, NULL, 1, ${row} + i + 1
      FROM range(${LEADER_POSTS}) t(i)`);
  row += LEADER_POSTS;
  await store.conn.run(`INSERT INTO posts
    SELECT 'twitter', 'r' || i, 'amp' || (i % ${AMPS}),
           to_timestamp(${T0} + u(i // ${AMPS}, 11) * ${days} * 86400 + 2 + 6 * u(i, 12)),
           NULL, NULL, 'repost', 'l' || (i // ${AMPS}), NULL, NULL, 1, ${row} + i + 1
      FROM range(${AMPS * LEADER_POSTS}) t(i)`);
  await store.conn.run("CHECKPOINT");
  const total = (await store.scalar<number>("SELECT count(*)::INTEGER FROM posts"))!;
  console.log(
    `generated ${total.toLocaleString("en-US")} posts (${organicAccounts.toLocaleString("en-US")} organic accounts, ` +
      `${days} days) in ${secs(performance.now() - gen)} (not timed below)`,
  );
}
