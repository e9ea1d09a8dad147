/**
 * `csv`: any CSV/TSV of posts, its columns named with `--map field=column` (by name, never by position). Columns whose
 * names are common spellings of our fields (post_id, id, tweet_id, user_id, created_at, ...) are mapped
 * automatically; `--map` overrides. The fields are those of the native format.
 */
import {
  IngestError,
  type AdapterOptions,
  type IngestAdapter,
  type IngestItem,
  type SniffSample,
} from "../types.js";
import {
  headerColumns,
  parseListCell,
  readCsvBatches,
  readFirstLine,
  recordRaw,
  sniffDelimiter,
} from "../csv-rows.js";
import type { NotedPostItem } from "../load.js";
import { fromChorusRecord } from "./chorus-jsonl.js";
import { mangledId } from "../records.js";

/** The fields a CSV column can be mapped to, with the column names recognised without a mapping. */
export const CSV_FIELDS: Record<string, string[]> = {
  platform: ["platform", "network", "source_platform"],
  post_id: ["post_id", "id", "tweet_id", "tweetid", "status_id", "message_id", "content_id"],
  account_id: ["account_id", "user_id", "userid", "author_id", "from_id", "account"],
  ts: ["ts", "timestamp", "created_at", "date", "time", "datetime", "published_at", "tweet_time"],
  handle: ["handle", "username", "screen_name", "user_screen_name", "user_name"],
  display_name: ["display_name", "name", "user_display_name"],
  text: ["text", "content", "message", "body", "tweet_text", "full_text"],
  // a lone "url" or "link" column is often the post's own permalink (CrowdTangle's URL, snscrape's url), so the
  // names of shared-link lists come first, and a link that holds the post's own id is taken for its permalink
  urls: ["urls", "links", "outlinks", "expanded_urls", "link", "url"],
  hashtags: ["hashtags", "tags"],
  mentions: ["mentions", "user_mentions"],
  images: ["images", "image_hashes", "image_ids"],
  repost_of: ["repost_of", "retweet_of", "retweet_id", "retweeted_status_id", "forwarded_from"],
  reply_to: ["reply_to", "in_reply_to", "in_reply_to_id", "in_reply_to_status_id"],
  quote_of: ["quote_of", "quoted_status_id"],
  account_created_at: ["account_created_at", "user_created_at", "account_creation_date"],
  bio: ["bio", "description", "user_description"],
  lang: ["lang", "language"],
  client: ["client", "source"],
  followers: ["followers", "followers_count", "follower_count"],
  following: ["following", "following_count", "friends_count"],
  location: ["location", "user_location"],
};

const LIST_FIELDS = new Set(["urls", "hashtags", "mentions", "images"]);

