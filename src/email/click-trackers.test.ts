import { getDomain } from "tldts";
import { describe, expect, it } from "vitest";
import { CLICK_TRACKER_LIST, CLICK_TRACKERS, clickTracker } from "./click-trackers.js";
import { triage } from "./index.js";
import type { TriageResult } from "./types.js";

const flagged = (r: TriageResult): boolean => r.verdict === "suspicious" || r.verdict === "malicious";

interface Sent {
  from: string;
  /** The receiving provider's results, or none at all. */
  auth?: string;
  /** The tracker host the links go through. */
  tracker: string;
  /** The site the links show. */
  site: string;
  text: string;
}

/** A bulk message (List-Unsubscribe) whose three links show `site` and go through `tracker`. */
function bulkMessage(m: Sent): Buffer {
  const links = [1, 2, 3]
    .map(
      (i) => `<p><a href="https://${m.tracker}/c?u=4f2a9c&amp;id=${i}">https://${m.site}/item-${i}</a></p>`,
    )
    .join("\n");
  return Buffer.from(
    [
      ...(m.auth ? [`Authentication-Results: mx.desk.example; ${m.auth}`] : []),
      "Received: from out7.sender.example (out7.sender.example [198.51.100.7]) by mx.desk.example; Mon, 3 Jun 2024 10:00:00 +0000",
      `From: ${m.from}`,
      "To: staff@desk.example",
      "Subject: This month",
      "Date: Mon, 3 Jun 2024 10:00:00 +0000",
      "Message-ID: <m1@sender.example>",
      `List-Unsubscribe: <https://${m.tracker}/unsubscribe?u=4f2a9c>`,
      "MIME-Version: 1.0",
      "Content-Type: text/html; charset=utf-8",
      "",
      `<html><body><p>${m.text}</p>${links}</body></html>`,
    ].join("\r\n"),
  );
}

const passFor = (d: string): string =>
  `spf=pass smtp.mailfrom=bounce.${d}; dkim=pass header.d=${d} header.s=k1; dmarc=pass header.from=${d}`;
const notAuthenticated = (d: string): string =>
  `spf=softfail smtp.mailfrom=${d}; dkim=none; dmarc=none header.from=${d}`;
const OWN = ["ngo-rights.org"];

describe("click trackers: a maintained list", () => {
  it("lists each tracker once, as a registrable domain, with its service and where its use is documented", () => {
    expect(new Set(CLICK_TRACKER_LIST.map((t) => t.domain)).size).toBe(CLICK_TRACKER_LIST.length);
    for (const t of CLICK_TRACKER_LIST) {
      expect(getDomain(t.domain, { allowPrivateDomains: false }), t.domain).toBe(t.domain);
      expect(t.service.trim(), t.domain).not.toBe("");
      expect(t.source.trim(), t.domain).not.toBe("");
      expect(CLICK_TRACKERS.has(t.domain)).toBe(true);
      expect(clickTracker(t.domain)).toBe(t);
    }
  });
});

describe("a newsletter through a bulk-mail service's click tracking (QA: mailchimpapp.net)", () => {
  it.each(CLICK_TRACKER_LIST.map((t) => [t.domain, t] as const))(
    "%s: an authenticated newsletter showing its own site is not flagged for it, and says whose tracking it is",
    async (domain, t) => {
      const raw = bulkMessage({
        from: "Exile PEN Centre <news@exile-pen.org>",
        auth: passFor("exile-pen.org"),
        tracker: `exilepen.us21.${domain}`,
        site: "www.exile-pen.org",
        text: "Three reports on journalists in exile, and our autumn training dates.",
      });
      const r = await triage(raw, { ownDomains: OWN });
      expect(flagged(r), r.reasons.map((x) => x.message).join("\n")).toBe(false);
      const tracked = r.reasons.find((x) => x.code === "link.text-mismatch");
      expect(tracked).toMatchObject({ severity: "info", weight: 0 });
      expect(tracked!.message).toContain(t.service);
    },
  );

  it.each(CLICK_TRACKER_LIST.map((t) => [t.domain] as const))(
    "%s: the same links from a sender the receiver did not authenticate, or from a lookalike of a protected domain, stay flagged",
    async (domain) => {
      const text = "Please review the updated staff policy documents before Friday.";
      const unauthenticated = await triage(
        bulkMessage({
          from: "Exile PEN Centre <news@exile-pen.org>",
          auth: notAuthenticated("exile-pen.org"),
          tracker: `exilepen.us21.${domain}`,
          site: "www.exile-pen.org",
          text,
        }),
        { ownDomains: OWN },
      );
      // authenticated for its own domain, which imitates the reader's
      const lookalike = await triage(
        bulkMessage({
          from: "NGO Rights IT <it@ngo-rlghts.org>",
          auth: passFor("ngo-rlghts.org"),
          tracker: `it.us21.${domain}`,
          site: "www.ngo-rlghts.org",
          text,
        }),
        { ownDomains: OWN },
      );
      for (const r of [unauthenticated, lookalike]) {
        expect(flagged(r), r.reasons.map((x) => x.message).join("\n")).toBe(true);
        // the tracked links themselves count, as any link that goes elsewhere than it shows
        const link = r.reasons.find((x) => x.code === "link.text-mismatch")!;
        expect(link.severity).toBe("medium");
        expect(link.weight).toBeGreaterThan(0.05);
      }
    },
  );

  it("keeps a link that shows a brand or a protected domain strong, through a tracker of an authenticated sender", async () => {
    const r = await triage(
      bulkMessage({
        from: "Accounts <news@exile-pen.org>",
        auth: passFor("exile-pen.org"),
        tracker: "exilepen.us21.mailchimpapp.net",
        site: "www.ngo-rights.org",
        text: "Your staff mailbox needs to be confirmed.",
      }),
      { ownDomains: OWN },
    );
    expect(flagged(r)).toBe(true);
    expect(r.reasons.find((x) => x.code === "link.text-mismatch")).toMatchObject({ severity: "high" });
  });
});
