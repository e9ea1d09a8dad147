/**
 * Bulk loading into a case table. Rows are written as delimited text to scratch files and handed to DuckDB's own
 * CSV reader (`INSERT INTO t SELECT … FROM read_csv(…)`), which parses them in parallel on its own threads.
 *
 * Why not the appender: every appended value is one N-API call (about a microsecond, plus a BigInt or a value
 * object for numbers and times), which made the appender the largest single cost of ingest at millions of rows.
 * Writing text is a string concatenation, and DuckDB reads it back faster than the appender fills a chunk.
 *
 * The scratch files are written in segments: while DuckDB loads one segment (asynchronously, on its threads), the
 * caller produces the next, so parsing the input and loading the store overlap. The loads run inside whatever
 * transaction the connection has open, so a failed ingest still rolls back as a whole. Times travel as epoch
 * milliseconds and become TIMESTAMPTZ in SQL; constant columns (the input id) are not written at all.
 */
import { closeSync, openSync, rmSync, writeSync } from "node:fs";
import { makeScratchDir, removeScratchDir } from "./scratch.js";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { DuckDBConnection, DuckDBDataChunk, DuckDBValue } from "@duckdb/node-api";
import { guardConnection, streamChunks } from "./stream.js";

/** How a column travels: text, an integer, or epoch milliseconds stored as TIMESTAMPTZ. */
export type BulkColumnType = "VARCHAR" | "BIGINT" | "INTEGER" | "EPOCH_MS";

export interface BulkTableSpec {
  table: string;
  /** Columns written per row, in order, named as in the table. */
  columns: ReadonlyArray<readonly [name: string, type: BulkColumnType]>;
  /** Columns with one value for every row (SQL literals are built from these numbers). */
  constants?: Readonly<Record<string, number>>;
}

/** A load into the store failed (disk full, a bug in the writer): the ingest cannot go on. */
export class BulkLoadError extends Error {
  override name = "BulkLoadError";
}

