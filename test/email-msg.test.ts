/** `chorus email` on Outlook .msg files (built by the fixture generator with cfb) and `--fail-on` for scripts. */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runCli } from "./helpers/cli.js";
import { triageFile, type TriageResult } from "../src/email/index.js";
import { compoundFileProblem } from "../src/email/cfb-check.js";

const DIR = fileURLToPath(new URL("./fixtures/email/", import.meta.url));
const f = (name: string): string => DIR + name;

describe("chorus email on .msg", () => {
  it("triages a forwarded report and the phish embedded in it, from transport headers and properties", async () => {
    const r = await runCli(["email", "--json", f("outlook-report.msg"), "--own-domain", "civicrights.org"]);
    expect(r.code).toBe(0);
    const [outer, inner] = (JSON.parse(r.out) as { messages: TriageResult[] }).messages;
    expect(outer).toMatchObject({
      source: f("outlook-report.msg"),
      subject: "FW: Salary adjustment November",
      from: '"Nima Farahani" <nima@civicrights.org>',
      date: "2026-11-16T08:30:00.000Z",
      verdict: "no-signs-found",
    });
    expect(outer!.reasons.find((x) => x.code === "message.embedded")?.message).toContain(
      "(verdict: malicious)",
    );
    expect(outer!.notChecked.join("\n")).toMatch(/no transport headers/);

    expect(inner!.source).toBe(`${f("outlook-report.msg")} > Salary adjustment November.msg`);
    expect(inner!.verdict).toBe("malicious");
    const codes = inner!.reasons.map((x) => x.code);
    // from the transport headers: the receiver's DMARC result and the Reply-To
    expect(codes).toEqual(expect.arrayContaining(["auth.dmarc-fail", "sender.reply-to-mismatch"]));
    // from the HTML body property
    expect(inner!.reasons.find((x) => x.code === "link.text-mismatch")?.evidence.ref).toBe(
      "https://civicrights-payroll.example/owa/login",
    );
    // from the attachment's bytes
    const att = inner!.attachments[0]!;
    expect(att).toMatchObject({ filename: "adjustment.pdf.scr", size: 1024, detectedType: { ext: "exe" } });
    expect(codes).toContain("attachment.executable");
    expect(inner!.firstExternalIp).toBe("203.0.113.9");
    // the rebuilt body is not the signed one: DKIM body hashes are not recomputed
    expect(inner!.auth.dkim).toEqual([]);
  });

  it("gives the same results through triageFile as through the command", async () => {
    const bytes = readFileSync(f("outlook-report.msg"));
    const results = await triageFile(bytes, "report.msg", { ownDomains: ["civicrights.org"] });
    expect(results.map((r) => [r.source, r.verdict])).toEqual([
      ["report.msg", "no-signs-found"],
      ["report.msg > Salary adjustment November.msg", "malicious"],
    ]);
    const mbox = await triageFile(readFileSync(f("two.mbox")), "two.mbox");
    expect(mbox.map((r) => r.source)).toEqual(["two.mbox#1", "two.mbox#2"]);
  });

  it("calls a truncated .msg unknown, in words that say so, instead of crashing", async () => {
    const bytes = readFileSync(f("outlook-report.msg"));
    for (const length of [512, 1000, 1500, 3000, 8000, 12000]) {
      const [r] = await triageFile(bytes.subarray(0, length), "cut.msg");
      expect(r!.verdict, `cut at ${length}`).toBe("unknown");
      const said = r!.reasons[0]!.message;
      expect(said, `cut at ${length}`).toMatch(/^The message could not be read: the \.msg /);
      // not the reader's own fault as the reason, and a file cut short is not called a warning sign
      expect(said, `cut at ${length}`).not.toMatch(
        /Cannot read properties|typed array|DataView|warning sign/,
      );
    }
  });

  it("calls a .msg whose sector chains loop unknown at once, alone or attached, instead of following them forever", async () => {
    const bytes = Buffer.from(readFileSync(f("outlook-report.msg")));
    expect(compoundFileProblem(bytes)).toBeNull();
    // every entry of the first allocation sector pointing to itself, as a damaged or hostile file may
    const size = 1 << bytes.readUInt16LE(0x1e);
    const fat0 = bytes.readUInt32LE(0x4c);
    for (let i = 0; i < size / 4; i++) bytes.writeUInt32LE(i, (fat0 + 1) * size + 4 * i);
    expect(compoundFileProblem(bytes)).toMatch(/allocation table loops/);
    const [r] = await triageFile(bytes, "loop.msg");
    expect(r!.verdict).toBe("unknown");
    expect(r!.reasons[0]!.message).toMatch(
      /the \.msg is corrupt: the compound file's allocation table loops/,
    );
    // a chain that runs past the file
    const past = Buffer.from(readFileSync(f("outlook-report.msg")));
    past.writeUInt32LE(0x00fffff0, (fat0 + 1) * size);
    expect(compoundFileProblem(past)).toMatch(/points past the file/);
  });

  it("reads a .msg whose attachment name property holds bytes instead of text, naming the attachment otherwise", async () => {
    const bytes = Buffer.from(readFileSync(f("outlook-report.msg")));
    // the property entry of the attachment's long file name (0x3707, type 0x001F: text) turned to type 0x003F
    const tag = Buffer.from([0x1f, 0x00, 0x07, 0x37]);
    const at = bytes.indexOf(tag);
    expect(at).toBeGreaterThan(0);
    expect(bytes.indexOf(tag, at + 1)).toBe(-1);
    bytes[at] = 0x3f;
    const results = await triageFile(bytes, "tampered.msg");
    expect(results.map((r) => r.verdict)).not.toContain("unknown");
    const inner = results[1]!;
    expect(inner.attachments).toHaveLength(1);
    expect(typeof inner.attachments[0]!.filename).toBe("string");
  });
});

