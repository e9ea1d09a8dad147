/**
 * `twitter-v2`: Twitter/X API v2 responses. A page is `{data: [tweet…], includes: {users, tweets}, meta}`; it may
 * come as one JSON document, a JSON array of pages, or JSON Lines with one page per line (what `twarc2 search`
 * writes). JSON Lines or arrays of single tweets are read too, including twarc2's flattened tweets whose
 * `author` and referenced tweets are embedded.
 *
 * Rows: the line for JSON Lines; in an array, the element (a page or a tweet); in a single page document, the
 * position of the record among `data`, `includes.users` and `includes.tweets`, in document order.
 *
 * Why the snowflake: a tweet id carries its creation time to the millisecond while `created_at` is rounded to
 * the second, and millisecond order matters for detecting synchronised reposts. The id's time is taken when it
 * agrees with `created_at` (see tweetTime), as `twitter-io-archive` does with `tweet_time`.
 */
import type { AccountInput, PostInput } from "../../model/index.js";
import {
  dateWithoutTime,
  lacksTimeZone,
  parseTimestampIn,
  snowflakeToMs,
  TIME_ZONE_REMEDY,
  timeFromSnowflake,
  type TimeZone,
} from "../../normalize/time.js";
import {
  RecordError,
  asArray,
  asCount,
  asId,
  asObject,
  asText,
  detectJsonLayout,
  readJsonRecords,
  shown,
  unsafeIdReason,
} from "../json-stream.js";
import {
  IngestError,
  rawExcerpt,
  type AdapterOptions,
  type IngestAdapter,
  type IngestItem,
  type SniffSample,
  type SourceFile,
} from "../types.js";

const PLATFORM = "twitter";

/** Most users and tweet authors remembered from the includes of a large page document (for profile fields and
 * the authors of referenced tweets); past this, posts go without them (accounts are still emitted). */
const LOOKUP_LIMIT = 500_000;

interface Lookups {
  users: Map<string, AccountInput>;
  /** Tweet id -> author id, for the account a retweet, quote or reply refers to. */
  authors: Map<string, string>;
  /** The zone `--time-zone` names, for times a re-saved export wrote without one (the API writes UTC, `Z`). */
  zone: TimeZone | undefined;
}

/**
 * The instant of a `created_at` (a tweet's or a user's), or null when it is none. The API writes UTC with `Z`; a
 * time without a zone (a tool that re-saved the export dropped it) is read in the zone `--time-zone` names, and
 * without one it is refused with that remedy rather than guessed.
 */
function createdAt(value: unknown, what: string, zone: TimeZone | undefined): number | null {
  const ms = parseTimestampIn(value, zone);
  if (ms === null && lacksTimeZone(value, zone)) {
    throw new RecordError(
      `${what} ${shown(value)} has no time zone (the API writes UTC with Z): name the zone the export wrote its ` +
        `times in with ${TIME_ZONE_REMEDY}`,
    );
  }
  return ms;
}

type Obj = Record<string, unknown>;

function userToAccount(u: Obj, zone: TimeZone | undefined): AccountInput {
  const id = asId(u.id, "id");
  if (!id) throw new RecordError("user without id");
  const metrics = asObject(u.public_metrics) ?? {};
  let createdAtMs: number | null = null;
  if (u.created_at !== undefined && u.created_at !== null) {
    createdAtMs = createdAt(u.created_at, `user ${id}: created_at`, zone);
    if (createdAtMs === null)
      throw new RecordError(`user ${id}: unparseable created_at ${shown(u.created_at)}`);
  }
  return {
    platform: PLATFORM,
    accountId: id,
    handle: asText(u.username),
    displayName: asText(u.name),
    bio: asText(u.description),
    createdAtMs,
    followers: asCount(metrics.followers_count),
    following: asCount(metrics.following_count),
    avatarUrl: asText(u.profile_image_url),
    location: asText(u.location),
  };
}

function remember(lookups: Lookups, path: string, value: unknown): void {
  const o = asObject(value);
  if (!o) return;
  if (path === "includes.users") {
    if (lookups.users.size >= LOOKUP_LIMIT) return;
    try {
      const a = userToAccount(o, lookups.zone);
      lookups.users.set(a.accountId, a);
    } catch {
      // a bad user is rejected where it is emitted
    }
  } else {
    const id = lookupId(o.id);
    const author = lookupId(o.author_id);
    if (id && author && lookups.authors.size < LOOKUP_LIMIT) lookups.authors.set(id, author);
  }
}

