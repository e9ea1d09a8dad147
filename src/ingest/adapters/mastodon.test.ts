import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { collectItems, sampleOf } from "../../../test/helpers/adapter.js";
import { afterAll, describe, expect, it } from "vitest";
import type { NotedPostItem } from "../load.js";
import { IngestError, type IngestItem } from "../types.js";
import { blueskyAdapter } from "./bluesky.js";
import { mastodonAdapter } from "./mastodon.js";
import { telegramAdapter } from "./telegram.js";
import { twitterV2Adapter } from "./twitter-v2.js";

const FIXTURES = fileURLToPath(new URL("../../../test/fixtures/ingest/", import.meta.url));
const fixture = (name: string): string => join(FIXTURES, "mastodon", name);
const tmp = mkdtempSync(join(tmpdir(), "chorus-mastodon-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The items of a file in its order: a reply whose parent was not seen is held back to the file's end. */
const collect = async (path: string, maxRecordBytes = 1 << 20): Promise<IngestItem[]> =>
  (await collectItems(mastodonAdapter, path, maxRecordBytes)).sort((x, y) => x.row - y.row);

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
    text: p.text,
    urls: p.urls,
    hashtags: p.hashtags,
    mentions: p.mentions,
  };
}

const ALICE_1 = "https://mastodon.example/users/alice/statuses/112200000000000001";
const NEWS_1 = "https://news.example/users/news/statuses/112199999000000001";
const REPORT = "https://example.org/report?id=9&utm_source=mastodon";

