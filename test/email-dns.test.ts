/**
 * Opt-in DNS: authentication re-checked with answers replayed from a cache file (never the network in tests),
 * and the cache recording definite answers only.
 */
import { describe, expect, it } from "vitest";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tempDir } from "./helpers/tmp.js";
import { runCli } from "./helpers/cli.js";
import { cachedResolver, loadDnsCache, saveDnsCache, type TriageResult } from "../src/email/index.js";

const require = createRequire(import.meta.url);
const { dkimSign } = require("mailauth/lib/dkim/sign.js") as {
  dkimSign: (
    msg: Buffer,
    o: {
      canonicalization: string;
      signTime: Date;
      signatureData: Array<{ signingDomain: string; selector: string; privateKey: string }>;
    },
  ) => Promise<{ signatures: string }>;
};

const CRLF = "\r\n";

/** A message from the fund's domain, received from 203.0.113.66, signed with a key made here. */
async function signedMessage(): Promise<{ signed: string; publicKey: string }> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const body = [
    "Received: from relay.grants-fund.example (relay.grants-fund.example [203.0.113.66])",
    "\tby mx.desk.example (Postfix) with ESMTP id 1; Mon, 23 Nov 2026 10:00:00 +0000",
    "Return-Path: <notify@grants-fund.example>",
    "From: Grants Fund <notify@grants-fund.example>",
    "To: desk@desk.example",
    "Subject: Your application",
    "Date: Mon, 23 Nov 2026 09:59:58 +0000",
    "Message-ID: <app-1123@grants-fund.example>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=us-ascii",
    "",
    "Your application was received.",
    "",
  ].join(CRLF);
  const sig = await dkimSign(Buffer.from(body), {
    canonicalization: "relaxed/relaxed",
    signTime: new Date("2026-11-23T09:59:59Z"),
    signatureData: [
      {
        signingDomain: "grants-fund.example",
        selector: "k1",
        privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      },
    ],
  });
  const spki = publicKey.export({ type: "spki", format: "der" }).toString("base64");
  return { signed: sig.signatures + body, publicKey: spki };
}

const cacheDoc = (publicKey: string): string =>
  JSON.stringify({
    schema: "chorus.dns-cache/v1",
    answers: {
      "TXT k1._domainkey.grants-fund.example": { answer: [[`v=DKIM1; k=rsa; p=${publicKey}`]] },
      // SPF lists another network than the relay the message came from
      "TXT grants-fund.example": { answer: [["v=spf1 ip4:198.51.100.0/24 -all"]] },
      "TXT _dmarc.grants-fund.example": { answer: [["v=DMARC1; p=reject"]] },
    },
  });

const codes = (r: TriageResult): string[] => r.reasons.map((x) => x.code);

