import { describe, expect, it, vi } from "vitest";
import { checkLink, collectLinks } from "./links.js";
import { unwrapLink } from "./unwrap.js";

// unwrapLink counted (and still run), to see how many times a message's links are unwrapped
vi.mock("./unwrap.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("./unwrap.js")>();
  return { ...real, unwrapLink: vi.fn(real.unwrapLink) };
});

const codes = (html: string, refs: string[] = []): string[] =>
  collectLinks(undefined, html).links.flatMap((l) => checkLink(l, refs).map((r) => r.code));

describe("collectLinks", () => {
  it("finds hrefs with their text, form actions, and text links once", () => {
    const { links } = collectLinks(
      "see https://a.example/x and https://b.example/y",
      '<a href="https://a.example/x">Read</a><form action="https://c.example/post"></form>',
    );
    expect(links.map((l) => [l.url, l.source, l.text])).toEqual([
      ["https://a.example/x", "html", "Read"],
      ["https://c.example/post", "html-form", undefined],
      ["https://b.example/y", "text", undefined],
    ]);
  });

  it("takes an HTML link with a space, cut there in the message's text, as one link", () => {
    const html = '<a href="http://evil.example/x y">http://evil.example/x y</a>';
    const { links } = collectLinks("http://evil.example/x y", html);
    expect(links.map((l) => l.url)).toEqual(["http://evil.example/x y"]);
    // a text link that only starts like an HTML one is a link of its own
    expect(collectLinks("http://evil.example/xy", html).links.map((l) => l.url)).toContain(
      "http://evil.example/xy",
    );
  });

  it("stays linear on hostile HTML with thousands of unclosed anchors", () => {
    const { links } = collectLinks(undefined, '<a href="https://x.example/">'.repeat(20_000));
    expect(links).toEqual([]);
  });
});

