import { describe, expect, it } from "vitest";
import { canonicalUrl, MAX_URL_LENGTH, SHORTENERS, tweetLinkId } from "./url.js";

const canon = (raw: string): string | null => canonicalUrl(raw)?.canonical ?? null;

describe("canonicalUrl: the record", () => {
  it("fills every field", () => {
    expect(canonicalUrl("HTTP://www.Example.com:80/a/?utm_source=x&b=2&a=1#top")).toEqual({
      canonical: "https://example.com/a?a=1&b=2",
      host: "www.example.com",
      hostUnicode: "www.example.com",
      domain: "example.com",
      isShortener: false,
      isIp: false,
      hasUserinfo: false,
      raw: "HTTP://www.Example.com:80/a/?utm_source=x&b=2&a=1#top",
    });
  });

  it("keeps raw exactly as given, including surrounding whitespace", () => {
    expect(canonicalUrl("  https://example.com/x \n")?.raw).toBe("  https://example.com/x \n");
  });

  it("gives the punycode host and its Unicode form for IDNs", () => {
    const u = canonicalUrl("https://ایران.ir/خبر");
    expect(u?.host).toBe("xn--mgba3a4f16a.ir");
    expect(u?.hostUnicode).toBe("ایران.ir");
    expect(u?.domain).toBe("xn--mgba3a4f16a.ir");
    expect(u?.canonical).toBe("https://xn--mgba3a4f16a.ir/%d8%ae%d8%a8%d8%b1");
    expect(canonicalUrl("https://xn--mgba3a4f16a.ir/%D8%AE%D8%A8%D8%B1")?.canonical).toBe(u?.canonical);
  });

  it("exposes a homoglyph domain in its punycode form", () => {
    const u = canonicalUrl("https://аpple.com/login"); // Cyrillic а
    expect(u?.host.startsWith("xn--")).toBe(true);
    expect(u?.hostUnicode).toBe("аpple.com");
    expect(u?.canonical).not.toBe(canon("https://apple.com/login"));
  });

  it("removes the trailing dot of a fully qualified host", () => {
    const u = canonicalUrl("https://example.com./a");
    expect(u?.host).toBe("example.com");
    expect(u?.canonical).toBe("https://example.com/a");
  });
});

describe("canonicalUrl: scheme, host and port", () => {
  it("unifies http and https", () => {
    expect(canon("http://example.com/a")).toBe("https://example.com/a");
    expect(canon("https://example.com/a")).toBe("https://example.com/a");
  });

  it("lower-cases scheme and host but not the path", () => {
    expect(canon("HTTPS://EXAMPLE.COM/Path/To")).toBe("https://example.com/Path/To");
  });

  it("drops www. from the canonical host only", () => {
    const u = canonicalUrl("https://www.bbc.co.uk/persian");
    expect(u?.canonical).toBe("https://bbc.co.uk/persian");
    expect(u?.host).toBe("www.bbc.co.uk");
    expect(u?.domain).toBe("bbc.co.uk");
    expect(canon("https://www.com/")).toBe("https://www.com/");
  });

  it("drops default ports (80 and 443 on either scheme) and keeps others", () => {
    expect(canon("http://example.com:80/a")).toBe("https://example.com/a");
    expect(canon("https://example.com:443/a")).toBe("https://example.com/a");
    expect(canon("http://example.com:443/a")).toBe("https://example.com/a");
    expect(canon("http://example.com:8080/a")).toBe("https://example.com:8080/a");
  });

  it("drops userinfo and flags it (phishing disguise)", () => {
    const u = canonicalUrl("https://paypal.com:login@evil.example/verify");
    expect(u?.canonical).toBe("https://evil.example/verify");
    expect(u?.host).toBe("evil.example");
    expect(u?.hasUserinfo).toBe(true);
    expect(canonicalUrl("https://evil.example/verify")?.hasUserinfo).toBe(false);
  });

  it("recognises IPv4 and IPv6 hosts", () => {
    const v4 = canonicalUrl("http://93.184.216.34/page");
    expect(v4).toMatchObject({ isIp: true, host: "93.184.216.34", domain: "93.184.216.34" });
    expect(v4?.canonical).toBe("https://93.184.216.34/page");
    const v6 = canonicalUrl("http://[2001:DB8::1]:8080/x");
    expect(v6).toMatchObject({ isIp: true, host: "[2001:db8::1]", domain: "[2001:db8::1]" });
    expect(v6?.canonical).toBe("https://[2001:db8::1]:8080/x");
    expect(canonicalUrl("http://0x5d.184.216.34/")?.host).toBe("93.184.216.34");
  });

  it("keeps private-suffix sites distinct (tldts private domains)", () => {
    expect(canonicalUrl("https://alice.blogspot.com/p/1")?.domain).toBe("alice.blogspot.com");
    expect(canonicalUrl("https://bob.github.io/x")?.domain).toBe("bob.github.io");
    expect(canonicalUrl("https://news.bbc.co.uk/x")?.domain).toBe("bbc.co.uk");
  });

  it("falls back to the host for single-label and unknown-suffix hosts", () => {
    expect(canonicalUrl("http://localhost:3000/x")?.domain).toBe("localhost");
  });
});