/** Field separator: ASCII unit separator, which text almost never contains (values that do are quoted). */
const SEP = "\x1f";
const NEEDS_QUOTES_RE = /[\x1f"\n\r]/;
const QUOTE_RE = /"/g;
/** Characters of ended rows encoded into the buffer at once (at 1M posts, 0.95x the ingest time of a row at once). */
const PENDING_CHARS = 8192;
/** Bytes buffered before a write to the scratch file. */
const OUT_BYTES = 1 << 20;
/**
 * Bytes per segment: large enough that a load's fixed cost does not matter, small enough that the last load, which
 * nothing overlaps, is short.
 */
const DEFAULT_SEGMENT_BYTES = 32 << 20;
/** Largest BIGINT; beyond it a count is nonsense and is stored as NULL. */
const MAX_INT64 = 9.223372036854775e18;
/** Epoch milliseconds that DuckDB's TIMESTAMPTZ (microseconds in int64) can hold, with room to spare. */
const MAX_EPOCH_MS = 8.64e15;

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const sqlIdent = (s: string): string => `"${s.replaceAll('"', '""')}"`;

/**
 * The scratch directory and the queue of loads for one connection. Create writers with `table`, write rows,
 * `finish` every writer, `drain`, and `close` the loader (in a `finally`: it removes the scratch files).
 */
export class BulkLoader {
  readonly dir: string;
  private tail: Promise<void> = Promise.resolve();
  /** Loads queued and not finished, oldest first (they run one after the other on the connection). */
  private readonly queued: Array<Promise<void>> = [];
  private failure: Error | null = null;
  private aborted = false;
  private seq = 0;

  /**
   * @param near a path whose directory holds the scratch files (the case file, so that they land on the same
   *   disk); `:memory:` or a directory whose name DuckDB would read as a glob pattern uses the system temp dir.
   */
  constructor(
    private readonly conn: DuckDBConnection,
    near: string,
    private readonly segmentBytes = DEFAULT_SEGMENT_BYTES,
  ) {
    const base = near === ":memory:" || /[*?[\]{}]/.test(dirname(near)) ? tmpdir() : dirname(near);
    this.dir = makeScratchDir(base, ".chorus-load-");
    guardConnection(conn);
  }

  table(spec: BulkTableSpec): BulkWriter {
    return new BulkWriter(this, spec);
  }

  /** Loads queued and not finished yet. */
  get pending(): number {
    return this.queued.length;
  }

  /** Wait until at most `max` loads are queued (the caller is producing faster than DuckDB loads). */
  async throttle(max = 2): Promise<void> {
    while (this.queued.length > max) await this.queued[0];
    this.throwIfFailed();
  }

  /** Wait for every queued load; throws the first load's failure. */
  async drain(): Promise<void> {
    await this.tail;
    this.throwIfFailed();
  }

  /** Skip the loads still queued (the caller is giving up and will roll back). */
  abort(): void {
    this.aborted = true;
  }

  /** Wait for the load under way, then remove the scratch files. Safe to call twice and after a failure. */
  async close(): Promise<void> {
    await this.tail;
    removeScratchDir(this.dir);
  }

  /**
   * Read `sql` chunk by chunk on the loader's connection (`streamChunks`), once every queued load has run. A load
   * run while the stream is read would end it early, so the guarded connection refuses it and the load fails
   * (src/store/stream.ts): the writers of a loader that streams must not cut a segment before the stream ends
   * (give it a segment size that they never reach, and `finish` them after).
   */
  async *stream(sql: string): AsyncGenerator<DuckDBDataChunk> {
    await this.drain();
    yield* streamChunks(this.conn, sql);
  }

  /**
   * Run `sql` on the loader's connection once every queued load has run: to create a table its writers load, or to
   * work on what they loaded. The writers must not be mid-segment on the rows `sql` reads (`finish` them first).
   */
  async run(sql: string, params?: Record<string, DuckDBValue>): Promise<void> {
    await this.drain();
    await this.conn.run(sql, params);
  }

  /** The first value of `sql`'s first row (null when there is none), read once every queued load has run. */
  async scalar<T>(sql: string, params?: Record<string, DuckDBValue>): Promise<T | null> {
    await this.drain();
    const rows = (await this.conn.runAndReadAll(sql, params)).getRowsJS();
    return rows.length === 0 ? null : ((rows[0]![0] ?? null) as T | null);
  }

  /** @internal */
  nextPath(table: string): string {
    return join(this.dir, `${table.replace(/\W/g, "_")}-${++this.seq}.txt`);
  }

  /** @internal */
  get segmentLimit(): number {
    return this.segmentBytes;
  }

  /** @internal Queue `sql`, which reads `file`; the file is removed once loaded. */
  enqueue(sql: string, file: string): void {
    this.throwIfFailed();
    const load = this.tail.then(async () => {
      try {
        if (this.failure === null && !this.aborted) await this.conn.run(sql);
      } catch (err) {
        this.failure = new BulkLoadError(`store/bulk: loading ${file} failed: ${(err as Error).message}`);
      } finally {
        this.queued.shift();
        rmSync(file, { force: true });
      }
    });
    this.queued.push(load);
    this.tail = load;
  }

  /** @internal */
  throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }
}

/**
 * Rows for one table. Call one field method per column, in the spec's order, then `endRow`. Values are written as
 * text: `null`/`undefined` become SQL NULL, an empty string stays an empty string.
 */
export class BulkWriter {
  /** The row being built. */
  private row = "";
  /**
   * Rows ended and not yet encoded into `out`: an encoding costs a call, so rows are encoded a few thousand
   * characters at a time, which is still soon enough for their cons-string trees to die young.
   */
  private pending = "";
  private readonly out = Buffer.allocUnsafe(OUT_BYTES);
  private used = 0;
  private fd = -1;
  private path = "";
  private col = 0;
  private segmentBytes = 0;
  private longestRow = 0;
  private rowsInSegment = 0;
  private total = 0;
  private readonly insertHead: string;
  private readonly selectList: string;
  private readonly columnsSpec: string;

  constructor(
    private readonly loader: BulkLoader,
    private readonly spec: BulkTableSpec,
  ) {
    const written = spec.columns.map(([name]) => name);
    const constants = Object.entries(spec.constants ?? {});
    this.insertHead = `INSERT INTO ${sqlIdent(spec.table)} (${[...written, ...constants.map(([n]) => n)]
      .map(sqlIdent)
      .join(", ")})`;
    this.selectList = [
      ...spec.columns.map(([name, type]) =>
        type === "EPOCH_MS" ? `make_timestamptz(${sqlIdent(name)} * 1000)` : sqlIdent(name),
      ),
      ...constants.map(([, v]) => {
        if (!Number.isInteger(v)) throw new BulkLoadError(`store/bulk: constant ${v} is not an integer`);
        return String(v);
      }),
    ].join(", ");
    this.columnsSpec = `{${spec.columns
      .map(([name, type]) => `${sqlString(name)}: '${type === "EPOCH_MS" ? "BIGINT" : type}'`)
      .join(", ")}}`;
  }

