/**
 * Lent columns: SQL reads every value of every column, each row whole, across vector boundaries, with the types the
 * arrays imply, in joins and self-joins and inside a transaction that writes them into a table; views of a larger
 * buffer read from their own offset; a second copy of the module shares the first's columns; unknown names, returned
 * names and mismatched lengths give clear errors.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CaseStore } from "./case.js";
import { columnsSql, lendColumns, returnColumns } from "./lent-columns.js";

describe("lendColumns", () => {
  let store: CaseStore;
  beforeAll(async () => {
    store = await CaseStore.open(":memory:");
  });
  afterAll(() => store.close());

  it("reads every row of every column, past several vectors, with the arrays' types", async () => {
    const n = 5000; // two full vectors of 2048 rows and a partial one
    const id = Int32Array.from({ length: n }, (_, i) => i * 7 - 3000);
    const x = Float64Array.from({ length: n }, (_, i) => (i % 97 === 0 ? Number.NaN : i / 3));
    const flag = Uint8Array.from({ length: n }, (_, i) => (i * 31) % 256);
    const count = Uint32Array.from({ length: n }, (_, i) => 4_294_967_295 - i * 65_537);
    lendColumns(store, "t1", { id, x, flag, count });
    const types = await store.all<{ column_name: string; column_type: string }>(
      `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${columnsSql("t1")})`,
    );
    expect(types.map((t) => [t.column_name, t.column_type])).toEqual([
      ["id", "INTEGER"],
      ["x", "DOUBLE"],
      ["flag", "UTINYINT"],
      ["count", "UINTEGER"],
    ]);
    // the rows come in no particular order (the scan may run on several threads): each carries its index
    const i = Int32Array.from({ length: n }, (_, k) => k);
    lendColumns(store, "t1i", { i, id, x, flag, count });
    const rows = await store.all<{
      i: number;
      id: number;
      x: number | null;
      nan: boolean;
      flag: number;
      count: number;
    }>(
      `SELECT i, id, CASE WHEN isnan(x) THEN NULL ELSE x END AS x, isnan(x) AS nan, flag, count::DOUBLE AS count
         FROM ${columnsSql("t1i")} ORDER BY i`,
    );
    expect(rows).toHaveLength(n);
    rows.forEach((r, k) => {
      expect(r.i).toBe(k);
      expect(r.id).toBe(id[k]);
      if (Number.isNaN(x[k])) expect(r.nan).toBe(true);
      else expect(r.x).toBe(x[k]);
      expect(r.flag).toBe(flag[k]);
      expect(r.count).toBe(count[k]);
    });
    returnColumns(store, "t1i");
    returnColumns(store, "t1");
  });

  it("reads a view of a larger buffer from its own offset", async () => {
    const whole = Int32Array.from({ length: 3000 }, (_, i) => i);
    const part = whole.subarray(1000, 2500);
    lendColumns(store, "view", { v: part });
    const got = await store.all<{ n: number; lo: number; hi: number; s: number }>(
      `SELECT count(*)::INTEGER AS n, min(v) AS lo, max(v) AS hi, sum(v)::DOUBLE AS s FROM ${columnsSql("view")}`,
    );
    expect(got[0]).toEqual({ n: 1500, lo: 1000, hi: 2499, s: ((1000 + 2499) * 1500) / 2 });
    returnColumns(store, "view");
  });

  it("serves joins, two scans of the same columns in one query, and a write inside a transaction", async () => {
    const n = 4500;
    const a = Int32Array.from({ length: n }, (_, i) => i % 10);
    const w = Float64Array.from({ length: n }, (_, i) => i + 0.5);
    lendColumns(store, "pairs", { a, w });
    await store.conn.run("CREATE TEMP TABLE names AS SELECT i AS a, 'n' || i AS name FROM range(10) r(i)");
    await store.conn.run("CREATE TABLE written (name VARCHAR, w DOUBLE)");
    await store.conn.run("BEGIN");
    await store.conn.run(
      `INSERT INTO written SELECT n.name, t.w FROM ${columnsSql("pairs")} t JOIN names n USING (a)`,
    );
    await store.conn.run("COMMIT");
    const written = await store.all<{ name: string; n: number; s: number }>(
      "SELECT name, count(*)::INTEGER AS n, sum(w) AS s FROM written GROUP BY name ORDER BY name",
    );
    const expected = Array.from({ length: 10 }, (_, k) => {
      let s = 0;
      let c = 0;
      for (let i = k; i < n; i += 10) {
        s += w[i]!;
        c++;
      }
      return { name: `n${k}`, n: c, s };
    }).sort((p, q) => (p.name < q.name ? -1 : 1));
    expect(written).toEqual(expected);
    const self = await store.scalar<number>(
      `SELECT count(*)::INTEGER FROM ${columnsSql("pairs")} x JOIN ${columnsSql("pairs")} y ON x.w = y.w`,
    );
    expect(self).toBe(n);
    returnColumns(store, "pairs");
  });

  it("reads empty columns as an empty table", async () => {
    lendColumns(store, "empty", { a: new Int32Array(0), b: new Float64Array(0) });
    expect(await store.scalar<number>(`SELECT count(*)::INTEGER FROM ${columnsSql("empty")}`)).toBe(0);
    returnColumns(store, "empty");
  });

  it("names the columns that are not lent, or no longer", async () => {
    await expect(store.all(`SELECT * FROM ${columnsSql("never")}`)).rejects.toThrow(
      /no columns are lent under the name "never"/,
    );
    lendColumns(store, "gone", { a: Int32Array.of(1, 2) });
    expect(await store.scalar<number>(`SELECT sum(a)::INTEGER FROM ${columnsSql("gone")}`)).toBe(3);
    returnColumns(store, "gone");
    await expect(store.all(`SELECT * FROM ${columnsSql("gone")}`)).rejects.toThrow(/"gone"/);
  });

  it("serves columns lent through a second copy of the module (a fresh module graph) on the same connection", async () => {
    lendColumns(store, "first", { a: Int32Array.of(1) });
    vi.resetModules();
    const again = await import("./lent-columns.js");
    expect(again.lendColumns).not.toBe(lendColumns);
    again.lendColumns(store, "second", { a: Int32Array.of(5, 6) });
    expect(await store.scalar<number>(`SELECT sum(a)::INTEGER FROM ${again.columnsSql("second")}`)).toBe(11);
    expect(await store.scalar<number>(`SELECT sum(a)::INTEGER FROM ${columnsSql("first")}`)).toBe(1);
    again.returnColumns(store, "second");
    returnColumns(store, "first");
  });

  it("refuses columns of different lengths, naming the column", () => {
    expect(() => lendColumns(store, "bad", { a: new Int32Array(3), b: new Float64Array(2) })).toThrow(
      /column b has 2 rows, not 3/,
    );
  });
});
