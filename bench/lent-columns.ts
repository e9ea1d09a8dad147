/**
 * Benchmark: handing millions of rows of typed columns to the SQL that writes them into the case, as co-share
 * does with its ties (57M ties of 13 columns at 10M posts).
 *
 *   npx tsx bench/lent-columns.ts [--rows 5000000]
 *
 * Baseline: the columns go into a temporary table through DuckDB's appender (one data chunk reused for every full
 * 2,048 rows), and the write reads that table. Ours: the columns are lent (src/store/lent-columns.ts) and the write
 * reads them in place. Each writes the same rows into a table of a case file, with the two account ids turned into
 * keys by joins as co-share's write does (src/detectors/co-share/evidence.ts), in the same process, alternating,
 * three times each; the bench checks that both tables hold the same rows (count and a hash of every column) and
 * prints what the temporary table held in DuckDB's memory, which the lent columns do not need.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBDataChunk } from "@duckdb/node-api";
import { seededRng } from "../src/detectors/detector.js";
import { CaseStore } from "../src/store/case.js";
import {
  columnsSql,
  columnType,
  lendColumns,
  returnColumns,
  type TypedColumn,
} from "../src/store/lent-columns.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}

const rows = Math.floor(Number(arg("--rows", "5000000")));
if (!(rows > 0)) throw new Error("bench: need --rows > 0");

/** The baseline's staging: a temp table filled through the appender, a data chunk of 2,048 rows at a time. */
async function stageInTempTable(
  store: CaseStore,
  table: string,
  columns: Record<string, TypedColumn>,
): Promise<void> {
  const entries = Object.entries(columns);
  const types = entries.map(([, v]) => columnType(v));
  await store.conn.run(
    `CREATE OR REPLACE TEMP TABLE ${table} (${entries.map(([name], i) => `${name} ${types[i]!.toString()}`).join(", ")})`,
  );
  const app = await store.conn.createAppender(table);
  try {
    let full: DuckDBDataChunk | undefined;
    for (let off = 0; off < rows; off += 2048) {
      const n = Math.min(2048, rows - off);
      const chunk =
        n === 2048 ? (full ??= DuckDBDataChunk.create(types, n)) : DuckDBDataChunk.create(types, n);
      entries.forEach(([, values], i) =>
        chunk.setColumnValues(i, values.subarray(off, off + n) as unknown as number[]),
      );
      app.appendDataChunk(chunk);
    }
  } finally {
    app.closeSync();
  }
}

// the shape of co-share's ties (src/detectors/co-share/evidence.ts)
const rng = seededRng(7);
const int = (max: number): Int32Array => Int32Array.from({ length: rows }, () => Math.floor(rng() * max));
const dbl = (): Float64Array => Float64Array.from({ length: rows }, () => rng() * 100);
const u8 = (max: number): Uint8Array => Uint8Array.from({ length: rows }, () => Math.floor(rng() * max));
const columns: Record<string, TypedColumn> = {
  layer: u8(7),
  a: int(66_000),
  b: int(66_000),
  k: int(50),
  share_pairs: dbl(),
  expected: dbl(),
  p_value: dbl(),
  log10_p: dbl(),
  tier: u8(3),
  fast: u8(2),
  ex_object: int(3_000_000),
  ex_a: int(10_000_000),
  ex_b: int(10_000_000),
};
const names = Object.keys(columns);
const arrayBytes = Object.values(columns).reduce((s, v) => s + v.byteLength, 0);
const written = "ka.key AS a_key, kb.key AS b_key, s.*";
const keyJoins = "JOIN bench_keys ka ON ka.aid = s.a JOIN bench_keys kb ON kb.aid = s.b";
const digest = `count(*)::VARCHAR || ':' || sum(hash(a_key))::VARCHAR || ':' || sum(hash(b_key))::VARCHAR || ':' || ${names.map((c) => `sum(hash(${c}))::VARCHAR`).join(" || ':' || ")}`;

const dir = mkdtempSync(join(tmpdir(), "chorus-bench-lent-"));
const store = await CaseStore.open(join(dir, "case.duckdb"));
const seconds = (t: number): number => (performance.now() - t) / 1000;
try {
  await store.conn.run(
    "CREATE TEMP TABLE bench_keys AS SELECT i::INTEGER AS aid, 'twitter:' || (1000003 * i)::VARCHAR AS key FROM range(66000) r(i)",
  );
  const out: string[] = [];
  let tempBytes = 0;
  for (let rep = 1; rep <= 3; rep++) {
    let t = performance.now();
    await stageInTempTable(store, "bench_staged", columns);
    const stageSec = seconds(t);
    tempBytes = Number(
      await store.scalar<number>(
        "SELECT coalesce(sum(memory_usage_bytes), 0)::DOUBLE FROM duckdb_memory() WHERE tag = 'IN_MEMORY_TABLE'",
      ),
    );
    t = performance.now();
    await store.conn.run(`CREATE TABLE bench_base AS SELECT ${written} FROM bench_staged s ${keyJoins}`);
    const baseWriteSec = seconds(t);
    await store.conn.run("DROP TABLE bench_staged");

    t = performance.now();
    lendColumns(store, "bench", columns);
    await store.conn.run(
      `CREATE TABLE bench_ours AS SELECT ${written} FROM ${columnsSql("bench")} s ${keyJoins}`,
    );
    returnColumns(store, "bench");
    const ourSec = seconds(t);

    const [base, ours] = [
      await store.scalar<string>(`SELECT ${digest} FROM bench_base`),
      await store.scalar<string>(`SELECT ${digest} FROM bench_ours`),
    ];
    if (base !== ours) throw new Error(`bench: the tables differ (${base} vs ${ours})`);
    const baseSec = stageSec + baseWriteSec;
    out.push(
      `run ${rep}: temp table ${baseSec.toFixed(2)} s (staging ${stageSec.toFixed(2)} s, write ${baseWriteSec.toFixed(2)} s), ` +
        `lent columns ${ourSec.toFixed(2)} s (${(ourSec / baseSec).toFixed(2)}x), same rows`,
    );
    await store.conn.run("DROP TABLE bench_base");
    await store.conn.run("DROP TABLE bench_ours");
    await store.conn.run("CHECKPOINT");
  }
  console.log(`${rows.toLocaleString("en-US")} rows of ${names.length} columns, written into a case file`);
  for (const line of out) console.log(line);
  console.log(
    `the arrays: ${Math.round(arrayBytes / 2 ** 20)} MiB; the temp table held ${Math.round(tempBytes / 2 ** 20)} MiB ` +
      `more in DuckDB's memory`,
  );
  console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