describe("checkLink", () => {
  it("reads userinfo as a decoy: the host is what follows the @", () => {
    const { links } = collectLinks("login: https://bank.com@evil.example/login", undefined);
    expect(links[0]!.host).toBe("evil.example");
    const reasons = checkLink(links[0]!, []);
    expect(reasons[0]).toMatchObject({
      code: "link.userinfo",
      evidence: { kind: "link", value: "evil.example" },
    });
    expect(reasons[0]!.message).toContain('"bank.com@"');
  });

  it("flags link text showing another host than the href", () => {
    expect(codes('<a href="https://evil.example/a">https://www.bank.example/login</a>')).toEqual([
      "link.text-mismatch",
    ]);
    expect(codes('<a href="https://www.bank.example/a">bank.example/login</a>')).toEqual([]);
  });

  it("weighs a mismatch more when the text claims a protected or brand domain than a newsletter's redirect", () => {
    const claimed = collectLinks(undefined, '<a href="https://evil.example/a">www.paypal.com</a>').links[0]!;
    expect(checkLink(claimed, ["paypal.com"])[0]).toMatchObject({ severity: "high", weight: 0.5 });
    const tracked = collectLinks(undefined, '<a href="https://click.mailer.example/a">www.shop.example</a>')
      .links[0]!;
    expect(checkLink(tracked, ["paypal.com"])[0]).toMatchObject({ severity: "medium", weight: 0.2 });
  });

  it("notes a newsletter's click tracking in front of its own site, and only that", () => {
    const link = (html: string) => collectLinks(undefined, html).links[0]!;
    const own = link(
      '<a href="https://u123.ct.sendgrid.net/ls/click?upn=x">https://digest.example/report-1</a>',
    );
    const sender = { fromRegistrable: "digest.example", bulk: true };
    // authenticated bulk sender showing its own site through a known mailing service: noted, no weight
    expect(checkLink(own, [], { ...sender, fromVouched: true })[0]).toMatchObject({
      code: "link.text-mismatch",
      severity: "info",
      weight: 0,
    });
    // not authenticated: a weak reason, far below the ordinary mismatch
    expect(checkLink(own, [], { ...sender, fromVouched: false })[0]).toMatchObject({ weight: 0.05 });
    // not bulk mail, another site than the sender's, or a redirect that is no known mailing service: as before
    expect(checkLink(own, [], { ...sender, bulk: false, fromVouched: true })[0]).toMatchObject({
      weight: 0.2,
    });
    expect(
      checkLink(own, [], { fromRegistrable: "other.example", bulk: true, fromVouched: true })[0],
    ).toMatchObject({ weight: 0.2 });
    const unknown = link('<a href="https://click.tracker.example/a">https://digest.example/report-1</a>');
    expect(checkLink(unknown, [], { ...sender, fromVouched: true })[0]).toMatchObject({ weight: 0.2 });
    // a brand or protected domain in the text stays strong whatever the sender
    const brand = link('<a href="https://u1.ct.sendgrid.net/ls/click">www.paypal.com</a>');
    expect(
      checkLink(brand, ["paypal.com"], { fromRegistrable: "paypal.com", bulk: true, fromVouched: true })[0],
    ).toMatchObject({ severity: "high", weight: 0.5 });
  });

  it("takes a tracked link for the sender's own only when no receiver said otherwise and the sender imitates no one", () => {
    const own = collectLinks(
      undefined,
      '<a href="https://org.us21.mailchimpapp.net/c?u=1">https://digest.example/report-1</a>',
    ).links[0]!;
    const sender = { fromRegistrable: "digest.example", bulk: true };
    const noted = checkLink(own, [], { ...sender, fromVouched: true, receiverChecked: true })[0]!;
    const unknown = checkLink(own, [], { ...sender, fromVouched: false, receiverChecked: false })[0]!;
    const refused = checkLink(own, [], { ...sender, fromVouched: false, receiverChecked: true })[0]!;
    const imitating = checkLink(own, [], { ...sender, fromVouched: true, fromLookalike: true })[0]!;
    const elsewhere = checkLink(own, [], { ...sender, bulk: false, fromVouched: false })[0]!;
    expect(noted.weight).toBe(0);
    expect(unknown.weight).toBeGreaterThan(noted.weight);
    expect(unknown.weight).toBeLessThan(elsewhere.weight);
    // the receiver did not authenticate the sender, or the sender's domain imitates another: as any other link
    for (const r of [refused, imitating])
      expect(r).toMatchObject({ severity: elsewhere.severity, weight: elsewhere.weight });
    expect(refused.message).toMatch(/did not authenticate the sender/);
    expect(imitating.message).toMatch(/imitates a protected domain or a brand/);
  });

  it("does not call the authenticated sender's own service a free host", () => {
    const doc = collectLinks(undefined, '<a href="https://docs.google.com/document/d/1/edit">Open</a>')
      .links[0]!;
    const google = { fromRegistrable: "google.com", bulk: false };
    expect(checkLink(doc, [], { ...google, fromVouched: true })).toEqual([]);
    expect(checkLink(doc, [], { ...google, fromVouched: false }).map((r) => r.code)).toEqual([
      "link.free-host",
    ]);
    expect(
      checkLink(doc, [], { fromRegistrable: "partner.example", bulk: false, fromVouched: true }).map(
        (r) => r.code,
      ),
    ).toEqual(["link.free-host"]);
  });

  it("reads the domain a link's text shows whatever punctuation or invisible character follows it", () => {
    for (const text of [
      "Log in at paypal.com.",
      "(www.paypal.com)",
      "paypal.com,",
      "www.paypal.com!",
      "“www.paypal.com”",
      "paypal.com&#8203;",
      "www.paypal.com\u200b/signin",
    ]) {
      expect(codes(`<a href="https://evil.example/login">${text}</a>`), text).toContain("link.text-mismatch");
    }
    // a ">" inside a quoted attribute does not end the tag, and loses neither the href nor the text
    expect(codes('<a title=">" href="https://evil.example/login">www.paypal.com</a>')).toContain(
      "link.text-mismatch",
    );
    // a sentence that ends the text is not a domain, nor is a file name that is not one
    expect(codes('<a href="https://evil.example/x">Read more. Thanks</a>')).not.toContain(
      "link.text-mismatch",
    );
  });

  it("reads an href as a browser does: every character reference, and without tabs and line breaks", () => {
    for (const href of [
      "JaVaScRiPt&colon;alert(1)",
      "java&Tab;script:alert(1)",
      "java&#x09;script:alert(1)",
      "java\tscript:alert(1)",
      "java&NewLine;script:alert(1)",
    ]) {
      expect(codes(`<a href="${href}">click</a>`), href).toContain("link.script-url");
    }
    expect(codes('<a href="data&colon;text/html;base64,PHNjcmlwdD4=">open</a>')).toContain("link.data-url");
    const { links } = collectLinks(undefined, '<a href="https&colon;//evil.example/x">www.paypal.com</a>');
    expect(links.map((l) => [l.url, l.host])).toEqual([["https://evil.example/x", "evil.example"]]);
  });

  it("flags script and data URLs, IP hosts, shorteners, free hosts and lookalikes", () => {
    expect(codes('<a href="javascript:alert(1)">x</a>')).toEqual(["link.script-url"]);
    expect(codes('<a href="data:text/html;base64,PGh0bWw+">x</a>')).toEqual(["link.data-url"]);
    expect(codes('<a href="http://203.0.113.9/login">x</a>')).toEqual(["link.ip-host"]);
    expect(codes('<a href="https://bit.ly/3abc">x</a>')).toEqual(["link.shortener"]);
    expect(codes('<a href="https://evil-login.web.app/">x</a>')).toEqual(["link.free-host"]);
    expect(codes('<a href="https://xn--ivicrights-bwi.org/">x</a>', ["civicrights.org"])).toEqual([
      "link.lookalike-domain",
    ]);
  });
});

