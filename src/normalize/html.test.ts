import { describe, expect, it } from "vitest";
import { stripHtml } from "./text.js";

const MB = 1 << 20;

describe("stripHtml: Mastodon content", () => {
  it("turns paragraphs into blank-line-separated text", () => {
    expect(stripHtml("<p>First paragraph.</p><p>Second one.</p>")).toBe("First paragraph.\n\nSecond one.");
  });

  it("turns <br> into a line break, in all spellings", () => {
    expect(stripHtml("<p>line one<br>line two<br/>line three<br />four<BR>five</p>")).toBe(
      "line one\nline two\nline three\nfour\nfive",
    );
  });

  it("keeps the empty line made by two <br>", () => {
    expect(stripHtml("<p>a<br><br>b</p>")).toBe("a\n\nb");
  });

  it("reassembles a link split into invisible/ellipsis spans", () => {
    const html =
      '<p>Read <a href="https://example.com/articles/2022/09/long-title" rel="nofollow noopener" target="_blank">' +
      '<span class="invisible">https://</span><span class="ellipsis">example.com/articles/2022/</span>' +
      '<span class="invisible">09/long-title</span></a></p>';
    expect(stripHtml(html)).toBe("Read https://example.com/articles/2022/09/long-title");
  });

  it("keeps mentions and hashtags as text", () => {
    const html =
      '<p><span class="h-card"><a href="https://mastodon.social/@alice" class="u-url mention">@<span>alice</span></a></span> ' +
      '<a href="https://mastodon.social/tags/Iran" class="mention hashtag" rel="tag">#<span>Iran</span></a></p>';
    expect(stripHtml(html)).toBe("@alice #Iran");
  });

  it("handles Persian content with ZWNJ entities and RTL text", () => {
    const html =
      '<p dir="rtl">می&zwnj;خواهم <a href="https://x.ir/tags/ایران">#<span>ایران</span></a>&rlm;</p>';
    expect(stripHtml(html)).toBe("می\u200cخواهم #ایران\u200f");
  });
});

describe("stripHtml: entities", () => {
  it.each([
    ["&amp; &lt; &gt; &quot; &#39; &apos;", "& < > \" ' '"],
    ["a&nbsp;b", "a\u00a0b"],
    ["&#65;&#x42;&#X43;&#x1F600;", "ABC😀"],
    ["&#1587;&#1604;&#1575;&#1605;", "سلام"],
    ["&#150; &#8212; &hellip; &laquo;x&raquo;", "– — … «x»"],
    ["&#0; &#xD800; &#x110000; &#99999999;", "\ufffd \ufffd \ufffd \ufffd"],
    ["&amp;lt;", "&lt;"],
    ["&unknown; &amp &#; &#x; &#xZZ; & ;", "&unknown; &amp &#; &#x; &#xZZ; & ;"],
    ["AT&T R&D", "AT&T R&D"],
    ["&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa;", "&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa;"],
  ])("%j → %j", (input, expected) => {
    expect(stripHtml(input)).toBe(expected);
  });

  it("decodes &lt;script&gt; to text without treating it as a tag", () => {
    expect(stripHtml("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")).toBe("<script>alert(1)</script>");
  });
});

