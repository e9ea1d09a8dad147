import { describe, expect, it } from "vitest";
import { Readable } from "node:stream";
import { parse } from "csv-parse";
import { readCsvBatches, recordRaw, type CsvItem } from "./csv-rows.js";
import { seededRng } from "../detectors/detector.js";

interface Seen {
  header: readonly string[];
  records: Array<{ row: number; fields: string[] }>;
  rejects: Array<{ row: number; reason: string }>;
}

/** Our scanner, fed in chunks of `chunk` bytes. */
async function ours(text: string, chunk = 7, maxRecordBytes = 1 << 20): Promise<Seen & { items: CsvItem[] }> {
  const bytes = Buffer.from(text, "utf8");
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
  const out: Seen & { items: CsvItem[] } = { header: [], records: [], rejects: [], items: [] };
  for await (const batch of readCsvBatches(Readable.from(parts), {
    path: "t.csv",
    delimiter: ",",
    maxRecordBytes,
  })) {
    out.header = batch.header;
    for (const it of batch.items) {
      out.items.push(it);
      if (it.ok) out.records.push({ row: it.row, fields: it.fields });
      else out.rejects.push({ row: it.row, reason: it.reason });
    }
  }
  return out;
}

/** csv-parse with the options the adapters used before the scanner replaced it: the reference. */
async function reference(text: string): Promise<Seen> {
  const out: Seen = { header: [], records: [], rejects: [] };
  const parser = parse({
    delimiter: ",",
    bom: true,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      out.rejects.push({
        row: (err as { lines?: number } | undefined)?.lines ?? 0,
        reason: err?.message ?? "",
      });
      return undefined;
    },
  });
  Readable.from([Buffer.from(text, "utf8")]).pipe(parser);
  let first = true;
  for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (first) {
      out.header = rec.record.map((c) => c.trim().toLowerCase());
      first = false;
    } else out.records.push({ row: rec.info.lines, fields: rec.record });
  }
  return out;
}

describe("CSV scanner", () => {
  it.each([
    ["plain", "a,b,c\n1,2,3\n4,5,6\n"],
    ["no final newline", "a,b\n1,2"],
    [
      "quoted fields with delimiters, quotes and line breaks",
      'a,b\n"x, y","he said ""hi"""\n"multi\nline",z\n',
    ],
    ["empty lines are skipped, a line of spaces is not", "a,b\n\n1,2\n\n   \n3,4\n"],
    ["ragged rows", "a,b,c\n1\n1,2,3,4\n"],
    ["quote inside an unquoted field is data", 'a,b\nab"c,d\n'],
    ["closing quote followed by data keeps the quotes", 'a,b\n"ab"c,d\n"x"y"z,w\n'],
    ["quoted empty field", 'a,b\n"",x\n""\n'],
    ["CRLF line ends", "a,b\r\n1,2\r\n3,4\r\n"],
    ["CR line ends", "a,b\r1,2\r3,4"],
    ["BOM", "\uFEFFa,b\n1,2\n"],
    ["Persian text", "a,b\nسلام,دنیا\n«نقل»,\u200cمی‌گویند\n"],
    ["quote never closed", 'a,b\n1,2\n"open,3\n4,5\n'],
  ])("reads %s as csv-parse did", async (_name, text) => {
    const want = await reference(text);
    for (const chunk of [1, 3, 64, 1 << 16]) {
      const got = await ours(text, chunk);
      expect(got.header).toEqual(want.header);
      expect(got.records).toEqual(want.records);
      expect(got.rejects.map((r) => r.row)).toEqual(want.rejects.map((r) => r.row));
      expect(got.rejects.map((r) => r.reason.split(":")[0])).toEqual(
        want.rejects.map((r) => r.reason.split(":")[0]),
      );
    }
  });

  it("agrees with csv-parse on random inputs", async () => {
    const r = seededRng(7);
    const alphabet = ["a", "b", "7", ",", ",", '"', '"', "\n", " ", "ش", '""'];
    for (let k = 0; k < 400; k++) {
      let text = "h1,h2,h3\n";
      const len = Math.floor(r() * 60);
      for (let i = 0; i < len; i++) text += alphabet[Math.floor(r() * alphabet.length)];
      const want = await reference(text);
      const got = await ours(text, 1 + Math.floor(r() * 9));
      expect({ text, records: got.records, rejects: got.rejects.map((x) => x.row) }).toEqual({
        text,
        records: want.records,
        rejects: want.rejects.map((x) => x.row),
      });
    }
  });

  it("counts a line break inside a quoted field once, also a CRLF (csv-parse counted CRLF twice)", async () => {
    const got = await ours('a,b\r\n"x\r\ny",1\r\nz,2\r\n');
    expect(got.records).toEqual([
      { row: 3, fields: ["x\r\ny", "1"] },
      { row: 4, fields: ["z", "2"] },
    ]);
  });

  it("rejects an over-long record with its line and goes on with the next", async () => {
    const long = "x".repeat(5000);
    const text = `a,b\n1,2\n${long},"${long}\n${long}"\n3,4\n`;
    for (const chunk of [100, 1 << 16]) {
      const got = await ours(text, chunk, 4096);
      expect(got.records).toEqual([
        { row: 2, fields: ["1", "2"] },
        { row: 5, fields: ["3", "4"] },
      ]);
      expect(got.rejects).toEqual([
        { row: 3, reason: expect.stringMatching(/^Max Record Size: .* of 4096 at line 3$/) },
      ]);
    }
  });

  it("keeps the raw text of a record for rejects", async () => {
    const got = await ours('a,b\n"x,1",2\n');
    const rec = got.items.find((i) => i.ok);
    expect(rec && rec.ok ? recordRaw(rec) : null).toBe('"x,1",2\n');
  });
});
