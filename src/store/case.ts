/**
 * The case store: one DuckDB file per case. Opening a case creates or migrates it; all times are UTC.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { totalmem } from "node:os";
import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from "@duckdb/node-api";
import { SettingsLease } from "./bulk-settings.js";
import { MIGRATIONS, SCHEMA_VERSION } from "./schema.js";
import { guardConnection } from "./stream.js";

export class CaseError extends Error {
  override name = "CaseError";
}

export interface OpenOptions {
  readOnly?: boolean;
  /** Refuse to create a new case: the file must exist. */
  mustExist?: boolean;
  /** DuckDB memory limit, e.g. "2GB"; default `defaultMemoryLimit()`. */
  memoryLimit?: string;
  threads?: number;
}

/** Share of the machine's memory that DuckDB may hold (it spills to disk beyond it). */
export const DUCKDB_MEMORY_SHARE = 0.125;

/**
 * DuckDB's memory limit unless the caller gives one: an eighth of the machine's (or the container's) memory, at
 * least 1 GiB. DuckDB's own default, 80% of the memory, assumes it is alone in the process; here the analysis
 * holds its columns and ties in JavaScript beside it (the heavy verbs give Node half the memory as heap, see
 * src/cli/heap.ts), and at 10M posts the two together passed the machine's memory and the process was killed.
 * With a quarter, DuckDB's buffer pool held 5-6 GiB of table blocks through the campaign step that nothing needed
 * in memory (10M posts: peak 12.6 GiB against 10.2 GiB with an eighth, in about the same time). DuckDB keeps its
 * tables on disk and spills what it computes beyond the limit. The analysis after ingest runs with a third of
 * this limit (src/report/pipeline.ts).
 */
export function defaultMemoryLimit(
  totalBytes = Math.min(totalmem(), process.constrainedMemory?.() || Infinity),
): string {
  const mib = Math.max(1024, Math.floor((totalBytes * DUCKDB_MEMORY_SHARE) / 2 ** 20));
  return `${mib}MiB`;
}

/** Where a DuckDB database file carries its magic bytes: after the main header's 8-byte checksum. */
const DUCKDB_MAGIC = Buffer.from("DUCK");
const DUCKDB_MAGIC_OFFSET = 8;

/**
 * Whether `path` may be opened as a case: it does not exist yet, or it starts as a DuckDB database does. Checked
 * before DuckDB sees the path, because DuckDB opens a path ending in .json, .jsonl or .csv (say, an input given
 * as the case by mistake) as an empty in-memory database without a word, and whatever is stored in it is lost.
 * An empty file is not a case either (DuckDB refuses it).
 */
function isDuckDbFileOrAbsent(path: string): boolean {
  if (!existsSync(path) || !statSync(path).isFile()) return true; // a directory: DuckDB says what is wrong
  const head = Buffer.alloc(DUCKDB_MAGIC_OFFSET + DUCKDB_MAGIC.length);
  const fd = openSync(path, "r");
  try {
    const n = readSync(fd, head, 0, head.length, 0);
    return n === head.length && head.subarray(DUCKDB_MAGIC_OFFSET).equals(DUCKDB_MAGIC);
  } finally {
    closeSync(fd);
  }
}

/**
 * What to say when DuckDB cannot open a case. Another process holding the case (`chorus serve`, which keeps it
 * open for writing until it stops, or a long `chorus analyze`) is the common cause, and DuckDB's own words about
 * file locks do not say so; Chorus does not wait for the lock to be released.
 */
function openFailure(path: string, duckdbMessage: string): string {
  const first = duckdbMessage.split("\n")[0] ?? "";
  if (/Could not set lock on file/i.test(first)) {
    const pid = /\(PID (\d+)\)/.exec(first)?.[1];
    const holder = pid === undefined ? null : chorusCommandOf(pid);
    return holder !== null
      ? `case ${path}: in use by another process (PID ${pid}: ${holder}); stop it or let it finish, or work on a ` +
          `copy of the case`
      : `case ${path}: in use by another process${pid ? ` (PID ${pid})` : ""}, such as chorus serve or an ` +
          `analysis still running on this case; stop it or let it finish, or work on a copy of the case`;
  }
  return `case ${path}: cannot open as a DuckDB file (${first})`;
}

/** `chorus VERB` when process `pid` runs the chorus command (read from Linux's /proc), else null. */
function chorusCommandOf(pid: string): string | null {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    const at = argv.findIndex((a) => /(^|\/)chorus(\.js)?$/.test(a));
    const verb = at === -1 ? undefined : argv[at + 1];
    return verb !== undefined && /^[a-z]{2,16}$/.test(verb) ? `chorus ${verb}` : null;
  } catch {
    return null;
  }
}