/** Whether `url` names the post `postId` itself: the id as a whole path segment or query value. */
export function isPermalinkOf(url: string, postId: string): boolean {
  const id = postId.trim();
  if (id.length < 3) return false;
  const at = url.indexOf(id);
  if (at <= 0) return false;
  const before = url[at - 1]!;
  const after = url[at + id.length] ?? "";
  return /[/=_]/.test(before) && /^(?:$|[/?#&])/.test(after);
}
/**
 * URLs may contain commas, so only whitespace, ";" and "|" separate them; a comma just before one of those (or at
 * the cell's end) goes with it, since no link holds a raw space: "https://a.example/x, https://b.example/y" is two.
 */
const URL_SEPARATORS = /,?[\s;|]+|,$/;
const LIST_SEPARATORS = /[\s,;|]+/;
const REQUIRED = ["post_id", "account_id", "ts"];
/** The fields that hold ids of posts and accounts. */
const ID_FIELDS = ["post_id", "account_id", "repost_of", "reply_to", "quote_of", "ref_account_id"];

/** Resolve field -> column from the header, the automatic names, and the user's --map. */
export function resolveColumns(
  header: string[],
  map: Record<string, string>,
  path: string,
): Map<string, string> {
  const cols = new Set(header);
  const out = new Map<string, string>();
  for (const [field, names] of Object.entries(CSV_FIELDS)) {
    const hit = names.find((n) => cols.has(n));
    if (hit) out.set(field, hit);
  }
  for (const [field, column] of Object.entries(map)) {
    if (!(field in CSV_FIELDS)) {
      throw new IngestError(
        `${path}: --map ${field}=${column}: unknown field '${field}' (fields: ${Object.keys(CSV_FIELDS).join(", ")})`,
      );
    }
    const c = column.trim().toLowerCase();
    if (!cols.has(c)) {
      throw new IngestError(
        `${path}: --map ${field}=${column}: no column '${column}' (columns: ${header.join(", ")})`,
      );
    }
    out.set(field, c);
  }
  // a column given to a field with --map is that field's alone: a permalink column mapped to post_id and also
  // named "url" was read as every post sharing a link of its own
  const mapped = new Set(Object.values(map).map((column) => column.trim().toLowerCase()));
  for (const [field, column] of [...out]) if (!(field in map) && mapped.has(column)) out.delete(field);
  const missing = REQUIRED.filter((f) => !out.has(f));
  if (missing.length > 0) throw new IngestError(`${path}: ${noColumnFor(missing, header)}`);
  // a column named twice (headers are compared in lower case): which one holds the field cannot be told
  for (const [field, column] of out) {
    const at = header.flatMap((c, i) => (c === column ? [i + 1] : []));
    if (at.length > 1) {
      throw new IngestError(
        `${path}: the header names the column '${column}' ${at.length} times (columns ${at.join(", ")}), ` +
          `and ${field} would be read from it: rename all but one in the file`,
      );
    }
  }
  return out;
}

/** Every missing field at once: naming them one run at a time would take as many runs. */
function noColumnFor(fields: string[], header: string[]): string {
  const maps = fields.map((f) => `--map ${f}=COLUMN`).join(" ");
  return (
    `no column for ${fields.join(", ")}; name ${fields.length > 1 ? "them" : "it"} with ${maps} ` +
    `(columns: ${header.join(", ")})`
  );
}

/** The header of a sample that looks like a CSV/TSV (a first line of two or more columns, not JSON), or null. */
function sampleHeader(sample: SniffSample): string[] | null {
  const first = sample.lines[0];
  if (!first || first.startsWith("{") || first.startsWith("[")) return null;
  const header = headerColumns(first, sniffDelimiter(first));
  return header.length < 2 ? null : header;
}

/**
 * For a file no format recognised: if it looks like a CSV/TSV, the required fields that no column is named for
 * (without --map), as the csv format says it; else null.
 */
export function unmappedCsvColumns(sample: SniffSample): string | null {
  const header = sampleHeader(sample);
  // stricter than the sniffer: prose with a comma ("Dear diary,") is not taken for a table. A record with a
  // quoted delimiter splits into more parts than it has fields, never fewer (unless a quoted line break cuts it)
  const delimiter = sniffDelimiter(sample.lines[0] ?? "");
  const second = sample.lines[1]?.split(delimiter).length ?? 0;
  if (!header || header.filter((c) => c !== "").length < 2 || second < header.length) return null;
  const missing = REQUIRED.filter((f) => !CSV_FIELDS[f]!.some((n) => header.includes(n)));
  return missing.length === 0 ? null : noColumnFor(missing, header);
}

export const csvAdapter: IngestAdapter = {
  id: "csv",
  summary:
    "Any CSV/TSV of posts; columns mapped by name with --map field=column (common names are recognised)",
  files: "*.csv, *.tsv (optionally .gz)",
  sniff(sample): number {
    const header = sampleHeader(sample);
    if (!header) return 0;
    const known = REQUIRED.filter((f) => CSV_FIELDS[f]!.some((n) => header.includes(n))).length;
    return known === REQUIRED.length ? 0.6 : 0.3;
  },
  async *read(src, opts: AdapterOptions): AsyncGenerator<IngestItem[]> {
    const firstLine = await readFirstLine(src);
    const delimiter = opts.delimiter ?? sniffDelimiter(firstLine);
    /** field, its column's index in the records, and how a list cell is split */
    let plan: Array<{ field: string; index: number; list: RegExp | null }> | null = null;
    /** Profile fields of the row being mapped that were left out, and why (as the native format notes them). */
    const notes: { list: string[] | null } = { list: null };
    for await (const batch of readCsvBatches(src.open(), {
      path: src.path,
      delimiter,
      maxRecordBytes: opts.maxRecordBytes,
    })) {
      const out: IngestItem[] = [];
      for (const item of batch.items) {
        if (!item.ok) {
          out.push({ type: "reject", row: item.row, reason: item.reason, raw: item.raw });
          continue;
        }
        if (plan === null) {
          const columns = resolveColumns(headerColumns(firstLine, delimiter), opts.map, src.path);
          plan = [];
          for (const [field, column] of columns) {
            const index = batch.columns.get(column);
            if (index === undefined) continue;
            const list = LIST_FIELDS.has(field)
              ? field === "urls"
                ? URL_SEPARATORS
                : LIST_SEPARATORS
              : null;
            plan.push({ field, index, list });
          }
        }
        const o: Record<string, unknown> = {};
        for (const { field, index, list } of plan) {
          const cell = item.fields[index];
          if (cell === undefined || cell === "") continue;
          o[field] = list ? parseListCell(cell, list, field === "urls") : cell;
        }
        if (o["platform"] === undefined) o["platform"] = opts.platform ?? "unknown";
        // a links column found by its name may be the post's permalink: a link naming the post's own id is not one
        // it shares (with --map, the column is read as given)
        if (opts.map["urls"] === undefined && Array.isArray(o["urls"]) && typeof o["post_id"] === "string") {
          o["urls"] = (o["urls"] as string[]).filter((u) => !isPermalinkOf(u, o["post_id"] as string));
        }
        // ids a spreadsheet turned into floating-point numbers would merge posts and accounts: the row is refused
        const mangled = ID_FIELDS.map((f) => mangledId(f, o[f])).find((m) => m !== null);
        if (mangled) {
          out.push({ type: "reject", row: item.row, reason: mangled, raw: recordRaw(item) });
          continue;
        }
        try {
          notes.list = null;
          const post = fromChorusRecord(o, notes, opts.timeZone);
          const noted: NotedPostItem = { type: "post", row: item.row, post };
          if (notes.list !== null) noted.notes = notes.list;
          out.push(noted);
        } catch (err) {
          out.push({ type: "reject", row: item.row, reason: (err as Error).message, raw: recordRaw(item) });
        }
      }
      yield out;
    }
  },
};