  /** Rows written so far. */
  get rows(): number {
    return this.total;
  }

  str(v: string | null | undefined): void {
    let s: string;
    if (v === null || v === undefined) s = "";
    else if (v === "") s = '""';
    else if (NEEDS_QUOTES_RE.test(v)) s = `"${v.replace(QUOTE_RE, '""')}"`;
    else s = v;
    if (this.col++ === 0) this.row = s;
    else this.row += SEP + s;
  }

  /** An integer column; non-finite or out-of-range values are NULL, fractions are truncated. */
  int(v: number | null | undefined): void {
    const s =
      v === null || v === undefined || !Number.isFinite(v) || Math.abs(v) >= MAX_INT64
        ? ""
        : String(Math.trunc(v));
    if (this.col++ === 0) this.row = s;
    else this.row += SEP + s;
  }

  /** Epoch milliseconds, rounded to the millisecond; NULL when absent or beyond what TIMESTAMPTZ holds. */
  epochMs(v: number | null | undefined): void {
    const s =
      v === null || v === undefined || !Number.isFinite(v) || Math.abs(v) > MAX_EPOCH_MS
        ? ""
        : String(Math.round(v));
    if (this.col++ === 0) this.row = s;
    else this.row += SEP + s;
  }

  endRow(): void {
    if (this.col !== this.spec.columns.length) {
      throw new BulkLoadError(
        `store/bulk: ${this.spec.table}: row with ${this.col} fields, expected ${this.spec.columns.length}`,
      );
    }
    const row = this.row + "\n";
    this.row = "";
    this.col = 0;
    // a UTF-16 code unit takes at most 3 bytes in UTF-8
    if (this.used + (this.pending.length + row.length) * 3 > OUT_BYTES) {
      // flushing may close the segment: the row is counted after, in the segment it lands in (counted before, a
      // last row that filled the buffer went to a segment counted as empty, which was never loaded)
      this.flush();
      if (row.length * 3 > OUT_BYTES) {
        this.count(row.length);
        this.write(Buffer.from(row, "utf8"));
        return this.maybeRotate();
      }
    }
    this.count(row.length);
    this.pending += row;
    if (this.pending.length >= PENDING_CHARS) this.encodePending();
  }

  private encodePending(): void {
    if (this.pending.length === 0) return;
    this.used += this.out.write(this.pending, this.used, "utf8");
    this.pending = "";
  }

  private count(length: number): void {
    this.total++;
    this.rowsInSegment++;
    if (length > this.longestRow) this.longestRow = length;
  }

  /** Queue the load of what is written (the caller awaits `loader.drain()` for the loads to complete). */
  finish(): void {
    if (this.col !== 0) throw new BulkLoadError(`store/bulk: ${this.spec.table}: unfinished row`);
    this.flush();
    this.rotate();
  }

  private flush(): void {
    this.encodePending();
    if (this.used === 0) return;
    this.write(this.out.subarray(0, this.used));
    this.used = 0;
    this.maybeRotate();
  }

  private write(bytes: Buffer): void {
    if (this.fd === -1) {
      this.path = this.loader.nextPath(this.spec.table);
      this.fd = openSync(this.path, "w");
    }
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
    this.segmentBytes += bytes.length;
  }

  private maybeRotate(): void {
    if (this.segmentBytes >= this.loader.segmentLimit) this.rotate();
  }

  /** Close the current segment and queue its load. */
  private rotate(): void {
    if (this.fd === -1) return;
    closeSync(this.fd);
    this.fd = -1;
    if (this.rowsInSegment > 0) {
      // DuckDB wants the longest line in bytes; a UTF-16 code unit takes at most 3 bytes in UTF-8
      const maxLine = Math.max(2 << 20, this.longestRow * 3 + 1024);
      const buffer = Math.max(32 << 20, 2 * maxLine);
      const sql =
        `${this.insertHead} SELECT ${this.selectList} FROM read_csv(${sqlString(this.path)}, header = false, ` +
        `delim = '${SEP}', quote = '"', escape = '"', new_line = '\\n', allow_quoted_nulls = false, ` +
        `auto_detect = false, null_padding = false, max_line_size = ${maxLine}, buffer_size = ${buffer}, ` +
        `columns = ${this.columnsSpec})`;
      this.loader.enqueue(sql, this.path);
    } else rmSync(this.path, { force: true });
    this.segmentBytes = 0;
    this.rowsInSegment = 0;
    this.longestRow = 0;
  }
}
