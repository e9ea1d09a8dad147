/**
 * Streaming CSV/TSV records for the table-shaped adapters: header names lowercased, columns matched by name (never
 * by position), malformed records reported with their line instead of stopping the file, and a record-size cap.
 *
 * The reader is our own scanner over decoded text rather than csv-parse: csv-parse walks the input byte by byte
 * through several calls per byte and builds an info object per record, and at millions of rows that was most of
 * the CSV adapters' time. The scanner keeps csv-parse's reading of the options we used (`relax_quotes`,
 * `relax_column_count`, `skip_empty_lines`, `bom`, record delimiter discovered from the first line end):
 * - a field that starts with `"` is quoted, `""` inside it is one quote, and it may span lines;
 * - a quote inside an unquoted field is an ordinary character, and a closing quote followed by anything but a
 *   delimiter or the end of the record ends the quoting but keeps both quotes in the value (`"a"b` → `"a"b`);
 * - the record delimiter is the first line end met outside quotes (`\r\n`, `\n` or `\r`); other line ends are data;
 * - a record's row is the line it ends on; line ends inside quoted fields count as lines (a `\r\n` once);
 * - a quote still open at the end of the input, and a record longer than the limit, are rejected with their line.
 */
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { IngestError, rawExcerpt, type SourceFile } from "./types.js";

/** A record: its fields as written (no trimming) and where its text lies, for a reject's raw excerpt. */
export interface CsvRecord {
  ok: true;
  row: number;
  fields: string[];
  /** The record's text is `text.slice(start, end)`. */
  text: string;
  start: number;
  end: number;
}

export type CsvItem = CsvRecord | { ok: false; row: number; reason: string; raw: string };

export interface CsvBatch {
  /** Lowercased, trimmed header names → column index (a repeated name maps to its last column). */
  columns: ReadonlyMap<string, number>;
  header: readonly string[];
  items: CsvItem[];
}

/** The raw text of a record, cut for a reject. */
export function recordRaw(rec: CsvRecord): string {
  return rawExcerpt(rec.text.slice(rec.start, rec.end));
}

