/**
 * From an adapter's PostInput to the rows the case stores: the post itself, the account it reveals, and the
 * shared objects (url, domain, hashtag, mention, repost, reply, quote) that co-share compares. Normalisation happens here,
 * once, for every format.
 */
import { clipText, hasLoneSurrogate } from "../normalize/text.js";
import type { AccountInput, ObjectKind, PostInput, PostKind } from "../model/index.js";
import { detach, StringMemo } from "../normalize/memo.js";
import { canonicalUrl, extractUrls, tweetLinkId } from "../normalize/url.js";
import {
  extractHashtags,
  extractMentions,
  normalizeHashtag,
  normalizeMention,
} from "../normalize/entities.js";

export interface ObjectRow {
  kind: ObjectKind;
  value: string;
  raw: string | null;
}

export interface PostRow {
  platform: string;
  postId: string;
  accountId: string;
  tsMs: number;
  text: string | null;
  lang: string | null;
  kind: PostKind;
  refPostId: string | null;
  refAccountId: string | null;
  client: string | null;
}

/** Longest text kept for a post; longer texts are cut and the cut is recorded in the text itself. */
export const MAX_TEXT_CHARS = 100_000;

/** The first `max` characters of `s`, with the cut recorded after them (detached from `s`, see `detach`). */
export function cutNoted(s: string, max: number): string {
  return `${detach(clipText(s, max))} … [cut: ${s.length} characters in the source]`;
}

function clean(s: string | null | undefined, max = 10_000): string | null {
  if (s === null || s === undefined) return null;
  const t = String(s);
  if (t === "") return null;
  return t.length > max ? clipText(t, max) : t;
}

/** Validate the fields every post needs; returns the reason it cannot be stored, or null. */
export function invalidPost(p: PostInput): string | null {
  if (!p.platform || typeof p.platform !== "string") return "missing platform";
  // an id of spaces alone names nothing (the native format rejects it as blank; other formats did not)
  if (!p.postId || p.postId.trim() === "") return "missing post id";
  if (!p.accountId || p.accountId.trim() === "") return "missing account id";
  // beyond ±8.64e15 ms (the range of a JS Date) no store type holds the time
  if (typeof p.tsMs !== "number" || !(Math.abs(p.tsMs) <= 8.64e15)) return "missing or invalid timestamp";
  if (p.postId.length > 1024) return "post id longer than 1024 characters";
  if (p.accountId.length > 1024) return "account id longer than 1024 characters";
  // a lone surrogate (half of a UTF-16 pair, from an escape such as \ud800) is not Unicode: stored, it becomes
  // U+FFFD, and two ids that differ only there would name one post or account
  const ids: Array<[string, string | null | undefined]> = [
    ["platform", p.platform],
    ["post id", p.postId],
    ["account id", p.accountId],
    ["repost_of", p.repostOf],
    ["reply_to", p.replyTo],
    ["quote_of", p.quoteOf],
    ["ref_account_id", p.refAccountId],
  ];
  for (const [name, id] of ids) {
    if (typeof id === "string" && hasLoneSurrogate(id)) {
      return `${name} holds a lone surrogate (half of a UTF-16 pair, as a \\ud800 escape gives): not Unicode text, and an id is kept as given or not at all`;
    }
  }
  return null;
}

/**
 * An id that a spreadsheet or R wrote as a floating-point number ("1.787E+18", "1.23457e+17", "1E+18"): the id's
 * last digits are lost, and different posts or accounts would be merged under it. The exponent's sign is what
 * spreadsheets and R always write and what no id of letters and digits holds (a hexadecimal id "1e10" is kept).
 */
const MANGLED_ID_RE = /^[+-]?\d+(\.\d+)?[eE][+-]\d+$/;

/** The reason an id column's value cannot be an id (see MANGLED_ID_RE), or null. */
export function mangledId(column: string, value: unknown): string | null {
  if (typeof value !== "string" || !MANGLED_ID_RE.test(value.trim())) return null;
  return (
    `${column} '${value.trim().slice(0, 64)}' is written as a floating-point number, which has lost the id's last ` +
    `digits (was the file saved through a spreadsheet or by R? keep ids as text)`
  );
}

export function postKind(p: PostInput): PostKind {
  if (p.kind) return p.kind;
  if (p.repostOf) return "repost";
  if (p.quoteOf) return "quote";
  if (p.replyTo) return "reply";
  return "post";
}

/**
 * The post a post refers to, the one its kind names: a reply that also quotes refers to the post it answers (the
 * campaign step reads who answered whom from replies' references), a quote that answers nothing to the one it
 * quotes; a post whose given kind names none of them, to whichever it has.
 */
export function refPostOf(p: PostInput, kind: PostKind): string | null {
  const named =
    kind === "repost" ? p.repostOf : kind === "reply" ? p.replyTo : kind === "quote" ? p.quoteOf : null;
  return named ?? p.repostOf ?? p.quoteOf ?? p.replyTo ?? null;
}

