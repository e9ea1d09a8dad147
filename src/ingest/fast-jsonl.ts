/**
 * The native JSON Lines format read by DuckDB: its lines are parsed and typed in SQL, on every core, and only what
 * SQL cannot decide exactly like the JavaScript adapter goes through it. The stored rows are the same as the
 * adapter's (a test ingests the same files both ways and compares every table); only the time differs.
 *
 * How it is split:
 * - `stageJsonl` (outside the ingest's transaction, so a failure leaves nothing to roll back, and DuckDB scans what
 *   it staged at full speed) copies the file in slices of 256 MiB of whole lines, each line given its number and
 *   length as two keys of its own, reads each slice with DuckDB's JSON reader, and types each line's values into a
 *   temporary table; the lines the reader cannot show to be plain are read again as text, a line a row, and parsed
 *   from their text, so that they keep it. A line is *plain* when every field the adapter reads has the JSON type
 *   and form that SQL turns into the adapter's value without doubt: strings where strings go (ids of at most 1,024
 *   bytes and not blank, texts of at most 100,000, profile fields within their caps), times as ISO 8601 with `Z` or `±HH:MM` and
 *   at most six fractional digits, counts as integers, entity lists absent or all strings, no key twice (JavaScript
 *   keeps the last of a repeated key, DuckDB the first). The copy stops at bytes that are not UTF-8 and at a line
 *   longer than the record limit; the ingest then takes the adapter's path, which reports such lines one by one.
 * - `loadStagedJsonl` (inside the transaction) sends every line that is not plain through the adapter itself
 *   (numbers as ids, other time layouts, invalid JSON, rejects with their reasons), extracts the lists that plain
 *   lines leave out from their texts, normalises each distinct url, hashtag and mention once in JavaScript with the
 *   adapter's functions, and writes the plain lines' posts, objects and accounts in SQL (the accounts once the
 *   input's duplicates are found, from the rows of the posts kept: dedup.ts).
 *
 * Files with CR, NUL or U+0001 bytes, and gzip files, are left to the adapter: DuckDB's CSV reader would end lines at
 * a CR and cut them at its field separator, so the lines it reads again would no longer be the file's.
 */
