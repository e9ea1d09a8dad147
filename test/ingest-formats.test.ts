import { writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CaseStore } from "../src/store/case.js";
import { ingestFile } from "../src/ingest/ingest.js";
import { FIXTURES, tempDir } from "./helpers/tmp.js";
import { collectItems } from "./helpers/adapter.js";
import { twitterIoArchiveAdapter } from "../src/ingest/adapters/twitter-io-archive.js";
import { csvAdapter } from "../src/ingest/adapters/csv.js";
import type { NotedPostItem } from "../src/ingest/load.js";

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

describe("twitter-io-archive", () => {
  it("times a tweet by its snowflake id to the millisecond when the id agrees with tweet_time's minute", async () => {
    const dir = tempDir();
    try {
      const header = "tweetid,userid,user_screen_name,tweet_text,tweet_time,is_retweet,retweet_tweetid";
      const file = dir.path("io_tweets_csv_unhashed.csv");
      writeFileSync(
        file,
        [
          header,
          // ids whose time is 18:02:45.724 and 18:02:51.090 on 2018-07-24, the minute tweet_time gives
          "1021817980734005824,111,first,hello,2018-07-24 18:02,False,",
          "1021818003240616397,222,second,RT hello,2018-07-24 18:02,True,1021817980734005824",
          // an id five hours off its tweet_time (not a snowflake of it)
          "1021893478209613824,333,third,later,2018-07-24 18:05,False,",
        ].join("\n") + "\n",
      );
      const s = await ingestFile(store, file);
      expect(s.format).toBe("twitter-io-archive");
      const posts = await store.all<{ account_id: string; ts: string }>(
        `SELECT account_id, strftime(ts, '%Y-%m-%d %H:%M:%S.%g') AS ts FROM posts ORDER BY account_id`,
      );
      expect(posts).toEqual([
        { account_id: "111", ts: "2018-07-24 18:02:45.724" },
        { account_id: "222", ts: "2018-07-24 18:02:51.090" },
        { account_id: "333", ts: "2018-07-24 18:05:00.000" },
      ]);
    } finally {
      dir.cleanup();
    }
  });

  it("keeps the commas of bare links, and reads a quote's link to the quoted tweet as its quote", async () => {
    const file = tmp.path("io_links_tweets_csv_hashed.csv");
    writeFileSync(
      file,
      [
        "tweetid,userid,user_screen_name,tweet_text,tweet_time,is_retweet,quoted_tweet_tweetid,urls",
        "1021893478209613824,u1,a,two articles,2018-07-24 18:02,False,," +
          '"[https://wyborcza.pl/7,75399,24321.html, https://www.google.com/maps/@35.7,51.4,12z]"',
        "1021893478209613825,u2,b,so true,2018-07-24 18:03,False,1021817980734005824," +
          '"[https://twitter.com/someone/status/1021817980734005824, https://example.org/a]"',
      ].join("\n") + "\n",
    );
    const s = await ingestFile(store, file);
    expect(s).toMatchObject({ format: "twitter-io-archive", postsStored: 2, rowsRejected: 0 });
    const objects = await store.all<{ post_id: string; kind: string; value: string }>(
      "SELECT post_id, kind, value FROM objects WHERE kind IN ('url', 'quote') ORDER BY post_id, kind, value",
    );
    expect(objects).toEqual([
      { post_id: "1021893478209613824", kind: "url", value: "https://google.com/maps/@35.7,51.4,12z" },
      { post_id: "1021893478209613824", kind: "url", value: "https://wyborcza.pl/7,75399,24321.html" },
      { post_id: "1021893478209613825", kind: "quote", value: "1021817980734005824" },
      { post_id: "1021893478209613825", kind: "url", value: "https://example.org/a" },
    ]);
  });

  it("rejects ids a spreadsheet wrote as floats, which would merge different tweets", async () => {
    const file = tmp.path("io_tweets_csv_hashed.csv");
    writeFileSync(
      file,
      [
        "tweetid,userid,user_screen_name,tweet_text,tweet_time,is_retweet,retweet_tweetid",
        "1.02189E+18,u1,a,first float id,2018-07-24 18:02,False,",
        "1.02189E+18,u2,b,second float id,2018-07-24 18:03,False,",
        "1021893478209613826,u3,c,a retweet of a float,2018-07-24 18:04,True,1.02181798073401e+18",
        "1021893478209613827.0,u4,d,a float with a zero fraction,2018-07-24 18:05,False,",
        // an integer pandas wrote with a zero fraction keeps its digits below 2^53
        "1021893478209613830,1234.0,e,kept,2018-07-24 18:08,False,",
      ].join("\n") + "\n",
    );
    const s = await ingestFile(store, file);
    expect(s).toMatchObject({ format: "twitter-io-archive", postsStored: 1, rowsRejected: 4 });
    const rejects = await store.all<{ source_row: number; reason: string }>(
      "SELECT source_row::INTEGER AS source_row, reason FROM rejects ORDER BY 1",
    );
    const lost = (column: string, value: string): string =>
      `${column} '${value}' is written as a floating-point number, which has lost the id's last digits ` +
      "(was the file saved through a spreadsheet?)";
    expect(rejects).toEqual([
      { source_row: 2, reason: lost("tweetid", "1.02189E+18") },
      { source_row: 3, reason: lost("tweetid", "1.02189E+18") },
      { source_row: 4, reason: lost("retweet_tweetid", "1.02181798073401e+18") },
      { source_row: 5, reason: lost("tweetid", "1021893478209613827.0") },
    ]);
    const posts = await store.all<Record<string, unknown>>("SELECT post_id, account_id FROM posts");
    expect(posts).toEqual([{ post_id: "1021893478209613830", account_id: "1234" }]);
  });

  it("leaves out a count that is not a non-negative number, as the native format does, and keeps the tweet", async () => {
    const file = tmp.path("io_tweets_csv_hashed.csv");
    writeFileSync(
      file,
      [
        "tweetid,userid,user_screen_name,follower_count,following_count,account_creation_date,tweet_text,tweet_time",
        "1021893478209613828,u5,e,-5,12,2016-11-08,negative,2018-07-24 18:06",
        "1021893478209613829,u6,f,10,1e400,someday,infinite,2018-07-24 18:07",
        // pandas writes None and nan for empty cells: they are read as missing, without a note
        "1021893478209613830,u7,None,nan,None,,kept,2018-07-24 18:08",
      ].join("\n") + "\n",
    );
    const items = await collectItems(twitterIoArchiveAdapter, file);
    expect(items.map((i) => (i.type === "post" ? [i.row, (i as NotedPostItem).notes ?? []] : i))).toEqual([
      [2, ["follower_count '-5' is not a non-negative number: left out, the post is kept"]],
      [
        3,
        [
          "account_creation_date 'someday' is not a date: left out, the post is kept",
          "following_count '1e400' is not a non-negative number: left out, the post is kept",
        ],
      ],
      [4, []],
    ]);
    const s = await ingestFile(store, file);
    expect(s).toMatchObject({ postsStored: 3, rowsRejected: 0 });
    const accounts = await store.all<Record<string, unknown>>(
      "SELECT account_id, handle, followers::INTEGER AS followers, following::INTEGER AS following FROM accounts ORDER BY 1",
    );
    expect(accounts).toEqual([
      { account_id: "u5", handle: "e", followers: null, following: 12 },
      { account_id: "u6", handle: "f", followers: 10, following: null },
      { account_id: "u7", handle: null, followers: null, following: null },
    ]);
  });

  it("keeps @nan and a tweet reading None where the file does not write empty cells as pandas does", async () => {
    const header = "tweetid,userid,user_screen_name,tweet_text,in_reply_to_tweetid,hashtags,tweet_time";
    const plain = tmp.path("plain_tweets_csv_hashed.csv");
    writeFileSync(
      plain,
      [
        header,
        "1021893478209613831,u8,nan,None,,[],2018-07-24 18:09",
        "1021893478209613832,u9,NaN,hi,,[],2018-07-24 18:10",
      ].join("\n") + "\n",
    );
    const kept = (await collectItems(twitterIoArchiveAdapter, plain)).map((i) =>
      i.type === "post" ? [i.post.handle, i.post.text] : i,
    );
    expect(kept).toEqual([
      ["nan", "None"],
      ["NaN", "hi"],
    ]);
    // the same cells in a file whose empty reply and tag cells pandas wrote as nan: missing in every row, the
    // first too although its own reply and tag cells are empty (the review: one account read @nan, then blank)
    const resaved = tmp.path("resaved_tweets_csv_hashed.csv");
    writeFileSync(
      resaved,
      [
        header,
        "1021893478209613835,u8,nan,None,,[],2018-07-24 18:08",
        "1021893478209613833,u8,nan,None,nan,nan,2018-07-24 18:09",
        "1021893478209613834,u9,None,nan,1021893478209613833,[],2018-07-24 18:10",
      ].join("\n") + "\n",
    );
    const blanked = (await collectItems(twitterIoArchiveAdapter, resaved)).map((i) =>
      i.type === "post" ? [i.post.handle, i.post.text] : i,
    );
    expect(blanked).toEqual([
      [null, null],
      [null, null],
      [null, null],
    ]);
  });

  it("maps the archive's columns by name, reads tweet_time as UTC and the bracketed lists", async () => {
    const s = await ingestFile(store, `${FIXTURES}ingest/twitter-io-archive/sample_tweets_csv_hashed.csv`);
    expect(s.format).toBe("twitter-io-archive");
    expect(s.postsStored).toBe(3);
    const rejects = await store.all<{ source_row: number; reason: string }>(
      "SELECT source_row::INTEGER AS source_row, reason FROM rejects",
    );
    expect(rejects).toEqual([{ source_row: 5, reason: "tweet_time '24/07/2018 at noon' is not a date" }]);
    const posts = await store.all<Record<string, unknown>>(
      `SELECT post_id, account_id, strftime(ts, '%Y-%m-%d %H:%M') AS ts, kind, ref_post_id, ref_account_id, client
         FROM posts ORDER BY post_id`,
    );
    expect(posts[0]).toEqual({
      post_id: "1021893478209613824",
      account_id: "a3f1c0d2e4b5a6978877665544332211",
      ts: "2018-07-24 18:02",
      kind: "repost",
      ref_post_id: "1021893000000000000",
      ref_account_id: "1425118092",
      client: "Twitter Web Client",
    });
    expect(posts[2]).toMatchObject({
      kind: "reply",
      ref_post_id: "1021800000000000000",
      ref_account_id: "77777",
    });
    const objects = await store.all<{ post_id: string; kind: string; value: string }>(
      "SELECT post_id, kind, value FROM objects WHERE kind IN ('hashtag', 'domain', 'mention') ORDER BY 1, 2, 3",
    );
    expect(
      objects.filter((o) => o.post_id.endsWith("825") && o.kind === "hashtag").map((o) => o.value),
    ).toEqual(["freespeech", "news"]);
    expect(objects.filter((o) => o.post_id.endsWith("824")).map((o) => `${o.kind}:${o.value}`)).toEqual([
      "domain:presstv.ir",
      "hashtag:ایران",
      "mention:1425118092",
    ]);
    const acc = await store.all<Record<string, unknown>>(
      `SELECT handle, display_name, location, followers::INTEGER AS followers, strftime(created_at, '%Y-%m-%d') AS created
         FROM accounts WHERE account_id = '991234567'`,
    );
    expect(acc).toEqual([
      {
        handle: "LibertyNow_88",
        display_name: "Liberty Now",
        location: "London, UK",
        followers: 1500,
        created: "2016-11-08",
      },
    ]);
  });
});

