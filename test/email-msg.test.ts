/** `chorus email` on Outlook .msg files (built by the fixture generator with cfb) and `--fail-on` for scripts. */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runCli } from "./helpers/cli.js";
import { triageFile, type TriageResult } from "../src/email/index.js";

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

  it("calls a truncated .msg unknown instead of crashing", async () => {
    const bytes = readFileSync(f("outlook-report.msg"));
    const [r] = await triageFile(bytes.subarray(0, 1500), "cut.msg");
    expect(r!.verdict).toBe("unknown");
    expect(r!.reasons[0]!.message).toMatch(/^The message could not be read: the \.msg could not be read/);
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
