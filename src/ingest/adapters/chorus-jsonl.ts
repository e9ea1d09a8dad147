/**
 * `chorus-jsonl`: the native format, one post per line as a JSON object (see docs/formats.md).
 */
import type { PostInput, PostKind } from "../../model/index.js";
import { imageId } from "../../normalize/image.js";
import {
  dateWithoutTime,
  lacksTimeZone,
  parseTimestampIn,
  TIME_ZONE_REMEDY,
  type TimeZone,
} from "../../normalize/time.js";
import { unsafeIdReason } from "../json-stream.js";
import { readLineBatches } from "../lines.js";
import type { NotedPostItem } from "../load.js";
import { rawExcerpt, type IngestAdapter, type IngestItem, type SniffSample } from "../types.js";

/** Records per yielded batch. */
const BATCH = 256;

const KINDS = new Set<PostKind>(["post", "repost", "reply", "quote"]);

class FieldError extends Error {}

// The helpers take the field's value, read by the caller as a named property: a load by a key passed in is a
// dictionary-style lookup that V8 cannot specialise, and at millions of records it showed in profiles.

function str(v: unknown, key: string, required = false): string | null {
  if (v === undefined || v === null || v === "") {
    if (required) throw new FieldError(`missing ${key}`);
    return null;
  }
  if (typeof v === "string") {
    if (required && isBlank(v)) throw new FieldError(`${key} is blank (only whitespace)`);
    return v;
  }
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  throw new FieldError(`${key} must be a string, got ${Array.isArray(v) ? "array" : typeof v}`);
}

/** Whether `s` is only whitespace (as `trim` sees it); the first character settles it for almost every id. */
function isBlank(s: string): boolean {
  const c = s.charCodeAt(0);
  return !(c > 32 && c < 127) && s.trim() === "";
}

/** An id: as `str`, but a number that is not a safe integer is refused (`unsafeIdReason`). */
function id(v: unknown, key: string, required = false): string | null {
  const unsafe = unsafeIdReason(v, key);
  if (unsafe !== null) throw new FieldError(unsafe);
  return str(v, key, required);
}

function list(v: unknown, key: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new FieldError(`${key} must be an array of strings`);
  const out: string[] = [];
  for (const x of v) {
    if (typeof x === "string") out.push(x);
    else if (typeof x === "number") out.push(String(x));
    else throw new FieldError(`${key} must be an array of strings`);
  }
  return out;
}

/**
 * The image ids of `images` as image objects (normalize/image.ts): strings only, since a perceptual hash or a digest
 * written as a JSON number has lost its digits past the 16th; items that give no id (empty, oversized) are left out.
 */
function images(v: unknown): Array<{ kind: "image"; value: string }> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new FieldError("images must be an array of strings");
  const out: Array<{ kind: "image"; value: string }> = [];
  for (const x of v) {
    if (typeof x !== "string") {
      const got =
        x === null
          ? "null"
          : Array.isArray(x)
            ? "an array"
            : typeof x === "object"
              ? "an object"
              : `a ${typeof x}`;
      throw new FieldError(
        `images must be an array of strings, got ${got} (an image id written as a number loses its digits: quote it)`,
      );
    }
    // repeats are stored once, as every object of a post is (toObjectRows)
    const value = imageId(x);
    if (value !== null) out.push({ kind: "image", value });
  }
  return out;
}

/**
 * The largest count taken: a JSON number beyond it has lost digits (as an id would, see `unsafeIdReason`), and no
 * account has that many followers. The DuckDB-parsed path (fast-jsonl.ts) takes no larger count either.
 */
export const MAX_COUNT = Number.MAX_SAFE_INTEGER;

/** A decimal number written as a string ("1234", "12.0", "-5"); "1,234", "1.2K", "0x10" and "1e3" are not. */
const COUNT_STRING_RE = /^\s*-?\d+(\.\d+)?\s*$/;

function count(v: unknown, key: string): number | null {
  if (v === undefined || v === null || v === "") return null;
  let n: number;
  if (typeof v === "number") n = v;
  else if (typeof v === "string" && COUNT_STRING_RE.test(v)) n = Number(v);
  else if (typeof v === "string") {
    throw new FieldError(
      `${key} '${v.slice(0, 64)}' is not a number (digits only: no separators or suffixes)`,
    );
  } else throw new FieldError(`${key} must be a number, got ${Array.isArray(v) ? "array" : typeof v}`);
  if (!(n >= 0 && n <= MAX_COUNT))
    throw new FieldError(`${key} must be a number from 0 to ${MAX_COUNT}, got ${n}`);
  return n;
}

