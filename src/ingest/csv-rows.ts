/**
 * Streaming CSV/TSV records for the table-shaped adapters: header names lowercased, columns matched by name (never
 * by position), malformed records reported with their line instead of stopping the file, and a record-size cap.
 * The records come from `CsvScanner` (csv-scan.ts), which reads well-formed input the way csv-parse did with the
 * options used before, several times faster, and recovers from stray quotes. Bytes that are not UTF-8 reject the
 * record they are in, as a line of JSON Lines is rejected, instead of being decoded into replacement characters.
 */
import type { Readable } from "node:stream";
import { CsvScanner } from "./csv-scan.js";
import { Utf8Pieces, hasInvalidBytes, showInvalidBytes } from "./csv-utf8.js";
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

/** Bytes decoded and scanned at a time. */
const PIECE_BYTES = 48 * 1024;

/**
 * Batches of CSV records (one per piece of input text). The first record is the header; it is not yielded but names
 * the columns of every batch.
 */
export async function* readCsvBatches(
  stream: Readable,
  opts: { path: string; delimiter: string; maxRecordBytes: number },
): AsyncGenerator<CsvBatch> {
  const scanner = new CsvScanner(opts.delimiter, opts.maxRecordBytes);
  const decoder = new Utf8Pieces();
  let header: string[] | null = null;
  let columns = new Map<string, number>();
  let carry = "";
  /** `carry` holds bytes that were not UTF-8 (as `Utf8Pieces` marks them). */
  let carryInvalid = false;
  let first = true;
  const take = (items: CsvItem[]): CsvItem[] => {
    const rec = items[0];
    if (header !== null || rec === undefined) return items;
    if (!rec.ok) {
      // a file whose first record cannot be read has no columns to go by
      throw new IngestError(`${opts.path}: line ${rec.row}: the header row cannot be read: ${rec.reason}`);
    }
    header = rec.fields.map((c) => c.trim().toLowerCase());
    columns = new Map(header.map((h, i) => [h, i]));
    if (header.length < 2) {
      throw new IngestError(`${opts.path}: line 1: expected a header row with at least two columns`);
    }
    return items.slice(1);
  };
  const emit = (text: string, eof: boolean): CsvItem[] => {
    let items: CsvItem[] = [];
    const used = scanner.scan(text, eof, items);
    carry = used < text.length ? text.slice(used) : "";
    if (carryInvalid) {
      items = items.map(invalidToReject);
      carryInvalid = hasInvalidBytes(carry);
    }
    return take(items);
  };
  // Text is decoded and scanned in pieces below V8's large-object size (decoding 1 MiB of non-ASCII text into one
  // string is several times slower than 48 KiB at a time), and each piece's records are yielded at once, so that
  // they die young. A record longer than a piece is re-scanned only after the text after it has doubled.
  let waitFor = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    for (let at = 0; at < chunk.length; at += PIECE_BYTES) {
      let text = decoder.write(chunk.subarray(at, at + PIECE_BYTES));
      if (first && text.length > 0) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      carry += text;
      carryInvalid ||= decoder.invalid;
      if (carry.length < waitFor) continue;
      const items = emit(carry, false);
      waitFor = carry.length > PIECE_BYTES ? 2 * carry.length : 0;
      if (items.length > 0) yield { columns, header: header ?? [], items };
    }
  }
  carry += decoder.end();
  carryInvalid ||= decoder.invalid;
  const items = emit(carry, true);
  if (items.length > 0) yield { columns, header: header ?? [], items };
  if (header === null) throw new IngestError(`${opts.path}: no header row`);
}

/** A record holding bytes that were not UTF-8 becomes a reject; a reject's excerpt shows such bytes as Latin-1. */
function invalidToReject(item: CsvItem): CsvItem {
  if (!item.ok) return hasInvalidBytes(item.raw) ? { ...item, raw: showInvalidBytes(item.raw) } : item;
  const text = item.text.slice(item.start, item.end);
  if (!hasInvalidBytes(text)) return item;
  return {
    ok: false,
    row: item.row,
    reason: "record is not valid UTF-8",
    raw: rawExcerpt(showInvalidBytes(text)),
  };
}