/** An id for the lookups, which refuse nothing: an id that cannot be taken is rejected where it is emitted. */
function lookupId(v: unknown): string | null {
  return unsafeIdReason(v, "id") === null ? asText(v) : null;
}

function entityList(list: unknown, pick: (e: Obj) => string | null): string[] {
  const out: string[] = [];
  for (const e of asArray(list)) {
    const o = asObject(e);
    const v = o ? pick(o) : null;
    if (v) out.push(v);
  }
  return out;
}

/**
 * The id's time when it is a snowflake that agrees with `created_at` (within 2 s: the second it is rounded to, either
 * way: `timeFromSnowflake`) or when there is no `created_at` that can be read; else `created_at`.
 */
function tweetTime(t: Obj, id: string, zone: TimeZone | undefined): number {
  const fromId = snowflakeToMs(id);
  const given =
    t.created_at === undefined || t.created_at === null || t.created_at === "" ? undefined : t.created_at;
  if (given === undefined) {
    if (fromId !== null) return fromId;
    throw new RecordError(`missing created_at (and the id ${shown(id)} is not a snowflake)`);
  }
  // a date without its time of day would put a day's tweets at midnight: the id's time, or a reject
  const dayOnly = dateWithoutTime("created_at", given);
  let ms: number | null = null;
  let why = dayOnly;
  if (dayOnly === null) {
    try {
      ms = createdAt(given, "created_at", zone);
    } catch (err) {
      if (!(err instanceof RecordError)) throw err;
      why = err.message;
    }
  }
  if (ms === null) {
    // the id alone then, as when there is no created_at
    if (fromId !== null) return fromId;
    throw new RecordError(why ?? `unparseable created_at ${shown(given)}`);
  }
  return timeFromSnowflake(id, ms, 2_000);
}

/** Map one v2 tweet; `lookups` supplies the page's users and the authors of referenced tweets. */
function tweetToPost(t: Obj, lookups: Lookups): PostInput {
  const id = asId(t.id, "id");
  if (!id) throw new RecordError("missing id");
  const embeddedAuthor = asObject(t.author);
  const accountId = asId(t.author_id, "author_id") ?? asId(embeddedAuthor?.id, "author.id");
  if (!accountId) throw new RecordError("missing author_id");
  const tsMs = tweetTime(t, id, lookups.zone);

  // Long tweets: `text` is cut at 280 characters; the whole text and its entities are in `note_tweet`.
  const note = asObject(t.note_tweet);
  const text = asText(note?.text) ?? (typeof t.text === "string" ? t.text : null);
  const post: PostInput = { platform: PLATFORM, postId: id, accountId, tsMs, text, kind: "post" };
  post.lang = asText(t.lang);
  post.client = asText(t.source);

  const entities = asObject(note?.entities) ?? asObject(t.entities);
  if (entities) {
    // Media links (with a media_key) are attachments of this tweet, not shared URLs.
    post.urls = entityList(entities.urls, (e) =>
      e.media_key ? null : (asText(e.unwound_url) ?? asText(e.expanded_url) ?? asText(e.url)),
    );
    post.hashtags = entityList(entities.hashtags, (e) => asText(e.tag));
    post.mentions = entityList(entities.mentions, (e) => asText(e.username));
  }

  let retweeted: Obj | null = null;
  let quoted: Obj | null = null;
  let repliedTo: Obj | null = null;
  for (const r of asArray(t.referenced_tweets)) {
    const ref = asObject(r);
    if (!ref || !asId(ref.id, "referenced_tweets.id")) continue;
    if (ref.type === "retweeted") retweeted = ref;
    else if (ref.type === "quoted") quoted = ref;
    else if (ref.type === "replied_to") repliedTo = ref;
  }
  const authorOf = (ref: Obj): string | null =>
    asId(ref.author_id, "referenced_tweets.author_id") ?? lookups.authors.get(asText(ref.id)!) ?? null;
  if (repliedTo) post.replyTo = asText(repliedTo.id);
  // the link to the quoted tweet that a quote tweet's text ends with is the quote, not a shared link: left out with
  // the objects (records.ts toObjectRows), as for every format
  if (quoted) post.quoteOf = asText(quoted.id);
  if (retweeted) {
    post.kind = "repost";
    post.repostOf = asText(retweeted.id);
    // "RT @user: …" names the original author first among the mentions.
    const firstMention = asObject(asArray(entities?.mentions)[0]);
    post.refAccountId = authorOf(retweeted) ?? asId(firstMention?.id, "entities.mentions.id");
  } else if (repliedTo) {
    post.kind = "reply";
    post.refAccountId = asId(t.in_reply_to_user_id, "in_reply_to_user_id") ?? authorOf(repliedTo);
  } else if (quoted) {
    post.kind = "quote";
    post.refAccountId = authorOf(quoted);
  }

  let profile = lookups.users.get(accountId);
  if (!profile && embeddedAuthor) {
    try {
      profile = userToAccount(embeddedAuthor, lookups.zone);
    } catch {
      profile = undefined;
    }
  }
  if (profile) {
    post.handle = profile.handle ?? null;
    post.displayName = profile.displayName ?? null;
    post.bio = profile.bio ?? null;
    post.accountCreatedAtMs = profile.createdAtMs ?? null;
    post.followers = profile.followers ?? null;
    post.following = profile.following ?? null;
    post.avatarUrl = profile.avatarUrl ?? null;
    post.location = profile.location ?? null;
  }
  return post;
}

