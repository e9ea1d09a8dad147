import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createReadStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import {
  JsonScanner,
  JsonStreamError,
  RecordError,
  asCount,
  asId,
  detectJsonLayout,
  parseJsonRecord,
  readJsonRecords,
  scanJson,
  type JsonRecord,
  type JsonScanEvent,
  type JsonScanSpec,
  type ReadJsonOptions,
} from "./json-stream.js";
import { IngestError, type SourceFile } from "./types.js";

const dir = mkdtempSync(join(tmpdir(), "chorus-json-stream-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileOf(name: string, content: string | Buffer): SourceFile {
  const path = join(dir, name);
  writeFileSync(path, content);
  return { path, open: () => createReadStream(path) };
}

/** Split bytes into chunks of the given sizes (cycled), to cut tokens and UTF-8 sequences anywhere. */
function chunked(bytes: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  let k = 0;
  for (let i = 0; i < bytes.length;) {
    const n = sizes[k++ % sizes.length]!;
    out.push(bytes.subarray(i, i + n));
    i += n;
  }
  return out;
}

async function scan(
  text: string | Buffer,
  spec: JsonScanSpec,
  opts: { sizes?: number[]; maxRecordBytes?: number; maxDepth?: number } = {},
): Promise<JsonScanEvent[]> {
  const bytes = typeof text === "string" ? Buffer.from(text) : text;
  const stream = Readable.from(chunked(bytes, opts.sizes ?? [65536]));
  const out: JsonScanEvent[] = [];
  const limits = { maxRecordBytes: opts.maxRecordBytes ?? 1 << 20, maxDepth: opts.maxDepth ?? 64 };
  for await (const ev of scanJson(stream, spec, limits)) out.push(ev);
  return out;
}

const elements = (evs: JsonScanEvent[]): unknown[] =>
  evs.flatMap((e) => (e.type === "element" ? [e.value] : []));

const telegramLike = JSON.stringify(
  {
    name: 'کانال "خبری" \\ [تست] {x}',
    type: "public_channel",
    id: 1234,
    meta: { messages: ["not these"], deep: [[[{ a: "]}" }]]] },
    messages: [
      { id: 1, text: 'سلام دنیا 🌍 " ] } [ {', nested: { a: [1, 2, { b: null }] } },
      { id: 2, text: ["\\", { type: "link", text: 'https://example.com/?q="x"' }] },
      "a string element",
      42.5e-3,
      true,
      null,
      [],
      {},
    ],
    after: { ignored: [1, 2, 3] },
  },
  null,
  1,
);

describe("scanJson", () => {
  it("streams the elements of an array at a key path, whatever the chunking", async () => {
    const expected = (JSON.parse(telegramLike) as { messages: unknown[] }).messages;
    for (const sizes of [[65536], [1], [2, 3], [7, 1, 13], [5]]) {
      const evs = await scan(telegramLike, { arrays: [["messages"]], values: [["id"], ["name"]] }, { sizes });
      expect(elements(evs)).toEqual(expected);
      const values = evs.filter((e) => e.type === "value");
      expect(values).toEqual([
        { type: "value", path: "name", value: 'کانال "خبری" \\ [تست] {x}' },
        { type: "value", path: "id", value: 1234 },
      ]);
      const indexes = evs.flatMap((e) => (e.type === "element" ? [e.index] : []));
      expect(indexes).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    }
  });

  it("reports keys on the way and the start of each streamed array", async () => {
    const evs = await scan(telegramLike, { arrays: [["messages"]] });
    const keys = evs.flatMap((e) => (e.type === "key" ? [e.path] : []));
    expect(keys).toEqual(["name", "type", "id", "meta", "messages", "after"]);
    expect(evs.filter((e) => e.type === "array")).toEqual([{ type: "array", path: "messages" }]);
  });

  it("streams arrays at several paths, including nested ones, in document order", async () => {
    const page = {
      data: [{ id: "1" }, { id: "2" }],
      includes: { users: [{ id: "u1" }], media: [{ k: 1 }], tweets: [{ id: "0" }] },
      meta: { result_count: 2 },
    };
    const evs = await scan(
      JSON.stringify(page),
      { arrays: [["data"], ["includes", "users"], ["includes", "tweets"]] },
      { sizes: [3] },
    );
    expect(evs.flatMap((e) => (e.type === "element" ? [[e.path, e.index, e.value]] : []))).toEqual([
      ["data", 1, { id: "1" }],
      ["data", 2, { id: "2" }],
      ["includes.users", 1, { id: "u1" }],
      ["includes.tweets", 1, { id: "0" }],
    ]);
  });

  it("streams a top-level array, and delivers an object at an array path as one element", async () => {
    expect(elements(await scan('\uFEFF [ {"a":1} , [2] ] \n', { arrays: [[]] }, { sizes: [1] }))).toEqual([
      { a: 1 },
      [2],
    ]);
    expect(elements(await scan('{"data":{"id":"7"},"meta":{}}', { arrays: [["data"]] }))).toEqual([
      { id: "7" },
    ]);
  });

  it("rejects an element that is not valid JSON and goes on", async () => {
    const evs = await scan('{"messages":[{"id":1},{"id": tru},{"id":3}]}', { arrays: [["messages"]] });
    expect(evs.filter((e) => e.type !== "key" && e.type !== "array")).toEqual([
      { type: "element", path: "messages", index: 1, value: { id: 1 }, text: '{"id":1}' },
      {
        type: "invalid",
        path: "messages",
        index: 2,
        reason: expect.stringMatching(/^invalid JSON/) as unknown as string,
        raw: '{"id": tru}',
      },
      { type: "element", path: "messages", index: 3, value: { id: 3 }, text: '{"id":3}' },
    ]);
  });

  it("rejects invalid UTF-8 inside an element", async () => {
    const bytes = Buffer.concat([
      Buffer.from('[{"t":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"},{"t":"ok"}]'),
    ]);
    const evs = await scan(bytes, { arrays: [[]] });
    expect(evs[1]).toMatchObject({ type: "invalid", index: 1, reason: "record is not valid UTF-8" });
    expect(evs[2]).toEqual({ type: "element", path: "", index: 2, value: { t: "ok" }, text: '{"t":"ok"}' });
  });

  it("rejects an oversized element without holding it in memory", async () => {
    const huge = `{"id":2,"text":"${"ب".repeat(4_000_000)}"}`;
    const text = `{"messages":[{"id":1},${huge},{"id":3}]}`;
    const scanner = new JsonScanner({ arrays: [["messages"]] }, { maxRecordBytes: 100_000 });
    let peak = 0;
    for (const chunk of chunked(Buffer.from(text), [65536])) {
      scanner.feed(chunk);
      peak = Math.max(peak, scanner.bufferedBytes);
    }
    scanner.end();
    expect(peak).toBeLessThanOrEqual(100_000);
    const evs = scanner.events.filter((e) => e.type === "element" || e.type === "invalid");
    expect(evs.map((e) => e.type)).toEqual(["element", "invalid", "element"]);
    const bad = evs[1] as Extract<JsonScanEvent, { type: "invalid" }>;
    expect(bad.reason).toBe(`record is ${Buffer.byteLength(huge)} bytes, longer than the limit of 100000`);
    expect(bad.raw.startsWith('{"id":2,"text":"ببب')).toBe(true);
    expect(bad.raw.length).toBeLessThan(2200);
  });

  it("rejects a deeply nested element (100k levels) without crashing, and goes on", async () => {
    const bomb = "[".repeat(100_000) + "]".repeat(100_000);
    const text = `{"messages":[{"id":1},{"id":2,"x":${bomb}},{"id":3}]}`;
    const evs = await scan(text, { arrays: [["messages"]] }, { maxRecordBytes: 1 << 20 });
    const items = evs.filter((e) => e.type === "element" || e.type === "invalid");
    expect(items).toMatchObject([
      { type: "element", index: 1 },
      { type: "invalid", index: 2, reason: "record is nested deeper than 64 levels" },
      { type: "element", index: 3, value: { id: 3 } },
    ]);
  });

  it("skips deep and large values outside the streamed arrays", async () => {
    const bomb = "[".repeat(100_000) + "]".repeat(100_000);
    const text = `{"junk":${bomb},"big":"${"x".repeat(3_000_000)}","messages":[{"id":1}]}`;
    const evs = await scan(text, { arrays: [["messages"]] }, { maxRecordBytes: 1000 });
    expect(elements(evs)).toEqual([{ id: 1 }]);
  });

  it("throws JsonStreamError for a document that is truncated, unbalanced, followed by data, or not JSON", async () => {
    const spec = { arrays: [["messages"]] };
    await expect(scan('{"messages":[{"id":1},{"id":2', spec)).rejects.toThrow(JsonStreamError);
    await expect(scan('{"messages":[{"id":1}]', spec)).rejects.toThrow(/truncated/);
    await expect(scan('{"messages":[]}{"messages":[]}', spec)).rejects.toThrow(
      /after the end of the JSON document/,
    );
    await expect(scan("hello", spec)).rejects.toThrow(/not a JSON document/);
    await expect(scan('{"messages" 1}', spec)).rejects.toThrow(/expected ':'/);
    await expect(scan("[1,2]", spec)).rejects.toThrow(/expected a JSON object at the top level/);
    await expect(scan("   ", spec)).rejects.toThrow(/empty/);
  });
});

describe("parseJsonRecord", () => {
  it("parses, refuses deep nesting before JSON.parse sees it, and explains invalid JSON", () => {
    expect(parseJsonRecord('{"a":[1,{"b":"]]]"}]}')).toEqual({ ok: true, value: { a: [1, { b: "]]]" }] } });
    expect(parseJsonRecord("[".repeat(100_000) + "]".repeat(100_000))).toEqual({
      ok: false,
      reason: "record is nested deeper than 64 levels",
    });
    expect(parseJsonRecord("{bad")).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^invalid JSON \(/),
    });
  });
});

