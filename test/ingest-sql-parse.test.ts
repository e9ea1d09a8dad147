/**
 * Native JSON Lines parsed by DuckDB (src/ingest/fast-jsonl.ts) must store exactly what the adapter stores: every
 * table of a case ingested both ways is compared row by row, on lines chosen to sit on each side of every rule
 * that decides which path a line takes, and on a seeded mix of many such lines.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { CaseStore } from "../src/store/case.js";
import { ingestFile, type IngestOptions } from "../src/ingest/ingest.js";
import {
  FAST_JSONL_MIN_BYTES,
  numberedSlices,
  readerSuits,
  SHORT_LINE_BYTES,
  stageJsonl,
  writeDecimal,
  type SliceRead,
} from "../src/ingest/fast-jsonl.js";
import { seededRng } from "../src/detectors/detector.js";
import { tempDir } from "./helpers/tmp.js";

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const TABLES: Record<string, string> = {
  posts:
    "platform, post_id, account_id, ts, text, lang, kind, ref_post_id, ref_account_id, client, input_id, source_row",
  objects: "platform, post_id, kind, value, raw, input_id, source_row",
  accounts:
    "platform, account_id, handle, display_name, bio, created_at, followers, following, avatar_url, location, " +
    "input_id, source_row",
  rejects: "input_id, source_row, reason, raw",
  post_accounts: "platform, account_id, posts",
  inputs:
    "id, format, rows_read, rows_rejected, posts_stored, posts_duplicate, accounts_stored, objects_stored",
};

/** Every table of a case as sorted JSON rows. */
async function dump(store: CaseStore): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [table, cols] of Object.entries(TABLES)) {
    const rows = await store.all(`SELECT ${cols} FROM ${table}`);
    out[table] = rows
      .map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)))
      .sort();
  }
  return out;
}

/** Ingest `files` in order into a fresh case, each with `opts`, and dump it. */
async function ingestAll(
  name: string,
  files: string[],
  opts: IngestOptions,
): Promise<Record<string, string[]>> {
  const store = await CaseStore.open(tmp.path(`${name}.duckdb`));
  try {
    for (const f of files) await ingestFile(store, f, opts);
    return await dump(store);
  } finally {
    store.close();
  }
}

/**
 * Which of a file's lines DuckDB finds plain, by line number (null: DuckDB refused the file); `reads` gets how each
 * slice's lines were read.
 */
async function plainLines(
  file: string,
  maxRecordBytes = 16 << 20,
  reads?: SliceRead[],
  sliceBytes?: number,
): Promise<number[] | null> {
  const store = await CaseStore.open(":memory:");
  try {
    const refused = await stageJsonl(store, file, "stg_t", maxRecordBytes, {
      sliceBytes,
      onSlice: (r) => reads?.push(r),
    });
    if (refused !== null) return null;
    const rows = await store.all<{ rn: number }>(
      "SELECT rn::INTEGER AS rn FROM stg_t WHERE plain ORDER BY rn",
    );
    return rows.map((r) => r.rn);
  } finally {
    store.close();
  }
}

const base = {
  platform: "twitter",
  account_id: "a1",
  handle: "alice",
  ts: "2024-03-01T10:00:00.123Z",
  text: "hello",
  urls: [] as string[],
  hashtags: [] as string[],
  mentions: [] as string[],
};
let nextId = 0;
const post = (fields: Record<string, unknown> = {}): string =>
  JSON.stringify({ ...base, post_id: `p${++nextId}`, ...fields });

