import { writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CaseStore } from "../src/store/case.js";
import { ingestFile } from "../src/ingest/ingest.js";
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
          // an id five hours off its tweet_time (not a snowflake of it), and one a spreadsheet wrote as a float
          "1021893478209613824,333,third,later,2018-07-24 18:05,False,",
          "1.02181798073401e+18,444,fourth,float,2018-07-24 18:06,False,",
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
        { account_id: "444", ts: "2018-07-24 18:06:00.000" },
      ]);
    } finally {
      dir.cleanup();
    }
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