describe("canonicalUrl: path, query and fragment", () => {
  it("removes a trailing slash unless the path is /", () => {
    expect(canon("https://example.com/a/")).toBe("https://example.com/a");
    expect(canon("https://example.com/a//")).toBe("https://example.com/a");
    expect(canon("https://example.com/")).toBe("https://example.com/");
    expect(canon("https://example.com")).toBe("https://example.com/");
  });

  it("resolves dot segments", () => {
    expect(canon("https://example.com/a/./b/../c")).toBe("https://example.com/a/c");
  });

  it("lower-cases percent-encoding hex and decodes unreserved characters", () => {
    expect(canon("https://example.com/a%2Fb%3a")).toBe("https://example.com/a%2fb%3a");
    expect(canon("https://example.com/%7Euser/%41BC")).toBe("https://example.com/~user/ABC");
    expect(canon("https://example.com/caf%C3%A9")).toBe(canon("https://example.com/café"));
  });

  it("sorts parameters by key, stably, and keeps repeated keys in order", () => {
    expect(canon("https://example.com/?b=2&a=1&c=3")).toBe("https://example.com/?a=1&b=2&c=3");
    expect(canon("https://example.com/?b=2&a=9&a=1")).toBe("https://example.com/?a=9&a=1&b=2");
    expect(canon("https://example.com/s?q=x&p=2")).toBe(canon("https://example.com/s?p=2&q=x"));
  });

  it("drops empty queries and empty pieces", () => {
    expect(canon("https://example.com/a?")).toBe("https://example.com/a");
    expect(canon("https://example.com/a?&&b=1&")).toBe("https://example.com/a?b=1");
  });

  it("keeps keys without values and empty values", () => {
    expect(canon("https://example.com/a?flag&x=")).toBe("https://example.com/a?flag&x=");
  });

  it.each([
    "utm_source=tw",
    "utm_medium=social",
    "UTM_Campaign=x",
    "utm_anything_new=1",
    "fbclid=IwAR0abc",
    "gclid=Cj0",
    "dclid=1",
    "gbraid=1",
    "wbraid=1",
    "msclkid=1",
    "yclid=1",
    "twclid=1",
    "igshid=MzRlODBiNWFlZA==",
    "igsh=abc",
    "mc_cid=1",
    "mc_eid=1",
    "_ga=2.1",
    "_gl=1*abc",
    "si=abcdef",
    "ref_src=twsrc%5Etfw",
    "ref_url=x",
    "spm=a2g0o",
    "share_id=1",
    "__twitter_impression=true",
    "mibextid=Zxz2cZ",
    "ttclid=1",
    "feature=share",
    "utm%5Fsource=encoded",
  ])("removes the tracking parameter %s", (param) => {
    expect(canon(`https://example.com/article?id=7&${param}`)).toBe("https://example.com/article?id=7");
  });

  it("keeps parameters that name content", () => {
    expect(canon("https://example.com/watch?v=abc&page=2&q=iran")).toBe(
      "https://example.com/watch?page=2&q=iran&v=abc",
    );
    expect(canon("https://example.com/a?s=term&t=10")).toBe("https://example.com/a?s=term&t=10");
    expect(canon("https://example.com/a?feature=full")).toBe("https://example.com/a?feature=full");
  });

  it("drops the fragment but keeps a #! route", () => {
    expect(canon("https://example.com/a#section-2")).toBe("https://example.com/a");
    expect(canon("https://example.com/#!/page/7")).toBe("https://example.com/#!/page/7");
    expect(canon("https://example.com/a#!")).toBe("https://example.com/a");
  });

  it("maps the same article with different share noise to one canonical form", () => {
    const variants = [
      "https://www.example.com/news/2022/09/story/?utm_source=twitter&utm_medium=social",
      "http://example.com/news/2022/09/story?fbclid=IwAR2xyz",
      "https://EXAMPLE.com/news/2022/09/story#comments",
      "https://www.example.com/news/2022/09/story/?",
      "example.com/news/2022/09/story",
    ];
    expect(new Set(variants.map(canon))).toEqual(new Set(["https://example.com/news/2022/09/story"]));
  });
});

