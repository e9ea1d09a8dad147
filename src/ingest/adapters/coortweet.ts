/**
 * `coortweet`: the tables CooRTweet (Righetti & Balluff, 2023) works on, so that results can be checked against it.
 * Two layouts: the 4-column table `object_id, account_id, content_id, timestamp_share` (object_id is whatever was
 * shared; its kind comes from --object-kind, default `repost`, as in CooRTweet's retweet examples), and the
 * multi-object table of its German election sample `account_id, post_id, url_id, hashtag_id, domain_id, phash_id,
 * timestamp`. Object ids are opaque and stored as given; a post that shares several objects takes several rows.
 *
 * In CooRTweet a content id names one piece of content, so one account's (its `detect_groups` notes the uniqueness
 * as an assumption it does not check), and each row counts as the share of the row's account. A table whose content
 * ids repeat across accounts (ids that are unique per account only, as a channel's message numbers are) would
 * otherwise make one post of them, stored for the first account with every account's objects. So a content id met
 * again with another account becomes that account's own post, `ACCOUNT/CONTENT_ID`: every share stays with the
 * account that made it.
 */
import type { ObjectKind, PostInput } from "../../model/index.js";
import { dateWithoutTime, parseTimestamp } from "../../normalize/time.js";
import { headerColumns, readCsvBatches, readFirstLine, recordRaw, sniffDelimiter } from "../csv-rows.js";
import { IngestError, type IngestAdapter, type IngestItem } from "../types.js";
import { mangledId } from "../records.js";

const MULTI_OBJECT_COLUMNS: Array<[string, ObjectKind]> = [
  ["url_id", "url"],
  ["hashtag_id", "hashtag"],
  ["domain_id", "domain"],
  ["phash_id", "image"],
  ["mention_id", "mention"],
  ["repost_id", "repost"],
];

/**
 * Content ids whose account is remembered (about 45 bytes each); past this many in one file, a new content id is no
 * longer checked against the accounts of the rows before it.
 */
const CONTENT_OWNERS_LIMIT = 4_000_000;

/**
 * The first account of each content id of a file, kept as 53-bit and 32-bit hashes: the strings themselves would
 * cost several times the memory, and would keep alive the chunks of text they were cut from.
 */
class ContentOwners {
  private readonly owners = new Map<number, number>();

  /**
   * The post id of `contentId` as shared by `accountId`: the content id, unless another account had it first; then
   * `ACCOUNT/CONTENT_ID`, itself owned as a content id is, so that a real content id written that way (or one made
   * up for another account) is not taken for it: `ACCOUNT/ACCOUNT/CONTENT_ID` then, and so on.
   */
  postId(contentId: string, accountId: string): string {
    const owner = hash32(accountId);
    for (let id = contentId; ; id = `${accountId}/${id}`) {
      const key = hash53(id);
      const first = this.owners.get(key);
      if (first === undefined) {
        if (this.owners.size < CONTENT_OWNERS_LIMIT) this.owners.set(key, owner);
        return id;
      }
      if (first === owner) return id;
    }
  }
}

/** A 53-bit hash of a string (the cyrb53 construction). */
function hash53(s: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A 32-bit hash of a string (FNV-1a), a small integer in a Map. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h | 0;
}

function layoutOf(header: string[]): "four" | "multi" | null {
  const has = (c: string): boolean => header.includes(c);
  if (has("object_id") && has("account_id") && has("content_id") && has("timestamp_share")) return "four";
  if (has("account_id") && has("post_id") && has("timestamp") && MULTI_OBJECT_COLUMNS.some(([c]) => has(c))) {
    return "multi";
  }
  return null;
}

