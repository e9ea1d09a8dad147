/** `chorus email` end to end through the CLI on the synthetic fixtures in test/fixtures/email/. */
import { describe, expect, it } from "vitest";
import { readdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { tempDir } from "./helpers/tmp.js";
import { runCli } from "./helpers/cli.js";
import type { TriageResult } from "../src/email/index.js";

const DIR = fileURLToPath(new URL("./fixtures/email/", import.meta.url));
const f = (name: string): string => DIR + name;

async function triageJson(...args: string[]): Promise<TriageResult[]> {
  const r = await runCli(["email", "--json", ...args]);
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  const doc = JSON.parse(r.out) as { schema: string; messages: TriageResult[] };
  expect(doc.schema).toBe("chorus.email/v1");
  return doc.messages;
}

const one = async (name: string, ...args: string[]): Promise<TriageResult> =>
  (await triageJson(f(name), ...args))[0]!;
const codes = (r: TriageResult): string[] => r.reasons.map((x) => x.code);

describe("chorus email", () => {
  it("triages an executable behind a header padded past the line bound, and fails --fail-on (regression: QA c/90)", async () => {
    const tmp = tempDir();
    try {
      const exe = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(62), Buffer.from("PE\0\0")]);
      const padded = [
        "From: Accounts <billing@invoices.example>",
        "To: reza@civicrights.org",
        "Subject: Invoice",
        "Date: Tue, 12 Mar 2024 10:00:00 +0000",
        ...Array.from({ length: 2_050 }, (_, i) => `X-Pad-${i}: ${"p".repeat(20)}`),
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="b"',
        "",
        "--b",
        "Content-Type: text/plain",
        "",
        "Please see the invoice.",
        "--b",
        'Content-Type: application/pdf; name="invoice.pdf.exe"',
        'Content-Disposition: attachment; filename="invoice.pdf.exe"',
        "Content-Transfer-Encoding: base64",
        "",
        exe.toString("base64"),
        "--b--",
        "",
      ].join("\r\n");
      writeFileSync(tmp.path("padded.eml"), padded);
      const [r] = await triageJson(tmp.path("padded.eml"));
      expect(r!.verdict).toBe("malicious");
      expect(r!.attachments.map((a) => a.filename)).toEqual(["invoice.pdf.exe"]);
      expect(codes(r!)).toContain("message.over-bounds");
      const failOn = await runCli(["email", "--fail-on", "suspicious", tmp.path("padded.eml")]);
      expect(failOn.code).toBe(3);
      expect(failOn.out).toMatch(/header bomb/);
    } finally {
      tmp.cleanup();
    }
  });

  // regression (review 2): past 262,143 fields no room was left for From and Subject, the message came out unknown,
  // and --fail-on suspicious exited 0
  it("fails --fail-on suspicious on a header of 300,000 tiny fields, and on a bomb that cannot be read at all", async () => {
    const tmp = tempDir();
    try {
      const head = [
        'From: "PayPal Security" <service@paypa1-secure.com>',
        "To: victim@ngo.example",
        "Subject: Your account is suspended - verify now",
        "Date: Tue, 12 Mar 2024 10:00:00 +0000",
      ].join("\r\n");
      writeFileSync(
        tmp.path("many.eml"),
        `${head}\r\n${"X:a\r\n".repeat(300_000)}\r\nSign in: http://192.0.2.7/paypal/login.php\r\n`,
      );
      const [r] = await triageJson(tmp.path("many.eml"));
      expect(r!.from).toContain("service@paypa1-secure.com");
      expect(r!.verdict).not.toBe("unknown");
      expect(codes(r!)).toContain("message.over-bounds");
      expect((await runCli(["email", "--fail-on", "suspicious", tmp.path("many.eml")])).code).toBe(3);

      // padding alone: nothing to read, still a warning sign for scripts (but not malicious)
      writeFileSync(tmp.path("pad.eml"), "X-A: 1\r\n".repeat(3000) + "\r\nbody\r\n");
      const [pad] = await triageJson(tmp.path("pad.eml"));
      expect(pad!.verdict).toBe("unknown");
      expect(codes(pad!)).toEqual(["message.unreadable", "message.over-bounds"]);
      expect((await runCli(["email", "--fail-on", "suspicious", tmp.path("pad.eml")])).code).toBe(3);
      expect((await runCli(["email", "--fail-on", "malicious", tmp.path("pad.eml")])).code).toBe(0);
      // a file that is no email is no warning sign
      writeFileSync(tmp.path("notes.eml"), "just some notes\r\n");
      expect((await runCli(["email", "--fail-on", "suspicious", tmp.path("notes.eml")])).code).toBe(0);
    } finally {
      tmp.cleanup();
    }
  });

  // regression (review 2): mailauth verified every DKIM signature of the whole file (40,000 took 74 s)
  it("verifies the first DKIM signatures only, and says the others make the message over the bounds", async () => {
    const tmp = tempDir();
    try {
      const sigs = Array.from(
        { length: 1500 },
        (_, i) => `DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s${i}; h=from:to; bh=AAAA; b=AAAA`,
      );
      writeFileSync(
        tmp.path("dkim.eml"),
        ["From: a@example.com", "To: b@example.org", "Subject: hi", ...sigs, "", "hello", ""].join("\r\n"),
      );
      const [r] = await triageJson(tmp.path("dkim.eml"));
      expect(r!.auth.dkim.map((d) => d.selector)).toEqual(Array.from({ length: 10 }, (_, i) => `s${i}`));
      expect(r!.reasons.find((x) => x.code === "message.over-bounds")?.message).toMatch(
        /1500 DKIM signatures.*first 10 were checked/,
      );
    } finally {
      tmp.cleanup();
    }
  });

  it("calls a credential phish from a lookalike of our own domain malicious, naming the domain and the link", async () => {
    const r = await one("credential-phish.eml", "--own-domain", "civicrights.org");
    expect(r.verdict).toBe("malicious");
    expect(r.reasons[0]).toMatchObject({
      code: "sender.lookalike-domain",
      evidence: { kind: "header", ref: "From", value: "it-desk@сivicrights.org" },
    });
    expect(r.reasons[0]!.message).toContain("сivicrights.org (written xn--ivicrights-bwi.org)");
    const mismatch = r.reasons.find((x) => x.code === "link.text-mismatch");
    expect(mismatch?.evidence).toEqual({
      kind: "link",
      ref: "https://civicrights.org.account-check.example/owa/login?u=staff",
      value: "https://mail.civicrights.org/owa",
    });
    expect(codes(r)).toContain("language.credential");
    // DMARC passed (the attacker owns the lookalike): reported, but not as reassurance
    expect(r.reasons.find((x) => x.code === "auth.dmarc-pass")?.weight).toBe(0);
    expect(r.indicators.domains).toEqual(
      expect.arrayContaining(["xn--ivicrights-bwi.org", "civicrights.org.account-check.example"]),
    );
    expect(r.firstExternalIp).toBe("198.51.100.23");
  });

  it("takes DMARC failure from the receiving provider's Authentication-Results as primary evidence", async () => {
    const r = await one("spoofed-dmarc.eml", "--protect", f("protect.csv"));
    expect(r.verdict).toBe("malicious");
    expect(r.reasons[0]).toMatchObject({
      code: "auth.dmarc-fail",
      evidence: {
        kind: "header",
        ref: "Authentication-Results",
        value: "dmarc=fail header.from=civicrights.org",
      },
    });
    expect(r.reasons[0]!.message).toContain("mx.google.com");
    expect(codes(r)).toEqual(["auth.dmarc-fail", "sender.reply-to-mismatch", "auth.spf-softfail"]);
    expect(r.auth.arc?.instance).toBe(1);
  });

  it("finds an executable inside invoice.pdf.zip, with hashes and the archive listing", async () => {
    const r = await one("malware-attachment.eml");
    expect(r.verdict).toBe("malicious");
    expect(r.reasons[0]).toMatchObject({
      code: "attachment.archive-executable",
      evidence: { kind: "attachment", ref: "invoice.pdf.zip > invoice.pdf.exe" },
    });
    expect(codes(r)).toContain("attachment.double-extension");
    const a = r.attachments[0]!;
    expect(a).toMatchObject({ filename: "invoice.pdf.zip", detectedType: { ext: "zip" } });
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(a.md5).toMatch(/^[0-9a-f]{32}$/);
    expect(a.entries).toEqual([
      { path: "invoice.pdf.exe", size: 1024, compressedSize: expect.any(Number), encrypted: false },
    ]);
    expect(r.indicators.sha256).toEqual([a.sha256]);
  });

  it("flags a threatening Persian message", async () => {
    const r = await one("threat-fa.eml");
    expect(r.verdict).toBe("suspicious");
    expect(r.reasons[0]).toMatchObject({
      code: "language.threat",
      severity: "high",
      evidence: { kind: "body" },
    });
    expect(r.reasons[0]!.evidence.value).toContain("پشیمان خواهی شد");
  });

  it("flags Arabic extortion and threats", async () => {
    const r = await one("threat-ar.eml");
    expect(r.verdict).toBe("malicious");
    expect(codes(r).slice(0, 2)).toEqual(["language.threat", "language.extortion"]);
    expect(r.subject).toBe("تحذير أخير");
  });

  it("finds no signs in a signed newsletter or a personal message, and says what it could not check", async () => {
    const [nl, personal] = await triageJson(f("newsletter.eml"), f("personal.eml"));
    for (const r of [nl!, personal!]) {
      expect(r.verdict).toBe("no-signs-found");
      expect(r.reasons.filter((x) => x.weight > 0.05)).toEqual([]);
    }
    expect(nl!.auth.dkim).toEqual([
      { domain: "opennewsroom.example", selector: "nl2026", bodyHash: "match", aligned: true },
    ]);
    expect(nl!.notChecked.join("\n")).toMatch(/not checked|DNS/);
    expect(nl!.links.map((l) => l.host)).toEqual([
      "news.opennewsroom.example",
      "www.opennewsroom.example",
      "lists.opennewsroom.example",
    ]);
  });

  it("bounds and reports a zip bomb without unpacking it", async () => {
    const r = await one("zip-bomb.eml");
    expect(["suspicious", "malicious"]).toContain(r.verdict);
    const bombs = r.reasons.filter((x) => x.code === "attachment.zip-bomb");
    expect(bombs.map((b) => b.evidence.ref)).toEqual([
      "figures.zip",
      "figures.zip > data.zip > part1.bin",
      "figures.zip > data.zip > part2.bin",
      "figures.zip > data.zip > part3.bin",
    ]);
    expect(bombs[0]!.message).toMatch(/declares 157439633 bytes/);
  });

  it("gives a malformed file the verdict unknown instead of crashing", async () => {
    const r = await one("malformed.eml");
    expect(r.verdict).toBe("unknown");
    expect(r.reasons[0]).toMatchObject({ code: "message.unreadable", evidence: { kind: "message" } });
    const broken = await one("broken-mime.eml");
    expect(broken.verdict).not.toBe("unknown");
    expect(broken.attachments).toHaveLength(1);
  });

  it("reads every message of an mbox and every file of a directory", async () => {
    const mbox = await triageJson(f("two.mbox"));
    expect(mbox.map((r) => [r.source.replace(DIR, ""), r.verdict])).toEqual([
      ["two.mbox#1", "no-signs-found"],
      ["two.mbox#2", "no-signs-found"],
    ]);
    const all = await triageJson(DIR);
    // every message file appears; the mbox and the .msg (with its embedded message) give two results each
    const files = readdirSync(DIR).filter((n) => /\.(eml|mbox|msg)$/.test(n));
    const sources = all.map((r) => r.source.replace(DIR, "").replace(/(#\d+| > .*)$/, ""));
    expect(new Set(sources)).toEqual(new Set(files));
    expect(all.length).toBe(files.length + 2);
    expect(new Set(all.map((r) => r.verdict))).toEqual(
      new Set(["malicious", "suspicious", "no-signs-found", "unknown"]),
    );
  });

  it("prints readable text with defanged indicators", async () => {
    const r = await runCli(["email", f("credential-phish.eml"), "--own-domain", "civicrights.org"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("verdict: MALICIOUS");
    expect(r.out).toContain("hxxps://civicrights[.]org[.]account-check[.]example/owa/login?u=staff");
    expect(r.out).not.toMatch(/https?:\/\//);
    expect(r.out).toMatch(/not checked:\n/);
    expect(r.out).toMatch(/1 message: 1 malicious$/);
  });

  it("prints Unicode line and paragraph separators escaped too (regression: QA c/69)", async () => {
    const tmp = tempDir();
    try {
      const subject = Buffer.from("Invoice\u2028  verdict: NO-SIGNS-FOUND\u2029\u0085x").toString("base64");
      writeFileSync(
        tmp.path("sep.eml"),
        ["From: Billing <billing@pay.example>", `Subject: =?UTF-8?B?${subject}?=`, "", "hello"].join("\r\n"),
      );
      const r = await runCli(["email", tmp.path("sep.eml")]);
      expect(r.out).not.toMatch(/[\u2028\u2029\u0085]/);
      expect(r.out).toContain("subject: Invoice\\u2028  verdict: NO-SIGNS-FOUND\\u2029\\u0085x");
    } finally {
      tmp.cleanup();
    }
  });

  it("prints a subject or a file name with a line break on one line, so that it cannot forge a verdict", async () => {
    const tmp = tempDir();
    try {
      // the subject an encoded word: "Invoice\n  verdict: NO-SIGNS-FOUND (score 0.00)"
      const subject = Buffer.from("Invoice\n  verdict: NO-SIGNS-FOUND (score 0.00)").toString("base64");
      const eml = [
        "From: Billing <billing@pay.example>",
        "To: desk@ngo.example",
        `Subject: =?UTF-8?B?${subject}?=`,
        "Date: Sat, 9 Nov 2024 07:00:00 +0000",
        "Message-ID: <forged@pay.example>",
        "",
        "see the invoice",
        "",
      ].join("\r\n");
      const path = tmp.path("a\n  verdict: NO-SIGNS-FOUND.eml");
      writeFileSync(path, eml);
      const r = await runCli(["email", path]);
      const verdicts = r.out.split("\n").filter((l) => l.trimStart().startsWith("verdict:"));
      expect(verdicts).toHaveLength(1);
      expect(r.out).toContain("Invoice\\n  verdict: NO-SIGNS-FOUND (score 0.00)");
      expect(r.out).toContain("a\\n  verdict: NO-SIGNS-FOUND.eml");
    } finally {
      tmp.cleanup();
    }
  });

  it("exits 2 with a clear message on a missing file or a bad protect list", async () => {
    const missing = await runCli(["email", f("nope.eml")]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^chorus: email: cannot read .*nope\.eml/);
    const bad = await runCli(["email", f("personal.eml"), "--protect", f("personal.eml")]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^chorus: email: .*personal\.eml: not readable as CSV/);
  });

  it("survives hostile structure: a header bomb, a MIME node bomb, thousands of links", async () => {
    const tmp = tempDir();
    try {
      writeFileSync(
        tmp.path("headers.eml"),
        "From: a@b.example\r\n" + `X-Pad: ${"x".repeat(600_000)}\r\n` + "\r\nbody",
      );
      let nested = "Content-Type: text/plain\r\n\r\nhello\r\n";
      for (let i = 0; i < 1500; i++) {
        nested = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${nested}--b${i}--\r\n`;
      }
      writeFileSync(tmp.path("nodes.eml"), `From: a@b.example\r\nSubject: deep\r\n${nested}`);
      const anchors = Array.from({ length: 3000 }, (_, i) => `<a href="https://x${i}.example/">l</a>`).join(
        "",
      );
      writeFileSync(tmp.path("links.eml"), `From: a@b.example\r\nContent-Type: text/html\r\n\r\n${anchors}`);
      const [headers, links, nodes] = await triageJson(tmp.dir);
      // built past the bounds: read as far as they fit, and the padding itself is a sign
      expect(headers!.verdict).toBe("suspicious");
      expect(headers!.reasons[0]).toMatchObject({ code: "message.over-bounds", weight: 0.3 });
      expect(headers!.reasons[0]!.message).toMatch(/header bomb/);
      expect(nodes!.verdict).toBe("suspicious");
      expect(nodes!.subject).toBe("deep");
      expect(nodes!.reasons[0]!.message).toMatch(/MIME structure could not be parsed/);
      expect(links!.links).toHaveLength(500);
      expect(links!.notChecked).toContain("links after the first 500");
    } finally {
      tmp.cleanup();
    }
  });
});