describe("csv", () => {
  it("recognises common column names and a tab delimiter without a mapping", async () => {
    const s = await ingestFile(store, `${FIXTURES}ingest/csv/posts.tsv`, { platform: "forum" });
    expect(s).toMatchObject({ format: "csv", postsStored: 2, rowsRejected: 0 });
    const rows = await store.all<Record<string, unknown>>(
      "SELECT platform, post_id, account_id, text, strftime(ts, '%Y-%m-%dT%H:%M:%S') AS ts FROM posts ORDER BY post_id",
    );
    expect(rows[0]).toEqual({
      platform: "forum",
      post_id: "1",
      account_id: "x",
      text: "tab separated",
      ts: "2024-05-01T10:00:00",
    });
  });

  it("takes a lone url column's link to the post itself for its permalink, and a Link column for what it shares", async () => {
    // snscrape's layout: url is the tweet's own address; the first post also shares a link
    const path = tmp.path("scraped.csv");
    writeFileSync(
      path,
      "id,user_id,created_at,text,url\n" +
        "1767000000000000001,u1,2024-05-01T10:00:00Z,one,https://x.com/u1/status/1767000000000000001 https://news.example/a\n" +
        "1767000000000000002,u2,2024-05-01T10:00:05Z,two,https://x.com/u2/status/1767000000000000002\n",
    );
    const own = await CaseStore.open(tmp.path("scraped.duckdb"));
    try {
      await ingestFile(own, path, { platform: "twitter" });
      expect(await own.all("SELECT post_id, value FROM objects WHERE kind = 'url' ORDER BY post_id")).toEqual(
        [{ post_id: "1767000000000000001", value: "https://news.example/a" }],
      );
    } finally {
      own.close();
    }
    // CrowdTangle's layout without a mapping of its links: Link, not URL, is what was shared
    const ct = tmp.path("ct.csv");
    writeFileSync(
      ct,
      "id,account_id,created_at,URL,Link\n" +
        "k1,100,2024-05-01T10:00:00Z,https://facebook.com/p/k1,https://news.example/b\n",
    );
    const own2 = await CaseStore.open(tmp.path("ct.duckdb"));
    try {
      await ingestFile(own2, ct, { platform: "facebook" });
      expect(await own2.all("SELECT value FROM objects WHERE kind = 'url'")).toEqual([
        { value: "https://news.example/b" },
      ]);
    } finally {
      own2.close();
    }
  });

  it("reads a column given to one field with --map as that field only, never also as another it is named like", async () => {
    // a CrowdTangle-like export: URL is the post's own permalink, Link the link it shared
    const path = tmp.path("permalinks.csv");
    writeFileSync(
      path,
      "URL,Facebook Id,Post Created,Message,Link\n" +
        "https://facebook.com/p/1,100,2024-05-01T10:00:00Z,one,https://news.example/a\n" +
        "https://facebook.com/p/2,200,2024-05-01T10:00:05Z,two,https://news.example/a\n",
    );
    const own = await CaseStore.open(tmp.path("permalinks.duckdb"));
    try {
      await ingestFile(own, path, {
        format: "csv",
        platform: "facebook",
        map: { post_id: "URL", account_id: "Facebook Id", ts: "Post Created" },
      });
      // the permalinks are the posts' ids, not links they shared
      expect(await own.scalar<number>("SELECT count(*)::INTEGER FROM posts")).toBe(2);
      expect(await own.all("SELECT kind, value FROM objects WHERE value LIKE '%facebook.com%'")).toEqual([]);
      // the same column may still be mapped to two fields on purpose (a case of its own: the same bytes again
      // are skipped)
      const both = await CaseStore.open(tmp.path("permalinks-both.duckdb"));
      try {
        await ingestFile(both, path, {
          format: "csv",
          platform: "facebook",
          map: { post_id: "URL", account_id: "Facebook Id", ts: "Post Created", urls: "URL" },
        });
        expect(await both.scalar<number>("SELECT count(*)::INTEGER FROM objects WHERE kind = 'url'")).toBe(2);
      } finally {
        both.close();
      }
    } finally {
      own.close();
    }
  });

  it("reads a column of image hashes, several to a cell, as image objects, by name or by --map", async () => {
    const path = tmp.path("images.csv");
    writeFileSync(
      path,
      "id,user_id,created_at,text,image_hashes,media\n" +
        "1,a,2024-05-01T10:00:00Z,first,phash:C3A1E0F0F8783C1E,x\n" +
        '2,b,2024-05-01T10:00:09Z,second,"phash:c3a1e0f0f8783c1e; dhash:00ff00ff00ff00ff",y\n' +
        "3,c,2024-05-01T10:00:12Z,third,,z\n",
    );
    await ingestFile(store, path);
    const images = await store.all<{ post_id: string; value: string }>(
      "SELECT post_id, value FROM objects WHERE kind = 'image' ORDER BY post_id, value",
    );
    expect(images).toEqual([
      { post_id: "1", value: "phash:c3a1e0f0f8783c1e" },
      { post_id: "2", value: "dhash:00ff00ff00ff00ff" },
      { post_id: "2", value: "phash:c3a1e0f0f8783c1e" },
    ]);
    // a column of another name, mapped
    const other = await CaseStore.open(tmp.path("other.duckdb"));
    try {
      await ingestFile(other, path, { map: { images: "media" } });
      const mapped = await other.all<{ value: string }>(
        "SELECT value FROM objects WHERE kind = 'image' ORDER BY value",
      );
      expect(mapped.map((r) => r.value)).toEqual(["x", "y", "z"]);
    } finally {
      other.close();
    }
  });

  it("reads links separated by a comma and a space as two, and keeps a comma inside a link", async () => {
    const path = tmp.path("links.csv");
    writeFileSync(
      path,
      "id,user_id,created_at,urls\n" +
        '1,a,2024-05-01T10:00:00Z,"https://a.example/x, https://b.example/y,"\n' +
        '2,b,2024-05-01T10:00:09Z,"https://c.example/map?ll=35.7,51.4"\n',
    );
    const own = await CaseStore.open(tmp.path("links.duckdb"));
    try {
      await ingestFile(own, path);
      const urls = await own.all<{ value: string }>(
        "SELECT value FROM objects WHERE kind = 'url' ORDER BY value",
      );
      expect(urls.map((u) => u.value)).toEqual([
        "https://a.example/x",
        "https://b.example/y",
        "https://c.example/map?ll=35.7,51.4",
      ]);
    } finally {
      own.close();
    }
  });

  it("keeps quoted commas and newlines inside a field, and names the line of a bad row", async () => {
    const s = await ingestFile(store, `${FIXTURES}ingest/csv/posts.csv`, {
      format: "csv",
      map: { account_id: "Author", ts: "Published", urls: "Links", hashtags: "Tags" },
    });
    expect(s.postsStored).toBe(3);
    const texts = await store.all<{ post_id: string; text: string }>(
      "SELECT post_id, text FROM posts ORDER BY 1",
    );
    expect(texts.map((t) => t.text)).toEqual([
      "Hello, world https://news.example/a",
      'A quoted "word" and a comma, here',
      "multi\nline text",
    ]);
    const rejects = await store.all<{ source_row: number; reason: string }>(
      "SELECT source_row::INTEGER AS source_row, reason FROM rejects",
    );
    expect(rejects).toEqual([
      { source_row: 4, reason: expect.stringMatching(/ts 'not a date' is not a timestamp/) },
    ]);
    const tags = await store.all<{ value: string }>(
      "SELECT value FROM objects WHERE post_id = 'p4' AND kind = 'hashtag' ORDER BY 1",
    );
    expect(tags.map((t) => t.value)).toEqual(["four", "three"]);
    const urls = await store.all<{ value: string }>(
      "SELECT value FROM objects WHERE post_id = 'p4' AND kind = 'domain' ORDER BY 1",
    );
    expect(urls.map((u) => u.value)).toEqual(["x.example", "y.example"]);
  });
});

