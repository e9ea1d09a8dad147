import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CaseStore } from "./case.js";
import { BulkLoadError, BulkLoader } from "./bulk.js";
import { SettingsLease } from "./bulk-settings.js";

let dir: string;
let store: CaseStore;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "chorus-bulk-"));
  store = await CaseStore.open(join(dir, "case.duckdb"));
  await store.conn.run(
    "CREATE TABLE t (s VARCHAR, n BIGINT, ts TIMESTAMPTZ, k INTEGER NOT NULL, pad VARCHAR DEFAULT 'd')",
  );
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** DuckDB's threads and memory limit (as it shows it) now. */
async function current(): Promise<[number, string]> {
  const rows = await store.all<{ t: number; m: string }>(
    "SELECT current_setting('threads')::INTEGER AS t, current_setting('memory_limit') AS m",
  );
  return [rows[0]!.t, rows[0]!.m];
}

const SPEC = {
  table: "t",
  columns: [
    ["s", "VARCHAR"],
    ["n", "BIGINT"],
    ["ts", "EPOCH_MS"],
  ],
  constants: { k: 7 },
} as const;

describe("bulk loading", () => {
  it("round-trips awkward text, NULL versus empty, integers and millisecond times", async () => {
    const values: Array<string | null> = [
      null,
      "",
      "plain",
      'a "quoted" word',
      '"',
      "line\nbreak",
      "cr\r\nlf",
      "unit\x1fseparator",
      "nul\u0000byte",
      "سلام، دنیا «نقل»",
      "emoji 👍🏽 and ZWNJ می‌گویند",
      "lone \ud800 surrogate",
      "x".repeat(300_000),
      "\\N",
      "NULL",
      " padded ",
    ];
    const loader = new BulkLoader(store.conn, store.path);
    const w = loader.table({ ...SPEC, columns: [...SPEC.columns] });
    values.forEach((v, i) => {
      w.str(v);
      w.int(i === 1 ? null : i === 2 ? 2 ** 53 : i === 3 ? -0.9 : i === 4 ? Number.NaN : i === 5 ? 1e300 : i);
      w.epochMs(i === 1 ? null : i === 2 ? 1709888415123.4 : i === 3 ? 1e17 : 1700000000000 + i);
      w.endRow();
    });
    w.finish();
    await loader.drain();
    await loader.close();
    const rows = await store.all<{
      s: string | null;
      n: string | null;
      ts: string | null;
      k: number;
      pad: string;
    }>(`SELECT s, n::VARCHAR AS n, strftime(ts, '%Y-%m-%dT%H:%M:%S.%g') AS ts, k, pad FROM t ORDER BY rowid`);
    // a lone surrogate becomes U+FFFD, as it did through the appender
    expect(rows.map((r) => r.s)).toEqual(
      values.map((v) => (v === null ? null : v.replace("\ud800", "\ufffd"))),
    );
    expect(rows.map((r) => r.n).slice(0, 7)).toEqual(["0", null, "9007199254740992", "0", null, null, "6"]);
    expect(rows.map((r) => r.ts).slice(0, 5)).toEqual([
      "2023-11-14T22:13:20.000",
      null,
      "2024-03-08T09:00:15.123",
      null,
      "2023-11-14T22:13:20.004",
    ]);
    expect(new Set(rows.map((r) => r.k))).toEqual(new Set([7]));
    expect(new Set(rows.map((r) => r.pad))).toEqual(new Set(["d"]));
    expect(readdirSync(dir).filter((f) => f.startsWith(".chorus-load-"))).toEqual([]);
  });

  it("loads in segments, in order, inside the caller's transaction", async () => {
    await store.transaction(async () => {
      const loader = new BulkLoader(store.conn, store.path, 4096);
      const w = loader.table({ ...SPEC, columns: [...SPEC.columns] });
      for (let i = 0; i < 5000; i++) {
        w.str(`row ${i}`);
        w.int(i);
        w.epochMs(1700000000000 + i);
        w.endRow();
        if (loader.pending > 2) await loader.throttle();
      }
      w.finish();
      await loader.drain();
      await loader.close();
      expect(w.rows).toBe(5000);
    });
    const n = await store.all<{ n: number; ordered: boolean }>(
      "SELECT count(*)::INTEGER AS n, bool_and(n = rn - 1) AS ordered FROM (SELECT n, row_number() OVER (ORDER BY rowid) AS rn FROM t)",
    );
    expect(n[0]).toEqual({ n: 5000, ordered: true });
  });

  it("keeps the row whose end fills the buffer and closes a segment, whichever row that is", async () => {
    // rows of 200,000 characters: every few rows the 1 MiB buffer fills, and with a one-byte segment limit each
    // flush closes a segment. Before the fix, a last row that triggered that flush went to a segment counted as
    // empty, and was dropped
    for (const n of [5, 6, 7]) {
      await store.conn.run("DELETE FROM t");
      const loader = new BulkLoader(store.conn, store.path, 1);
      const w = loader.table({ ...SPEC, columns: [...SPEC.columns] });
      for (let i = 0; i < n; i++) {
        w.str(String(i).repeat(200_000));
        w.int(i);
        w.epochMs(0);
        w.endRow();
      }
      w.finish();
      await loader.drain();
      await loader.close();
      expect(await store.all<{ n: number }>("SELECT n::INTEGER AS n FROM t ORDER BY rowid")).toEqual(
        Array.from({ length: n }, (_, i) => ({ n: i })),
      );
    }
  });

  it("rolls back with the transaction, and reports a failed load", async () => {
    const err = await store
      .transaction(async () => {
        const loader = new BulkLoader(store.conn, store.path);
        try {
          const w = loader.table({ ...SPEC, columns: [...SPEC.columns], table: "no_such_table" });
          w.str("x");
          w.int(1);
          w.epochMs(1);
          w.endRow();
          w.finish();
          await loader.drain();
        } finally {
          await loader.close();
        }
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BulkLoadError);
    expect(await store.scalar<number>("SELECT count(*)::INTEGER FROM t")).toBe(0);
  });

  it("streams a query only after the loads queued before it, and fails a load queued while it streams", async () => {
    // why: DuckDB ends a connection's open stream when another query runs on it (src/store/stream.test.ts)
    await store.conn.run("INSERT INTO t (s, k) SELECT range::VARCHAR, 0 FROM range(50000)");
    const loader = new BulkLoader(store.conn, store.path, Number.MAX_SAFE_INTEGER);
    try {
      const w = loader.table({ ...SPEC, columns: [...SPEC.columns] });
      for (let i = 0; i < 20000; i++) {
        w.str(`queued ${i}`);
        w.int(i);
        w.epochMs(0);
        w.endRow();
      }
      // the load is queued, not run: the stream must wait for it, and then read every row to the end
      w.finish();
      let rows = 0;
      let queued = 0;
      for await (const chunk of loader.stream("SELECT s FROM t ORDER BY s")) {
        rows += chunk.rowCount;
        for (let j = 0; j < chunk.rowCount; j++) {
          if (String(chunk.getColumnVector(0).getItem(j)).startsWith("queued")) queued++;
        }
      }
      expect([rows, queued]).toEqual([70000, 20000]);

      // a load queued while the stream is read fails (the connection refuses it), and the ingest with it
      const late = loader.table({ ...SPEC, columns: [...SPEC.columns] });
      const refused = async (): Promise<void> => {
        for await (const _chunk of loader.stream("SELECT s FROM t")) {
          late.str("late");
          late.int(1);
          late.epochMs(0);
          late.endRow();
          late.finish();
        }
        await loader.drain();
      };
      const err = await refused().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BulkLoadError);
      expect((err as Error).message).toMatch(
        /loading .* failed: .*while a stream was open on the same connection/,
      );
      expect(await store.scalar<number>("SELECT count(*)::INTEGER FROM t")).toBe(70000);
    } finally {
      await loader.close();
    }
  });

  it("refuses a row with the wrong number of fields", () => {
    const loader = new BulkLoader(store.conn, store.path);
    const w = loader.table({ ...SPEC, columns: [...SPEC.columns] });
    w.str("x");
    expect(() => w.endRow()).toThrow(BulkLoadError);
    return loader.close().then(() => expect(existsSync(loader.dir)).toBe(false));
  });

  it("lends DuckDB's threads to the producer, caps its memory, and restores both", async () => {
    const mib = (shown: string): number => parseFloat(shown) * (shown.endsWith("GiB") ? 1024 : 1);
    const [threads, memory] = await current();
    const lease = await SettingsLease.take(store.conn, { spareThreads: 1, memoryLimit: "64MiB" });
    expect(await current()).toEqual([Math.max(1, threads - 1), "64.0 MiB"]);
    await lease.release();
    await lease.release();
    // restored as shown before (DuckDB shows it rounded, so setting it back may move it by that rounding)
    const [threadsAfter, memoryAfter] = await current();
    expect(threadsAfter).toBe(threads);
    expect(Math.abs(mib(memoryAfter) - mib(memory))).toBeLessThanOrEqual(0.15 * 1024);
    // and in force, not only shown: a table far larger than the lease's cap stays in memory
    await store.conn.run(
      "CREATE TEMP TABLE chorus_big AS SELECT range AS x, repeat('y', 60) || range AS s FROM range(3000000)",
    );
    const used = await store.scalar<number>("SELECT sum(memory_usage_bytes)::DOUBLE FROM duckdb_memory()");
    await store.conn.run("DROP TABLE chorus_big");
    expect(used!).toBeGreaterThan(128 * 2 ** 20);
    // a lower limit set by the user is kept, and restored exactly as shown
    await store.conn.run("SET memory_limit = '50MiB'");
    const kept = await SettingsLease.take(store.conn, { memoryLimit: "100MiB" });
    expect((await current())[1]).toBe("50.0 MiB");
    await kept.release();
    await store.conn.run("SET memory_limit = '3GiB'");
    const custom = await SettingsLease.take(store.conn, { memoryLimit: "100MiB" });
    await custom.release();
    expect((await current())[1]).toBe("3.0 GiB");
  });

  it("turns the checkpoints' vacuum off while held, and back to what it was", async () => {
    const tasks = (): Promise<string | null> =>
      store.scalar<string>("SELECT current_setting('max_vacuum_tasks')::VARCHAR");
    await store.conn.run("SET max_vacuum_tasks = 23");
    const [threads, memory] = await current();
    const lease = await SettingsLease.take(store.conn, { spareThreads: 0, vacuum: false });
    expect(await tasks()).toBe("0");
    expect(await current()).toEqual([threads, memory]);
    await lease.release();
    await lease.release();
    expect(await tasks()).toBe("23");
    // without the option the vacuum is left as it is
    const plain = await SettingsLease.take(store.conn, { spareThreads: 0 });
    expect(await tasks()).toBe("23");
    await plain.release();
  });

  it("caps the memory limit at a share of the one set, never below 1 GiB, and leaves threads alone", async () => {
    const [threads] = await current();
    await store.conn.run("SET memory_limit = '6GiB'");
    const half = await SettingsLease.take(store.conn, { spareThreads: 0, memoryShare: 0.5 });
    expect(await current()).toEqual([threads, "3.0 GiB"]);
    await half.release();
    expect((await current())[1]).toBe("6.0 GiB");
    // a share below 1 GiB is raised to it, and a limit already at or under that is kept
    const floor = await SettingsLease.take(store.conn, { spareThreads: 0, memoryShare: 0.1 });
    expect((await current())[1]).toBe("1.0 GiB");
    await floor.release();
    await store.conn.run("SET memory_limit = '1GiB'");
    const none = await SettingsLease.take(store.conn, { spareThreads: 0, memoryShare: 0.5 });
    expect((await current())[1]).toBe("1.0 GiB");
    await none.release();
    // with a fixed cap too, the lower of the two
    await store.conn.run("SET memory_limit = '6GiB'");
    const both = await SettingsLease.take(store.conn, {
      spareThreads: 0,
      memoryShare: 0.5,
      memoryLimit: "2GiB",
    });
    expect((await current())[1]).toBe("2.0 GiB");
    await both.release();
    expect((await current())[1]).toBe("6.0 GiB");
    expect(both.memoryAtTake).toBe("6.0 GiB");
  });

  it("raises a fixed cap to a share per DuckDB thread, never above the share of the limit", async () => {
    const [threads] = await current();
    await store.conn.run("SET memory_limit = '6GiB'");
    // two threads keep the fixed cap (2 x 256 MiB), eight raise it to 8 x 256 MiB
    for (const [n, limit] of [
      [2, "512.0 MiB"],
      [8, "2.0 GiB"],
    ] as const) {
      await store.conn.run(`SET threads = ${n}`);
      const lease = await SettingsLease.take(store.conn, {
        spareThreads: 0,
        memoryLimit: "512MiB",
        memoryPerThread: "256MiB",
      });
      expect((await current())[1]).toBe(limit);
      await lease.release();
    }
    const shared = await SettingsLease.take(store.conn, {
      spareThreads: 0,
      memoryShare: 0.25,
      memoryLimit: "512MiB",
      memoryPerThread: "256MiB",
    });
    expect((await current())[1]).toBe("1.5 GiB");
    await shared.release();
    expect((await current())[1]).toBe("6.0 GiB");
    await store.conn.run(`SET threads = ${threads}`);
  });
});