describe("an .eml file attached to a .msg", () => {
  it("is triaged on its own after the .msg, and named in it", async () => {
    const { buildMsg } = await import("./fixtures/email/build-msg.js");
    const { messageWithAttachments } = await import("./helpers/mail.js");
    // the phish a colleague saved as a file and attached to a report written in Outlook
    const phish = messageWithAttachments(
      [{ name: "invoice.pdf.exe", data: Buffer.from("MZ not a program") }],
      {
        from: "Billing <billing@supplier-invoices.example>",
        subject: "overdue invoice",
      },
    );
    const msg = buildMsg({
      subject: "Fwd: is this real?",
      senderName: "Sara",
      senderEmail: "sara@ngo.example",
      body: "Please check the attached message.",
      attachments: [{ filename: "overdue invoice.eml", mime: "message/rfc822", data: Buffer.from(phish) }],
    });
    const results = await triageFile(msg, "report.msg");
    expect(results.map((r) => r.source)).toEqual(["report.msg", "report.msg > overdue invoice.eml"]);
    expect(results[1]!.verdict).toBe("malicious");
    expect(results[0]!.reasons.find((x) => x.code === "message.embedded")?.message).toContain(
      "triaged on its own as report.msg > overdue invoice.eml (verdict: malicious)",
    );
  });
});

describe("messages attached to an .eml", () => {
  it("triages a forwarded .eml and an attached .msg on their own, after the message carrying them", async () => {
    const phish = readFileSync(f("credential-phish.eml"));
    const msg = readFileSync(f("outlook-report.msg"));
    const carrier = [
      "From: Nima <nima@civicrights.org>",
      "To: helpline@civicrights.org",
      "Subject: two odd ones",
      "Date: Tue, 24 Nov 2026 09:00:00 +0000",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="fw"',
      "",
      "--fw",
      "Content-Type: text/plain",
      "",
      "Both attached.",
      "--fw",
      'Content-Type: message/rfc822; name="mailbox.eml"',
      'Content-Disposition: attachment; filename="mailbox.eml"',
      "",
      phish.toString("latin1").replace(/\r?\n$/, ""),
      "--fw",
      'Content-Type: application/vnd.ms-outlook; name="salary.msg"',
      'Content-Disposition: attachment; filename="salary.msg"',
      "Content-Transfer-Encoding: base64",
      "",
      msg.toString("base64").replace(/.{76}/g, "$&\r\n"),
      "--fw--",
      "",
    ].join("\r\n");
    const results = await triageFile(Buffer.from(carrier, "latin1"), "report.eml", {
      ownDomains: ["civicrights.org"],
      yara: false,
    });
    expect(results.map((r) => [r.source, r.verdict])).toEqual([
      ["report.eml", "no-signs-found"],
      ["report.eml > mailbox.eml", "malicious"],
      ["report.eml > salary.msg", "no-signs-found"],
      ["report.eml > salary.msg > Salary adjustment November.msg", "malicious"],
    ]);
    expect(results[0]!.reasons.filter((x) => x.code === "message.embedded").map((x) => x.message)).toEqual([
      "mailbox.eml is a message attached to this one; it is triaged on its own as report.eml > mailbox.eml (verdict: malicious).",
      "salary.msg is a message attached to this one; it is triaged on its own as report.eml > salary.msg (verdict: no-signs-found).",
    ]);
    expect(results[1]!.reasons[0]!.code).toBe("sender.lookalike-domain");
  });
});

describe("chorus email --fail-on", () => {
  it("exits 3 when a message reaches the verdict, 0 otherwise, and refuses other values", async () => {
    const phish = await runCli(["email", f("malware-attachment.eml"), "--fail-on", "malicious"]);
    expect(phish.code).toBe(3);
    expect(phish.out).toContain("verdict: MALICIOUS");
    const benign = await runCli(["email", f("personal.eml"), "--fail-on", "suspicious"]);
    expect(benign.code).toBe(0);
    const threat = await runCli(["email", "--json", f("threat-fa.eml"), "--fail-on", "suspicious"]);
    expect(threat.code).toBe(3);
    expect(JSON.parse(threat.out).messages[0].verdict).toBe("suspicious");
    const notMalicious = await runCli(["email", f("threat-fa.eml"), "--fail-on", "malicious"]);
    expect(notMalicious.code).toBe(0);
    const bad = await runCli(["email", f("personal.eml"), "--fail-on", "unknown"]);
    expect(bad.code).not.toBe(0);
    expect(bad.code).not.toBe(3);
  });
});
