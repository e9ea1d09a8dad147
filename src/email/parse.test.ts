import { describe, expect, it } from "vitest";
import {
  decodeEncodedWords,
  isMbox,
  MAX_HEADER_BYTES,
  MAX_HEADER_LINES,
  parseMessage,
  splitMbox,
} from "./parse.js";

describe("parseMessage", () => {
  it("reads a plain message and keeps header order", async () => {
    const r = await parseMessage(
      Buffer.from("Received: a\r\nReceived: b\r\nFrom: x@y.example\r\nSubject: hi\r\n\r\nbody\r\n"),
    );
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.message.headers.map((h) => h.value)).toEqual(["a", "b", "x@y.example", "hi"]);
  });

  it("cuts a header bomb back to the fields that fit, and reads the rest, saying what it set aside", async () => {
    const huge = Buffer.from("Subject: x\r\n" + "X-Pad: " + "a".repeat(MAX_HEADER_BYTES) + "\r\n\r\nbody");
    const r = await parseMessage(huge);
    if (!r.ok) throw new Error(r.problem);
    expect(r.message.mail.subject).toBe("x");
    expect(r.message.mail.text?.trim()).toBe("body");
    expect(r.message.overBounds).toEqual([
      expect.stringMatching(/header bomb.*1 of its fields was set aside/),
    ]);
  });

  it("keeps the fields the checks read when thousands of lines pad a header, wherever they stand", async () => {
    const r = await parseMessage(
      Buffer.from(
        "Received: from a by b\r\n".repeat(2500) +
          "X-A: 1\r\n".repeat(3000) +
          "From: a@b.example\r\nSubject: hi\r\nContent-Type: text/plain\r\n\r\nbody",
      ),
    );
    if (!r.ok) throw new Error(r.problem);
    expect(r.message.mail.from?.text).toBe("a@b.example");
    expect(r.message.mail.subject).toBe("hi");
    expect(r.message.headers.length).toBeLessThanOrEqual(MAX_HEADER_LINES);
    expect(r.message.overBounds[0]).toMatch(/5503 lines/);
    // padding alone, with nothing the checks read, is still no message
    const pad = await parseMessage(Buffer.from("X-A: 1\r\n".repeat(3000) + "\r\nbody"));
    expect(pad).toEqual({ ok: false, problem: expect.stringMatching(/header bomb.*none of From/) });
  });

  it("reads the header of a message whose MIME structure is past the parser's bounds", async () => {
    let nested = "Content-Type: text/plain\r\n\r\nhello\r\n";
    for (let i = 0; i < 1500; i++)
      nested = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${nested}--b${i}--\r\n`;
    const r = await parseMessage(Buffer.from(`From: a@b.example\r\nSubject: deep\r\n${nested}`));
    if (!r.ok) throw new Error(r.problem);
    expect(r.message.mail.subject).toBe("deep");
    expect(r.message.overBounds).toEqual([expect.stringMatching(/MIME structure.*only the header was read/)]);
  });

  it("says a file of posts is not an email, however long it runs without a blank line", async () => {
    const line = JSON.stringify({ platform: "twitter", post_id: "1", account_id: "a", text: "hello" });
    const posts = Buffer.from(`${line}\n`.repeat(Math.ceil((2 * MAX_HEADER_BYTES) / line.length)));
    expect(await parseMessage(posts)).toEqual({
      ok: false,
      problem: "the file does not start with a header line (Name: value); not an email",
    });
  });

  it("refuses empty files and non-mail", async () => {
    expect((await parseMessage(Buffer.alloc(0))).ok).toBe(false);
    expect((await parseMessage(Buffer.from("\u0000\u0001 junk\n\nmore"))).ok).toBe(false);
    expect((await parseMessage(Buffer.from("X-Custom: only\r\n\r\nbody"))).ok).toBe(false);
  });
});

describe("splitMbox", () => {
  it("splits on From_ lines after an empty line and undoes >From quoting", () => {
    const mbox = Buffer.from(
      "From a@b Mon Nov  9 07:00:03 2026\nSubject: one\n\n>From the start\n\nFrom c@d Tue Nov 10 18:21:40 2026\nSubject: two\n\nhi\n",
    );
    expect(isMbox(mbox)).toBe(true);
    const parts = splitMbox(mbox).map((b) => b.toString());
    expect(parts).toHaveLength(2);
    expect(parts[0]).toContain("\nFrom the start");
    expect(parts[1]).toMatch(/^Subject: two/);
  });
});

describe("splitMbox on unquoted body lines (regression: QA c/81)", () => {
  it("splits only at full separator lines, not at a body line that starts with From", () => {
    const mbox = Buffer.from(
      [
        "From sara@civicrights.org Tue Mar 12 10:00:00 2024",
        "From: Sara <sara@civicrights.org>",
        "Subject: notes",
        "",
        "Here are my notes.",
        "",
        "From the meeting: we agreed to rotate passwords.",
        "From now on use Signal.",
        "",
        "From 1234567890@xxx Mon Jan  1 00:00:00 +0000 2024",
        "Subject: two",
        "",
        "hi",
        "",
        "From MAILER-DAEMON Fri Jul  8 12:08:34 2011",
        "Subject: three",
        "",
        "bye",
        "",
      ].join("\n"),
    );
    const parts = splitMbox(mbox).map((b) => b.toString());
    expect(parts).toHaveLength(3);
    expect(parts[0]).toContain("From the meeting: we agreed to rotate passwords.\nFrom now on use Signal.");
    expect(parts[1]).toMatch(/^Subject: two/);
    expect(parts[2]).toMatch(/^Subject: three/);
  });
});

describe("header text as the sender wrote it (regression: QA c/94, c/58)", () => {
  it("reads raw UTF-8 in a header as UTF-8, not byte by byte", async () => {
    const r = await parseMessage(
      Buffer.concat([
        Buffer.from("From: PayPal <service@p"),
        Buffer.from("а", "utf8"), // Cyrillic a, two bytes
        Buffer.from("ypal.com>\r\nSubject: hi\r\n\r\nbody"),
      ]),
    );
    if (!r.ok) throw new Error(r.problem);
    expect(r.message.headers.find((h) => h.key === "from")?.value).toBe("PayPal <service@pаypal.com>");
  });

  it("decodes UTF-7 encoded words, which the parser leaves as they are", async () => {
    expect(decodeEncodedWords("=?utf-7?Q?+BEAEMAQ-?= =?bogus?Q?=E0=FF?=")).toBe("раàÿ");
    expect(decodeEncodedWords("=?UTF-7?B?" + Buffer.from("Hi +-1 +AKM-5").toString("base64") + "?=")).toBe(
      "Hi +1 £5",
    );
    const r = await parseMessage(
      Buffer.from("From: a@b.example\r\nSubject: =?utf-7?Q?+BEAEMAQ-?=\r\n\r\nbody"),
    );
    if (!r.ok) throw new Error(r.problem);
    expect(r.message.mail.subject).toBe("ра");
  });
});
