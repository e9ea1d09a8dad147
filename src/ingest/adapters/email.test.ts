import { describe, expect, it } from "vitest";
import { addressOf, displayName, firstHeaders, sniffEmail } from "./email.js";

const sample = (head: string) => ({
  name: "x",
  head,
  lines: head.split("\n").filter((l) => l.trim() !== ""),
});

describe("the email adapter's readers", () => {
  it("takes the real address, not one quoted in the display name, lower-cased with an ASCII domain", () => {
    expect(addressOf('"IT Desk" <IT-Desk@Example.ORG>')).toBe("it-desk@example.org");
    expect(addressOf('"<bank@paypal.com>" <evil@attacker.example>')).toBe("evil@attacker.example");
    expect(addressOf("plain@example.net (Plain Person)")).toBe("plain@example.net");
    expect(addressOf("user@b\u00fccher.example")).toBe("user@xn--bcher-kva.example");
    expect(addressOf("undisclosed-recipients:;")).toBeNull();
    expect(addressOf("<>")).toBeNull();
  });

  it("keeps the display name whole: an address shown in it, and quotes and brackets written in it", () => {
    expect(
      displayName('"PayPal Service <service@paypal.com>" <x1@evil-pay.example>', "x1@evil-pay.example"),
    ).toBe("PayPal Service <service@paypal.com>");
    expect(displayName('"IT \\"Support\\" <script>" <it@x.example>', "it@x.example")).toBe(
      'IT "Support" <script>',
    );
    expect(displayName("Sara <sara@x.example>", "sara@x.example")).toBe("Sara");
    expect(displayName("sara@x.example", "sara@x.example")).toBeNull();
    expect(displayName("<sara@x.example>", "sara@x.example")).toBeNull();
    // of two mailboxes, the first (the one the triage reads), for the name and the address alike
    const two = '"A, the first" <a@x.example>, "B" <b@y.example>';
    expect(addressOf(two)).toBe("a@x.example");
    expect(displayName(two, "a@x.example")).toBe("A, the first");
  });

  it("reads the first value of each header, with folded lines joined, and stops at the body", () => {
    const raw = Buffer.from(
      "From: a@x.example\r\nReply-To: b@y.example,\r\n\tc@z.example\r\nFrom: second@x.example\r\n\r\nReply-To: body@no.example\r\n",
    );
    const h = firstHeaders(raw);
    expect(h.get("from")).toBe("a@x.example");
    expect(h.get("reply-to")).toBe("b@y.example, c@z.example");
  });

  it("sniffs mbox files and header blocks, not other text", () => {
    expect(
      sniffEmail(sample("From MAILER-DAEMON Tue Nov  3 2026\nReceived: from x\nFrom: a@b.example\n")),
    ).toBeGreaterThan(0.9);
    expect(
      sniffEmail(sample("Received: from x\nFrom: a@b.example\nSubject: hi\n\nbody")),
    ).toBeGreaterThanOrEqual(0.9);
    expect(sniffEmail(sample('{"platform":"x","text":"From: me"}\n'))).toBe(0);
    expect(sniffEmail(sample("post_id,account_id,ts\n1,a,2024-01-01\n"))).toBe(0);
    expect(sniffEmail(sample("From here on, the story goes on.\nIt was late.\n"))).toBe(0);
  });
});