export const coortweetAdapter: IngestAdapter = {
  id: "coortweet",
  summary:
    "CooRTweet tables: object_id, account_id, content_id, timestamp_share; or account_id, post_id, url_id, hashtag_id, domain_id, phash_id, timestamp",
  files: "*.csv (optionally .gz)",
  sniff(sample): number {
    const first = sample.lines[0];
    if (!first) return 0;
    return layoutOf(headerColumns(first)) ? 0.95 : 0;
  },
  async *read(src, opts): AsyncGenerator<IngestItem[]> {
    const firstLine = await readFirstLine(src);
    const delimiter = opts.delimiter ?? sniffDelimiter(firstLine);
    const header = headerColumns(firstLine, delimiter);
    const layout = layoutOf(header);
    if (!layout) {
      throw new IngestError(
        `${src.path}: line 1: not a CooRTweet table (expected columns object_id, account_id, content_id, ` +
          `timestamp_share or account_id, post_id, <kind>_id..., timestamp; found ${header.join(", ")})`,
      );
    }
    const platform = opts.platform ?? "coortweet";
    const objectKind: ObjectKind = opts.objectKind ?? "repost";
    const tsColumn = layout === "four" ? "timestamp_share" : "timestamp";
    const idColumn = layout === "four" ? "content_id" : "post_id";
    const owners = new ContentOwners();
    let at: {
      account: number;
      id: number;
      ts: number;
      object: number;
      kinds: Array<[number, ObjectKind]>;
    } | null = null;
    for await (const batch of readCsvBatches(src.open(), {
      path: src.path,
      delimiter,
      maxRecordBytes: opts.maxRecordBytes,
    })) {
      const out: IngestItem[] = [];
      if (at === null) {
        const col = (name: string): number => batch.columns.get(name) ?? -1;
        at = {
          account: col("account_id"),
          id: col(idColumn),
          ts: col(tsColumn),
          object: col("object_id"),
          kinds: MULTI_OBJECT_COLUMNS.map(([c, kind]): [number, ObjectKind] => [col(c), kind]).filter(
            ([i]) => i >= 0,
          ),
        };
      }
      for (const item of batch.items) {
        if (!item.ok) {
          out.push({ type: "reject", row: item.row, reason: item.reason, raw: item.raw });
          continue;
        }
        const f = item.fields;
        const accountId = f[at.account]?.trim();
        const contentId = f[at.id]?.trim();
        const tsRaw = f[at.ts]?.trim();
        if (!accountId || !contentId || !tsRaw) {
          const missing = !accountId ? "account_id" : !contentId ? idColumn : tsColumn;
          out.push({ type: "reject", row: item.row, reason: `missing ${missing}`, raw: recordRaw(item) });
          continue;
        }
        const mangled = mangledId("account_id", accountId) ?? mangledId(idColumn, contentId);
        if (mangled) {
          out.push({ type: "reject", row: item.row, reason: mangled, raw: recordRaw(item) });
          continue;
        }
        const dayOnly = dateWithoutTime(tsColumn, tsRaw);
        const tsMs = dayOnly === null ? parseTimestamp(tsRaw) : null;
        if (tsMs === null) {
          out.push({
            type: "reject",
            row: item.row,
            reason: dayOnly ?? `${tsColumn} '${tsRaw.slice(0, 64)}' is not a timestamp`,
            raw: recordRaw(item),
          });
          continue;
        }
        const objects: Array<{ kind: ObjectKind; value: string }> = [];
        if (layout === "four") {
          const objectId = f[at.object]?.trim();
          if (!objectId) {
            out.push({ type: "reject", row: item.row, reason: "missing object_id", raw: recordRaw(item) });
            continue;
          }
          objects.push({ kind: objectKind, value: objectId });
        } else {
          for (const [index, kind] of at.kinds) {
            const v = f[index]?.trim();
            if (v && v.toUpperCase() !== "NA") objects.push({ kind, value: v });
          }
        }
        const post: PostInput = {
          platform,
          postId: owners.postId(contentId, accountId),
          accountId,
          tsMs,
          kind: layout === "four" && objectKind === "repost" ? "repost" : "post",
          objects,
          urls: [],
          hashtags: [],
          mentions: [],
        };
        if (layout === "four" && objectKind === "repost") {
          // the repost names the post it reposts (the object), as every other format's reposts do: the sync
          // detector times reposts by it
          post.repostOf = objects[0]!.value;
          post.refAccountId = null;
        }
        out.push({ type: "post", row: item.row, post });
      }
      yield out;
    }
  },
};
