import { describe, expect, it } from "vitest";
import { triage } from "./index.js";

/** A short message whose header block ends with `dateLine` (none when null). */
const message = (dateLine: string | null): Buffer =>
  Buffer.from(
    [
      "From: Sender <a@sender.example>",
      "To: b@desk.example",
      "Subject: hello",
      ...(dateLine === null ? [] : [dateLine]),
      "Message-ID: <date-test@sender.example>",
      "",
      "hello",
      "",
    ].join("\r\n"),
  );

const dateReasons = (r: Awaited<ReturnType<typeof triage>>) =>
  r.reasons.filter((x) => x.evidence.kind === "header" && x.evidence.ref === "Date");

describe("the date of a message", () => {
  it("reads a well-formed Date header to the exact instant, zone applied, with no reason", async () => {
    const r = await triage(message("Date: Sat, 7 Nov 2026 01:00:00 +0330"));
    expect(r.date).toBe("2026-11-06T21:30:00.000Z");
    expect(dateReasons(r)).toEqual([]);
  });

  it("gives an unreadable Date header no date, not the time of reading, and quotes it", async () => {
    const r = await triage(message("Date: 2024-13-45 99:99"));
    expect(r.date).toBeUndefined();
    expect(dateReasons(r)).toEqual([
      {
        code: "header.date-unreadable",
        severity: "info",
        weight: 0,
        message: expect.stringContaining('Unreadable Date header: "2024-13-45 99:99"') as string,
        evidence: { kind: "header", ref: "Date", value: "2024-13-45 99:99" },
      },
    ]);
    // an empty header is unreadable too; a long one is quoted clipped
    expect((await triage(message("Date:"))).date).toBeUndefined();
    const long = await triage(message(`Date: ${"x".repeat(5000)}`));
    expect(dateReasons(long)[0]!.evidence.value).toHaveLength(100);
  });

  it("gives a date outside 1990–2100 (a five-digit year, the epoch, year 24 or year 1, not 2024 or 2001) no date, with a reason", async () => {
    for (const line of [
      "Date: Mon, 1 Jan 99999 00:00:00 +0000",
      "Date: Thu, 1 Jan 1970 00:00:00 +0000",
      "Date: Thu, 1 Jan 0024 00:00:00 +0000",
      "Date: Sat, 9 Nov 1 07:00:00 +0000",
    ]) {
      const r = await triage(message(line));
      expect(r.date).toBeUndefined();
      expect(dateReasons(r).map((x) => x.code)).toEqual(["header.date-out-of-range"]);
    }
  });

  it("reads RFC 5322's other forms, and guesses at nothing: no zone, no such day, no such zone", async () => {
    const read: Array<[string, string]> = [
      ["Date: 9 Nov 2024 07:00:00 -0500", "2024-11-09T12:00:00.000Z"],
      ["Date: Sat, 09 Nov 24 07:00 PST", "2024-11-09T15:00:00.000Z"],
      ["Date: Sat, 9 Nov 2024 07:00:00 +0000 (UTC)", "2024-11-09T07:00:00.000Z"],
      ["Date: Sat,  9 Nov 2024\r\n 07:00:00 GMT", "2024-11-09T07:00:00.000Z"],
      ["Date: Tue, 31 Dec 2024 23:59:60 +0000", "2024-12-31T23:59:59.000Z"],
      ["Date: 2024-11-09T07:00:00+03:30", "2024-11-09T03:30:00.000Z"],
      // forms mailers and scripts write beside RFC 5322's, each with its zone
      ["Date: Saturday, 9 November 2024 07:00:00 +0000", "2024-11-09T07:00:00.000Z"],
      ["Date: Mon, 9 Sept 2024 07:00:00 +0000", "2024-09-09T07:00:00.000Z"],
      ["Date: Sat 9 Nov 2024 07:00:00 +0000", "2024-11-09T07:00:00.000Z"],
      ["Date: 9-Nov-2024 07:00:00 +0000", "2024-11-09T07:00:00.000Z"],
      ["Date: Sat, 9 Nov 2024 07:00:00.123 +0000", "2024-11-09T07:00:00.123Z"],
      ["Date: Sat, 9 Nov 2024 07:00:00 GMT-0500", "2024-11-09T12:00:00.000Z"],
      ["Date: Sat, 9 Nov 2024 07:00:00 +0000 GMT", "2024-11-09T07:00:00.000Z"],
      ["Date: Sat, 9 Nov 2024 07:00:00 +03:30", "2024-11-09T03:30:00.000Z"],
      ["Date: Sat Nov 09 2024 07:00:00 GMT+0000 (Coordinated Universal Time)", "2024-11-09T07:00:00.000Z"],
      ["Date: Sat Nov  9 07:00:00 2024 +0100", "2024-11-09T06:00:00.000Z"],
      ["Date: 2024-11-09 07:00:00 +0000", "2024-11-09T07:00:00.000Z"],
      ["Date: Sat, 9 Nov 2024 07:00:00 +0000 (GMT Standard Time (UK))", "2024-11-09T07:00:00.000Z"],
    ];
    for (const [line, date] of read) {
      const r = await triage(message(line));
      expect([line, r.date, dateReasons(r)]).toEqual([line, date, []]);
    }
    for (const line of [
      "Date: Sat, 9 Nov 2024 07:00:00",
      "Date: Sat, 31 Feb 2024 07:00:00 +0000",
      "Date: Sat, 9 Nov 2024 07:00:00 +9999",
      "Date: Sat, 9 Nov 2024 24:00:00 +0000",
      "Date: Sat, 9 Nov 2024 07:00:00 J",
      "Date: 2024-02-30T07:00:00Z",
      "Date: 2024-11-09T07:00:00",
      "Date: Sat, 9 Nov 2024",
      "Date: Sat, 9 Nov 2024 07:00:00 +0000 +0100",
    ]) {
      const r = await triage(message(line));
      expect([line, r.date, dateReasons(r).map((x) => x.code)]).toEqual([
        line,
        undefined,
        ["header.date-unreadable"],
      ]);
    }
  });

  it("gives a message without a Date header no date and no reason", async () => {
    const r = await triage(message(null));
    expect(r.date).toBeUndefined();
    expect(dateReasons(r)).toEqual([]);
  });

  it("does not change the verdict: the reason is informational", async () => {
    const plain = await triage(message("Date: Tue, 3 Nov 2026 08:13:59 +0000"));
    const broken = await triage(message("Date: 2024-13-45 99:99"));
    expect(broken.verdict).toBe(plain.verdict);
    expect(broken.score).toBe(plain.score);
  });
});
