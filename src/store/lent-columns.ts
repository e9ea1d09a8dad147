/**
 * Typed columns that SQL reads where they are: `lendColumns` registers a set of columns under a name, and the table
 * function `chorus_columns('name')` scans them, a vector of rows at a time, each column copied into DuckDB's vector
 * as one block of bytes. This is how a detector hands millions of rows of numbers (co-share's ties) to the SQL that
 * writes them into the case: copied into a temporary table first, they cost DuckDB a table write (about 60 ns a
 * value, 60 s for co-share's 57M ties at 10M posts) and a second copy in memory larger than the arrays themselves
 * (94 bytes a tie against 59), while the arrays stay alive in JavaScript anyway (bench/lent-columns.ts).
 *
 * DuckDB calls the function on the JavaScript thread (the node API serialises its callbacks there), so a query
 * that reads lent columns must be run with the connection's asynchronous methods, as every query here is.
 */
import {
  DOUBLE,
  DuckDBTableFunction,
  INTEGER,
  UINTEGER,
  UTINYINT,
  VARCHAR,
  type DuckDBConnection,
} from "@duckdb/node-api";
import duckdb from "@duckdb/node-bindings";
import type { CaseStore } from "./case.js";

/** A typed column: INTEGER, UINTEGER, DOUBLE or UTINYINT by the array's type. */
export type TypedColumn = Int32Array | Uint32Array | Float64Array | Uint8Array;

/** Threads a scan may use: DuckDB gives it at most its own `threads`. */
const SCAN_THREADS = 64;

/** The table function's name in SQL. */
const FUNCTION = "chorus_columns";

interface Lent {
  names: string[];
  values: TypedColumn[];
  rows: number;
}

/**
 * The lent column sets of a connection, by name, kept on the connection itself (under a registry-wide symbol) and
 * created with the table function that reads them: a second copy of this module (a test's fresh module graph, or
 * compiled and source code in one process) must find the sets that the function registered first reads.
 */
const LENT = Symbol.for("chorus.lent-columns");
type LendingConnection = DuckDBConnection & { [LENT]?: Map<string, Lent> };

/**
 * Lends `columns` (all the same length) to SQL under `name` until `returnColumns`: `columnsSql(name)` reads them as
 * a table with one column per entry, in entry order, its rows in no particular order (the scan may run on several
 * threads). Lending a name again replaces what it held. The arrays are read where they are (views of shared memory
 * are copied once), so they must not change while lent.
 *
 * @example
 * lendColumns(store, "ties", { a: aIds, b: bIds, expected });
 * await store.conn.run(`INSERT INTO t SELECT a, b, expected FROM ${columnsSql("ties")}`);
 * returnColumns(store, "ties");
 */
export function lendColumns(store: CaseStore, name: string, columns: Record<string, TypedColumn>): void {
  const entries = Object.entries(columns);
  const rows = entries[0]?.[1].length ?? 0;
  for (const [column, values] of entries) {
    if (values.length !== rows) {
      throw new RangeError(`lent columns ${name}: column ${column} has ${values.length} rows, not ${rows}`);
    }
  }
  const conn = store.conn as LendingConnection;
  let lent = conn[LENT];
  if (lent === undefined) {
    lent = new Map();
    conn.registerTableFunction(columnsFunction(lent));
    conn[LENT] = lent;
  }
  // the scan hands DuckDB an array's buffer; a view of shared memory is copied once instead
  const values = entries.map(([, v]) => (v.buffer instanceof ArrayBuffer ? v : v.slice()));
  lent.set(name, { names: entries.map(([n]) => n), values, rows });
}

/** Forgets the columns lent under `name` (no-op when none are). */
export function returnColumns(store: CaseStore, name: string): void {
  (store.conn as LendingConnection)[LENT]?.delete(name);
}

/** SQL: the table of the columns lent under `name`, for a FROM clause. */
export function columnsSql(name: string): string {
  return `${FUNCTION}('${name.replaceAll("'", "''")}')`;
}

/** The SQL type of a typed column (see `TypedColumn`). */
export function columnType(
  values: TypedColumn,
): typeof INTEGER | typeof UINTEGER | typeof DOUBLE | typeof UTINYINT {
  if (values instanceof Int32Array) return INTEGER;
  if (values instanceof Uint32Array) return UINTEGER;
  return values instanceof Float64Array ? DOUBLE : UTINYINT;
}

function columnsFunction(lentSets: ReadonlyMap<string, Lent>): DuckDBTableFunction {
  const vectorRows = duckdb.vector_size();
  return DuckDBTableFunction.create({
    name: FUNCTION,
    parameterTypes: [VARCHAR],
    bindFunction: (info) => {
      const name = String(info.getParameter(0));
      const lent = lentSets.get(name);
      if (lent === undefined) {
        info.setError(`${FUNCTION}: no columns are lent under the name ${JSON.stringify(name)}`);
        return;
      }
      lent.names.forEach((n, i) => info.addResultColumn(n, columnType(lent.values[i]!)));
      info.setCardinality(lent.rows, true);
      info.setBindData(lent);
    },
    initFunction: (info) => {
      // every thread of the query takes the next vector of rows: the copy is little work, but the joins and the
      // writes above the scan run in the scanning threads (with one, a whole INSERT ran on one core)
      info.setMaxThreads(SCAN_THREADS);
      info.setInitData({ next: 0 });
    },
    mainFunction: (info, output) => {
      const lent = info.bindData as Lent;
      const state = info.initData as { next: number };
      const from = state.next;
      const n = Math.min(vectorRows, lent.rows - from);
      output.rowCount = n;
      if (n <= 0) return;
      lent.values.forEach((values, i) => {
        // a new output chunk's vectors are all valid, and a typed array's bytes are the vector's layout
        const width = values.BYTES_PER_ELEMENT;
        duckdb.copy_data_to_vector(
          duckdb.data_chunk_get_vector(output.chunk, i),
          0,
          values.buffer as ArrayBuffer,
          values.byteOffset + from * width,
          n * width,
        );
      });
      state.next = from + n;
    },
  });
}
