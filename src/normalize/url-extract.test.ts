import { describe, expect, it } from "vitest";
import { canonicalUrl, extractUrls, MAX_URL_LENGTH } from "./url.js";

const MB = 1 << 20;

describe("extractUrls: English and generic text", () => {
  it.each([
    ["Read https://example.com/a today", ["https://example.com/a"]],
    ["Read http://example.com today", ["http://example.com"]],
    ["HTTPS://EXAMPLE.COM/X", ["HTTPS://EXAMPLE.COM/X"]],
    ["see www.example.com!", ["www.example.com"]],
    ["see example.com/news/1.", ["example.com/news/1"]],
    ["short bit.ly/3AbC and t.co/xyz", ["bit.ly/3AbC", "t.co/xyz"]],
    ["two https://a.com/1 https://b.org/2", ["https://a.com/1", "https://b.org/2"]],
    ["(https://en.wikipedia.org/wiki/Foo_(bar))", ["https://en.wikipedia.org/wiki/Foo_(bar)"]],
    ["(see https://example.com/x)", ["https://example.com/x"]],
    ["[link](https://example.com/md)", ["https://example.com/md"]],
    [
      "'https://example.com/q' and \"https://example.com/d\"",
      ["https://example.com/q", "https://example.com/d"],
    ],
    ["end https://example.com/a?b=1&c=2.", ["https://example.com/a?b=1&c=2"]],
    ["wow https://example.com/a!!!", ["https://example.com/a"]],
    ["is it https://example.com/a?", ["https://example.com/a"]],
    [
      "list: https://example.com/a, https://example.com/b; done",
      ["https://example.com/a", "https://example.com/b"],
    ],
    ["truncated https://example.com/very/long…", ["https://example.com/very/long"]],
    ["port https://example.com:8443/x ok", ["https://example.com:8443/x"]],
    ["ip http://93.184.216.34/x ok", ["http://93.184.216.34/x"]],
    ["profile https://mastodon.social/@alice ok", ["https://mastodon.social/@alice"]],
    ["new gTLD news.xyz/a and blog.online/b", ["news.xyz/a", "blog.online/b"]],
    ["glued readhttps://example.com/a", ["https://example.com/a"]],
    ["👉https://t.co/AbC", ["https://t.co/AbC"]],
    ["👉🏽https://t.co/AbC", ["https://t.co/AbC"]],
    ["🔗example.com/x", ["example.com/x"]],
    ["nested https://a.com/go?u=https://b.com/x ok", ["https://a.com/go?u=https://b.com/x"]],
    [
      "archive https://web.archive.org/web/2020/https://example.com/x",
      ["https://web.archive.org/web/2020/https://example.com/x"],
    ],
    ["caret https://example.com/a^b`c", ["https://example.com/a^b`c"]],
  ])("%j", (text, expected) => {
    expect(extractUrls(text)).toEqual(expected);
  });

  it("deduplicates exact repeats and keeps the order of first appearance", () => {
    expect(extractUrls("https://b.com/1 https://a.com/2 https://b.com/1 https://a.com/2")).toEqual([
      "https://b.com/1",
      "https://a.com/2",
    ]);
  });

  it("keeps different spellings of one link apart (canonicalUrl unifies them)", () => {
    const found = extractUrls("https://example.com/a?utm_source=x and http://www.example.com/a");
    expect(found).toEqual(["https://example.com/a?utm_source=x", "http://www.example.com/a"]);
    expect(new Set(found.map((u) => canonicalUrl(u)?.canonical)).size).toBe(1);
  });

  it.each([
    ["no links here", "plain prose"],
    ["", "empty"],
    ["   ", "whitespace"],
    ["mail me at alice@example.com", "email"],
    ["contact: mailto:alice@example.com", "mailto"],
    ["ftp://files.example.com/x", "ftp"],
    ["javascript:alert(1)", "javascript"],
    ["the file report.pdf and v1.2.3", "file names and versions"],
    ["visit example.com for more", "bare domain without path"],
    ["Node.js and e.g. i.e.", "dotted words"],
    ["@alice.bsky.social says hi", "Bluesky handle"],
    ["@carol@mastodon.social", "fediverse handle"],
    ["http:// nothing", "scheme only"],
  ])("finds nothing in %j (%s)", (text) => {
    expect(extractUrls(text)).toEqual([]);
  });
});

describe("extractUrls: Persian and Arabic text", () => {
  it.each([
    ["سلام https://example.com/x، خوبی؟", ["https://example.com/x"]],
    ["ببینید:https://example.com/a، و www.test.ir!", ["https://example.com/a", "www.test.ir"]],
    ["خبرhttps://t.co/AbC123", ["https://t.co/AbC123"]],
    ["https://t.co/AbC123سلام", ["https://t.co/AbC123"]],
    ["لینک‌https://t.co/x‌ها", ["https://t.co/x"]],
    ["لینک‌www.example.com/a‌را", ["www.example.com/a"]],
    ["ببین👈https://t.co/x", ["https://t.co/x"]],
    ["«https://t.co/abc»", ["https://t.co/abc"]],
    ["آیا https://example.com/q؟", ["https://example.com/q"]],
    ["اول https://a.com/1؛ دوم https://b.com/2", ["https://a.com/1", "https://b.com/2"]],
    ["\u200fhttps://x.com/user/status/1\u200f", ["https://x.com/user/status/1"]],
    ["\u202bhttps://x.com/a\u202c متن", ["https://x.com/a"]],
    ["ویکی https://fa.wikipedia.org/wiki/ایران را ببینید", ["https://fa.wikipedia.org/wiki/ایران"]],
    ["سایت ایران.ir/خبر را ببینید", ["ایران.ir/خبر"]],
    ["بخوانیدwww.bbc.com/persian", ["www.bbc.com/persian"]],
    ["مطلب bit.ly/3xYz۱ است", ["bit.ly/3xYz"]],
    ["مرحبا https://aljazeera.net/news/1، شكرا", ["https://aljazeera.net/news/1"]],
  ])("%j", (text, expected) => {
    expect(extractUrls(text)).toEqual(expected);
  });

  it("gives links that canonicalise (the Persian-adjacent t.co link is usable)", () => {
    const [u] = extractUrls("فوریhttps://t.co/AbC123?amp=1،");
    expect(canonicalUrl(u ?? "")?.canonical).toBe("https://t.co/AbC123");
  });
});