export class CaseStore {
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
  ) {}

  /** Open (creating or migrating) the case at `path`. `:memory:` gives a throw-away case, useful in tests. */
  static async open(path: string, opts: OpenOptions = {}): Promise<CaseStore> {
    if ((opts.readOnly || opts.mustExist) && path !== ":memory:" && !existsSync(path)) {
      throw new CaseError(`case ${path}: no such file`);
    }
    const config: Record<string, string> = { autoinstall_known_extensions: "false" };
    if (opts.readOnly) config["access_mode"] = "READ_ONLY";
    config["memory_limit"] = opts.memoryLimit ?? defaultMemoryLimit();
    if (opts.threads) config["threads"] = String(opts.threads);
    if (path !== ":memory:" && !isDuckDbFileOrAbsent(path)) {
      const remedy = opts.readOnly || opts.mustExist ? "an existing case" : "a new path or an existing case";
      throw new CaseError(`case ${path}: not a Chorus case file (a DuckDB database); give ${remedy}`);
    }
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, config);
    } catch (err) {
      throw new CaseError(openFailure(path, (err as Error).message));
    }
    const conn = await instance.connect();
    guardConnection(conn);
    const store = new CaseStore(path, instance, conn);
    try {
      // icu ships inside the DuckDB package; it gives TIMESTAMPTZ its time-zone arithmetic. All times are UTC.
      await conn.run("LOAD icu");
      await conn.run("SET TimeZone = 'UTC'");
      if (!opts.readOnly) await store.migrate();
      else await store.checkVersion();
    } catch (err) {
      store.close();
      throw err;
    }
    return store;
  }

  async schemaVersion(): Promise<number> {
    const hasMeta = await this.scalar<number>(
      `SELECT count(*)::INTEGER FROM information_schema.columns
        WHERE table_schema = 'main' AND table_name = 'meta' AND column_name IN ('key', 'value')`,
    );
    if (hasMeta !== 2) return 0;
    const v = await this.scalar<string>("SELECT value FROM meta WHERE key = 'schema_version'");
    return v === null ? 0 : Number(v);
  }

  private async checkVersion(): Promise<number> {
    const current = await this.schemaVersion();
    if (current === 0) {
      // no version: a new, empty database, or someone else's, which a case's tables must not be written into
      // its tables and views in any schema of the file (a database of views over files elsewhere, or one that keeps
      // its tables in a schema of its own, is someone else's as much as one with tables in main)
      const tables = await this.all<{ name: string }>(
        `SELECT CASE WHEN table_schema = 'main' THEN '' ELSE table_schema || '.' END || table_name
                || CASE WHEN table_type = 'VIEW' THEN ' (a view)' ELSE '' END AS name
           FROM information_schema.tables
          WHERE table_catalog = current_database() AND table_schema NOT IN ('information_schema', 'pg_catalog')
          ORDER BY table_schema <> 'main', table_schema, table_name LIMIT 4`,
      );
      if (tables.length > 0) {
        const names = tables.slice(0, 3).map((t) => t.name);
        throw new CaseError(
          `case ${this.path}: a DuckDB database, but not a Chorus case (it holds ${names.join(", ")}` +
            `${tables.length > 3 ? ", ..." : ""}); give a new path or an existing case`,
        );
      }
    }
    if (current > SCHEMA_VERSION) {
      throw new CaseError(
        `case ${this.path}: schema version ${current} was written by a newer Chorus (this one knows ${SCHEMA_VERSION})`,
      );
    }
    return current;
  }

  private async migrate(): Promise<void> {
    const current = await this.checkVersion();
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      await this.transaction(async () => {
        for (const sql of m.statements) await this.conn.run(sql);
        await this.conn.run(
          "INSERT OR REPLACE INTO meta VALUES ('schema_version', $v), ('created_by', 'chorus')",
          { v: String(m.version) },
        );
      });
    }
  }

  /** Run `fn` inside one transaction: all or nothing. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.conn.run("BEGIN TRANSACTION");
    try {
      const out = await fn();
      await this.conn.run("COMMIT");
      return out;
    } catch (err) {
      try {
        await this.conn.run("ROLLBACK");
      } catch {
        // the transaction may already be aborted; the original error is what matters
      }
      throw err;
    }
  }

  /**
   * Checkpoint the case after a transaction that only appended rows, without DuckDB's vacuum. An append of millions
   * of rows by a statement of several parts (the objects of a union of queries, the rows of each thread) leaves a
   * partly filled row group at the end of each part, and a checkpoint's vacuum rewrites each run of them it can pack
   * into fewer row groups: most of the checkpoint's time after an ingest (10M posts: 4.8-8.1 s), for tables that
   * read the same either way. With no row deleted there is no space for the vacuum to reclaim. Later checkpoints
   * vacuum as usual, and a table is only looked at again once it changes.
   */
  async checkpointAppends(): Promise<void> {
    const lease = await SettingsLease.take(this.conn, { spareThreads: 0, vacuum: false });
    try {
      await this.conn.run("CHECKPOINT");
    } finally {
      await lease.release();
    }
  }

  /** Rows as plain JS objects (BIGINT comes back as bigint; cast in SQL when a number is wanted). */
  async all<T = Record<string, unknown>>(sql: string, params?: Record<string, DuckDBValue>): Promise<T[]> {
    const reader = await this.conn.runAndReadAll(sql, params);
    return reader.getRowObjectsJS() as T[];
  }

  async scalar<T>(sql: string, params?: Record<string, DuckDBValue>): Promise<T | null> {
    const reader = await this.conn.runAndReadAll(sql, params);
    const rows = reader.getRowsJS();
    return rows.length === 0 ? null : ((rows[0]![0] ?? null) as T | null);
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
