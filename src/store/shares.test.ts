import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers/tmp.js";
import { ingestFile } from "../ingest/ingest.js";
import { CaseStore } from "./case.js";
import { buildShares, dropShares } from "./shares.js";

// A reposts A's post (copying its link and hashtag, as a retweet does), C replies to it, and on Mastodon D replies
// to a post that has the same id as A's. E's post shares the link on its own.
const POSTS = [
  {
    platform: "twitter",
    post_id: "p1",
    account_id: "A",
    ts: "2024-06-02T10:00:00Z",
    urls: ["https://a.example/x"],
    hashtags: ["vote"],
  },
  {
    platform: "twitter",
    post_id: "p2",
    account_id: "B",
    ts: "2024-06-02T10:00:05Z",
    urls: ["https://a.example/x"],
    hashtags: ["vote"],
    repost_of: "p1",
  },
  { platform: "twitter", post_id: "p3", account_id: "C", ts: "2024-06-02T10:01:00Z", reply_to: "p1" },
  {
    platform: "twitter",
    post_id: "p4",
    account_id: "E",
    ts: "2024-06-02T11:00:00Z",
    urls: ["https://a.example/x"],
  },
  { platform: "mastodon", post_id: "q1", account_id: "D", ts: "2024-06-02T10:02:00Z", reply_to: "p1" },
];

interface ShareRow {
  kind: string;
  value: string;
  account: string;
  post: string;
}

/** The shares built, named back by their tables (so the numbering and the maps are checked together). */
async function namedShares(store: CaseStore): Promise<ShareRow[]> {
  return store.all<ShareRow>(
    `SELECT s.kind, d.value, a.platform || ':' || a.account_id AS account, p.platform || ':' || p.post_id AS post
       FROM chorus_shares s
       JOIN chorus_object_ids d USING (kind, oid)
       JOIN chorus_accounts a ON a.aid = s.aid
       JOIN chorus_posts p ON p.pid = s.pid AND p.aid = s.aid AND p.t = s.t
      ORDER BY 1, 2, 3, 4`,
  );
}

