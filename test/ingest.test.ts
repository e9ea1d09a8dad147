import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { copyFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { CaseStore } from "../src/store/case.js";
import { ingestFile } from "../src/ingest/ingest.js";
import { IngestError } from "../src/ingest/types.js";
import { FIXTURES, tempDir } from "./helpers/tmp.js";

let tmp: ReturnType<typeof tempDir>;
let store: CaseStore;

beforeEach(async () => {
  tmp = tempDir();
  store = await CaseStore.open(tmp.path("case.duckdb"));
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

async function counts(): Promise<Record<string, number>> {
  const rows = await store.all<Record<string, number>>(
    `SELECT (SELECT count(*) FROM posts)::INTEGER AS posts, (SELECT count(*) FROM accounts)::INTEGER AS accounts,
            (SELECT count(*) FROM objects)::INTEGER AS objects, (SELECT count(*) FROM rejects)::INTEGER AS rejects,
            (SELECT count(*) FROM inputs)::INTEGER AS inputs`,
  );
  return rows[0]!;
}

const JSONL = `${FIXTURES}ingest/chorus-jsonl/posts.jsonl`;

describe("ingest of native JSONL", () => {
  it("stores valid rows with provenance and rejects the rest with line and reason", async () => {
    const s = await ingestFile(store, JSONL);
    expect(s.format).toBe("chorus-jsonl");
    expect(s.skipped).toBe(false);
    const rejects = await store.all<{ source_row: number; reason: string }>(
      "SELECT source_row::INTEGER AS source_row, reason FROM rejects ORDER BY source_row",
    );
    expect(rejects.map((r) => r.source_row)).toEqual([5, 6, 7, 8, 9, 11]);
    expect(rejects[0]!.reason).toMatch(
      /ts '2024-03-08 09:01:00' has no time zone: name the zone .* with --time-zone/,
    );
    expect(rejects[1]!.reason).toMatch(/urls must be an array/);
    expect(rejects[2]!.reason).toMatch(/invalid JSON/);
    expect(rejects[3]!.reason).toMatch(/not a JSON object/);
    expect(rejects[4]!.reason).toMatch(/missing post_id/);
    expect(rejects[5]!.reason).toMatch(/2024-02-30/);
    expect(s.rowsRejected).toBe(6);
    // 13 lines, one blank: 12 rows read; 1001 appears twice in the file: stored once, from its first line
    expect(s.rowsRead).toBe(12);
    expect(s.postsDuplicate).toBe(1);
    expect(s.postsStored).toBe(5);
    const posts = await store.all<Record<string, string | number>>(
      `SELECT post_id, platform, account_id, strftime(ts, '%Y-%m-%dT%H:%M:%S.%g') AS ts, kind, ref_post_id,
              source_row::INTEGER AS source_row, input_id FROM posts ORDER BY post_id`,
    );
    expect(posts).toEqual([
      {
        post_id: "1001",
        platform: "twitter",
        account_id: "u1",
        ts: "2024-03-08T09:00:00.000",
        kind: "post",
        ref_post_id: null,
        source_row: 1,
        input_id: 1,
      },
      {
        post_id: "1002",
        platform: "twitter",
        account_id: "u2",
        ts: "2024-03-08T09:00:05.250",
        kind: "repost",
        ref_post_id: "1001",
        source_row: 2,
        input_id: 1,
      },
      {
        post_id: "1003",
        platform: "twitter",
        account_id: "u3",
        ts: "2024-03-08T09:00:10.000",
        kind: "reply",
        ref_post_id: "1001",
        source_row: 3,
        input_id: 1,
      },
      {
        post_id: "1004",
        platform: "twitter",
        account_id: "u3",
        ts: "2024-03-08T09:00:15.123",
        kind: "post",
        ref_post_id: null,
        source_row: 4,
        input_id: 1,
      },
      {
        post_id: "1008",
        platform: "twitter",
        account_id: "u5",
        ts: "2024-03-08T05:32:00.000",
        kind: "post",
        ref_post_id: null,
        source_row: 13,
        input_id: 1,
      },
    ]);
  });

  it("extracts normalised shared objects: canonical URLs, domains, folded hashtags, reposts and replies", async () => {
    await ingestFile(store, JSONL);
    const objs = await store.all<{ post_id: string; kind: string; value: string }>(
      "SELECT post_id, kind, value FROM objects ORDER BY post_id, kind, value",
    );
    const of = (id: string, kind: string): string[] =>
      objs.filter((o) => o.post_id === id && o.kind === kind).map((o) => o.value);
    // the same link with tracking parameters and www. differences is one object
    expect(of("1001", "url")).toHaveLength(1);
    expect(of("1002", "url")).toEqual(of("1001", "url"));
    expect(of("1001", "domain")).toEqual(["example.com"]);
    // Arabic yeh in #ايران is unified with the Persian spelling
    expect(of("1002", "hashtag")).toEqual([expect.stringMatching(/^ایران$/)]);
    expect(of("1001", "hashtag")).toEqual(["iran"]);
    expect(of("1002", "repost")).toEqual(["1001"]);
    expect(of("1003", "reply")).toEqual(["1001"]);
    expect(of("1003", "mention")).toEqual(["sahar_news"]);
    // entities absent from the record are extracted from the text
    expect(of("1004", "hashtag")).toEqual(["مهسا_امینی"]);
    expect(of("1004", "domain")).toEqual(["bit.ly"]);
  });

  it("records accounts once, filling profile fields from any of their rows", async () => {
    await ingestFile(store, JSONL);
    const accounts = await store.all<Record<string, unknown>>(
      `SELECT account_id, handle, display_name, strftime(created_at, '%Y-%m-%dT%H:%M:%S') AS created_at,
              followers::INTEGER AS followers, following::INTEGER AS following FROM accounts ORDER BY account_id`,
    );
    expect(accounts.map((a) => a["account_id"])).toEqual(["u1", "u2", "u3", "u5"]);
    expect(accounts[0]).toMatchObject({
      handle: "Sahar_News",
      display_name: "سحر",
      created_at: "2024-02-29T20:30:00",
    });
    expect(accounts[3]).toMatchObject({ followers: 12, following: 340 });
  });

  it("re-ingesting the same bytes is a no-op; the same posts in another file are not duplicated", async () => {
    await ingestFile(store, JSONL);
    const before = await counts();
    const again = await ingestFile(store, JSONL);
    expect(again.skipped).toBe(true);
    expect(await counts()).toEqual(before);
    const copy = tmp.path("copy.jsonl");
    writeFileSync(
      copy,
      '{"platform":"twitter","post_id":"1001","account_id":"u1","ts":"2024-03-08T09:00:00Z"}\n' +
        '{"platform":"twitter","post_id":"2001","account_id":"u9","ts":"2024-03-08T10:00:00Z","hashtags":["x"]}\n',
    );
    const s = await ingestFile(store, copy);
    expect(s.postsStored).toBe(1);
    expect(s.postsDuplicate).toBe(1);
    const after = await counts();
    expect(after.posts).toBe(before.posts! + 1);
    expect(after.objects).toBe(before.objects! + 1);
    expect(after.inputs).toBe(2);
  });

  it("a row dropped as a duplicate creates no account and fills no profile field, within a file", async () => {
    const p = tmp.path("repeats.jsonl");
    const row = (fields: Record<string, unknown>): string =>
      JSON.stringify({ platform: "twitter", ts: "2024-03-08T09:00:00Z", ...fields });
    writeFileSync(
      p,
      [
        row({ post_id: "X", account_id: "u1", text: "original" }),
        row({ post_id: "X", account_id: "u1", handle: "injected_handle", bio: "injected bio", text: "dup" }),
        row({ post_id: "X", account_id: "ghost", handle: "ghost", text: "dup other account" }),
        row({ post_id: "Y", account_id: "u1", bio: "real bio" }),
      ].join("\n") + "\n",
    );
    const s = await ingestFile(store, p);
    expect(s).toMatchObject({ postsStored: 2, postsDuplicate: 2, accountsStored: 1 });
    expect(
      await store.all(
        "SELECT account_id, handle, bio, source_row::INTEGER AS source_row FROM accounts ORDER BY account_id",
      ),
    ).toEqual([{ account_id: "u1", handle: null, bio: "real bio", source_row: 1 }]);
    expect(await store.all("SELECT account_id, posts::INTEGER AS posts FROM post_accounts")).toEqual([
      { account_id: "u1", posts: 2 },
    ]);
  });

  it("a row repeating a post the case has contributes nothing; the input's other rows still fill the account", async () => {
    const first = tmp.path("first.jsonl");
    const row = (fields: Record<string, unknown>): string =>
      JSON.stringify({ platform: "twitter", ts: "2024-03-08T09:00:00Z", ...fields });
    writeFileSync(first, row({ post_id: "X", account_id: "u1" }) + "\n");
    await ingestFile(store, first);
    const second = tmp.path("second.jsonl");
    writeFileSync(
      second,
      [
        row({ post_id: "X", account_id: "u1", handle: "injected_handle", followers: 1 }),
        row({ post_id: "X", account_id: "ghost", handle: "ghost" }),
        row({ post_id: "N1", account_id: "new", handle: "new_dup" }),
        row({ post_id: "X", account_id: "new", handle: "injected_new" }),
        row({ post_id: "N1", account_id: "new", handle: "repeat" }),
        row({ post_id: "N2", account_id: "u1", handle: "real_handle" }),
      ].join("\n") + "\n",
    );
    const s = await ingestFile(store, second);
    expect(s).toMatchObject({ postsStored: 2, postsDuplicate: 4, accountsStored: 1 });
    expect(
      await store.all(
        `SELECT account_id, handle, followers::INTEGER AS followers, input_id, source_row::INTEGER AS source_row
           FROM accounts ORDER BY account_id`,
      ),
    ).toEqual([
      { account_id: "new", handle: "new_dup", followers: null, input_id: 2, source_row: 3 },
      { account_id: "u1", handle: "real_handle", followers: null, input_id: 1, source_row: 1 },
    ]);
  });

  it("keeps the author of a post given twice in one record, and not that of a later repeat", async () => {
    // a page of twitter-v2 whose includes repeat a tweet of its data: one row, the same post twice
    const tweet = (author: string, text: string) => ({
      id: "100",
      author_id: author,
      text,
      created_at: "2024-03-08T09:00:00.000Z",
    });
    const p = tmp.path("pages.jsonl");
    writeFileSync(
      p,
      [{ data: [tweet("7", "a")], includes: { tweets: [tweet("7", "a")] } }, { data: [tweet("8", "forged")] }]
        .map((page) => JSON.stringify(page))
        .join("\n") + "\n",
    );
    const s = await ingestFile(store, p, { format: "twitter-v2" });
    expect(s).toMatchObject({ postsStored: 1, postsDuplicate: 2, accountsStored: 1 });
    expect(await store.all("SELECT account_id, source_row::INTEGER AS row FROM accounts")).toEqual([
      { account_id: "7", row: 1 },
    ]);
  });

  it("stores one Mastodon account for user@instance in any case, and none for a repeated status's author", async () => {
    const status = (n: string, acct: string, username: string) => ({
      id: n,
      created_at: "2024-04-03T08:00:00.000Z",
      uri: `https://m.example/users/x/statuses/${n}`,
      content: "<p>hi</p>",
      account: { id: n, username, acct, url: `https://m.example/@${username}` },
    });
    const p = tmp.path("statuses.jsonl");
    writeFileSync(
      p,
      [
        status("1", "Alice@M.Example", "Alice"),
        status("2", "alice@m.example", "alice"),
        status("1", "ghost@evil.example", "ghost"),
      ]
        .map((x) => JSON.stringify(x))
        .join("\n") + "\n",
    );
    const s = await ingestFile(store, p, { format: "mastodon" });
    expect(s).toMatchObject({ postsStored: 2, postsDuplicate: 1, accountsStored: 1 });
    expect(await store.all("SELECT account_id, handle FROM accounts")).toEqual([
      { account_id: "alice@m.example", handle: "Alice@M.Example" },
    ]);
  });

  it("keeps a post whose profile field cannot be read, without that field", async () => {
    const p = tmp.path("profiles.jsonl");
    const row = (fields: Record<string, unknown>): string =>
      JSON.stringify({ platform: "twitter", account_id: "u1", ts: "2024-03-08T09:00:00Z", ...fields });
    writeFileSync(
      p,
      [
        row({ post_id: "1", account_created_at: "garbage", followers: "1,234" }),
        row({ post_id: "2", followers: 1e30, following: "1.2K" }),
        row({ post_id: "3", followers: "12", account_created_at: "2020-01-01T00:00:00Z" }),
        row({ post_id: "4", account_created_at: "2024-13-45T00:00:00Z", ts: "yesterday" }),
      ].join("\n") + "\n",
    );
    const s = await ingestFile(store, p);
    // the last row is rejected for its ts: the post's own time, not its author's
    expect(s).toMatchObject({ rowsRead: 4, rowsRejected: 1, postsStored: 3 });
    expect(await store.all("SELECT source_row::INTEGER AS row, reason FROM rejects")).toEqual([
      { row: 4, reason: expect.stringMatching(/^ts 'yesterday' is not a timestamp/) },
    ]);
    expect(
      await store.all(
        `SELECT followers::INTEGER AS followers, following, strftime(created_at, '%Y-%m-%d') AS created
           FROM accounts`,
      ),
    ).toEqual([{ followers: 12, following: null, created: "2020-01-01" }]);
  });

  it("rejects a post's time given as a date alone, in the native format and in CSV, and names a year out of range", async () => {
    const p = tmp.path("days.jsonl");
    const row = (fields: Record<string, unknown>): string =>
      JSON.stringify({ platform: "twitter", account_id: "u1", ...fields });
    writeFileSync(
      p,
      [
        row({ post_id: "1", ts: "2024-05-01", account_created_at: "2020-01-01" }),
        row({ post_id: "2", ts: "2024-05-01T10:00:00Z", account_created_at: "2020-01-01" }),
        row({ post_id: "3", ts: " 2024-05-02 " }),
        row({ post_id: "6", ts: "1980-01-01T00:00:00Z" }),
      ].join("\n") + "\n",
    );
    const csv = tmp.path("days.csv");
    writeFileSync(csv, "id,author,date\n4,u2,2024-05-03\n5,u2,2024-05-03T11:00:00+03:30\n");
    for (const [file, map, stored] of [
      [p, {}, ["2"]],
      [csv, { post_id: "id", account_id: "author", ts: "date" }, ["5"]],
    ] as const) {
      const s = await CaseStore.open(tmp.path(`days-${stored[0]}.duckdb`));
      try {
        await ingestFile(s, file, Object.keys(map).length ? { format: "csv", map } : {});
        expect(await s.all("SELECT post_id FROM posts ORDER BY post_id"), file).toEqual(
          stored.map((post_id) => ({ post_id })),
        );
        const reasons = await s.all<{ reason: string }>("SELECT reason FROM rejects ORDER BY source_row");
        expect(reasons.length, file).toBe(file === p ? 3 : 1);
        for (const r of reasons.slice(0, file === p ? 2 : 1)) {
          expect(r.reason).toMatch(/^ts '2024-05-0[123]' is a date without a time of day/);
        }
        // a well-formed time outside the years taken is named as such
        if (file === p) {
          expect(reasons[2]!.reason).toBe(
            "ts '1980-01-01T00:00:00Z' is outside the years 1990 to 2100 that Chorus accepts",
          );
        }
        if (file === p) {
          expect(await s.scalar<string>("SELECT strftime(min(created_at), '%Y-%m-%d') FROM accounts")).toBe(
            "2020-01-01",
          );
        }
      } finally {
        s.close();
      }
    }
  });

  it("recognises the format from a first line longer than the sample's usual 64 KiB", async () => {
    // a first post with a long text (105 KB, under the text cap): the sniffers see its whole line, however far it
    // ends (up to 16 MiB)
    const first = {
      platform: "x",
      post_id: "long",
      account_id: "a",
      ts: "2024-03-08T09:00:00Z",
      text: "خبر ".repeat(15_000),
    };
    const rest = { platform: "x", post_id: "short", account_id: "b", ts: "2024-03-08T09:00:05Z", text: "hi" };
    const p = tmp.path("long-first.jsonl");
    writeFileSync(p, `${JSON.stringify(first)}\n${JSON.stringify(rest)}\n`);
    expect(Buffer.byteLength(JSON.stringify(first))).toBeGreaterThan(100 * 1024);
    const s = await ingestFile(store, p);
    expect(s.format).toBe("chorus-jsonl");
    const texts = await store.all<{ post_id: string; n: number }>(
      "SELECT post_id, length(text)::INTEGER AS n FROM posts ORDER BY post_id",
    );
    expect(texts).toEqual([
      { post_id: "long", n: first.text.length },
      { post_id: "short", n: 2 },
    ]);
  });

  it("reads gzip transparently", async () => {
    const gz = tmp.path("posts.jsonl.gz");
    writeFileSync(
      gz,
      gzipSync(Buffer.from('{"platform":"x","post_id":"1","account_id":"a","ts":1700000000}\n')),
    );
    const s = await ingestFile(store, gz);
    expect(s).toMatchObject({ format: "chorus-jsonl", postsStored: 1 });
  });

  it("stores the images a line lists as image objects, compared by their ids, and rejects ids written as numbers", async () => {
    const line = (id: string, account: string, extra: Record<string, unknown> = {}): string =>
      JSON.stringify({
        platform: "twitter",
        post_id: id,
        account_id: account,
        ts: "2024-03-08T09:00:00Z",
        ...extra,
      });
    const path = tmp.path("images.jsonl");
    writeFileSync(
      path,
      [
        line("1", "a", {
          text: "look",
          images: ["pHash:C3A1E0F0F8783C1E", "sha256:9F86D081884C7D659A2FEAA0C55AD015"],
        }),
        line("2", "b", { text: "look", images: ["phash:c3a1e0f0f8783c1e", " phash:C3A1E0F0F8783C1E "] }),
        line("3", "c", { text: "no images" }),
        line("4", "d", { images: [8796093022208123] }),
        line("5", "e", { images: "phash:c3a1e0f0f8783c1e" }),
        line("6", "f", { images: ["", "bafkreibme22gw2h7y2h7tg2fhqotaqjucnbc24deqo72b6mkl2egezxhvy"] }),
      ].join("\n") + "\n",
    );
    const s = await ingestFile(store, path);
    expect(s.format).toBe("chorus-jsonl");
    const images = await store.all<{ post_id: string; value: string }>(
      "SELECT post_id, value FROM objects WHERE kind = 'image' ORDER BY post_id, value",
    );
    // one value per image, whatever the case and spaces it was written in; a post's repeats stored once
    expect(images).toEqual([
      { post_id: "1", value: "phash:c3a1e0f0f8783c1e" },
      { post_id: "1", value: "sha256:9f86d081884c7d659a2feaa0c55ad015" },
      { post_id: "2", value: "phash:c3a1e0f0f8783c1e" },
      { post_id: "6", value: "bafkreibme22gw2h7y2h7tg2fhqotaqjucnbc24deqo72b6mkl2egezxhvy" },
    ]);
    const rejects = await store.all<{ source_row: number; reason: string }>(
      "SELECT source_row::INTEGER AS source_row, reason FROM rejects ORDER BY source_row",
    );
    expect(rejects.map((r) => r.source_row)).toEqual([4, 5]);
    expect(rejects[0]!.reason).toMatch(/images must be an array of strings, got a number .*quote it/);
    expect(rejects[1]!.reason).toMatch(/images must be an array of strings/);
    expect(s.postsStored).toBe(4);
  });
});

describe("files that cannot be read leave the case as it was", () => {
  async function refused(path: string, pattern: RegExp, opts = {}): Promise<void> {
    await ingestFile(store, JSONL);
    const before = await counts();
    const err = await ingestFile(store, path, opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestError);
    expect((err as Error).message).toContain(path);
    expect((err as Error).message).toMatch(pattern);
    expect(await counts()).toEqual(before);
  }

  it("truncated gzip", async () => {
    const lines = Array.from({ length: 50_000 }, (_, i) =>
      JSON.stringify({
        platform: "x",
        post_id: String(i),
        account_id: "a" + (i % 97),
        ts: 1700000000 + i,
        text: "t" + i,
      }),
    ).join("\n");
    const gz = gzipSync(Buffer.from(lines));
    const p = tmp.path("cut.jsonl.gz");
    writeFileSync(p, gz.subarray(0, Math.floor(gz.length * 0.7)));
    await refused(p, /gzip data is truncated or corrupt/);
  });

  it("a gzip cut short within its first bytes, named as cut, not as a format unknown", async () => {
    const doc = JSON.stringify({
      data: Array.from({ length: 200 }, (_, i) => ({ id: String(i), text: "t" + i })),
    });
    const p = tmp.path("short.json.gz");
    writeFileSync(p, gzipSync(Buffer.from(doc)).subarray(0, 300));
    await refused(p, /gzip data is truncated or corrupt \(unexpected end of file\)/);
  });

  it("gzip data followed by other bytes, named as gzip data that is corrupt", async () => {
    const line = '{"platform":"x","post_id":"1","account_id":"a","ts":"2024-01-01T00:00:00Z"}\n';
    const p = tmp.path("trailing.jsonl.gz");
    writeFileSync(p, Buffer.concat([gzipSync(Buffer.from(line)), Buffer.from("garbage after the stream")]));
    await refused(p, /the gzip data is truncated or corrupt \(incorrect header check\)/);
  });

  it("binary garbage", async () => {
    const p = tmp.path("garbage.jsonl");
    const buf = Buffer.alloc(100_000);
    for (let i = 0; i < buf.length; i++) buf[i] = (i * 7919 + 13) % 256;
    writeFileSync(p, buf);
    await refused(p, /binary data|not UTF-8/);
  });

  it("a zip archive or a spreadsheet, which says to unzip it or to save the sheet as CSV UTF-8", async () => {
    const p = tmp.path("posts.xlsx");
    // the local-file header of a zip archive, as every .xlsx starts
    writeFileSync(
      p,
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0]), Buffer.alloc(200)]),
    );
    await refused(
      p,
      /a zip archive \(or a spreadsheet such as \.xlsx, which is one\).*save the sheet as "CSV UTF-8"/,
    );
  });

  it("UTF-16 text, which says what it is and how to convert it", async () => {
    const line = '{"platform":"x","post_id":"1","account_id":"a","ts":"2024-01-01T00:00:00Z"}\n';
    for (const [name, bytes] of [
      ["le.jsonl", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(line, "utf16le")])],
      ["be.csv", Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(line, "utf16le").swap16()])],
    ] as const) {
      const p = tmp.path(name);
      writeFileSync(p, bytes);
      await refused(p, /the file is UTF-16 text .*convert it first, e\.g\. iconv -f UTF-16 -t UTF-8/);
    }
    const p32 = tmp.path("le32.jsonl");
    const utf32 = Buffer.alloc(4 * (line.length + 1));
    utf32.writeUInt32LE(0xfeff, 0);
    for (let i = 0; i < line.length; i++) utf32.writeUInt32LE(line.charCodeAt(i), 4 * (i + 1));
    writeFileSync(p32, utf32);
    await refused(p32, /the file is UTF-32 text .*iconv -f UTF-32 -t UTF-8/);
  });

  it("lines ended by a carriage return alone, which says so and how to convert them", async () => {
    const line = (id: number): string =>
      `{"platform":"x","post_id":"${id}","account_id":"a","ts":"2024-01-01T00:00:0${id}Z","text":"hi"}`;
    const p = tmp.path("mac.jsonl");
    writeFileSync(p, `${line(1)}\r${line(2)}\r${line(3)}\r`);
    await refused(p, /not recognised \(its lines end with a carriage return alone.*tr '\\r' '\\n' < FILE/);
    // a CSV whose lines end so is refused too, though it sniffs as one: its header would be the whole file, and
    // a column misnamed (text\r1) would leave every post without its text; so is one forced as csv
    const csv = tmp.path("mac.csv");
    writeFileSync(
      csv,
      "id,user_id,created_at,text\r1,u1,2024-03-08T09:00:05Z,hello\r2,u2,2024-03-08T09:00:06Z,hi\r",
    );
    await refused(csv, /its lines end with a carriage return alone.*tr '\\r' '\\n' < FILE/);
    await refused(csv, /its lines end with a carriage return alone/, { format: "csv" });
    // with line feeds too (Windows' CRLF), the same lines are read
    const crlf = tmp.path("windows.jsonl");
    writeFileSync(crlf, `${line(1)}\r\n${line(2)}\r\n`);
    expect((await ingestFile(store, crlf)).postsStored).toBe(2);
  });

  it("invalid UTF-8 throughout", async () => {
    const p = tmp.path("latin1.csv");
    writeFileSync(
      p,
      Buffer.from("post_id,account_id,ts,text\n1,a,1700000000,caf\xe9 cr\xe8me\n".repeat(50), "latin1"),
    );
    // the first line that is not UTF-8 is named, so that it can be found (the header before it is ASCII)
    await refused(
      p,
      /not UTF-8 text \(line 2, from byte 27, is the first that is not\): re-encode it as UTF-8 first, from the encoding it was saved in \(.*iconv -f WINDOWS-1256 -t UTF-8 FILE > FILE.utf8.*\)$/,
    );
  });

  it("an unknown format lists the formats and how to force one", async () => {
    const p = tmp.path("notes.txt");
    writeFileSync(p, "Dear diary,\nToday nothing happened.\n");
    await refused(p, /not recognised\. Formats: chorus-jsonl, .*--format NAME/);
  });

  it("a table whose columns are not named as ours points to --map, naming every missing field", async () => {
    await refused(
      `${FIXTURES}ingest/csv/posts.csv`,
      /: the format was not recognised; it looks like CSV\/TSV, but no column for account_id, ts; name them with --map account_id=COLUMN --map ts=COLUMN \(columns: id, author, published, body, links, tags\)\. Or force another format with --format NAME/,
    );
    const tsv = tmp.path("posts.tsv");
    writeFileSync(tsv, "ID\tuser_id\tWhen\n1\ta\t1700000000\n");
    await refused(
      tsv,
      /looks like CSV\/TSV, but no column for ts; name it with --map ts=COLUMN \(columns: id, user_id, when\)/,
    );
  });

  it("a forced format that matches no row", async () => {
    const p = tmp.path("other.jsonl");
    writeFileSync(p, '{"platform":"x","post_id":"1","account_id":"a","ts":1700000000}\n');
    await refused(p, /not a CooRTweet table/, { format: "coortweet" });
    await refused(
      p,
      /line 1: not a Twitter information-operations archive \(no column tweetid, userid, tweet_time\)/,
      {
        format: "twitter-io-archive",
      },
    );
  });

  it("a first line that does not end within 16 MiB is refused, and the message says so", async () => {
    // 64 MiB of one line, gzipped to a few dozen KiB: the sample stops at 16 MiB of it
    const line = `{"platform":"x","post_id":"1","account_id":"a","ts":1700000000,"text":"${"A".repeat(64 << 20)}"}\n`;
    const p = tmp.path("one-long-line.jsonl.gz");
    writeFileSync(p, gzipSync(Buffer.from(line), { level: 9 }));
    await refused(p, /not recognised \(its first line is longer than 16 MiB\)\. Formats: /);
  });

  it("an empty file and a missing file", async () => {
    const p = tmp.path("empty.jsonl");
    writeFileSync(p, "");
    await refused(p, /empty/);
    await refused(tmp.path("missing.jsonl"), /cannot be read \(no such file\)/);
  });
});