/** A reject of `value`, shown as `text` (as written) when the value is a whole record, else re-serialised. */
function reject(row: number, err: unknown, value: unknown, text?: string): IngestItem {
  if (!(err instanceof RecordError)) throw err;
  return { type: "reject", row, reason: err.message, raw: rawExcerpt(text ?? JSON.stringify(value) ?? "") };
}

function* tweetItems(value: unknown, row: number, lookups: Lookups, text?: string): Generator<IngestItem> {
  const t = asObject(value);
  if (!t) {
    yield {
      type: "reject",
      row,
      reason: "tweet is not a JSON object",
      raw: rawExcerpt(text ?? JSON.stringify(value) ?? ""),
    };
    return;
  }
  try {
    yield { type: "post", row, post: tweetToPost(t, lookups) };
  } catch (err) {
    yield reject(row, err, t, text);
    return;
  }
  // twarc2's flattened tweets embed the referenced tweets whole: they are posts of their own.
  for (const r of asArray(t.referenced_tweets)) {
    const ref = asObject(r);
    if (ref && typeof ref.text === "string" && (ref.author_id || ref.author))
      yield* tweetItems(ref, row, lookups);
  }
}

function* userItems(value: unknown, row: number, zone: TimeZone | undefined): Generator<IngestItem> {
  const u = asObject(value);
  try {
    if (!u) throw new RecordError("user is not a JSON object");
    yield { type: "account", row, account: userToAccount(u, zone) };
  } catch (err) {
    yield reject(row, err, value);
  }
}

function pageLookups(page: Obj, zone: TimeZone | undefined): Lookups {
  const lookups: Lookups = { users: new Map(), authors: new Map(), zone };
  const includes = asObject(page.includes) ?? {};
  for (const u of asArray(includes.users)) remember(lookups, "includes.users", u);
  for (const t of asArray(includes.tweets)) remember(lookups, "includes.tweets", t);
  return lookups;
}

/** The records of one page parsed whole (a JSON Lines line or an array element); they share its row. */
function* pageItems(page: Obj, row: number, zone: TimeZone | undefined): Generator<IngestItem> {
  const lookups = pageLookups(page, zone);
  const includes = asObject(page.includes) ?? {};
  for (const u of asArray(includes.users)) yield* userItems(u, row, zone);
  const data = Array.isArray(page.data) ? page.data : page.data ? [page.data] : [];
  for (const t of data) yield* tweetItems(t, row, lookups);
  for (const t of asArray(includes.tweets)) yield* tweetItems(t, row, lookups);
}

/** A page, a single tweet or a single user (an element of an array, or a line). */
function* unitItems(
  value: unknown,
  row: number,
  zone: TimeZone | undefined,
  text?: string,
): Generator<IngestItem> {
  const o = asObject(value);
  if (!o) {
    yield { type: "reject", row, reason: "not a JSON object", raw: rawExcerpt(JSON.stringify(value) ?? "") };
    return;
  }
  if ("data" in o || "includes" in o || "meta" in o || "errors" in o) yield* pageItems(o, row, zone);
  else if ("text" in o || "author_id" in o)
    yield* tweetItems(o, row, { users: new Map(), authors: new Map(), zone }, text);
  else if ("username" in o && "id" in o) yield* userItems(o, row, zone);
  else {
    yield {
      type: "reject",
      row,
      reason:
        "neither a Twitter API v2 page (data, includes), a tweet (id, text, author_id) nor a user (id, username)",
      raw: rawExcerpt(JSON.stringify(o)),
    };
  }
}