/** Lines on each side of the rules; `plain` says which side the SQL path must put each on. */
function edgeLines(): Array<{ line: string; plain: boolean }> {
  nextId = 0;
  const L = (line: string, plain: boolean) => ({ line, plain });
  return [
    L(post(), true),
    L(
      post({
        account_id: "a2",
        handle: "بهار",
        display_name: "Bahar \u202e mirrored",
        bio: "<script>alert(1)</script>",
        text: 'خبر فوری "quoted" \\ backslash https://example.com/a?utm_source=x&id=1 #مهسا_امینی',
        urls: ["https://Example.com/a?utm_source=x&id=1", "http://example.com/a?id=1&fbclid=zz", "not a url"],
        hashtags: ["مهسا_اميني", "#مهسا_امینی", "Iran", "iran", ""],
        mentions: ["@Bob", "bob", "carol"],
        lang: "fa",
        client: "Twitter Web App",
        account_created_at: "2019-05-05T05:05:05+03:30",
        followers: 12,
        following: 0,
        avatar_url: "https://pbs.example/a.jpg",
        location: "تهران",
        kind: "post",
        unknown_key: { nested: [1, 2] },
      }),
      true,
    ),
    L(post({ repost_of: "p1", ref_account_id: "a1", text: "RT @alice: hello" }), true),
    L(post({ reply_to: "p1", kind: "" }), true),
    L(post({ quote_of: "p1", text: "" }), true),
    // a reply that quotes: its kind given, then derived; the post it refers to is the one its kind names
    L(post({ reply_to: "r9", quote_of: "q9", kind: "reply" }), true),
    L(post({ reply_to: "r9", quote_of: "q9" }), true),
    // a quote with a link to the post it quotes: that link is the quote, left out in JavaScript
    L(post({ quote_of: "177", urls: ["https://x.com/a/status/177", "https://example.org/b"] }), false),
    L(post({ quote_of: "177", urls: ["https://example.org/b"] }), true),
    L(post({ quote_of: "177", urls: undefined, text: "so true https://twitter.com/a/status/177" }), false),
    L(
      post({ account_id: "a3", text: "\u0628\u0647\u0627\u0631 escaped \\u06cc".replace("\\\\", "\\") }),
      true,
    ),
    L(JSON.stringify({ ...base, post_id: "esc", text: "x" }).replace('"x"', '"\\u0628\\u06cc\\n\\t"'), true),
    L(post({ ts: "2024-03-01T10:00:00Z", handle: null, bio: null }), true),
    L(post({ ts: "2024-03-01T10:00:00.1234567Z" }), false),
    L(post({ ts: "2024-03-01T10:00:00.999999-23:59" }), true),
    L(post({ ts: "2024-03-01T10:00:00+0330" }), false),
    L(post({ ts: "2024-03-01t10:00:00Z" }), false),
    L(post({ ts: "2024-03-01 10:00:00Z" }), false),
    L(post({ ts: 1709287200 }), false),
    L(post({ ts: "1709287200" }), false),
    L(post({ ts: "2024-02-30T10:00:00Z" }), false),
    L(post({ ts: "1989-12-31T23:59:59Z" }), false),
    L(post({ ts: "1990-01-01T00:00:00Z" }), true),
    L(post({ ts: "2101-01-01T00:00:00Z" }), false),
    L(post({ ts: "2024-03-01T24:00:00Z" }), false),
    L(post({ ts: "" }), false),
    L(post({ post_id: 42 }), false),
    L(post({ post_id: "" }), false),
    L(post({ post_id: "x".repeat(1025) }), false),
    L(post({ post_id: "ب".repeat(600) }), false),
    L(post({ account_id: null }), false),
    L(post({ platform: "Mastodon" }), true),
    L(post({ platform: "ΤWITTER" }), false),
    L(post({ platform: true }), false),
    L(post({ kind: "retweet" }), false),
    L(post({ kind: "repost", repost_of: "p2" }), true),
    L(post({ handle: 7 }), false),
    L(post({ text: { html: "<b>x</b>" } }), false),
    L(post({ text: "t".repeat(100_001) }), false),
    L(post({ lang: "x".repeat(33) }), false),
    // profile fields over their caps are cut by the adapter, with the cut written into them
    L(post({ account_id: "long1", handle: "h".repeat(257), bio: "b".repeat(10_000) }), false),
    L(post({ account_id: "long2", handle: "h".repeat(256), display_name: "ن".repeat(600) }), false),
    L(post({ account_id: "long3", handle: "h".repeat(256), location: "l".repeat(1024) }), true),
    L(post({ followers: "12" }), false),
    L(post({ followers: "" }), true),
    L(post({ followers: -1 }), false),
    L(post({ followers: 1.5 }), false),
    L(post({ followers: "BIG" }).replace('"BIG"', "9007199254740993"), false),
    L(post({ following: 9007199254740991 }), true),
    L(post({ account_created_at: "" }), true),
    L(post({ account_created_at: "yesterday" }), false),
    // lists left out: extracted from the text, in JavaScript, for the plain lines too
    L(post({ urls: undefined, text: "see https://example.org/x?utm_medium=y #Tag @dave" }), true),
    L(post({ hashtags: null, text: "#Tag #tag #تگ http://example.org/x" }), true),
    L(
      JSON.stringify({
        ...base,
        post_id: "bare",
        urls: undefined,
        hashtags: undefined,
        mentions: undefined,
        text: "@Ali @ali https://a.example/p?fbclid=1 https://a.example/p #خبر #خبر_فوری",
      }),
      true,
    ),
    L(
      JSON.stringify({ ...base, post_id: "bare-empty", urls: undefined, mentions: undefined, text: "" }),
      true,
    ),
    L(post({ mentions: ["ok", 5] }), false),
    L(post({ mentions: ["ok", null] }), false),
    L(post({ mentions: [["nested"]] }), false),
    L(post({ urls: "https://example.com/" }), false),
    L(
      '{"platform":"twitter","post_id":"dup","account_id":"a1","ts":"2024-03-01T10:00:00Z","post_id":"dup2"}',
      false,
    ),
    // a key twice on a line written without spaces, as the length test of plain lines sees it: DuckDB keeps the
    // first value, JavaScript the last
    L(
      '{"platform":"twitter","post_id":"d1","account_id":"a1","ts":"2024-03-01T10:00:00Z","text":"a","text":"b"}',
      false,
    ),
    L(
      '{"platform":"twitter","post_id":"d2","account_id":"a1","ts":"2024-03-01T10:00:00Z","text":"a","te\\u0078t":"b"}',
      false,
    ),
    L(
      '{"platform":"twitter","post_id":"d3","account_id":"a1","ts":"2024-03-01T10:00:00Z","x":1,"x":2}',
      false,
    ),
    L(
      '{"platform":"twitter","post_id":"d4","account_id":"a1","ts":"2024-03-01T10:00:00Z","text":"a","text":null}',
      false,
    ),
    // no key twice, though the line is longer than its values written back: escaped keys, spaces, an escaped slash
    L(
      '{"platform":"twitter","post_id":"u1","account_id":"a1","ts":"2024-03-01T10:00:00Z","te\\u0078t":"b"}',
      true,
    ),
    L(
      '{"platform": "twitter", "post_id": "u2", "account_id": "a1", "ts": "2024-03-01T10:00:00Z", "text": "a"}',
      true,
    ),
    L(
      '{"platform":"twitter","post_id":"u3","account_id":"a1","ts":"2024-03-01T10:00:00Z","text":"a\\/b"}',
      true,
    ),
    L(
      '{"platform":"twitter","post_id":"nul","account_id":"a1","ts":"2024-03-01T10:00:00Z","text":"a\\u0000b"}',
      false,
    ),
    L(
      '{"platform":"twitter","post_id":"sur","account_id":"a1","ts":"2024-03-01T10:00:00Z","text":"\\ud800"}',
      false,
    ),
    // keys like the two the copy gives each line: the line's own come after them, and DuckDB keeps the first
    L(`{"#":1,"#L":1,${post({ account_id: "a8" }).slice(1)}`, true),
    L(
      '{"#L":97,"#":3,"platform":"twitter","post_id":"d5","account_id":"a1","ts":"2024-03-01T10:00:00Z","text":"a","text":"b"}',
      false,
    ),
    L("{}", false),
    L("{", false),
    L(`${post({ account_id: "a7" })} {"a":1}`, false),
    L("{not json}", false),
    L('{"platform":"twitter"', false),
    L('["platform","twitter"]', false),
    L("", false),
    L("   ", false),
    L(`  ${post({ account_id: "a9" })}  `, false),
    // the same account on both paths: each field from the first row that has it, whichever path read it
    L(post({ account_id: "mix", handle: null, ts: 1709287200 }), false),
    L(post({ account_id: "mix", handle: "first_handle", bio: null }), true),
    L(
      post({ account_id: "mix", handle: "later_handle", bio: "bio from a later row", ts: 1709287201 }),
      false,
    ),
    // ids of only whitespace are missing ones, on both paths; whitespace around an id is kept
    L(post({ post_id: "  " }), false),
    L(post({ account_id: "\u3000" }), false),
    L(post({ platform: "  " }), false),
    L(post({ post_id: " spaced " }), true),
    // a profile field that cannot be read is left out, the post kept: the account takes the next row's value
    L(post({ account_id: "counts", handle: null, followers: 1e30 }), false),
    L(post({ account_id: "counts", followers: "1,234", account_created_at: "garbage" }), false),
    L(post({ account_id: "counts", followers: 12 }), true),
    // a post id repeated under another account, or with other profile fields, gives nothing but its first row
    L(post({ post_id: "ghosted", account_id: "owner", handle: null }), true),
    L(post({ post_id: "ghosted", account_id: "owner", handle: "injected", bio: "injected bio" }), true),
    L(post({ post_id: "ghosted", account_id: "ghost", handle: "ghost" }), true),
    L(post({ post_id: "ghosted", account_id: "ghost2", ts: 1709287200 }), false),
    // a post id seen twice: the first row wins
    L(JSON.stringify({ ...base, post_id: "twice", text: "first" }), true),
    L(JSON.stringify({ ...base, post_id: "twice", text: "second" }), true),
    // ids that differ only in a lone surrogate (as \ud800 escapes) are refused on both paths, not stored as one
    // with U+FFFD: DuckDB's JSON functions refuse a lone surrogate escape, so the line goes to the adapter, which
    // rejects the row (a DuckDB that came to accept them would fail here); a lone one in a text goes to the adapter
    // too; a surrogate pair written as escapes is plain
    L(post({ post_id: "lone\ud800", account_id: "s1" }), false),
    L(post({ post_id: "lone\udc00", account_id: "s2" }), false),
    L(post({ account_id: "s3\ud83d" }), false),
    L(post({ text: "half \udc00 of a pair" }), false),
    L(
      '{"platform":"twitter","post_id":"pair","account_id":"a1","ts":"2024-03-01T10:00:00Z","text":"smile \\ud83d\\ude00"}',
      true,
    ),
    // a line with an images key is read by the adapter, which normalises their ids and rejects a hash written as
    // a number; an empty list and null as well (the key is what the SQL sees)
    L(post({ post_id: "img1", images: ["pHash:C3A1E0F0F8783C1E", "sha256:9F86D081884C7D65"] }), false),
    L(post({ post_id: "img2", account_id: "i2", images: ["phash:c3a1e0f0f8783c1e"] }), false),
    L(post({ post_id: "img3", images: [8796093022208123] }), false),
    L(post({ post_id: "img4", images: [] }), false),
    L(post({ post_id: "img5", images: null }), false),
  ];
}

