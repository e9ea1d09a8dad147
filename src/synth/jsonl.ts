/**
 * Serialising synthetic posts as `chorus-jsonl` lines. Hand-built instead of `JSON.stringify(post)` because
 * serialisation was a third of the generator's time: most strings need no escaping, so they are checked once
 * and copied, and only the rare string with a quote, backslash or control character goes through
 * `JSON.stringify`. Null `repost_of`, `reply_to` and `bio` are left out (readers take an absent field as null).
 * Empty entity lists are written unless `omitEmpty` is set: an absent list tells the reader to extract
 * entities from the text, which for these posts finds the same (every entity not in a list is absent from the
 * text too), so omitting them changes nothing but the size, which matters for the bundled sample.
 */
import type { SynthPost } from "./post.js";

const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

function str(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

function list(items: readonly string[]): string {
  if (items.length === 0) return "[]";
  let out = "[" + str(items[0] as string);
  for (let i = 1; i < items.length; i++) out += "," + str(items[i] as string);
  return out + "]";
}

export interface JsonLineOptions {
  /** Leave out empty `urls`, `hashtags` and `mentions` (default false). */
  omitEmpty?: boolean;
}

/**
 * One line of `chorus-jsonl` for a post, without the newline. `JSON.parse` of it gives the post back, less the
 * null fields (and the empty lists with `omitEmpty`).
 */
export function toJsonLine(p: SynthPost, opts: JsonLineOptions = {}): string {
  let s =
    `{"platform":${str(p.platform)},"post_id":${str(p.post_id)},"account_id":${str(p.account_id)}` +
    `,"handle":${str(p.handle)},"display_name":${str(p.display_name)},"ts":"${p.ts}","text":${str(p.text)}`;
  const keep = opts.omitEmpty !== true;
  if (keep || p.urls.length > 0) s += `,"urls":${list(p.urls)}`;
  if (keep || p.hashtags.length > 0) s += `,"hashtags":${list(p.hashtags)}`;
  if (keep || p.mentions.length > 0) s += `,"mentions":${list(p.mentions)}`;
  if (p.repost_of !== null) s += `,"repost_of":${str(p.repost_of)}`;
  if (p.reply_to !== null) s += `,"reply_to":${str(p.reply_to)}`;
  s += `,"account_created_at":"${p.account_created_at}"`;
  if (p.bio !== null) s += `,"bio":${str(p.bio)}`;
  return s + `,"lang":"${p.lang}","client":${str(p.client)}}`;
}
