/**
 * Benchmark: query results read into typed arrays by `readColumns` (src/store/columns.ts) told a bound on the rows
 * (`rowsAtMost`: the arrays made that long from the start) against the same read with arrays grown by doubling,
 * on a sorted query of the shape of the detectors' loads (an INTEGER account, a DOUBLE time and a DOUBLE row).
 * Both in the same process, alternating, with the same arrays; each read's peak is not separable in one process,
 * so the process's peak is printed once.
 *
 *   npx tsx bench/read-columns.ts [--rows 10000000] [--runs 3]
 */
import { parseArgs } from "node:util";
import { CaseStore } from "../src/store/case.js";
import { readColumns } from "../src/store/columns.js";

const { values } = parseArgs({
  options: { rows: { type: "string", default: "10000000" }, runs: { type: "string", default: "3" } },
});
const n = Number(values.rows);
const runs = Number(values.runs);
const store = await CaseStore.open(":memory:");
await store.conn.run(`CREATE TABLE t AS
  SELECT (hash(i) % 50000)::INTEGER AS account, (1.7e12 + i * 997)::DOUBLE AS ts, i::DOUBLE AS row
    FROM range(${n}) r(i)`);
const SQL = "SELECT account, ts, row FROM t ORDER BY account, ts";
const KINDS = { account: "int32", ts: "float64", row: "float64" } as const;
const times = { bounded: [] as number[], doubling: [] as number[] };
for (let r = 0; r < runs; r++) {
  let t = performance.now();
  const bounded = await readColumns(store, SQL, KINDS, undefined, { rowsAtMost: n });
  times.bounded.push((performance.now() - t) / 1000);
  t = performance.now();
  const grown = await readColumns(store, SQL, KINDS);
  times.doubling.push((performance.now() - t) / 1000);
  if (r === 0) {
    for (const k of ["account", "ts", "row"] as const) {
      const a = bounded.cols[k];
      const b = grown.cols[k];
      if (a.length !== b.length || a.some((v, i) => v !== b[i])) throw new Error(`column ${k} differs`);
    }
  }
}
store.close();
const fmt = (xs: number[]): string => xs.map((x) => x.toFixed(2)).join(", ");
console.log(
  `rows                ${n.toLocaleString("en-US")} (3 columns, sorted; the same arrays both ways)`,
);
console.log(`told the rows       ${fmt(times.bounded)} s`);
console.log(`grown by doubling   ${fmt(times.doubling)} s`);
console.log(
  `ratio               ${(Math.min(...times.bounded) / Math.min(...times.doubling)).toFixed(2)}x (best runs)`,
);
console.log(`peak RSS            ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