function time(v: unknown, key: string, required: boolean, zone?: TimeZone): number | null {
  if (v === undefined || v === null || v === "") {
    if (required) throw new FieldError(`missing ${key}`);
    return null;
  }
  // a post's time to the day would read as midnight (an account's creation date may be a day)
  const dayOnly = key === "ts" ? dateWithoutTime(key, v) : null;
  if (dayOnly !== null) throw new FieldError(dayOnly);
  const ms = parseTimestampIn(v, zone);
  if (ms === null && typeof v === "string" && lacksTimeZone(v, zone)) {
    // a time without a zone is read in the zone the user names, never guessed
    throw new FieldError(
      `${key} '${v.trim().slice(0, 64)}' has no time zone: name the zone the source writes its times in with ` +
        TIME_ZONE_REMEDY,
    );
  }
  if (ms === null && typeof v === "string") {
    // a well-formed time in a year Chorus does not take: say so, not that it is no timestamp
    const year = /^\s*([0-9]{4})-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}/.exec(v)?.[1];
    if (year !== undefined && (Number(year) < 1990 || Number(year) > 2100)) {
      throw new FieldError(
        `${key} '${v.trim().slice(0, 64)}' is outside the years 1990 to 2100 that Chorus accepts`,
      );
    }
  }
  if (ms === null) {
    // an object or a list is shown as the JSON it was ("[object Object]" and "" said nothing)
    const shown =
      typeof v === "string" ? `'${v.slice(0, 64)}'` : (JSON.stringify(v) ?? String(v)).slice(0, 64);
    throw new FieldError(
      `${key} ${shown} is not a timestamp (ISO 8601 with a time zone, or epoch seconds/milliseconds)`,
    );
  }
  return ms;
}

/**
 * Problems with the author's profile fields of one record. A profile field is optional and describes the account,
 * not the post: one that cannot be read is left out (NULL) and noted here, and the post is kept.
 */
type Notes = string[] | null;

/** Where `fromChorusRecord` puts the notes of a record (`list` null until there is one). */
export interface ProfileNotes {
  list: Notes;
}

/** What the note of a profile field left out says. */
const leftOut = (err: FieldError): string => `${err.message}: left out, the post is kept`;

// The profile fields are read through these rather than a generic wrapper taking the reader: a call through a
// function passed in does not inline, and these run on every line.

function profileStr(v: unknown, key: string, notes: ProfileNotes): string | null {
  if (typeof v === "string") return v === "" ? null : v;
  try {
    return str(v, key);
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
    (notes.list ??= []).push(leftOut(err));
    return null;
  }
}

function profileCount(v: unknown, key: string, notes: ProfileNotes): number | null {
  if (v === undefined || v === null) return null;
  try {
    return count(v, key);
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
    (notes.list ??= []).push(leftOut(err));
    return null;
  }
}

function profileTime(v: unknown, key: string, notes: ProfileNotes, zone?: TimeZone): number | null {
  if (v === undefined || v === null) return null;
  try {
    return time(v, key, false, zone);
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
    (notes.list ??= []).push(leftOut(err));
    return null;
  }
}

/** What a platform's name may be: account keys are `platform:account_id`, so a colon or a space would break them. */
const PLATFORM_RE = /^[a-z0-9_.-]{1,64}$/;

/** A platform's name in lower case; throws FieldError for one that is not letters, digits, `_`, `.` and `-`. */
function platformName(raw: string): string {
  const name = raw.toLowerCase();
  if (!PLATFORM_RE.test(name)) {
    throw new FieldError(
      `platform ${JSON.stringify(raw.slice(0, 64))} is not a platform name (ASCII letters, digits, '_', '.' and '-', ` +
        `at most 64: e.g. twitter, telegram, vk)`,
    );
  }
  return name;
}

/**
 * Map one parsed JSON object of the native format onto a PostInput; throws FieldError naming the bad field. A bad
 * profile field (handle, display_name, bio, account_created_at, followers, following, avatar_url, location) does not
 * throw: it is left out, and the reason pushed to `notes.list`.
 */
