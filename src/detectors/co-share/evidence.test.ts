/**
 * The SQL that writes co-share evidence must write numbers exactly as JavaScript's JSON.stringify does (its times:
 * src/store/sql-time.test.ts): the stored evidence is compared, quoted and parsed by readers that were written
 * against the JavaScript form.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseStore } from "../../store/case.js";
import { jsonNumber } from "./evidence.js";

describe("co-share evidence SQL", () => {
  let store: CaseStore;
  beforeAll(async () => {
    store = await CaseStore.open(":memory:");
  });
  afterAll(() => store.close());

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