/** Split a list cell: JSON arrays, the bracketed form of Twitter's archives `[a, 'b']`, or separated values. */
/** A JSON list item that reads back as written: a string, null, or a number that is a safe integer. */
function plainItem(x: unknown): boolean {
  return x === null || typeof x === "string" || (typeof x === "number" && Number.isSafeInteger(x));
}

export function parseListCell(
  cell: string | undefined,
  separators: RegExp = /[\s,;|]+/,
  /** The items are links: a bare bracketed list splits only where a comma cannot be part of one (`bracketedItems`). */
  links = false,
): string[] {
  if (cell === undefined) return [];
  const s = cell.trim();
  if (s === "" || s === "[]" || s.toLowerCase() === "nan" || s.toLowerCase() === "none") return [];
  if (s.startsWith("[") && s.endsWith("]")) {
    if (s.includes('"')) {
      try {
        const v: unknown = JSON.parse(s);
        // strings, and numbers JSON keeps exactly; an object, a list or a long number written as a number (its
        // digits lost in the parse) in the list: read as the bracketed form, from the text as written
        if (Array.isArray(v) && v.every(plainItem)) {
          return v.filter((x) => x !== null && x !== "").map((x) => String(x));
        }
      } catch {
        // not JSON: fall through to the bracketed form
      }
    }
    return bracketedItems(s.slice(1, -1), links);
  }
  return s.split(separators).filter((x) => x !== "");
}

/**
 * The items of a bracketed list written as Python prints one (['a', 'b'], as the information-operations archives
 * and pandas exports hold lists) or bare ([a, b]): split at commas outside quotes, so that a quoted link with a
 * comma in its query stays whole; a quoted item's backslash escapes undone. A bare list of `links` splits only at a
 * comma followed by a space or by the next link's scheme: a link may hold commas (wyborcza.pl's articles
 * `/7,75399,24321.html`, a map's `@35.7,51.4,12z`), which cut at every comma became other, wrong links.
 */
function bracketedItems(inner: string, links = false): string[] {
  const out: string[] = [];
  let i = 0;
  const n = inner.length;
  while (i < n) {
    while (i < n && /[\s,]/.test(inner[i]!)) i++;
    if (i >= n) break;
    const q = inner[i];
    if (q === "'" || q === '"') {
      let item = "";
      let j = i + 1;
      for (; j < n && inner[j] !== q; j++) {
        if (inner[j] === "\\" && j + 1 < n) j++;
        item += inner[j];
      }
      // a quote never closed: the rest as written, as the bare form reads it
      if (j >= n) {
        const rest = inner.slice(i).trim();
        if (rest !== "") out.push(rest);
        break;
      }
      if (item.trim() !== "") out.push(item.trim());
      i = j + 1;
    } else {
      const end = links ? linkListEnd(inner, i) : inner.indexOf(",", i);
      const item = inner.slice(i, end < 0 ? n : end).trim();
      if (item !== "") out.push(item);
      i = end < 0 ? n : end + 1;
    }
  }
  return out;
}

/**
 * Where the bare link that starts at `from` in a bracketed list ends: the first comma followed by white space, by a
 * scheme (`https://`, `http://`, ...) or by a quote opening the next item, or -1 when it runs to the end.
 */
function linkListEnd(inner: string, from: number): number {
  const re = /,(?=\s|[a-z][a-z0-9+.-]*:\/\/|['"]|$)/giy;
  for (let i = inner.indexOf(",", from); i >= 0; i = inner.indexOf(",", i + 1)) {
    re.lastIndex = i;
    if (re.test(inner)) return i;
  }
  return -1;
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
