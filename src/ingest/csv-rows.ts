/**
 * Streaming CSV/TSV records for the table-shaped adapters: header names lowercased, columns matched by name (never
 * by position), malformed records reported with their line instead of stopping the file, and a record-size cap.
 */
import { parse } from "csv-parse";
import type { Readable } from "node:stream";
import { IngestError, rawExcerpt, type SourceFile } from "./types.js";

export type CsvItem =
  | { ok: true; row: number; get: (column: string) => string | undefined; raw: () => string }
  | { ok: false; row: number; reason: string; raw: string };

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

export async function* readCsv(
  stream: Readable,
  opts: { path: string; delimiter: string; maxRecordBytes: number },
): AsyncGenerator<CsvItem, string[]> {
  const skipped: Array<{ row: number; reason: string; raw: string }> = [];
  const parser = parse({
    delimiter: opts.delimiter,
    bom: true,
    info: true,
    raw: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: opts.maxRecordBytes,
    on_skip: (err, raw) => {
      const line = (err as { lines?: number } | undefined)?.lines ?? 0;
      skipped.push({ row: line, reason: err ? err.message : "malformed record", raw: rawExcerpt(raw ?? "") });
      return undefined;
    },
  });
  stream.on("error", (e) => parser.destroy(e));
  stream.pipe(parser);
  let header: string[] | null = null;
  let index = new Map<string, number>();
  for await (const rec of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
    raw: string;
  }>) {
    while (skipped.length > 0) yield { ok: false, ...skipped.shift()! };
    if (header === null) {
      header = rec.record.map((c) => c.trim().toLowerCase());
      index = new Map(header.map((h, i) => [h, i]));
      if (header.length < 2) {
        throw new IngestError(`${opts.path}: line 1: expected a header row with at least two columns`);
      }
      continue;
    }
    const record = rec.record;
    const rawText = rec.raw;
    yield {
      ok: true,
      row: rec.info.lines,
      get: (column: string) => {
        const i = index.get(column);
        return i === undefined ? undefined : record[i];
      },
      raw: () => rawExcerpt(rawText),
    };
  }
  while (skipped.length > 0) yield { ok: false, ...skipped.shift()! };
  if (header === null) throw new IngestError(`${opts.path}: no header row`);
  return header;
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
