import { describe, expect, it, vi } from "vitest";
import {
  checkAuth,
  firstExternalIp,
  isPrivateIp,
  parseAuthResults,
  receivedChain,
  vouchedDomains,
} from "./auth.js";
import { readFileSync } from "node:fs";
import { parseMessage, type HeaderLine } from "./parse.js";

const h = (key: string, value: string): HeaderLine => ({ key, value, line: `${key}: ${value}` });

describe("parseAuthResults", () => {
  it("reads methods, results, properties and comments", () => {
    const r = parseAuthResults(
      "mx.google.com; spf=softfail (google.com: domain of x does not designate 1.2.3.4) smtp.mailfrom=a@b.example; dmarc=fail (p=REJECT sp=REJECT dis=QUARANTINE) header.from=b.example",
    );
    expect(r.authservId).toBe("mx.google.com");
    expect(r.results.map((x) => `${x.method}=${x.result}`)).toEqual(["spf=softfail", "dmarc=fail"]);
    expect(r.results[1]!.props["header.from"]).toBe("b.example");
    expect(r.results[1]!.comment).toContain("p=REJECT");
  });

  it("reads Microsoft's form without an authserv-id", () => {
    const r = parseAuthResults(
      "spf=fail (sender IP is 203.0.113.5) smtp.mailfrom=bank.example; dkim=none (message not signed) header.d=none;dmarc=fail action=quarantine header.from=bank.example;compauth=fail reason=000",
    );
    expect(r.authservId).toBe("");
    expect(r.results.find((x) => x.method === "dmarc")?.props["action"]).toBe("quarantine");
    expect(r.results.find((x) => x.method === "compauth")?.result).toBe("fail");
  });
});

describe("vouchedDomains", () => {
  it("takes the domains the receiver passed for DMARC and DKIM, never SPF or a failure", () => {
    const receiver = parseAuthResults(
      "mx.example; dkim=pass header.i=@news.example header.s=s1; spf=pass smtp.mailfrom=bounce.example; " +
        "dmarc=pass header.from=News.Example; dkim=fail header.d=other.example",
    );
    expect([...vouchedDomains({ receiver, dkim: [] })].sort()).toEqual(["news.example"]);
    // offline DKIM body hashes alone vouch for nothing
    expect(
      vouchedDomains({ dkim: [{ domain: "news.example", selector: "s1", bodyHash: "match", aligned: true }] })
        .size,
    ).toBe(0);
  });
});

describe("Received chain", () => {
  it("finds hops and the first public IP from the bottom", () => {
    const chain = receivedChain([
      h(
        "received",
        "from mx1.org.example (mx1.org.example [10.0.0.4]) by mail.org.example; Tue, 3 Nov 2026 08:14:07 +0000",
      ),
      h(
        "received",
        "from sender.example (sender.example [198.51.100.23]) by mx1.org.example; Tue, 3 Nov 2026 08:14:05 +0000",
      ),
      h("received", "from laptop (unknown [192.168.1.9]) by sender.example; Tue, 3 Nov 2026 08:14:00 +0000"),
    ]);
    expect(chain.map((c) => c.ip)).toEqual(["10.0.0.4", "198.51.100.23", "192.168.1.9"]);
    expect(chain[0]!.by).toBe("mail.org.example");
    expect(firstExternalIp(chain)).toBe("198.51.100.23");
    expect(isPrivateIp("172.20.1.1")).toBe(true);
    expect(isPrivateIp("8.8.8.8")).toBe(false);
  });
});