describe("mastodon adapter", () => {
  it("maps a timeline: uris as ids, user@instance accounts, reblogs, replies and links", async () => {
    const items = await collect(fixture("timeline.json"));
    expect(items.map(brief)).toEqual([
      {
        row: 1,
        id: ALICE_1,
        account: "alice@mastodon.example",
        ts: "2024-04-02T10:00:00.123Z",
        kind: "post",
        ref: null,
        refAccount: null,
        text: `همه ببینند #ایران @bob ${REPORT}`,
        // the content's link and the preview card are the same URL; hashtag and mention anchors are not links
        urls: [REPORT],
        hashtags: ["ایران"],
        mentions: ["bob@other.social"],
      },
      // the reblogged status, a post of its own author
      {
        row: 2,
        id: NEWS_1,
        account: "news@news.example",
        ts: "2024-04-02T09:59:00.000Z",
        kind: "post",
        ref: null,
        refAccount: null,
        text: "بیانیه رسمی #election",
        urls: [],
        hashtags: ["election"],
        mentions: [],
      },
      {
        row: 2,
        id: "https://troll.farm/users/carol/statuses/112200000555000002/activity",
        account: "carol@troll.farm",
        ts: "2024-04-02T10:00:05.000Z",
        kind: "repost",
        ref: NEWS_1,
        refAccount: "news@news.example",
        text: null,
        urls: [],
        hashtags: [],
        mentions: [],
      },
      {
        row: 3,
        id: "https://other.social/users/bob/statuses/112200000777000003",
        account: "bob@other.social",
        ts: "2024-04-02T10:01:00.000Z",
        kind: "reply",
        // the parent appeared earlier in the file: its uri
        ref: ALICE_1,
        refAccount: "alice@mastodon.example",
        text: "تحذير\n\n@alice <script>alert(1)</script> \u202eexe.txt\u202c صحيح",
        urls: [],
        hashtags: [],
        mentions: ["alice@mastodon.example"],
      },
      {
        row: 4,
        id: "https://mastodon.example/users/alice/statuses/112200000000000004",
        account: "alice@mastodon.example",
        ts: "2024-04-02T10:02:00.000Z",
        kind: "reply",
        // the parent was not in the file: the serving instance's local id
        ref: "112100000000000099",
        refAccount: null,
        text: "replying to something we have not seen",
        urls: [],
        hashtags: [],
        mentions: [],
      },
      { row: 5, reject: "missing created_at" },
      { row: 6, reject: "account 'nobody' has no instance (acct without a domain and no url)" },
    ]);
  });

  it("fills profiles on the posts: HTML bios as text, display names as written, and emits none on its own", async () => {
    const items = await collect(fixture("timeline.json"));
    expect(items.filter((i) => i.type === "account")).toEqual([]);
    const first = items[0]!.type === "post" ? items[0]!.post : null;
    expect(first).toMatchObject({
      platform: "mastodon",
      accountId: "alice@mastodon.example",
      lang: "fa",
      client: "Web",
      handle: "alice@mastodon.example",
      displayName: "آلیس \u202e",
      bio: "روزنامه‌نگار & پژوهشگر",
      accountCreatedAtMs: Date.parse("2022-11-05T00:00:00.000Z"),
      followers: 420,
      following: 180,
      avatarUrl: "https://files.mastodon.example/accounts/avatars/109/876/543/210/000/001/original/a1.png",
    });
    const carol = items.find((i) => i.type === "post" && i.post.accountId === "carol@troll.farm");
    expect(carol).toMatchObject({ post: { bio: "patriot" } });
    const reject = items.find((i) => i.type === "reject" && i.row === 5);
    expect(reject).toMatchObject({ raw: expect.stringMatching(/"id":\s*"112200000000000005"/) });
  });

  it("reads JSON Lines of statuses and of search results", async () => {
    const items = await collect(fixture("statuses.jsonl"));
    expect(items.map(brief)).toEqual([
      {
        row: 1,
        id: "https://troll.farm/users/carol/statuses/112300000000000007",
        account: "carol@troll.farm",
        ts: "2024-04-03T08:00:00.000Z",
        kind: "post",
        ref: null,
        refAccount: null,
        text: "لینک: propaganda.example/x",
        urls: ["https://propaganda.example/x"],
        hashtags: [],
        mentions: [],
      },
      {
        row: 2,
        id: ALICE_1,
        account: "alice@mastodon.example",
        ts: "2024-04-02T10:00:00.123Z",
        kind: "post",
        ref: null,
        refAccount: null,
        text: `همه ببینند #ایران @bob ${REPORT}`,
        urls: [REPORT],
        hashtags: ["ایران"],
        mentions: ["bob@other.social"],
      },
      {
        row: 2,
        id: "https://mastodon.example/users/alice/statuses/112200000000000004",
        account: "alice@mastodon.example",
        ts: "2024-04-02T10:02:00.000Z",
        kind: "reply",
        ref: "112100000000000099",
        refAccount: null,
        text: "replying to something we have not seen",
        urls: [],
        hashtags: [],
        mentions: [],
      },
      { row: 3, reject: expect.stringMatching(/^invalid JSON/) as unknown as string },
      { row: 4, reject: "status is not a JSON object" },
    ]);
  });

  it("reads links from hostile HTML in linear time", async () => {
    const hostile = {
      id: "1",
      created_at: "2024-04-02T10:00:00.000Z",
      uri: "https://evil.example/s/1",
      content:
        '<p><a href="https://ok.example/1?a=1&amp;b=2">x</a><abbr title="<a href=\'https://no.example\'">y</abbr>' +
        '<a href=\'https://ok.example/2\' class="u-url">z</a><a href="javascript:alert(1)">j</a>' +
        '<a href="https://ok.example/3" rel="tag">#t</a>' +
        "<a ".repeat(200_000),
      account: { id: "9", acct: "e@evil.example", username: "e" },
      tags: [],
      mentions: [],
    };
    const path = join(tmp, "hostile-html.json");
    writeFileSync(path, JSON.stringify([hostile]));
    // 200,000 unclosed tags: a scan that started again at each would take some 4e10 steps, far beyond the test's
    // time limit, so a hang fails the test without a timed assertion here
    const items = await collect(path);
    const post = items.find((i) => i.type === "post");
    expect(post).toMatchObject({ post: { urls: ["https://ok.example/1?a=1&b=2", "https://ok.example/2"] } });
  });

  it("throws IngestError naming the file for a truncated document or an object without statuses", async () => {
    const text = readFileSync(fixture("timeline.json"), "utf8");
    const path = join(tmp, "truncated.json");
    writeFileSync(path, text.slice(0, Math.floor(text.length / 3)));
    await expect(collect(path)).rejects.toThrow(IngestError);
    await expect(collect(path)).rejects.toThrow(new RegExp(`^${path}: unexpected end of input`));
    const account = join(tmp, "account.json");
    writeFileSync(account, '{\n "id": "1",\n "acct": "alice"\n}\n');
    await expect(collect(account)).rejects.toThrow(`${account}: not Mastodon statuses`);
  });

  it("rejects oversized and deeply nested statuses without crashing, and goes on", async () => {
    const statuses = JSON.parse(readFileSync(fixture("timeline.json"), "utf8")) as Array<{ content: string }>;
    const huge = structuredClone(statuses[0]!);
    huge.content = `<p>${"ن".repeat(300_000)}</p>`;
    const bomb = "[".repeat(100_000) + "]".repeat(100_000);
    const path = join(tmp, "hostile.json");
    writeFileSync(
      path,
      `[\n${JSON.stringify(huge)},\n{"id":"2","x":${bomb}},\n${JSON.stringify(statuses[3])}\n]\n`,
    );
    expect((await collect(path, 100_000)).map(brief)).toMatchObject([
      { row: 1, reject: expect.stringMatching(/^record is \d+ bytes, longer than the limit of 100000$/) },
      { row: 2, reject: "record is nested deeper than 64 levels" },
      { row: 3, id: "https://mastodon.example/users/alice/statuses/112200000000000004" },
    ]);
  });
});

