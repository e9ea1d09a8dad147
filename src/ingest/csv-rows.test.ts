import { describe, expect, it } from "vitest";
import { Readable } from "node:stream";
import { parse } from "csv-parse";
import { parseListCell, readCsvBatches, recordRaw, type CsvItem } from "./csv-rows.js";
import { MAX_QUOTED_LINES } from "./csv-scan.js";
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
    ["empty lines are skipped", "a,b\n\n1,2\n\n\n3,4\n"],
    ["quote inside an unquoted field is data", 'a,b\nab"c,d\n'],
    ["closing quote followed by data keeps the quotes", 'a,b\n"ab"c,d\n"x"y"z,w\n'],
    ["quoted empty field", 'a,b\n"",x\n"",""\n'],
    ["CRLF line ends", "a,b\r\n1,2\r\n3,4\r\n"],
    ["CR line ends", "a,b\r1,2\r3,4"],
    ["BOM", "\uFEFFa,b\n1,2\n"],
    ["Persian text", "a,b\nسلام,دنیا\n«نقل»,\u200cمی‌گویند\n"],
    ["a quote never closed on the last line", 'a,b\n1,2\n"open,3'],
  ])("reads %s as csv-parse did", async (_name, text) => {
    const want = await reference(text);
    for (const chunk of [1, 3, 64, 1 << 16]) {
      const got = await ours(text, chunk);
      expect(got.header).toEqual(want.header);
      expect(got.records).toEqual(want.records);
      expect(got.rejects.map((r) => r.row)).toEqual(want.rejects.map((r) => r.row));
    }
  });

  it("agrees with csv-parse on random inputs it reads without a reject, and does not depend on the chunks", async () => {
    const r = seededRng(7);
    const alphabet = ["a", "b", "7", ",", ",", '"', '"', "\n", " ", "ش", '""'];
    const cells = ["a", "", "7 b", '"x"', '"x,y"', '"l1\nl2"', '"q""q"', 'a"b', '"a"b', "ش"];
    let clean = 0;
    for (let k = 0; k < 600; k++) {
      let text = "h1,h2,h3\n";
      if (k % 2 === 0) {
        // free text: mostly malformed
        const len = Math.floor(r() * 60);
        for (let i = 0; i < len; i++) text += alphabet[Math.floor(r() * alphabet.length)];
      } else {
        // rows of cells: mostly well-formed
        const rows = 1 + Math.floor(r() * 5);
        for (let i = 0; i < rows; i++) {
          const n = r() < 0.8 ? 3 : 1 + Math.floor(r() * 5);
          text += Array.from({ length: n }, () => cells[Math.floor(r() * cells.length)]).join(",") + "\n";
        }
      }
      const whole = await ours(text, 1 << 16);
      const cut = await ours(text, 1 + Math.floor(r() * 9));
      expect({ text, records: cut.records, rejects: cut.rejects }).toEqual({
        text,
        records: whole.records,
        rejects: whole.rejects,
      });
      if (whole.rejects.length > 0) continue;
      clean++;
      const want = await reference(text);
      expect({ text, records: whole.records }).toEqual({ text, records: want.records });
    }
    expect(clean).toBeGreaterThan(150);
  });

  it("counts a line break inside a quoted field once, also a CRLF (csv-parse counted CRLF twice)", async () => {
    const got = await ours('a,b\r\n"x\r\ny",1\r\nz,2\r\n');
    expect(got.records).toEqual([
      { row: 3, fields: ["x\r\ny", "1"] },
      { row: 4, fields: ["z", "2"] },
    ]);
  });

  it("rejects an over-long record with its line and goes on after the end of that line, quotes or not", async () => {
    const long = "x".repeat(5000);
    // the quote opens past the limit: it is not followed, so line 4 is a record of its own (too long as well)
    const text = `a,b\n1,2\n${long},"${long}\n${long}"\n3,4\n`;
    for (const chunk of [100, 1 << 16]) {
      const got = await ours(text, chunk, 4096);
      expect(got.records).toEqual([
        { row: 2, fields: ["1", "2"] },
        { row: 5, fields: ["3", "4"] },
      ]);
      expect(got.rejects).toEqual([
        { row: 3, reason: "record is longer than the limit of 4096 (--max-record-bytes), from line 3" },
        { row: 4, reason: "record is longer than the limit of 4096 (--max-record-bytes), from line 4" },
      ]);
    }
  });

  it("keeps the raw text of a record for rejects", async () => {
    const got = await ours('a,b\n"x,1",2\n');
    const rec = got.items.find((i) => i.ok);
    expect(rec && rec.ok ? recordRaw(rec) : null).toBe('"x,1",2\n');
  });
});