describe("canonicalUrl: platform rewrites", () => {
  it("rewrites youtu.be and YouTube variants to youtube.com/watch?v=", () => {
    const want = "https://youtube.com/watch?v=dQw4w9WgXcQ";
    expect(canon("https://youtu.be/dQw4w9WgXcQ")).toBe(want);
    expect(canon("youtu.be/dQw4w9WgXcQ?si=AbCdEf")).toBe(want);
    expect(canon("https://www.youtube.com/watch?v=dQw4w9WgXcQ&feature=youtu.be")).toBe(want);
    expect(canon("https://m.youtube.com/watch?v=dQw4w9WgXcQ&feature=share")).toBe(want);
    expect(canon("https://youtube.com/shorts/dQw4w9WgXcQ?feature=share")).toBe(want);
    expect(canon("https://www.youtube.com/embed/dQw4w9WgXcQ")).toBe(want);
    expect(canon("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")).toBe(want);
    expect(canon("https://youtube.com/live/dQw4w9WgXcQ")).toBe(want);
  });

  it("keeps the start time of a YouTube link", () => {
    expect(canon("https://youtu.be/dQw4w9WgXcQ?t=42")).toBe("https://youtube.com/watch?t=42&v=dQw4w9WgXcQ");
  });

  it("reports the registrable domain of the canonical host for youtu.be", () => {
    const u = canonicalUrl("https://youtu.be/dQw4w9WgXcQ");
    expect(u?.host).toBe("youtu.be");
    expect(u?.domain).toBe("youtube.com");
  });

  it("unifies twitter.com, mobile.twitter.com and x.com status links", () => {
    const want = "https://x.com/jack/status/20";
    expect(canon("https://twitter.com/jack/status/20")).toBe(want);
    expect(canon("https://mobile.twitter.com/jack/status/20")).toBe(want);
    expect(canon("https://x.com/Jack/status/20?s=20&t=AbCdEf")).toBe(want);
    expect(canon("https://www.twitter.com/jack/statuses/20")).toBe(want);
    expect(canon("https://twitter.com/jack/status/20/photo/1")).toBe(want);
    expect(canon("http://twitter.com/#!/jack/status/20")).toBe(want);
    expect(canon("https://mobile.x.com/jack/status/20?ref_src=twsrc%5Etfw")).toBe(want);
  });

  it("moves other twitter.com pages to x.com as well", () => {
    expect(canon("https://twitter.com/jack")).toBe("https://x.com/jack");
    expect(canonicalUrl("https://twitter.com/jack")?.domain).toBe("x.com");
  });

  it("unifies mobile Facebook hosts", () => {
    const want = "https://facebook.com/story.php?id=1&story_fbid=2";
    expect(canon("https://m.facebook.com/story.php?story_fbid=2&id=1&mibextid=abc")).toBe(want);
    expect(canon("https://mbasic.facebook.com/story.php?story_fbid=2&id=1")).toBe(want);
    expect(canon("https://www.facebook.com/story.php?story_fbid=2&id=1&__cft__[0]=AZ&__tn__=R")).toBe(want);
  });

  it("drops the ?amp=1 that t.co appends", () => {
    expect(canon("https://t.co/AbC123xyz?amp=1")).toBe("https://t.co/AbC123xyz");
  });
});

describe("canonicalUrl: shorteners", () => {
  it.each([
    "https://bit.ly/3abc",
    "http://t.co/x",
    "tinyurl.com/y6abc",
    "https://goo.gl/a",
    "https://www.bit.ly/a",
  ])("flags %s", (raw) => {
    expect(canonicalUrl(raw)?.isShortener).toBe(true);
  });

  it("does not flag t.me (a Telegram channel) or ordinary sites", () => {
    expect(canonicalUrl("https://t.me/channel/123")?.isShortener).toBe(false);
    expect(canonicalUrl("https://example.com/")?.isShortener).toBe(false);
    expect(SHORTENERS.has("t.me")).toBe(false);
  });

  it("lists about forty shorteners, all lower-case hosts without www.", () => {
    expect(SHORTENERS.size).toBeGreaterThanOrEqual(40);
    for (const h of SHORTENERS) {
      expect(h).toBe(h.toLowerCase());
      expect(h.startsWith("www.")).toBe(false);
      expect(h.includes(".")).toBe(true);
    }
    for (const h of [
      "bit.ly",
      "t.co",
      "ow.ly",
      "buff.ly",
      "is.gd",
      "rb.gy",
      "cutt.ly",
      "lnkd.in",
      "ift.tt",
    ]) {
      expect(SHORTENERS.has(h)).toBe(true);
    }
  });

  it("keeps the case-sensitive path of a short link", () => {
    expect(canon("https://bit.ly/3AbCdEf")).toBe("https://bit.ly/3AbCdEf");
  });
});