describe("ids a spreadsheet or R wrote as floating-point numbers", () => {
  it("reject their row in a CSV and a CooRTweet table, where they would merge different posts and accounts", async () => {
    const csv = tmp.path("export.csv");
    writeFileSync(
      csv,
      [
        "post_id,account_id,timestamp,text,repost_of",
        "1.787E+18,u1,2024-05-08T10:00:00Z,a,",
        "1787000000000000001,1.23457E+17,2024-05-08T10:00:05Z,b,",
        "1787000000000000002,u3,2024-05-08T10:00:09Z,c,1.78699e+18",
        // ids of letters and digits that read like numbers are ids: a hexadecimal 1e10, a version 2.0
        "1e10,2.0,2024-05-08T10:00:10Z,kept,",
      ].join("\n") + "\n",
    );
    const s = await ingestFile(store, csv);
    expect(s).toMatchObject({ format: "csv", postsStored: 1, rowsRejected: 3 });
    const reasons = await store.all<{ source_row: number; reason: string }>(
      "SELECT source_row::INTEGER AS source_row, reason FROM rejects ORDER BY 1",
    );
    expect(reasons.map((r) => [r.source_row, r.reason.split(" is written")[0]])).toEqual([
      [2, "post_id '1.787E+18'"],
      [3, "account_id '1.23457E+17'"],
      [4, "repost_of '1.78699e+18'"],
    ]);
    expect(reasons[0]!.reason).toMatch(
      /has lost the id's last digits \(was the file saved through a spreadsheet/,
    );
    expect(await store.all("SELECT post_id, account_id FROM posts")).toEqual([
      { post_id: "1e10", account_id: "2.0" },
    ]);

    const table = tmp.path("shares.csv");
    writeFileSync(
      table,
      [
        "object_id,account_id,content_id,timestamp_share",
        "o1,1.23457e+17,c1,1623881099",
        "o2,a2,c2,1623881099",
      ].join("\n") + "\n",
    );
    const own = await CaseStore.open(tmp.path("shares.duckdb"));
    try {
      expect(await ingestFile(own, table)).toMatchObject({
        format: "coortweet",
        postsStored: 1,
        rowsRejected: 1,
      });
    } finally {
      own.close();
    }
  });
});

