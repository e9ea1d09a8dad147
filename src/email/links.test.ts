import { describe, expect, it } from "vitest";
import { checkLink, collectLinks } from "./links.js";

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
