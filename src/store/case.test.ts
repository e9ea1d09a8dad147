import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CaseError, CaseStore, defaultMemoryLimit } from "./case.js";
import { MIGRATIONS, SCHEMA_VERSION } from "./schema.js";
import { tempDir } from "../../test/helpers/tmp.js";

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => tmp.cleanup());

describe("the case store", () => {
  it("creates every table of the evidence model and records the schema version", async () => {
    const store = await CaseStore.open(tmp.path("c.duckdb"));
    expect(await store.schemaVersion()).toBe(SCHEMA_VERSION);
    const tables = await store.all<{ t: string }>(
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1",
    );
    for (const t of [
      "accounts",
      "campaign_members",
      "campaigns",
      "edges",
      "findings",
      "indicators",
      "inputs",
      "meta",
      "notes",
      "objects",
      "posts",
      "rejects",
      "runs",
    ]) {
      expect(tables.map((r) => r.t)).toContain(t);
    }
    store.close();
  });

  it("reopens an existing case without re-running migrations, keeping its rows", async () => {
    const path = tmp.path("c.duckdb");
    const a = await CaseStore.open(path);
    await a.conn.run(
      "INSERT INTO notes VALUES ('n1', 'account', 'x:1', 'unsure', 'check later', now(), now())",
    );
    a.close();
    const b = await CaseStore.open(path);
    expect(await b.scalar<number>("SELECT count(*)::INTEGER FROM notes")).toBe(1);
    expect(await b.scalar<string>("SELECT value FROM meta WHERE key = 'schema_version'")).toBe(
      String(MIGRATIONS.at(-1)!.version),
    );
    b.close();
  });

  it("gives the quote posts of a case written before quotes were objects the post each quotes, not a link (versions 11 and 12)", async () => {
    const path = tmp.path("c.duckdb");
    const a = await CaseStore.open(path);
    // as version 10 stored them: a quote post naming the post it quotes, and no quote object
    await a.conn.run(
      `INSERT INTO posts VALUES
         ('twitter', 'q1', 'a', '2024-05-01T00:00:00Z', 'so wrong', NULL, 'quote', 'p1', 'b', NULL, 1, 2),
         ('twitter', 'r1', 'a', '2024-05-01T00:01:00Z', 'no', NULL, 'reply', 'p1', 'b', NULL, 1, 3),
         ('twitter', 'p1', 'b', '2024-04-30T23:59:00Z', 'news', NULL, 'post', NULL, NULL, NULL, 1, 1)`,
    );
    // its link to the quoted tweet, kept then as a link of its own with its domain, and a link it did share
    await a.conn.run(
      `INSERT INTO posts VALUES
         ('twitter', 'q2', 'a', '2024-05-01T00:02:00Z', 'see', NULL, 'quote', '1744992470947266561', 'b', NULL, 1, 4)`,
    );
    await a.conn.run(
      `INSERT INTO objects VALUES ('twitter', 'r1', 'reply', 'p1', NULL, 1, 3),
         ('twitter', 'q2', 'url', 'https://twitter.com/news/status/1744992470947266561', NULL, 1, 4),
         ('twitter', 'q2', 'domain', 'twitter.com', NULL, 1, 4),
         ('twitter', 'q2', 'url', 'https://example.org/a', NULL, 1, 4),
         ('twitter', 'q2', 'domain', 'example.org', NULL, 1, 4)`,
    );
    await a.conn.run("UPDATE meta SET value = '10' WHERE key = 'schema_version'");
    a.close();
    const b = await CaseStore.open(path);
    expect(await b.schemaVersion()).toBe(SCHEMA_VERSION);
    const objects = await b.all<{ post_id: string; kind: string; value: string; source_row: number }>(
      "SELECT post_id, kind, value, source_row::INTEGER AS source_row FROM objects ORDER BY post_id, kind",
    );
    expect(objects).toEqual([
      { post_id: "q1", kind: "quote", value: "p1", source_row: 2 },
      { post_id: "q2", kind: "domain", value: "example.org", source_row: 4 },
      { post_id: "q2", kind: "quote", value: "1744992470947266561", source_row: 4 },
      { post_id: "q2", kind: "url", value: "https://example.org/a", source_row: 4 },
      { post_id: "r1", kind: "reply", value: "p1", source_row: 3 },
    ]);
    b.close();
  });

  it("refuses a case written by a newer Chorus, and a file that is not a case", async () => {
    const path = tmp.path("c.duckdb");
    const a = await CaseStore.open(path);
    await a.conn.run("UPDATE meta SET value = '999' WHERE key = 'schema_version'");
    a.close();
    await expect(CaseStore.open(path)).rejects.toThrow(/schema version 999 was written by a newer Chorus/);
    const junk = tmp.path("junk.duckdb");
    writeFileSync(junk, "this is not a database\n".repeat(100));
    await expect(CaseStore.open(junk)).rejects.toBeInstanceOf(CaseError);
    await expect(CaseStore.open(tmp.path("missing.duckdb"), { mustExist: true })).rejects.toThrow(
      /no such file/,
    );
  });

  it("refuses an input file given as the case (JSON Lines, CSV, empty) instead of opening an empty database", async () => {
    // DuckDB opens a path ending in .jsonl or .csv as an in-memory database: ingest reported posts added and kept none
    const jsonl = tmp.path("statuses.jsonl");
    const csv = tmp.path("v.csv");
    const empty = tmp.path("empty.duckdb");
    writeFileSync(jsonl, '{"platform":"x","post_id":"1","account_id":"a","ts":"2024-05-01T10:00:00Z"}\n');
    writeFileSync(csv, "post_id,account_id,ts\n1,a,2024-05-01T10:00:00Z\n");
    writeFileSync(empty, "");
    for (const path of [jsonl, csv, empty]) {
      const before = readFileSync(path, "utf8");
      await expect(CaseStore.open(path)).rejects.toThrow(
        new CaseError(
          `case ${path}: not a Chorus case file (a DuckDB database); give a new path or an existing case`,
        ),
      );
      await expect(CaseStore.open(path, { readOnly: true })).rejects.toThrow(/not a Chorus case file/);
      expect(readFileSync(path, "utf8")).toBe(before);
    }
    const md = tmp.path("notes.md");
    writeFileSync(md, "# notes\n");
    await expect(CaseStore.open(md, { mustExist: true })).rejects.toThrow(
      `case ${md}: not a Chorus case file (a DuckDB database); give an existing case`,
    );
  });

  it("refuses another program's DuckDB database, whatever its tables are named, and leaves it as it was", async () => {
    // each database, and what the refusal says it holds
    const cases: Array<[string, string[], string]> = [
      ["mydata.duckdb", ["CREATE TABLE mydata (x INTEGER)", "INSERT INTO mydata VALUES (1)"], "mydata"],
      // tables named as a case's are, with other columns: DuckDB's own errors, and a half-written case, before
      [
        "meta.duckdb",
        ["CREATE TABLE meta (k VARCHAR, v VARCHAR)", "INSERT INTO meta VALUES ('a', 'b')"],
        "meta",
      ],
      [
        "posts.duckdb",
        [
          "CREATE TABLE posts (a INTEGER)",
          "CREATE TABLE b1 (x INTEGER)",
          "CREATE TABLE b2 (x INTEGER)",
          "CREATE TABLE b3 (x INTEGER)",
        ],
        "b1, b2, b3, ...",
      ],
      // a database of views only (over files elsewhere), and one that keeps its tables in a schema of its own: a
      // case's tables were written beside them before
      ["views.duckdb", ["CREATE VIEW nums AS SELECT * FROM range(3)"], "nums (a view)"],
      [
        "schema.duckdb",
        ["CREATE SCHEMA survey", "CREATE TABLE survey.answers (x INTEGER)", "CREATE TABLE notes (x INTEGER)"],
        "notes, survey.answers",
      ],
    ];
    for (const [name, statements, holds] of cases) {
      const path = tmp.path(name);
      const { DuckDBInstance } = await import("@duckdb/node-api");
      const db = await DuckDBInstance.create(path);
      const conn = await db.connect();
      for (const sql of statements) await conn.run(sql);
      conn.closeSync();
      db.closeSync();
      const tablesBefore = await tablesOf(path);
      const error = await CaseStore.open(path).then(
        () => null,
        (err: Error) => err,
      );
      expect(error?.message).toBe(
        `case ${path}: a DuckDB database, but not a Chorus case (it holds ${holds}); give a new path or an existing case`,
      );
      await expect(CaseStore.open(path, { readOnly: true })).rejects.toThrow(/not a Chorus case/);
      expect(await tablesOf(path)).toEqual(tablesBefore);
    }
  });

  it("still opens a real case, read-only too, after checking its magic bytes", async () => {
    const path = tmp.path("c.duckdb");
    (await CaseStore.open(path)).close();
    expect(readFileSync(path).subarray(8, 12).toString()).toBe("DUCK");
    const again = await CaseStore.open(path, { mustExist: true });
    expect(await again.schemaVersion()).toBe(SCHEMA_VERSION);
    again.close();
    const ro = await CaseStore.open(path, { readOnly: true });
    expect(await ro.schemaVersion()).toBe(SCHEMA_VERSION);
    ro.close();
  });

  it.each([
    [
      [] as string[],
      "such as chorus serve or an analysis still running on this case; stop it or let it finish",
    ],
    // a process whose command line is the chorus command's is named with its verb
    [["/opt/chorus/bin/chorus.js", "analyze"], "chorus analyze); stop it or let it finish"],
  ])("says which process holds a case that another process has open (args %j)", async (args, said) => {
    const path = tmp.path(`c${args.length}.duckdb`);
    (await CaseStore.open(path)).close();
    const holder = spawn(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        'import { DuckDBInstance } from "@duckdb/node-api";' +
          "const db = await DuckDBInstance.create(process.argv[1]); await db.connect();" +
          'console.log("holding"); setInterval(() => {}, 1000);',
        path,
        ...args,
      ],
      { cwd: fileURLToPath(new URL("../..", import.meta.url)), stdio: ["ignore", "pipe", "inherit"] },
    );
    const exited = new Promise((resolve) => holder.once("exit", resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.once("data", () => resolve());
        holder.once("exit", (code) => reject(new Error(`the holding process exited with ${code}`)));
      });
      const inUse = `case ${path}: in use by another process (PID ${holder.pid}${args.length ? ": " : "), "}${said}, or work on a copy of the case`;
      await expect(CaseStore.open(path)).rejects.toThrow(new CaseError(inUse));
      await expect(CaseStore.open(path, { readOnly: true })).rejects.toThrow(new CaseError(inUse));
    } finally {
      holder.kill();
      await exited;
    }
    (await CaseStore.open(path, { readOnly: true })).close();
  });

  it("rolls back a failed transaction as a whole", async () => {
    const store = await CaseStore.open(tmp.path("c.duckdb"));
    await expect(
      store.transaction(async () => {
        await store.conn.run("INSERT INTO notes VALUES ('n1', 'account', 'x:1', NULL, 'a', now(), now())");
        throw new Error("disk full");
      }),
    ).rejects.toThrow("disk full");
    expect(await store.scalar<number>("SELECT count(*)::INTEGER FROM notes")).toBe(0);
    store.close();
  });

  it("checkpoints appended rows without merging their row groups, and leaves the vacuum as it was", async () => {
    // each of three statements appends 130,000 rows on two threads, and leaves a partly filled row group at its end
    // (122,880 rows fill one): a checkpoint's vacuum packs those into fewer row groups, rewriting them
    const appendParts = async (store: CaseStore): Promise<number> => {
      await store.conn.run(
        `CREATE TEMP TABLE parts AS SELECT 'x' AS platform, 'p' || i AS post_id, 'hashtag' AS kind,
                'tag' || (i % 97) AS value, NULL::VARCHAR AS raw, 1 AS input_id, i AS source_row
           FROM range(390000) t(i)`,
      );
      await store.transaction(async () => {
        for (let part = 0; part < 3; part++) {
          await store.conn.run(
            `INSERT INTO objects SELECT * FROM parts WHERE source_row // 130000 = ${part}`,
          );
        }
      });
      return (await rowGroups(store))!;
    };
    const rowGroups = (store: CaseStore): Promise<number | null> =>
      store.scalar<number>(
        "SELECT count(DISTINCT row_group_id)::INTEGER FROM pragma_storage_info('objects')",
      );

    const plain = await CaseStore.open(tmp.path("plain.duckdb"), { threads: 2 });
    const written = await appendParts(plain);
    await plain.conn.run("CHECKPOINT");
    expect(await rowGroups(plain)).toBeLessThan(written);
    plain.close();

    const store = await CaseStore.open(tmp.path("c.duckdb"), { threads: 2 });
    await store.conn.run("SET max_vacuum_tasks = 7");
    const appended = await appendParts(store);
    await store.checkpointAppends();
    expect(await store.scalar<string>("SELECT wal_size FROM pragma_database_size()")).toBe("0 bytes");
    expect(await rowGroups(store)).toBe(appended);
    expect(await store.scalar<string>("SELECT current_setting('max_vacuum_tasks')::VARCHAR")).toBe("7");
    const read = await store.all<{ n: number; last: number; tags: number }>(
      `SELECT count(*)::INTEGER AS n, max(source_row)::INTEGER AS last, count(DISTINCT value)::INTEGER AS tags
         FROM objects`,
    );
    expect(read).toEqual([{ n: 390000, last: 389999, tags: 97 }]);
    store.close();
  });

  it("gives DuckDB an eighth of the machine's memory (at least 1 GiB) unless told otherwise", async () => {
    expect(defaultMemoryLimit(24 * 2 ** 30)).toBe("3072MiB");
    expect(defaultMemoryLimit(12 * 2 ** 30)).toBe("1536MiB");
    expect(defaultMemoryLimit(4 * 2 ** 30)).toBe("1024MiB");
    const limit = async (store: CaseStore): Promise<string> =>
      (await store.scalar<string>("SELECT current_setting('memory_limit')"))!;
    const store = await CaseStore.open(tmp.path("m.duckdb"));
    const mib = Number(defaultMemoryLimit().replace("MiB", ""));
    const shown = await limit(store);
    // DuckDB shows it rounded to a tenth of its unit
    expect(Math.abs(parseFloat(shown) * (shown.endsWith("GiB") ? 1024 : 1) - mib)).toBeLessThanOrEqual(
      0.1 * 1024,
    );
    store.close();
    const told = await CaseStore.open(tmp.path("m.duckdb"), { memoryLimit: "1536MiB" });
    expect(await limit(told)).toBe("1.5 GiB");
    told.close();
  });
});

/** The tables of a DuckDB file, by name. */
async function tablesOf(path: string): Promise<string[]> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(path, { access_mode: "READ_ONLY" });
  const conn = await db.connect();
  const rows = (
    await conn.runAndReadAll("SELECT table_name FROM information_schema.tables ORDER BY 1")
  ).getRowsJS();
  conn.closeSync();
  db.closeSync();
  return rows.map((r) => String(r[0]));
}
