import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { CaseStore } from "./case.js";
import { StreamOpenError, streamChunks } from "./stream.js";

const ROWS = 50_000;
let store: CaseStore;
beforeEach(async () => {
  store = await CaseStore.open(":memory:");
  await store.conn.run(`CREATE TABLE t AS SELECT range AS i FROM range(${ROWS})`);
});
afterEach(() => store.close());

/** Rows read from a stream of every row of t, running `during` after the first chunk. */
async function readAll(conn: DuckDBConnection, during: () => Promise<unknown>): Promise<number> {
  let rows = 0;
  let first = true;
  for await (const chunk of streamChunks(conn, "SELECT DISTINCT i FROM t")) {
    rows += chunk.rowCount;
    if (first) {
      first = false;
      await during();
    }
  }
  return rows;
}

describe("streams on the case's connection", () => {
  it("are ended early, silently, by another query on an unguarded connection (why the guard exists)", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    try {
      await conn.run(`CREATE TABLE t AS SELECT range AS i FROM range(${ROWS})`);
      const rows = await readAll(conn, () => conn.run("SELECT 1"));
      expect(rows).toBeGreaterThan(0);
      expect(rows).toBeLessThan(ROWS);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });

  it("refuse every other query while a stream is open, and the stream reads every row", async () => {
    const refused: unknown[] = [];
    const tryAll = async (): Promise<void> => {
      for (const attempt of [
        () => store.conn.run("SELECT 1"),
        () => store.all("SELECT 1 AS x"),
        () => store.conn.stream("SELECT 1"),
        () => store.conn.prepare("SELECT 1"),
        () => store.conn.createAppender("t"),
      ]) {
        refused.push(await attempt().catch((e: unknown) => e));
      }
    };
    expect(await readAll(store.conn, tryAll)).toBe(ROWS);
    expect(refused).toHaveLength(5);
    for (const e of refused) {
      expect(e).toBeInstanceOf(StreamOpenError);
      expect((e as Error).message).toMatch(/while a stream was open on the same connection/);
    }
    // a stream within a stream is refused too, and the outer one still reads to its end
    let inner: unknown = null;
    const outer = await readAll(store.conn, async () => {
      inner = await (async () => {
        for await (const _chunk of streamChunks(store.conn, "SELECT 1")) return "read";
        return "empty";
      })().catch((e: unknown) => e);
    });
    expect(outer).toBe(ROWS);
    expect(inner).toBeInstanceOf(StreamOpenError);
  });

  it("lets queries run again once the loop ends, by its end, a break or a throw", async () => {
    expect(await readAll(store.conn, async () => undefined)).toBe(ROWS);
    expect(await store.scalar<number>("SELECT 1::INTEGER")).toBe(1);

    for await (const _chunk of streamChunks(store.conn, "SELECT i FROM t")) break;
    expect(await store.scalar<number>("SELECT 2::INTEGER")).toBe(2);

    const thrown = await (async () => {
      for await (const _chunk of streamChunks(store.conn, "SELECT i FROM t")) throw new Error("stop");
    })().catch((e: unknown) => e);
    expect((thrown as Error).message).toBe("stop");
    expect(await store.scalar<number>("SELECT 3::INTEGER")).toBe(3);
  });
});
