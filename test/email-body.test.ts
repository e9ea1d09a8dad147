/**
 * What the email triage reads of a message's body: the words of its HTML part as well as its text part, as a mail
 * client shows the HTML, and an HTML part past the parser's bound.
 */
import { describe, expect, it } from "vitest";
import { triageFile } from "../src/email/index.js";

/** A multipart/alternative message with the given text and HTML parts. */
function alternative(text: string, html: string): Buffer {
  return Buffer.from(
    [
      "From: Unknown <anon.9921@proton.me>",
      "To: activist@ngo.example",
      "Subject: hello",
      "Date: Sat, 9 Nov 2024 07:00:00 +0000",
      "Message-ID: <alt@proton.me>",
      "MIME-Version: 1.0",
      'Content-Type: multipart/alternative; boundary="b"',
      "",
      "--b",
      "Content-Type: text/plain; charset=utf-8",
      "",
      text,
      "--b",
      "Content-Type: text/html; charset=utf-8",
      "",
      html,
      "--b--",
      "",
    ].join("\r\n"),
  );
}

describe("the words of an email's body", () => {
  it("reads the HTML part that mail clients show, not only the text part", async () => {
    const [r] = await triageFile(
      alternative("Hello, see you soon.", "<p>We know where you live. This is your final warning.</p>"),
      "alt.eml",
    );
    expect(r!.reasons.map((x) => x.code)).toContain("language.threat");
    // the same words in both parts are one finding
    const [both] = await triageFile(
      alternative("We know where you live.", "<p>We know where you live.</p>"),
      "both.eml",
    );
    expect(both!.reasons.filter((x) => x.code === "language.threat")).toHaveLength(1);
  });

  it("reads the words of an HTML part past the parser's bound, and says what it left unread", async () => {
    const padding = `<!-- ${"x".repeat(4.3 * 1024 * 1024)} -->`;
    const html = `<p>Your account has been suspended. Verify your account within 24 hours.</p>${padding}`;
    const [r] = await triageFile(alternative("", html), "big.eml");
    expect(r!.reasons.map((x) => x.code)).toContain("language.credential");
    expect(r!.notChecked.join("\n")).toMatch(/the words of the HTML body past its first 4 MiB/);
  });
});

describe("the bulk-mail exemption of the pressure checks", () => {
  it("is not granted by a List-Unsubscribe header alone, which anyone can write into a threat", async () => {
    const threat = (extra: string[]): Buffer =>
      Buffer.from(
        [
          "From: Unknown <anon.9921@proton.me>",
          "To: activist@ngo.example",
          "Subject: برادرت",
          "Date: Sat, 9 Nov 2024 07:00:00 +0000",
          "Message-ID: <p@proton.me>",
          ...extra,
          "MIME-Version: 1.0",
          "Content-Type: text/plain; charset=utf-8",
          "",
          "برادرت را دوباره احضار کردند. خانواده‌ات تاوان می‌دهد.",
          "",
        ].join("\r\n"),
      );
    const codes = async (extra: string[]): Promise<string[]> =>
      (await triageFile(threat(extra), "t.eml"))[0]!.reasons.map((r) => r.code);
    expect(await codes([])).toContain("language.family-pressure");
    expect(await codes(["List-Unsubscribe: <mailto:x@proton.me>"])).toContain("language.family-pressure");
  });
});