describe("checkAuth", () => {
  it("vouches for nothing a sender could have written: unnamed headers below the top one, or a failing domain", async () => {
    // Microsoft's receivers name no authserv-id; a header the sender added without one must not join them
    const headers = [
      h("authentication-results", "dmarc=fail header.from=docs-notify.example"),
      h(
        "authentication-results",
        "dkim=pass header.d=docs-notify.example; dmarc=pass header.from=docs-notify.example",
      ),
    ];
    const r = await checkAuth(Buffer.from("From: no-reply@docs-notify.example\r\n\r\nx"), headers);
    expect(r.summary.receiver?.results.map((x) => `${x.method}=${x.result}`)).toEqual(["dmarc=fail"]);
    expect(vouchedDomains(r.summary).size).toBe(0);
    const mixed = parseAuthResults(
      "mx.example; dkim=pass header.d=a.example; dmarc=fail header.from=a.example",
    );
    expect(vouchedDomains({ receiver: mixed, dkim: [] }).size).toBe(0);
  });

  it("uses the topmost Authentication-Results, not ones the sender could have added below", async () => {
    const headers = [
      h(
        "received",
        "from smtp.bank-mail.example (smtp.bank-mail.example [192.0.2.7]) by mx.receiver.example; x",
      ),
      h("authentication-results", "mx.receiver.example; dmarc=fail header.from=bank.example"),
      h("authentication-results", "forged.example; dmarc=pass header.from=bank.example"),
    ];
    const r = await checkAuth(Buffer.from("From: a@bank.example\r\n\r\nx"), headers);
    expect(r.summary.receiver?.authservId).toBe("mx.receiver.example");
    expect(r.reasons.map((x) => x.code)).toEqual(["auth.dmarc-fail"]);
    expect(r.reasons[0]!.evidence).toMatchObject({ kind: "header", ref: "Authentication-Results" });
  });

  it("sets aside results in the name of a server that never received the message, and says they are forged", async () => {
    const raw = Buffer.from("From: drive-shares-dm-noreply@google.com\r\n\r\nx");
    // the receiver is mx.ngo.example; the results below its Received were in the message when it arrived
    const forged = [
      h("received", "from vps-1.hosting.example (vps-1.hosting.example [203.0.113.9]) by mx.ngo.example; x"),
      h(
        "authentication-results",
        "mx.google.com; spf=pass; dkim=pass header.d=google.com; dmarc=pass header.from=google.com",
      ),
    ];
    for (const headers of [forged]) {
      const r = await checkAuth(raw, headers);
      expect(r.reasons.map((x) => x.code)).toEqual(["auth.forged-results"]);
      expect(r.reasons[0]!.weight).toBeGreaterThan(0);
      expect(r.summary.receiver).toBeUndefined();
      expect(vouchedDomains(r.summary).size).toBe(0);
    }
    // a sending host that calls itself Google, by its HELO or by the name its own address is given, is not Google
    // receiving the message
    const helo = [
      h("received", "from mail.google.com (mail-sor-f41.google.com [203.0.113.9]) by mx.ngo.example; x"),
      forged[1]!,
    ];
    expect((await checkAuth(raw, helo)).reasons.map((x) => x.code)).toEqual(["auth.forged-results"]);
  });

  it("keeps the receiver's results above, below or forwarded from its own Received header", async () => {
    const raw = Buffer.from("From: a@gmail.com\r\n\r\nx");
    const ar = h(
      "authentication-results",
      "mx.google.com; dkim=pass header.d=gmail.com; dmarc=pass header.from=gmail.com",
    );
    const gmail = h(
      "received",
      "from mail.sender.example (mail.sender.example [198.51.100.3]) by mx.google.com; x",
    );
    const layouts = [
      // Gmail: its internal hop (an address) on top, the results under the Received of mx.google.com
      [h("received", "by 2002:a05:7300:1a0b::1 with SMTP id k11; x"), gmail, ar],
      // a milter's results above the server's own Received
      [ar, gmail],
      // forwarded on: a later server got it from Google, with Google's own headers below
      [
        h(
          "received",
          "from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41]) by mx.ngo.example; x",
        ),
        h("received", "by 2002:a05:7300:1a0b::1 with SMTP id k11; x"),
        ar,
        gmail,
      ],
    ];
    for (const headers of layouts) {
      const r = await checkAuth(raw, headers);
      expect(r.summary.receiver?.authservId).toBe("mx.google.com");
      expect([...vouchedDomains(r.summary)]).toEqual(["gmail.com"]);
      expect(r.reasons.map((x) => x.code)).not.toContain("auth.forged-results");
    }
  });

  it("judges only the results of services it knows, not a self-hosted server's own name for itself", async () => {
    const raw = Buffer.from("From: a@ngo.example\r\n\r\nx");
    for (const id of ["mail", "OpenDMARC", "mx1.ngo-mail.example", "amazonses.com"]) {
      const headers = [
        h("received", "from out.partner.example (out.partner.example [198.51.100.3]) by mail.ngo.example; x"),
        h(
          "authentication-results",
          `${id}; dkim=pass header.d=ngo.example; dmarc=pass header.from=ngo.example`,
        ),
      ];
      const r = await checkAuth(raw, headers);
      expect(r.summary.receiver?.authservId, id).toBe(id);
      expect(r.reasons.map((x) => x.code)).not.toContain("auth.forged-results");
    }
    // with no Received chain at all (headers cut down on export), there is nothing to judge by
    const bare = [h("authentication-results", "mx.google.com; dmarc=pass header.from=gmail.com")];
    expect((await checkAuth(raw, bare)).summary.receiver?.authservId).toBe("mx.google.com");
  });

  it("says what was not checked when there are no results", async () => {
    const r = await checkAuth(Buffer.from("From: a@b.example\r\n\r\nx"), [h("from", "a@b.example")]);
    expect(r.reasons).toEqual([]);
    expect(r.notChecked.join(" ")).toMatch(/no Authentication-Results/);
  });
});

describe("offline DKIM", () => {
  const raw = readFileSync(new URL("../../test/fixtures/email/newsletter.eml", import.meta.url));
  const run = async (bytes: Buffer) => {
    const p = await parseMessage(bytes);
    if (!p.ok) throw new Error(p.problem);
    return checkAuth(bytes, p.message.headers);
  };

  it("checks the body hash and alignment without DNS, and says the signature itself was not checked", async () => {
    const r = await run(raw);
    expect(r.summary.dkim).toEqual([
      { domain: "opennewsroom.example", selector: "nl2026", bodyHash: "match", aligned: true },
    ]);
    expect(r.notChecked.join("\n")).toMatch(/DKIM signature of opennewsroom.example itself .*DNS/);
  });

  it("notices a body changed after signing", async () => {
    const tampered = Buffer.from(
      raw.toString("utf8").replace("satellite images, and", "satellite images; pay here, and"),
    );
    const r = await run(tampered);
    expect(r.summary.dkim[0]!.bodyHash).toBe("mismatch");
    expect(r.reasons.map((x) => x.code)).toContain("auth.dkim-body-altered");
  });
});

describe("hostile DKIM headers", () => {
  it("do not make mailauth write to stdout (which would corrupt --json)", async () => {
    const raw = readFileSync(new URL("../../test/fixtures/email/newsletter.eml", import.meta.url), "utf8");
    const withL = Buffer.from(raw.replace("DKIM-Signature: ", "DKIM-Signature: l=99999; "));
    const spy = vi.spyOn(process.stdout, "write");
    const p = await parseMessage(withL);
    if (!p.ok) throw new Error(p.problem);
    await checkAuth(withL, p.message.headers);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});