describe("CSV scanner: records that do not fit the header", () => {
  it("rejects a record with more or fewer fields than the header, and lets empty extra fields through", async () => {
    const text = 'a,b,c\n1,2,3\n1,2,3,4,5\n1,2\n1\n1,2,3,,\n1,2,3,""\n7,8,9\n';
    for (const chunk of [1, 5, 1 << 16]) {
      const got = await ours(text, chunk);
      expect(got.records).toEqual([
        { row: 2, fields: ["1", "2", "3"] },
        { row: 6, fields: ["1", "2", "3", "", ""] },
        { row: 7, fields: ["1", "2", "3", ""] },
        { row: 8, fields: ["7", "8", "9"] },
      ]);
      expect(got.rejects).toEqual([
        { row: 3, reason: "5 fields where the header has 3" },
        { row: 4, reason: "2 fields where the header has 3" },
        { row: 5, reason: "1 field where the header has 3" },
      ]);
    }
  });

  it("a line of spaces is a record of one field, not an empty line", async () => {
    const got = await ours("a,b\n1,2\n   \n3,4\n");
    expect(got.records.map((r) => r.row)).toEqual([2, 4]);
    expect(got.rejects).toEqual([{ row: 3, reason: "1 field where the header has 2" }]);
  });
});

describe("CSV scanner: stray quotes", () => {
  /** Every chunking gives the same records and rejects; returns them. */
  async function read(text: string, maxRecordBytes = 1 << 20): Promise<Seen> {
    const whole = await ours(text, 1 << 16, maxRecordBytes);
    for (const chunk of [1, 2, 7, 100]) {
      const got = await ours(text, chunk, maxRecordBytes);
      expect({ records: got.records, rejects: got.rejects }).toEqual({
        records: whole.records,
        rejects: whole.rejects,
      });
    }
    return whole;
  }
  const rows = (from: number, to: number): string =>
    Array.from({ length: to - from }, (_, k) => `r${from + k},${from + k}\n`).join("");

  it("a quote never closed rejects the line it opened on, and reading resumes on the next line", async () => {
    const got = await read(`a,b\nq,0\nbad,"open\n${rows(1, 5)}`);
    expect(got.records.map((r) => r.fields[0])).toEqual(["q", "r1", "r2", "r3", "r4"]);
    expect(got.rejects).toEqual([
      {
        row: 3,
        reason:
          "quote opened at line 3 is never closed (the file ends 4 lines later); reading resumes at line 4",
      },
    ]);
    const crlf = await read(`a,b\r\nq,0\r\nbad,"open\r\n${rows(1, 5).replace(/\n/g, "\r\n")}`);
    expect(crlf.records.map((r) => r.row)).toEqual([2, 4, 5, 6, 7]);
    expect(crlf.rejects).toEqual(got.rejects);
  });

  it("a stray quote on a line that ends in LF alone, in a file of CRLF lines, spares the row after it", async () => {
    // files concatenated from sources with other line ends: line 3 ends in a bare LF
    const got = await read(`a,b\r\n1,first\r\n"broken,row\n2,"after broken"\r\n3,third\r\n`);
    expect(got.records.map((r) => [r.row, r.fields[0]])).toEqual([
      [2, "1"],
      [4, "2"],
      [5, "3"],
    ]);
    expect(got.rejects.map((r) => r.row)).toEqual([3]);
  });

  it("a quote closed lines later by a quote inside a field is a stray one", async () => {
    // the quote on line 3 meets its "closing" quote in the middle of line 6's third field
    const got = await read(`a,b,c\n1,2,3\n4,"open,5\n6,7,8\n9,10,11\n12,x"y,13\n14,15,16\n`);
    expect(got.records.map((r) => r.row)).toEqual([2, 4, 5, 6, 7]);
    expect(got.records[3]).toEqual({ row: 6, fields: ["12", 'x"y', "13"] });
    expect(got.rejects).toEqual([
      {
        row: 3,
        reason:
          "quote opened at line 3 is closed at line 6 by a quote followed by more text, not by a delimiter or a line end; reading resumes at line 4",
      },
    ]);
  });

  it("a quote that makes a record with the wrong number of fields is a stray one", async () => {
    const got = await read(`a,b,c\n1,"open,3\n4,5,6\n7,8",9,10\n11,12,13\n`);
    expect(got.records.map((r) => r.row)).toEqual([3, 5]);
    expect(got.rejects).toEqual([
      {
        row: 2,
        reason:
          "quote opened at line 2 makes a record of 4 fields, ending at line 4, where the header has 3; reading resumes at line 3",
      },
      { row: 4, reason: "4 fields where the header has 3" },
    ]);
  });

  it(`a quote still open ${MAX_QUOTED_LINES} lines later is a stray one, even if it closes after that`, async () => {
    const text = `a,b\nq,0\nbad,"open\n${rows(1, MAX_QUOTED_LINES + 500)}late",x\n`;
    const got = await read(text);
    // the quote that would have closed it is then data in an unquoted field
    expect(got.records).toHaveLength(1 + MAX_QUOTED_LINES + 500);
    expect(got.records.at(-1)).toEqual({ row: MAX_QUOTED_LINES + 503, fields: ['late"', "x"] });
    expect(got.rejects).toEqual([
      {
        row: 3,
        reason: `quote opened at line 3 is still open ${MAX_QUOTED_LINES} lines later; reading resumes at line 4`,
      },
    ]);
  });

  it("a quote that makes a record longer than the limit is a stray one", async () => {
    const got = await read(`a,b\nq,0\nbad,"open\n${rows(1, 300)}`, 1000);
    expect(got.records).toHaveLength(300);
    expect(got.rejects).toEqual([
      {
        row: 3,
        reason:
          "quote opened at line 3 makes the record longer than the limit of 1000 by line 138; reading resumes at line 4",
      },
    ]);
  });

  it("a well-formed field over many lines is kept", async () => {
    const text = `a,b\n1,"${"line\n".repeat(MAX_QUOTED_LINES - 1)}end"\n2,3\n`;
    const got = await read(text);
    expect(got.rejects).toEqual([]);
    expect(got.records.map((r) => r.row)).toEqual([MAX_QUOTED_LINES + 1, MAX_QUOTED_LINES + 2]);
  });

  it("a file whose header cannot be read is refused", async () => {
    await expect(ours('a,"b\n1,2\n')).rejects.toThrow(
      /t\.csv: line 1: the header row cannot be read: quote opened at line 1 is never closed/,
    );
  });
});

