/**
 * HTML to plain text without a DOM, for post bodies that arrive as HTML (Mastodon's `content`, RSS, scraped
 * pages). It is a single forward scan: every search starts where the previous one ended and never looks back, so
 * the running time is linear in the input, whatever it holds. Regular expressions over tags are avoided on
 * purpose: on hostile input ("<<<<…", unclosed tags and quotes) they backtrack quadratically or worse.
 *
 * Unfinished constructs are treated as browsers treat them: an unclosed tag, comment or quoted attribute value
 * swallows the rest of the input; an unclosed <script> or <style> drops the rest too. A "<" not followed by a tag
 * name ("a < b", "<3") is text.
 */

/** Named entities decoded; the basic ones plus those common in posts. Others are left as written. */
const NAMED_ENTITIES: ReadonlyMap<string, string> = new Map([
  ["amp", "&"],
  ["lt", "<"],
  ["gt", ">"],
  ["quot", '"'],
  ["apos", "'"],
  ["nbsp", "\u00a0"],
  ["zwnj", "\u200c"],
  ["zwj", "\u200d"],
  ["lrm", "\u200e"],
  ["rlm", "\u200f"],
  ["shy", "\u00ad"],
  ["hellip", "\u2026"],
  ["mdash", "\u2014"],
  ["ndash", "\u2013"],
  ["lsquo", "\u2018"],
  ["rsquo", "\u2019"],
  ["ldquo", "\u201c"],
  ["rdquo", "\u201d"],
  ["laquo", "\u00ab"],
  ["raquo", "\u00bb"],
  ["copy", "\u00a9"],
  ["reg", "\u00ae"],
  ["trade", "\u2122"],
  ["middot", "\u00b7"],
  ["bull", "\u2022"],
]);

/**
 * HTML maps numeric references 0x80–0x9F to windows-1252 (pages encoded in it wrote "&#150;" for "–").
 * Unlisted codes in that range stay as they are.
 */
const WINDOWS_1252: Readonly<Record<number, number>> = {
  0x80: 0x20ac,
  0x82: 0x201a,
  0x83: 0x0192,
  0x84: 0x201e,
  0x85: 0x2026,
  0x86: 0x2020,
  0x87: 0x2021,
  0x88: 0x02c6,
  0x89: 0x2030,
  0x8a: 0x0160,
  0x8b: 0x2039,
  0x8c: 0x0152,
  0x8e: 0x017d,
  0x91: 0x2018,
  0x92: 0x2019,
  0x93: 0x201c,
  0x94: 0x201d,
  0x95: 0x2022,
  0x96: 0x2013,
  0x97: 0x2014,
  0x98: 0x02dc,
  0x99: 0x2122,
  0x9a: 0x0161,
  0x9b: 0x203a,
  0x9c: 0x0153,
  0x9e: 0x017e,
  0x9f: 0x0178,
};

/** Elements whose start or end breaks the line; `p` (a paragraph) leaves a blank line. */
const BLOCK_ELEMENTS: ReadonlySet<string> = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "dd",
  "div",
  "dl",
  "dt",
  "figcaption",
  "figure",
  "footer",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hr",
  "li",
  "main",
  "nav",
  "ol",
  "pre",
  "section",
  "table",
  "tr",
  "ul",
]);

/** Elements whose content is not text for a reader. */
const RAW_TEXT_ELEMENTS: ReadonlySet<string> = new Set(["script", "style", "template", "noscript"]);

const ENTITY_NAME_MAX = 32;
const NUMERIC_DIGITS_MAX = 8;

const isAsciiLetter = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isAsciiAlnum = (c: number): boolean => isAsciiLetter(c) || (c >= 0x30 && c <= 0x39);
const isHtmlSpace = (c: number): boolean =>
  c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;

