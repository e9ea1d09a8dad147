/**
 * The CSV scanner behind csv-rows.ts: our own, over decoded text, instead of csv-parse, which walks the input byte
 * by byte through several calls per byte and builds an info object per record; at millions of rows that was most
 * of the CSV adapters' time. The scanner keeps csv-parse's reading of the options we used (`relax_quotes`,
 * `relax_column_count`, `skip_empty_lines`, `bom`, record delimiter discovered from the first line end):
 * - a field that starts with `"` is quoted, `""` inside it is one quote, and it may span lines;
 * - a quote inside an unquoted field is an ordinary character, and a closing quote followed by anything but a
 *   delimiter or the end of the record ends the quoting but keeps both quotes in the value (`"a"b` → `"a"b`);
 * - the record delimiter is the first line end met outside quotes (`\r\n`, `\n` or `\r`); other line ends are data;
 * - a record's row is the line it ends on; line ends inside quoted fields count as lines (a `\r\n` once);
 * - a quote still open at the end of the input, and a record longer than the limit, are rejected with their line.
 */
import type { CsvItem } from "./csv-rows.js";
import { IngestError, rawExcerpt } from "./types.js";

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
/** `rdAt` result: the text ends before it can tell. */
const NEED_MORE = -1;

/**
 * The scanning state carried from one chunk of text to the next. `scan` consumes complete records and leaves the
 * start of an incomplete one for the next call (which sees it again with more text after it).
 */
export class CsvScanner {
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
            // the quote is never closed: reject the rest of the input as one record, on the line where the input
            // ends (a line break at the very end opens no new line)
            const last = s.charCodeAt(n - 1);
            const trailing = last === CR || (last === LF && s.charCodeAt(n - 2) !== CR) ? 1 : 0;
            const row = this.line + lines - trailing;
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
