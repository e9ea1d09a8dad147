/**
 * Temporary tables of integers (dense ids, row ids), filled through DuckDB's appender: how detectors hand a set
 * of ids to a query that turns them back into accounts, posts and input rows.
 */
import { DOUBLE, DuckDBDataChunk, INTEGER, UTINYINT } from "@duckdb/node-api";
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

/** A typed column for `writeTempColumns`: INTEGER, DOUBLE or UTINYINT by the array's type. */
export type TypedColumn = Int32Array | Float64Array | Uint8Array;

/** Rows per data chunk: DuckDB's standard vector size. */
const CHUNK_ROWS = 2048;

/**
 * Create (or replace) temp table `table` with one column per entry of `columns` (all the same length) and fill
 * it a data chunk at a time: millions of rows of numbers go in without a call per value.
 *
 * @example
 * await writeTempColumns(store, "chorus_ties", { a: aIds, b: bIds, expected: expectedCounts });
 */
export async function writeTempColumns(
  store: CaseStore,
  table: string,
  columns: Record<string, TypedColumn>,
): Promise<void> {
  const entries = Object.entries(columns);
  const rows = entries[0]?.[1].length ?? 0;
  for (const [name, values] of entries) {
    if (values.length !== rows) {
      throw new RangeError(`temp table ${table}: column ${name} has ${values.length} rows, not ${rows}`);
    }
  }
  const types = entries.map(([, values]) =>
    values instanceof Int32Array ? INTEGER : values instanceof Float64Array ? DOUBLE : UTINYINT,
  );
  await store.conn.run(
    `CREATE OR REPLACE TEMP TABLE ${table} (${entries.map(([name], i) => `${name} ${types[i]!.toString()}`).join(", ")})`,
  );
  const app = await store.conn.createAppender(table);
  try {
    // one chunk serves every full run of rows: the appender copies what it is given, and a chunk keeps its vectors
    // (and their buffers on our side) while its row count stays the same, where a new chunk per 2,048 rows fetched
    // every column's buffer again
    let full: DuckDBDataChunk | undefined;
    for (let off = 0; off < rows; off += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, rows - off);
      const chunk =
        n === CHUNK_ROWS ? (full ??= DuckDBDataChunk.create(types, n)) : DuckDBDataChunk.create(types, n);
      // a typed array is an array of numbers to the data chunk, which checks and copies each value
      entries.forEach(([, values], i) =>
        chunk.setColumnValues(i, values.subarray(off, off + n) as unknown as number[]),
      );
      app.appendDataChunk(chunk);
    }
  } finally {
    app.closeSync();
  }
}
