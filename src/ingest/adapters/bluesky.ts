/**
 * `bluesky`: Bluesky (AT Protocol) posts, from either
 * - Jetstream JSON Lines: `{did, time_us, kind: "commit", commit: {operation, collection, rkey, record, cid}}`;
 *   `app.bsky.feed.post` creates are posts and `app.bsky.feed.repost` creates are reposts; other collections
 *   (likes, follows), other operations (updates, deletes) and account events are not posts and are
 *   skipped; an identity event gives its DID's handle (commits name none); or
 * - AppView post views `{uri, cid, author, record, indexedAt}` as JSON arrays or JSON Lines, feed pages
 *   `{feed: [{post, reason?}]}` (a `reasonRepost` is a repost by `reason.by`) and search pages `{posts: [...]}`.
 *
 * Ids: a post is its `at://` URI (globally unique), its account the author's DID; mentions are DIDs; an image is
 * its blob's CID (the content address of the uploaded file). Rows are the line for JSON Lines, else the position
 * of the record in the document.
 *
 * Time: the record's `createdAt`, which the author's client chooses (it can be backdated); the relay's
 * `time_us` or the AppView's `indexedAt` only when `createdAt` is missing or unreadable.
 */
import type { PostInput } from "../../model/index.js";
import { imageId } from "../../normalize/image.js";
import { extractHashtags } from "../../normalize/entities.js";
import { dateWithoutTime, parseTimestamp } from "../../normalize/time.js";
import {
  RecordError,
  asArray,
  asObject,
  asText,
  detectJsonLayout,
  readJsonRecords,
  shown,
} from "../json-stream.js";
import { IngestError, rawExcerpt, type IngestAdapter, type IngestItem, type SniffSample } from "../types.js";

const PLATFORM = "bluesky";
const POST = "app.bsky.feed.post";
const REPOST = "app.bsky.feed.repost";

type Obj = Record<string, unknown>;

interface Author {
  did: string;
  handle?: string | null;
  displayName?: string | null;
  avatarUrl?: string | null;
  accountCreatedAtMs?: number | null;
}

/** The DID of an at:// URI (`at://did:plc:abc/app.bsky.feed.post/3k…`), or null. */
function didOfUri(uri: string | null): string | null {
  const m = uri ? /^at:\/\/(did:[a-z]+:[^/]+)/.exec(uri) : null;
  return m ? m[1]! : null;
}

function isPostUri(uri: string | null): boolean {
  return uri !== null && uri.startsWith("at://") && uri.includes(`/${POST}/`);
}

function recordTime(record: Obj, fallback: unknown): number {
  const created = record.createdAt;
  // a date without its time of day is no post time: the event's own time, or a reject
  const dayOnly = dateWithoutTime("createdAt", created);
  const ms = created === undefined || created === null || dayOnly !== null ? null : parseTimestamp(created);
  if (ms !== null) return ms;
  const alt = fallback === undefined || fallback === null ? null : parseTimestamp(fallback);
  if (alt !== null) return alt;
  throw new RecordError(
    created === undefined || created === null
      ? "missing createdAt"
      : (dayOnly ?? `unparseable createdAt ${shown(created)}`),
  );
}

function withAuthor(post: PostInput, author: Author): PostInput {
  if (author.handle !== undefined) post.handle = author.handle;
  if (author.displayName !== undefined) post.displayName = author.displayName;
  if (author.avatarUrl !== undefined) post.avatarUrl = author.avatarUrl;
  if (author.accountCreatedAtMs !== undefined) post.accountCreatedAtMs = author.accountCreatedAtMs;
  return post;
}

