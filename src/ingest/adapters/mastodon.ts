/**
 * `mastodon`: Mastodon API `Status` entities, as JSON arrays (what timeline endpoints return), JSON Lines, or a
 * search result `{statuses: [...]}`.
 *
 * Ids: status `id`s are local to the instance that served them (the same post has another id on every instance),
 * so a post is its `uri`, the ActivityPub id that is the same everywhere (`id` only when `uri` is missing). An
 * account is `user@instance`: `acct` when it names the instance, else `acct` plus the host of the account's
 * `url` (local accounts of the serving instance). Mentions use the same form.
 *
 * Accounts: each post carries its author's profile as the status embeds it; no profile is emitted on its own, so
 * that a status not stored (a duplicate of a post the case has, or a repeat within the file) names no account.
 *
 * Reblogs: the wrapper status is a repost of the reblogged status' `uri`, and the reblogged status is emitted as
 * a post of its own author. Replies: the API gives only the parent's local id; it becomes the parent's `uri`
 * when the parent appeared earlier in the same file, and stays the bare local id otherwise.
 *
 * Text is the HTML `content` reduced to plain text (with a content warning, `spoiler_text`, first); links are
 * the `href`s of the content's anchors that are not mentions or hashtags, plus the preview card's URL. Pictures
 * (images and video thumbnails) are image objects named by their BlurHash.
 * Rows are the line for JSON Lines, else the position of the status in the document.
 */
import type { AccountInput, PostInput } from "../../model/index.js";
import { blurhashImageId } from "../../normalize/image.js";
import { stripHtml } from "../../normalize/text.js";
import { dateWithoutTime, parseTimestamp } from "../../normalize/time.js";
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
import type { NotedPostItem } from "../load.js";
import { IngestError, rawExcerpt, type IngestAdapter, type IngestItem, type SniffSample } from "../types.js";

const PLATFORM = "mastodon";

/** Most local-id -> uri pairs remembered for resolving replies. */
const ID_MAP_LIMIT = 1_000_000;

/**
 * Most replies held back until the end of their file, for a parent that may come later in it (timelines come newest
 * first, so a reply nearly always comes before its parent); past it a reply keeps its parent's local id.
 */
const PENDING_LIMIT = 200_000;
/** And most characters of text and profile the held replies may hold in all (a count alone bounds no memory). */
const PENDING_CHARS = 32 * 1024 * 1024;

type Obj = Record<string, unknown>;

/** A reply whose parent was not yet seen: stored once its file has been read to the end. */
interface PendingReply {
  item: NotedPostItem;
  /** The parent's instance-local id. */
  parentId: string;
  /** The parent's uri in Mastodon's own form, when its author is local to the instance that served the data. */
  localUri: string | null;
}

interface ReadState {
  uriById: Map<string, string>;
  /** Hosts seen writing a local status's uri in Mastodon's own form (`https://host/users/name/statuses/id`). */
  mastodonHosts: Set<string>;
  /** Replies whose parent was not seen yet, and the posts of `statusRecords` that are among them. */
  pending: PendingReply[];
  held: Map<PostInput, Omit<PendingReply, "item">>;
  /** Characters of text and profile held back so far. */
  heldChars: number;
  /** What the status being read left out (its notes as a post item). */
  notes: string[];
}

function newState(): ReadState {
  return {
    uriById: new Map(),
    mastodonHosts: new Set(),
    pending: [],
    held: new Map(),
    heldChars: 0,
    notes: [],
  };
}

/**
 * An instance-local id (of a status, an account, a parent), which only helps to link statuses: one written as a
 * number past 2^53 (as Mastodon.py's dumps write them) lost its digits and is left out with a note, and the status
 * is kept under its uri.
 */
function localIdOf(v: unknown, field: string, state: ReadState): string | null {
  const unsafe = unsafeIdReason(v, field);
  if (unsafe === null) return asText(v);
  state.notes.push(`${unsafe}: left out, the status is kept`);
  return null;
}

/** The uri Mastodon gives a status of local account `username` on `host`: its actor's uri, /statuses/, its id. */
function mastodonStatusUri(host: string, username: string, id: string): string {
  return `https://${host}/users/${username}/statuses/${id}`;
}

function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).host || null;
  } catch {
    return null;
  }
}

/** `user@instance` for an account or mention object, as written: the handle shown. */
function writtenAcct(o: Obj): string | null {
  const acct = asText(o.acct) ?? asText(o.username);
  if (!acct) return null;
  if (acct.includes("@")) return acct.replace(/^@/, "");
  const host = hostOf(asText(o.url));
  return host ? `${acct}@${host}` : null;
}