describe("native JSON Lines parsed by DuckDB", () => {
  it("puts each line on the side of the rules it was written for", async () => {
    const lines = edgeLines();
    const file = tmp.path("edges.jsonl");
    writeFileSync(file, lines.map((l) => l.line).join("\n") + "\n");
    const expected = lines.flatMap((l, i) => (l.plain ? [i + 1] : []));
    expect(expected.length).toBeGreaterThan(15);
    const reads: SliceRead[] = [];
    expect(await plainLines(file, 16 << 20, reads)).toEqual(expected);
    // most plain lines come from DuckDB's JSON reader; the rest of the lines, and the plain ones written with more
    // than their values (spaces, escapes DuckDB writes shorter), are read again as text
    expect(reads).toHaveLength(1);
    const [read] = reads;
    expect(read!.lines).toBe(lines.length);
    expect(read!.plainFromReader).toBeGreaterThan(15);
    expect(read!.plainFromReader).toBeLessThan(expected.length);
    expect(read!.reader).toBe(true);
  });

  it("stores exactly what the adapter stores, on every rule's edge", async () => {
    const file = tmp.path("edges.jsonl");
    writeFileSync(
      file,
      edgeLines()
        .map((l) => l.line)
        .join("\n"),
    ); // no newline at the end
    const sql = await ingestAll("sql", [file], { sqlParse: "always" });
    const adapter = await ingestAll("adapter", [file], { sqlParse: "never" });
    expect(sql).toEqual(adapter);
    const both = sql["posts"]!.map((r) => JSON.parse(r) as Record<string, unknown>)
      .filter((r) => r["ref_post_id"] === "r9" || r["ref_post_id"] === "q9")
      .map((r) => [r["kind"], r["ref_post_id"]]);
    expect(both.sort()).toEqual([
      ["quote", "q9"],
      ["reply", "r9"],
    ]);
    // its lines numbered in slices of about 2 KB, each numbered on from the last
    expect(await ingestAll("sliced", [file], { sqlParse: "always", sqlSliceBytes: 2048 })).toEqual(adapter);
    // the comparison is not empty: the file gives posts, objects, accounts and rejects
    for (const t of ["posts", "objects", "accounts", "rejects"]) expect(sql[t]!.length).toBeGreaterThan(5);
    const mix = sql["accounts"]!.map((r) => JSON.parse(r) as Record<string, unknown>).find(
      (a) => a["account_id"] === "mix",
    );
    expect(mix).toMatchObject({ handle: "first_handle", bio: "bio from a later row" });
    const accounts = sql["accounts"]!.map((r) => JSON.parse(r) as Record<string, unknown>);
    expect(accounts.find((a) => a["account_id"] === "counts")).toMatchObject({
      handle: "alice",
      followers: "12",
    });
    expect(accounts.find((a) => a["account_id"] === "owner")).toMatchObject({ handle: null, bio: null });
    expect(accounts.filter((a) => String(a["account_id"]).startsWith("ghost"))).toEqual([]);
    const long1 = sql["accounts"]!.map((r) => JSON.parse(r) as Record<string, unknown>).find(
      (a) => a["account_id"] === "long1",
    );
    expect(long1).toMatchObject({
      handle: `${"h".repeat(256)} … [cut: 257 characters in the source]`,
      bio: "b".repeat(10_000),
    });
  });

  it("stores exactly what the adapter stores on a seeded mix, ingested after another file", async () => {
    const rng = seededRng(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
    const edges = edgeLines().map((l) => l.line);
    const accounts = Array.from({ length: 40 }, (_, i) => `acc${i}`);
    const tags = ["Iran", "iran", "مهسا_امینی", "مهسا_اميني", "news", "#News"];
    const urls = [
      "https://news.example/a?utm_source=tw",
      "https://news.example/a",
      "http://www.news.example/a/",
      "https://bit.ly/3xyz",
      "https://خبر.example/مقاله",
    ];
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      if (rng() < 0.08) {
        lines.push(pick(edges));
        continue;
      }
      const fields: Record<string, unknown> = {
        platform: pick(["twitter", "twitter", "telegram"]),
        post_id: `m${Math.floor(rng() * 2800)}`,
        account_id: pick(accounts),
        ts: new Date(Date.UTC(2024, 2, 1) + Math.floor(rng() * 86_400_000)).toISOString(),
        text: pick(["hi", "سلام دنیا", "", "RT @x: hi", null]),
        urls: rng() < 0.5 ? [] : [pick(urls), pick(urls)],
        hashtags: rng() < 0.5 ? [] : [pick(tags), pick(tags)],
        mentions: rng() < 0.7 ? [] : [pick(accounts)],
      };
      if (rng() < 0.3) fields["handle"] = `h_${String(fields["account_id"])}_${Math.floor(rng() * 3)}`;
      if (rng() < 0.2) fields["followers"] = Math.floor(rng() * 1000);
      if (rng() < 0.2) fields["repost_of"] = `m${Math.floor(rng() * 100)}`;
      if (rng() < 0.1) fields["bio"] = pick(["", "bio", "زندگی"]);
      // a list left out is extracted from the text
      if (rng() < 0.25) {
        fields["text"] = `${pick(["see", "ببینید", ""])} ${pick(urls)} #${pick(tags)} @${pick(accounts)}`;
        delete fields[pick(["urls", "hashtags", "mentions"])];
      }
      lines.push(JSON.stringify(fields));
    }
    const first = tmp.path("first.jsonl");
    writeFileSync(first, lines.slice(0, 500).join("\n") + "\n");
    const mixed = tmp.path("mixed.jsonl");
    writeFileSync(mixed, lines.join("\n") + "\n");
    const plain = await plainLines(mixed);
    expect(plain!.length).toBeGreaterThan(2000);
    expect(plain!.length).toBeLessThan(lines.length);
    // the first file goes in through the adapter, so the second merges its accounts and meets known posts
    const sql = await ingestAll("sql", [first, mixed], { sqlParse: "always" });
    const adapter = await ingestAll("adapter", [first, mixed], { sqlParse: "never" });
    expect(sql).toEqual(adapter);
    const sliced = await ingestAll("sliced", [first, mixed], { sqlParse: "always", sqlSliceBytes: 16 << 10 });
    expect(sliced).toEqual(adapter);
    expect(sql["posts"]!.length).toBeGreaterThan(2000);
  });

  it("numbers the lines of a file that DuckDB reads in many buffers on several threads as the file does", async () => {
    // 150,000 lines (about 27 MB), every 1,000th blank and every 997th not plain: each plain line's post id is its
    // line number, so any line out of place shows
    const parts: string[] = [];
    for (let n = 1; n <= 150_000; n++) {
      if (n % 1000 === 0) parts.push("");
      else if (n % 997 === 0) parts.push(JSON.stringify({ ...base, post_id: n }));
      else
        parts.push(JSON.stringify({ ...base, post_id: String(n), text: `line ${n} ${"x".repeat(n % 200)}` }));
    }
    const file = tmp.path("long.jsonl");
    writeFileSync(file, parts.join("\n") + "\n");
    const store = await CaseStore.open(":memory:", { threads: 2 });
    try {
      expect(await stageJsonl(store, file, "stg_long", 4096)).toBeNull();
      const rows = await store.all<{ plain: number; misplaced: number; last: number }>(
        `SELECT count(*) FILTER (WHERE plain)::INTEGER AS plain,
                count(*) FILTER (WHERE plain AND post_id <> rn::VARCHAR)::INTEGER AS misplaced,
                max(rn)::INTEGER AS last
           FROM stg_long`,
      );
      expect(rows[0]).toEqual({ plain: 150_000 - 150 - 150, misplaced: 0, last: 150_000 });
      // numbered again in slices of about 1 MiB, each numbered on from the last
      expect(await stageJsonl(store, file, "stg_sliced", 4096, { sliceBytes: 1 << 20 })).toBeNull();
      const same = await store.scalar<number>(
        `SELECT count(*)::INTEGER FROM stg_long a FULL JOIN stg_sliced b USING (rn)
          WHERE a.plain IS DISTINCT FROM b.plain OR a.post_id IS DISTINCT FROM b.post_id
             OR a.line IS DISTINCT FROM b.line`,
      );
      expect(same).toBe(0);
    } finally {
      store.close();
    }
  });

  it("numbers lines longer than the copy's buffer, and lines cut across its reads, as the file does", async () => {
    // 6 MB and 9 MB lines (the copy reads 4 MiB at a time, so both are held across reads), each between short ones
    const lines = [
      post(),
      post({ text: "a".repeat(6_000_000) }),
      post(),
      post({ text: "b".repeat(9_000_000) }),
      post(),
    ];
    const file = tmp.path("wide.jsonl");
    writeFileSync(file, lines.join("\n") + "\n");
    const sql = await ingestAll("wide-sql", [file], { sqlParse: "always" });
    expect(sql).toEqual(await ingestAll("wide-adapter", [file], { sqlParse: "never" }));
    // the short lines are plain (stored in SQL), the long ones go to the adapter (texts over 100,000)
    expect(await plainLines(file)).toEqual([1, 3, 5]);
    expect(sql["posts"]!.map((r) => (JSON.parse(r) as { source_row: string }).source_row).sort()).toEqual([
      "1",
      "2",
      "3",
      "4",
      "5",
    ]);
  });

  it("copies each line with its number and length into slices of whole lines, byte for byte, whatever its length", () => {
    // lines around the copy's 4 MiB reads and its 4 MiB write buffer, empty lines, lines that open with a brace and
    // lines that do not, and files with and without a last newline, against the lines written out from the file
    // split at its newlines: {"#":N,"#L":L, and the line after its brace, or {"#":N,"#L":-1} and the line
    const rand = seededRng(43);
    const mib = 1 << 20;
    const widths = [0, 1, 90, 4 * mib - 40, 4 * mib - 17, 4 * mib, 4 * mib + 3, 9 * mib];
    const dir = tmp.path("slices");
    mkdirSync(dir);
    // a line with a \u0000 escape is written as one that is not an object
    const written = (n: number, line: string): string =>
      line.startsWith("{") && !line.includes("\\u0000")
        ? `{"#":${n},"#L":${line.length},${line.slice(1)}\n`
        : `{"#":${n},"#L":-1}${line}\n`;
    let objects = 0;
    let escapes = 0;
    for (let f = 0; f < 12; f++) {
      const lines: string[] = [];
      const count = 1 + Math.floor(rand() * 40);
      for (let i = 0; i < count; i++) {
        const wide = rand() < 0.15;
        const width = wide ? widths[Math.floor(rand() * widths.length)]! : Math.floor(rand() * 300);
        let body = String.fromCharCode(97 + (i % 26)).repeat(width);
        if (rand() < 0.1) {
          const at = Math.floor(rand() * (body.length + 1));
          body = `${body.slice(0, at)}\\u0000${body.slice(at)}`;
        }
        lines.push(rand() < 0.5 ? `{${body}` : body);
      }
      objects += lines.filter((l) => l.startsWith("{")).length;
      escapes += lines.filter((l) => l.startsWith("{") && l.includes("\\u0000")).length;
      const text = lines.join("\n") + (f % 2 === 0 ? "\n" : "");
      const file = tmp.path(`lines-${f}.txt`);
      writeFileSync(file, text);
      const sliceBytes = [1000, 64 * 1024, 5 * mib, 256 * mib][f % 4]!;
      const hash = createHash("sha256");
      const copied: Buffer[] = [];
      let bytesBefore = 0;
      let lineNo = 1;
      for (const slice of numberedSlices(file, sliceBytes, dir, 16 * mib, hash)) {
        const data = readFileSync(slice.path);
        rmSync(slice.path);
        copied.push(data);
        const numbered = data.toString("latin1").split("\n").slice(0, -1);
        expect(slice.firstLine).toBe(lineNo);
        expect(slice.lines).toBe(numbered.length);
        expect(numbered[0]!.startsWith(`{"#":${lineNo},"#L":`)).toBe(true);
        lineNo += numbered.length;
        expect(slice.longestLine).toBe(Math.max(...numbered.map((l) => l.length + 1)));
        // every slice but the last holds at least sliceBytes of the file, and ends at a line's end
        if (slice.bytesRead < text.length)
          expect(slice.bytesRead - bytesBefore).toBeGreaterThanOrEqual(sliceBytes);
        bytesBefore = slice.bytesRead;
      }
      expect(bytesBefore).toBe(text.length);
      // a last line without a newline is copied with one
      const expected = lines.map((l, i) => written(i + 1, l)).join("");
      expect(Buffer.concat(copied).equals(Buffer.from(expected, "latin1"))).toBe(true);
      expect(hash.digest("hex")).toBe(createHash("sha256").update(text).digest("hex"));
    }
    expect(objects).toBeGreaterThan(100);
    expect(escapes).toBeGreaterThan(5);
  });

  it("reads as text from the start a file whose lines are not written as JSON.stringify writes them", () => {
    const objects = Array.from({ length: 40 }, (_, i) => ({ ...base, post_id: `p${i}`, text: `خبر ${i}` }));
    const compact = objects.map((o) => JSON.stringify(o));
    // as Python's json.dumps writes by default: a space after each separator, characters beyond ASCII escaped
    const spaced = compact.map((l) => l.replaceAll('","', '", "').replaceAll('":', '": '));
    const ascii = compact.map((l) =>
      l.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
    );
    const file = (lines: string[]): Buffer => Buffer.from(lines.join("\n") + "\n");
    expect(readerSuits(file(compact))).toBe(true);
    expect(readerSuits(file(spaced))).toBe(false);
    expect(readerSuits(file(ascii))).toBe(false);
    // a few lines of another form, or not JSON, do not decide it; most do
    expect(readerSuits(file([...compact.slice(0, 36), ...spaced.slice(36)]))).toBe(true);
    expect(readerSuits(file([...compact.slice(0, 30), "{not json}", ...spaced.slice(31)]))).toBe(false);
    // no whole line in the sample: the reader is tried
    expect(readerSuits(Buffer.from(`{"text":"${"x".repeat(1000)}`))).toBe(true);
  });

  it("stores what the adapter stores when the lines change form part way, reading the rest as text", async () => {
    // compact lines, then lines with spaces after the separators: the reader is tried until a slice of it finds
    // too few plain, and the slices after that are read as text
    nextId = 0;
    const lines: string[] = [];
    for (let i = 0; i < 4000; i++) {
      const line = post({
        account_id: `acc${i % 50}`,
        text: `line ${i} #tag${i % 7}`,
        hashtags: [`tag${i % 7}`],
      });
      lines.push(i < 1500 ? line : line.replaceAll('","', '", "'));
    }
    const file = tmp.path("forms.jsonl");
    writeFileSync(file, lines.join("\n") + "\n");
    const reads: SliceRead[] = [];
    expect(await plainLines(file, 16 << 20, reads, 32 << 10)).toEqual(lines.map((_, i) => i + 1));
    const tried = reads.map((r) => r.reader);
    const firstText = tried.indexOf(false);
    expect(firstText).toBeGreaterThan(1);
    expect(tried.slice(firstText).every((t) => !t)).toBe(true);
    expect(reads.slice(0, firstText - 1).every((r) => r.plainFromReader === r.lines)).toBe(true);
    const opts = { sqlParse: "always", sqlSliceBytes: 32 << 10 } as const;
    expect(await ingestAll("forms-sql", [file], opts)).toEqual(
      await ingestAll("forms-adapter", [file], { sqlParse: "never" }),
    );
  });

  it("writes line numbers in decimal", () => {
    const out = Buffer.alloc(40);
    for (const n of [0, 7, 10, 99, 100, 65_536, 9_007_199_254_740_991]) {
      const end = writeDecimal(out, 3, n);
      expect(out.toString("latin1", 3, end)).toBe(String(n));
    }
  });

  it("reads slices whose lines just fit the short-line buffer, and slices with one line more, as the file does", async () => {
    // numbered lines of about SHORT_LINE_BYTES (64 bytes kept spare), each between short ones, over several of the
    // reader's 8 MiB buffers; slices of 4 MiB, so that some hold only lines that fit and one holds a longer line
    nextId = 0;
    const fits = (n: number): string => {
      const head = post({ text: "" });
      const room = SHORT_LINE_BYTES - 64 - Buffer.byteLength(head) - `${n}\u0001\n`.length;
      return post({ text: "x".repeat(room) });
    };
    const lines: string[] = [];
    const short: number[] = [];
    for (let i = 0; i < 24; i++) {
      short.push(lines.push(post()));
      lines.push(fits(lines.length + 1));
    }
    lines.push(post({ text: "y".repeat(SHORT_LINE_BYTES) }));
    short.push(lines.push(post()));
    const file = tmp.path("edge.jsonl");
    writeFileSync(file, lines.join("\n") + "\n");
    const opts = { sqlParse: "always", sqlSliceBytes: 4 << 20 } as const;
    const sql = await ingestAll("edge-sql", [file], opts);
    expect(sql).toEqual(await ingestAll("edge-adapter", [file], { sqlParse: "never" }));
    expect(sql["posts"]).toHaveLength(lines.length);
    // the texts of about 1 MiB are beyond the SQL path's 100,000 characters: those lines went to the adapter
    expect(await plainLines(file)).toEqual(short);
  });

  it("hashes a file in the read that stages it, and knows the same bytes again", async () => {
    const file = tmp.path("hashed.jsonl");
    const bytes = Buffer.from(Array.from({ length: 3000 }, () => post()).join("\n") + "\n");
    writeFileSync(file, bytes);
    const sha = createHash("sha256").update(bytes).digest("hex");
    const store = await CaseStore.open(tmp.path("hashed.duckdb"));
    try {
      const seen: number[] = [];
      const opts: IngestOptions = {
        sqlParse: "always",
        sqlSliceBytes: 64 << 10,
        onProgress: (p) => seen.push(p.bytesRead),
      };
      const first = await ingestFile(store, file, opts);
      expect(first).toMatchObject({ sha256: sha, postsStored: 3000, skipped: false });
      // progress slice by slice, up to the whole file
      expect(seen.length).toBeGreaterThan(5);
      expect(seen.at(-1)).toBe(bytes.length);
      // the same bytes under another name: a no-op; other bytes of the same size: ingested
      const copy = tmp.path("copy.jsonl");
      writeFileSync(copy, bytes);
      expect(await ingestFile(store, copy, opts)).toMatchObject({ id: first.id, skipped: true });
      const other = tmp.path("other.jsonl");
      writeFileSync(other, Buffer.from(bytes.toString().replace("hello", "hallo")));
      expect(await ingestFile(store, other, opts)).toMatchObject({ skipped: false, postsDuplicate: 3000 });
    } finally {
      store.close();
    }
  });

  it("rejects ids past 2^53 written as numbers as the adapter does, in a file large enough to be parsed by DuckDB", async () => {
    const big = (id: string, fields: Record<string, unknown>): string =>
      JSON.stringify({ ...base, ...fields }).replace('"BIG"', id);
    const lines = [
      big("1745415259534917633", { post_id: "BIG", account_id: "u1" }),
      big("1745415259534917634", { post_id: "BIG", account_id: "u2" }),
      big("1501234567890123776", { post_id: "p3", account_id: "BIG" }),
      big("1501234567890123777", { post_id: "p4", account_id: "BIG" }),
      big("1745415259534917635", { post_id: "p5", repost_of: "BIG" }),
      JSON.stringify({ ...base, post_id: "1745415259534917633", account_id: "u1" }),
      JSON.stringify({ ...base, post_id: "1745415259534917634", account_id: "u2" }),
      JSON.stringify({ ...base, post_id: "p6", account_id: 9007199254740991, reply_to: 1745 }),
    ];
    const filler = Array.from({ length: Math.ceil(FAST_JSONL_MIN_BYTES / 1000) }, (_, i) =>
      JSON.stringify({ ...base, post_id: `f${i}`, text: "f".repeat(1000) }),
    );
    const file = tmp.path("numeric-ids.jsonl");
    writeFileSync(file, [...lines, ...filler].join("\n") + "\n");
    expect(statSync(file).size).toBeGreaterThanOrEqual(FAST_JSONL_MIN_BYTES);
    // DuckDB's reader keeps every digit, but a line with an id that is not a string is never plain: the adapter
    // decides it, so both paths give the same rows
    const plain = await plainLines(file);
    expect(plain!.slice(0, 3)).toEqual([6, 7, 9]);
    const sql = await ingestAll("sql", [file], {});
    expect(sql).toEqual(await ingestAll("adapter", [file], { sqlParse: "never" }));
    const reason = (field: string, shownValue: string): string =>
      `${field} ${shownValue} is a number too large to hold exactly (its digits were lost): write ids as JSON strings`;
    expect(sql["rejects"]!.map((r) => JSON.parse(r) as Record<string, unknown>)).toEqual(
      [
        [1, reason("post_id", "1745415259534917600")],
        [2, reason("post_id", "1745415259534917600")],
        [3, reason("account_id", "1501234567890123800")],
        [4, reason("account_id", "1501234567890123800")],
        [5, reason("repost_of", "1745415259534917600")],
      ].map(([row, r]) => expect.objectContaining({ source_row: String(row), reason: r })),
    );
    const posts = sql["posts"]!.map((r) => JSON.parse(r) as Record<string, unknown>);
    expect(posts).toHaveLength(3 + filler.length);
    expect(posts.filter((p) => !String(p["post_id"]).startsWith("f"))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ post_id: "1745415259534917633", account_id: "u1" }),
        expect.objectContaining({ post_id: "1745415259534917634", account_id: "u2" }),
        expect.objectContaining({ post_id: "p6", account_id: "9007199254740991", ref_post_id: "1745" }),
      ]),
    );
  });

  it("stores the same accounts from a small file and from the same rows in one parsed by DuckDB", async () => {
    // counts no account has, profile fields that cannot be read and rows dropped as duplicates: each path leaves
    // them out, and the account takes its next row's value
    const row = (fields: Record<string, unknown>): string => post({ handle: null, ...fields });
    const head = [
      row({ post_id: "fa1", account_id: "zz", followers: 1e30 }),
      row({ post_id: "fa2", account_id: "zz", followers: 12, account_created_at: "yesterday" }),
      row({ post_id: "fa3", account_id: "zz", following: "1.2K", bio: { text: "not a bio" } }),
      row({ post_id: "fa4", account_id: "zz", following: 9007199254740992 }),
      row({ post_id: "fa5", account_id: "zz", following: 7, account_created_at: "2020-02-02T02:02:02Z" }),
      row({ post_id: "fa1", account_id: "zz", handle: "injected", bio: "injected bio" }),
      row({ post_id: "fa1", account_id: "ghost", handle: "ghost", ts: 1709287200 }),
      row({ post_id: "  ", account_id: "blank" }),
    ];
    const small = tmp.path("head.jsonl");
    writeFileSync(small, head.join("\n") + "\n");
    const filler = Array.from({ length: Math.ceil(FAST_JSONL_MIN_BYTES / 1000) }, (_, i) =>
      JSON.stringify({ ...base, post_id: `f${i}`, text: "f".repeat(1000) }),
    );
    const file = tmp.path("head-and-filler.jsonl");
    writeFileSync(file, [...head, ...filler].join("\n") + "\n");
    expect(statSync(file).size).toBeGreaterThanOrEqual(FAST_JSONL_MIN_BYTES);
    const sql = await ingestAll("sql", [file], {});
    expect(sql).toEqual(await ingestAll("adapter", [file], { sqlParse: "never" }));
    const fromSmall = await ingestAll("small", [small], {});
    const zz = (d: Record<string, string[]>): unknown =>
      d["accounts"]!.map((r) => JSON.parse(r) as Record<string, unknown>).filter(
        (a) => a["account_id"] !== "a1",
      );
    expect(zz(sql)).toEqual(zz(fromSmall));
    expect(zz(sql)).toEqual([
      expect.objectContaining({
        account_id: "zz",
        handle: null,
        bio: null,
        followers: "12",
        following: "7",
        created_at: expect.stringMatching(/^2020-02-02/),
        source_row: "1",
      }),
    ]);
    expect(sql["rejects"]!.map((r) => (JSON.parse(r) as Record<string, unknown>)["reason"])).toEqual([
      "post_id is blank (only whitespace)",
    ]);
  });

  it("leaves files DuckDB cannot number as the adapter does to the adapter, with the same rows", async () => {
    // beyond the first 64 KiB, which sniffing reads (and refuses when they are not UTF-8)
    const head = Array.from({ length: 800 }, () => post()).join("\n") + "\n";
    const cases: Array<[string, Buffer, number | undefined]> = [
      [
        "invalid UTF-8",
        Buffer.concat([Buffer.from(head), Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from(post())]),
        undefined,
      ],
      [
        "a line over the limit",
        Buffer.from(head + [post({ text: "x".repeat(3000) }), post()].join("\n")),
        2048,
      ],
    ];
    for (const [what, bytes, max] of cases) {
      const file = tmp.path(`${what.replaceAll(" ", "-")}.jsonl`);
      writeFileSync(file, bytes);
      expect(await plainLines(file, max ?? 16 << 20), what).toBeNull();
      const opts = max ? { maxRecordBytes: max } : {};
      const sql = await ingestAll(`sql-${what}`, [file], { ...opts, sqlParse: "always" });
      const adapter = await ingestAll(`adapter-${what}`, [file], { ...opts, sqlParse: "never" });
      expect(sql, what).toEqual(adapter);
      expect(sql["rejects"]!.length, what).toBe(1);
      expect(sql["posts"]!.length, what).toBe(801);
    }
    // CR line ends: DuckDB would count one line too many per line, so the file is not staged at all
    const crlf = tmp.path("crlf.jsonl");
    writeFileSync(crlf, [post(), post()].join("\r\n"));
    const sql = await ingestAll("sql-crlf", [crlf], { sqlParse: "always" });
    expect(sql).toEqual(await ingestAll("adapter-crlf", [crlf], { sqlParse: "never" }));
    expect(sql["posts"]!.length).toBe(2);
  });
});
