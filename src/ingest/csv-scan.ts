/**
 * The CSV scanner behind csv-rows.ts: our own, over decoded text, instead of csv-parse, which walks the input byte
 * by byte through several calls per byte and builds an info object per record; at millions of rows that was most
 * of the CSV adapters' time. On well-formed input the scanner reads records as csv-parse did with the options we
 * used (`relax_quotes`, `skip_empty_lines`, `bom`, record delimiter discovered from the first line end):
 * - a field that starts with `"` is quoted, `""` inside it is one quote, and it may span lines;
 * - a quote inside an unquoted field is an ordinary character, and a closing quote followed by anything but a
 *   delimiter or the end of the record ends the quoting but keeps both quotes in the value (`"a"b` → `"a"b`);
 * - the record delimiter is the first line end met outside quotes (`\r\n`, `\n` or `\r`); other line ends are data;
 * - a record's row is the line it ends on; line ends inside quoted fields count as lines (a `\r\n` once).
 *
 * Malformed input is where it departs from csv-parse, which let one stray quote swallow the rest of a file into a
 * single record. Every record is checked against the header's number of fields (extra fields that are all empty,
 * from a trailing delimiter, are let through). A record that goes wrong after a quoted field carried it over a line
 * end (the quote is never closed, stays open for `MAX_QUOTED_LINES` lines, is closed by a quote followed by more
 * text, or leaves the record too long or with the wrong number of fields) is taken for a stray quote: the record is
 * rejected up to the end of the line where that quote opened, and reading resumes on the next line. Holding a
 * record until it ends is bounded by the record size limit; a longer record without such a quote is rejected and
 * skipped to the end of its line.
 *
 * Every decision is made at a position in the text, never at the end of a chunk, so the records do not depend on
 * how the input was cut.
 */
import type { CsvItem } from "./csv-rows.js";
import { IngestError, rawExcerpt } from "./types.js";

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
/** `rdAt` and `record` result: the text ends before it can tell. */
const NEED_MORE = -1;

/** Line ends a quoted field may span before its quote is taken for a stray one. */
export const MAX_QUOTED_LINES = 1000;

/** The first quoted field of a record that spans lines: where its quote opened, and where the next line begins. */
interface Spanning {
  line: number;
  resumeAt: number;
  resumeLine: number;
}

/**
 * The scanning state carried from one chunk of text to the next. `scan` consumes complete records and leaves the
 * start of an incomplete one for the next call (which sees it again with more text after it).
 */
