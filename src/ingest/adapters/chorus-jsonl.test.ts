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