describe("extractUrls: mixed content", () => {
  it("finds links among emoji, hashtags and mentions", () => {
    expect(extractUrls("🔥🔥 #Iran @alice https://example.com/a 🇮🇷 example.org/b 👉www.c.com")).toEqual([
      "https://example.com/a",
      "example.org/b",
      "www.c.com",
    ]);
  });

  it("finds links on separate lines", () => {
    expect(extractUrls("one\nhttps://a.com/1\ntwo\r\nhttps://b.com/2")).toEqual([
      "https://a.com/1",
      "https://b.com/2",
    ]);
  });
});

describe("extractUrls: hostile input", () => {
  it("skips a 1 MB URL (longer than MAX_URL_LENGTH)", () => {
    expect(extractUrls("see https://example.com/" + "a".repeat(MB) + " and https://ok.com/x")).toEqual([
      "https://ok.com/x",
    ]);
  });

  it("keeps a URL just under the limit", () => {
    const url = "https://example.com/" + "a".repeat(MAX_URL_LENGTH - 100);
    expect(extractUrls(`x ${url} y`)).toEqual([url]);
  });

  it.each([
    ["1 MB of 'a.'", "a.".repeat(MB / 2)],
    ["1 MB of 'www.'", "www.".repeat(MB / 4)],
    ["1 MB of 'http://'", "http://".repeat(MB / 7)],
    ["1 MB of 'a-'", "a-".repeat(MB / 2) + ".com/x"],
    ["1 MB of '@a.'", "@a.".repeat(MB / 3)],
  ])("finishes on %s", (_name, text) => {
    const out = extractUrls(text);
    expect(Array.isArray(out)).toBe(true);
    for (const u of out) expect(u.length).toBeLessThan(MAX_URL_LENGTH);
  });

  it("finishes on 1 MB of brackets and quotes after a link, keeping the link", () => {
    for (const tail of ["(".repeat(MB), "[".repeat(MB), "'".repeat(MB) + "x", ".".repeat(MB)]) {
      const out = extractUrls("https://x.com/p" + tail);
      expect(out.length).toBe(1);
      expect(out[0]?.startsWith("https://x.com/p")).toBe(true);
    }
  });

  it("finds every link in 1 MB of Persian text with glued links", () => {
    const out = extractUrls("سلامhttps://t.co/abc ".repeat(MB / 20));
    expect(out).toEqual(["https://t.co/abc"]);
  });
});

describe("links with a userinfo decoy", () => {
  it("keeps the real host after a dotted userinfo, so the decoy is never recorded as the link", () => {
    expect(extractUrls("login at https://bank.com@evil.example/login now")).toEqual([
      "https://bank.com@evil.example/login",
    ]);
    expect(extractUrls("ورود: https://mellat.ir@phish.example/x، فوری")).toEqual([
      "https://mellat.ir@phish.example/x",
    ]);
  });

  it("leaves an address after a link alone", () => {
    expect(extractUrls("see https://example.com @friend")).toEqual(["https://example.com"]);
  });

  it("keeps the real host after a userinfo with a password, so neither the decoy nor the user name is the host", () => {
    const decoy = extractUrls("login here https://paypal.com:secure@evil.example/login now");
    expect(decoy).toEqual(["https://paypal.com:secure@evil.example/login"]);
    expect(canonicalUrl(decoy[0]!)).toMatchObject({
      canonical: "https://evil.example/login",
      domain: "evil.example",
      hasUserinfo: true,
    });
    const credentials = extractUrls("x https://user:pass@evil.example/ y");
    expect(credentials).toEqual(["https://user:pass@evil.example/"]);
    expect(canonicalUrl(credentials[0]!)).toMatchObject({
      canonical: "https://evil.example/",
      domain: "evil.example",
      hasUserinfo: true,
    });
    // the form without a password, as before
    expect(canonicalUrl(extractUrls("https://paypal.com@evil.example/login")[0]!)).toMatchObject({
      canonical: "https://evil.example/login",
      hasUserinfo: true,
    });
  });

  it("keeps a port a port, and a colon that ends a sentence out of the link", () => {
    const port = extractUrls("see https://example.com:8080/path now");
    expect(port).toEqual(["https://example.com:8080/path"]);
    expect(canonicalUrl(port[0]!)).toMatchObject({
      canonical: "https://example.com:8080/path",
      domain: "example.com",
      hasUserinfo: false,
    });
    expect(extractUrls("see https://host.example:8443 and more")).toEqual(["https://host.example:8443"]);
    expect(canonicalUrl("https://host:8080/path")).toMatchObject({ host: "host", hasUserinfo: false });
    expect(extractUrls("at https://example.com: mail me@there.example")).toEqual(["https://example.com"]);
  });
});