describe("hostile rows are rejected without exhausting memory", () => {
  it("an oversized line, a deeply nested value and a huge text field", async () => {
    const p = tmp.path("hostile.jsonl");
    const ok = (id: string): string =>
      JSON.stringify({ platform: "x", post_id: id, account_id: "a", ts: 1700000000 });
    const deep = "[".repeat(200_000) + "]".repeat(200_000);
    const huge = JSON.stringify({
      platform: "x",
      post_id: "big",
      account_id: "a",
      ts: 1700000000,
      text: "A".repeat(3_000_000),
    });
    writeFileSync(
      p,
      [
        ok("1"),
        "x".repeat(5_000_000),
        `{"platform":"x","post_id":"d","account_id":"a","ts":1700000000,"urls":${deep}}`,
        huge,
        ok("2"),
      ].join("\n"),
    );
    const s = await ingestFile(store, p, { maxRecordBytes: 4 * 1024 * 1024 });
    expect(s.postsStored).toBe(3);
    const rejects = await store.all<{ source_row: number; reason: string; n: number }>(
      "SELECT source_row::INTEGER AS source_row, reason, length(raw)::INTEGER AS n FROM rejects ORDER BY 1",
    );
    expect(rejects.map((r) => r.source_row)).toEqual([2, 3]);
    expect(rejects[0]!.reason).toMatch(/5000000 bytes, longer than the limit/);
    expect(rejects[1]!.reason).toMatch(/urls must be an array of strings/);
    expect(rejects.every((r) => r.n < 3000)).toBe(true);
    const text = await store.scalar<number>("SELECT length(text)::INTEGER FROM posts WHERE post_id = 'big'");
    expect(text).toBeLessThan(200_000);
  });
});