/** An `app.bsky.feed.post` record as a post. */
function postRecord(record: Obj, uri: string, author: Author, fallbackTime: unknown): PostInput {
  const post: PostInput = {
    platform: PLATFORM,
    postId: uri,
    accountId: author.did,
    tsMs: recordTime(record, fallbackTime),
    kind: "post",
    text: typeof record.text === "string" ? record.text : null,
    lang: asText(asArray(record.langs)[0]),
  };
  const urls: string[] = [];
  const mentions: string[] = [];
  const hashtags: string[] = [];
  for (const f of asArray(record.facets)) {
    for (const feat of asArray(asObject(f)?.features)) {
      const o = asObject(feat);
      if (!o) continue;
      const type = o.$type;
      if (type === "app.bsky.richtext.facet#link" && asText(o.uri)) urls.push(asText(o.uri)!);
      else if (type === "app.bsky.richtext.facet#mention" && asText(o.did)) mentions.push(asText(o.did)!);
      else if (type === "app.bsky.richtext.facet#tag" && asText(o.tag)) hashtags.push(asText(o.tag)!);
    }
  }
  // Tags attached to the post outside its text, and, when no facet marks the text's own, those its text holds (a
  // client that writes no facets): with the outside tags alone, the text's were never extracted
  const tagFacets = hashtags.length;
  for (const t of asArray(record.tags)) if (asText(t)) hashtags.push(asText(t)!);
  if (tagFacets === 0 && hashtags.length > 0 && typeof record.text === "string") {
    hashtags.push(...extractHashtags(record.text));
  }

  const embed = asObject(record.embed);
  let quoted: string | null = null;
  if (embed) {
    const media = embed.$type === "app.bsky.embed.recordWithMedia" ? asObject(embed.media) : embed;
    if (media?.$type === "app.bsky.embed.external") {
      const uri = asText(asObject(media.external)?.uri);
      if (uri) urls.push(uri);
    }
    if (media?.$type === "app.bsky.embed.images") {
      const images = imageObjects(media);
      if (images.length > 0) post.objects = images;
    }
    const rec = asObject(embed.record);
    const target = embed.$type === "app.bsky.embed.recordWithMedia" ? asObject(rec?.record) : rec;
    if (embed.$type === "app.bsky.embed.record" || embed.$type === "app.bsky.embed.recordWithMedia") {
      const q = asText(target?.uri);
      if (isPostUri(q)) quoted = q;
    }
  }
  // Link text in a post is shortened for display ("example.com/lon…"), so links come only from facets and
  // embeds, never from the text; hashtags without facets are left to extraction from the text.
  post.urls = urls;
  post.mentions = mentions;
  if (hashtags.length > 0) post.hashtags = hashtags;

  const parent = asText(asObject(asObject(record.reply)?.parent)?.uri);
  if (quoted) {
    post.quoteOf = quoted;
    post.kind = "quote";
    post.refAccountId = didOfUri(quoted);
  }
  if (parent) {
    post.replyTo = parent;
    post.kind = "reply";
    post.refAccountId = didOfUri(parent);
  }
  return withAuthor(post, author);
}

/**
 * The images of an `app.bsky.embed.images` embed as image objects: each blob's CID, the content address of the file
 * the author uploaded (`image.ref.$link`; `image.cid` in the blobs of early records), so that one file posted by
 * many accounts is one object. Post views carry the same record, with the blobs, beside their rendered embed.
 */
function imageObjects(media: Obj): Array<{ kind: "image"; value: string }> {
  const out: Array<{ kind: "image"; value: string }> = [];
  for (const item of asArray(media.images)) {
    const blob = asObject(asObject(item)?.image);
    const cid = asText(asObject(blob?.ref)?.$link) ?? asText(blob?.cid);
    const value = cid === null ? null : imageId(cid);
    if (value !== null) out.push({ kind: "image", value });
  }
  return out;
}

function repost(id: string, author: Author, subject: string, tsMs: number): PostInput {
  return withAuthor(
    {
      platform: PLATFORM,
      postId: id,
      accountId: author.did,
      tsMs,
      kind: "repost",
      text: null,
      repostOf: subject,
      refAccountId: didOfUri(subject),
      urls: [],
      mentions: [],
      hashtags: [],
    },
    author,
  );
}

/** A Jetstream event: a post, a repost, or nothing (other collections, operations and event kinds). */
function fromJetstream(ev: Obj): PostInput | null {
  // Jetstream before October 2024 wrote `type: "com"` and `commit.type: "c"`.
  const kind = ev.kind ?? ev.type;
  if (kind !== "commit" && kind !== "com") return null;
  const commit = asObject(ev.commit);
  if (!commit) throw new RecordError("commit event without commit");
  const op = commit.operation ?? commit.type;
  if (op !== "create" && op !== "c") return null;
  const collection = asText(commit.collection);
  if (collection !== POST && collection !== REPOST) return null;
  const did = asText(ev.did);
  if (!did) throw new RecordError("missing did");
  const rkey = asText(commit.rkey);
  if (!rkey) throw new RecordError("missing commit.rkey");
  const record = asObject(commit.record);
  if (!record) throw new RecordError("missing commit.record");
  const uri = `at://${did}/${collection}/${rkey}`;
  if (collection === POST) return postRecord(record, uri, { did }, ev.time_us);
  const subject = asText(asObject(record.subject)?.uri);
  if (!subject) throw new RecordError("repost without subject.uri");
  return repost(uri, { did }, subject, recordTime(record, ev.time_us));
}

function authorOfView(v: Obj, uri: string): Author {
  const a = asObject(v.author);
  const did = asText(a?.did) ?? didOfUri(uri);
  if (!did) throw new RecordError("missing author.did");
  if (!a) return { did };
  const created = a.createdAt === undefined ? null : parseTimestamp(a.createdAt);
  return {
    did,
    handle: asText(a.handle),
    displayName: asText(a.displayName),
    avatarUrl: asText(a.avatar),
    accountCreatedAtMs: created,
  };
}

function fromPostView(v: Obj): PostInput {
  const uri = asText(v.uri);
  if (!uri) throw new RecordError("missing uri");
  const author = authorOfView(v, uri);
  const record = asObject(v.record);
  if (!record) throw new RecordError("missing record");
  return postRecord(record, uri, author, v.indexedAt);
}