export function sniffDelimiter(headerLine: string): string {
  const candidates = [",", "\t", ";", "|"];
  let best = ",";
  let bestCount = 0;
  for (const d of candidates) {
    const n = headerLine.split(d).length - 1;
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

/** Lowercased, trimmed header cells of a CSV header line (quotes removed). */
export function headerColumns(headerLine: string, delimiter = sniffDelimiter(headerLine)): string[] {
  return headerLine
    .replace(/^\uFEFF/, "")
    .split(delimiter)
    .map((c) =>
      c
        .trim()
        .replace(/^"(.*)"$/, "$1")
        .trim()
        .toLowerCase(),
    );
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
/** `rdAt` result: the text ends before it can tell. */
const NEED_MORE = -1;

/**
 * The scanning state carried from one chunk of text to the next. `scan` consumes complete records and leaves the
 * start of an incomplete one for the next call (which sees it again with more text after it).
 */
class CsvScanner {
  /** Record delimiter, discovered from the first line end outside quotes. */
  private rd: "" | "\n" | "\r\n" | "\r" = "";
  /** Line number at the start of the next record. */
  line = 1;
  /** Skipping the rest of an over-long record: still inside a quoted field? */
  private skipping: false | { quoted: boolean; fieldStart: boolean } = false;
  /** Line ends inside the field `fieldEnd` last scanned. */
  private fieldLines = 0;
  private readonly delim: number;
  private readonly delimStr: string;

  constructor(
    delimiter: string,
    private readonly maxChars: number,
  ) {
    if (delimiter.length !== 1)
      throw new IngestError(`csv: the delimiter must be one character, got '${delimiter}'`);
    this.delim = delimiter.charCodeAt(0);
    this.delimStr = delimiter;
  }

  /**
   * Records of `s` from its start; returns where the unconsumed rest begins. With `eof`, everything is consumed.
   * Items go to `out`; empty lines are skipped.
   */
  scan(s: string, eof: boolean, out: CsvItem[]): number {
    const n = s.length;
    let p = 0;
    while (p < n) {
      if (this.skipping) {
        const next = this.skipRest(s, p, eof);
        if (next === NEED_MORE) return n;
        p = next;
        continue;
      }
      const next = this.record(s, p, eof, out);
      if (next === NEED_MORE) {
        if (n - p > this.maxChars) {
          this.overLong(s, p, out);
          continue; // the record's end is searched for without holding it
        }
        return p;
      }
      p = next;
    }
    return n;
  }

  /** Length of the record delimiter at `k` (0 when there is none), discovering it on first sight. */
  private rdAt(s: string, k: number, eof: boolean): number {
    const c = s.charCodeAt(k);
    if (c !== LF && c !== CR) return 0;
    const rd = this.rd;
    if (rd === "\n") return c === LF ? 1 : 0;
    if (rd === "\r") return c === CR ? 1 : 0;
    if (c === LF) {
      if (rd === "") this.rd = "\n";
      return rd === "" ? 1 : 0;
    }
    if (k + 1 >= s.length && !eof) return NEED_MORE;
    const crlf = s.charCodeAt(k + 1) === LF;
    if (rd === "\r\n") return crlf ? 2 : 0;
    this.rd = crlf ? "\r\n" : "\r";
    return crlf ? 2 : 1;
  }

  /** Parse one record starting at `p`; returns the start of the next, or NEED_MORE. */
  private record(s: string, p: number, eof: boolean, out: CsvItem[]): number {
    const n = s.length;
    const delim = this.delim;
    const fields: string[] = [];
    let lines = 0; // line ends inside the record
    let i = p;
    for (;;) {
      // at the start of a field
      let value: string;
      let j: number;
      let quotedOnly = false; // the field was a complete quoted value (for empty-line detection)
      if (i < n && s.charCodeAt(i) === QUOTE) {
        let acc = "";
        let seg = i + 1;
        j = i + 1;
        let closedAt = -1;
        for (;;) {
          if (j >= n) {
            if (!eof) return NEED_MORE;
            // the quote is never closed: reject the rest of the input as one record
            const row = this.line + lines;
            out.push({
              ok: false,
              row,
              reason: `Quote Not Closed: the parsing is finished with an opening quote at line ${row}`,
              raw: rawExcerpt(s.slice(p)),
            });
            this.line = row;
            return n;
          }
          const c = s.charCodeAt(j);
          if (c === QUOTE) {
            if (j + 1 >= n) {
              if (!eof) return NEED_MORE;
              closedAt = j;
              break;
            }
            const d = s.charCodeAt(j + 1);
            if (d === QUOTE) {
              acc += s.slice(seg, j + 1);
              j += 2;
              seg = j;
              continue;
            }
            if (d === delim) {
              closedAt = j;
              break;
            }
            const rd = this.rdAt(s, j + 1, eof);
            if (rd === NEED_MORE) return NEED_MORE;
            if (rd > 0) {
              closedAt = j;
              break;
            }
            // a closing quote followed by data: the quotes stay, and the field goes on unquoted
            acc = '"' + acc + s.slice(seg, j + 1);
            seg = -1;
            j++;
            break;
          }
          if (c === LF) lines++;
          else if (c === CR && s.charCodeAt(j + 1) !== LF) {
            if (j + 1 >= n && !eof) return NEED_MORE;
            lines++;
          }
          j++;
        }
        if (closedAt >= 0) {
          value = acc + s.slice(seg, closedAt);
          j = closedAt + 1;
          quotedOnly = true;
        } else {
          // unquoted continuation after a relaxed closing quote
          const start = j;
          const end = this.fieldEnd(s, j, eof);
          if (end === NEED_MORE) return NEED_MORE;
          lines += this.fieldLines;
          value = acc + s.slice(start, end);
          j = end;
        }
      } else {
        const end = this.fieldEnd(s, i, eof);
        if (end === NEED_MORE) return NEED_MORE;
        lines += this.fieldLines;
        value = s.slice(i, end);
        j = end;
      }
      // `j` is at a delimiter, a record delimiter, or the end of the text
      if (j - p > this.maxChars) return this.tooLong(s, p, j, lines, eof, out);
      if (j < n && s.charCodeAt(j) === delim) {
        fields.push(value);
        i = j + 1;
        continue;
      }
      let rdLen = 0;
      if (j < n) {
        rdLen = this.rdAt(s, j, eof);
        if (rdLen === NEED_MORE) return NEED_MORE;
      } else if (!eof) return NEED_MORE;
      const row = this.line + lines;
      const next = j + rdLen;
      this.line = row + (rdLen > 0 ? 1 : 0);
      if (fields.length === 0 && value === "" && !quotedOnly) return next; // an empty line
      fields.push(value);
      // the raw text keeps the first character of the line end, as csv-parse's `raw` did
      out.push({ ok: true, row, fields, text: s, start: p, end: Math.min(j + 1, n) });
      return next;
    }
  }

  /**
   * End of an unquoted field starting at `i`: the next delimiter or record delimiter, or the text's end. Line ends
   * that are not the record delimiter are data; their number is left in `fieldLines`.
   */
  private fieldEnd(s: string, i: number, eof: boolean): number {
    const n = s.length;
    const delim = this.delim;
    let lines = 0;
    for (let k = i; k < n; k++) {
      const c = s.charCodeAt(k);
      if (c === delim) {
        this.fieldLines = lines;
        return k;
      }
      if (c === LF || c === CR) {
        const rd = this.rdAt(s, k, eof);
        if (rd === NEED_MORE) return NEED_MORE;
        if (rd > 0) {
          this.fieldLines = lines;
          return k;
        }
        if (c === LF || s.charCodeAt(k + 1) !== LF) lines++;
      }
    }
    this.fieldLines = lines;
    return eof ? n : NEED_MORE;
  }

  /** A record that grew past the limit: reject it and skip the rest of it. */
  private tooLong(s: string, p: number, j: number, lines: number, eof: boolean, out: CsvItem[]): number {
    this.line += lines;
    this.overLong(s, p, out);
    // resume skipping at `j`, which is at a field boundary outside quotes
    this.skipping = { quoted: false, fieldStart: false };
    const next = this.skipRest(s, j, eof);
    return next === NEED_MORE ? s.length : next;
  }

  private overLong(s: string, p: number, out: CsvItem[]): void {
    out.push({
      ok: false,
      row: this.line,
      reason: `Max Record Size: record exceed the maximum number of tolerated bytes of ${this.maxChars} at line ${this.line}`,
      raw: rawExcerpt(s.slice(p, p + 4096)),
    });
    this.skipping ||= { quoted: false, fieldStart: true };
  }

  /** Skip to the end of the record being skipped; returns the next record's start, or NEED_MORE. */
  private skipRest(s: string, p: number, eof: boolean): number {
    const state = this.skipping;
    if (!state) return p;
    const n = s.length;
    for (let k = p; k < n; k++) {
      const c = s.charCodeAt(k);
      if (state.quoted) {
        if (c === QUOTE) {
          if (k + 1 < n && s.charCodeAt(k + 1) === QUOTE) k++;
          else state.quoted = false;
        } else if (c === LF || (c === CR && s.charCodeAt(k + 1) !== LF)) this.line++;
        continue;
      }
      if (c === QUOTE && state.fieldStart) {
        state.quoted = true;
        state.fieldStart = false;
        continue;
      }
      state.fieldStart = c === this.delim;
      if (c === LF || c === CR) {
        const rd = this.rdAt(s, k, eof);
        if (rd === NEED_MORE) return NEED_MORE;
        if (c === LF || s.charCodeAt(k + 1) !== LF) this.line++;
        if (rd > 0) {
          this.skipping = false;
          return k + rd;
        }
      }
    }
    if (eof) this.skipping = false;
    return NEED_MORE;
  }

  /** The delimiter as given (for messages). */
  get delimiter(): string {
    return this.delimStr;
  }
}

/**
 * Batches of CSV records (one per chunk of input). The first record is the header; it is not yielded but names the
 * columns of every batch.
 */
export async function* readCsvBatches(
  stream: Readable,
  opts: { path: string; delimiter: string; maxRecordBytes: number },
): AsyncGenerator<CsvBatch> {
  const scanner = new CsvScanner(opts.delimiter, opts.maxRecordBytes);
  const decoder = new StringDecoder("utf8");
  let header: string[] | null = null;
  let columns = new Map<string, number>();
  let carry = "";
  let first = true;
  const take = (items: CsvItem[]): CsvItem[] => {
    if (header !== null) return items;
    const at = items.findIndex((it) => it.ok);
    if (at === -1) return items;
    const rec = items[at] as CsvRecord;
    header = rec.fields.map((c) => c.trim().toLowerCase());
    columns = new Map(header.map((h, i) => [h, i]));
    if (header.length < 2) {
      throw new IngestError(`${opts.path}: line 1: expected a header row with at least two columns`);
    }
    return [...items.slice(0, at), ...items.slice(at + 1)];
  };
  const emit = (text: string, eof: boolean): CsvItem[] => {
    const items: CsvItem[] = [];
    const used = scanner.scan(text, eof, items);
    carry = used < text.length ? text.slice(used) : "";
    return take(items);
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let text = decoder.write(chunk);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const items = emit(carry + text, false);
    if (items.length > 0) yield { columns, header: header ?? [], items };
  }
  const items = emit(carry + decoder.end(), true);
  if (items.length > 0) yield { columns, header: header ?? [], items };
  if (header === null) throw new IngestError(`${opts.path}: no header row`);
}

/** Split a list cell: JSON arrays, the bracketed form of Twitter's archives `[a, 'b']`, or separated values. */
export function parseListCell(cell: string | undefined, separators: RegExp = /[\s,;|]+/): string[] {
  if (cell === undefined) return [];
  let s = cell.trim();
  if (s === "" || s === "[]" || s.toLowerCase() === "nan" || s.toLowerCase() === "none") return [];
  if (s.startsWith("[") && s.endsWith("]")) {
    if (s.includes('"')) {
      try {
        const v: unknown = JSON.parse(s);
        if (Array.isArray(v)) return v.filter((x) => x !== null && x !== "").map((x) => String(x));
      } catch {
        // not JSON: fall through to the bracketed form
      }
    }
    s = s.slice(1, -1);
    return s
      .split(/,\s*/)
      .map((x) =>
        x
          .trim()
          .replace(/^'(.*)'$/, "$1")
          .replace(/^"(.*)"$/, "$1")
          .trim(),
      )
      .filter((x) => x !== "");
  }
  return s.split(separators).filter((x) => x !== "");
}

/** The first line of a source (the header of a CSV), read from a stream of its own. */
export async function readFirstLine(src: SourceFile, maxBytes = 1 << 20): Promise<string> {
  const stream = src.open();
  const parts: Buffer[] = [];
  let len = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const nl = chunk.indexOf(0x0a);
      parts.push(nl === -1 ? chunk : chunk.subarray(0, nl));
      len += chunk.length;
      if (nl !== -1 || len > maxBytes) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts)
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .replace(/\r$/, "");
}
