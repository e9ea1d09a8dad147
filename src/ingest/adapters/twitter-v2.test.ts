import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { collectItems, sampleOf, source } from "../../../test/helpers/adapter.js";
import { timeZone } from "../../normalize/time.js";
import { afterAll, describe, expect, it } from "vitest";
import type { PostInput } from "../../model/index.js";
import { toObjectRows } from "../records.js";
import { IngestError, type IngestItem } from "../types.js";
import { blueskyAdapter } from "./bluesky.js";
import { mastodonAdapter } from "./mastodon.js";
import { telegramAdapter } from "./telegram.js";
import { twitterV2Adapter } from "./twitter-v2.js";

const FIXTURES = fileURLToPath(new URL("../../../test/fixtures/ingest/", import.meta.url));
const fixture = (name: string): string => join(FIXTURES, "twitter-v2", name);
const tmp = mkdtempSync(join(tmpdir(), "chorus-twitter-v2-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const collect = (path: string, maxRecordBytes = 1 << 20): Promise<IngestItem[]> =>
  collectItems(twitterV2Adapter, path, maxRecordBytes);

/** The fields a test compares, with the time as ISO text. */
function brief(item: IngestItem): unknown {
  if (item.type === "reject") return { row: item.row, reject: item.reason };
  if (item.type === "account")
    return { row: item.row, account: item.account.accountId, handle: item.account.handle };
  const p: PostInput = item.post;
  return {
    row: item.row,
    id: p.postId,
    account: p.accountId,
    ts: new Date(p.tsMs).toISOString(),
    kind: p.kind,
    ref: p.repostOf ?? p.quoteOf ?? p.replyTo ?? null,
    refAccount: p.refAccountId ?? null,
    urls: p.urls,
    hashtags: p.hashtags,
    mentions: p.mentions,
  };
}

describe("twitter-v2 adapter: one page as a JSON document", () => {
  it("maps tweets, users and included tweets with snowflake times, kinds and references", async () => {
    const items = await collect(fixture("search-page.json"));
    expect(items.map(brief)).toEqual([
      {
        row: 1,
        id: "1744993780503347203",
        account: "1372846191234567170",
        ts: "2024-01-10T08:05:12.345Z",
        kind: "post",
        ref: null,
        refAccount: null,
        // the unwound destination of the bit.ly link; the photo link is an attachment, not a shared URL
        urls: ["https://www.example-news.ir/fa/news/12345?utm_source=twitter"],
        hashtags: ["ایران", "آزادی"],
        mentions: ["news_agency"],
      },
      {
        row: 2,
        id: "1744993783253696512",
        account: "987654321",
        ts: "2024-01-10T08:05:13.001Z",
        kind: "repost",
        ref: "1744992470947266561",
        refAccount: "15250661",
        urls: ["https://www.example-news.ir/fa/news/12345?utm_source=twitter"],
        hashtags: ["ایران"],
        mentions: ["news_agency"],
      },
      {
        row: 3,
        id: "1744993982480121857",
        account: "987654321",
        ts: "2024-01-10T08:06:00.500Z",
        kind: "reply",
        ref: "1744993780503347203",
        refAccount: "1372846191234567170",
        urls: [],
        hashtags: [],
        mentions: ["sara_tehran"],
      },
      {
        row: 4,
        id: "1744994358916939778",
        account: "987654321",
        ts: "2024-01-10T08:07:30.250Z",
        kind: "quote",
        ref: "1744992470947266561",
        refAccount: "15250661",
        // the quoted tweet's link, which the objects leave out (the quote, not a link it shared: below)
        urls: ["https://twitter.com/news_agency/status/1744992470947266561"],
        hashtags: [],
        mentions: [],
      },
      { row: 5, reject: "missing author_id" },
      { row: 6, reject: "unparseable created_at 'yesterday'" },
      { row: 7, account: "1372846191234567170", handle: "sara_tehran" },
      { row: 8, account: "987654321", handle: "abu_khalid_77" },
      { row: 9, account: "15250661", handle: "news_agency" },
      {
        row: 10,
        id: "1744992470947266561",
        account: "15250661",
        ts: "2024-01-10T08:00:00.123Z",
        kind: "post",
        ref: null,
        refAccount: null,
        urls: ["https://www.example-news.ir/fa/news/12345?utm_source=twitter"],
        hashtags: ["ایران"],
        mentions: [],
      },
    ]);
    // the quote's objects: the tweet it quotes, and no link or x.com domain share for that tweet's link
    const quote = items.find((i) => i.type === "post" && i.post.postId === "1744994358916939778");
    expect(quote?.type === "post" && toObjectRows(quote.post).map((o) => `${o.kind}=${o.value}`)).toEqual([
      "quote=1744992470947266561",
    ]);
  });

  it("keeps retweet text and hostile text as written, and fills profiles from includes.users", async () => {
    const items = await collect(fixture("search-page.json"));
    const posts = items.flatMap((i) => (i.type === "post" ? [i.post] : []));
    expect(posts[1]!.text).toBe(
      "RT @news_agency: خبر فوری: انتخابات مجلس به تعویق افتاد https://t.co/AbCdEf1234 #ایران",
    );
    expect(posts[3]!.text).toBe(
      "انظروا <script>alert(1)</script> \u202egpj.exe\u202c https://t.co/QtQtQtQt12",
    );
    expect(posts[0]).toEqual({
      platform: "twitter",
      postId: "1744993780503347203",
      accountId: "1372846191234567170",
      tsMs: Date.parse("2024-01-10T08:05:12.345Z"),
      kind: "post",
      text: "همه باید این را ببینند! #ایران #آزادی https://t.co/XyZ987abcd @news_agency https://t.co/PhOtO12345",
      lang: "fa",
      client: "Twitter for Android",
      urls: ["https://www.example-news.ir/fa/news/12345?utm_source=twitter"],
      hashtags: ["ایران", "آزادی"],
      mentions: ["news_agency"],
      handle: "sara_tehran",
      displayName: "سارا \u200c تهرانی",
      bio: "روزنامه‌نگار مستقل <b>bold</b>",
      accountCreatedAtMs: Date.parse("2021-03-19T10:15:00.000Z"),
      followers: 1520,
      following: 310,
      avatarUrl: "https://pbs.twimg.com/profile_images/1372846/abc_normal.jpg",
      location: "تهران",
    });
    const account = items.find((i) => i.type === "account" && i.account.accountId === "987654321");
    expect(account).toEqual({
      type: "account",
      row: 8,
      account: {
        platform: "twitter",
        accountId: "987654321",
        handle: "abu_khalid_77",
        displayName: "أبو خالد",
        bio: null,
        createdAtMs: Date.parse("2024-01-02T03:04:05.000Z"),
        followers: 3,
        following: 4999,
        avatarUrl: "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png",
        location: null,
      },
    });
  });

  it("keeps the raw record with a reject", async () => {
    const items = await collect(fixture("search-page.json"));
    const reject = items.find((i) => i.type === "reject" && i.row === 6);
    expect(reject).toMatchObject({ raw: expect.stringContaining('"created_at":"yesterday"') });
  });
});

describe("twitter-v2 adapter: JSON Lines and arrays of pages", () => {
  it("reads twarc2 pages, flattened tweets and users with the line as row", async () => {
    const items = await collect(fixture("twarc2.jsonl"));
    expect(items.map(brief)).toEqual([
      { row: 1, account: "1501234567890123776", handle: "mehr_bot_01" },
      {
        row: 1,
        id: "1745415259534917633",
        account: "1501234567890123776",
        ts: "2024-01-11T12:00:00.777Z",
        kind: "post",
        ref: null,
        refAccount: null,
        urls: ["https://propaganda.example/a?fbclid=XYZ"],
        hashtags: ["تحریم"],
        mentions: [],
      },
      {
        row: 2,
        id: "1745415260478701571",
        account: "1600000000000000001",
        ts: "2024-01-11T12:00:01.002Z",
        kind: "repost",
        ref: "1745414752960708608",
        refAccount: "44196397",
        urls: [],
        hashtags: ["تحریم"],
        mentions: ["state_media"],
      },
      // the retweeted original, embedded whole by twarc2's flattening
      {
        row: 2,
        id: "1745414752960708608",
        account: "44196397",
        ts: "2024-01-11T11:58:00.000Z",
        kind: "post",
        ref: null,
        refAccount: null,
        urls: [],
        hashtags: ["تحریم"],
        mentions: [],
      },
      { row: 3, reject: expect.stringMatching(/^invalid JSON/) as unknown as string },
      { row: 5, account: "1600000000000000002", handle: "ali_99_ali" },
      {
        row: 6,
        reject:
          "neither a Twitter API v2 page (data, includes), a tweet (id, text, author_id) nor a user (id, username)",
      },
    ]);
    const flattened = items[2]!.type === "post" ? items[2]!.post : null;
    expect(flattened).toMatchObject({
      handle: "zahra_x_1990",
      bio: "<img src=x onerror=alert(1)>",
      client: "Twitter for Android",
    });
  });

  it("reads a JSON array of pages with the page as row", async () => {
    const items = await collect(fixture("pages.json"));
    expect(items.map((i) => [i.row, i.type, i.type === "post" ? i.post.postId : null])).toEqual([
      [1, "account", null],
      [1, "post", "1745415259534917633"],
      [2, "account", null],
      [2, "post", "1745415260478701571"],
      [2, "post", "1745415259534917633"],
    ]);
    const rt = items[3]!.type === "post" ? items[3]!.post : null;
    expect(rt).toMatchObject({
      kind: "repost",
      repostOf: "1745415259534917633",
      refAccountId: "1501234567890123776",
    });
  });
});

describe("twitter-v2 adapter: the id's time against created_at", () => {
  it("takes the id's millisecond when it agrees with created_at, and created_at when the id is years away", async () => {
    // 1744993780503347203 is 2024-01-10T08:05:12.345Z; the largest 63-bit id would be in 2080, a small one in 2018
    const tweets = [
      { id: "1744993780503347203", created_at: "2024-01-10T08:05:12.000Z" },
      { id: "1744993780503347203", created_at: "2024-01-10T08:05:14.500Z" },
      { id: "9223372036854775807", created_at: "2024-01-11T12:00:00.000Z" },
      { id: "1000000000000000000", created_at: "2024-01-11T12:00:00.000Z" },
      { id: "1744993780503347203" },
      { id: "1744993780503347203", created_at: "yesterday" },
      { id: "12345", created_at: "yesterday" },
    ].map((t, i) => ({ ...t, text: `t${i}`, author_id: "u1" }));
    const path = join(tmp, "times.jsonl");
    writeFileSync(path, tweets.map((t) => JSON.stringify(t)).join("\n") + "\n");
    const times = (await collect(path)).map((item) =>
      item.type === "post" ? new Date(item.post.tsMs).toISOString() : item.type,
    );
    expect(times).toEqual([
      "2024-01-10T08:05:12.345Z",
      "2024-01-10T08:05:14.500Z",
      "2024-01-11T12:00:00.000Z",
      "2024-01-11T12:00:00.000Z",
      "2024-01-10T08:05:12.345Z",
      "2024-01-10T08:05:12.345Z",
      "reject",
    ]);
  });
});

describe("twitter-v2 adapter: times re-saved without their zone", () => {
  // pandas and spreadsheet round trips write the API's "2024-01-10T08:05:12.000Z" as "2024-01-10 08:05:12"
  const page = {
    data: [
      { id: "77", text: "t1", author_id: "u1", created_at: "2024-01-10 08:05:12" },
      { id: "1744993780503347203", text: "t2", author_id: "u1", created_at: "2024-01-10 08:05:12" },
    ],
    includes: { users: [{ id: "u1", username: "one", created_at: "2015-06-01 10:00:00" }] },
  };
  const path = join(tmp, "zoneless.jsonl");
  writeFileSync(path, JSON.stringify(page) + "\n");

  it("refuses a zone-less created_at with the remedy, and keeps a tweet whose snowflake id dates it", async () => {
    const items = await collect(path);
    const rejects = items
      .filter((i) => i.type === "reject")
      .map((i) => (i.type === "reject" ? i.reason : ""));
    // the user and the tweet whose id is no snowflake are refused, each naming what to do
    expect(rejects).toHaveLength(2);
    for (const r of rejects) expect(r).toMatch(/has no time zone .*--time-zone/);
    expect(rejects.some((r) => r.startsWith("user u1: created_at"))).toBe(true);
    const posts = items.flatMap((i) => (i.type === "post" ? [i.post] : []));
    expect(posts.map((p) => [p.postId, new Date(p.tsMs).toISOString()])).toEqual([
      ["1744993780503347203", "2024-01-10T08:05:12.345Z"],
    ]);
  });

  it("reads such times in the zone --time-zone names", async () => {
    const zone = timeZone("Asia/Tehran")!;
    const items: IngestItem[] = [];
    for await (const batch of twitterV2Adapter.read(source(path), {
      map: {},
      maxRecordBytes: 1 << 20,
      timeZone: zone,
    })) {
      items.push(...(Array.isArray(batch) ? batch : [batch]));
    }
    expect(items.filter((i) => i.type === "reject")).toEqual([]);
    const posts = items.flatMap((i) => (i.type === "post" ? [i.post] : []));
    // 08:05:12 in Tehran (+03:30) is 04:35:12 UTC; the snowflake's own time (08:05:12.345Z) no longer agrees with
    // it, so the stated time is taken, as for any id that disagrees
    expect(posts.map((p) => new Date(p.tsMs).toISOString())).toEqual([
      "2024-01-10T04:35:12.000Z",
      "2024-01-10T04:35:12.000Z",
    ]);
    // in June 2015 Iran kept summer time (+04:30, until 2022): the named zone's rules, not a fixed offset
    const user = items.find((i) => i.type === "account");
    expect(user?.type === "account" && new Date(user.account.createdAtMs!).toISOString()).toBe(
      "2015-06-01T05:30:00.000Z",
    );
  });
});

describe("twitter-v2 adapter: hostile and broken input", () => {
  it("throws IngestError naming the file for a truncated document", async () => {
    const text = readFileSync(fixture("search-page.json"), "utf8");
    const path = join(tmp, "truncated.json");
    writeFileSync(path, text.slice(0, Math.floor(text.length / 2)));
    await expect(collect(path)).rejects.toThrow(IngestError);
    await expect(collect(path)).rejects.toThrow(`${path}: `);
  });

  it("throws IngestError for an object that is not a page, and for a file that is not JSON", async () => {
    const notPage = join(tmp, "not-page.json");
    writeFileSync(notPage, '{\n "statuses": []\n}\n');
    await expect(collect(notPage)).rejects.toThrow(`${notPage}: not a Twitter API v2 page`);
    const csv = join(tmp, "tweets.csv");
    writeFileSync(csv, "id,text\n1,hello\n");
    await expect(collect(csv)).rejects.toThrow(`${csv}: not JSON or JSON Lines`);
  });

  it("rejects an oversized tweet in a page document and keeps the others", async () => {
    const page = JSON.parse(readFileSync(fixture("search-page.json"), "utf8")) as {
      data: Array<{ text: string }>;
    };
    page.data[2]!.text = "x".repeat(300_000);
    const path = join(tmp, "oversized.json");
    writeFileSync(path, JSON.stringify(page, null, 1));
    const items = await collect(path, 100_000);
    expect(items[2]).toMatchObject({
      type: "reject",
      row: 3,
      reason: expect.stringMatching(/^record is \d+ bytes, longer than the limit of 100000$/),
    });
    expect(items.filter((i) => i.type === "post")).toHaveLength(4);
  });

  it("rejects a deeply nested tweet (100k levels) in a document and in JSON Lines without crashing", async () => {
    const bomb = "[".repeat(100_000) + "]".repeat(100_000);
    const doc = join(tmp, "deep.json");
    writeFileSync(
      doc,
      `{\n"data": [{"id":"1744993780503347203","author_id":"1","text":"a","x":${bomb}},\n{"id":"1744993783253696512","author_id":"2","text":"b"}]}`,
    );
    expect((await collect(doc)).map(brief)).toMatchObject([
      { row: 1, reject: "record is nested deeper than 64 levels" },
      { row: 2, id: "1744993783253696512" },
    ]);
    const lines = join(tmp, "deep.jsonl");
    writeFileSync(
      lines,
      `{"data":[{"id":"1","x":${bomb}}]}\n{"id":"1744993783253696512","author_id":"2","text":"b"}\n`,
    );
    expect((await collect(lines, 1 << 20)).map(brief)).toMatchObject([
      { row: 1, reject: "record is nested deeper than 64 levels" },
      { row: 2, id: "1744993783253696512", kind: "post" },
    ]);
  });
});

describe("twitter-v2 sniffing", () => {
  const others = [telegramAdapter, blueskyAdapter, mastodonAdapter];

  it("is confident about its own fixtures, and the other adapters are not", () => {
    for (const name of ["search-page.json", "twarc2.jsonl", "pages.json"]) {
      const sample = sampleOf(fixture(name));
      expect(twitterV2Adapter.sniff(sample), name).toBeGreaterThanOrEqual(0.9);
      for (const a of others) expect(a.sniff(sample), `${a.id} on ${name}`).toBeLessThan(0.5);
    }
  });

  it("does not claim other formats, native JSON Lines or CSV", () => {
    for (const [dir, name] of [
      ["telegram", "result.json"],
      ["bluesky", "jetstream.jsonl"],
      ["bluesky", "author-feed.json"],
      ["mastodon", "timeline.json"],
      ["mastodon", "statuses.jsonl"],
    ] as const) {
      expect(twitterV2Adapter.sniff(sampleOf(join(FIXTURES, dir, name))), name).toBeLessThan(0.5);
    }
    const native =
      '{"platform":"twitter","post_id":"1","account_id":"a","ts":"2024-01-01T00:00:00Z","text":"hi","author_id":"1"}\n';
    expect(twitterV2Adapter.sniff({ name: "x.jsonl", head: native, lines: [native.trim()] })).toBe(0);
    const csv = "id,author_id,text,created_at\n1,2,hello,2024-01-01T00:00:00Z\n";
    expect(twitterV2Adapter.sniff({ name: "x.csv", head: csv, lines: csv.trim().split("\n") })).toBe(0);
  });

  it("knows tweets whose ids a tool re-saved as JSON numbers", () => {
    const line =
      '{"id": 17, "author_id": 42, "text": "hi", "conversation_id": 17, "created_at": "2024-01-01T00:00:00Z"}';
    expect(
      twitterV2Adapter.sniff({ name: "x.jsonl", head: `${line}\n`, lines: [line] }),
    ).toBeGreaterThanOrEqual(0.9);
  });
});

describe("twitter-v2 adapter: ids written as JSON numbers", () => {
  const tooLarge = (field: string, shownValue: string): string =>
    `${field} ${shownValue} is a number too large to hold exactly (its digits were lost): write ids as JSON strings`;

  it("rejects an id past 2^53, which JSON.parse has rounded, naming the field", async () => {
    // written by hand: JSON.stringify cannot write these numbers with their digits
    const page = `{"data": [
      {"id": 1745415259534917633, "text": "rounded id", "author_id": "42"},
      {"id": 1745415259534917634, "text": "rounded too", "author_id": "42"},
      {"id": "1745415259534917635", "text": "rounded author", "author_id": 1501234567890123776},
      {"id": "1745415259534917636", "text": "rt", "author_id": "42",
       "referenced_tweets": [{"type": "retweeted", "id": 1745415259534917633}]},
      {"id": "1745415259534917637", "text": "reply", "author_id": "42", "in_reply_to_user_id": 1501234567890123777,
       "referenced_tweets": [{"type": "replied_to", "id": "1745415259534917633"}]},
      {"id": "1745415259534917638", "text": "quote", "author_id": "42",
       "referenced_tweets": [{"type": "quoted", "id": "1745415259534917633", "author_id": 1501234567890123778}]},
      {"id": "1745415259534917639", "text": "by", "author": {"id": 1501234567890123779, "username": "x"}},
      {"id": "1745415259534917640", "text": "ok", "author_id": "42", "in_reply_to_user_id": 7,
       "referenced_tweets": [{"type": "replied_to", "id": "1745415259534917633"}]},
      {"id": 20, "text": "a small id as a number", "author_id": 12, "created_at": "2006-03-21T20:50:14Z"}
    ], "includes": {"users": [{"id": 1501234567890123776, "username": "big"}, {"id": 12, "username": "jack"}]}}`;
    const path = join(tmp, "numeric-ids.json");
    writeFileSync(path, page);
    expect((await collect(path)).map(brief)).toMatchObject([
      { row: 1, reject: tooLarge("id", "1745415259534917600") },
      { row: 2, reject: tooLarge("id", "1745415259534917600") },
      { row: 3, reject: tooLarge("author_id", "1501234567890123800") },
      { row: 4, reject: tooLarge("referenced_tweets.id", "1745415259534917600") },
      { row: 5, reject: tooLarge("in_reply_to_user_id", "1501234567890123800") },
      { row: 6, reject: tooLarge("referenced_tweets.author_id", "1501234567890123800") },
      { row: 7, reject: tooLarge("author.id", "1501234567890123800") },
      { row: 8, id: "1745415259534917640", kind: "reply", refAccount: "7" },
      // safe integers are taken as before
      { row: 9, id: "20", account: "12", ts: "2006-03-21T20:50:14.000Z" },
      { row: 10, reject: tooLarge("id", "1501234567890123800") },
      { row: 11, account: "12", handle: "jack" },
    ]);
  });

  it("rejects them the same way in JSON Lines", async () => {
    const path = join(tmp, "numeric-ids.jsonl");
    writeFileSync(
      path,
      '{"id":1745415259534917633,"text":"a","author_id":"42"}\n' +
        '{"id":"1745415259534917634","text":"b","author_id":1.5}\n' +
        '{"id":"1745415259534917635","text":"c","author_id":42}\n',
    );
    expect((await collect(path)).map(brief)).toMatchObject([
      { row: 1, reject: tooLarge("id", "1745415259534917600") },
      { row: 2, reject: "author_id 1.5 is a number with a fraction, not an id: write ids as JSON strings" },
      { row: 3, id: "1745415259534917635", account: "42" },
    ]);
    // the reject shows the line as written, its id whole (re-serialised, it read 1745415259534917600)
    const [first] = await collect(path);
    expect(first).toMatchObject({
      type: "reject",
      raw: '{"id":1745415259534917633,"text":"a","author_id":"42"}',
    });
  });
});