describe("detectJsonLayout", () => {
  it("tells JSON Lines from pretty-printed and array documents", async () => {
    expect(await detectJsonLayout(fileOf("a.jsonl", '{"a":1}\n{"a":2}\n'), 1000)).toBe("jsonl");
    expect(await detectJsonLayout(fileOf("one.json", '{"data":[{"id":"1"}]}'), 1000)).toBe("jsonl");
    expect(await detectJsonLayout(fileOf("b.json", '{\n "messages": []\n}\n'), 1000)).toBe("object");
    expect(await detectJsonLayout(fileOf("c.json", '\uFEFF  [{"a":1}]'), 1000)).toBe("array");
    expect(await detectJsonLayout(fileOf("e.json", " \n "), 1000)).toBe("empty");
    const long = `{"data":[${'{"id":"1"},'.repeat(2000)}{"id":"2"}]}`;
    expect(await detectJsonLayout(fileOf("long.json", long), 1000)).toBe("object");
    expect(await detectJsonLayout(fileOf("long-nl.json", long + "\n"), 1000)).toBe("object");
    // JSON Lines whose first line is longer than the limit: told by the line that follows it
    expect(await detectJsonLayout(fileOf("long.jsonl", `${long}\r\n{"data":[]}\n`), 1000)).toBe("jsonl");
  });

  it("throws IngestError naming the file when it is not JSON", async () => {
    const src = fileOf("x.csv", "id,text\n1,hi\n");
    await expect(detectJsonLayout(src, 1000)).rejects.toThrow(IngestError);
    await expect(detectJsonLayout(src, 1000)).rejects.toThrow(`${src.path}: not JSON or JSON Lines`);
  });
});