const PAGE_ARRAYS = [["data"], ["includes", "users"], ["includes", "tweets"]] as const;

/**
 * One page as a whole document, possibly far larger than memory: a first pass collects users and the authors of
 * included tweets (they usually follow `data`), the second emits every record in document order.
 */
async function* pageDocumentItems(src: SourceFile, opts: AdapterOptions): AsyncGenerator<IngestItem[]> {
  const lookups: Lookups = { users: new Map(), authors: new Map(), zone: opts.timeZone };
  const read = { maxRecordBytes: opts.maxRecordBytes, layout: "object" as const };
  for await (const batch of readJsonRecords(src, { arrays: PAGE_ARRAYS.slice(1) }, read)) {
    for (const rec of batch) if (rec.type === "record") remember(lookups, rec.path, rec.value);
  }
  let isPage = false;
  for await (const batch of readJsonRecords(src, { arrays: PAGE_ARRAYS }, read)) {
    const out: IngestItem[] = [];
    for (const rec of batch) {
      if (rec.type === "key" && /^(data|includes|meta|errors)$/.test(rec.path)) isPage = true;
      else if (rec.type === "reject") out.push(rec);
      else if (rec.type === "record") {
        if (rec.path === "includes.users") out.push(...userItems(rec.value, rec.row, opts.timeZone));
        else out.push(...tweetItems(rec.value, rec.row, lookups));
      }
    }
    if (out.length > 0) yield out;
  }
  if (!isPage) {
    throw new IngestError(
      `${src.path}: not a Twitter API v2 page: the object has no 'data', 'includes', 'meta' or 'errors'`,
    );
  }
}

function sniffTwitterV2(sample: SniffSample): number {
  const head = sample.head.replace(/^\uFEFF/, "").trimStart();
  if (!head.startsWith("{") && !head.startsWith("[")) return 0;
  // The native format and the other JSON formats have keys a v2 tweet never has.
  if (/"post_id"\s*:/.test(head) && /"platform"\s*:/.test(head)) return 0;
  if (/"(date_unixtime|acct|time_us|\$type)"\s*:/.test(head)) return 0;
  // ids are strings in the API's own JSON; tools that re-save it (pandas, R's jsonlite) may write them as numbers
  const author = /"author_id"\s*:\s*(?:"\d+"|\d+\s*[,}])/.test(head);
  const tweetKeys = [
    /"edit_history_tweet_ids"\s*:/,
    /"conversation_id"\s*:/,
    /"referenced_tweets"\s*:/,
    /"public_metrics"\s*:/,
  ].filter((re) => re.test(head)).length;
  const page = /"data"\s*:\s*[[{]/.test(head) && /"(includes|meta)"\s*:\s*\{/.test(head);
  const text = /"text"\s*:\s*"/.test(head);
  if (author && text && (page || tweetKeys > 0)) return 0.95;
  if (author && text) return 0.8;
  if (page && /"result_count"\s*:/.test(head)) return 0.7;
  return 0;
}

export const twitterV2Adapter: IngestAdapter = {
  id: "twitter-v2",
  summary:
    "Twitter/X API v2 responses: pages {data, includes, meta} as JSON, JSON arrays or JSON Lines (twarc2)",
  files: "*.json, *.jsonl (twarc2 output, API page dumps; optionally .gz)",
  sniff: sniffTwitterV2,
  async *read(src, opts): AsyncGenerator<IngestItem[]> {
    const layout = await detectJsonLayout(src, opts.maxRecordBytes);
    if (layout === "object") {
      yield* pageDocumentItems(src, opts);
      return;
    }
    const read = { maxRecordBytes: opts.maxRecordBytes, layout };
    for await (const batch of readJsonRecords(src, { arrays: [[]] }, read)) {
      const out: IngestItem[] = [];
      for (const rec of batch) {
        if (rec.type === "reject") out.push(rec);
        else if (rec.type === "record") out.push(...unitItems(rec.value, rec.row, opts.timeZone, rec.text));
      }
      if (out.length > 0) yield out;
    }
  },
};
