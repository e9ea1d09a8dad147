import { describe, expect, it } from "vitest";
import { parseMessage } from "./parse.js";
import { checkSenders } from "./senders.js";
import type { TriageOptions } from "./types.js";

async function codes(headers: string[], opts: TriageOptions = {}): Promise<string[]> {
  const p = await parseMessage(Buffer.from([...headers, "Subject: hello", "", "body"].join("\r\n")));
  if (!p.ok) throw new Error(p.problem);
  return checkSenders(p.message, opts).reasons.map((r) => r.code);
}

const protect = [{ handle: "leila_ahmadi", display_name: "Leila Ahmadi", domain: "civicrights.org" }];

describe("checkSenders", () => {
  it("finds nothing in an ordinary message", async () => {
    expect(await codes(["From: Sara <sara@example.org>", "Reply-To: sara@mail.example.org"])).toEqual([]);
  });

  it("flags two From headers, or two senders in one, whichever a mail program shows", async () => {
    const own = { ownDomains: ["ngo.example"] };
    for (const headers of [
      ['From: "IT Desk" <it@ngo.example>', "From: attacker@evil.example"],
      ["From: attacker@evil.example", 'From: "IT Desk" <it@ngo.example>'],
      ["From: it@ngo.example, attacker@evil.example"],
    ]) {
      const p = await parseMessage(Buffer.from([...headers, "Subject: hi", "", "x"].join("\r\n")));
      if (!p.ok) throw new Error(p.problem);
      const found = checkSenders(p.message, own);
      const reason = found.reasons.find((r) => r.code === "sender.several-from");
      expect(reason, headers.join(" / ")).toMatchObject({ severity: "medium" });
      expect(reason!.weight).toBeGreaterThan(0);
      expect(reason!.message).toContain("attacker@evil.example");
      // both senders' domains are the message's domains (indicators, and defanged where shown)
      expect(found.domains).toEqual(expect.arrayContaining(["ngo.example", "evil.example"]));
    }
    expect(await codes(['From: "Sara, Ops" <sara@example.org>'])).toEqual([]);
    // an address written in the display name is one sender, named once
    expect(await codes(["From: JANE.DOE@corp.example <jdoe@corp.example>"])).toEqual([]);
    expect(await codes(["From: service@paypal.com <x@evil.example>"])).not.toContain("sender.several-from");
  });

  it("notes, without weight, the Reply-To of an authenticated notification address", async () => {
    const p = await parseMessage(
      Buffer.from(
        'From: "Nour (via Google Docs)" <drive-shares-dm-noreply@google.com>\r\nReply-To: nour@partner.example\r\n\r\nx',
      ),
    );
    if (!p.ok) throw new Error(p.problem);
    const vouched = checkSenders(p.message, {}, new Set(["google.com"])).reasons[0];
    expect(vouched).toMatchObject({ code: "sender.reply-to-mismatch", severity: "info", weight: 0 });
    // the same headers without the receiver's word for google.com: an ordinary mismatch
    expect(checkSenders(p.message, {}).reasons[0]).toMatchObject({ weight: 0.25 });
    // a phisher's own domain passes DKIM and DMARC too: only the big platforms' notifications are exempt
    const own = await parseMessage(
      Buffer.from("From: Docs <no-reply@docs-notify.example>\r\nReply-To: helper.desk@gmail.com\r\n\r\nx"),
    );
    if (!own.ok) throw new Error(own.problem);
    expect(checkSenders(own.message, {}, new Set(["docs-notify.example"])).reasons[0]).toMatchObject({
      weight: 0.4,
    });
    // an authenticated personal address whose replies go elsewhere is still a mismatch
    const person = await parseMessage(
      Buffer.from("From: A <amir@google.com>\r\nReply-To: amir.private@gmail.com\r\n\r\nx"),
    );
    if (!person.ok) throw new Error(person.problem);
    expect(checkSenders(person.message, {}, new Set(["google.com"])).reasons[0]).toMatchObject({
      weight: 0.4,
    });
  });

  it("flags replies sent to a lookalike of the sender's domain, of one the reader protects, or of a brand", async () => {
    const own = { ownDomains: ["civicrights.org"] };
    for (const rt of ["director@civicrights-org.com", "director@clvicrights.org"]) {
      expect(await codes(["From: Director <director@civicrights.org>", `Reply-To: ${rt}`], own), rt).toEqual([
        "sender.reply-to-mismatch",
        "sender.reply-to-lookalike",
      ]);
    }
    // the sender's own domain, without any list: the business-email-compromise shape
    expect(await codes(["From: CEO <ceo@northwind.org>", "Reply-To: ceo@northwind-org.com"])).toContain(
      "sender.reply-to-lookalike",
    );
    expect(
      await codes(["From: PayPal <service@paypal.com>", "Reply-To: service@paypa1-support.com"]),
    ).toContain("sender.reply-to-lookalike");
    // an unrelated domain is a mismatch only
    expect(await codes(["From: A <a@org.example>", "Reply-To: b@other.example"], own)).not.toContain(
      "sender.reply-to-lookalike",
    );
  });

  it("flags an address hidden in an encoded word, which mail programs show as the sender", async () => {
    for (const from of [
      "From: =?utf-8?b?c2VydmljZUBwYXlwYWwuY29t?=@evil.example", // service@paypal.com@evil.example
      "From: =?utf-8?b?UGF5UGFsIDxzZXJ2aWNlQHBheXBhbC5jb20+?=", // "PayPal <service@paypal.com>" as one word
      "From: =?utf-8?q?service=40paypal.com=00?=@evil.example", // with a NUL that ends the shown text
    ]) {
      expect(await codes([from]), from).toContain("sender.encoded-address");
    }
    // an encoded display name is ordinary
    for (const from of [
      "From: =?UTF-8?B?2LPZhNin2YU=?= <a@b.example>",
      "From: =?utf-8?q?Caf=C3=A9?= <x@y.example>",
    ]) {
      expect(await codes([from]), from).not.toContain("sender.encoded-address");
    }
  });

  it("flags Reply-To elsewhere, more when it is free mail", async () => {
    expect(await codes(["From: A <a@org.example>", "Reply-To: b@other.example"])).toEqual([
      "sender.reply-to-mismatch",
    ]);
    const p = await parseMessage(Buffer.from("From: A <a@org.example>\r\nReply-To: b@gmail.com\r\n\r\nx"));
    if (!p.ok) throw new Error();
    expect(checkSenders(p.message, {}).reasons[0]).toMatchObject({
      severity: "high",
      evidence: { ref: "Reply-To" },
    });
  });

  it("flags an address inside the display name that is not the sender's", async () => {
    expect(await codes(['From: "support@bank.example" <x@evil.example>'])).toEqual([
      "sender.display-name-address",
    ]);
    expect(await codes(['From: "a@org.example" <a@org.example>'])).toEqual([]);
  });

  it("flags a protected person's name from outside their domain, not from inside it", async () => {
    expect(await codes(["From: Leila Ahmadi <leila.ahmadi.1979@gmail.com>"], { protect })).toEqual([
      "sender.protected-name",
    ]);
    expect(await codes(["From: Leila Ahmadi <leila@civicrights.org>"], { protect })).toEqual([]);
    // a Persian name joined by a zero-width non-joiner where the list has a space
    const fa = [{ handle: "narges_m", display_name: "نرگس محمدی", domain: "civicrights.org" }];
    expect(
      await codes(
        ["From: =?UTF-8?B?" + Buffer.from("نرگس\u200cمحمدی").toString("base64") + "?= <n.m@gmail.com>"],
        { protect: fa },
      ),
    ).toEqual(["sender.protected-name"]);
  });

  it("flags brands in display names and free mail claiming an institution, in three languages", async () => {
    expect(await codes(["From: PayPal Service <service@billing-center.example>"])).toEqual([
      "sender.brand-in-name",
    ]);
    expect(await codes(["From: PayPal <service@paypal.com>"])).toEqual([]);
    expect(await codes(["From: Ministry of Interior <moi.office@gmail.com>"])).toEqual([
      "sender.freemail-institution",
    ]);
    expect(await codes(["From: =?UTF-8?B?2b7ZhNuM2LMg2YHYqtin?= <cyber.police@yahoo.com>"])).toEqual([
      "sender.freemail-institution",
    ]);
  });

  it("flags lookalikes of own domains above brand lookalikes", async () => {
    const own = await parseMessage(Buffer.from("From: IT <it@civicrlghts.org>\r\n\r\nx"));
    if (!own.ok) throw new Error();
    const r = checkSenders(own.message, { ownDomains: ["civicrights.org"] }).reasons;
    expect(r.map((x) => [x.code, x.weight])).toEqual([["sender.lookalike-domain", 0.65]]);
    expect(await codes(["From: x <x@rnicrosoft.com>"])).toEqual(["sender.lookalike-domain"]);
  });

  it("shows an internationalised sender domain in both forms", async () => {
    const p = await parseMessage(Buffer.from("From: x <x@xn--mnchen-3ya.example>\r\n\r\nx"));
    if (!p.ok) throw new Error();
    const r = checkSenders(p.message, {}).reasons;
    expect(r[0]).toMatchObject({ code: "sender.idn-domain", weight: 0 });
    expect(r[0]!.message).toContain("münchen.example is written xn--mnchen-3ya.example");
  });

  it("takes ZWNJ and RTL marks in Persian and Arabic names as ordinary writing, but not an override", async () => {
    const fa = Buffer.from("می‌خواهم", "utf8").toString("base64");
    expect(await codes([`From: =?UTF-8?B?${fa}?= <a@org.example>`])).toEqual([]);
    const rlo = Buffer.from("Invoice \u202Efdp.exe", "utf8").toString("base64");
    expect(await codes([`From: =?UTF-8?B?${rlo}?= <a@org.example>`])).toEqual(["sender.hidden-characters"]);
  });
});