async function records(src: SourceFile, spec: JsonScanSpec, opts: ReadJsonOptions): Promise<JsonRecord[]> {
  const out: JsonRecord[] = [];
  for await (const batch of readJsonRecords(src, spec, opts)) out.push(...batch);
  return out;
}

describe("readJsonRecords", () => {
  it("hands records over in batches", async () => {
    const src = fileOf("many.jsonl", Array.from({ length: 600 }, (_, i) => `{"i":${i}}`).join("\n"));
    const sizes = [];
    for await (const batch of readJsonRecords(src, { arrays: [[]] }, { maxRecordBytes: 100 }))
      sizes.push(batch.length);
    expect(sizes).toEqual([256, 256, 88]);
  });

  it("reads JSON Lines with line numbers as rows, rejecting bad, deep and oversized lines", async () => {
    const src = fileOf(
      "r.jsonl",
      [
        '{"a":1}',
        "",
        "{nope",
        "[".repeat(100) + "]".repeat(100),
        `{"big":"${"x".repeat(500)}"}`,
        '{"a":6}',
      ].join("\n"),
    );
    const out = await records(src, { arrays: [[]] }, { maxRecordBytes: 400 });
    expect(out).toMatchObject([
      { type: "record", row: 1, layout: "jsonl", value: { a: 1 } },
      { type: "reject", row: 3, reason: expect.stringMatching(/^invalid JSON/), raw: "{nope" },
      { type: "reject", row: 4, reason: "record is nested deeper than 64 levels" },
      { type: "reject", row: 5, reason: "line is 510 bytes, longer than the limit of 400" },
      { type: "record", row: 6, value: { a: 6 } },
    ]);
  });

  it("numbers document records by their position among all streamed elements", async () => {
    const src = fileOf("d.json", '{\n"data":[{"id":"1"},{"id":2,}],\n"includes":{"users":[{"id":"u"}]}\n}');
    const spec = { arrays: [["data"], ["includes", "users"]] };
    const out = (await records(src, spec, { maxRecordBytes: 1000 })).filter(
      (r) => r.type === "record" || r.type === "reject",
    );
    expect(out).toMatchObject([
      { type: "record", row: 1, path: "data", value: { id: "1" } },
      { type: "reject", row: 2, reason: expect.stringMatching(/^invalid JSON/) },
      { type: "record", row: 3, path: "includes.users", value: { id: "u" } },
    ]);
  });

  it("turns a broken document into an IngestError that names the file", async () => {
    const src = fileOf("t.json", '{\n"messages": [\n{"id": 1},\n{"id": 2');
    const run = async (): Promise<void> => {
      for await (const _ of readJsonRecords(src, { arrays: [["messages"]] }, { maxRecordBytes: 1000 })) {
        // drain
      }
    };
    await expect(run()).rejects.toThrow(IngestError);
    await expect(run()).rejects.toThrow(
      new RegExp(`^${src.path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: .*truncated`),
    );
  });

  it("reads a one-line object as a document when asked to", async () => {
    const src = fileOf("o.json", '{"id":5,"messages":[{"id":1}]}');
    const spec = { arrays: [["messages"]], values: [["id"]] };
    const out = (await records(src, spec, { maxRecordBytes: 1000, documentOnly: true })).filter(
      (r) => r.type === "record" || r.type === "value",
    );
    expect(out).toMatchObject([
      { type: "value", path: "id", value: 5 },
      { type: "record", row: 1, layout: "object", value: { id: 1 } },
    ]);
  });
});

