/**
 * Reading query results straight into typed arrays, chunk by chunk, for the hot kernels (millions of rows: no
 * per-row JS objects). Integer columns go to Int32Array, everything else numeric to Float64Array.
 */
import type { DuckDBValue } from "@duckdb/node-api";
import type { CaseStore } from "./case.js";
import { streamChunks } from "./stream.js";

export type ColumnKind = "int32" | "float64";

export type Columns<C extends Record<string, ColumnKind>> = {
  [K in keyof C]: C[K] extends "int32" ? Int32Array : Float64Array;
};

export interface ReadOptions {
  /**
   * At least as many rows as the query gives (the posts of the case, for a query over some of them): the arrays are
   * made that long from the start, and shortened views of them returned. A fresh page of memory costs a fault when
   * first written (3 to 4 s of CPU a GiB on the machine we measure on), so arrays grown by doubling paid for every
   * copy (10M sorted rows of three columns: 3.5-3.7 s against 2.2-2.8 s, bench/read-columns.ts); pages past the
   * rows are never written, and cost nothing.
   */
  rowsAtMost?: number;
}

export async function readColumns<C extends Record<string, ColumnKind>>(
  store: CaseStore,
  sql: string,
  columns: C,
  params?: Record<string, DuckDBValue>,
  opts: ReadOptions = {},
): Promise<{ rows: number; cols: Columns<C> }> {
  type K = keyof C & string;
  const names = Object.keys(columns) as K[];
  let capacity = Math.max(1 << 16, opts.rowsAtMost ?? 0);
  const out = new Map<K, Int32Array | Float64Array>();
  for (const n of names)
    out.set(n, columns[n] === "int32" ? new Int32Array(capacity) : new Float64Array(capacity));
  let rows = 0;
  let index: number[] = [];
  const onColumns = (returned: string[]): void => {
    index = names.map((n) => {
      const i = returned.indexOf(n);
      if (i === -1) throw new Error(`readColumns: the query has no column ${n}`);
      return i;
    });
  };
  for await (const chunk of streamChunks(store.conn, sql, params, onColumns)) {
    const count = chunk.rowCount;
    if (rows + count > capacity) {
      while (rows + count > capacity) capacity *= 2;
      for (const n of names) {
        const old = out.get(n)!;
        const grown = old instanceof Int32Array ? new Int32Array(capacity) : new Float64Array(capacity);
        grown.set(old.subarray(0, rows));
        out.set(n, grown);
      }
    }
    names.forEach((n, k) => {
      const vec = chunk.getColumnVector(index[k]!);
      const arr = out.get(n)!;
      for (let j = 0; j < count; j++) {
        const v = vec.getItem(j);
        arr[rows + j] = v === null ? (arr instanceof Int32Array ? -1 : NaN) : Number(v);
      }
    });
    rows += count;
  }
  const cols = {} as Record<K, Int32Array | Float64Array>;
  for (const n of names) cols[n] = out.get(n)!.subarray(0, rows);
  return { rows, cols: cols as Columns<C> };
}

/** The posts of the case: a bound on the rows of any query with a row per post (`ReadOptions.rowsAtMost`). */
export async function postCount(store: CaseStore): Promise<number> {
  return (await store.scalar<number>("SELECT count(*)::DOUBLE FROM posts")) ?? 0;
}
