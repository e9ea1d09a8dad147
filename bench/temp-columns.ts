/**
 * Benchmark: handing millions of rows of typed columns to DuckDB (`writeTempColumns`), as co-share stages its ties
 * for the SQL that writes them into the case (57M ties of 13 columns at 10M posts).
 *
 *   npx tsx bench/temp-columns.ts [--rows 5000000]
 *
 * Times `writeTempColumns` (one data chunk reused for every full 2,048 rows) against a new data chunk for every
 * 2,048 rows, in the same process on the same columns, alternating, three times each; checks that both tables
 * hold the same rows (count and a hash of every column).
 */
import { DOUBLE, DuckDBDataChunk, INTEGER, UTINYINT } from "@duckdb/node-api";
import { seededRng } from "../src/detectors/detector.js";
import { CaseStore } from "../src/store/case.js";
import { writeTempColumns, type TypedColumn } from "../src/store/temp-table.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}

const rows = Math.floor(Number(arg("--rows", "5000000")));
if (!(rows > 0)) throw new Error("bench: need --rows > 0");

/** The baseline: a data chunk per 2,048 rows. */
async function chunkPerRows(
  store: CaseStore,
  table: string,
  columns: Record<string, TypedColumn>,
): Promise<void> {
  const entries = Object.entries(columns);
  const types = entries.map(([, v]) =>
    v instanceof Int32Array ? INTEGER : v instanceof Float64Array ? DOUBLE : UTINYINT,
  );
  await store.conn.run(
    `CREATE OR REPLACE TEMP TABLE ${table} (${entries.map(([name], i) => `${name} ${types[i]!.toString()}`).join(", ")})`,
  );
  const app = await store.conn.createAppender(table);
  try {
    for (let off = 0; off < rows; off += 2048) {
      const n = Math.min(2048, rows - off);
      const chunk = DuckDBDataChunk.create(types, n);
      entries.forEach(([, values], i) =>
        chunk.setColumnValues(i, values.subarray(off, off + n) as unknown as number[]),
      );
      app.appendDataChunk(chunk);
    }
  } finally {
    app.closeSync();
  }
}

// the shape of co-share's staged ties (src/detectors/co-share/evidence.ts)
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
const digest = `count(*)::VARCHAR || ':' || ${names.map((c) => `sum(hash(${c}))::VARCHAR`).join(" || ':' || ")}`;

const store = await CaseStore.open(":memory:");
try {
  const out: string[] = [];
  for (let rep = 1; rep <= 3; rep++) {
    let t = performance.now();
    await chunkPerRows(store, "bench_base", columns);
    const baseSec = (performance.now() - t) / 1000;
    t = performance.now();
    await writeTempColumns(store, "bench_ours", columns);
    const ourSec = (performance.now() - t) / 1000;
    const [base, ours] = [
      await store.scalar<string>(`SELECT ${digest} FROM bench_base`),
      await store.scalar<string>(`SELECT ${digest} FROM bench_ours`),
    ];
    if (base !== ours) throw new Error(`bench: the tables differ (${base} vs ${ours})`);
    out.push(
      `run ${rep}: chunk per 2,048 rows ${baseSec.toFixed(2)} s, writeTempColumns ${ourSec.toFixed(2)} s ` +
        `(${(ourSec / baseSec).toFixed(2)}x), same rows`,
    );
    await store.conn.run("DROP TABLE bench_base");
    await store.conn.run("DROP TABLE bench_ours");
  }
  console.log(`${rows.toLocaleString("en-US")} rows of ${names.length} columns`);
  for (const line of out) console.log(line);
  console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
} finally {
  store.close();
}
