/**
 * Finding links in free text. linkify-it does the recognition (its path rules already stop at Unicode
 * punctuation such as ، ؛ ؟ « » … and balance parentheses); this module adapts it to social-media text:
 *
 * - Links written without a scheme count when they start with "www." or carry a path ("example.com/x"); a bare
 *   "example.com" in prose is too often a name, not a shared link.
 * - In Persian and Arabic posts a link is often glued to the words around it ("خبرhttps://t.co/x",
 *   "https://t.co/xسلام") or wrapped in bidi marks by the editor, and in any language to an emoji ("👉https://").
 *   Before matching, bidi marks become spaces and a space is put between Arabic-script and Latin letters (ZWNJ
 *   between them or not), between a word and "http(s)://", and between an emoji and a Latin letter or digit. A
 *   domain label never mixes Arabic and Latin (IDNA's bidi rule forbids it) and paths rarely do; a path that does
 *   is cut there.
 * - Links are returned as written (for provenance), in order, without repeats; `canonicalUrl` compares them.
 */
import { LinkifyIt } from "linkify-it";

/** Longer inputs are refused: no shared link is this long, and a bound keeps work per row small. */
export const MAX_URL_LENGTH = 16_384;

/** gTLDs common in shared links beyond linkify-it's defaults (which cover every two-letter ccTLD). */
const EXTRA_TLDS = [
  "app",
  "blog",
  "click",
  "cloud",
  "club",
  "dev",
  "digital",
  "fun",
  "global",
  "icu",
  "life",
  "link",
  "live",
  "media",
  "news",
  "one",
  "online",
  "page",
  "press",
  "site",
  "social",
  "space",
  "store",
  "tech",
  "today",
  "top",
  "video",
  "website",
  "world",
  "xyz",
  "ایران",
  "امارات",
  "السعودية",
  "مصر",
];

let linkify: LinkifyIt | null = null;

/** Built on first use: compiling linkify-it's expressions costs a few milliseconds. */
function linkifier(): LinkifyIt {
  linkify ??= new LinkifyIt({ fuzzyLink: true, fuzzyEmail: false, fuzzyIP: false, maxLength: MAX_URL_LENGTH })
    .add("ftp:", null)
    .add("mailto:", null)
    .add("//", null)
    .tlds(EXTRA_TLDS, true);
  return linkify;
}

const ARABIC_SCRIPT = "\\u0600-\\u06ff\\u0750-\\u077f\\u08a0-\\u08ff\\ufb50-\\ufdff\\ufe70-\\ufefe";
/** Bidi controls, zero-width space, BOM: never part of a link, often right next to one in RTL text. */
const INVISIBLE_RE = /[\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const LATIN_THEN_ARABIC_RE = new RegExp(`([A-Za-z0-9])(?=[\\u200c\\u200d]*[${ARABIC_SCRIPT}])`, "g");
const ARABIC_THEN_LATIN_RE = new RegExp(`([${ARABIC_SCRIPT}][\\u200c\\u200d]*)(?=[A-Za-z])`, "g");
/** A scheme glued to a preceding word: "readhttps://…", "لینک‌https://…" (with ZWNJ). */
const GLUED_SCHEME_RE = /(?<=[\p{L}\p{M}\p{N}\u200c\u200d])(?=https?:\/\/)/giu;
/** A link glued to a preceding emoji: "👉https://…", "🔗example.com/x". ASCII symbols (^ `) are left alone. */
const EMOJI_THEN_ASCII_RE = /(?<=[\p{So}\p{Sk}\ufe0f\u20e3])(?<![\u0000-\u007f])(?=[A-Za-z0-9])/gu;
const WWW_RE = /^www\./i;
const CLOSERS: Readonly<Record<string, string>> = { ")": "(", "]": "[", "}": "{" };
/** Characters that end a sentence rather than a link. */
const TRAILING = new Set([...".,;:!?'\"*»«…،؛؟"]);

/**
 * After a link's host, "@" and another host, maybe with a ":password" before the "@": the first "host" was
 * userinfo, a decoy ("https://bank.com@evil.example", "https://bank.com:secure@evil.example").
 */
const AFTER_USERINFO_RE = /^(?::[^\s@/?#]*)?@[^\s@/?#]+\.[^\s@/?#]+[^\s]*/;

/**
 * linkify-it ends a link with a scheme at a userinfo ("https://bank.com@evil.example" -> "https://bank.com",
 * "https://user:pass@evil.example" -> "https://user"), which would record the decoy as the link. When "@" and a
 * host follow the match, or ":", a password and "@" and a host, the link goes on to the real host (URL
 * canonicalisation then drops and flags the userinfo). A port ("https://host:8080/x") is in the match already.
 */
function withUserinfo(text: string, start: number, end: number, raw: string): string {
  const next = text[end];
  if ((next !== "@" && next !== ":") || !/^https?:\/\/[^/?#@]+$/i.test(raw)) return raw;
  const rest = AFTER_USERINFO_RE.exec(text.slice(end, end + MAX_URL_LENGTH));
  return rest ? text.slice(start, end) + rest[0] : raw;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/** Drop sentence punctuation and unbalanced closing brackets from the end of a match. */
function trimTrailing(url: string): string {
  let end = url.length;
  for (;;) {
    const ch = url[end - 1];
    if (ch === undefined) break;
    const opener = CLOSERS[ch];
    if (opener !== undefined) {
      const body = url.slice(0, end);
      if (count(body, opener) >= count(body, ch)) break;
    } else if (!TRAILING.has(ch)) break;
    end--;
  }
  return url.slice(0, end);
}

/** A text holds a link only if it holds one of these (the ingest's SQL reads texts for links only then). */
export const URL_MARKS: readonly string[] = ["."];

/**
 * The http(s) links in free text, as written, in order of appearance, without repeats: links with a scheme,
 * links starting with "www.", and scheme-less links with a path ("bit.ly/abc"). Trailing punctuation (ASCII,
 * » « …, and Persian/Arabic ، ؛ ؟) is not part of a link. Links longer than `MAX_URL_LENGTH` are skipped.
 *
 * @example
 * extractUrls("ببینید:https://example.com/a، و www.test.ir!"); // ["https://example.com/a", "www.test.ir"]
 */
export function extractUrls(text: string): string[] {
  if (!URL_MARKS.some((c) => text.includes(c))) return [];
  const prepared = text
    .replace(INVISIBLE_RE, " ")
    .replace(GLUED_SCHEME_RE, " ")
    .replace(EMOJI_THEN_ASCII_RE, " ")
    .replace(LATIN_THEN_ARABIC_RE, "$1 ")
    .replace(ARABIC_THEN_LATIN_RE, "$1 ");
  const matches = linkifier().match(prepared);
  if (matches === null) return [];
  const seen = new Set<string>();
  for (const m of matches) {
    if (m.schema === "") {
      if (!WWW_RE.test(m.raw) && !m.raw.includes("/")) continue;
    } else if (m.schema !== "http:" && m.schema !== "https:") continue;
    const url = trimTrailing(withUserinfo(prepared, m.index, m.lastIndex, m.raw));
    if (url.length === 0 || url.length >= MAX_URL_LENGTH) continue;
    seen.add(url);
  }
  return [...seen];
}