describe("buildShares", () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: CaseStore;

  beforeAll(async () => {
    tmp = tempDir();
    const input = tmp.path("posts.jsonl");
    writeFileSync(input, POSTS.map((p) => JSON.stringify(p)).join("\n") + "\n");
    store = await CaseStore.open(tmp.path("case.duckdb"));
    await ingestFile(store, input);
  });

  afterAll(() => {
    store.close();
    tmp.cleanup();
  });

  it("writes each share as co-share counts it: a repost's copies are the repost's, the original shares its own repost object", async () => {
    const built = await buildShares(store, ["hashtag", "reply", "repost", "url"]);
    expect(built).toEqual({ layers: ["hashtag", "reply", "repost", "url"], accounts: 5, posts: 5 });
    expect(await namedShares(store)).toEqual([
      { kind: "hashtag", value: "vote", account: "twitter:A", post: "twitter:p1" },
      { kind: "reply", value: "p1", account: "mastodon:D", post: "mastodon:q1" },
      { kind: "reply", value: "p1", account: "twitter:C", post: "twitter:p3" },
      { kind: "repost", value: "p1", account: "twitter:A", post: "twitter:p1" },
      { kind: "repost", value: "p1", account: "twitter:B", post: "twitter:p2" },
      { kind: "url", value: "https://a.example/x", account: "twitter:A", post: "twitter:p1" },
      { kind: "url", value: "https://a.example/x", account: "twitter:E", post: "twitter:p4" },
    ]);
    // a reply names a post of its own platform: the two replies to "p1" are to different objects
    const replies = await store.all<{ oid: number }>(
      "SELECT DISTINCT oid FROM chorus_shares WHERE kind = 'reply' ORDER BY oid",
    );
    expect(replies.map((r) => r.oid)).toEqual([0, 1]);
  });

  it("holds only the layers asked for, and replaces the tables of an earlier build", async () => {
    await buildShares(store, ["hashtag", "reply", "repost", "url"]);
    const built = await buildShares(store, ["url"]);
    expect(built.layers).toEqual(["url"]);
    expect((await namedShares(store)).map((r) => `${r.kind} ${r.account}`)).toEqual([
      "url twitter:A",
      "url twitter:E",
    ]);
    expect(await store.all("SELECT DISTINCT kind FROM chorus_object_ids")).toEqual([{ kind: "url" }]);
  });

  it("numbers accounts and posts in the order of their keys, and lets the tables go", async () => {
    await buildShares(store, ["url"]);
    const accounts = await store.all<{ aid: number; key: string }>(
      "SELECT aid, platform || ':' || account_id AS key FROM chorus_accounts ORDER BY aid",
    );
    expect(accounts.map((a) => a.key)).toEqual([
      "mastodon:D",
      "twitter:A",
      "twitter:B",
      "twitter:C",
      "twitter:E",
    ]);
    const posts = await store.all<{ pid: number; key: string }>(
      "SELECT pid, platform || ':' || post_id AS key FROM chorus_posts ORDER BY pid",
    );
    expect(posts).toEqual(
      ["mastodon:q1", "twitter:p1", "twitter:p2", "twitter:p3", "twitter:p4"].map((key, pid) => ({
        pid,
        key,
      })),
    );
    const count = (): Promise<number | null> =>
      store.scalar<number>(
        `SELECT count(*)::INTEGER FROM (SELECT table_name FROM duckdb_tables() WHERE temporary
          UNION ALL SELECT view_name FROM duckdb_views() WHERE temporary) WHERE table_name LIKE 'chorus%'`,
      );
    expect(await count()).toBe(5);
    await dropShares(store);
    const left = await store.all(
      `SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name LIKE 'chorus%'
       UNION ALL SELECT view_name FROM duckdb_views() WHERE temporary AND view_name LIKE 'chorus%'`,
    );
    expect(left).toEqual([]);
  });
});

describe("buildShares on many row groups", () => {
  it("numbers posts in (platform, post_id) order however they were stored, written in parallel", async () => {
    // 300,000 posts (three of DuckDB's row groups), stored in an order unrelated to their keys
    const store = await CaseStore.open(":memory:", { threads: 2 });
    try {
      await store.conn.run(
        `INSERT INTO posts
         SELECT CASE WHEN i % 3 = 0 THEN 'mastodon' ELSE 'twitter' END, md5(i::VARCHAR), 'acc' || (i % 997)::VARCHAR,
                TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i), NULL, NULL, 'post', NULL, NULL, NULL, 1, i
           FROM range(300000) t(i)`,
      );
      const built = await buildShares(store, []);
      expect(built.posts).toBe(300_000);
      expect(built.accounts).toBe(2 * 997);
      const check = await store.all<{ n: number; first: number; last: number; out: number; ts: number }>(
        `SELECT count(*)::INTEGER AS n, min(pid) AS first, max(pid) AS last,
                count(*) FILTER (WHERE prev >= key)::INTEGER AS out,
                count(*) FILTER (WHERE t <> epoch_ms(TIMESTAMPTZ '2024-01-01 00:00:00+00') + 1000 * source_row)
                  ::INTEGER AS ts
           FROM (SELECT pid, t, source_row, platform || chr(0) || post_id AS key,
                        lag(platform || chr(0) || post_id) OVER (ORDER BY pid) AS prev
                   FROM chorus_posts)`,
      );
      expect(check).toEqual([{ n: 300_000, first: 0, last: 299_999, out: 0, ts: 0 }]);
      // each post's account number is its account's
      const wrong = await store.scalar<number>(
        `SELECT count(*)::INTEGER FROM chorus_posts p JOIN chorus_accounts a USING (aid)
          WHERE a.account_id <> 'acc' || (p.source_row % 997)::VARCHAR`,
      );
      expect(wrong).toBe(0);
    } finally {
      store.close();
    }
  });
});