describe("mastodon accounts and ids", () => {
  const status = (id: string, account: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    id,
    created_at: "2024-04-03T08:00:00.000Z",
    uri: `https://m.example/users/x/statuses/${id}`,
    content: "<p>hi</p>",
    account,
    ...extra,
  });

  it("keys an account by user@instance in lower case, and keeps the handle as written", async () => {
    const path = join(tmp, "case.jsonl");
    const lines = [
      status("1", { id: "16", username: "Alice", acct: "Alice@M.Example", url: "https://m.example/@Alice" }),
      status("2", { id: "17", username: "alice", acct: "alice@m.example", url: "https://m.example/@alice" }),
      // a local account: the instance comes from its url, whose host is lower case already
      status(
        "3",
        { id: "18", username: "Bob", acct: "Bob", url: "https://M.Example/@Bob" },
        {
          mentions: [
            { id: "16", username: "Alice", acct: "ALICE@m.example", url: "https://m.example/@Alice" },
          ],
          in_reply_to_id: "1",
          in_reply_to_account_id: "16",
        },
      ),
    ];
    writeFileSync(path, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    const items = await collect(path);
    const posts = items.flatMap((i) => (i.type === "post" ? [i.post] : []));
    expect(posts.map((p) => [p.accountId, p.handle])).toEqual([
      ["alice@m.example", "Alice@M.Example"],
      ["alice@m.example", "alice@m.example"],
      ["bob@m.example", "Bob@m.example"],
    ]);
    expect(posts[2]).toMatchObject({ mentions: ["alice@m.example"], refAccountId: "alice@m.example" });
  });

  it("names the pictures of a status's media by their BlurHash, the same picture one object on every account", async () => {
    const path = join(tmp, "media.jsonl");
    const picture = "LEHV6nWB2yk8pyo0adR*.7kCMdnj";
    const media = (...hashes: Array<string | null>): Record<string, unknown> => ({
      media_attachments: hashes.map((blurhash, i) => ({
        id: `m${i}`,
        type: "image",
        url: "https://x/y.png",
        blurhash,
      })),
    });
    const lines = [
      status("1", { id: "16", acct: "a@m.example" }, media(picture, "L00000fQfQfQfQfQfQfQfQfQfQfQ")),
      // the same picture twice in one status, and a video whose thumbnail has no hash
      status("2", { id: "17", acct: "b@other.example" }, media(picture, picture, null)),
      status("3", { id: "18", acct: "c@m.example" }, media("not a hash")),
      // a reblog carries the original's picture as the original's; the reblog itself names the reblogged status
      status(
        "4",
        { id: "19", acct: "d@m.example" },
        { reblog: status("5", { id: "20", acct: "e@m.example" }, media(picture)) },
      ),
    ];
    writeFileSync(path, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    const posts = (await collect(path)).flatMap((i) => (i.type === "post" ? [i.post] : []));
    expect(posts.map((p) => [p.accountId, p.kind, p.objects ?? []])).toEqual([
      ["a@m.example", "post", [{ kind: "image", value: `blurhash:${picture}` }]],
      ["b@other.example", "post", [{ kind: "image", value: `blurhash:${picture}` }]],
      ["c@m.example", "post", []],
      ["e@m.example", "post", [{ kind: "image", value: `blurhash:${picture}` }]],
      ["d@m.example", "repost", []],
    ]);
  });

  it("names a reply's parent by its uri, newest first as timelines come, and across files for local parents", async () => {
    const alice = { id: "A", username: "alice", acct: "alice", url: "https://m.example/@alice" };
    const bob = { id: "B", username: "bob", acct: "bob", url: "https://m.example/@bob" };
    const dave = { id: "D", username: "dave", acct: "dave@far.example", url: "https://far.example/@dave" };
    const carol = {
      id: "C",
      username: "carol",
      acct: "carol@other.example",
      url: "https://other.example/@carol",
    };
    const local = (id: string, who: { username: string }) =>
      `https://m.example/users/${who.username}/statuses/${id}`;
    const reply = (id: string, by: typeof bob, to: string, parent: typeof alice) =>
      status(id, by, {
        uri: by === carol ? `https://other.example/users/carol/statuses/9${id}` : local(id, by),
        in_reply_to_id: to,
        in_reply_to_account_id: parent.id,
        mentions: [parent],
      });
    const newestFirst = join(tmp, "newest-first.json");
    writeFileSync(
      newestFirst,
      JSON.stringify([
        reply("13", bob, "10", alice),
        reply("12", carol, "11", dave),
        status("11", dave, { uri: "https://far.example/users/dave/statuses/777" }),
        status("10", alice, { uri: local("10", alice) }),
      ]),
    );
    const replies = (items: IngestItem[]): Array<[string, string | null | undefined]> =>
      items.flatMap((i) =>
        i.type === "post" && i.post.kind === "reply" ? [[i.post.postId, i.post.replyTo]] : [],
      );
    expect(replies(await collect(newestFirst))).toEqual([
      [local("13", bob), local("10", alice)],
      ["https://other.example/users/carol/statuses/912", "https://far.example/users/dave/statuses/777"],
    ]);
    // a later file, without the parents: a local parent has the uri its instance gives local statuses (seen in the
    // file: bob's own status), a remote one only its local id
    const later = join(tmp, "later.json");
    writeFileSync(
      later,
      JSON.stringify([
        reply("15", bob, "10", alice),
        reply("16", bob, "11", dave),
        status("14", bob, { uri: local("14", bob) }),
      ]),
    );
    expect(replies(await collect(later))).toEqual([
      [local("15", bob), local("10", alice)],
      [local("16", bob), "11"],
    ]);
  });

  it("rejects a status with no uri whose id is a number past 2^53: nothing else names it", async () => {
    const path = join(tmp, "unsafe-id.json");
    const s = status("5", { id: "1", acct: "a@m.example" }, { id: "BIG", uri: null });
    // written by hand: JSON.stringify cannot write a number with more digits than a double holds
    writeFileSync(path, JSON.stringify([s]).replace('"BIG"', "112200000000000001"));
    expect((await collect(path)).map(brief)).toEqual([
      {
        row: 1,
        reject:
          "id 112200000000000000 is a number too large to hold exactly (its digits were lost): write ids as JSON strings",
      },
    ]);
  });

  it.each([
    ["id", { id: "BIG" }, "id 112200000000000000", "post", null],
    ["in_reply_to_id", { in_reply_to_id: "BIG" }, "in_reply_to_id 112200000000000000", "reply", null],
    [
      "in_reply_to_account_id",
      { in_reply_to_id: "7", in_reply_to_account_id: "BIG" },
      "in_reply_to_account_id 112200000000000000",
      "reply",
      "7",
    ],
  ])(
    "keeps a status whose %s is a number past 2^53 (as Mastodon.py writes them), leaving that id out with a note",
    async (field, extra, shownId, kind, parent) => {
      const path = join(tmp, `unsafe-${field}.json`);
      const s = status("5", { id: "1", acct: "a@m.example" }, extra);
      writeFileSync(path, JSON.stringify([s]).replace('"BIG"', "112200000000000001"));
      const items = await collect(path);
      expect(items).toHaveLength(1);
      const item = items[0] as NotedPostItem;
      expect(item.post).toMatchObject({ postId: "https://m.example/users/x/statuses/5", kind });
      expect(item.post.replyTo ?? null).toBe(parent);
      expect(item.notes).toEqual([
        `${shownId} is a number too large to hold exactly (its digits were lost): write ids as JSON strings: ` +
          "left out, the status is kept",
      ]);
    },
  );
});

describe("mastodon sniffing", () => {
  it("is confident about its own fixtures, and the other adapters are not", () => {
    for (const name of ["timeline.json", "statuses.jsonl"]) {
      const sample = sampleOf(fixture(name));
      expect(mastodonAdapter.sniff(sample), name).toBeGreaterThanOrEqual(0.9);
      for (const a of [twitterV2Adapter, telegramAdapter, blueskyAdapter]) {
        expect(a.sniff(sample), `${a.id} on ${name}`).toBeLessThan(0.5);
      }
    }
  });

  it("does not claim other formats, native JSON Lines or CSV", () => {
    for (const [dir, name] of [
      ["twitter-v2", "search-page.json"],
      ["twitter-v2", "twarc2.jsonl"],
      ["telegram", "result.json"],
      ["bluesky", "jetstream.jsonl"],
      ["bluesky", "author-feed.json"],
    ] as const) {
      expect(mastodonAdapter.sniff(sampleOf(join(FIXTURES, dir, name))), name).toBeLessThan(0.5);
    }
    const native =
      '{"platform":"mastodon","post_id":"https://m.example/s/1","account_id":"a@m.example","ts":"2024-01-01T00:00:00Z","text":"hi"}\n';
    expect(mastodonAdapter.sniff({ name: "x.jsonl", head: native, lines: [native.trim()] })).toBe(0);
    const csv = "id,acct,content,created_at\n1,a@b,hi,2024-01-01T00:00:00Z\n";
    expect(mastodonAdapter.sniff({ name: "x.csv", head: csv, lines: csv.trim().split("\n") })).toBe(0);
  });
});
