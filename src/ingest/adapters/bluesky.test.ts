import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { collectItems, sampleOf } from "../../../test/helpers/adapter.js";
import { afterAll, describe, expect, it } from "vitest";
import { IngestError, type IngestItem } from "../types.js";
import { blueskyAdapter } from "./bluesky.js";
import { mastodonAdapter } from "./mastodon.js";
import { telegramAdapter } from "./telegram.js";
import { twitterV2Adapter } from "./twitter-v2.js";

const FIXTURES = fileURLToPath(new URL("../../../test/fixtures/ingest/", import.meta.url));
const fixture = (name: string): string => join(FIXTURES, "bluesky", name);
const tmp = mkdtempSync(join(tmpdir(), "chorus-bluesky-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const collect = (path: string, maxRecordBytes = 1 << 20): Promise<IngestItem[]> =>
  collectItems(blueskyAdapter, path, maxRecordBytes);

function brief(item: IngestItem): unknown {
  if (item.type === "reject") return { row: item.row, reject: item.reason };
  if (item.type === "account") return { row: item.row, account: item.account.accountId };
  const p = item.post;
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

const SARA = "did:plc:z72i7hdynmk6r22z27h6tvur";
const MARYAM = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";
const NEWS = "did:plc:4hqjfn7m6n5hno3doamuhgef";
const ORIGINAL = `at://${SARA}/app.bsky.feed.post/3kn2abcxyz22a`;
const REPLY = `at://${MARYAM}/app.bsky.feed.post/3kn2abdaaaa2b`;
const QUOTE = `at://${NEWS}/app.bsky.feed.post/3kn2abddddd2e`;

const originalPost = (row: number): unknown => ({
  row,
  id: ORIGINAL,
  account: SARA,
  ts: "2024-03-05T09:15:30.123Z",
  kind: "post",
  ref: null,
  refAccount: null,
  urls: ["https://example.org/long/path?utm_source=bsky"],
  hashtags: ["ایران"],
  mentions: [NEWS],
});
const replyPost = (row: number): unknown => ({
  row,
  id: REPLY,
  account: MARYAM,
  ts: "2024-03-05T09:16:00.000Z",
  kind: "reply",
  ref: ORIGINAL,
  refAccount: SARA,
  urls: [],
  hashtags: undefined,
  mentions: [],
});
const quotePost = (row: number): unknown => ({
  row,
  id: QUOTE,
  account: NEWS,
  ts: "2024-03-05T09:17:00.000Z",
  kind: "quote",
  ref: ORIGINAL,
  refAccount: SARA,
  urls: [],
  hashtags: undefined,
  mentions: [],
});

describe("bluesky adapter: Jetstream", () => {
  it("maps post and repost creates, skips other events, and rejects broken lines", async () => {
    const items = await collect(fixture("jetstream.jsonl"));
    expect(items.map(brief)).toEqual([
      // line 1: an identity event, which names the handle its DID goes by
      { row: 1, account: MARYAM },
      originalPost(2),
      replyPost(3),
      {
        row: 4,
        id: `at://${MARYAM}/app.bsky.feed.repost/3kn2abdbbbb2c`,
        account: MARYAM,
        ts: "2024-03-05T09:16:30.500Z",
        kind: "repost",
        ref: ORIGINAL,
        refAccount: SARA,
        urls: [],
        hashtags: [],
        mentions: [],
      },
      // line 5: a like, skipped
      quotePost(6),
      // line 7: a delete, skipped
      {
        row: 8,
        id: `at://${NEWS}/app.bsky.feed.post/3kn2abdeeee2f`,
        account: NEWS,
        // createdAt "not-a-date": the relay's time_us instead
        ts: "2024-03-05T09:17:20.777Z",
        kind: "post",
        ref: null,
        refAccount: null,
        urls: ["https://news.example.net/story/1"],
        hashtags: ["Election2024"],
        mentions: [],
      },
      { row: 9, reject: "missing commit.rkey" },
      { row: 10, reject: expect.stringMatching(/^invalid JSON/) as unknown as string },
      // line 11: account event, skipped
    ]);
  });

  it("takes a DID's handle from its identity event, and a text's hashtags beside tags outside it", async () => {
    const items = await collect(fixture("jetstream.jsonl"));
    expect(items[0]).toEqual({
      type: "account",
      row: 1,
      account: { platform: "bluesky", accountId: MARYAM, handle: "maryam.bsky.social" },
    });
    const path = join(tmp, "tags.jsonl");
    const event = {
      did: MARYAM,
      time_us: 1709630000000000,
      kind: "commit",
      commit: {
        operation: "create",
        collection: "app.bsky.feed.post",
        rkey: "3kn2tags",
        record: {
          $type: "app.bsky.feed.post",
          text: "no facets here #inline #دوم",
          tags: ["outside"],
          createdAt: "2024-03-05T09:13:20.000Z",
        },
      },
    };
    writeFileSync(path, `${JSON.stringify(event)}\n`);
    const [post] = await collect(path);
    expect(post).toMatchObject({ type: "post", post: { hashtags: ["outside", "inline", "دوم"] } });
  });

  it('reads the event shape of Jetstream before October 2024 (type "com", commit.type "c")', async () => {
    const path = join(tmp, "old-jetstream.jsonl");
    const record = {
      $type: "app.bsky.feed.post",
      createdAt: "2024-09-01T10:00:00.000Z",
      text: "old",
      langs: ["en"],
    };
    const old = {
      did: SARA,
      time_us: 1725184800000000,
      type: "com",
      commit: {
        rev: "3l2",
        type: "c",
        collection: "app.bsky.feed.post",
        rkey: "3l2abc",
        record,
        cid: "bafyre",
      },
    };
    writeFileSync(path, JSON.stringify(old) + "\n");
    expect((await collect(path)).map(brief)).toMatchObject([
      { row: 1, id: `at://${SARA}/app.bsky.feed.post/3l2abc`, ts: "2024-09-01T10:00:00.000Z", kind: "post" },
    ]);
  });

  it("keeps hostile text as written", async () => {
    const items = await collect(fixture("jetstream.jsonl"));
    const reply = items.find((i) => i.type === "post" && i.post.postId === REPLY);
    expect(reply).toMatchObject({
      post: { text: "<script>alert(1)</script> \u202egnp.exe\u202c صحيح", lang: "ar", platform: "bluesky" },
    });
  });
});

describe("bluesky adapter: post views and feed pages", () => {
  it("maps an author feed page, with reposts from reasonRepost and profiles from the views", async () => {
    const items = await collect(fixture("author-feed.json"));
    expect(items.map(brief)).toEqual([
      replyPost(1),
      originalPost(2),
      {
        row: 2,
        id: `${ORIGINAL}#repost-by-${MARYAM}`,
        account: MARYAM,
        ts: "2024-03-05T09:16:30.900Z",
        kind: "repost",
        ref: ORIGINAL,
        refAccount: SARA,
        urls: [],
        hashtags: [],
        mentions: [],
      },
      { row: 3, reject: "missing record" },
      {
        row: 4,
        id: `at://${SARA}/app.bsky.feed.post/3kmzzzzzzzz2a`,
        account: SARA,
        ts: "2024-03-04T05:00:00.000Z",
        kind: "post",
        ref: null,
        refAccount: null,
        urls: [],
        hashtags: ["ایران"],
        mentions: [],
      },
    ]);
    expect(items[1]).toMatchObject({
      post: {
        handle: "sara.bsky.social",
        displayName: "سارا",
        accountCreatedAtMs: Date.parse("2023-11-01T10:00:00.000Z"),
        avatarUrl: `https://cdn.bsky.app/img/avatar/plain/${SARA}/bafkreiabc@jpeg`,
      },
    });
    expect(items[2]).toMatchObject({ post: { handle: "maryam.bsky.social", displayName: "Maryam \u202e" } });
  });

  it("maps a JSON array of post views", async () => {
    const items = await collect(fixture("post-views.json"));
    expect(items.map(brief)).toEqual([originalPost(1), quotePost(2)]);
  });

  it("reads a search page on one line as JSON Lines", async () => {
    const views = JSON.parse(readFileSync(fixture("post-views.json"), "utf8")) as unknown[];
    const path = join(tmp, "search.jsonl");
    writeFileSync(path, JSON.stringify({ posts: views, cursor: "25" }) + "\n");
    expect((await collect(path)).map(brief)).toEqual([originalPost(1), quotePost(1)]);
  });
});

describe("bluesky adapter: images", () => {
  it("names each image by its blob's CID, in image, record-with-media and early blob embeds, and in post views", async () => {
    const cid = "bafkreibme22gw2h7y2h7tg2fhqotaqjucnbc24deqo72b6mkl2egezxhvy";
    const other = "bafkreig5ajbhbkxkfyjthsbufhbldqbdyg6wgzxdnnicyqw7ujh3rhbjsu";
    const blob = (link: string): unknown => ({
      $type: "blob",
      ref: { $link: link },
      mimeType: "image/jpeg",
      size: 9,
    });
    const event = (did: string, rkey: string, embed: unknown): string =>
      JSON.stringify({
        did,
        time_us: 1709630220300000,
        kind: "commit",
        commit: {
          operation: "create",
          collection: "app.bsky.feed.post",
          rkey,
          record: { $type: "app.bsky.feed.post", createdAt: "2024-03-05T09:17:00.000Z", text: "look", embed },
        },
      });
    const quoted = { uri: `at://${SARA}/app.bsky.feed.post/3kn2abcxyz22a`, cid: other };
    const lines = [
      event(SARA, "a1", {
        $type: "app.bsky.embed.images",
        images: [
          { alt: "", image: blob(cid) },
          { alt: "", image: blob(other) },
        ],
      }),
      event(MARYAM, "a2", {
        $type: "app.bsky.embed.recordWithMedia",
        record: { $type: "app.bsky.embed.record", record: quoted },
        media: { $type: "app.bsky.embed.images", images: [{ alt: "", image: blob(cid) }] },
      }),
      // a blob as the earliest records wrote it
      event(MARYAM, "a3", {
        $type: "app.bsky.embed.images",
        images: [{ image: { cid, mimeType: "image/png" } }],
      }),
      // a quote alone carries no image of its own, and a blob without a CID gives none
      event(SARA, "a4", { $type: "app.bsky.embed.record", record: quoted }),
      event(SARA, "a5", {
        $type: "app.bsky.embed.images",
        images: [{ image: { mimeType: "image/png" } }, "x"],
      }),
    ];
    const file = join(tmp, "images.jsonl");
    writeFileSync(file, lines.join("\n") + "\n");
    const images = (items: IngestItem[]): Record<string, string[]> =>
      Object.fromEntries(
        items.flatMap((i) =>
          i.type === "post"
            ? [[i.post.postId.split("/").pop()!, (i.post.objects ?? []).map((o) => `${o.kind} ${o.value}`)]]
            : [],
        ),
      );
    expect(images(await collect(file))).toEqual({
      a1: [`image ${cid}`, `image ${other}`],
      a2: [`image ${cid}`],
      a3: [`image ${cid}`],
      a4: [],
      a5: [],
    });

    // a post view carries the record with its blobs beside the rendered embed
    const view = {
      uri: `at://${MARYAM}/app.bsky.feed.post/v1`,
      cid: other,
      author: { did: MARYAM, handle: "maryam.bsky.social" },
      record: {
        $type: "app.bsky.feed.post",
        createdAt: "2024-03-05T09:18:00.000Z",
        text: "again",
        embed: { $type: "app.bsky.embed.images", images: [{ alt: "", image: blob(cid) }] },
      },
      embed: {
        $type: "app.bsky.embed.images#view",
        images: [{ fullsize: `https://cdn.bsky.app/img/feed_fullsize/plain/${MARYAM}/${cid}@jpeg`, alt: "" }],
      },
      indexedAt: "2024-03-05T09:18:01.000Z",
    };
    const views = join(tmp, "image-views.json");
    writeFileSync(views, JSON.stringify([view]));
    expect(images(await collect(views))).toEqual({ v1: [`image ${cid}`] });
  });
});

describe("bluesky adapter: hostile and broken input", () => {
  it("throws IngestError naming the file for a truncated document", async () => {
    const text = readFileSync(fixture("author-feed.json"), "utf8");
    const path = join(tmp, "truncated.json");
    writeFileSync(path, text.slice(0, Math.floor(text.length * 0.6)));
    await expect(collect(path)).rejects.toThrow(IngestError);
    await expect(collect(path)).rejects.toThrow(new RegExp(`^${path}: unexpected end of input`));
  });

  it("throws IngestError for an object without feed or posts", async () => {
    const path = join(tmp, "thread.json");
    writeFileSync(path, '{\n "thread": {}\n}\n');
    await expect(collect(path)).rejects.toThrow(`${path}: not a Bluesky feed or search page`);
  });

  it("rejects oversized and deeply nested records in documents and JSON Lines, and goes on", async () => {
    const bomb = "[".repeat(100_000) + "]".repeat(100_000);
    const views = JSON.parse(readFileSync(fixture("post-views.json"), "utf8")) as Array<{
      record: { text: string };
    }>;
    const huge = structuredClone(views[0]!);
    huge.record.text = "x".repeat(200_000);
    const doc = join(tmp, "hostile.json");
    writeFileSync(
      doc,
      `[\n${JSON.stringify(huge)},\n{"uri":"x","record":${bomb}},\n${JSON.stringify(views[1])}\n]\n`,
    );
    expect((await collect(doc, 100_000)).map(brief)).toMatchObject([
      { row: 1, reject: expect.stringMatching(/^record is \d+ bytes, longer than the limit of 100000$/) },
      { row: 2, reject: "record is nested deeper than 64 levels" },
      { row: 3, id: QUOTE },
    ]);
    const lines = join(tmp, "hostile.jsonl");
    const lineBomb = "[".repeat(50_000) + "]".repeat(50_000);
    writeFileSync(
      lines,
      `${JSON.stringify(huge)}\n{"did":"did:plc:x","time_us":1,"commit":${lineBomb}}\n${JSON.stringify(views[1])}\n`,
    );
    expect((await collect(lines, 150_000)).map(brief)).toMatchObject([
      { row: 1, reject: expect.stringMatching(/^line is \d+ bytes, longer than the limit of 150000$/) },
      { row: 2, reject: "record is nested deeper than 64 levels" },
      { row: 3, id: QUOTE },
    ]);
  });
});

describe("bluesky sniffing", () => {
  it("is confident about its own fixtures, and the other adapters are not", () => {
    for (const name of ["jetstream.jsonl", "author-feed.json", "post-views.json"]) {
      const sample = sampleOf(fixture(name));
      expect(blueskyAdapter.sniff(sample), name).toBeGreaterThanOrEqual(0.9);
      for (const a of [twitterV2Adapter, telegramAdapter, mastodonAdapter]) {
        expect(a.sniff(sample), `${a.id} on ${name}`).toBeLessThan(0.5);
      }
    }
  });

  it("does not claim other formats, native JSON Lines or CSV", () => {
    for (const [dir, name] of [
      ["twitter-v2", "search-page.json"],
      ["twitter-v2", "twarc2.jsonl"],
      ["telegram", "result.json"],
      ["mastodon", "timeline.json"],
      ["mastodon", "statuses.jsonl"],
    ] as const) {
      expect(blueskyAdapter.sniff(sampleOf(join(FIXTURES, dir, name))), name).toBeLessThan(0.5);
    }
    const native = `{"platform":"bluesky","post_id":"at://did:plc:a/app.bsky.feed.post/1","account_id":"did:plc:a","ts":"2024-01-01T00:00:00Z"}\n`;
    expect(blueskyAdapter.sniff({ name: "x.jsonl", head: native, lines: [native.trim()] })).toBeLessThan(0.5);
    const csv = "uri,did,text\nat://did:plc:a/app.bsky.feed.post/1,did:plc:a,hi\n";
    expect(blueskyAdapter.sniff({ name: "x.csv", head: csv, lines: csv.trim().split("\n") })).toBe(0);
  });
});
