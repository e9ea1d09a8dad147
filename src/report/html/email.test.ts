import { describe, expect, it } from "vitest";
import { reasonHtml } from "./email.js";

describe("a reported message's reason in the report", () => {
  it("isolates each quoted phrase with a direction of its own, in the sentence's order", () => {
    const shown = reasonHtml(
      'The text threatens the reader or their family: "می‌دانیم کجا زندگی", "تو را می‌کشیم", "<b>x</b>".',
    ).value;
    // each quote its own isolate, in the order written, the marks outside it; markup in a quote is text
    const quotes = [...shown.matchAll(/"<bdi dir="auto">(.*?)<\/bdi>"/g)].map((m) => m[1]);
    expect(quotes).toEqual(["می‌دانیم کجا زندگی", "تو را می‌کشیم", "&lt;b&gt;x&lt;/b&gt;"]);
    expect(shown.startsWith('<span dir="ltr"')).toBe(true);
  });

  it("says how much of a long reason was cut", () => {
    expect(reasonHtml("x".repeat(700)).value).toContain("(100 more characters)");
  });
});
