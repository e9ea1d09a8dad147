/**
 * What the exports must never share: the addresses and domains of the people a hostile message forges, which are
 * its victims (regression: QA c/05, a forged newsroom whose bounce address is in its domain too, and c/35, extortion
 * "from" the reader's own address).
 */
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../test/helpers/cli.js";
import { tempDir } from "../../../test/helpers/tmp.js";

type Obj = Record<string, unknown>;

/** A newsroom's From forged (SPF and DMARC fail at Gmail), bounces in its domain, replies to the operation. */
const SPOOFED_NEWSROOM = [
  "Return-Path: <bounce@bbc.co.uk>",
  "Received: from smtp.bbc-persian.net (smtp.bbc-persian.net [5.188.206.14])",
  "        by mx.google.com with ESMTPS id o14si123456ejg; Tue, 12 Mar 2024 03:14:15 -0700 (PDT)",
  "Authentication-Results: mx.google.com; dkim=fail header.i=@bbc.co.uk; spf=fail smtp.mailfrom=bounce@bbc.co.uk;",
  "       dmarc=fail (p=REJECT sp=REJECT dis=NONE) header.from=bbc.co.uk",
  "From: Farnaz Ghazizadeh <farnaz.ghazizadeh@bbc.co.uk>",
  "Reply-To: farnaz.ghazizadeh.bbc@gmail.com",
  "To: narges.m@civicrights.org",
  "Subject: Interview request",
  "Date: Tue, 12 Mar 2024 12:00:00 +0000",
  "Message-ID: <x5@bbc-persian.net>",
  "Content-Type: text/plain; charset=utf-8",
  "",
  "We would like to interview you. Please sign in to confirm: https://bbc-persian-interview.net/login?id=7",
  "",
].join("\r\n");

/** Extortion "from" the reader's own address: SPF soft-fails, no DMARC policy, a Bitcoin wallet named. */
const SELF_SPOOFED = [
  "Return-Path: <reza@civicrights.org>",
  "Received: from [102.89.34.7] (unknown [102.89.34.7])",
  "        by mx.civicrights.org (Postfix) with ESMTP id 4Tv1Kx2Zz9z9sW",
  "        for <reza@civicrights.org>; Tue, 12 Mar 2024 10:00:00 +0000",
  "Authentication-Results: mx.civicrights.org; spf=softfail smtp.mailfrom=civicrights.org; dkim=none;",
  "       dmarc=none (p=none dis=none) header.from=civicrights.org",
  "From: reza@civicrights.org",
  "To: reza@civicrights.org",
  "Subject: reza@civicrights.org is hacked",
  "Date: Tue, 12 Mar 2024 10:00:00 +0000",
  "Message-ID: <ABC123@civicrights.org>",
  "Content-Type: text/plain; charset=utf-8",
  "",
  "I have access to your device and recorded you through your webcam. Send 1500 USD in Bitcoin to",
  "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh within 48 hours or I will send the video to all your contacts.",
  "",
].join("\r\n");

describe("exports of forged mail", () => {
  it("share neither a forged From's domain as bounce domain nor the reader's own address", async () => {
    const tmp = tempDir();
    try {
      writeFileSync(tmp.path("newsroom.eml"), SPOOFED_NEWSROOM);
      writeFileSync(tmp.path("self.eml"), SELF_SPOOFED);
      const triage = await runCli(["email", "--json", tmp.path("self.eml")]);
      const [self] = (JSON.parse(triage.out) as { messages: Array<{ reasons: Obj[] }> }).messages;
      expect(self!.reasons.map((r) => r["code"])).toContain("sender.self-addressed");

      const a = await runCli([
        "analyze",
        tmp.path("newsroom.eml"),
        tmp.path("self.eml"),
        "-o",
        tmp.path("out"),
      ]);
      expect(a.code, a.err).toBe(0);
      const exported = async (format: string): Promise<Obj> => {
        const out = tmp.path(`${format}.json`);
        const r = await runCli([
          "export",
          "--case",
          tmp.path("out/case.duckdb"),
          "--format",
          format,
          "-o",
          out,
        ]);
        expect(r.code, r.err).toBe(0);
        return JSON.parse((await import("node:fs")).readFileSync(out, "utf8")) as Obj;
      };
      const stix = await exported("stix");
      const patterns = (stix["objects"] as Obj[])
        .filter((o) => o["type"] === "indicator")
        .map((o) => String(o["pattern"]));
      // the operation's own are shared
      expect(patterns).toContain("[email-addr:value = 'farnaz.ghazizadeh.bbc@gmail.com']");
      expect(patterns).toContain("[domain-name:value = 'bbc-persian-interview.net']");
      expect(patterns).toContain("[ipv4-addr:value = '102.89.34.7']");
      // the victims' are not
      for (const victim of [
        "[domain-name:value = 'bbc.co.uk']",
        "[email-addr:value = 'farnaz.ghazizadeh@bbc.co.uk']",
        "[email-addr:value = 'reza@civicrights.org']",
        "[domain-name:value = 'civicrights.org']",
      ])
        expect(patterns).not.toContain(victim);

      const misp = await exported("misp");
      const event = misp["Event"] as Obj;
      const forIds = (event["Attribute"] as Obj[])
        .concat((event["Object"] as Obj[]).flatMap((o) => o["Attribute"] as Obj[]))
        .filter((x) => x["to_ids"] === true)
        .map((x) => String(x["value"]));
      expect(forIds).not.toContain("bbc.co.uk");
      expect(forIds).not.toContain("reza@civicrights.org");
      expect(forIds).not.toContain("civicrights.org");
      // the wallet the extortion asks to be paid, in MISP alone (STIX has no observable for one)
      const wallet = (event["Attribute"] as Obj[]).find((x) => x["type"] === "btc");
      expect(wallet).toMatchObject({
        value: "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
        category: "Financial fraud",
        to_ids: true,
      });
      expect(patterns.some((p) => p.includes("bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"))).toBe(false);
    } finally {
      tmp.cleanup();
    }
  }, 120_000);
});
