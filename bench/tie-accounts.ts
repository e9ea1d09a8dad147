/**
 * Benchmark: writing co-share's ties into the case with their two accounts named by number (schema version 9,
 * src/store/edges.ts; since version 10 their examples too) against the form before version 9, which wrote the two
 * account keys and the example as text in every tie.
 *
 *   npx tsx bench/tie-accounts.ts [--ties 5000000] [--posts 2000000] [--accounts 145000] [--examples 0.25]
 *
 * A case file gets the dictionaries a co-share run builds (accounts, posts, objects of five layers) and seeded ties
 * of co-share's shape, a share `--examples` of them with an example post pair (the significant and candidate ones).
 * The same ties are then written three times each way, alternating, each in its own transaction under its own run
 * id: the baseline with the former statement (account keys joined in as text), ours with co-share's `writeTies`.
 * The bench checks that the `edges` view gives every run the same rows (a hash of every column), and times two
 * reads a person's app makes through the view: the ties of one account, and one tie's JSON evidence; and the
 * evidence of 20,000 ties by row id (`edgeRowsById`, as the report and the campaign examples read it) against the
 * batches in the order asked for that it made before.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seededRng } from "../src/detectors/detector.js";
import { stageTies, writeTies, type TieColumns } from "../src/detectors/co-share/evidence.js";
import type { ObjectKind } from "../src/model/index.js";
import { CaseStore } from "../src/store/case.js";
import {
  CO_SHARE_EVIDENCE_COLUMNS,
  EDGE_ROWS,
  edgeEvidenceSql,
  edgeRowsById,
  tieExampleStructsSql,
  tieSource,
  tiesWithinSql,
} from "../src/store/edges.js";
import { columnsSql } from "../src/store/lent-columns.js";

function arg(name: string, fallback: string): number {
  const i = process.argv.indexOf(name);
  return Number(i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback);
}

const N = Math.floor(arg("--ties", "5000000"));
const POSTS = Math.floor(arg("--posts", "2000000"));
const ACCOUNTS = Math.floor(arg("--accounts", "145000"));
const EXAMPLES = arg("--examples", "0.25");
if (!(N > 0 && POSTS > 0 && ACCOUNTS > 1 && EXAMPLES >= 0 && EXAMPLES <= 1)) {
  throw new Error("bench: need --ties, --posts > 0, --accounts > 1 and --examples in [0, 1]");
}
const LAYERS: readonly ObjectKind[] = ["domain", "hashtag", "mention", "repost", "url"];
const OBJECTS = [400, 300, 45_000, 370_000, 470_000];
const WINDOW = 60;

const dir = mkdtempSync(join(tmpdir(), "chorus-bench-tie-accounts-"));
const store = await CaseStore.open(join(dir, "case.duckdb"));
const seconds = (t: number): number => (performance.now() - t) / 1000;

/** The write before version 9 (src/detectors/co-share/evidence.ts then): each tie's two keys as text. */
async function writeTiesAsKeys(runId: number): Promise<void> {
  const columns = CO_SHARE_EVIDENCE_COLUMNS.map(([name]) => name).join(", ");
  const post = (p: string): string =>
    `${p}.post_id, make_timestamp((${p}.t * 1000)::BIGINT)::TIMESTAMPTZ, ${p}.input_id, ${p}.source_row`;
  const objects = LAYERS.map(
    (l, li) => `SELECT ${li}::UTINYINT AS layer, oid, value FROM chorus_objects_${l}`,
  ).join(" UNION ALL ");
  const finite = (x: string): string => `CASE WHEN isfinite(${x}) THEN ${x} END`;
  await store.conn.run(
    `INSERT INTO ${EDGE_ROWS} (run_id, layer, a, b, weight, n_objects, lift, p_value, significant, tier, fast_core,
                              ${columns})
     SELECT $run::INTEGER, [${LAYERS.map((l) => `'${l}'`).join(", ")}][t.layer + 1],
            ka.platform || ':' || ka.account_id, kb.platform || ':' || kb.account_id,
            t.k::DOUBLE, t.k, ${finite("CASE WHEN t.expected > 0 THEN t.k / t.expected END")},
            ${finite("t.p_value")}, t.tier = 0,
            CASE t.tier WHEN 0 THEN 'significant' WHEN 1 THEN 'candidate' WHEN 2 THEN 'chance' END, t.fast = 1,
            t.share_pairs, t.expected, t.log10_p, $window::DOUBLE, d.value, ${post("ca")}, ${post("cb")}
       FROM ${columnsSql("co-share ties")} t
       JOIN chorus_accounts ka ON ka.aid = t.a
       JOIN chorus_accounts kb ON kb.aid = t.b
       LEFT JOIN (${objects}) d ON d.layer = t.layer AND d.oid = t.ex_object
       LEFT JOIN chorus_posts ca ON ca.pid = t.ex_a
       LEFT JOIN chorus_posts cb ON cb.pid = t.ex_b`,
    { run: runId, window: WINDOW },
  );
}

/**
 * Rows by row id as `edgeRowsById` read them before: batches in the order asked, bounded by the list alone (the scan
 * then visited every row group for each batch).
 */
