/**
 * Hashtags and mentions as comparable values. A campaign's hashtag is typed by hand on many keyboards, so
 * `#مهسا_امینی` written with an Arabic yeh, with a ZWNJ, or in another case must count as one tag: hashtags go
 * through `foldText`. Mentions name accounts, whose handles are case-insensitive but otherwise exact, so they
 * only lose the invisible characters hashtags lose and get NFKC and lower case. Extraction from free text follows
 * what the platforms link: a "#" or "@" that starts a word, not one inside a word, an email address, an HTML
 * entity ("&#39;") or a URL ("…/#top", "medium.com/@alice").
 */
import { foldText, hiddenCharacters } from "./text.js";

const HASH_PREFIX_RE = /^[#＃]+/;
const AT_PREFIX_RE = /^[@＠]/;
const NOT_TAG_CHAR_RE = /[^\p{L}\p{M}\p{Nd}_]+/gu;

/**
 * `#` or `＃`, not preceded by a word character, "&" (entities) or "/" (URL fragments), then letters, marks,
 * digits, underscores and the zero-width joiners ZWNJ and ZWJ (Persian tags keep their joiners while typed, and
 * Twitter's own hashtag rules count both as part of a tag).
 */
const HASHTAG_RE = /(?<![\p{L}\p{M}\p{N}_&/])[#＃]([\p{L}\p{M}\p{Nd}_\u200c\u200d]+)/gu;
const HAS_LETTER_RE = /\p{L}/u;

const HANDLE = String.raw`[\p{L}\p{M}\p{Nd}_]+(?:[.\-][\p{L}\p{M}\p{Nd}_]+)*`;
const DOMAIN_LABEL = String.raw`[\p{L}\p{Nd}](?:[\p{L}\p{M}\p{Nd}\-]*[\p{L}\p{M}\p{Nd}])?`;
/**
 * `@handle`, `@alice.bsky.social`, or fediverse `@user@instance.social`; the "@" is not preceded by a word
 * character (emails), "/" (profile URLs) or another "@". Dots and hyphens only between handle characters, so a
 * sentence-ending "." is not taken.
 */
const MENTION_RE = new RegExp(
  String.raw`(?<![\p{L}\p{M}\p{N}_/@＠])[@＠](${HANDLE}(?:@(?:${DOMAIN_LABEL}\.)+${DOMAIN_LABEL})?)`,
  "gu",
);

/**
 * The comparable form of a hashtag: leading "#"/"＃" removed, folded with `foldText` (case, Arabic/Persian
 * letter forms, digits, ZWNJ), then only letters, marks, digits and "_" kept. `null` when nothing is left.
 * All-digit values are kept: the source called them hashtags (`extractHashtags` itself does not find them).
 *
 * @example
 * normalizeHashtag("#مهسا_اميني"); // "مهسا_امینی" (Arabic yeh folded to Persian yeh)
 * normalizeHashtag("＃IRAN"); // "iran"
 */
export function normalizeHashtag(s: string): string | null {
  const tag = foldText(s.trim().replace(HASH_PREFIX_RE, "")).replace(NOT_TAG_CHAR_RE, "");
  return tag === "" ? null : tag;
}

/**
 * `s` without the invisible characters that `foldText` removes from hashtags (bidi controls, zero-width
 * characters, blank fillers, tag characters: `hiddenCharacters`). A handle typed with one, pasted from an RTL
 * editor or hidden on purpose to dodge a filter, names the same account.
 */
function withoutHidden(s: string): string {
  const hidden = hiddenCharacters(s);
  if (hidden.length === 0) return s;
  let out = "";
  let from = 0;
  for (const h of hidden) {
    out += s.slice(from, h.index);
    from = h.index + (s.codePointAt(h.index)! > 0xffff ? 2 : 1);
  }
  return out + s.slice(from);
}

/**
 * The comparable form of a handle: leading "@"/"＠" removed, invisible characters removed (the ones hashtags lose
 * too), NFKC, lower case. A fediverse handle keeps its instance ("user@instance.social"). `null` when empty.
 *
 * @example
 * normalizeMention("@Alice_01"); // "alice_01"
 * normalizeMention("al\u200Bice\u200F"); // "alice"
 */
export function normalizeMention(s: string): string | null {
  const handle = withoutHidden(s).trim().replace(AT_PREFIX_RE, "").normalize("NFKC").toLowerCase().trim();
  return handle === "" ? null : handle;
}

/** A text holds a hashtag only if it holds one of these (the ingest's SQL reads texts for tags only then). */
export const HASHTAG_MARKS: readonly string[] = ["#", "＃"];
/** A text holds a mention only if it holds one of these. */
export const MENTION_MARKS: readonly string[] = ["@", "＠"];

/**
 * Hashtags in free text, normalised (`normalizeHashtag`), in order, without repeats. A hashtag needs at least
 * one letter: "#1" and "#۱۴۰۱" are numbers, not tags.
 *
 * @example
 * extractHashtags("#Iran #iran #مهسا_امینی a#b &#39; #1"); // ["iran", "مهسا_امینی"]
 */
export function extractHashtags(text: string): string[] {
  if (!HASHTAG_MARKS.some((c) => text.includes(c))) return [];
  const seen = new Set<string>();
  for (const m of text.matchAll(HASHTAG_RE)) {
    const body = m[1] ?? "";
    if (!HAS_LETTER_RE.test(body)) continue;
    const tag = normalizeHashtag(body);
    if (tag !== null) seen.add(tag);
  }
  return [...seen];
}

/**
 * Mentions in free text, normalised (`normalizeMention`), in order, without repeats. Email addresses and
 * handles inside URLs are not mentions.
 *
 * @example
 * extractMentions("hi @Alice, @bob.bsky.social and @carol@mastodon.social; mail x@y.com"); // ["alice",
 * // "bob.bsky.social", "carol@mastodon.social"]
 */
export function extractMentions(text: string): string[] {
  if (!MENTION_MARKS.some((c) => text.includes(c))) return [];
  const seen = new Set<string>();
  for (const m of text.matchAll(MENTION_RE)) {
    const handle = normalizeMention(m[1] ?? "");
    if (handle !== null) seen.add(handle);
  }
  return [...seen];
}
