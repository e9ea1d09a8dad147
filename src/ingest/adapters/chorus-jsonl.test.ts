import { describe, expect, it } from "vitest";
import { parseLine } from "./chorus-jsonl.js";

const tooLarge = (field: string, shownValue: string): string =>
  `${field} ${shownValue} is a number too large to hold exactly (its digits were lost): write ids as JSON strings`;

/**
 * A line of the native format, each value the JSON text given (JSON.stringify cannot write a number with more
 * digits than a double holds).
 */
function line(values: Record<string, string>): string {
  const all = {
    platform: '"twitter"',
    post_id: '"p1"',
    account_id: '"a1"',
    ts: '"2024-01-11T12:00:00Z"',
    ...values,
  };
  return `{${Object.entries(all)
    .map(([k, v]) => `"${k}":${v}`)
    .join(",")}}`;
}

describe("chorus-jsonl: ids written as JSON numbers", () => {
  it.each([
    ["post_id", "1745415259534917633", "1745415259534917600"],
    ["account_id", "1501234567890123776", "1501234567890123800"],
    ["repost_of", "1745415259534917635", "1745415259534917600"],
    ["reply_to", "9007199254740993", "9007199254740992"],
    ["quote_of", "-9007199254740993", "-9007199254740992"],
    ["ref_account_id", "1e21", "1e+21"],
  ])("rejects %s given as %s, a number JSON.parse has rounded", (field, written, read) => {
    const item = parseLine(line({ [field]: written }), 3);
    expect(item).toMatchObject({ type: "reject", row: 3, reason: tooLarge(field, read) });
    // the reject keeps the line as written, digits and all
    expect(item.type === "reject" && item.raw).toContain(written);
  });

  it("rejects an id with a fraction", () => {
    expect(parseLine(line({ reply_to: "1.5" }), 1)).toMatchObject({
      type: "reject",
      reason: "reply_to 1.5 is a number with a fraction, not an id: write ids as JSON strings",
    });
  });

  it("takes ids that are safe integers, and ids written as strings, as before", () => {
    const item = parseLine(
      line({
        post_id: "9007199254740991",
        account_id: "-42",
        repost_of: '"1745415259534917635"',
        reply_to: "0",
      }),
      1,
    );
    expect(item).toMatchObject({
      type: "post",
      post: { postId: "9007199254740991", accountId: "-42", repostOf: "1745415259534917635", replyTo: "0" },
    });
  });

  it("keeps two posts whose ids differ past the 16th digit apart when the ids are strings", () => {
    const a = parseLine(line({ post_id: '"1745415259534917633"' }), 1);
    const b = parseLine(line({ post_id: '"1745415259534917634"' }), 2);
    expect(a.type === "post" && a.post.postId).toBe("1745415259534917633");
    expect(b.type === "post" && b.post.postId).toBe("1745415259534917634");
  });
});

describe("chorus-jsonl: required fields", () => {
  it.each([
    ["platform", '"  "', "platform is blank (only whitespace)"],
    ["post_id", '"  "', "post_id is blank (only whitespace)"],
    ["post_id", '"\\t\\u3000"', "post_id is blank (only whitespace)"],
    ["account_id", '"\\u00a0"', "account_id is blank (only whitespace)"],
    ["post_id", '""', "missing post_id"],
  ])("rejects a blank %s (%s) as it rejects an empty one", (field, written, reason) => {
    expect(parseLine(line({ [field]: written }), 4)).toMatchObject({ type: "reject", row: 4, reason });
  });

  it("keeps an id with whitespace around other characters as written", () => {
    expect(parseLine(line({ post_id: '" p1 "', account_id: '"\\u3000a1"' }), 1)).toMatchObject({
      type: "post",
      post: { postId: " p1 ", accountId: "\u3000a1" },
    });
  });
});