describe("asId", () => {
  it("takes strings and safe integers as asText does", () => {
    expect(asId("1745415259534917633", "id")).toBe("1745415259534917633");
    expect(asId(9007199254740991, "id")).toBe("9007199254740991");
    expect(asId(-42, "id")).toBe("-42");
    expect(asId("", "id")).toBeNull();
    expect(asId(null, "id")).toBeNull();
    expect(asId(["1"], "id")).toBeNull();
  });

  it("refuses a number JSON.parse has rounded, naming the field", () => {
    const rounded = JSON.parse('{"author_id": 1501234567890123776}') as { author_id: number };
    expect(() => asId(rounded.author_id, "author_id")).toThrow(RecordError);
    expect(() => asId(rounded.author_id, "author_id")).toThrow(
      "author_id 1501234567890123800 is a number too large to hold exactly (its digits were lost): write ids as JSON strings",
    );
    expect(() => asId(9007199254740992, "id")).toThrow("id 9007199254740992 is a number too large");
    expect(() => asId(2.5, "id")).toThrow("id 2.5 is a number with a fraction, not an id");
  });
});

describe("asCount", () => {
  it("takes non-negative safe integers and nothing else", () => {
    expect(asCount(0)).toBe(0);
    expect(asCount(1234)).toBe(1234);
    expect(asCount(9007199254740991)).toBe(9007199254740991);
    for (const bad of [-1, 2.5, 9007199254740992, 1e30, Number.NaN, Infinity, "1234", null, undefined]) {
      expect(asCount(bad), String(bad)).toBeNull();
    }
    // what JSON.parse makes of a count it cannot hold
    expect(asCount((JSON.parse('{"n": 18446744073709551615}') as { n: number }).n)).toBeNull();
  });
});