import { clipText } from "../normalize/text.js";
import { isUtf8 } from "node:buffer";
import { closeSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import type { Hash } from "node:crypto";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { BulkLoader } from "../store/bulk.js";
import { makeScratchDir, removeScratchDir } from "../store/scratch.js";
import type { CaseStore } from "../store/case.js";
import { parseLine } from "./adapters/chorus-jsonl.js";
import type { TimeZone } from "../normalize/time.js";
import { PROFILE_CAPS } from "./accounts.js";
import { findDuplicatePosts, insertInputAccounts, PROFILE_ROW_COLUMNS, sqlOf } from "./dedup.js";
import { streamInput, type StreamedInput } from "./load.js";
import { extractHashtags, extractMentions, HASHTAG_MARKS, MENTION_MARKS } from "../normalize/entities.js";
import { extractUrls, URL_MARKS } from "../normalize/url.js";
import { hashtagValue, keptRaw, mentionValue, urlObject } from "./records.js";
import type { IngestAdapter, IngestItem, SourceFile } from "./types.js";

/** Files smaller than this are read by the adapter: the fixed cost of the SQL steps is not worth it. */
export const FAST_JSONL_MIN_BYTES = 8 << 20;

/** The keys the adapter reads (`fromChorusRecord`), each parsed as JSON of any type. */
const KEYS = [
  "platform",
  "post_id",
  "account_id",
  "handle",
  "display_name",
  "ts",
  "text",
  "lang",
  "kind",
  "repost_of",
  "reply_to",
  "quote_of",
  "ref_account_id",
  "client",
  "account_created_at",
  "bio",
  "followers",
  "following",
  "avatar_url",
  "location",
  "urls",
  "hashtags",
  "mentions",
] as const;
type Key = (typeof KEYS)[number];
/** The keys whose values are strings when the line is plain. */
const STRINGS: readonly Key[] = KEYS.filter(
  (k) => !["followers", "following", "urls", "hashtags", "mentions"].includes(k),
);

/** Each key's value as the JSON text it has in the line (absent and null both give NULL). */
const SCHEMA = `{${KEYS.map((k) => `"${k}":"JSON"`).join(",")}}`;

/** ISO 8601 that DuckDB's cast and the adapter's parser read to the same instant (to the microsecond, then cut). */
const ISO_RE =
  "[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,6})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])";
/** The adapter's accepted years (normalize/time.ts), as instants. */
const MIN_TS = "TIMESTAMPTZ '1990-01-01 00:00:00+00'";
const MAX_TS = "TIMESTAMPTZ '2100-12-31 23:59:59.999+00'";

/**
 * The length in bytes of a line that holds the keys it has of KEYS once each and nothing else, written without
 * spaces: `{"k":v,...}`, each value as DuckDB writes the JSON it parsed. A line that matches it has no key twice,
 * so the second parse that lists its keys is not needed (see `parseLinesSql`).
 */
const MINIMAL_LEN = `(1 + ${KEYS.map((k) => `coalesce(${Buffer.byteLength(k) + 4} + strlen(j.${k}), 0)`).join(" + ")})`;

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/**
 * The string a JSON string's text stands for: without a backslash it is the text between the quotes; with one,
 * DuckDB's JSON reader unescapes it.
 */
const unquote = (j: string): string => `CASE WHEN contains(${j}, '\\') THEN ${j}->>'$' ELSE ${j}[2:-2] END`;
const isStr = (j: string): string => `starts_with(${j}, '"')`;
/** A key that is absent, null, or a string of at most `maxBytes` bytes (UTF-8 bytes >= UTF-16 units, so the
 * adapter cuts nothing that SQL keeps whole). */
const optStr = (k: Key, maxBytes?: number): string =>
  `(j.${k} IS NULL OR (${isStr(`j.${k}`)}${maxBytes === undefined ? "" : ` AND strlen(v_${k}) <= ${maxBytes}`}))`;
/** What JavaScript's `trim` removes, as an RE2 class: a required id of these alone is blank, and rejected. */
const JS_SPACE =
  "[\\x{09}-\\x{0D}\\x{20}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}]";
/** A required string, not blank (its first character settles that for almost every id), of at most `maxBytes`. */
const reqStr = (k: Key, maxBytes: number): string =>
  `(${isStr(`j.${k}`)} AND v_${k} <> '' AND strlen(v_${k}) <= ${maxBytes}
    AND (ascii(v_${k}) BETWEEN 33 AND 126 OR NOT regexp_full_match(v_${k}, '${JS_SPACE}*')))`;
/** A count: absent, null, "", or an integer that a double holds exactly. */
const okCount = (k: Key): string =>
  `(j.${k} IS NULL OR j.${k} = '""'
     OR (regexp_full_match(j.${k}, '[0-9]{1,16}') AND try_cast(j.${k} AS BIGINT) <= 9007199254740991))`;
/**
 * A list absent (the adapter extracts it from the text; so does `extractItems`) or whose items are all strings (a
 * null item is NULL here, and fails too).
 */
const okList = (k: Key): string =>
  `(j.${k} IS NULL OR starts_with(j.${k}, '[') AND len(list_filter(l_${k}, lambda e: NOT coalesce(${isStr("e")}, false))) = 0)`;
const isoTime = (k: Key): string =>
  `CASE WHEN ${isStr(`j.${k}`)} AND regexp_full_match(v_${k}, '${ISO_RE}') THEN try_cast(v_${k} AS TIMESTAMPTZ) END`;

/** Whether the file's bytes let DuckDB's line numbers be the file's (see the module comment). */
export function linesAreDuckDbSafe(chunk: Buffer): boolean {
  return chunk.indexOf(0x0d) === -1 && chunk.indexOf(0x00) === -1 && chunk.indexOf(0x01) === -1;
}

/** Bytes of the input numbered at once: bounds the memory of its raw lines, copied while they are numbered. */
export const SLICE_BYTES = 256 << 20;

/**
 * Parse the file's lines into the temporary table `table`, in slices of whole lines of about `sliceBytes` (copied,
 * numbered, to a scratch folder beside the case). Returns null, or (leaving no table) the reason when DuckDB cannot
 * read the file as lines or a line is longer than `maxRecordBytes`.
 */
export async function stageJsonl(
  store: CaseStore,
  absPath: string,
  table: string,
  maxRecordBytes: number,
  opts: StageOptions = {},
): Promise<string | null> {
  const { sliceBytes = SLICE_BYTES, hash, onBytes, onSlice, wideLineMemoryLimit } = opts;
  const near = store.path === ":memory:" ? tmpdir() : dirname(store.path);
  const scratch = makeScratchDir(/[*?[\]{}]/.test(near) ? tmpdir() : near, ".chorus-slices-");
  const slices = numberedSlices(absPath, sliceBytes, scratch, maxRecordBytes, hash);
  // the JSON reader is tried while the file's lines are written in the form it can show to be plain
  let reader = readerSuits(fileStart(absPath));
  const afterSlice = (r: SliceRead): void => {
    if (r.reader && r.plainFromReader < READER_MIN_PLAIN * r.lines) reader = false;
    onSlice?.(r);
  };
  try {
    let next = slices.next();
    for (let first = true; !next.done; first = false) {
      const slice = next.value;
      // the next slice is copied while DuckDB parses this one, on its own threads
      const parsing = stageSlice(
        store,
        slice,
        table,
        maxRecordBytes,
        !first,
        reader,
        wideLineMemoryLimit,
        afterSlice,
      );
      let refused: string | null;
      try {
        next = slices.next();
      } finally {
        refused = await parsing;
        rmSync(slice.path, { force: true });
      }
      if (refused !== null) {
        await store.conn.run(`DROP TABLE IF EXISTS ${table}`);
        return refused;
      }
      onBytes?.(slice.bytesRead);
    }
    return null;
  } catch (err) {
    await store.conn.run(`DROP TABLE IF EXISTS ${table}`);
    if (err instanceof NotStaged) return err.message;
    throw err;
  } finally {
    slices.return(undefined);
    removeScratchDir(scratch);
  }
}

/** Bytes of the file's start whose lines decide whether DuckDB's JSON reader is tried (`readerSuits`). */
const SAMPLE_BYTES = 64 << 10;
/** Lines of them looked at. */
const SAMPLE_LINES = 64;
/**
 * The share of a slice's lines the JSON reader must find plain for it to be tried on the next: it pays when nearly
 * every line is (each line it cannot show to be plain is parsed again as text, and the slice read again to find it).
 */
const READER_MIN_PLAIN = 0.9;

/** The first `SAMPLE_BYTES` of the file. */
function fileStart(absPath: string): Buffer {
  const fd = openSync(absPath, "r");
  try {
    const buf = Buffer.alloc(SAMPLE_BYTES);
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether the whole lines of `start` (the file's first bytes) are mostly written as JSON.stringify writes them: no
 * spaces, no escape longer than it needs, nothing but a JSON object. DuckDB's JSON reader shows a line plain only
 * when it is written that way (as long as its values written back); a file written otherwise (Python's json.dumps
 * puts spaces after its separators and escapes every character beyond ASCII) would have every line read twice, so
 * it is read as text from the start. A guess that only decides the time: the rows are the same either way.
 */
export function readerSuits(start: Buffer): boolean {
  const end = start.lastIndexOf(0x0a);
  // no whole line in the sample: lines of 64 KiB and more, which the reader is tried on
  if (end === -1) return true;
  let tried = 0;
  let compact = 0;
  for (const line of start.toString("utf8", 0, end).split("\n", SAMPLE_LINES)) {
    if (line === "") continue;
    tried++;
    try {
      const value: unknown = JSON.parse(line);
      if (
        typeof value === "object" &&
        value !== null &&
        !Array.isArray(value) &&
        JSON.stringify(value) === line
      )
        compact++;
    } catch {
      // not JSON: a line the reader passes over
    }
  }
  return compact >= READER_MIN_PLAIN * tried;
}

/**
 * The query that types the parsed lines of `source` into `table`, creating it or, with `append`, appending to it.
 * `source` is a relation of each line's number `rn`, its text `line` (NULL when DuckDB's JSON reader parsed it:
 * `jsonReaderSql`), its length in bytes `len`, and `j`, its values as JSON text by key (NULL when it is not a JSON
 * object), and `nul_free`, whether the line holds no \u0000 escape (a line with one is left to the adapter; the
 * copy gives the JSON reader none: `SliceWriter`).
 *
 * A key twice is found without a second parse on most lines: DuckDB writes back a value of a plain line in at most
 * the bytes it had (it drops spaces and writes the shortest escapes; plain numbers are digits), so a line exactly as
 * long as its known values written back in `{"k":v,...}` (`MINIMAL_LEN`) has nothing else: no key twice, no other
 * key, no space. Only the lines longer than that have their keys listed (`json_keys`, which parses the line again;
 * a line read by the JSON reader has no text, so it is not plain, and is read again as text: `stageSlice`). A line
 * that lists `images` is one of those (the key is not one the SQL reads), and is never plain: the adapter reads it,
 * normalising the ids and rejecting a hash written as a number (a column for the key cost 3% of the parse).
 */
function typedLinesSql(source: string, table: string, append: boolean): string {
  const str = (k: Key): string => `nullif(v_${k}, '') AS ${k}`;
  const strValues = STRINGS.map(
    (k) => `CASE WHEN ${isStr(`j.${k}`)} THEN ${unquote(`j.${k}`)} END AS v_${k}`,
  );
  const listValues = ["urls", "hashtags", "mentions"].map(
    (k) => `CASE WHEN starts_with(j.${k}, '[') THEN from_json(j.${k}, '["JSON"]') END AS l_${k}`,
  );
  return `${append ? `INSERT INTO ${table}` : `CREATE TEMP TABLE ${table} AS`}
    SELECT rn, plain, CASE WHEN NOT plain THEN line END AS line,
           lower(v_platform) AS platform, v_post_id AS post_id, v_account_id AS account_id,
           epoch_ms(ts_v) AS ts_ms, ${str("text")}, ${str("lang")}, nullif(v_kind, '') AS kind_given,
           ${str("repost_of")}, ${str("reply_to")}, ${str("quote_of")}, ${str("ref_account_id")}, ${str("client")},
           ${str("handle")}, ${str("display_name")}, ${str("bio")}, epoch_ms(created_v) AS created_ms,
           try_cast(j.followers AS BIGINT) AS followers, try_cast(j.following AS BIGINT) AS following,
           ${str("avatar_url")}, ${str("location")},
           list_transform(l_urls, lambda e: ${unquote("e")}) AS urls,
           list_transform(l_hashtags, lambda e: ${unquote("e")}) AS hashtags,
           list_transform(l_mentions, lambda e: ${unquote("e")}) AS mentions
      FROM (
        SELECT *,
               coalesce(keys_unique
                 AND nul_free
                 AND ${isStr("j.platform")} AND regexp_full_match(v_platform, '[A-Za-z0-9_.-]{1,64}')
                 AND ${reqStr("post_id", 1024)} AND ${reqStr("account_id", 1024)}
                 AND ts_v BETWEEN ${MIN_TS} AND ${MAX_TS}
                 AND ${optStr("handle", PROFILE_CAPS.handle)} AND ${optStr("display_name", PROFILE_CAPS.displayName)}
                 AND ${optStr("bio", PROFILE_CAPS.bio)} AND ${optStr("avatar_url", PROFILE_CAPS.avatarUrl)}
                 AND ${optStr("location", PROFILE_CAPS.location)}
                 AND ${optStr("text", 100_000)} AND ${optStr("lang", 32)} AND ${optStr("client", 256)}
                 AND ${optStr("repost_of", 1024)} AND ${optStr("reply_to", 1024)} AND ${optStr("quote_of", 1024)}
                 AND ${optStr("ref_account_id", 1024)}
                 -- a quote whose links may hold the link to the post it quotes: JavaScript leaves that one out
                 -- (records.ts), as the quote's object
                 AND (coalesce(v_quote_of, '') = '' OR (j.urls IS NOT NULL AND NOT contains(lower(j.urls), '/status')))
                 AND (j.kind IS NULL OR v_kind IN ('', 'post', 'repost', 'reply', 'quote'))
                 AND (j.account_created_at IS NULL OR v_account_created_at = ''
                      OR created_v BETWEEN ${MIN_TS} AND ${MAX_TS})
                 AND ${okCount("followers")} AND ${okCount("following")}
                 AND ${okList("urls")} AND ${okList("hashtags")} AND ${okList("mentions")},
                 false) AS plain
          FROM (
            SELECT *, ${isoTime("ts")} AS ts_v, ${isoTime("account_created_at")} AS created_v
              FROM (
                SELECT rn, line, j, nul_free,
                       CASE WHEN j IS NULL THEN NULL WHEN len = ${MINIMAL_LEN} THEN true
                            ELSE list_transform([json_keys(line)],
                                                lambda k: len(k) = list_unique(k) AND NOT list_contains(k, 'images'))[1]
                       END AS keys_unique,
                       ${strValues.join(", ")}, ${listValues.join(", ")}
                  FROM (${source}))))`;
}

/**
 * SQL: the lines of `lines` (a relation of `rn` and `line`, the line's text) parsed by DuckDB's JSON functions, as
 * `typedLinesSql` reads them.
 */
function textLinesSql(lines: string, maxRecordBytes: number): string {
  return `SELECT rn, line, strlen(line) AS len, NOT contains(line, '\\u0000') AS nul_free,
                 CASE WHEN starts_with(line, '{') AND ends_with(line, '}') AND strlen(line) <= ${maxRecordBytes}
                      THEN try(json_transform(line, '${SCHEMA}')) END AS j
            FROM ${lines}`;
}

/**
 * SQL: the lines of the slice at `path` parsed by DuckDB's JSON reader, as `typedLinesSql` reads them (no text). A
 * line that is not a JSON object, or that DuckDB's reader refuses, has no number here.
 */
function jsonReaderSql(path: string): string {
  const columns = `{'#': 'BIGINT', '#L': 'BIGINT', ${KEYS.map((k) => `'${k}': 'JSON'`).join(", ")}}`;
  const values = `{${KEYS.map((k) => `${k}: "${k}"`).join(", ")}}`;
  return `SELECT "#" AS rn, NULL::VARCHAR AS line, "#L" AS len, true AS nul_free, ${values} AS j
            FROM read_json(${sqlString(path)}, format = 'newline_delimited', records = true, auto_detect = false,
                           columns = ${columns}, ignore_errors = true,
                           maximum_object_size = ${SHORT_LINE_BYTES})
           WHERE "#" IS NOT NULL`;
}

/**
 * Parse one numbered slice (`numberedSlices`) into `table`, created by the first slice and appended to by the others
 * (`append`). Returns null, or DuckDB's reason for refusing the slice (not UTF-8).
 *
 * DuckDB's JSON reader parses the slice on every core, straight into a column of each key's value (in less time and CPU
 * than reading the lines as text and parsing each with json_transform: docs/design-choices.md), and its plain lines are
 * stored. The lines it cannot show to be plain (not JSON objects, not written as their values alone, or failing a rule)
 * are then read again as text, and parsed as text, so that the lines that are not plain keep their text for the
 * adapter. A slice with a line over `SHORT_LINE_BYTES`, or of a file whose lines are not written in the reader's form
 * (`reader` false), is read as text whole.
 */
async function stageSlice(
  store: CaseStore,
  slice: Slice,
  table: string,
  maxRecordBytes: number,
  append: boolean,
  reader: boolean,
  wideLineMemoryLimit?: string,
  onSlice?: (read: SliceRead) => void,
): Promise<string | null> {
  const short = isShortLine(slice.longestLine);
  const tryReader = reader && short;
  const lift = wideLineMemoryLimit !== undefined && !short;
  const limit = lift ? await store.scalar<string>("SELECT current_setting('memory_limit')") : null;
  try {
    if (lift) await store.conn.run(`SET memory_limit = ${sqlString(wideLineMemoryLimit)}`);
    let plain = 0;
    if (tryReader) {
      await store.conn.run(typedLinesSql(jsonReaderSql(slice.path), table, append));
      append = true;
      const inSlice = `rn BETWEEN ${slice.firstLine} AND ${slice.firstLine + slice.lines - 1}`;
      plain =
        (await store.scalar<number>(`SELECT count(*)::DOUBLE FROM ${table} WHERE ${inSlice} AND plain`)) ?? 0;
      // the reader's lines that are not plain are read again as text: they need it for the adapter
      if (plain < slice.lines) await store.conn.run(`DELETE FROM ${table} WHERE ${inSlice} AND NOT plain`);
    }
    if (plain < slice.lines) {
      const lines = sliceTextSql(slice, maxRecordBytes, tryReader ? table : null);
      await store.conn.run(typedLinesSql(textLinesSql(lines, maxRecordBytes), table, append));
    }
    onSlice?.({
      lines: slice.lines,
      reader: tryReader,
      plainFromReader: plain,
    });
    return null;
  } catch (err) {
    const msg = (err as Error).message ?? String(err);
    // the file's bytes; anything else is a fault of this code, and is raised
    if (!msg.startsWith("Invalid Input Error")) throw err;
    return msg.split("\n")[0]!;
  } finally {
    if (limit !== null) await store.conn.run(`SET memory_limit = ${sqlString(limit)}`);
  }
}

/**
 * SQL: the slice's lines as text, each with its number (a relation of `rn` and `line`, the line as the file has it),
 * read by DuckDB's CSV reader a line a row; with `stored`, only the lines of the slice that table does not hold yet.
 * The reader's buffer follows the slice's longest line (`csvReaderOptions`).
 */
function sliceTextSql(slice: Slice, maxRecordBytes: number, stored: string | null): string {
  // each written line starts {"#":N,"#L":L, (the line's own opening brace dropped) or {"#":N,"#L":-1} (the
  // line follows whole): see `SliceWriter`. c is where the comma after N is. Numbers and brackets are ASCII, so
  // characters count bytes here
  const lo = slice.firstLine;
  const hi = slice.firstLine + slice.lines - 1;
  const csvOptions = csvReaderOptions(slice.longestLine, maxRecordBytes);
  const unstored =
    stored === null ? "" : `AND rn NOT IN (SELECT rn FROM ${stored} WHERE rn BETWEEN ${lo} AND ${hi})`;
  const head = LINE_HEAD.length;
  const after = `c + ${LENGTH_HEAD.length}`; // where the line's length is written, or -1}
  const notObject = NOT_AN_OBJECT.toString();
  return `(SELECT rn, CASE WHEN substr(w, ${after}, ${notObject.length}) = '${notObject}'
                          THEN substr(w, ${after} + ${notObject.length})
                          ELSE '{' || substr(w, ${after} + strpos(substr(w, ${after}, ${DIGITS_MAX + 1}), ',')) END AS line
             FROM (SELECT w, c, substr(w, ${head + 1}, c - ${head + 1})::BIGINT AS rn
                     FROM (SELECT line AS w, strpos(line, ',') AS c
                             FROM read_csv(${sqlString(slice.path)}, columns = {'line': 'VARCHAR'}, header = false,
                                           delim = chr(1), quote = '', escape = '', comment = '', auto_detect = false,
                                           strict_mode = false, ${csvOptions})))
            WHERE rn BETWEEN ${lo} AND ${hi} ${unstored})`;
}

/** Lines up to this long (bytes, with their numbers) are read by DuckDB's CSV reader in `SHORT_LINE_BUFFER`s. */
export const SHORT_LINE_BYTES = 1 << 20;
const SHORT_LINE_BUFFER = 8 << 20;

/**
 * DuckDB's CSV reader options for a slice whose longest numbered line has `longestLine` bytes (its newline
 * included). Left to itself, DuckDB gave its buffer many times the longest line it was told of, and with the
 * record limit (16 MiB) as that a slice of 256 MiB was read in one or two buffers, hardly in parallel: parsing a
 * slice of 600k posts took 2.74 s, against 1.82-1.98 s with a longest line of 1 MiB in buffers of 2 to 8 MiB (1.90 s
 * at 8 MiB, 2.16 s at 16 MiB). A slice with a longer line keeps DuckDB's own buffer: with one of 13 MiB, its
 * parallel reader refused a slice with a 9 MB line.
 */
function csvReaderOptions(longestLine: number, maxRecordBytes: number): string {
  return isShortLine(longestLine)
    ? `max_line_size = ${SHORT_LINE_BYTES}, buffer_size = ${SHORT_LINE_BUFFER}`
    : `max_line_size = ${maxRecordBytes + 64}`;
}

/** Whether a slice whose longest numbered line has `longestLine` bytes is read in `SHORT_LINE_BUFFER`s. */
function isShortLine(longestLine: number): boolean {
  return longestLine + 64 <= SHORT_LINE_BYTES;
}

/** How a slice's lines were read (`stageSlice`). */
export interface SliceRead {
  lines: number;
  /** Whether DuckDB's JSON reader was tried on the slice (`readerSuits`, `READER_MIN_PLAIN`). */
  reader: boolean;
  /** Plain lines read by DuckDB's JSON reader; the others were read (again) as text. */
  plainFromReader: number;
}

/** One numbered slice of the file (`numberedSlices`). */
interface Slice {
  path: string;
  /** Bytes of the file read up to the slice's end. */
  bytesRead: number;
  /** Bytes of the slice's longest line as written, with its number and newline. */
  longestLine: number;
  /** The number of the slice's first line in the file, and how many lines it holds. */
  firstLine: number;
  lines: number;
}

/** A line longer than the record limit, or bytes DuckDB cannot number lines by: the adapter reads the file. */
class NotStaged extends Error {}

export interface StageOptions {
  /** Bytes of the file copied and parsed at once (default `SLICE_BYTES`). */
  sliceBytes?: number | undefined;
  /**
   * Fed every byte of the file as it is read (the caller digests it when the file was staged), and each read is
   * checked for the bytes `linesAreDuckDbSafe` refuses: the file is then not staged.
   */
  hash?: Hash | undefined;
  /** Called after each slice with the bytes of the file read so far. */
  onBytes?: ((bytesRead: number) => void) | undefined;
  /** Called after each slice parsed with how its lines were read (for tests and benchmarks). */
  onSlice?: ((read: SliceRead) => void) | undefined;
  /**
   * DuckDB's memory limit while it reads a slice with a line over `SHORT_LINE_BYTES` (e.g. "3GiB"), restored after
   * it: such a slice keeps DuckDB's own reader buffers, sized from the record limit, which a limit kept low for the
   * short lines cannot hold (at 512 MiB, a slice with lines of 6 and 9 MB ran out of memory).
   */
  wideLineMemoryLimit?: string | undefined;
}

/** Bytes of numbered lines gathered before they are written to the slice's file (`SliceWriter`). */
const WRITE_BYTES = 4 << 20;

const LINE_HEAD = Buffer.from('{"#":');
const LENGTH_HEAD = Buffer.from(',"#L":');
const NOT_AN_OBJECT = Buffer.from("-1}");
const NUL_ESCAPE = Buffer.from("\\u0000");

/**
 * Writes numbered lines to a slice's file through one buffer, reused: each line's number, its length and its bytes are
 * copied into it, and it is written when full. A line that opens with a brace is written as a JSON object with two keys
 * first, `{"#":N,"#L":L,` and then the line after its brace: its number N in the file and its length L in bytes, which
 * DuckDB's JSON reader gives beside its values (a key given twice keeps its first value there, so the line cannot
 * change them). Any other line (and one with a \u0000 escape) follows `{"#":N,"#L":-1}` whole, and is never plain to
 * the reader. Building a Buffer for each number and joining each read's lines into a new one took CPU from DuckDB's
 * parse beside it: at 10M posts the copy alone took 24-29 CPU seconds, half of them in the kernel (most likely the
 * fresh memory of a 4 MiB join at every read), against 6 (the same bytes written; see docs/design-choices.md).
 */
class SliceWriter {
  private readonly out = Buffer.allocUnsafe(WRITE_BYTES);
  private used = 0;

  constructor(private readonly fd: number) {}

  /**
   * Writes line number `line` with `bytes[start, stop)` (the line, without its newline), as an object when `object`
   * and the line opens with a brace; returns the bytes written.
   */
  line(line: number, bytes: Buffer, start: number, stop: number, object: boolean): number {
    const need =
      LINE_HEAD.length + LENGTH_HEAD.length + 2 * DIGITS_MAX + NOT_AN_OBJECT.length + (stop - start) + 1;
    if (this.used + need > this.out.length) this.flush();
    const from = this.used;
    object &&= stop > start && bytes[start] === 0x7b;
    this.used += LINE_HEAD.copy(this.out, this.used);
    this.used = writeDecimal(this.out, this.used, line);
    this.used += LENGTH_HEAD.copy(this.out, this.used);
    if (object) {
      this.used = writeDecimal(this.out, this.used, stop - start);
      this.out[this.used++] = 0x2c; // the comma that takes the place of the line's brace
      start++;
    } else {
      this.used += NOT_AN_OBJECT.copy(this.out, this.used);
    }
    const written = this.used - from + (stop - start) + 1;
    if (need > this.out.length) {
      // a line longer than the buffer goes straight from the read
      this.flush();
      this.write(bytes, start, stop);
    } else {
      this.used += bytes.copy(this.out, this.used, start, stop);
    }
    this.out[this.used++] = 0x0a;
    return written;
  }

  flush(): void {
    this.write(this.out, 0, this.used);
    this.used = 0;
  }

  /** Writes `bytes[start, end)` whole (a write may take fewer bytes than it is given). */
  private write(bytes: Buffer, start: number, end: number): void {
    for (let at = start; at < end;) at += writeSync(this.fd, bytes, at, end - at);
  }
}

/** Decimal digits of the largest line number (`Number.MAX_SAFE_INTEGER`). */
const DIGITS_MAX = 16;

/** Writes the decimal digits of the whole number `n` into `out` at `at`; returns the offset after them. */
export function writeDecimal(out: Buffer, at: number, n: number): number {
  let digits = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
  for (let i = at + digits - 1, x = n; i >= at; i--, x = Math.floor(x / 10)) out[i] = 0x30 + (x % 10);
  return at + digits;
}

/**
 * The file's lines in slices of about `sliceBytes` of whole lines, each copied to a file in `dir` with every line
 * given its number in the file and its length (`SliceWriter`), one slice at a time: the caller removes each before
 * asking for the next. Throws `NotStaged` at a line longer than `maxRecordBytes`, without holding it, and at bytes
 * that are not UTF-8.
 */
export function* numberedSlices(
  absPath: string,
  sliceBytes: number,
  dir: string,
  maxRecordBytes: number,
  hash?: Hash,
): Generator<Slice> {
  const fd = openSync(absPath, "r");
  let buf = Buffer.allocUnsafe(4 << 20);
  let held = 0; // bytes at the start of buf not yet written: the start of a line
  let pos = 0; // file offset of the byte after them
  let line = 1;
  let eof = false;
  const tooLong = (): NotStaged =>
    new NotStaged(`line ${line} is longer than the limit of ${maxRecordBytes} bytes`);
  try {
    for (let n = 0; !eof || held > 0; n++) {
      const path = join(dir, `slice-${n}.txt`);
      const out = openSync(path, "w");
      const writer = new SliceWriter(out);
      let bytes = 0;
      let longestLine = 0;
      const firstLine = line;
      try {
        while (bytes < sliceBytes && (!eof || held > 0)) {
          if (!eof) {
            if (held === buf.length) {
              // one line fills the buffer: a longer one than the limit is refused, a shorter one gets room
              if (held > maxRecordBytes) throw tooLong();
              const bigger = Buffer.allocUnsafe(buf.length * 2);
              buf.copy(bigger, 0, 0, held);
              buf = bigger;
            }
            const got = readSync(fd, buf, held, buf.length - held, pos);
            if (hash !== undefined && got > 0) {
              const read = buf.subarray(held, held + got);
              hash.update(read);
              if (!linesAreDuckDbSafe(read)) throw new NotStaged("CR, NUL or U+0001 bytes");
            }
            pos += got;
            held += got;
            if (got === 0) eof = true;
          }
          let start = 0;
          let nulAt = -1; // the next \u0000 escape from `start` on, or `held` when there is none
          while (bytes < sliceBytes) {
            let nl = buf.indexOf(0x0a, start);
            if (nl === -1 || nl >= held) {
              if (!eof || start === held) break;
              nl = held; // the last line, without a newline
            }
            if (nl - start > maxRecordBytes) throw tooLong();
            // its number, its length and the line, with a newline (one is added to the last line); a line with a
            // \u0000 escape is not given to the JSON reader, so that its values need not be searched for one
            if (nulAt < start) {
              const at = buf.subarray(0, held).indexOf(NUL_ESCAPE, start);
              nulAt = at === -1 ? held : at;
            }
            const object = nulAt >= nl;
            longestLine = Math.max(longestLine, writer.line(line++, buf, start, nl, object));
            bytes += nl + 1 - start;
            start = Math.min(nl + 1, held);
          }
          // bytes that are not UTF-8 are refused here, as DuckDB's CSV reader refused them when it read the lines: its
          // JSON reader passes over the lines that hold them
          if (!isUtf8(buf.subarray(0, start))) throw new NotStaged("bytes that are not UTF-8");
          buf.copy(buf, 0, start, held);
          held -= start;
        }
        writer.flush();
      } finally {
        closeSync(out);
      }
      // the last slice ended at the file's end before the read that found it: nothing more
      if (line === firstLine) {
        rmSync(path, { force: true });
        break;
      }
      yield { path, bytesRead: pos - held, longestLine, firstLine, lines: line - firstLine };
    }
  } finally {
    closeSync(fd);
  }
}

/** What loading a staged file gave: as `streamInput`'s, with the number of accounts instead of the accounts. */
export interface StagedInput extends Omit<StreamedInput, "accounts"> {
  accountsCount: number;
}

/**
 * Load the staged file `stage` under `inputId`: its other lines through the adapter (`streamInput`), its plain
 * lines in SQL. Accounts go to `accountTable` (accounts, or a staging table like it). Drops the temporary tables.
 */
export async function loadStagedJsonl(
  store: CaseStore,
  stage: string,
  path: string,
  inputId: number,
  accountTable: string,
  maxRecordBytes: number,
  zone?: TimeZone,
): Promise<StagedInput> {
  const conn = store.conn;
  // Rows written while a query streams on the same connection are loaded only once the stream is read to its end:
  // a load run on the connection mid-stream ends the stream early, and rows were lost (at 10M posts, a different
  // number on each run). So this loader never cuts a segment before it is finished, and every stream below goes
  // through it, which runs the loads already queued first (a load of the profiles still running when the next
  // stream began once ended that stream: the items extracted from texts were lost, on some runs only).
  const loader = new BulkLoader(conn, store.path, Number.MAX_SAFE_INTEGER);
  const temp = {
    profiles: `${stage}_profiles`,
    urls: `${stage}_urls`,
    tags: `${stage}_tags`,
    mentions: `${stage}_mentions`,
    extracted: `${stage}_extracted`,
  };
  try {
    // the lines that are not plain, through the adapter, with their authors' profiles kept row by row so that
    // the accounts below take each field from the first row that has it, whichever path read the row
    const cols = PROFILE_ROW_COLUMNS.map(([n, t]) => `${n} ${t}`).join(", ");
    await conn.run(`CREATE TEMP TABLE ${temp.profiles} (${cols})`);
    const others = await streamInput(
      path,
      stagedLinesAdapter(loader, stage, maxRecordBytes, zone),
      { path, open: () => null as never },
      { map: {}, maxRecordBytes },
      loader,
      inputId,
      undefined,
      temp.profiles,
    );

    // the lists that plain lines leave out, extracted from their texts as the adapter does
    await extractItems(store, loader, stage, temp.extracted);
    await loader.drain();

    // each distinct list item once through the adapter's normalisation
    await normalizeItems(store, loader, stage, temp.extracted, "urls", temp.urls, ["domain"], (raw) => {
      const u = urlObject(raw);
      return u ? [u.canonical, keptRaw(raw, u.canonical), u.domain] : null;
    });
    await normalizeItems(store, loader, stage, temp.extracted, "hashtags", temp.tags, [], (raw) => {
      const v = hashtagValue(raw);
      return v ? [v, keptRaw(raw, v)] : null;
    });
    await normalizeItems(store, loader, stage, temp.extracted, "mentions", temp.mentions, [], (raw) => {
      const v = mentionValue(raw);
      return v ? [v, keptRaw(raw, v)] : null;
    });
    await loader.drain();

    const id = { id: inputId };
    await conn.run(
      `INSERT INTO posts (platform, post_id, account_id, ts, text, lang, kind, ref_post_id, ref_account_id, client,
                          input_id, source_row)
       SELECT platform, post_id, account_id, make_timestamptz(ts_ms * 1000), text, lang, kind,
              -- the post the kind names, else whichever it has (records.ts refPostOf)
              coalesce(CASE kind WHEN 'repost' THEN repost_of WHEN 'reply' THEN reply_to WHEN 'quote' THEN quote_of END,
                       repost_of, quote_of, reply_to),
              ref_account_id, client, $id, rn
         FROM (SELECT *, coalesce(kind_given, CASE WHEN repost_of IS NOT NULL THEN 'repost' WHEN quote_of IS NOT NULL
                                                   THEN 'quote' WHEN reply_to IS NOT NULL THEN 'reply' ELSE 'post' END)
                           AS kind
                 FROM ${stage} WHERE plain)`,
      id,
    );
    // a post's objects as the adapter gives them: once per kind and value, with the raw form of the first (a
    // repost and a reply are one each). A list of one item (nearly every list) needs no grouping: its item is
    // joined to its normal form and written as it comes, with no table of items held between (the items held
    // once for both a url's rows and its domain's spilled at DuckDB's 512 MiB). Only the items of longer lists,
    // and those extracted from texts, are grouped to find the raw forms that give one value.
    const kinds: Record<string, { map: string; rows: [kind: string, value: string, raw: string][] }> = {
      urls: {
        map: temp.urls,
        rows: [
          ["url", "m.value", "m.raw_out"],
          ["domain", "m.domain", "NULL"],
        ],
      },
      hashtags: { map: temp.tags, rows: [["hashtag", "m.value", "m.raw_out"]] },
      mentions: { map: temp.mentions, rows: [["mention", "m.value", "m.raw_out"]] },
    };
    const emitted = (rows: [string, string, string][]): string =>
      rows.length === 1
        ? `'${rows[0]![0]}' AS kind, ${rows[0]![1]} AS value, ${rows[0]![2]} AS raw`
        : `unnest([${rows.map(([k, v, r]) => `{'kind': '${k}', 'value': ${v}, 'raw': ${r}}`).join(", ")}], recursive := true)`;
    const singles = Object.entries(kinds).map(
      ([listCol, { map, rows }]) =>
        `SELECT platform, post_id, kind, value, raw, $id, rn FROM (
           SELECT i.platform, i.post_id, i.rn, ${emitted(rows)}
             FROM (SELECT rn, platform, post_id, ${listCol}[1] AS raw FROM ${stage} WHERE plain AND len(${listCol}) = 1) i
             JOIN ${map} m ON m.raw = i.raw)`,
    );
    const grouped = Object.entries(kinds).map(
      ([listCol, { map, rows }]) =>
        `SELECT any_value(platform), any_value(post_id), kind, value, arg_min({'r': raw}, pos).r, $id, rn FROM (
           SELECT i.platform, i.post_id, i.rn, i.pos, ${emitted(rows)}
             FROM (SELECT rn, platform, post_id, unnest(${listCol}) AS raw, generate_subscripts(${listCol}, 1) AS pos
                     FROM ${stage} WHERE plain AND len(${listCol}) > 1
                   UNION ALL
                   SELECT rn, platform, post_id, raw, pos FROM ${temp.extracted} WHERE list = '${listCol}') i
             JOIN ${map} m ON m.raw = i.raw)
          GROUP BY rn, kind, value`,
    );
    await conn.run(
      `INSERT INTO objects (platform, post_id, kind, value, raw, input_id, source_row)
       ${[...singles, ...grouped].join("\n       UNION ALL\n       ")}
       UNION ALL
       SELECT platform, post_id, 'repost', repost_of, NULL, $id, rn FROM ${stage} WHERE plain AND repost_of IS NOT NULL
       UNION ALL
       SELECT platform, post_id, 'reply', reply_to, NULL, $id, rn FROM ${stage} WHERE plain AND reply_to IS NOT NULL
       UNION ALL
       SELECT platform, post_id, 'quote', quote_of, NULL, $id, rn FROM ${stage} WHERE plain AND quote_of IS NOT NULL`,
      id,
    );
    // accounts: each field from the first row that has it, whichever path read the row, leaving out the rows of
    // posts not stored (a line is one post: the line's number orders its rows)
    const plain = (await store.scalar<number>(`SELECT count(*)::DOUBLE FROM ${stage} WHERE plain`)) ?? 0;
    const duplicates = await findDuplicatePosts(sqlOf(store), inputId, others.postsAppended + plain);
    const profileCols = PROFILE_ROW_COLUMNS.filter(([n]) => n !== "seq")
      .map(([n]) => n)
      .join(", ");
    await insertInputAccounts(
      sqlOf(store),
      inputId,
      `SELECT ${profileCols}, rn AS seq FROM ${stage} WHERE plain
       UNION ALL SELECT ${profileCols}, rn AS seq FROM ${temp.profiles}`,
      accountTable,
      duplicates > 0,
    );
    const counts = (
      await store.all<{ objects: number; accounts: number }>(
        `SELECT (SELECT count(*) FROM objects WHERE input_id = $id)::DOUBLE AS objects,
                (SELECT count(*) FROM ${accountTable} WHERE input_id = $id)::DOUBLE AS accounts`,
        id,
      )
    )[0]!;
    return {
      rowsRead: others.rowsRead + plain,
      rowsRejected: others.rowsRejected,
      postsAppended: others.postsAppended + plain,
      objectsAppended: counts.objects,
      accountsCount: counts.accounts,
      firstReasons: others.firstReasons,
      fieldsDropped: others.fieldsDropped,
      firstFieldReasons: others.firstFieldReasons,
    };
  } finally {
    await loader.close();
    for (const t of [stage, ...Object.values(temp)]) await conn.run(`DROP TABLE IF EXISTS ${t}`);
  }
}

/**
 * Normalise each distinct item of the plain lines' list column `listCol` into `table`: raw, value, raw_out and the
 * `extra` columns, as `norm` gives them; items it gives null for (not a URL, an empty tag) get no row.
 */
async function normalizeItems(
  store: CaseStore,
  loader: BulkLoader,
  stage: string,
  extracted: string,
  listCol: string,
  table: string,
  extra: readonly string[],
  norm: (raw: string) => Array<string | null> | null,
): Promise<void> {
  const names = ["raw", "value", "raw_out", ...extra];
  await store.conn.run(`CREATE TEMP TABLE ${table} (${names.map((n) => `${n} VARCHAR`).join(", ")})`);
  const w = loader.table({ table, columns: names.map((n) => [n, "VARCHAR"] as const) });
  for await (const chunk of loader.stream(
    `SELECT DISTINCT raw FROM (SELECT unnest(${listCol}) AS raw FROM ${stage} WHERE plain
                               UNION ALL SELECT raw FROM ${extracted} WHERE list = '${listCol}')`,
  )) {
    const vec = chunk.getColumnVector(0);
    for (let j = 0; j < chunk.rowCount; j++) {
      const raw = vec.getItem(j) as string | null;
      const values = raw === null ? null : norm(raw);
      if (values === null) continue;
      w.str(raw);
      for (const v of values) w.str(v);
      w.endRow();
    }
  }
  w.finish();
}

/**
 * The url, hashtag and mention items of the plain lines that leave a list out, extracted from their texts by the
 * adapter's functions, into `table` (rn, platform, post_id, list, raw, pos).
 */
async function extractItems(
  store: CaseStore,
  loader: BulkLoader,
  stage: string,
  table: string,
): Promise<void> {
  const columns = [
    ["rn", "BIGINT"],
    ["platform", "VARCHAR"],
    ["post_id", "VARCHAR"],
    ["list", "VARCHAR"],
    ["raw", "VARCHAR"],
    ["pos", "BIGINT"],
  ] as const;
  await store.conn.run(`CREATE TEMP TABLE ${table} (${columns.map(([n, t]) => `${n} ${t}`).join(", ")})`);
  const w = loader.table({ table, columns });
  // only the texts that can hold an item of a list left out are read: a text without a dot holds no link, and so
  // on (the extracting functions give nothing for them). Exporters that leave empty lists out make most lines such
  const canHold = (list: string, marks: readonly string[]): string =>
    `(${list} IS NULL AND (${marks.map((c) => `contains(text, ${sqlString(c)})`).join(" OR ")}))`;
  const lists = [
    canHold("urls", URL_MARKS),
    canHold("hashtags", HASHTAG_MARKS),
    canHold("mentions", MENTION_MARKS),
  ];
  const chunks = loader.stream(
    `SELECT rn::DOUBLE, platform, post_id, text, ${lists.join(", ")} FROM ${stage}
      WHERE plain AND text IS NOT NULL AND (${lists.join(" OR ")})`,
  );
  const put = (rn: number, platform: string, postId: string, list: string, raws: string[]): void => {
    raws.forEach((raw, i) => {
      w.int(rn);
      w.str(platform);
      w.str(postId);
      w.str(list);
      w.str(raw);
      w.int(i + 1);
      w.endRow();
    });
  };
  for await (const chunk of chunks) {
    const v = [0, 1, 2, 3, 4, 5, 6].map((k) => chunk.getColumnVector(k));
    for (let j = 0; j < chunk.rowCount; j++) {
      const rn = v[0]!.getItem(j) as number;
      const platform = v[1]!.getItem(j) as string;
      const postId = v[2]!.getItem(j) as string;
      const text = v[3]!.getItem(j) as string;
      if (v[4]!.getItem(j)) put(rn, platform, postId, "urls", extractUrls(text));
      if (v[5]!.getItem(j)) put(rn, platform, postId, "hashtags", extractHashtags(text));
      if (v[6]!.getItem(j)) put(rn, platform, postId, "mentions", extractMentions(text));
    }
  }
  w.finish();
}

/** The staged lines that are not plain, read as the adapter reads lines (`chorus-jsonl`). */
function stagedLinesAdapter(
  loader: BulkLoader,
  stage: string,
  maxBytes: number,
  zone: TimeZone | undefined,
): IngestAdapter {
  return {
    id: "chorus-jsonl",
    summary: "",
    files: "",
    sniff: () => 0,
    async *read(_src: SourceFile): AsyncGenerator<IngestItem[]> {
      for await (const chunk of loader.stream(
        `SELECT rn::DOUBLE AS rn, line FROM ${stage} WHERE NOT plain AND line IS NOT NULL ORDER BY rn`,
      )) {
        const rows = chunk.getColumnVector(0);
        const lines = chunk.getColumnVector(1);
        const batch: IngestItem[] = [];
        for (let j = 0; j < chunk.rowCount; j++) {
          const row = rows.getItem(j) as number;
          const line = lines.getItem(j) as string;
          if (line.length > maxBytes / 3 && Buffer.byteLength(line) > maxBytes) {
            const reason = `line is ${Buffer.byteLength(line)} bytes, longer than the limit of ${maxBytes}`;
            batch.push({ type: "reject", row, reason, raw: clipText(line, 200) });
            continue;
          }
          const trimmed = line.trim();
          // a line whose times have no zone is never plain: read here, in the zone the user named
          if (trimmed !== "") batch.push(parseLine(trimmed, row, zone));
        }
        yield batch;
      }
    },
  };
}