describe("chorus-jsonl: profile fields that cannot be read", () => {
  const kept = (field: string, reason: string) => `${field} ${reason}: left out, the post is kept`;

  it.each([
    [
      "account_created_at",
      '"garbage"',
      kept(
        "account_created_at",
        "'garbage' is not a timestamp (ISO 8601 with a time zone, or epoch seconds/milliseconds)",
      ),
    ],
    [
      "followers",
      '"1,234"',
      kept("followers", "'1,234' is not a number (digits only: no separators or suffixes)"),
    ],
    [
      "followers",
      '"1.2K"',
      kept("followers", "'1.2K' is not a number (digits only: no separators or suffixes)"),
    ],
    [
      "following",
      '"0x10"',
      kept("following", "'0x10' is not a number (digits only: no separators or suffixes)"),
    ],
    [
      "followers",
      "1e30",
      `followers must be a number from 0 to 9007199254740991, got 1e+30: left out, the post is kept`,
    ],
    [
      "followers",
      "9007199254740992",
      `followers must be a number from 0 to 9007199254740991, got 9007199254740992: left out, the post is kept`,
    ],
    [
      "following",
      "-1",
      `following must be a number from 0 to 9007199254740991, got -1: left out, the post is kept`,
    ],
    [
      "followers",
      '"-5"',
      `followers must be a number from 0 to 9007199254740991, got -5: left out, the post is kept`,
    ],
    ["followers", "true", "followers must be a number, got boolean: left out, the post is kept"],
    ["bio", '{"text":"x"}', "bio must be a string, got object: left out, the post is kept"],
    ["handle", '["a"]', "handle must be a string, got array: left out, the post is kept"],
  ])("keeps the post without %s given as %s, and notes why", (field, written, note) => {
    const item = parseLine(line({ [field]: written, handle: field === "handle" ? written : '"alice"' }), 7);
    expect(item).toMatchObject({ type: "post", row: 7, notes: [note] });
    const post = item.type === "post" ? item.post : null;
    const key = { account_created_at: "accountCreatedAtMs" }[field] ?? field;
    expect(post?.[key as keyof typeof post]).toBeNull();
    if (field !== "handle") expect(post?.handle).toBe("alice");
  });

  it("takes counts given as whole numbers or strings of digits, and notes nothing", () => {
    const item = parseLine(line({ followers: '"1234"', following: "9007199254740991", bio: '""' }), 1);
    expect(item).toMatchObject({
      type: "post",
      post: { followers: 1234, following: 9007199254740991, bio: null },
    });
    expect(item).not.toHaveProperty("notes");
  });

  it("notes every field left out of one post, and still rejects for the post's own fields", () => {
    expect(parseLine(line({ followers: '"1.2K"', account_created_at: "true" }), 2)).toMatchObject({
      type: "post",
      notes: [
        expect.stringMatching(/^account_created_at true is not a timestamp/),
        expect.stringMatching(/^followers '1.2K'/),
      ],
    });
    // an object or a list is shown as the JSON it was
    expect(parseLine(line({ account_created_at: '{"a":1}' }), 4)).toMatchObject({
      notes: [expect.stringMatching(/^account_created_at \{"a":1\} is not a timestamp/)],
    });
    expect(parseLine(line({ account_created_at: "[]" }), 5)).toMatchObject({
      notes: [expect.stringMatching(/^account_created_at \[\] is not a timestamp/)],
    });
    expect(parseLine(line({ followers: '"1.2K"', urls: '"x"' }), 3)).toMatchObject({
      type: "reject",
      reason: "urls must be an array of strings",
    });
  });
});

describe("chorus-jsonl: platform names", () => {
  it("keeps a name of letters, digits, '_', '.' and '-' in lower case, and rejects one that would break account keys", () => {
    expect(parseLine(line({ platform: '"VK"' }), 1)).toMatchObject({
      type: "post",
      post: { platform: "vk" },
    });
    expect(parseLine(line({ platform: '"x.com"' }), 1)).toMatchObject({
      type: "post",
      post: { platform: "x.com" },
    });
    for (const bad of ["Tele Gram", "vk:ru", "<svg onload=alert(1)>", "تلگرام", "x".repeat(65)]) {
      const item = parseLine(line({ platform: JSON.stringify(bad) }), 4);
      expect(item, bad).toMatchObject({ type: "reject", row: 4 });
      if (item.type === "reject") expect(item.reason).toMatch(/^platform ".*" is not a platform name/);
    }
  });
});
