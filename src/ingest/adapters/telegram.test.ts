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
const fixture = (name: string): string => join(FIXTURES, "telegram", name);
const tmp = mkdtempSync(join(tmpdir(), "chorus-telegram-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const collect = (path: string, maxRecordBytes = 1 << 20): Promise<IngestItem[]> =>
  collectItems(telegramAdapter, path, maxRecordBytes);

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

describe("telegram adapter", () => {
  it("maps a group export: ids per chat, entities, forwards, replies, and skips service messages", async () => {
    const items = await collect(fixture("result.json"));
    expect(items.map(brief)).toEqual([
      // row 1 is a service message (a join): not a post, not a reject
      {
        row: 2,
        id: "1987654321/2",
        account: "user111",
        // date_unixtime wins over `date`, the exporting computer's local time (here UTC+3:30)
        ts: "2024-01-15T10:30:00.000Z",
        kind: "post",
        ref: null,
        refAccount: null,
        text: "سلام به همه #ایران مهم: https://t.me/news_channel/555 و این مقاله @news_channel Reza",
        urls: ["https://t.me/news_channel/555", "https://example.org/article?id=7&utm_medium=social"],
        hashtags: ["ایران"],
        mentions: ["news_channel", "user333"],
      },
      {
        row: 3,
        id: "1987654321/3",
        account: "user222",
        ts: "2024-01-15T10:30:02.000Z",
        kind: "repost",
        ref: "forwarded:channel1555555555",
        refAccount: "channel1555555555",
        text: "فوری #ایران",
        urls: [],
        hashtags: ["ایران"],
        mentions: [],
      },
      {
        row: 4,
        id: "1987654321/4",
        account: "user333",
        ts: "2024-01-15T10:31:30.000Z",
        kind: "reply",
        ref: "1987654321/2",
        // the author of the message it answers, earlier in the file
        refAccount: "user111",
        text: "<script>alert('x')</script> نعم، صحيح",
        urls: [],
        hashtags: [],
        mentions: [],
      },
      {
        row: 5,
        id: "1987654321/5",
        account: "user111",
        // no date_unixtime: `date` is read as UTC
        ts: "2024-02-01T10:00:00.000Z",
        kind: "post",
        ref: null,
        refAccount: null,
        text: "بدون زمان یونیکس",
        urls: [],
        hashtags: [],
        mentions: [],
      },
      { row: 6, reject: "unparseable date '31/01/2024'" },
      { row: 7, reject: "missing from_id" },
      {
        row: 8,
        id: "1987654321/8",
        account: "user222",
        ts: "2024-01-15T10:36:00.000Z",
        kind: "repost",
        // a forward whose origin has no id in the export: named by its display name
        ref: "forwarded:Hidden Person",
        refAccount: null,
        text: null,
        urls: [],
        hashtags: [],
        mentions: [],
      },
    ]);
  });

  it("keeps display names (with a bidi override) and the inline bot as written", async () => {
    const items = await collect(fixture("result.json"));
    const reply = items.find((i) => i.type === "post" && i.post.postId === "1987654321/4");
    expect(reply).toMatchObject({
      post: { displayName: "Reza \u202enimda\u202c", client: "@like", platform: "telegram" },
    });
    const reject = items.find((i) => i.type === "reject" && i.row === 6);
    expect(reject).toMatchObject({ raw: expect.stringMatching(/"date":\s*"31\/01\/2024"/) });
  });

  it("reads an older channel export: text without entities, channel posts without from_id", async () => {
    const items = await collect(fixture("channel-2020.json"));
    expect(items.map(brief)).toEqual([
      {
        row: 1,
        id: "1234567890/10",
        account: "channel1234567890",
        ts: "2020-05-01T12:00:00.000Z",
        kind: "post",
        ref: null,
        refAccount: null,
        text: "Plain post",
        urls: undefined,
        hashtags: undefined,
        mentions: undefined,
      },
      {
        row: 2,
        id: "1234567890/11",
        account: "channel1234567890",
        ts: "2020-05-01T12:30:15.000Z",
        kind: "post",
        ref: null,
        refAccount: null,
        text: "Read: https://example.com/a",
        urls: ["https://example.com/a"],
        hashtags: [],
        mentions: [],
      },
      {
        row: 3,
        id: "1234567890/12",
        account: "channel1234567890",
        ts: "2020-05-02T08:00:00.000Z",
        kind: "repost",
        ref: "forwarded:Some Channel",
        refAccount: null,
        text: "forwarded text",
        urls: undefined,
        hashtags: undefined,
        mentions: undefined,
      },
    ]);
    expect(items[0]).toMatchObject({ post: { displayName: "Old Channel" } });
  });

  it("reads a channel export whose keys a tool sorted (its type after its messages) as the channel's posts", async () => {
    const sorted = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sorted)
        : v !== null && typeof v === "object"
          ? Object.fromEntries(
              Object.keys(v)
                .sort()
                .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
            )
          : v;
    const path = join(tmp, "channel-sorted.json");
    writeFileSync(
      path,
      JSON.stringify(sorted(JSON.parse(readFileSync(fixture("channel-2020.json"), "utf8")))),
    );
    const asWritten = (await collect(fixture("channel-2020.json"))).map(brief);
    expect((await collect(path)).map(brief)).toEqual(asWritten);
  });

  it("rejects a message whose author or ids cannot be read, and credits no other account with it", async () => {
    const message = (id: unknown, extra: Record<string, unknown>) => ({
      id,
      type: "message",
      date_unixtime: "1709888400",
      text: "hi",
      ...extra,
    });
    const path = join(tmp, "authors.json");
    // written by hand: JSON.stringify cannot write a number with more digits than a double holds
    const messages = [
      JSON.stringify(message(1, { from_id: ["user1"] })),
      JSON.stringify(message(2, { from_id: { id: 1 } })),
      JSON.stringify(message(3, { from_id: true })),
      JSON.stringify(message(4, { from_id: "BIG" })).replace('"BIG"', "12345678901234567890"),
      JSON.stringify(message(5, { from_id: 42 })),
      JSON.stringify(message("BIG", { from_id: "user1" })).replace('"BIG"', "9007199254740993"),
      JSON.stringify(message(7, { from_id: "user1", reply_to_message_id: "BIG" })).replace(
        '"BIG"',
        "9007199254740993",
      ),
      JSON.stringify(message(8, { from_id: "user1", forwarded_from: "X", forwarded_from_id: 1.5 })),
      JSON.stringify(message(9, {})),
    ];
    writeFileSync(path, `{"name":"c","type":"public_channel","id":77,"messages":[${messages.join(",")}]}`);
    const tooLarge = (field: string, shownValue: string): string =>
      `${field} ${shownValue} is a number too large to hold exactly (its digits were lost): write ids as JSON strings`;
    expect((await collect(path)).map(brief)).toMatchObject([
      { row: 1, reject: "from_id must be a string or a number, got array" },
      { row: 2, reject: "from_id must be a string or a number, got object" },
      { row: 3, reject: "from_id must be a string or a number, got boolean" },
      { row: 4, reject: tooLarge("from_id", "12345678901234567000") },
      { row: 5, id: "77/5", account: "user42" },
      { row: 6, reject: tooLarge("id", "9007199254740992") },
      { row: 7, reject: tooLarge("reply_to_message_id", "9007199254740992") },
      {
        row: 8,
        reject: "forwarded_from_id 1.5 is a number with a fraction, not an id: write ids as JSON strings",
      },
      // a channel's message without an author is the channel's
      { row: 9, id: "77/9", account: "channel77" },
    ]);
  });

  it("names the other chat of a reply to a message there, not this chat's message of the same number", async () => {
    const path = join(tmp, "cross.json");
    const msg = (id: number, extra: Record<string, unknown>) => ({
      id,
      type: "message",
      date_unixtime: String(1709888400 + id),
      from_id: "channel1234567890",
      text: `m${id}`,
      ...extra,
    });
    const messages = [
      msg(3, { reply_to_message_id: 2 }),
      msg(4, { reply_to_message_id: 77, reply_to_peer_id: "channel555" }),
    ];
    writeFileSync(path, JSON.stringify({ name: "c", type: "public_channel", id: 1234567890, messages }));
    const refs = (await collect(path))
      .filter((i) => i.type === "post")
      .map((i) => brief(i) as { ref: string });
    expect(refs.map((r) => r.ref)).toEqual(["1234567890/2", "555/77"]);
  });

  it("refuses an export whose chat id is a number past 2^53: every post id would be another chat's", async () => {
    const path = join(tmp, "chat-id.json");
    writeFileSync(path, '{"name":"c","type":"public_channel","id":9007199254740993,"messages":[]}');
    await expect(collect(path)).rejects.toThrow(
      `${path}: the chat's id 9007199254740992 is a number too large to hold exactly (its digits were lost): ` +
        "write ids as JSON strings",
    );
  });

  it("throws IngestError naming the file for a truncated export", async () => {
    const text = readFileSync(fixture("result.json"), "utf8");
    const path = join(tmp, "truncated.json");
    writeFileSync(path, text.slice(0, 2000));
    await expect(collect(path)).rejects.toThrow(IngestError);
    await expect(collect(path)).rejects.toThrow(new RegExp(`^${path}: unexpected end of input`));
  });

  it("reads every chat of a full account export, each with its own id, name and type", async () => {
    const chat = JSON.parse(readFileSync(fixture("result.json"), "utf8")) as Record<string, unknown>;
    const channel = JSON.parse(readFileSync(fixture("channel-2020.json"), "utf8")) as Record<string, unknown>;
    const full = {
      about: "Here is the data you requested.",
      personal_information: { user_id: 1, first_name: "A", phone_number: "+0" },
      contacts: { about: "", list: [{ first_name: "B", phone_number: "+1" }] },
      chats: { about: "", list: [channel, { name: "Saved", type: "saved_messages", id: 7, messages: [] }] },
      left_chats: { about: "", list: [chat] },
    };
    const path = join(tmp, "full-export.json");
    writeFileSync(path, JSON.stringify(full, null, 1));
    expect(telegramAdapter.sniff(sampleOf(path))).toBeGreaterThanOrEqual(0.9);
    // each chat as its own export reads it, one row numbering for the file
    const alone = [
      ...(await collect(fixture("channel-2020.json"))),
      ...(await collect(fixture("result.json"))),
    ].map((i) => ({ ...(brief(i) as Record<string, unknown>), row: undefined }));
    const got = await collect(path);
    expect(got.map((i) => ({ ...(brief(i) as Record<string, unknown>), row: undefined }))).toEqual(alone);
    const rows = got.map((i) => i.row);
    expect(new Set(rows).size).toBe(rows.length);
    expect(got[0]).toMatchObject({ post: { displayName: "Old Channel" } });
  });

  it("throws IngestError for JSON that is not a chat export, and for text that is not JSON", async () => {
    const noMessages = join(tmp, "no-messages.json");
    writeFileSync(noMessages, '{\n "name": "x",\n "id": 5\n}\n');
    await expect(collect(noMessages)).rejects.toThrow(
      `${noMessages}: not a Telegram chat export: no 'messages' array`,
    );
    const full = join(tmp, "full-export.json");
    writeFileSync(full, '{\n "about": "…",\n "chats": {"list": []}\n}\n');
    await expect(collect(full)).rejects.toThrow(/full Telegram account export/);
    const text = join(tmp, "notes.txt");
    writeFileSync(text, "hello\n");
    await expect(collect(text)).rejects.toThrow(`${text}: not JSON or JSON Lines`);
  });

  it("streams a one-line export as a document", async () => {
    const path = join(tmp, "minified.json");
    writeFileSync(path, JSON.stringify(JSON.parse(readFileSync(fixture("result.json"), "utf8"))));
    const items = await collect(path);
    expect(items.map((i) => i.row)).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });

  it("rejects an oversized message and a deeply nested one without crashing, and goes on", async () => {
    const bomb = "[".repeat(100_000) + "]".repeat(100_000);
    const big = "ا".repeat(1_000_000);
    const msg = (id: number, extra = ""): string =>
      `{"id":${id},"type":"message","date":"2024-01-01T00:00:00","date_unixtime":"1704067200","from":"A","from_id":"user1","text":"t${extra}"}`;
    const path = join(tmp, "hostile.json");
    writeFileSync(
      path,
      `{\n "name": "g",\n "type": "private_group",\n "id": 77,\n "messages": [\n${msg(1)},\n${msg(2, big)},\n` +
        `{"id":3,"type":"message","x":${bomb}},\n${msg(4)}\n ]\n}\n`,
    );
    const items = await collect(path, 100_000);
    expect(items.map(brief)).toMatchObject([
      { row: 1, id: "77/1" },
      {
        row: 2,
        reject: `record is ${msg(2, big).length + 1_000_000} bytes, longer than the limit of 100000`,
      },
      { row: 3, reject: "record is nested deeper than 64 levels" },
      { row: 4, id: "77/4" },
    ]);
  });
});

describe("telegram sniffing", () => {
  it("is confident about its own fixtures, and the other adapters are not", () => {
    for (const name of ["result.json", "channel-2020.json"]) {
      const sample = sampleOf(fixture(name));
      expect(telegramAdapter.sniff(sample), name).toBeGreaterThanOrEqual(0.8);
      for (const a of [twitterV2Adapter, blueskyAdapter, mastodonAdapter]) {
        expect(a.sniff(sample), `${a.id} on ${name}`).toBeLessThan(0.5);
      }
    }
  });

  it("does not claim other formats, native JSON Lines or CSV", () => {
    for (const [dir, name] of [
      ["twitter-v2", "search-page.json"],
      ["twitter-v2", "twarc2.jsonl"],
      ["bluesky", "jetstream.jsonl"],
      ["bluesky", "author-feed.json"],
      ["mastodon", "timeline.json"],
    ] as const) {
      expect(telegramAdapter.sniff(sampleOf(join(FIXTURES, dir, name))), name).toBeLessThan(0.5);
    }
    const native =
      '{"platform":"telegram","post_id":"1","account_id":"a","ts":"2024-01-01T00:00:00Z","text":"hi"}\n';
    expect(telegramAdapter.sniff({ name: "x.jsonl", head: native, lines: [native.trim()] })).toBe(0);
    const csv = "id,date,from_id,text\n1,2024-01-01,user1,hello\n";
    expect(telegramAdapter.sniff({ name: "result.csv", head: csv, lines: csv.trim().split("\n") })).toBe(0);
  });
});
