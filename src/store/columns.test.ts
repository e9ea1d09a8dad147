import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CaseStore } from "./case.js";
import { readColumns } from "./columns.js";

let store: CaseStore;
beforeEach(async () => {
  store = await CaseStore.open(":memory:");
});
afterEach(() => store.close());

/** The same columns read row by row as plain values, NULL as the typed arrays give it (-1, NaN). */
async function rowByRow(
  sql: string,
  kinds: Record<string, "int32" | "float64">,
): Promise<Record<string, number[]>> {
  const rows = await store.all<Record<string, number | bigint | null>>(sql);
  const out: Record<string, number[]> = {};
  for (const [name, kind] of Object.entries(kinds)) {
    out[name] = rows.map((r) => {
      const v = r[name];
      if (v === null || v === undefined) return kind === "int32" ? -1 : NaN;
      // as an Int32Array stores a number
      return kind === "int32" ? Number(v) | 0 : Number(v);
    });
  }
  return out;
}

describe("readColumns", () => {
  it("reads INTEGER, DOUBLE, BIGINT and other columns with their NULLs wherever they fall, over many chunks", async () => {
    // 10,000 rows: five chunks of 2,048 and a short one; NULLs on the words' and bytes' edges (63, 64, 2047,
    // 2048) and on every 7th row, in different places for each column
    const sql = `SELECT i::INTEGER AS id,
                        CASE WHEN i IN (63, 64, 2047, 2048, 9999) OR i % 7 = 0 THEN NULL ELSE (i * 3 - 5000)::INTEGER END AS a,
                        CASE WHEN i % 11 = 3 OR i = 0 THEN NULL ELSE i / 8.0 - 17.25 END AS b,
                        CASE WHEN i % 13 = 5 THEN NULL ELSE (i * 1000003)::BIGINT END AS c,
                        CASE WHEN i % 5 = 1 THEN NULL ELSE (i % 100)::SMALLINT END AS d,
                        (i % 9)::DECIMAL(6, 2) / 4 AS e
                   FROM range(10000) r(i) ORDER BY i`;
    const kinds = { id: "int32", a: "int32", b: "float64", c: "float64", d: "int32", e: "float64" } as const;
    const { rows, cols } = await readColumns(store, sql, kinds);
    const want = await rowByRow(sql, kinds);
    expect(rows).toBe(10_000);
    for (const name of Object.keys(kinds) as Array<keyof typeof kinds>) {
      expect(Array.from(cols[name]), name).toEqual(want[name]);
    }
    // the arrays hold what the query says, not only what the row-by-row read says
    expect(cols.a[63]).toBe(-1);
    expect(cols.a[65]).toBe(65 * 3 - 5000);
    expect(cols.b[0]).toBeNaN();
    expect(cols.b[1]).toBe(1 / 8 - 17.25);
    expect(cols.c[9998]).toBe(9998 * 1000003);
    expect(cols.e[3]).toBe(0.75);
  });

  it("converts between the column's type and the array's as an assignment does", async () => {
    const { cols } = await readColumns(
      store,
      `SELECT 2.75::DOUBLE AS x, 7::INTEGER AS y, NULL::INTEGER AS z, NULL::DOUBLE AS w FROM range(3000)`,
      { x: "int32", y: "float64", z: "float64", w: "int32" },
    );
    expect(cols.x.length).toBe(3000);
    expect(cols.x.every((v) => v === 2)).toBe(true);
    expect(cols.y.every((v) => v === 7)).toBe(true);
    expect(cols.z.every((v) => Number.isNaN(v))).toBe(true);
    expect(cols.w.every((v) => v === -1)).toBe(true);
  });

  it("gives the same arrays, as long as the rows, whatever bound on the rows it is told", async () => {
    const sql = "SELECT i::INTEGER AS a, i / 3.0 AS b FROM range(70000) r(i) ORDER BY i";
    const kinds = { a: "int32", b: "float64" } as const;
    const plain = await readColumns(store, sql, kinds);
    for (const rowsAtMost of [0, 1000, 70_000, 1_000_000]) {
      const bounded = await readColumns(store, sql, kinds, undefined, { rowsAtMost });
      expect(bounded.rows).toBe(70_000);
      expect(bounded.cols.a.length).toBe(70_000);
      expect(Array.from(bounded.cols.a)).toEqual(Array.from(plain.cols.a));
      expect(Array.from(bounded.cols.b)).toEqual(Array.from(plain.cols.b));
    }
  });

  it("names a column the query does not return", async () => {
    await expect(readColumns(store, "SELECT 1 AS a", { b: "int32" })).rejects.toThrow(/no column b/);
  });
});
