import { describe, expect, it } from "vitest";
import {
  anchorId,
  escapeHtml,
  html,
  jsonForScript,
  labelText,
  raw,
  sentence,
  text,
  userBlock,
} from "./escape.js";

describe("escapeHtml and the html template", () => {
  it("escapes every character that can open markup or leave an attribute", () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\`</a>`)).toBe(
      "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;",
    );
  });

  it("escapes interpolated values but keeps nested templates and raw markup as they are", () => {
    const hostile = `<script>alert(1)</script>`;
    const inner = html`<b>${hostile}</b>`;
    const out = html`<p title="${hostile}">${inner}${raw("<hr />")}${[1, "<i>", null, undefined, false]}</p>`;
    expect(out.value).toBe(
      `<p title="&lt;script&gt;alert(1)&lt;/script&gt;"><b>&lt;script&gt;alert(1)&lt;/script&gt;</b><hr />1&lt;i&gt;</p>`,
    );
  });
});

describe("text", () => {
  it("isolates user text in a bdi with automatic direction", () => {
    expect(text("سلام <b>").value).toBe(`<bdi dir="auto">سلام &lt;b&gt;</bdi>`);
  });

  it("shows bidi overrides and zero-width spaces as visible, named markers", () => {
    const out = text("invoice\u202Efdp.exe\u200B").value;
    // the marker has a direction of its own, so that its Latin letters do not set the direction of the text
    expect(out).toContain(
      `<mark class="hidden-char" dir="ltr" title="RIGHT-TO-LEFT OVERRIDE">[U+202E]</mark>`,
    );
    expect(out).toContain("[U+200B]");
    expect(out).not.toContain("\u202E");
    expect(out).not.toContain("\u200B");
  });

  it("leaves the joiners that Persian and emoji need in place", () => {
    const persian = "می\u200Cخواهم";
    expect(text(persian).value).toBe(`<bdi dir="auto">${persian}</bdi>`);
  });

  it("cuts huge fields and says how much was left out, without splitting a surrogate pair", () => {
    const out = text("😀".repeat(10), 5).value;
    // 5 UTF-16 units would split the third emoji: it keeps two (4 units) and cuts 16
    expect(out).toContain(`<bdi dir="auto">😀😀</bdi>`);
    expect(out).toContain("16 more characters");
    expect(text("A".repeat(100_000)).value.length).toBeLessThan(2200);
  });

  it("says (none) for missing values", () => {
    for (const v of [null, undefined, ""]) expect(text(v).value).toContain("(none)");
  });
});

describe("userBlock", () => {
  it("gives the element that holds user text the text's own direction, with no isolate inside to hide it", () => {
    const post = "امروز جمع شوید! <b>";
    expect(userBlock("td", post, 300, "obj").value).toBe(
      `<td class="obj" dir="auto">${escapeHtml(post)}</td>`,
    );
    // markers and the cut note are isolated, so that their Latin letters do not decide the block's direction
    const cut = userBlock("div", `\u200F${post}`, 5).value;
    expect(cut).toMatch(/^<div dir="auto"><mark class="hidden-char" dir="ltr"[^>]*>\[U\+200F\]<\/mark>/);
    expect(cut).toContain('<span class="cut" dir="ltr"> … (15 more characters)</span></div>');
    expect(userBlock("dd", "").value).toBe('<dd><span class="none">(none)</span></dd>');
  });
});

describe("sentence", () => {
  it("isolates each phrase our sentence quotes, in the order written, and leaves the sentence as it is", () => {
    const said = 'The most shared object was @a\'s post "حقیقت را بازنشر کنید!" and "<i>x</i>" (post 7).';
    expect(sentence(said).value).toBe(
      'The most shared object was @a&#39;s post "<bdi dir="auto">حقیقت را بازنشر کنید!</bdi>" and ' +
        '"<bdi dir="auto">&lt;i&gt;x&lt;/i&gt;</bdi>" (post 7).',
    );
    expect(sentence("x".repeat(50), 10).value).toContain("(40 more characters)");
  });
});

describe("jsonForScript", () => {
  it("cannot close its script block or open a comment, and parses back to the same value", () => {
    const v = { s: "</script><script>alert(1)</script><!-- \u2028\u2029 &amp;" };
    const out = jsonForScript(v);
    expect(out).not.toMatch(/<\/script|<!--|[\u2028\u2029]/i);
    expect(JSON.parse(out)).toEqual(v);
  });
});

describe("stacks of combining marks", () => {
  it("keeps a few on a letter and counts the rest, in the report's text and its graphs' labels", () => {
    const stacked = `a${"\u0301".repeat(250)}b`;
    expect(text(stacked).value).toBe(
      `<bdi dir="auto">a${"\u0301".repeat(8)}<mark class="hidden-char" dir="ltr" title="242 more combining marks on one letter">[+242 marks]</mark>b</bdi>`,
    );
    expect(labelText(stacked)).toBe(`a${"\u0301".repeat(8)}[+242 marks]b`);
    expect(text("مُحَمَّد").value).toBe('<bdi dir="auto">مُحَمَّد</bdi>');
  });
});

describe("anchorId", () => {
  it("maps any key to a safe, distinct id", () => {
    const a = anchorId("acct", "twitter:123");
    const b = anchorId("acct", `x:"><script>`);
    expect(a).toBe("acct-twitter.3a.123");
    expect(b).toMatch(/^acct-[A-Za-z0-9_.-]+$/);
    expect(anchorId("acct", "a:b")).not.toBe(anchorId("acct", "a.b"));
    // an escape is closed: a character after it is not read as more of its digits
    expect(anchorId("acct", "twitter:\u03a1")).not.toBe(anchorId("acct", "twitter::1"));
    expect(anchorId("acct", "twitter:a.0")).not.toBe(anchorId("acct", "twitter:a\u02e0"));
  });
});

describe("labelText", () => {
  it("marks hidden characters in a graph's label as the report's text does, and cuts a huge one", () => {
    expect(labelText("@invoice\u202Efdp.exe")).toBe("@invoice[U+202E]fdp.exe");
    // the joiners Persian is written with stay as they are
    expect(labelText("@نرگس\u200cمحمدی")).toBe("@نرگس\u200cمحمدی");
    const huge = labelText(`@${"x".repeat(5000)}`);
    expect([...huge]).toHaveLength(60);
    expect(huge.endsWith("…")).toBe(true);
    // an emoji at the cut is not split
    expect(labelText("😀".repeat(100), 10)).toBe(`${"😀".repeat(9)}…`);
  });
});
