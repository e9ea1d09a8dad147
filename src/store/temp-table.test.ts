/**
 * Temp tables from typed columns: every value arrives, in row order, across data-chunk boundaries, with the
 * column types the arrays imply; mismatched lengths are refused before anything is created.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseStore } from "./case.js";
import { writeTempColumns } from "./temp-table.js";

describe("writeTempColumns", () => {
  let store: CaseStore;
  beforeAll(async () => {
    store = await CaseStore.open(":memory:");
  });
  afterAll(() => store.close());

  it("stores every row of every column, past several data chunks", async () => {
    const n = 5000; // two full chunks of 2048 and a partial one
    const id = Int32Array.from({ length: n }, (_, i) => i * 7 - 3000);
    const x = Float64Array.from({ length: n }, (_, i) => i / 3);
    const flag = Uint8Array.from({ length: n }, (_, i) => i % 5);
    await writeTempColumns(store, "chorus_test_cols", { id, x, flag });
    const types = await store.all<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'chorus_test_cols' ORDER BY column_index`,
    );
    expect(types.map((t) => [t.column_name, t.data_type])).toEqual([
      ["id", "INTEGER"],
      ["x", "DOUBLE"],
      ["flag", "UTINYINT"],
    ]);
    const rows = await store.all<{ id: number; x: number; flag: number }>(
      "SELECT id, x, flag FROM chorus_test_cols",
    );
    expect(rows).toHaveLength(n);
    rows.forEach((r, i) => {
      expect(r.id).toBe(id[i]);
      expect(r.x).toBe(x[i]);
      expect(r.flag).toBe(flag[i]);
    });
  });

  it("creates an empty table from empty columns", async () => {
    await writeTempColumns(store, "chorus_test_empty", { a: new Int32Array(0), b: new Float64Array(0) });
    expect(await store.scalar<number>("SELECT count(*)::INTEGER FROM chorus_test_empty")).toBe(0);
  });

  it("refuses columns of different lengths, naming the column", async () => {
    await expect(
      writeTempColumns(store, "chorus_test_bad", { a: new Int32Array(3), b: new Float64Array(2) }),
    ).rejects.toThrow(/column b has 2 rows, not 3/);
    expect(
      await store.scalar<number>(
        "SELECT count(*)::INTEGER FROM duckdb_tables() WHERE table_name = 'chorus_test_bad'",
      ),
    ).toBe(0);
  });
});