export function toPostRow(p: PostInput): PostRow {
  let text = p.text ?? null;
  if (text !== null && text.length > MAX_TEXT_CHARS) text = cutNoted(text, MAX_TEXT_CHARS);
  const kind = postKind(p);
  return {
    platform: p.platform,
    postId: p.postId,
    accountId: p.accountId,
    tsMs: p.tsMs,
    text: text === "" ? null : text,
    lang: clean(p.lang, 32),
    kind,
    refPostId: clean(refPostOf(p, kind), 1024),
    refAccountId: clean(p.refAccountId, 1024),
    client: clean(p.client, 256),
  };
}

/**
 * Hashtags and mentions repeat a lot in campaign data (that is the point), and folding a Persian hashtag costs an
 * NFKC normalisation and several replacements, so they are memoised. Raw URLs are not: with share-button parameters
 * most are new, and a cache of them cost more than it saved (their hosts are memoised, in canonicalUrl).
 */
const hashtags = new StringMemo<string | null>(8192, 128, normalizeHashtag);
const mentions = new StringMemo<string | null>(8192, 128, normalizeMention);

/**
 * Add an object unless the post already has it. Posts have a few objects, so they are compared directly; a post
 * with many gets a set of keys (returned, to be passed back on the next call).
 */
function addObject(
  out: ObjectRow[],
  seen: Set<string> | null,
  kind: ObjectKind,
  value: string,
  raw: string | null,
): Set<string> | null {
  if (seen === null) {
    for (const o of out) if (o.value === value && o.kind === kind) return null;
    if (out.length >= 16) seen = new Set(out.map((o) => o.kind + "\u0000" + o.value));
  }
  if (seen !== null) {
    const key = kind + "\u0000" + value;
    if (seen.has(key)) return seen;
    seen.add(key);
  }
  out.push({ kind, value, raw: keptRaw(raw, value) });
  return seen;
}

/** The raw form an object keeps beside its value: none when it is the value itself, else at most 4,096 characters. */
export function keptRaw(raw: string | null, value: string): string | null {
  return raw !== null && raw !== value ? clipText(raw, 4096) : null;
}

/** A url list item as the url and domain objects it gives, or null when it is skipped (too long, not a URL). */
export function urlObject(raw: string): ReturnType<typeof canonicalUrl> {
  return raw.length > 8192 ? null : canonicalUrl(raw);
}

/** A hashtag list item as the value of its object, or null when it gives none. */
export function hashtagValue(raw: string): string | null {
  return hashtags.get(raw);
}

/** A mention list item as the value of its object, or null when it gives none. */
export function mentionValue(raw: string): string | null {
  return mentions.get(raw);
}

/**
 * The shared objects of a post, deduplicated. Entity lists given by the source are trusted; when a list is absent
 * (undefined, not empty) it is extracted from the text.
 */
export function toObjectRows(p: PostInput): ObjectRow[] {
  const out: ObjectRow[] = [];
  let seen: Set<string> | null = null;
  const text = p.text ?? "";
  const urls = p.urls ?? (text ? extractUrls(text) : []);
  for (const raw of urls) {
    if (typeof raw !== "string") continue;
    // a quote's link to the post it quotes is its quote object, not a link it shared (as the Twitter formats read it)
    if (p.quoteOf && tweetLinkId(raw) === p.quoteOf) continue;
    const u = urlObject(raw);
    if (!u) continue;
    seen = addObject(out, seen, "url", u.canonical, raw);
    seen = addObject(out, seen, "domain", u.domain, null);
  }
  const tags = p.hashtags ?? (text ? extractHashtags(text) : []);
  for (const raw of tags) {
    if (typeof raw !== "string") continue;
    const t = hashtagValue(raw);
    if (t) seen = addObject(out, seen, "hashtag", t, raw);
  }
  const handles = p.mentions ?? (text ? extractMentions(text) : []);
  for (const raw of handles) {
    if (typeof raw !== "string") continue;
    const m = mentionValue(raw);
    if (m) seen = addObject(out, seen, "mention", m, raw);
  }
  if (p.repostOf) seen = addObject(out, seen, "repost", p.repostOf, null);
  if (p.replyTo) seen = addObject(out, seen, "reply", p.replyTo, null);
  // the post a quote post quotes (a reply may quote one too): a pile-on of quotes is a layer of its own
  if (p.quoteOf) seen = addObject(out, seen, "quote", p.quoteOf, null);
  for (const o of p.objects ?? []) {
    if (o.value) seen = addObject(out, seen, o.kind, o.value, null);
  }
  return out;
}

/** The account a post reveals (its author's profile fields as the post carries them). */
export function accountOfPost(p: PostInput): AccountInput {
  return {
    platform: p.platform,
    accountId: p.accountId,
    handle: p.handle ?? null,
    displayName: p.displayName ?? null,
    bio: p.bio ?? null,
    createdAtMs: p.accountCreatedAtMs ?? null,
    followers: p.followers ?? null,
    following: p.following ?? null,
    avatarUrl: p.avatarUrl ?? null,
    location: p.location ?? null,
  };
}