describe("the real CooRTweet samples", () => {
  it("ingests the Russian retweet table: one post per content id, one repost object each", async () => {
    const p = tmp.path("russian.csv.gz");
    copyFileSync(`${FIXTURES}coortweet/russian_coord_tweets.csv.gz`, p);
    const s = await ingestFile(store, p);
    expect(s.format).toBe("coortweet");
    expect(s.rowsRead).toBe(35_125);
    expect(s.rowsRejected).toBe(0);
    const c = await counts();
    expect(c.posts! + s.postsDuplicate).toBe(35_125);
    const accounts = await store.scalar<number>("SELECT count(DISTINCT account_id)::INTEGER FROM posts");
    expect(accounts).toBe(9_509);
    expect(await store.scalar<number>("SELECT count(*)::INTEGER FROM objects WHERE kind <> 'repost'")).toBe(
      0,
    );
  });

  it("ingests the German multi-object table into url, hashtag, domain and image objects", async () => {
    const s = await ingestFile(store, `${FIXTURES}coortweet/german_elections.csv.gz`);
    expect(s.rowsRead).toBe(218_971);
    // three rows of the real sample have no post id (and share nothing): rejected with their line
    const rejects = await store.all<{ source_row: number; reason: string }>(
      "SELECT source_row::INTEGER AS source_row, reason FROM rejects ORDER BY 1",
    );
    expect(rejects).toEqual([
      { source_row: 41_002, reason: "missing post_id" },
      { source_row: 50_977, reason: "missing post_id" },
      { source_row: 72_320, reason: "missing post_id" },
    ]);
    // a post that shares several objects takes several rows: stored once
    expect(s.postsStored + s.postsDuplicate + rejects.length).toBe(218_971);
    const byKind = await store.all<{ kind: string; n: number }>(
      "SELECT kind, count(*)::INTEGER AS n FROM objects GROUP BY kind ORDER BY kind",
    );
    expect(byKind.map((r) => r.kind)).toEqual(["domain", "hashtag", "image", "url"]);
    const accounts = await store.scalar<number>(
      `SELECT count(DISTINCT a)::INTEGER FROM (SELECT account_id AS a FROM posts
         UNION ALL SELECT split_part(raw, ',', 1) FROM rejects)`,
    );
    expect(accounts).toBe(58_317);
  });
});