describe("wrapped links", () => {
  const safeLink = (inner: string): string =>
    `https://nam12.safelinks.protection.outlook.com/?url=${encodeURIComponent(inner)}` +
    "&amp;data=05%7C02%7Creza%40civicrights.org%7Cabc&amp;reserved=0";

  it("checks and reports the address inside a Safe Links wrapper, once for the HTML and text parts", () => {
    const inner = "https://docs.google.com/document/d/1xYz/edit";
    const html = `<a href="${safeLink(inner)}">https://docs.google.com/document/d/1xYz/edit</a>`;
    const text = `Agenda: ${safeLink(inner).replace(/&amp;/g, "&")}`;
    const { links } = collectLinks(text, html);
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({
      url: inner,
      host: "docs.google.com",
      wrappers: ["Microsoft Safe Links"],
    });
    // the text shows the address the link leads to: no mismatch with the wrapper's host
    expect(checkLink(links[0]!, ["civicrights.org"]).map((r) => r.code)).not.toContain("link.text-mismatch");
  });

  it("finds a lookalike hidden behind a wrapper and names the wrapper", () => {
    const html = `<a href="${safeLink("https://login.microsoftonIine.com/common/oauth2/authorize")}">Open Budget 2024.xlsx</a>`;
    const link = collectLinks(undefined, html).links[0]!;
    const reasons = checkLink(link, ["microsoftonline.com"]);
    expect(reasons.map((r) => r.code)).toEqual(["link.lookalike-domain"]);
    expect(reasons[0]!.message).toContain("Microsoft Safe Links");
    expect(reasons[0]!.evidence.ref).toBe("https://login.microsoftonIine.com/common/oauth2/authorize");
  });
});

describe("link text that names a file", () => {
  it("is not read as a web address: only endings on the public suffix list count", () => {
    for (const text of ["Budget 2024.xlsx", "Open report.pdf", "minutes.docx", "Minutes.zip", "setup.py"]) {
      expect(codes(`<a href="https://files.example/a">${text}</a>`), text).not.toContain(
        "link.text-mismatch",
      );
    }
    expect(codes('<a href="https://evil.example/a">paypal.co.uk</a>')).toContain("link.text-mismatch");
    expect(codes('<a href="https://evil.example/a">www.bbc.com.tr</a>')).toContain("link.text-mismatch");
  });
});

// regression (review 2, ReDoS): each link was unwrapped five times (the key, the report, the checks against the
// HTML's links), before the cap on links
describe("collectLinks unwraps each link of a message once", () => {
  it("however often the text and the HTML repeat it", () => {
    const wrapped = (i: number): string =>
      `https://urldefense.com/v3/__https://evil${i}.example/login__;!!A!b$`;
    const html = Array.from({ length: 50 }, (_, i) => `<a href="${wrapped(i)}">Open</a>`).join("");
    const text = Array.from({ length: 800 }, (_, i) => `${wrapped(i % 700)} `).join("\n");
    const count = vi.mocked(unwrapLink);
    count.mockClear();
    const { links, cut } = collectLinks(text, html);
    expect(links).toHaveLength(500);
    expect(cut).toBe(true);
    expect(links[0]).toMatchObject({ url: "https://evil0.example/login", source: "html" });
    // 700 distinct links: one call for each, whether kept, repeated or past the cap
    expect(count.mock.calls.length).toBe(700);
  });
});
