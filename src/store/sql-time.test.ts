/**
 * Times written by SQL must be the strings JavaScript writes for the same instants: evidence, exports and views
 * compare and parse them against times written by toISOString.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseStore } from "./case.js";
import { isoFromEpochMsSql, isoMsSql, isoSecondsSql } from "./sql-time.js";

const TIMES = [
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

describe("SQL times in ISO 8601", () => {
  let store: CaseStore;
  beforeAll(async () => {
    store = await CaseStore.open(":memory:");
  });
  afterAll(() => store.close());

  it("writes epoch milliseconds as toISOString does", async () => {
    for (const ms of TIMES) {
      const sql = await store.scalar<string>(`SELECT ${isoFromEpochMsSql("$ms::DOUBLE")}`, { ms });
      expect(sql, String(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it("writes a TIMESTAMPTZ as toISOString does, in UTC whatever zone it was given in", async () => {
    for (const ms of TIMES) {
      const iso = new Date(ms).toISOString();
      const sql = await store.scalar<string>(
        `SELECT ${isoMsSql("make_timestamp(($ms::DOUBLE * 1000)::BIGINT)::TIMESTAMPTZ")}`,
        { ms },
      );
      expect(sql, iso).toBe(iso);
    }
    const zoned = await store.scalar<string>(
      `SELECT ${isoMsSql("'2024-05-01 14:30:00.250+03:30'::TIMESTAMPTZ")}`,
    );
    expect(zoned).toBe("2024-05-01T11:00:00.250Z");
  });

  it("writes a time to the second, dropping the milliseconds, and leaves NULL as NULL", async () => {
    const sql = await store.scalar<string>(
      `SELECT ${isoSecondsSql("'2024-05-01 14:30:07.999+00'::TIMESTAMPTZ")}`,
    );
    expect(sql).toBe("2024-05-01T14:30:07Z");
    expect(await store.scalar<string | null>(`SELECT ${isoMsSql("NULL::TIMESTAMPTZ")}`)).toBeNull();
    expect(await store.scalar<string | null>(`SELECT ${isoSecondsSql("NULL::TIMESTAMPTZ")}`)).toBeNull();
  });
});
