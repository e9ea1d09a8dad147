/**
 * Temp tables of integers: every row arrives with the declared column types, BIGINT values past 2^31 intact, and
 * writing the same name again replaces the table.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseStore } from "./case.js";
import { writeTempInts } from "./temp-table.js";

describe("writeTempInts", () => {
  let store: CaseStore;
  beforeAll(async () => {
    store = await CaseStore.open(":memory:");
  });
  afterAll(() => store.close());

  it("stores every row with the declared types", async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => [i - 1000, 2 ** 40 + i]);
    await writeTempInts(store, "chorus_test_ints", ["id", ["rowid_", "BIGINT"]], rows);
    const types = await store.all<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'chorus_test_ints' ORDER BY column_index`,
    );
    expect(types.map((t) => [t.column_name, t.data_type])).toEqual([
      ["id", "INTEGER"],
      ["rowid_", "BIGINT"],
    ]);
    const got = await store.all<{ id: number; r: number }>(
      "SELECT id, rowid_::DOUBLE AS r FROM chorus_test_ints ORDER BY id",
    );
    expect(got.map((g) => [g.id, g.r])).toEqual(rows);
  });

  it("replaces a table of the same name", async () => {
    await writeTempInts(store, "chorus_test_again", ["a"], [[1], [2]]);
    await writeTempInts(store, "chorus_test_again", ["a"], [[7]]);
    expect(await store.all<{ a: number }>("SELECT a FROM chorus_test_again")).toEqual([{ a: 7 }]);
  });
});
