import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { toJsonLine } from "./jsonl.js";
import type { SynthPost } from "./post.js";
import { sortedByTime, writePostsJsonl } from "./write.js";

function post(over: Partial<SynthPost> = {}): SynthPost {
  return {
    platform: "twitter",
    post_id: "1765689630202109952",
    account_id: "12183797",
    handle: "sara_tehrani",
    display_name: "سارا تهرانی",
    ts: "2024-03-07T10:43:07.424Z",
    text: "می\u200cدونم",
    urls: [],
    hashtags: [],
    mentions: [],
    repost_of: null,
    reply_to: null,
    account_created_at: "2014-10-01T01:39:51Z",
    bio: null,
    lang: "fa",
    client: "Twitter for iPhone",
    ...over,
  };
}

describe("toJsonLine", () => {
  it("round-trips through JSON.parse, escaping what needs escaping", () => {
    const p = post({
      text: 'He said "hi"\\ then\nleft\u0001 \u202e 🔥',
      urls: ['https://example.com/a?b=1&c="x"'],
      hashtags: ["ایران"],
      mentions: ["a", "b"],
      repost_of: "1",
      reply_to: "2",
      bio: "tab\there",
    });
    expect(JSON.parse(toJsonLine(p))).toEqual(p);
  });

  it("leaves out null fields, and empty lists only when asked", () => {
    const full = JSON.parse(toJsonLine(post())) as Record<string, unknown>;
    expect(full).not.toHaveProperty("repost_of");
    expect(full).not.toHaveProperty("bio");
    expect(full.urls).toEqual([]);
    const compact = JSON.parse(toJsonLine(post({ hashtags: ["x"] }), { omitEmpty: true })) as Record<
      string,
      unknown
    >;
    expect(compact).not.toHaveProperty("urls");
    expect(compact).not.toHaveProperty("mentions");
    expect(compact.hashtags).toEqual(["x"]);
  });
});

describe("writePostsJsonl", () => {
  it("writes every post as one line through a slow stream (backpressure) and counts them", async () => {
    const out = new PassThrough({ highWaterMark: 64 });
    const chunks: Buffer[] = [];
    out.on("data", (c: Buffer) => {
      chunks.push(c);
      out.pause();
      setImmediate(() => out.resume());
    });
    const posts = Array.from({ length: 500 }, (_, i) =>
      post({
        post_id: String(1e18 + i * 4096),
        account_id: String(i % 7),
        urls: i % 2 ? ["https://x.org/"] : [],
      }),
    );
    const stats = await writePostsJsonl(posts, out, { chunkBytes: 1024 });
    out.end();
    await new Promise((resolve) => out.on("end", resolve));
    const lines = Buffer.concat(chunks).toString("utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(500);
    expect(stats.posts).toBe(500);
    expect(stats.accounts).toBe(7);
    expect(stats.withUrl).toBe(250);
    expect(stats.bytes).toBe(Buffer.concat(chunks).length);
  });

  it("sorts by time, then id", () => {
    const a = post({ ts: "2024-03-07T10:00:00.000Z", post_id: "2" });
    const b = post({ ts: "2024-03-07T09:00:00.000Z", post_id: "9" });
    const c = post({ ts: "2024-03-07T10:00:00.000Z", post_id: "1" });
    expect(sortedByTime([a, b, c]).map((p) => p.post_id)).toEqual(["9", "1", "2"]);
  });
});