/** Decode one character reference at `amp` (the "&"); returns the text and the index after it, or null. */
function decodeEntityAt(s: string, amp: number): { text: string; end: number } | null {
  if (s.charCodeAt(amp + 1) === 0x23 /* # */) {
    let i = amp + 2;
    const hex = s.charCodeAt(i) === 0x78 || s.charCodeAt(i) === 0x58; // x X
    if (hex) i++;
    const start = i;
    let cp = 0;
    for (; i - start <= NUMERIC_DIGITS_MAX; i++) {
      const c = s.charCodeAt(i);
      let d = -1;
      if (c >= 0x30 && c <= 0x39) d = c - 0x30;
      else if (hex && c >= 0x61 && c <= 0x66) d = c - 0x61 + 10;
      else if (hex && c >= 0x41 && c <= 0x46) d = c - 0x41 + 10;
      if (d < 0) break;
      cp = cp * (hex ? 16 : 10) + d;
    }
    if (i === start || s.charCodeAt(i) !== 0x3b /* ; */) return null;
    cp = WINDOWS_1252[cp] ?? cp;
    if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
    return { text: String.fromCodePoint(cp), end: i + 1 };
  }
  let i = amp + 1;
  while (i - amp <= ENTITY_NAME_MAX && isAsciiAlnum(s.charCodeAt(i))) i++;
  if (i === amp + 1 || s.charCodeAt(i) !== 0x3b) return null;
  const text = NAMED_ENTITIES.get(s.slice(amp + 1, i));
  return text === undefined ? null : { text, end: i + 1 };
}

/** Decode entities in a text run. Linear: each reference is read at most once, a bounded distance ahead. */
function decodeEntities(t: string): string {
  let amp = t.indexOf("&");
  if (amp < 0) return t;
  let out = "";
  let from = 0;
  while (amp >= 0) {
    const hit = decodeEntityAt(t, amp);
    if (hit !== null) {
      out += t.slice(from, amp) + hit.text;
      from = hit.end;
    }
    amp = t.indexOf("&", hit !== null ? hit.end : amp + 1);
  }
  return out + t.slice(from);
}

/** Accumulates text with HTML's whitespace collapsing and line/paragraph breaks that never lead or trail. */
class TextSink {
  private parts: string[] = [];
  private pendingBreak = 0;
  private pendingSpace = false;
  private atLineStart = true;

  /** A run of source text: ASCII whitespace collapses to one space, then entities are decoded. */
  text(raw: string): void {
    const collapsed = raw.replace(/[\t\n\f\r ]+/g, " ");
    const lead = collapsed.charCodeAt(0) === 0x20;
    const trail = collapsed.length > 1 && collapsed.charCodeAt(collapsed.length - 1) === 0x20;
    const core = collapsed.slice(lead ? 1 : 0, trail ? -1 : undefined);
    if (lead) this.pendingSpace = true;
    if (core.length === 0) return;
    if (this.pendingBreak > 0 && this.parts.length > 0) {
      this.parts.push(this.pendingBreak > 1 ? "\n\n" : "\n");
      this.atLineStart = true;
    }
    this.pendingBreak = 0;
    if (this.pendingSpace && !this.atLineStart) this.parts.push(" ");
    this.parts.push(decodeEntities(core));
    this.atLineStart = false;
    this.pendingSpace = trail;
  }

  lineBreak(lines: 1 | 2): void {
    this.pendingBreak = Math.max(this.pendingBreak, lines);
    this.pendingSpace = false;
  }

  /** `<br>` always breaks, even twice in a row: an empty line is content. */
  hardBreak(): void {
    if (this.pendingBreak > 0 && this.parts.length > 0) {
      this.parts.push(this.pendingBreak > 1 ? "\n\n" : "\n");
      this.pendingBreak = 0;
    }
    this.parts.push("\n");
    this.pendingSpace = false;
    this.atLineStart = true;
  }