/** A feed item `{post, reason?}`: the post, and the repost that put it in the feed. */
function fromFeedItem(item: Obj): PostInput[] {
  const view = asObject(item.post);
  if (!view) throw new RecordError("feed item without post");
  const post = fromPostView(view);
  const reason = asObject(item.reason);
  if (reason?.$type !== "app.bsky.feed.defs#reasonRepost") return [post];
  const by = asObject(reason.by);
  const did = asText(by?.did);
  if (!did) throw new RecordError("reasonRepost without by.did");
  const tsMs = parseTimestamp(reason.indexedAt);
  if (tsMs === null) throw new RecordError(`unparseable reason.indexedAt ${shown(reason.indexedAt)}`);
  // Newer AppViews give the repost record's URI; older ones do not, and one account reposts a post once.
  const id = asText(reason.uri) ?? `${post.postId}#repost-by-${did}`;
  const author: Author = { did, handle: asText(by?.handle), displayName: asText(by?.displayName) };
  return [post, repost(id, author, post.postId, tsMs)];
}

/** The items of one unit; `text`, the unit as written when it is a whole record (a reject shows it). */
function* emit(
  row: number,
  value: unknown,
  map: (o: Obj) => PostInput[],
  text?: string,
): Generator<IngestItem> {
  try {
    const o = asObject(value);
    if (!o) throw new RecordError("record is not a JSON object");
    for (const post of map(o)) yield { type: "post", row, post };
  } catch (err) {
    if (!(err instanceof RecordError)) throw err;
    yield { type: "reject", row, reason: err.message, raw: rawExcerpt(text ?? JSON.stringify(value) ?? "") };
  }
}

function unitPosts(o: Obj): PostInput[] {
  if ("commit" in o || ("did" in o && "time_us" in o)) {
    const p = fromJetstream(o);
    return p ? [p] : [];
  }
  if ("post" in o) return fromFeedItem(o);
  if ("uri" in o && "record" in o) return [fromPostView(o)];
  throw new RecordError("neither a Jetstream event, a post view (uri, record) nor a feed item (post)");
}

/** A JSON Lines line or array element: an event, a view, a feed item, or a whole page of them. */
function* unitItems(row: number, value: unknown, text?: string): Generator<IngestItem> {
  const o = asObject(value);
  // a Jetstream identity event names the handle a DID goes by (commits name none): the account's handle
  const identity = o && (o.kind ?? o.type) === "identity" ? asObject(o.identity) : null;
  if (identity) {
    const did = asText(identity.did) ?? asText(o!.did);
    const handle = asText(identity.handle);
    if (did && handle)
      yield { type: "account", row, account: { platform: PLATFORM, accountId: did, handle } };
    return;
  }
  const page = o && (Array.isArray(o.feed) ? o.feed : Array.isArray(o.posts) ? o.posts : null);
  if (page) {
    for (const v of page) yield* emit(row, v, unitPosts);
    return;
  }
  yield* emit(row, value, unitPosts, text);
}

function sniffBluesky(sample: SniffSample): number {
  const head = sample.head.replace(/^\uFEFF/, "").trimStart();
  if (!head.startsWith("{") && !head.startsWith("[")) return 0;
  if (/"collection"\s*:\s*"app\.bsky\./.test(head)) return 0.95;
  if (/"did"\s*:\s*"did:[a-z]+:/.test(head) && /"time_us"\s*:/.test(head)) return 0.9;
  if (/"uri"\s*:\s*"at:\/\/did:/.test(head) && /"record"\s*:/.test(head)) return 0.95;
  if (/"\$type"\s*:\s*"app\.bsky\.feed\.post"/.test(head)) return 0.85;
  return 0;
}

export const blueskyAdapter: IngestAdapter = {
  id: "bluesky",
  summary: "Bluesky posts: Jetstream JSON Lines, or post views / feed and search pages as JSON or JSON Lines",
  files: "*.jsonl (Jetstream), *.json (getAuthorFeed, searchPosts, post views; optionally .gz)",
  sniff: sniffBluesky,
  async *read(src, opts): AsyncGenerator<IngestItem[]> {
    const layout = await detectJsonLayout(src, opts.maxRecordBytes);
    const spec = { arrays: [[], ["feed"], ["posts"]] };
    let sawPage = layout !== "object";
    for await (const batch of readJsonRecords(src, spec, { maxRecordBytes: opts.maxRecordBytes, layout })) {
      const out: IngestItem[] = [];
      for (const rec of batch) {
        if (rec.type === "array") sawPage = true;
        else if (rec.type === "reject") out.push(rec);
        else if (rec.type === "record") {
          sawPage = true;
          out.push(...unitItems(rec.row, rec.value, rec.text));
        }
      }
      if (out.length > 0) yield out;
    }
    if (!sawPage)
      throw new IngestError(`${src.path}: not a Bluesky feed or search page: no 'feed' or 'posts' array`);
  },
};