/**
 * The account's id: `user@instance` in lower case. Mastodon matches usernames without regard to case (`Alice` and
 * `alice` cannot both exist on one instance, and a mention of either reaches the same account), and domain names
 * have no case, so `Alice@M.Example` and `alice@m.example` are one account.
 */
function qualifiedAcct(o: Obj): string | null {
  return writtenAcct(o)?.toLowerCase() ?? null;
}

function accountOf(a: Obj): AccountInput {
  const handle = writtenAcct(a);
  const accountId = handle?.toLowerCase() ?? null;
  if (!accountId) {
    const acct = asText(a.acct) ?? asText(a.username);
    throw new RecordError(
      acct
        ? `account ${shown(acct)} has no instance (acct without a domain and no url)`
        : "account without acct",
    );
  }
  const note = asText(a.note);
  return {
    platform: PLATFORM,
    accountId,
    handle,
    displayName: asText(a.display_name),
    bio: note ? stripHtml(note) : null,
    createdAtMs: a.created_at === undefined || a.created_at === null ? null : parseTimestamp(a.created_at),
    followers: asCount(a.followers_count),
    following: asCount(a.following_count),
    avatarUrl: asText(a.avatar),
    location: null,
  };
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|amp|quot|apos|lt|gt);/gi, (all, name: string) => {
    const n = name.toLowerCase();
    if (n === "amp") return "&";
    if (n === "quot") return '"';
    if (n === "apos") return "'";
    if (n === "lt") return "<";
    if (n === "gt") return ">";
    const cp = n.startsWith("#x") ? parseInt(n.slice(2), 16) : parseInt(n.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : all;
  });
}

/**
 * The attributes of a tag's inside (`a href="…" class=…`), read left to right in one pass. Regular expressions
 * over hostile HTML (unclosed quotes, thousands of `href=`) can backtrack quadratically; this cannot.
 */
function attributes(tag: string): Map<string, string> {
  const attrs = new Map<string, string>();
  const n = tag.length;
  let i = 0;
  while (i < n) {
    while (i < n && /[\s/]/.test(tag[i]!)) i++;
    const nameStart = i;
    while (i < n && !/[\s=/>]/.test(tag[i]!)) i++;
    const name = tag.slice(nameStart, i).toLowerCase();
    while (i < n && /\s/.test(tag[i]!)) i++;
    let value = "";
    if (tag[i] === "=") {
      i++;
      while (i < n && /\s/.test(tag[i]!)) i++;
      const q = tag[i];
      if (q === '"' || q === "'") {
        const close = tag.indexOf(q, i + 1);
        const end = close === -1 ? n : close;
        value = tag.slice(i + 1, end);
        i = end + 1;
      } else {
        const valueStart = i;
        while (i < n && !/\s/.test(tag[i]!)) i++;
        value = tag.slice(valueStart, i);
      }
    }
    if (name && !attrs.has(name)) attrs.set(name, value);
    if (i === nameStart) i++;
  }
  return attrs;
}