describe("csv: malformed records", () => {
  it("a stray quote rejects only its own line, with the line where it opened", async () => {
    const file = tmp.path("stray.csv");
    const after = Array.from({ length: 1500 }, (_, k) => `r${k},a${k % 7},2024-03-08T09:00:00Z,after ${k}`);
    writeFileSync(
      file,
      [
        "post_id,account_id,ts,text",
        "q0,a0,2024-03-08T09:00:00Z,before",
        'p1,a1,2024-03-08T09:00:00Z,"a quote that is never closed',
        ...after,
      ].join("\n") + "\n",
    );
    const s = await ingestFile(store, file);
    expect(s).toMatchObject({ format: "csv", postsStored: 1501, rowsRejected: 1 });
    const rejects = await store.all<{ source_row: number; reason: string; raw: string }>(
      "SELECT source_row::INTEGER AS source_row, reason, raw FROM rejects",
    );
    expect(rejects).toEqual([
      {
        source_row: 3,
        reason: "quote opened at line 3 is still open 1000 lines later; reading resumes at line 4",
        raw: 'p1,a1,2024-03-08T09:00:00Z,"a quote that is never closed\n',
      },
    ]);
  });

  it("rejects a row whose fields do not match the header, and one that is not UTF-8", async () => {
    const file = tmp.path("fields.csv");
    // bytes that are not UTF-8 in the first 64 KiB refuse the whole file (it is sniffed as text); later, the row
    const filler = Array.from({ length: 2000 }, (_, k) => `f${k},a2,2024-03-08T09:00:00Z,filler text ${k}`);
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(
          [
            "post_id,account_id,ts,text",
            "p1,a1,2024-03-08T09:00:00Z,ok",
            "p2,a1,2024-03-08T09:00:00Z,too,many,fields",
            "p3,a1",
            "p4,a1,2024-03-08T09:00:00Z,trailing delimiter,",
            ...filler,
            "p5,a1,2024-03-08T09:00:00Z,invalid ",
          ].join("\n"),
        ),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(" bytes\n"),
      ]),
    );
    const s = await ingestFile(store, file);
    expect(s).toMatchObject({ postsStored: 2002, rowsRejected: 3 });
    const rejects = await store.all<{ source_row: number; reason: string }>(
      "SELECT source_row::INTEGER AS source_row, reason FROM rejects ORDER BY 1",
    );
    expect(rejects).toEqual([
      { source_row: 3, reason: "6 fields where the header has 4" },
      { source_row: 4, reason: "2 fields where the header has 4" },
      { source_row: 2006, reason: "record is not valid UTF-8" },
    ]);
    const texts = await store.all<{ post_id: string; text: string }>(
      "SELECT post_id, text FROM posts WHERE post_id LIKE 'p%' ORDER BY 1",
    );
    expect(texts).toEqual([
      { post_id: "p1", text: "ok" },
      { post_id: "p4", text: "trailing delimiter" },
    ]);
  });
});

