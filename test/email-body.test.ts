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

describe("threats quoted by authenticated bulk mail (regression: QA c/40)", () => {
  /** A news digest quoting a threat in its story, with the given extra headers. */
  const digest = (from: string, extra: string[]): Buffer =>
    Buffer.from(
      [
        "Received: from mail180-12.suw21.mcdlv.net (mail180-12.suw21.mcdlv.net [198.2.180.12])",
        "        by mx.google.com with ESMTPS id x1; Sat, 9 Nov 2024 07:00:00 +0000",
        ...extra,
        `From: Press Freedom Digest <${from}>`,
        "To: activist@ngo.example",
        "Subject: This week: journalists threatened in exile",
        "Date: Sat, 9 Nov 2024 07:00:00 +0000",
        "Message-ID: <digest-45@news.example>",
        "List-Unsubscribe: <https://news.example/unsubscribe?id=1>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "",
        'A reporter in Berlin received messages saying "we know where you live" and "this is your last',
        'warning". Our partners documented 40 such cases this year.',
        "",
      ].join("\r\n"),
    );
  const auth = (domain: string): string =>
    `Authentication-Results: mx.google.com; dkim=pass header.i=@${domain}; spf=pass smtp.mailfrom=${domain}; dmarc=pass (p=NONE) header.from=${domain}`;

  it("notes the threat words of an authenticated newsletter, without weight", async () => {
    const [r] = await triageFile(digest("digest@news.example", [auth("news.example")]), "d.eml");
    const threat = r!.reasons.find((x) => x.code === "language.threat");
    expect(threat).toMatchObject({ severity: "info", weight: 0 });
    expect(threat!.message).toContain("we know where you live");
    expect(r!.verdict).toBe("no-signs-found");
  });

  it("keeps them as a threat without authentication, or from a free-mail account", async () => {
    for (const [from, extra] of [
      ["digest@news.example", []],
      ["digest.news@gmail.com", [auth("gmail.com")]],
    ] as const) {
      const [r] = await triageFile(digest(from, [...extra]), "d.eml");
      expect(
        r!.reasons.find((x) => x.code === "language.threat"),
        from,
      ).toMatchObject({ severity: "high" });
      expect(r!.verdict, from).not.toBe("no-signs-found");
    }
  });
});