describe("a From that is the reader's own address (regression: QA c/35)", () => {
  const selfAddressed = async (
    auth: string | null,
    route = "for <reza@civicrights.org>",
    to = "Reza <reza@civicrights.org>",
    options: { ownDomains?: string[] } = {},
  ) => {
    const { triage } = await import("./index.js");
    const r = await triage(
      Buffer.from(
        [
          ...(route.startsWith("for ") ? [] : [route]),
          `Received: from [102.89.34.7] (unknown [102.89.34.7]) by mx.civicrights.org (Postfix)${route.startsWith("for ") ? ` ${route}` : ""}; Tue, 12 Mar 2024 10:00:00 +0000`,
          ...(auth === null ? [] : [`Authentication-Results: mx.civicrights.org; ${auth}`]),
          "From: reza@civicrights.org",
          `To: ${to}`,
          "Subject: reza@civicrights.org is hacked",
          "",
          "I have access to your device.",
        ].join("\r\n"),
      ),
      { yara: false, ...options },
    );
    return r.reasons.find((x) => x.code === "sender.self-addressed");
  };

  it("is a sign when the receiving server did not authenticate it", async () => {
    const r = await selfAddressed(
      "spf=softfail smtp.mailfrom=civicrights.org; dkim=none; dmarc=none header.from=civicrights.org",
    );
    expect(r).toMatchObject({
      severity: "medium",
      weight: 0.25,
      evidence: { value: "reza@civicrights.org" },
    });
    expect(r!.message).toMatch(/forged From, a classic trick of extortion mail/);
  });

  it("is no sign when it was authenticated, and only a note without the receiver's results", async () => {
    expect(
      await selfAddressed("spf=pass smtp.mailfrom=reza@civicrights.org; dkim=none; dmarc=none"),
    ).toBeUndefined();
    expect(
      await selfAddressed("dkim=pass header.d=civicrights.org; dmarc=pass header.from=civicrights.org"),
    ).toBeUndefined();
    expect(await selfAddressed(null)).toMatchObject({ severity: "info", weight: 0 });
  });

  const unauthenticated =
    "spf=none smtp.mailfrom=civicrights.org; dkim=none; dmarc=none header.from=civicrights.org";

  it("knows the reader by Delivered-To, X-Original-To or the receiving hop's `for`", async () => {
    for (const route of [
      "for <reza@civicrights.org>",
      "Delivered-To: reza@civicrights.org",
      "X-Original-To: reza@civicrights.org",
    ])
      expect(await selfAddressed(unauthenticated, route), route).toMatchObject({ weight: 0.25 });
    // or by an address of the organisation's own domain that the message is addressed to
    expect(
      await selfAddressed(unauthenticated, "X-Route: none", undefined, { ownDomains: ["civicrights.org"] }),
    ).toMatchObject({ weight: 0.25 });
  });

  // regression (review 2): bulk phishing addressed to its own sender, the victims in Bcc, was taken for a forged
  // From, and the export then withheld the attacker's address and domain as the reader's
  it("reads the reader from To when the receiving side names no recipient, as Microsoft 365 writes none", async () => {
    expect(await selfAddressed(unauthenticated, "X-Route: none")).toBeDefined();
    expect(
      await selfAddressed(
        unauthenticated,
        "X-MS-Exchange-Organization-OriginalEnvelopeRecipients: reza@civicrights.org",
      ),
    ).toBeDefined();
  });

  it("is no sign when the receiving side names another reader than the From", async () => {
    expect(await selfAddressed(unauthenticated, "Delivered-To: narges.m@civicrights.org")).toBeUndefined();
    expect(await selfAddressed(unauthenticated, "for <narges.m@civicrights.org>")).toBeUndefined();
    // a Delivered-To the sender wrote below the receiving server's own is not the reader's
    expect(
      await selfAddressed(
        unauthenticated,
        "Delivered-To: narges.m@civicrights.org\r\nDelivered-To: reza@civicrights.org",
      ),
    ).toBeUndefined();
  });
});