describe("stripHtml: tags and structure", () => {
  it("removes tags and their attributes", () => {
    expect(stripHtml('<b>bold</b> <i class="x">italic</i> <img src="a.png" alt="pic"> end')).toBe(
      "bold italic end",
    );
  });

  it("drops <script>, <style>, <template> and <noscript> content", () => {
    expect(stripHtml("a<script>alert('x')</script>b")).toBe("ab");
    expect(stripHtml("a<SCRIPT type='text/javascript'>var x = '</scr' + 'ipt>';</SCRIPT >b")).toBe("ab");
    // like a browser, the first </script> ends the element even inside a JS string
    expect(stripHtml("a<script>var s = '</script>';</script>b")).toBe("a';b");
    expect(stripHtml("a<style>p { color: red }</style>b")).toBe("ab");
    expect(stripHtml("a<template><p>hidden</p></template>b")).toBe("ab");
    expect(stripHtml("a<noscript>enable js</noscript>b")).toBe("ab");
  });

  it("does not end a script at a longer end-tag name", () => {
    expect(stripHtml("<script>x</scripts>y</script>z")).toBe("z");
  });

  it("removes comments, doctype and processing instructions", () => {
    expect(stripHtml("<!DOCTYPE html><?xml version='1.0'?>a<!-- hidden <p>x</p> -->b")).toBe("ab");
  });

  it("honours quoted attribute values containing >", () => {
    expect(stripHtml("x <a title='a>b' href=\"c>d\">y</a> z")).toBe("x y z");
  });

  it("treats a < that does not start a tag as text", () => {
    expect(stripHtml("a < b and c<3 and 1<2 and </ 3")).toBe("a < b and c<3 and 1<2 and </ 3");
  });

  it("collapses source whitespace like a browser", () => {
    expect(stripHtml("<p>\n  Hello\n   world\t!\n</p>\n\n<p>  next  </p>")).toBe("Hello world !\n\nnext");
  });

  it("breaks lines at block elements and never leads or trails with breaks", () => {
    expect(stripHtml("<div>one</div><div>two</div><ul><li>a</li><li>b</li></ul><h1>T</h1>")).toBe(
      "one\ntwo\na\nb\nT",
    );
    expect(stripHtml("<br><br><p></p><p>only</p><br><p></p>")).toBe("only");
  });

  it("keeps inline spaces across tags", () => {
    expect(stripHtml("<b>a</b> <i>b</i>")).toBe("a b");
    expect(stripHtml("<b>a</b><i>b</i>")).toBe("ab");
  });

  it("returns text without tags unchanged apart from whitespace", () => {
    expect(stripHtml("plain text, no tags")).toBe("plain text, no tags");
    expect(stripHtml("")).toBe("");
    expect(stripHtml("   \n  ")).toBe("");
  });
});

describe("stripHtml: malformed and hostile input", () => {
  it("drops the rest after an unclosed tag, as browsers do", () => {
    expect(stripHtml("before <a href='x' after")).toBe("before");
    expect(stripHtml("before <b")).toBe("before");
  });

  it("drops the rest after an unclosed quote, comment or script", () => {
    expect(stripHtml('ok <a title="never closed>more text')).toBe("ok");
    expect(stripHtml("ok <!-- never closed")).toBe("ok");
    expect(stripHtml("ok <script>alert(1)")).toBe("ok");
  });

  it("does not let bidi overrides in text hide anything: they pass through for foldText to handle", () => {
    expect(stripHtml("<p>abc\u202Edef</p>")).toBe("abc\u202Edef");
  });

  it("handles 5 MB of '<'", () => {
    const out = stripHtml("<".repeat(5 * MB));
    expect(out.length).toBe(5 * MB);
    expect(out.startsWith("<<<")).toBe(true);
  });

  it("handles 5 MB of unclosed tags", () => {
    expect(stripHtml("x" + "<a ".repeat(2 * MB))).toBe("x");
    expect(stripHtml("x" + '<a b="'.repeat(MB))).toBe("x");
    expect(stripHtml("x<p" + "<<<<".repeat(MB))).toBe("x");
  });

  it("handles 5 MB of alternating quotes inside one tag", () => {
    expect(stripHtml("x<a " + "q=\"'\" r='\"' ".repeat(MB / 2) + ">y")).toBe("xy");
  });

  it("handles 5 MB of ampersands and broken references", () => {
    expect(stripHtml("&".repeat(5 * MB)).length).toBe(5 * MB);
    expect(stripHtml("&#".repeat(2 * MB)).length).toBe(4 * MB);
    expect(stripHtml("&amp".repeat(MB)).length).toBe(4 * MB);
  });

  it("handles 5 MB of end-tag openers inside a script", () => {
    expect(stripHtml("a<script>" + "</".repeat(2 * MB))).toBe("a");
  });

  it("handles 5 MB of unclosed comments", () => {
    expect(stripHtml("a" + "<!--".repeat(MB))).toBe("a");
  });

  it("handles 4 MB of many small paragraphs", () => {
    const out = stripHtml("<p>x</p>".repeat(MB / 2));
    expect(out.length).toBe(MB / 2 + (MB / 2 - 1) * 2);
  });
});