describe("chorus email --dns-cache (replay)", () => {
  it("verifies the DKIM signature with the replayed key, and DMARC passes on it despite SPF", async () => {
    const tmp = tempDir();
    try {
      const { signed, publicKey } = await signedMessage();
      writeFileSync(tmp.path("ok.eml"), signed);
      // the same message with its signed Subject changed after signing (the body still matches its hash)
      writeFileSync(
        tmp.path("tampered.eml"),
        signed.replace("Subject: Your application", "Subject: Your application was REJECTED, pay the fee"),
      );
      writeFileSync(tmp.path("dns.json"), cacheDoc(publicKey));
      const r = await runCli([
        "email",
        "--json",
        tmp.path("ok.eml"),
        tmp.path("tampered.eml"),
        "--dns-cache",
        tmp.path("dns.json"),
      ]);
      expect(r.code).toBe(0);
      const [ok, tampered] = (JSON.parse(r.out) as { messages: TriageResult[] }).messages;
      expect(codes(ok!)).toEqual(
        expect.arrayContaining(["auth.dns-dkim-pass", "auth.dns-dmarc-pass", "auth.dns-spf-fail"]),
      );
      expect(ok!.reasons.find((x) => x.code === "auth.dns-spf-fail")!.message).toContain("203.0.113.66");
      // what DNS answered is no longer listed as not checked
      expect(ok!.notChecked.join("\n")).not.toMatch(/its public key is in DNS/);

      expect(codes(tampered!)).toEqual(expect.arrayContaining(["auth.dns-dkim-fail", "auth.dns-dmarc-fail"]));
      const dmarc = tampered!.reasons.find((x) => x.code === "auth.dns-dmarc-fail")!;
      expect(dmarc).toMatchObject({ severity: "medium", weight: 0.4 });
      expect(dmarc.message).toContain("its policy: reject");
      expect(tampered!.verdict).not.toBe("no-signs-found");
    } finally {
      tmp.cleanup();
    }
  });

  it("lists lookups missing from the cache as not checked, and rejects a malformed cache", async () => {
    const tmp = tempDir();
    try {
      const { signed } = await signedMessage();
      writeFileSync(tmp.path("m.eml"), signed);
      writeFileSync(tmp.path("empty.json"), JSON.stringify({ schema: "chorus.dns-cache/v1", answers: {} }));
      const r = await runCli(["email", "--json", tmp.path("m.eml"), "--dns-cache", tmp.path("empty.json")]);
      expect(r.code).toBe(0);
      expect(r.err).toMatch(/DNS lookups were not in .*empty\.json/);
      const [m] = (JSON.parse(r.out) as { messages: TriageResult[] }).messages;
      expect(m!.notChecked.join("\n")).toMatch(
        /DKIM signature of grants-fund\.example with DNS: (neutral|temperror)/,
      );
      writeFileSync(tmp.path("bad.json"), '{"schema": "chorus.dns-cache/v1", "answers": {"nonsense": 1}}');
      const bad = await runCli(["email", tmp.path("m.eml"), "--dns-cache", tmp.path("bad.json")]);
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(/bad\.json has a malformed entry "nonsense"/);
      const missing = await runCli(["email", tmp.path("m.eml"), "--dns-cache", tmp.path("none.json")]);
      expect(missing.code).toBe(2);
      expect(missing.err).toMatch(/cannot read the DNS cache .*none\.json/);
    } finally {
      tmp.cleanup();
    }
  });
});

describe("cachedResolver (recording)", () => {
  it("records answers and definite failures, not timeouts, and replays them in sorted order", async () => {
    const tmp = tempDir();
    try {
      const cache = loadDnsCache(tmp.path("c.json"), true);
      const asked: string[] = [];
      const network = async (name: string, type: string): Promise<unknown> => {
        asked.push(`${type} ${name}`);
        if (name.startsWith("gone")) throw Object.assign(new Error("x"), { code: "ENOTFOUND" });
        if (name.startsWith("slow")) throw Object.assign(new Error("x"), { code: "ETIMEOUT" });
        return [["v=spf1 -all"]];
      };
      const record = cachedResolver(cache, network);
      await expect(record("Zeta.Example.", "txt")).resolves.toEqual([["v=spf1 -all"]]);
      await expect(record("gone.example", "A")).rejects.toMatchObject({ code: "ENOTFOUND" });
      await expect(record("slow.example", "A")).rejects.toMatchObject({ code: "ETIMEOUT" });
      await record("zeta.example", "TXT"); // answered from the cache
      expect(asked).toEqual(["txt Zeta.Example.", "A gone.example", "A slow.example"]);
      saveDnsCache(tmp.path("c.json"), cache);
      const saved = JSON.parse(readFileSync(tmp.path("c.json"), "utf8")) as {
        answers: Record<string, unknown>;
      };
      expect(Object.keys(saved.answers)).toEqual(["A gone.example", "TXT zeta.example"]);
      const replay = cachedResolver(loadDnsCache(tmp.path("c.json"), false));
      await expect(replay("zeta.example", "TXT")).resolves.toEqual([["v=spf1 -all"]]);
      await expect(replay("gone.example", "A")).rejects.toMatchObject({ code: "ENOTFOUND" });
      await expect(replay("slow.example", "A")).rejects.toMatchObject({ code: "ECACHEMISS" });
    } finally {
      tmp.cleanup();
    }
  });
});
