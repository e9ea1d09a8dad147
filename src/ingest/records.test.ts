import { describe, expect, it } from "vitest";
import { cutNoted, invalidPost, keptRaw, toObjectRows, toPostRow } from "./records.js";

const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe("cuts of long fields", () => {
  it("notes a cut bio with its length in the source, and never cuts an emoji in two", () => {
    const bio = `${"x".repeat(9)}😀 and more`;
    const cut = cutNoted(bio, 10);
    expect(cut).toBe(`${"x".repeat(9)} … [cut: ${bio.length} characters in the source]`);
    expect(LONE.test(cut)).toBe(false);
    expect(cutNoted(bio, 11)).toBe(`${"x".repeat(9)}😀 … [cut: ${bio.length} characters in the source]`);
  });

  it("keeps a raw form that differs from its value, cut at 4,096 units without splitting a pair", () => {
    expect(keptRaw("#Tag", "tag")).toBe("#Tag");
    expect(keptRaw("tag", "tag")).toBeNull();
    const raw = `#${"a".repeat(4094)}🙏🙏`;
    const kept = keptRaw(raw, "x")!;
    expect(kept).toHaveLength(4095);
    expect(LONE.test(kept)).toBe(false);
  });
});

describe("the post a post refers to", () => {
  it("is the one its kind names: a reply that quotes refers to the post it answers", () => {
    const base = { platform: "twitter", postId: "1", accountId: "a", tsMs: 0 };
    const both = { ...base, replyTo: "r", quoteOf: "q" };
    expect(toPostRow({ ...both, kind: "reply" })).toMatchObject({ kind: "reply", refPostId: "r" });
    expect(toPostRow(both)).toMatchObject({ kind: "quote", refPostId: "q" });
    expect(toPostRow({ ...both, repostOf: "p", kind: "repost" })).toMatchObject({ refPostId: "p" });
    // a given kind that names none of them: whichever it has
    expect(toPostRow({ ...base, replyTo: "r", kind: "post" })).toMatchObject({
      kind: "post",
      refPostId: "r",
    });
  });
});

describe("the posts a post refers to, as objects", () => {
  it("gives a quote its own object, and a reply that quotes both its reply and its quote", () => {
    const base = {
      platform: "twitter",
      postId: "1",
      accountId: "a",
      tsMs: 0,
      urls: [],
      hashtags: [],
      mentions: [],
    };
    const kinds = (p: Parameters<typeof toObjectRows>[0]): string[] =>
      toObjectRows(p).map((o) => `${o.kind}=${o.value}`);
    expect(kinds({ ...base, quoteOf: "q" })).toEqual(["quote=q"]);
    expect(kinds({ ...base, replyTo: "r", quoteOf: "q", kind: "reply" })).toEqual(["reply=r", "quote=q"]);
    expect(kinds({ ...base, repostOf: "p" })).toEqual(["repost=p"]);
    // its link to the post it quotes is the quote; a link it shared stays
    expect(
      kinds({
        ...base,
        quoteOf: "177",
        urls: ["https://x.com/someone/status/177?s=20", "https://example.org/a"],
      }),
    ).toEqual(["url=https://example.org/a", "domain=example.org", "quote=177"]);
    expect(kinds(base)).toEqual([]);
  });
});

describe("posts that cannot be stored", () => {
  it("have ids of spaces alone as missing ones", () => {
    const base = { platform: "twitter", postId: "1", accountId: "a", tsMs: 0 };
    expect(invalidPost(base)).toBeNull();
    expect(invalidPost({ ...base, accountId: "   " })).toBe("missing account id");
    expect(invalidPost({ ...base, postId: "\t" })).toBe("missing post id");
  });
});