describe("csv: profile fields", () => {
  it("a bad follower count is left out with a note, as in the native format, and the post kept", async () => {
    const file = tmp.path("profiles.csv");
    writeFileSync(
      file,
      "post_id,account_id,ts,followers\np1,a1,2024-03-08T09:00:00Z,abc\np2,a2,2024-03-08T09:00:00Z,12\n",
    );
    const items = await collectItems(csvAdapter, file);
    expect(
      items.map((i) => (i.type === "post" ? [i.post.followers, (i as NotedPostItem).notes] : i)),
    ).toEqual([
      // the note is the native format's, word for word
      [null, [expect.stringMatching(/^followers 'abc' .*left out/)]],
      [12, undefined],
    ]);
  });
});

describe("coortweet", () => {
  it("rejects a share time given as a date alone, which would put a day's shares at midnight", async () => {
    const file = tmp.path("dates.csv");
    writeFileSync(
      file,
      ["object_id,account_id,content_id,timestamp_share", "o1,a1,c1,2024-03-08", "o2,a2,c2,1623881099"].join(
        "\n",
      ) + "\n",
    );
    const own = await CaseStore.open(tmp.path("dates.duckdb"));
    try {
      const s = await ingestFile(own, file);
      expect(s).toMatchObject({ format: "coortweet", postsStored: 1, rowsRejected: 1 });
      expect(await own.all("SELECT source_row::INTEGER AS row, reason FROM rejects")).toEqual([
        {
          row: 2,
          reason: expect.stringMatching(/timestamp_share '2024-03-08' is a date without a time of day/),
        },
      ]);
    } finally {
      own.close();
    }
  });

  it("stores a 4-column table's reposts with the reposted object as their reference, as other formats do", async () => {
    const file = tmp.path("refs.csv");
    writeFileSync(
      file,
      ["object_id,account_id,content_id,timestamp_share", "T1,a1,c1,1709888405", "T1,a2,c2,1709888406"].join(
        "\n",
      ) + "\n",
    );
    const own = await CaseStore.open(tmp.path("refs.duckdb"));
    try {
      await ingestFile(own, file);
      expect(await own.all("SELECT post_id, kind, ref_post_id FROM posts ORDER BY post_id")).toEqual([
        { post_id: "c1", kind: "repost", ref_post_id: "T1" },
        { post_id: "c2", kind: "repost", ref_post_id: "T1" },
      ]);
    } finally {
      own.close();
    }
  });

  it("keeps each account's shares when a content id repeats across accounts", async () => {
    const file = tmp.path("shares.csv");
    writeFileSync(
      file,
      [
        "object_id,account_id,content_id,timestamp_share",
        "o1,a1,c1,1623881091",
        "o2,a2,c1,1623881099",
        "o3,a1,c1,1623881091",
        "o9,a9,c1,1623881091",
        "o4,a2,c1,1623881099",
        "o5,a3,c2,1623881100",
      ].join("\n") + "\n",
    );
    const s = await ingestFile(store, file);
    expect(s).toMatchObject({ format: "coortweet", rowsRejected: 0 });
    const shares = await store.all<{ post_id: string; account_id: string; objects: string }>(
      `SELECT p.post_id, p.account_id, string_agg(o.value, ' ' ORDER BY o.value) AS objects
         FROM posts p JOIN objects o USING (platform, post_id) WHERE o.kind = 'repost'
        GROUP BY ALL ORDER BY 1`,
    );
    expect(shares).toEqual([
      { post_id: "a2/c1", account_id: "a2", objects: "o2 o4" },
      { post_id: "a9/c1", account_id: "a9", objects: "o9" },
      { post_id: "c1", account_id: "a1", objects: "o1 o3" },
      { post_id: "c2", account_id: "a3", objects: "o5" },
    ]);
  });

  it("never gives a share to another account whose content id is written as the made-up one", async () => {
    const file = tmp.path("lookalike.csv");
    writeFileSync(
      file,
      [
        "object_id,account_id,content_id,timestamp_share",
        // mallory's content id reads as the id made up for bob's share of alice's 42
        "u1,mallory,bob/42,1709888400",
        "u1,alice,42,1709888401",
        "u2,bob,42,1709888402",
        "u3,bob,42,1709888403",
        "u4,carol,bob/42,1709888404",
      ].join("\n") + "\n",
    );
    const s = await ingestFile(store, file);
    expect(s).toMatchObject({ format: "coortweet", rowsRejected: 0 });
    const shares = await store.all<{ post_id: string; account_id: string; objects: string }>(
      `SELECT p.post_id, p.account_id, string_agg(o.value, ' ' ORDER BY o.value) AS objects
         FROM posts p JOIN objects o USING (platform, post_id)
        WHERE o.kind = 'repost' AND p.input_id = (SELECT max(id) FROM inputs)
        GROUP BY ALL ORDER BY 1`,
    );
    // every share stays with the account that made it
    expect(shares).toEqual([
      { post_id: "42", account_id: "alice", objects: "u1" },
      { post_id: "bob/42", account_id: "mallory", objects: "u1" },
      { post_id: "bob/bob/42", account_id: "bob", objects: "u2 u3" },
      { post_id: "carol/bob/42", account_id: "carol", objects: "u4" },
    ]);
  });
});