export class CsvScanner {
  /** Record delimiter, discovered from the first line end outside quotes. */
  private rd: "" | "\n" | "\r\n" | "\r" = "";
  /** Line number at the start of the next record. */
  line = 1;
  /** Fields of the header (the first record); 0 until it is read. */
  private columns = 0;
  /** Skipping the rest of an over-long record, to the next record delimiter. */
  private skipping = false;
  /** Where `skipRest` stopped for want of text: the text from here on is kept for the next call. */
  private keepFrom = 0;
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
        if (next === NEED_MORE) return this.keepFrom;
        p = next;
        continue;
      }
      const next = this.record(s, p, eof, out);
      if (next === NEED_MORE) return p;
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
    const limit = p + this.maxChars;
    const fields: string[] = [];
    let lines = 0; // line ends inside the record
    let spanning: Spanning | null = null;
    let i = p;
    for (;;) {
      // at the start of a field
      let value: string;
      let j: number;
      let quotedOnly = false; // the field was a complete quoted value (for empty-line detection)
      const linesBefore = lines; // line ends before this field
      if (i < n && s.charCodeAt(i) === QUOTE) {
        let acc = "";
        let seg = i + 1;
        j = i + 1;
        let closedAt = -1;
        for (;;) {
          if (j > limit) return this.tooLong(s, p, i, linesBefore, lines, spanning, out);
          if (j >= n) {
            if (!eof) return NEED_MORE;
            return this.unclosed(s, p, lines, spanning, out);
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
            if (spanning && lines > linesBefore) {
              // a quote that spans lines and is "closed" by a quote in the middle of a field: a stray one
              return this.stray(
                s,
                p,
                spanning,
                `is closed at line ${this.line + lines} by a quote followed by more text, not by a delimiter or a line end`,
                out,
              );
            }
            // a closing quote followed by data: the quotes stay, and the field goes on unquoted
            acc = '"' + acc + s.slice(seg, j + 1);
            seg = -1;
            j++;
            break;
          }
          if (c === LF || c === CR) {
            if (c === CR) {
              if (j + 1 >= n && !eof) return NEED_MORE;
              if (s.charCodeAt(j + 1) === LF) {
                j++; // a CRLF is one line end, taken at its LF
                continue;
              }
            }
            lines++;
            // where reading resumes if the quote proves a stray one: the first line end of any kind, not only the
            // file's own (a line of a file with another line end, pasted into this one, ends where it ends: waiting
            // for the next CRLF after a bare LF swallowed the valid row that followed)
            if (spanning === null) {
              spanning = { line: this.line + linesBefore, resumeAt: j + 1, resumeLine: this.line + lines };
            }
            if (spanning && this.line + lines - spanning.line >= MAX_QUOTED_LINES) {
              return this.stray(s, p, spanning, `is still open ${MAX_QUOTED_LINES} lines later`, out);
            }
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
          if (end === NEED_MORE) return this.needMore(s, p, i, linesBefore, spanning, out);
          lines += this.fieldLines;
          value = acc + s.slice(start, end);
          j = end;
        }
      } else {
        const end = this.fieldEnd(s, i, eof);
        if (end === NEED_MORE) return this.needMore(s, p, i, linesBefore, spanning, out);
        lines += this.fieldLines;
        value = s.slice(i, end);
        j = end;
      }
      // `j` is at a delimiter, a record delimiter, or the end of the text
      if (j > limit) return this.tooLong(s, p, i, linesBefore, linesBefore, spanning, out);
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
      if (fields.length === 0 && value === "" && !quotedOnly) {
        this.line = row + (rdLen > 0 ? 1 : 0);
        return next; // an empty line
      }
      fields.push(value);
      const want = this.columns;
      if (want > 0 && fields.length !== want && !(fields.length > want && emptyFrom(fields, want))) {
        const got = `${fields.length} field${fields.length === 1 ? "" : "s"}`;
        if (spanning) {
          return this.stray(
            s,
            p,
            spanning,
            `makes a record of ${got}, ending at line ${row}, where the header has ${want}`,
            out,
          );
        }
        this.line = row + (rdLen > 0 ? 1 : 0);
        out.push({
          ok: false,
          row,
          reason: `${got} where the header has ${want}`,
          raw: rawExcerpt(s.slice(p, Math.min(j + 1, n))),
        });
        return next;
      }
      if (want === 0) this.columns = fields.length;
      this.line = row + (rdLen > 0 ? 1 : 0);
      // the raw text keeps the first character of the line end, as csv-parse's `raw` did
      out.push({ ok: true, row, fields, text: s, start: p, end: Math.min(j + 1, n) });
      return next;
    }
  }

  /**
   * An unquoted field that runs to the end of the text: wait for more, unless the record is already past the limit
   * (the field's last character, which may still turn out to be a line end, is not counted, so that the decision
   * falls where a complete record would have put it).
   */
  private needMore(
    s: string,
    p: number,
    fieldStart: number,
    linesBefore: number,
    spanning: Spanning | null,
    out: CsvItem[],
  ): number {
    if (s.length - 1 <= p + this.maxChars) return NEED_MORE;
    return this.tooLong(s, p, fieldStart, linesBefore, linesBefore, spanning, out);
  }

  /**
   * The record passed the limit in the field starting at `fieldStart` (after `linesBefore` line ends of the
   * record), on the line `lines` line ends into the record: blame a spanning quote if there is one, else skip it.
   */
  private tooLong(
    s: string,
    p: number,
    fieldStart: number,
    linesBefore: number,
    lines: number,
    spanning: Spanning | null,
    out: CsvItem[],
  ): number {
    if (spanning) {
      const what = `makes the record longer than the limit of ${this.maxChars} by line ${this.line + lines}`;
      return this.stray(s, p, spanning, what, out);
    }
    return this.overLong(s, p, fieldStart, linesBefore, out);
  }

  /** A quote still open at the end of the input. */
  private unclosed(s: string, p: number, lines: number, spanning: Spanning | null, out: CsvItem[]): number {
    const n = s.length;
    // the line where the input ends (a line break at the very end opens no new line)
    const last = s.charCodeAt(n - 1);
    const trailing = last === CR || last === LF ? 1 : 0;
    const endLine = this.line + lines - trailing;
    if (spanning) {
      const more = endLine - spanning.line;
      const rest = s.slice(spanning.resumeAt);
      const what =
        more > 0
          ? `is never closed (the file ends ${more} line${more === 1 ? "" : "s"} later)`
          : "is never closed";
      return this.stray(s, p, spanning, what, out, /\S/.test(rest));
    }
    out.push({
      ok: false,
      row: endLine,
      reason: `quote opened at line ${endLine} is never closed`,
      raw: rawExcerpt(s.slice(p)),
    });
    this.line = endLine;
    return n;
  }

  /** Reject a record up to the end of the line where its spanning quote opened, and resume on the next line. */
  private stray(s: string, p: number, at: Spanning, what: string, out: CsvItem[], resumes = true): number {
    out.push({
      ok: false,
      row: at.line,
      reason:
        `quote opened at line ${at.line} ${what}` +
        (resumes ? `; reading resumes at line ${at.resumeLine}` : ""),
      raw: rawExcerpt(s.slice(p, at.resumeAt)),
    });
    this.line = at.resumeLine;
    return at.resumeAt;
  }

  /**
   * A record past the limit with no quote to blame: reject it and skip from `fieldStart` (after `lines` line ends of
   * the record) to the end of its line.
   */
  private overLong(s: string, p: number, fieldStart: number, lines: number, out: CsvItem[]): number {
    out.push({
      ok: false,
      row: this.line,
      reason: `record is longer than the limit of ${this.maxChars} (--max-record-bytes), from line ${this.line}`,
      raw: rawExcerpt(s.slice(p, p + Math.min(this.maxChars + 1, 4096))),
    });
    this.line += lines;
    this.skipping = true;
    return fieldStart;
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

  /**
   * Skip to the next record delimiter, quotes or not: the record being skipped is already rejected, and a quote in
   * it must not carry the skip over the lines after it. Returns the next record's start, or NEED_MORE.
   */
  private skipRest(s: string, p: number, eof: boolean): number {
    const n = s.length;
    for (let k = p; k < n; k++) {
      const c = s.charCodeAt(k);
      if (c !== LF && c !== CR) continue;
      // a CR at the end of the text may be the start of a CRLF (one line end, not two)
      const rd = c === CR && k + 1 >= n && !eof ? NEED_MORE : this.rdAt(s, k, eof);
      if (rd === NEED_MORE) {
        this.keepFrom = k;
        return NEED_MORE;
      }
      if (c === LF || s.charCodeAt(k + 1) !== LF) this.line++;
      if (rd > 0) {
        this.skipping = false;
        return k + rd;
      }
    }
    if (eof) this.skipping = false;
    this.keepFrom = n;
    return NEED_MORE;
  }

  /** The delimiter as given (for messages). */
  get delimiter(): string {
    return this.delimStr;
  }
}

/** Whether every field from `at` on is empty. */
function emptyFrom(fields: string[], at: number): boolean {
  for (let k = at; k < fields.length; k++) if (fields[k] !== "") return false;
  return true;
}
