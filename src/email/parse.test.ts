import { describe, expect, it, vi } from "vitest";
import {
  isMbox,
  MAX_DKIM_SIGNATURES,
  MAX_FIELD_BYTES,
  MAX_HEADER_BYTES,
  MAX_HEADER_LINES,
  MAX_MESSAGE_BYTES,
  parseMessage,
  splitMbox,
  utf7WordsAsUtf8,
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
    expect(pad).toEqual({
      ok: false,
      problem: expect.stringMatching(/header bomb.*none of From/),
      overBounds: true,
    });
  });

  // regression (review 3): a line without a colon sent the search for a field's colon to the next one of the file,
  // a scan per line (a million such lines took 20 s); 400,000 are read here
  it("cuts a header of 400,000 lines without a colon, keeping From and Subject", async () => {
    const r = await parseMessage(
      Buffer.from("From: a@b.example\r\nSubject: hi\r\n" + "x\r\n".repeat(400_000) + "\r\nbody"),
    );
    if (!r.ok) throw new Error(r.problem);
    expect(r.message.mail.from?.text).toBe("a@b.example");
    expect(r.message.mail.subject).toBe("hi");
    expect(r.message.overBounds.length).toBeGreaterThan(0);
  });

  // regression (review 2): every field, kept or not, took two bytes of the room, so that past 262,143 fields no
  // room was left and From and Subject were set aside with the padding
  it("keeps From and Subject in a header of 300,000 tiny fields", async () => {
    const r = await parseMessage(
      Buffer.from(
        "From: a@b.example\r\nSubject: hi\r\n" + "X:a\r\n".repeat(300_000) + "To: c@d.example\r\n\r\nbody",
      ),
    );
    if (!r.ok) throw new Error(r.problem);
    expect(r.message.mail.from?.text).toBe("a@b.example");
    expect(r.message.mail.subject).toBe("hi");
    expect(r.message.mail.to).toBeDefined();
    expect(r.message.mail.text?.trim()).toBe("body");
    expect(r.message.headers.length).toBeLessThanOrEqual(MAX_HEADER_LINES);
    // the fields kept: the three the checks read and as much padding as fits
    expect(r.message.overBounds[0]).toMatch(
      new RegExp(`: ${300_003 - r.message.headers.length} of its fields were set aside`),
    );
  });

  // regression (review 2): a From of 180 KB was set aside as over 64 KB, and the message lost its sender
  it("keeps a field the checks read that is over the field bound, shortened, with its address", async () => {
    const pad = Array.from({ length: 2500 }, () => "A".repeat(70)).join("\r\n ");
    const r = await parseMessage(
      Buffer.from(
        `From: "PayPal Security ${pad}" <service@paypa1-secure.example>\r\nSubject: ${"s".repeat(100_000)}\r\n` +
          `X-Big: ${"x".repeat(100_000)}\r\n\r\nbody`,
      ),
    );
    if (!r.ok) throw new Error(r.problem);
    expect(r.message.mail.from?.value[0]?.address).toBe("service@paypa1-secure.example");
    expect(r.message.mail.from?.value[0]?.name).toMatch(/^PayPal Security A+/);
    expect(r.message.mail.subject?.length).toBeLessThanOrEqual(MAX_FIELD_BYTES);
    expect(r.message.mail.subject).toMatch(/^s{1000}/);
    // any other field that long is set aside
    expect(r.message.headers.map((h) => h.key)).toEqual(["from", "subject"]);
    expect(r.message.overBounds[0]).toMatch(/1 of its fields was set aside/);
  });

  // regression (review 2): the header was split into strings several times (a 39 MB header of "X:" lines took
  // 1.4 GB); now its fields are found over the bytes, and the padding past the room is only counted
  it("cuts a header of millions of fields back without making a string of each", async () => {
    const padding = Buffer.alloc(12 * 1024 * 1024, "X:\n");
    const raw = Buffer.concat([
      Buffer.from("From: a@b.example\nSubject: hi\n"),
      padding,
      Buffer.from("\nbody"),
    ]);
    // every string made of the bytes, and every string split, while the message is read
    const decoded = vi.spyOn(Buffer.prototype, "toString");
    const split = vi.spyOn(String.prototype, "split");
    let r: Awaited<ReturnType<typeof parseMessage>>;
    try {
      r = await parseMessage(raw);
    } finally {
      decoded.mockRestore();
      split.mockRestore();
    }
    if (!r.ok) throw new Error(r.problem);
    expect(r.message.mail.subject).toBe("hi");
    expect(r.message.overBounds[0]).toMatch(/4194306 lines/);
    // the 12 MB header is never one string, nor split: only what fits the bounds becomes text
    const longestDecoded = Math.max(
      ...decoded.mock.calls.map((args, i) => {
        const b = decoded.mock.contexts[i] as Buffer;
        return ((args[2] as number | undefined) ?? b.length) - ((args[1] as number | undefined) ?? 0);
      }),
    );
    const longestSplit = Math.max(...split.mock.contexts.map((t) => String(t).length));
    expect(longestDecoded).toBeLessThanOrEqual(MAX_HEADER_BYTES + 16);
    expect(longestSplit).toBeLessThanOrEqual(MAX_HEADER_BYTES + 16);
    // and a field's name is read while the room lasts, not for each of the four million fields
    expect(decoded.mock.calls.length).toBeLessThan(20_000);
  });

  // regression (review 2): the DKIM checks read the whole file, past the parser's 40 MB, with every signature
  it("gives the DKIM checks the bytes it read, with the first DKIM signatures only", async () => {
    const sig = (i: number): string =>
      `DKIM-Signature: v=1; a=rsa-sha256; d=b.example; s=s${i}; h=from; bh=A; b=A\r\n`;
    const head =
      "From: a@b.example\r\nSubject: hi\r\n" + Array.from({ length: 40 }, (_, i) => sig(i)).join("");
    const r = await parseMessage(Buffer.from(head + "\r\nbody\r\n"));
    if (!r.ok) throw new Error(r.problem);
    const read = r.message.raw!.toString("latin1");
    expect(read.match(/^DKIM-Signature:/gm)).toHaveLength(MAX_DKIM_SIGNATURES);
    expect(read).toContain("s=s9;");
    expect(read).not.toContain("s=s10;");
    expect(read.endsWith("\r\nbody\r\n")).toBe(true);
    expect(r.message.overBounds).toEqual([
      expect.stringMatching(/40 DKIM signatures.*first 10 were checked/),
    ]);

    const big = Buffer.alloc(MAX_MESSAGE_BYTES + 1024, "a\r\n");
    Buffer.from("From: a@b.example\r\nSubject: big\r\n\r\n").copy(big);
    const b = await parseMessage(big);
    if (!b.ok) throw new Error(b.problem);
    expect(b.message.raw!.length).toBe(MAX_MESSAGE_BYTES);
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
      overBounds: false,
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
    const utf8 = (t: string): string => `=?UTF-8?B?${Buffer.from(t).toString("base64")}?=`;
    expect(utf7WordsAsUtf8("=?utf-7?Q?+BEAEMAQ-?= =?bogus?Q?=E0=FF?=")).toBe(
      `${utf8("ра")} =?bogus?Q?=E0=FF?=`,
    );
    expect(utf7WordsAsUtf8("=?UTF-7?B?" + Buffer.from("Hi +-1 +AKM-5").toString("base64") + "?=")).toBe(
      utf8("Hi +1 £5"),
    );
    const r = await parseMessage(
      Buffer.from("From: a@b.example\r\nSubject: =?utf-7?Q?+BEAEMAQ-?=\r\n\r\nbody"),
    );
    if (!r.ok) throw new Error(r.problem);
    expect(r.message.mail.subject).toBe("ра");
  });

  // regression (review 2): a UTF-7 word made every other encoded word be read again, as Latin-1
  it("keeps the parser's reading of the other encoded words beside a UTF-7 one (windows-1256 Arabic)", async () => {
    // "سلام" in windows-1256
    const arabic = Buffer.from([0xd3, 0xe1, 0xc7, 0xe3]).toString("base64");
    const r = await parseMessage(
      Buffer.from(
        `From: a@b.example\r\nSubject: =?utf-7?Q?+BEAEMAQ-?= =?windows-1256?B?${arabic}?= =?koi8-r?Q?=F0=D2=C9?=\r\n\r\nbody`,
      ),
    );
    if (!r.ok) throw new Error(r.problem);
    expect(r.message.mail.subject).toBe("раسلامПри");
  });
});
