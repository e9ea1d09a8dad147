/**
 * `twitter-io-archive`: the CSV layout of Twitter's information-operations archives (2018-2021 releases of state-
 * linked accounts). Columns are matched by name; list fields come in their bracketed form `[a, b]`; `tweet_time` is
 * UTC without a zone ("2018-01-01 12:34"); small accounts' ids and names are hashed in the originals.
 *
 * Times: `tweet_time` is given to the minute, but a tweet id since late 2010 is a snowflake that carries its creation
 * time to the millisecond. The id's time is taken when it agrees with `tweet_time` (within 61 seconds: the minute
 * rounded either way), as in `twitter-v2`; otherwise (an id mangled by a spreadsheet, an older id) `tweet_time` is.
 * Same-second bursts and fast reposts cannot be measured on minute-rounded times.
 */
import type { PostInput } from "../../model/index.js";
import { parseTimestamp, snowflakeToMs } from "../../normalize/time.js";
import {
  headerColumns,
  parseListCell,
  readCsvBatches,
  readFirstLine,
  recordRaw,
  sniffDelimiter,
} from "../csv-rows.js";
import { IngestError, type IngestAdapter, type IngestItem } from "../types.js";

function blank(v: string | undefined): string | null {
  if (v === undefined) return null;
  const t = v.trim();
  return t === "" || t.toLowerCase() === "nan" || t.toLowerCase() === "none" ? null : t;
}

function num(v: string | undefined): number | null {
  const t = blank(v);
  if (t === null) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** Ids in the archives sometimes arrive as floats ("1.23e+17") from spreadsheet round trips: keep them as text. */
function id(v: string | undefined): string | null {
  const t = blank(v);
  return t === null ? null : t.replace(/\.0$/, "");
}

export const twitterIoArchiveAdapter: IngestAdapter = {
  id: "twitter-io-archive",
  summary:
    "Twitter information-operations archive CSV (tweetid, userid, tweet_time, tweet_text, is_retweet, ...)",
  files: "*_tweets_csv_hashed.csv, *_tweets_csv_unhashed.csv (optionally .gz)",
  sniff(sample): number {
    const first = sample.lines[0];
    if (!first) return 0;
    const h = headerColumns(first);
    return h.includes("tweetid") && h.includes("userid") && h.includes("tweet_time") ? 0.97 : 0;
  },
  async *read(src, opts): AsyncGenerator<IngestItem[]> {
    const firstLine = await readFirstLine(src);
    const delimiter = opts.delimiter ?? sniffDelimiter(firstLine);
    const header = headerColumns(firstLine, delimiter);
    const missing = ["tweetid", "userid", "tweet_time"].filter((c) => !header.includes(c));
    if (missing.length > 0) {
      throw new IngestError(
        `${src.path}: line 1: not a Twitter information-operations archive (no column ${missing.join(", ")})`,
      );
    }
    for await (const batch of readCsvBatches(src.open(), {
      path: src.path,
      delimiter,
      maxRecordBytes: opts.maxRecordBytes,
    })) {
      const out: IngestItem[] = [];
      const columns = batch.columns;
      for (const item of batch.items) {
        if (!item.ok) {
          out.push({ type: "reject", row: item.row, reason: item.reason, raw: item.raw });
          continue;
        }
        const fields = item.fields;
        const g = (column: string): string | undefined => {
          const i = columns.get(column);
          return i === undefined ? undefined : fields[i];
        };
        const postId = id(g("tweetid"));
        const accountId = id(g("userid"));
        const timeRaw = blank(g("tweet_time"));
        if (!postId || !accountId || !timeRaw) {
          const missing = !postId ? "tweetid" : !accountId ? "userid" : "tweet_time";
          out.push({ type: "reject", row: item.row, reason: `missing ${missing}`, raw: recordRaw(item) });
          continue;
        }
        const givenMs = parseTimestamp(timeRaw, { assumeUtc: true });
        if (givenMs === null) {
          out.push({
            type: "reject",
            row: item.row,
            reason: `tweet_time '${timeRaw.slice(0, 64)}' is not a date`,
            raw: recordRaw(item),
          });
          continue;
        }
        const fromId = snowflakeToMs(postId);
        const tsMs = fromId !== null && Math.abs(fromId - givenMs) <= 61_000 ? fromId : givenMs;
        const isRetweet = (blank(g("is_retweet")) ?? "").toLowerCase() === "true";
        const created = blank(g("account_creation_date"));
        const post: PostInput = {
          platform: "twitter",
          postId,
          accountId,
          tsMs,
          handle: blank(g("user_screen_name")),
          displayName: blank(g("user_display_name")),
          bio: blank(g("user_profile_description")),
          location: blank(g("user_reported_location")),
          followers: num(g("follower_count")),
          following: num(g("following_count")),
          accountCreatedAtMs: created ? parseTimestamp(created, { assumeUtc: true }) : null,
          text: blank(g("tweet_text")),
          lang: blank(g("tweet_language")),
          client: blank(g("tweet_client_name")),
          urls: parseListCell(g("urls")),
          hashtags: parseListCell(g("hashtags")),
          mentions: parseListCell(g("user_mentions")),
          repostOf: isRetweet ? id(g("retweet_tweetid")) : null,
          replyTo: id(g("in_reply_to_tweetid")),
          quoteOf: id(g("quoted_tweet_tweetid")),
          refAccountId: isRetweet ? id(g("retweet_userid")) : id(g("in_reply_to_userid")),
        };
        if (isRetweet) post.kind = "repost";
        out.push({ type: "post", row: item.row, post });
      }
      yield out;
    }
  },
};