describe("CSV reader: bytes that are not UTF-8", () => {
  async function readBytes(bytes: Buffer, chunk: number): Promise<Seen & { raws: string[] }> {
    const parts: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
    const out: Seen & { raws: string[] } = { header: [], records: [], rejects: [], raws: [] };
    for await (const batch of readCsvBatches(Readable.from(parts), {
      path: "t.csv",
      delimiter: ",",
      maxRecordBytes: 1 << 20,
    })) {
      for (const it of batch.items) {
        if (it.ok) out.records.push({ row: it.row, fields: it.fields });
        else {
          out.rejects.push({ row: it.row, reason: it.reason });
          out.raws.push(it.raw);
        }
      }
    }
    return out;
  }

  it("rejects the record they are in and keeps the others, wherever the chunks are cut", async () => {
    const bytes = Buffer.concat([
      Buffer.from("a,b\nok,سلام 😀💀\nbad,in"), // 💀 is a surrogate pair ending in U+DC80
      Buffer.from([0xff, 0xfe]),
      Buffer.from(" here\nvalid \uFFFD stays,x\ncut,"),
      Buffer.from([0xe2, 0x82]), // the start of a three-byte character, cut short
      Buffer.from("\nlast,😀\nend,"),
      Buffer.from([0xf0, 0x9f]), // and one cut by the end of the file
    ]);
    for (const chunk of [1, 2, 3, 5, 1 << 16]) {
      const got = await readBytes(bytes, chunk);
      expect(got.records).toEqual([
        { row: 2, fields: ["ok", "سلام 😀💀"] },
        { row: 4, fields: ["valid \uFFFD stays", "x"] },
        { row: 6, fields: ["last", "😀"] },
      ]);
      expect(got.rejects).toEqual([
        { row: 3, reason: "record is not valid UTF-8" },
        { row: 5, reason: "record is not valid UTF-8" },
        { row: 7, reason: "record is not valid UTF-8" },
      ]);
      // the excerpt shows the bad bytes as Latin-1, as a rejected line of JSON Lines does
      expect(got.raws[0]).toBe("bad,in\u00ff\u00fe here\n");
    }
  });

  it("refuses a file whose header is not UTF-8", async () => {
    const bytes = Buffer.concat([Buffer.from("a,b"), Buffer.from([0xff]), Buffer.from("\n1,2\n")]);
    await expect(readBytes(bytes, 1 << 16)).rejects.toThrow(
      "t.csv: line 1: the header row cannot be read: record is not valid UTF-8",
    );
  });
});

