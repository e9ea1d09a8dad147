/**
 * `coortweet`: the tables CooRTweet (Righetti & Balluff, 2023) works on, so that results can be checked against it.
 * Two layouts: the 4-column table `object_id, account_id, content_id, timestamp_share` (object_id is whatever was
 * shared; its kind comes from --object-kind, default `repost`, as in CooRTweet's retweet examples), and the
 * multi-object table of its German election sample `account_id, post_id, url_id, hashtag_id, domain_id, phash_id,
 * timestamp`. Object ids are opaque and stored as given; a post that shares several objects takes several rows.
 */
import type { ObjectKind, PostInput } from "../../model/index.js";
import { parseTimestamp } from "../../normalize/time.js";
import { headerColumns, readCsvBatches, readFirstLine, recordRaw, sniffDelimiter } from "../csv-rows.js";
import { IngestError, type IngestAdapter, type IngestItem } from "../types.js";

const MULTI_OBJECT_COLUMNS: Array<[string, ObjectKind]> = [
  ["url_id", "url"],
  ["hashtag_id", "hashtag"],
  ["domain_id", "domain"],
  ["phash_id", "image"],
  ["mention_id", "mention"],
  ["repost_id", "repost"],
];

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
        const postId = f[at.id]?.trim();
        const tsRaw = f[at.ts]?.trim();
        if (!accountId || !postId || !tsRaw) {
          const missing = !accountId ? "account_id" : !postId ? idColumn : tsColumn;
          out.push({ type: "reject", row: item.row, reason: `missing ${missing}`, raw: recordRaw(item) });
          continue;
        }
        const tsMs = parseTimestamp(tsRaw);
        if (tsMs === null) {
          out.push({
            type: "reject",
            row: item.row,
            reason: `${tsColumn} '${tsRaw.slice(0, 64)}' is not a timestamp`,
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
          postId,
          accountId,
          tsMs,
          kind: layout === "four" && objectKind === "repost" ? "repost" : "post",
          objects,
          urls: [],
          hashtags: [],
          mentions: [],
        };
        if (layout === "four" && objectKind === "repost") post.refAccountId = null;
        out.push({ type: "post", row: item.row, post });
      }
      yield out;
    }
  },
};