async function rowsByIdAsAsked(ids: bigint[], select: string): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  for (let from = 0; from < ids.length; from += 2048) {
    const batch = ids.slice(from, from + 2048);
    const rows = await store.all<Record<string, unknown>>(
      `SELECT e.o, ${select}
         FROM (SELECT w.o, e.*, ${tieExampleStructsSql("e")}
                 FROM ${EDGE_ROWS} e JOIN (VALUES ${batch.map((r, i) => `(${from + i}, ${r})`).join(", ")}) w(o, r)
                   ON e.rowid = w.r
                WHERE e.rowid IN (${batch.join(", ")})) e
        ORDER BY e.o`,
    );
    out.push(...rows);
  }
  return out;
}

try {
  let t = performance.now();
  await store.conn.run(`CREATE OR REPLACE TEMP TABLE chorus_accounts AS
    SELECT i::INTEGER AS aid, 'twitter' AS platform, (1000000007 + 7919 * i)::VARCHAR AS account_id
      FROM range(${ACCOUNTS}) r(i)`);
  await store.conn.run(`CREATE OR REPLACE TEMP TABLE chorus_posts AS
    SELECT i::INTEGER AS pid, 'twitter' AS platform, (1500000000000000000 + 104729 * i)::VARCHAR AS post_id,
           (i % ${ACCOUNTS})::INTEGER AS aid, (1700000000000 + i * 997)::DOUBLE AS t, 1 AS input_id,
           (i + 1)::BIGINT AS source_row
      FROM range(${POSTS}) r(i)`);
  for (const [li, layer] of LAYERS.entries()) {
    await store.conn.run(`CREATE OR REPLACE TEMP TABLE chorus_objects_${layer} AS
      SELECT i::INTEGER AS oid, '${layer}-' || md5(i::VARCHAR) AS value FROM range(${OBJECTS[li]}) r(i)`);
  }
  // every layer's objects in one table, as store/shares.ts numbers them for co-share's writeTies
  await store.conn.run(`CREATE OR REPLACE TEMP TABLE chorus_object_ids AS
    ${LAYERS.map((l) => `SELECT '${l}' AS kind, value AS k, value, oid FROM chorus_objects_${l}`).join(" UNION ALL ")}`);
  const rng = seededRng(7);
  const ties: TieColumns = {
    layer: new Uint8Array(N),
    a: new Int32Array(N),
    b: new Int32Array(N),
    k: new Int32Array(N),
    sharePairs: new Uint32Array(N),
    expected: new Float64Array(N),
    pValue: new Float64Array(N),
    log10P: new Float64Array(N),
    tier: new Uint8Array(N),
    fast: new Uint8Array(N),
    exObject: new Int32Array(N),
    exPostA: new Int32Array(N),
    exPostB: new Int32Array(N),
  };
  for (let i = 0; i < N; i++) {
    const layer = Math.floor(rng() * LAYERS.length);
    const a = Math.floor(rng() * ACCOUNTS);
    const b = (a + 1 + Math.floor(rng() * (ACCOUNTS - 1))) % ACCOUNTS;
    ties.layer[i] = layer;
    ties.a[i] = Math.min(a, b);
    ties.b[i] = Math.max(a, b);
    ties.k[i] = 1 + Math.floor(-Math.log(1 - rng()) * 2);
    ties.sharePairs[i] = ties.k[i]! + Math.floor(rng() * 3);
    ties.expected[i] = rng() * 3;
    ties.pValue[i] = rng();
    ties.log10P[i] = Math.log10(ties.pValue[i]! || Number.MIN_VALUE);
    const example = rng() < EXAMPLES;
    ties.tier[i] = example ? (rng() < 0.5 ? 0 : 1) : 2;
    ties.fast[i] = example && rng() < 0.3 ? 1 : 0;
    ties.exObject[i] = example ? Math.floor(rng() * OBJECTS[layer]!) : -1;
    ties.exPostA[i] = example ? Math.floor(rng() * POSTS) : -1;
    ties.exPostB[i] = example ? Math.floor(rng() * POSTS) : -1;
  }
  console.log(
    `${N.toLocaleString("en-US")} ties (${Math.round(EXAMPLES * 100)}% with an example), ` +
      `${ACCOUNTS.toLocaleString("en-US")} accounts, ${POSTS.toLocaleString("en-US")} posts: set up in ${seconds(t).toFixed(1)} s`,
  );

  const runs: Array<{ run: number; form: "keys" | "numbers"; sec: number }> = [];
  let run = 0;
  for (let rep = 1; rep <= 3; rep++) {
    for (const form of ["keys", "numbers"] as const) {
      run++;
      await store.conn.run(`INSERT INTO runs VALUES ($run, now(), now(), 'bench', NULL, 'ok')`, { run });
      await stageTies(store, ties);
      t = performance.now();
      await store.transaction(async () => {
        if (form === "keys") await writeTiesAsKeys(run);
        else await writeTies(store, run, LAYERS, WINDOW);
      });
      runs.push({ run, form, sec: seconds(t) });
      await store.conn.run("CHECKPOINT");
    }
  }

  // the same rows through the view, every run
  const columns =
    "layer, a, b, weight, n_objects, lift, p_value, significant, evidence::VARCHAR, tier, fast_core";
  const digests = await store.all<{ run_id: number; d: string }>(
    `SELECT run_id, count(*)::VARCHAR || ':' || sum(hash(${columns}))::VARCHAR AS d
       FROM edges GROUP BY run_id ORDER BY run_id`,
  );
  if (digests.length !== runs.length || new Set(digests.map((d) => d.d)).size !== 1) {
    throw new Error(`bench: the runs' ties differ through the edges view: ${JSON.stringify(digests)}`);
  }

  // reads in the forms the app's queries take (src/server/ties.ts): the ties of one account through the view (one
  // equality per side), the binding ties among a set of accounts (tiesWithinSql), and one tie's JSON evidence
  const keyOf = (aid: number): string => `twitter:${1000000007 + 7919 * aid}`;
  const key = keyOf(ties.a[0]!);
  const among = JSON.stringify(
    Array.from({ length: 200 }, (_, i) => keyOf((i % 2 ? ties.a : ties.b)[i >> 1]!)),
  );
  const reads: string[] = [];
  const source = await tieSource(store);
  for (const { run, form } of runs.slice(0, 2)) {
    t = performance.now();
    const n = await store.scalar<number>(
      `SELECT count(*)::INTEGER FROM (SELECT a, b FROM edges WHERE run_id = $run AND a = $key
                                      UNION ALL SELECT a, b FROM edges WHERE run_id = $run AND b = $key)`,
      { run, key },
    );
    const oneAccount = seconds(t);
    t = performance.now();
    const m = await store.scalar<number>(
      `WITH m AS (SELECT DISTINCT unnest($keys::VARCHAR[]) AS k)
       SELECT count(*)::INTEGER FROM (${tiesWithinSql(source, "m", "e.layer", source.binding("e"))})`,
      { run, keys: among },
    );
    const amongSec = seconds(t);
    t = performance.now();
    await store.scalar<string>(
      "SELECT evidence::VARCHAR FROM edges WHERE run_id = $run AND a = $key ORDER BY b, layer LIMIT 1",
      { run, key },
    );
    reads.push(
      `${form}: the ${n} ties of one account ${oneAccount.toFixed(2)} s, the ${m} binding ties among 200 accounts ` +
        `${amongSec.toFixed(2)} s, one tie's evidence ${seconds(t).toFixed(2)} s`,
    );
  }

  // the evidence of 20,000 ties by row id, asked for in no order of the table's (as the report and the campaign
  // examples ask for a campaign's ties, strongest first): in the table's order, each batch bounded, against as asked
  const sample = (
    await store.all<{ r: bigint }>(
      `SELECT rowid AS r FROM ${EDGE_ROWS} USING SAMPLE reservoir(20000 ROWS) REPEATABLE (11)`,
    )
  ).map((x) => x.r);
  for (let i = sample.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [sample[i], sample[j]] = [sample[j]!, sample[i]!];
  }
  const select = `e.weight, (${edgeEvidenceSql("e")})::VARCHAR AS evidence`;
  const byId: Array<{ form: string; sec: number; digest: string }> = [];
  for (let rep = 0; rep < 2; rep++) {
    for (const form of ["as asked", "in table order"] as const) {
      t = performance.now();
      const rows =
        form === "as asked"
          ? await rowsByIdAsAsked(sample, select)
          : await edgeRowsById<Record<string, unknown>>(store, sample, select, true);
      byId.push({
        form,
        sec: seconds(t),
        digest: JSON.stringify(rows.map((r) => [Number(r["o"]), r["weight"], r["evidence"]])),
      });
    }
  }
  if (new Set(byId.map((b) => b.digest)).size !== 1) {
    throw new Error("bench: the ties read by row id differ between the two forms");
  }
  const byIdMean = (form: string): number =>
    byId.filter((b) => b.form === form).reduce((x, b) => x + b.sec, 0) / 2;

  const mean = (form: string): number => {
    const s = runs.filter((r) => r.form === form).map((r) => r.sec);
    return s.reduce((x, y) => x + y, 0) / s.length;
  };
  for (const r of runs)
    console.log(`run ${r.run}: ties written with their accounts as ${r.form} in ${r.sec.toFixed(2)} s`);
  console.log(
    `mean: keys ${mean("keys").toFixed(2)} s, numbers ${mean("numbers").toFixed(2)} s ` +
      `(${(mean("numbers") / mean("keys")).toFixed(2)}x); the same rows through the edges view`,
  );
  for (const line of reads) console.log(`read, ${line}`);
  console.log(
    `read by row id, the evidence of ${sample.length.toLocaleString("en-US")} ties of ` +
      `${(runs.length * N).toLocaleString("en-US")} in no order of the table's: in the table's order ${byIdMean("in table order").toFixed(2)} s, ` +
      `as asked ${byIdMean("as asked").toFixed(2)} s (${(byIdMean("in table order") / byIdMean("as asked")).toFixed(2)}x; the same rows)`,
  );
  console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