describe("canonicalUrl: scheme-less input", () => {
  it.each([
    ["www.example.com", "https://example.com/"],
    ["WWW.Example.com/a", "https://example.com/a"],
    ["example.com/news/1", "https://example.com/news/1"],
    ["example.com", "https://example.com/"],
    ["bbc.co.uk/persian", "https://bbc.co.uk/persian"],
    ["bit.ly/abc", "https://bit.ly/abc"],
    ["example.com:8080/x", "https://example.com:8080/x"],
    ["//example.com/x", "https://example.com/x"],
    ["93.184.216.34/x", "https://93.184.216.34/x"],
    ["ایران.ir/خبر", "https://xn--mgba3a4f16a.ir/%d8%ae%d8%a8%d8%b1"],
  ])("%s → %s", (raw, expected) => {
    expect(canon(raw)).toBe(expected);
  });

  it.each([
    "alice@example.com",
    "file.notatld/x",
    "hello",
    "hello world",
    "localhost:3000",
    "1.2.3.4",
    "/relative/path",
    "?q=1",
  ])("refuses %j", (raw) => {
    expect(canonicalUrl(raw)).toBeNull();
  });
});

describe("canonicalUrl: refusals and hostile input", () => {
  it.each([
    "",
    "   ",
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "mailto:alice@example.com",
    "ftp://example.com/file",
    "file:///etc/passwd",
    "tel:+989121234567",
    "about:blank",
    "http://",
    "https://",
    "http:// example.com",
    "http://exa mple.com/",
    "http://xn--zz/",
    "http://xn--/",
    "https://xn--a.com/",
    "http://[::1/",
    "http://a..b/",
  ])("returns null for %j", (raw) => {
    expect(canonicalUrl(raw)).toBeNull();
  });

  it("never throws on malformed IDN and odd hosts", () => {
    const inputs = [
      "http://xn--ls8h.la/",
      "http://xn--" + "-".repeat(300) + ".com/",
      "http://xn--abc-.com",
      "http://" + "a".repeat(64) + ".com/",
      "http://" + "a.".repeat(200) + "com/",
      "http://%zz.com/",
      "http://ex%41mple.com/",
      "https://\u202Eexample.com/",
      "https://exa\u200Bmple.com/",
    ];
    for (const raw of inputs) {
      expect(() => canonicalUrl(raw)).not.toThrow();
    }
    expect(canonicalUrl("http://xn--ls8h.la/")?.hostUnicode).toBe("💩.la");
  });

  it("refuses input longer than MAX_URL_LENGTH, including a 1 MB URL", () => {
    expect(canonicalUrl("https://example.com/" + "a".repeat(1 << 20))).toBeNull();
    const justFits = "https://example.com/" + "a".repeat(MAX_URL_LENGTH - 20);
    expect(justFits.length).toBe(MAX_URL_LENGTH);
    expect(canonicalUrl(justFits)?.canonical.length).toBe(MAX_URL_LENGTH);
  });

  it("handles long runs of slashes and parameters", () => {
    expect(canon("https://example.com" + "/".repeat(16_000))).toBe("https://example.com/");
    const many = canon("https://example.com/?" + "utm_a=1&b=2&".repeat(1300));
    expect(many?.startsWith("https://example.com/?b=2&b=2")).toBe(true);
    expect(many?.includes("utm_")).toBe(false);
  });

  it("handles malformed percent-encoding in parameter keys", () => {
    expect(canon("https://example.com/?%E0%A4%A=1&utm_source=x")).toBe("https://example.com/?%e0%a4%A=1");
  });
});

describe("links to tweets", () => {
  it("names the tweet a status link points to, in every form Twitter and X write it", () => {
    expect(tweetLinkId("https://twitter.com/news_agency/status/1744992470947266561")).toBe(
      "1744992470947266561",
    );
    expect(tweetLinkId("https://x.com/a/status/17?s=20")).toBe("17");
    expect(tweetLinkId("http://mobile.twitter.com/a/statuses/17/photo/1")).toBe("17");
    expect(tweetLinkId("https://twitter.com/i/web/status/17")).toBe("17");
    expect(tweetLinkId("https://twitter.com/a/status/17abc")).toBeNull();
    expect(tweetLinkId("https://example.com/a/status/17")).toBeNull();
    expect(tweetLinkId("https://x.com/a")).toBeNull();
  });
});