describe("times written without a zone", () => {
  it("are refused with the option to name their zone, and read in it when named, in CSV and native JSON Lines", async () => {
    const csv = tmp.path("local.csv");
    writeFileSync(
      csv,
      [
        "post_id,account_id,created_at,text",
        "p1,a1,2024-05-01 08:00:46,a",
        "p2,a2,2024-07-01 08:00:00.250,b",
      ].join("\n") + "\n",
    );
    const refused = await CaseStore.open(tmp.path("refused.duckdb"));
    try {
      await expect(ingestFile(refused, csv)).rejects.toThrow(
        /has no time zone: name the zone .* with --time-zone/,
      );
    } finally {
      refused.close();
    }
    const s = await ingestFile(store, csv, { timeZone: "Europe/Berlin" });
    expect(s).toMatchObject({ format: "csv", postsStored: 2, rowsRejected: 0 });
    const jsonl = tmp.path("local.jsonl");
    writeFileSync(
      jsonl,
      JSON.stringify({ platform: "x", post_id: "j1", account_id: "b1", ts: "2024-03-08T09:00:00" }) +
        "\n" +
        JSON.stringify({ platform: "x", post_id: "j2", account_id: "b2", ts: "2024-03-08T09:00:00+00:00" }) +
        "\n",
    );
    expect(await ingestFile(store, jsonl, { timeZone: "+03:30" })).toMatchObject({ postsStored: 2 });
    const rows = await store.all<{ post_id: string; ts: string }>(
      "SELECT post_id, strftime(ts AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%g') AS ts FROM posts ORDER BY post_id",
    );
    expect(rows).toEqual([
      { post_id: "j1", ts: "2024-03-08T05:30:00.000" },
      { post_id: "j2", ts: "2024-03-08T09:00:00.000" }, // its own zone
      { post_id: "p1", ts: "2024-05-01T06:00:46.000" }, // Berlin's summer time, +02:00
      { post_id: "p2", ts: "2024-07-01T06:00:00.250" },
    ]);
    const options = await store.all<{ o: string }>("SELECT options::VARCHAR AS o FROM inputs ORDER BY id");
    expect(options.map((r) => JSON.parse(r.o).timeZone)).toEqual(["Europe/Berlin", "+03:30"]);
  });
});