export function fromChorusRecord(
  o: Record<string, unknown>,
  notes: ProfileNotes = { list: null },
  zone?: TimeZone,
): PostInput {
  const kindRaw = str(o["kind"], "kind");
  if (kindRaw !== null && !KINDS.has(kindRaw as PostKind)) {
    throw new FieldError(`kind '${kindRaw.slice(0, 32)}' is not one of post, repost, reply, quote`);
  }
  const post: PostInput = {
    platform: platformName(str(o["platform"], "platform", true)!),
    postId: id(o["post_id"], "post_id", true)!,
    accountId: id(o["account_id"], "account_id", true)!,
    tsMs: time(o["ts"], "ts", true, zone)!,
    handle: profileStr(o["handle"], "handle", notes),
    displayName: profileStr(o["display_name"], "display_name", notes),
    text: str(o["text"], "text"),
    lang: str(o["lang"], "lang"),
    repostOf: id(o["repost_of"], "repost_of"),
    replyTo: id(o["reply_to"], "reply_to"),
    quoteOf: id(o["quote_of"], "quote_of"),
    refAccountId: id(o["ref_account_id"], "ref_account_id"),
    client: str(o["client"], "client"),
    accountCreatedAtMs: profileTime(o["account_created_at"], "account_created_at", notes, zone),
    bio: profileStr(o["bio"], "bio", notes),
    followers: profileCount(o["followers"], "followers", notes),
    following: profileCount(o["following"], "following", notes),
    avatarUrl: profileStr(o["avatar_url"], "avatar_url", notes),
    location: profileStr(o["location"], "location", notes),
  };
  if (kindRaw) post.kind = kindRaw as PostKind;
  const urls = list(o["urls"], "urls");
  const hashtags = list(o["hashtags"], "hashtags");
  const mentions = list(o["mentions"], "mentions");
  if (urls) post.urls = urls;
  if (hashtags) post.hashtags = hashtags;
  if (mentions) post.mentions = mentions;
  const imageObjects = images(o["images"]);
  if (imageObjects?.length) post.objects = imageObjects;
  return post;
}

function looksNative(line: string): boolean {
  if (!line.startsWith("{")) return false;
  try {
    const o = JSON.parse(line) as unknown;
    return (
      typeof o === "object" &&
      o !== null &&
      !Array.isArray(o) &&
      "platform" in o &&
      "post_id" in o &&
      "account_id" in o &&
      "ts" in o
    );
  } catch {
    return false;
  }
}

export const chorusJsonlAdapter: IngestAdapter = {
  id: "chorus-jsonl",
  summary:
    "Chorus native JSON Lines: one post per line (platform, post_id, account_id, ts, text, urls[], ...)",
  files: "*.jsonl, *.ndjson (optionally .gz)",
  sniff(sample: SniffSample): number {
    const lines = sample.lines.slice(0, 20);
    if (lines.length === 0) return 0;
    const hits = lines.filter((l) => looksNative(l.trim())).length;
    return hits === 0 ? 0 : 0.5 + 0.45 * (hits / lines.length);
  },
  async *read(src, opts): AsyncGenerator<IngestItem[]> {
    for await (const lines of readLineBatches(src.open(), opts.maxRecordBytes)) {
      // small batches: the parsed records of a batch are garbage as soon as it is stored, and a young-generation
      // collection that finds thousands of them still alive copies them all
      let batch: IngestItem[] = [];
      for (const item of lines) {
        if (!item.ok) {
          batch.push({ type: "reject", row: item.row, reason: item.reason, raw: item.raw });
          continue;
        }
        const line = item.line.trim();
        if (line === "") continue;
        batch.push(parseLine(line, item.row, opts.timeZone));
        if (batch.length === BATCH) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    }
  },
};

/** The notes of the line being parsed (one object for every line: `parseLine` is synchronous). */
const scratchNotes: ProfileNotes = { list: null };

/**
 * One trimmed, non-empty line of the native format as a post (with the notes of the profile fields it left out, see
 * `NotedPostItem`), or as a reject that says what is wrong with it.
 */
export function parseLine(line: string, row: number, zone?: TimeZone): IngestItem {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch (err) {
    return { type: "reject", row, reason: `invalid JSON (${(err as Error).message})`, raw: rawExcerpt(line) };
  }
  if (typeof o !== "object" || o === null || Array.isArray(o)) {
    return { type: "reject", row, reason: "line is not a JSON object", raw: rawExcerpt(line) };
  }
  try {
    scratchNotes.list = null;
    const post = fromChorusRecord(o as Record<string, unknown>, scratchNotes, zone);
    if (scratchNotes.list === null) return { type: "post", row, post };
    const item: NotedPostItem = { type: "post", row, post, notes: scratchNotes.list };
    return item;
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
    return { type: "reject", row, reason: err.message, raw: rawExcerpt(line) };
  }
}
