/**
 * The SQL that writes co-share examples must write times and numbers exactly as JavaScript's toISOString and
 * JSON.stringify do: the stored evidence is compared, quoted and parsed by readers that were written against the
 * JavaScript form.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseStore } from "../../store/case.js";
import { isoMs, jsonNumber } from "./evidence.js";

describe("co-share example SQL", () => {
  let store: CaseStore;
  beforeAll(async () => {
    store = await CaseStore.open(":memory:");
  });
  afterAll(() => store.close());

  it("writes epoch milliseconds as toISOString does", async () => {
    const times = [
      0,
      1,
      -1,
      999,
      1_700_000_000_123,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(1969, 6, 20, 20, 17, 40, 5),
      Date.UTC(1900, 0, 1),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
    ];
    for (const ms of times) {
      const sql = await store.scalar<string>(`SELECT ${isoMs("$ms::DOUBLE")}`, { ms });
      expect(sql, String(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it("writes numbers as JSON.stringify does: integers without a fraction, the rest in shortest form", async () => {
    const values = [0, 5, -3, 60, 0.5, 0.123, 12.5, 1 / 3, 86_400, 1e-7, 123_456_789.001, 2 ** 40];
    for (const x of values) {
      const sql = await store.scalar<string>(`SELECT (${jsonNumber("$x::DOUBLE")})::VARCHAR`, { x });
      expect(sql, String(x)).toBe(JSON.stringify(x));
    }
  });

  it("writes NaN and infinities as null, as JSON.stringify does", async () => {
    for (const x of [Number.NaN, Infinity, -Infinity]) {
      const sql = await store.scalar<string>(`SELECT (${jsonNumber("$x::DOUBLE")})::VARCHAR`, { x });
      expect(sql, String(x)).toBe(JSON.stringify(x));
    }
  });
});