describe("mastodon: replies held back for their parents", () => {
  it("keep the first row's post and profile when a reply is repeated, as every other row would", async () => {
    const account = (followers: number, note: string) => ({
      id: "9",
      username: "bob",
      acct: "bob",
      url: "https://m.example/@bob",
      followers_count: followers,
      note,
    });
    const alice = { id: "7", username: "alice", acct: "alice", url: "https://m.example/@alice" };
    const status = (id: string, who: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      id,
      uri: `https://m.example/users/${String(who["username"])}/statuses/${id}`,
      created_at: "2024-04-03T08:00:00.000Z",
      content: `<p>status ${id}</p>`,
      account: who,
      mentions: [],
      tags: [],
      ...extra,
    });
    const reply = { in_reply_to_id: "10", in_reply_to_account_id: "7" };
    const file = tmp.path("dup-replies.json");
    // the reply, then its parent, then the same reply again (timelines overlap) with a later profile
    writeFileSync(
      file,
      JSON.stringify([
        status("11", account(10, "first copy"), reply),
        status("10", alice),
        status("11", account(9999, "later copy"), reply),
      ]),
    );
    const s = await ingestFile(store, file);
    expect(s).toMatchObject({ format: "mastodon", postsStored: 2, postsDuplicate: 1 });
    const post = await store.all<{ source_row: number; ref_post_id: string }>(
      "SELECT source_row::INTEGER AS source_row, ref_post_id FROM posts WHERE post_id LIKE '%/11'",
    );
    expect(post).toEqual([{ source_row: 1, ref_post_id: "https://m.example/users/alice/statuses/10" }]);
    const bob = await store.all<{ bio: string; followers: number }>(
      "SELECT bio, followers::INTEGER AS followers FROM accounts WHERE account_id = 'bob@m.example'",
    );
    expect(bob).toEqual([{ bio: "first copy", followers: 10 }]);
  });
});