/** Links in status HTML, without the anchors Mastodon renders for mentions and hashtags. */
function contentLinks(html: string): string[] {
  const out: string[] = [];
  let pos = 0;
  for (;;) {
    const open = html.indexOf("<a", pos);
    if (open === -1) break;
    const close = html.indexOf(">", open);
    if (close === -1) break; // an unclosed tag swallows the rest, as in a browser
    pos = close + 1;
    if (!/[\s>]/.test(html[open + 2] ?? "") && html[open + 2] !== "/") continue;
    const attrs = attributes(html.slice(open + 2, close));
    const href = decodeEntities(attrs.get("href") ?? "");
    if (!/^https?:\/\//i.test(href)) continue;
    const cls = attrs.get("class") ?? "";
    if (/\b(mention|hashtag)\b/.test(cls) || /\btag\b/.test(attrs.get("rel") ?? "")) continue;
    out.push(href);
  }
  return out;
}

/**
 * The pictures of a status's media as image objects, by the BlurHash Mastodon computed for each image and video
 * thumbnail (normalize/image.ts): the same picture uploaded by several accounts is one object. Each picture once.
 */
function mediaImages(media: unknown): Array<{ kind: "image"; value: string }> {
  const values = new Set<string>();
  for (const m of asArray(media)) {
    const value = blurhashImageId(asObject(m)?.blurhash);
    if (value !== null) values.add(value);
  }
  return [...values].map((value) => ({ kind: "image", value }));
}

function statusTime(s: Obj): number {
  if (s.created_at === undefined || s.created_at === null || s.created_at === "") {
    throw new RecordError("missing created_at");
  }
  const dayOnly = dateWithoutTime("created_at", s.created_at);
  if (dayOnly !== null) throw new RecordError(dayOnly);
  const ms = parseTimestamp(s.created_at);
  if (ms === null) throw new RecordError(`unparseable created_at ${shown(s.created_at)}`);
  return ms;
}

function statusId(s: Obj): string {
  const id = asId(s.uri, "uri") ?? asId(s.id, "id");
  if (!id) throw new RecordError("missing uri and id");
  return id;
}

function withProfile(post: PostInput, a: AccountInput): PostInput {
  post.handle = a.handle ?? null;
  post.displayName = a.displayName ?? null;
  post.bio = a.bio ?? null;
  post.accountCreatedAtMs = a.createdAtMs ?? null;
  post.followers = a.followers ?? null;
  post.following = a.following ?? null;
  post.avatarUrl = a.avatarUrl ?? null;
  return post;
}

/** The post and (for reblogs) reblogged post of one status, in the order they should be stored. */
function statusRecords(s: Obj, state: ReadState, nested = false): PostInput[] {
  const a = asObject(s.account);
  if (!a) throw new RecordError("missing account");
  const account = accountOf(a);
  const postId = statusId(s);
  const tsMs = statusTime(s);
  const out: PostInput[] = [];
  const localId = asText(s.uri) !== null ? localIdOf(s.id, "id", state) : asId(s.id, "id");
  if (localId && postId !== localId && state.uriById.size < ID_MAP_LIMIT) state.uriById.set(localId, postId);
  // a local status whose uri is in Mastodon's own form shows that its instance writes them so
  const username = asText(a.username);
  const host = hostOf(asText(a.url));
  if (localId && username && host && !(asText(a.acct) ?? "").includes("@")) {
    if (postId === mastodonStatusUri(host, username, localId)) state.mastodonHosts.add(host);
  }

  const post: PostInput = { platform: PLATFORM, postId, accountId: account.accountId, tsMs, kind: "post" };
  const reblog = nested ? null : asObject(s.reblog);
  if (reblog) {
    let original: PostInput[];
    try {
      original = statusRecords(reblog, state, true);
    } catch (err) {
      if (err instanceof RecordError) throw new RecordError(`reblogged status: ${err.message}`);
      throw err;
    }
    out.push(...original);
    const rebloggedAccount = asObject(reblog.account);
    post.kind = "repost";
    post.repostOf = statusId(reblog);
    post.refAccountId = rebloggedAccount ? qualifiedAcct(rebloggedAccount) : null;
    post.text = null;
    post.urls = [];
    post.hashtags = [];
    post.mentions = [];
    out.push(withProfile(post, account));
    return out;
  }

  const html = typeof s.content === "string" ? s.content : "";
  const body = html ? stripHtml(html) : "";
  const spoiler = asText(s.spoiler_text);
  post.text = spoiler ? (body ? `${spoiler}\n\n${body}` : spoiler) : body || null;
  post.lang = asText(s.language);
  post.client = asText(asObject(s.application)?.name);
  const urls = contentLinks(html);
  const card = asText(asObject(s.card)?.url);
  if (card) urls.push(card);
  post.urls = [...new Set(urls)];
  const images = mediaImages(s.media_attachments);
  if (images.length > 0) post.objects = images;
  post.hashtags = asArray(s.tags)
    .map((t) => asText(asObject(t)?.name))
    .filter((t): t is string => t !== null);
  const mentionObjs = asArray(s.mentions)
    .map(asObject)
    .filter((m): m is Obj => m !== null);
  post.mentions = mentionObjs.map(qualifiedAcct).filter((m): m is string => m !== null);

  const replying = s.in_reply_to_id !== null && s.in_reply_to_id !== undefined && s.in_reply_to_id !== "";
  const parentId = localIdOf(s.in_reply_to_id, "in_reply_to_id", state);
  // a reply whose parent's id was lost is still a reply, to a post no one can name
  if (replying && parentId === null) post.kind = "reply";
  if (parentId) {
    post.kind = "reply";
    const parentAuthor = localIdOf(s.in_reply_to_account_id, "in_reply_to_account_id", state);
    const author =
      parentAuthor && parentAuthor === localIdOf(a.id, "account.id", state)
        ? a
        : (mentionObjs.find((x) => localIdOf(x.id, "mentions.id", state) === parentAuthor) ?? null);
    post.refAccountId = author === a ? account.accountId : author ? qualifiedAcct(author) : null;
    // the parent is named by its uri, as every status is: found in this file (earlier, or by the file's end), or,
    // when its author is local to the instance that served the data and that instance writes Mastodon's own form
    // of uris, that form; else its local id, which only that instance knows
    const authorName = author ? asText(author.username) : null;
    const authorHost = author ? hostOf(asText(author.url)) : null;
    const localUri =
      authorName && authorHost && !(asText(author!.acct) ?? "").includes("@")
        ? mastodonStatusUri(authorHost, authorName, parentId)
        : null;
    const known = state.uriById.get(parentId);
    if (known !== undefined) post.replyTo = known;
    else if (localUri !== null && state.mastodonHosts.has(authorHost!)) post.replyTo = localUri;
    else {
      post.replyTo = parentId;
      // held to the file's end, within bounds of count and size (past them, its local id it keeps)
      const chars = (post.text?.length ?? 0) + (account.bio?.length ?? 0) + 256;
      if (
        !nested &&
        state.pending.length + state.held.size < PENDING_LIMIT &&
        state.heldChars + chars <= PENDING_CHARS
      ) {
        state.heldChars += chars;
        state.held.set(post, { parentId, localUri });
      }
    }
  }
  out.push(withProfile(post, account));
  return out;
}

/** The items of one status; `text`, the status as written when it is a whole record (a reject shows it). */
function* statusItems(row: number, value: unknown, state: ReadState, text?: string): Generator<IngestItem> {
  let records: PostInput[];
  try {
    const s = asObject(value);
    if (!s) throw new RecordError("status is not a JSON object");
    state.notes = [];
    records = statusRecords(s, state);
  } catch (err) {
    state.held.clear();
    if (!(err instanceof RecordError)) throw err;
    yield { type: "reject", row, reason: err.message, raw: rawExcerpt(text ?? JSON.stringify(value) ?? "") };
    return;
  }
  const notes = state.notes.length > 0 ? [...new Set(state.notes)] : undefined;
  for (const post of records) {
    const held = state.held.get(post);
    const item: NotedPostItem = notes ? { type: "post", row, post, notes } : { type: "post", row, post };
    if (held === undefined) yield item;
    else state.pending.push({ item, ...held });
  }
  state.held.clear();
}

/**
 * The replies held back for their parents, now that their file has been read: each names its parent's uri if the
 * file held the parent, or the uri of Mastodon's own form for a local parent of an instance seen writing it.
 */
function* pendingItems(state: ReadState): Generator<IngestItem> {
  for (const p of state.pending) {
    const known = state.uriById.get(p.parentId);
    if (known !== undefined) p.item.post.replyTo = known;
    else if (p.localUri !== null && state.mastodonHosts.has(hostOf(p.localUri) ?? "")) {
      p.item.post.replyTo = p.localUri;
    }
    yield p.item;
  }
  state.pending.length = 0;
}

function sniffMastodon(sample: SniffSample): number {
  const head = sample.head.replace(/^\uFEFF/, "").trimStart();
  if (!head.startsWith("{") && !head.startsWith("[")) return 0;
  if (!/"acct"\s*:/.test(head)) return 0;
  const status = /"content"\s*:/.test(head) && /"created_at"\s*:/.test(head);
  if (status && /"(reblog|in_reply_to_account_id|visibility|spoiler_text)"\s*:/.test(head)) return 0.95;
  if (status) return 0.75;
  return 0;
}

export const mastodonAdapter: IngestAdapter = {
  id: "mastodon",
  summary: "Mastodon API statuses: JSON arrays (timelines), JSON Lines, or search results {statuses}",
  files: "*.json, *.jsonl (Mastodon API Status entities; optionally .gz)",
  sniff: sniffMastodon,
  async *read(src, opts): AsyncGenerator<IngestItem[]> {
    const layout = await detectJsonLayout(src, opts.maxRecordBytes);
    const state = newState();
    let sawStatuses = layout !== "object";
    const spec = { arrays: [[], ["statuses"]] };
    for await (const batch of readJsonRecords(src, spec, { maxRecordBytes: opts.maxRecordBytes, layout })) {
      const out: IngestItem[] = [];
      for (const rec of batch) {
        if (rec.type === "array") sawStatuses = true;
        else if (rec.type === "reject") out.push(rec);
        else if (rec.type === "record") {
          sawStatuses = true;
          const o = asObject(rec.value);
          const page = rec.layout === "jsonl" && o && Array.isArray(o.statuses) ? o.statuses : null;
          if (page) for (const st of page) out.push(...statusItems(rec.row, st, state));
          else out.push(...statusItems(rec.row, rec.value, state, rec.text));
        }
      }
      if (out.length > 0) yield out;
    }
    const held = [...pendingItems(state)];
    for (let i = 0; i < held.length; i += 10_000) yield held.slice(i, i + 10_000);
    if (!sawStatuses)
      throw new IngestError(`${src.path}: not Mastodon statuses: no array and no 'statuses' array`);
  },
};
