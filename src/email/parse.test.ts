import { describe, expect, it } from "vitest";
import { isMbox, MAX_HEADER_BYTES, parseMessage, splitMbox } from "./parse.js";

describe("parseMessage", () => {
  it("reads a plain message and keeps header order", async () => {
    const r = await parseMessage(
      Buffer.from("Received: a\r\nReceived: b\r\nFrom: x@y.example\r\nSubject: hi\r\n\r\nbody\r\n"),
    );
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.message.headers.map((h) => h.value)).toEqual(["a", "b", "x@y.example", "hi"]);
  });

  it("refuses a header bomb without parsing it", async () => {
    const huge = Buffer.from("Subject: x\r\n" + "X-Pad: " + "a".repeat(MAX_HEADER_BYTES) + "\r\n\r\nbody");
    const r = await parseMessage(huge);
    expect(r).toEqual({ ok: false, problem: expect.stringContaining("header bomb") });
  });

  it("refuses too many header lines", async () => {
    const r = await parseMessage(
      Buffer.from("From: a@b.example\r\n" + "X-A: 1\r\n".repeat(3000) + "\r\nbody"),
    );
    expect(r.ok).toBe(false);
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