describe("list cells", () => {
  it("reads JSON lists, bracketed lists and separated values", () => {
    expect(parseListCell('["a", "b c", null, ""]')).toEqual(["a", "b c"]);
    expect(parseListCell("[a, 'b', \"c\"]")).toEqual(["a", "b", "c"]);
    expect(parseListCell("a b;c|d")).toEqual(["a", "b", "c", "d"]);
    expect(parseListCell('["x", 12]')).toEqual(["x", "12"]);
    expect(parseListCell("none")).toEqual([]);
  });

  it("keeps a quoted item with a comma whole, as Python prints a list of links", () => {
    expect(parseListCell("['https://a.example/x?a=1,2', 'https://b.example/y']")).toEqual([
      "https://a.example/x?a=1,2",
      "https://b.example/y",
    ]);
    expect(parseListCell("['tag, with comma', 'ok', \"it's\", 'don\\'t']")).toEqual([
      "tag, with comma",
      "ok",
      "it's",
      "don't",
    ]);
    // a quote never closed: the rest of the cell as written
    expect(parseListCell("['a', 'b]")).toEqual(["a", "'b"]);
  });

  it("keeps the commas of bare links, splitting a list of links only before the next one", () => {
    const links = (cell: string): string[] => parseListCell(cell, undefined, true);
    expect(links("[https://wyborcza.pl/7,75399,24321.html]")).toEqual([
      "https://wyborcza.pl/7,75399,24321.html",
    ]);
    expect(links("[https://www.google.com/maps/@35.7,51.4,12z, http://bit.ly/x]")).toEqual([
      "https://www.google.com/maps/@35.7,51.4,12z",
      "http://bit.ly/x",
    ]);
    expect(links("[https://a.example/x,https://b.example/y,HTTP://c.example/z]")).toEqual([
      "https://a.example/x",
      "https://b.example/y",
      "HTTP://c.example/z",
    ]);
    expect(links("[bit.ly/a, t.co/b,]")).toEqual(["bit.ly/a", "t.co/b"]);
    expect(links("[https://a.example/p?q=1,2,'https://b.example/']")).toEqual([
      "https://a.example/p?q=1,2",
      "https://b.example/",
    ]);
    // other lists still split at every comma
    expect(parseListCell("[iran,news, world]")).toEqual(["iran", "news", "world"]);
  });

  it("reads a JSON list with an object or a long number in it from its text, never as [object Object] or rounded digits", () => {
    // a number past 2^53 that JSON would round: the digits as written
    expect(parseListCell('["phash:ab", 8796093022208123]')).toEqual(["phash:ab", "8796093022208123"]);
    expect(parseListCell('[{"a": 1}]')).toEqual(['{"a": 1}']);
    expect(parseListCell('[{"a": 1}]')).not.toContain("[object Object]");
  });
});