  toString(): string {
    const isBreak = (p: string | undefined): boolean => p === "\n" || p === "\n\n";
    let i = 0;
    while (i < this.parts.length && isBreak(this.parts[i])) i++;
    let j = this.parts.length;
    while (j > i && isBreak(this.parts[j - 1])) j--;
    return this.parts.slice(i, j).join("");
  }
}

/**
 * End of a tag (the index after its ">") whose name stops at `nameEnd`, honouring quoted attribute values; -1
 * when the input ends first.
 */
function tagEnd(s: string, nameEnd: number): number {
  let afterEq = false;
  for (let i = nameEnd; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3e /* > */) return i + 1;
    if (afterEq && (c === 0x22 || c === 0x27)) {
      const close = s.indexOf(c === 0x22 ? '"' : "'", i + 1);
      if (close < 0) return -1;
      i = close;
      afterEq = false;
    } else if (c === 0x3d /* = */) afterEq = true;
    else if (!isHtmlSpace(c)) afterEq = false;
  }
  return -1;
}

/** Index of the "<" of the end tag `</name` at or after `from`, case-insensitively; -1 if none. */
function findEndTag(s: string, name: string, from: number): number {
  for (let k = s.indexOf("</", from); k >= 0; k = s.indexOf("</", k + 2)) {
    if (
      s.slice(k + 2, k + 2 + name.length).toLowerCase() === name &&
      !isAsciiAlnum(s.charCodeAt(k + 2 + name.length))
    ) {
      return k;
    }
  }
  return -1;
}

/**
 * Plain text of an HTML fragment: tags removed, `<br>` as a line break, paragraphs separated by a blank line and
 * other block elements by a line break, `<script>`/`<style>` content dropped, whitespace collapsed as a browser
 * would, and character references decoded (named: amp, lt, gt, quot, apos, nbsp and a few more; numeric decimal
 * and hex). Linear-time on any input.
 *
 * @example
 * stripHtml('<p>Hello <a href="https://x.y/">@<span>alice</span></a></p><p>A&amp;B</p>'); // "Hello @alice\n\nA&B"
 */
export function stripHtml(html: string): string {
  const sink = new TextSink();
  const n = html.length;
  let textStart = 0; // start of text not yet handed to the sink
  let scan = 0; // where to look for the next "<"
  for (;;) {
    const lt = html.indexOf("<", scan);
    if (lt < 0) {
      sink.text(html.slice(textStart));
      break;
    }
    const next = html.charCodeAt(lt + 1);
    if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
      sink.text(html.slice(textStart, lt));
      const isComment = html.startsWith("<!--", lt);
      const end = isComment ? html.indexOf("-->", lt + 4) : html.indexOf(">", lt + 2);
      if (end < 0) break;
      textStart = scan = end + (isComment ? 3 : 1);
      continue;
    }
    const closing = next === 0x2f; /* / */
    const nameStart = closing ? lt + 2 : lt + 1;
    if (!isAsciiLetter(html.charCodeAt(nameStart))) {
      scan = lt + 1; // "a < b", "<3": the "<" is text
      continue;
    }
    sink.text(html.slice(textStart, lt));
    let nameEnd = nameStart;
    while (nameEnd < n && isAsciiAlnum(html.charCodeAt(nameEnd))) nameEnd++;
    const name = html.slice(nameStart, nameEnd).toLowerCase();
    const end = tagEnd(html, nameEnd);
    if (end < 0) break;
    textStart = scan = end;

    if (name === "br") sink.hardBreak();
    else if (name === "p") sink.lineBreak(2);
    else if (BLOCK_ELEMENTS.has(name)) sink.lineBreak(1);
    else if (!closing && RAW_TEXT_ELEMENTS.has(name)) {
      const close = findEndTag(html, name, end);
      const closeEnd = close < 0 ? -1 : html.indexOf(">", close);
      if (closeEnd < 0) break;
      textStart = scan = closeEnd + 1;
    }
  }
  return sink.toString();
}
