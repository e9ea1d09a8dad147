/**
 * Temporary tables of integers (dense ids, row ids), filled through DuckDB's appender: how detectors hand a set
 * of ids to a query that turns them back into accounts, posts and input rows.
 */
import type { CaseStore } from "./case.js";

export type IntColumn = string | [name: string, type: "INTEGER" | "BIGINT"];

/**
 * Create (or replace) temp table `table` with the given integer columns (INTEGER unless a column says BIGINT)
 * and append `rows`, one array of values per row in column order.
 *
 * @example
 * await writeTempInts(store, "chorus_wanted", [["rowid", "BIGINT"]], rowIds.map((r) => [r]));
 */
export async function writeTempInts(
  store: CaseStore,
  table: string,
  columns: IntColumn[],
  rows: Iterable<number[]>,
): Promise<void> {
  const cols = columns.map((c) => (typeof c === "string" ? ([c, "INTEGER"] as const) : c));
  await store.conn.run(
    `CREATE OR REPLACE TEMP TABLE ${table} (${cols.map(([name, type]) => `${name} ${type}`).join(", ")})`,
  );
  const app = await store.conn.createAppender(table);
  try {
    for (const r of rows) {
      cols.forEach(([, type], i) => {
        const v = r[i]!;
        if (type === "BIGINT") app.appendBigInt(BigInt(v));
        else app.appendInteger(v);
      });
      app.endRow();
    }
  } finally {
    app.closeSync();
  }
}
