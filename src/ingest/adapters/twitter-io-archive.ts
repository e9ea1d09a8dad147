/**
 * `twitter-io-archive`: the CSV layout of Twitter's information-operations archives (2018-2021 releases of state-
 * linked accounts). Columns are matched by name; list fields come in their bracketed form `[a, b]`; `tweet_time` is
 * UTC without a zone ("2018-01-01 12:34"); small accounts' ids and names are hashed in the originals.
 *
 * Times: `tweet_time` is given to the minute, but a tweet id since late 2010 is a snowflake that carries its creation
 * time to the millisecond. The id's time is taken when it agrees with `tweet_time` (within 61 seconds: the minute
 * rounded either way), as in `twitter-v2`; otherwise (an older id, not a snowflake) `tweet_time` is. Same-second
 * bursts and fast reposts cannot be measured on minute-rounded times.
 *
 * Ids a spreadsheet rewrote as floating-point numbers ("1.02189E+18") have lost their last digits, so different
 * tweets would share one id: such a row is rejected rather than stored under a wrong id. The values "nan" and
 * "None" are read as missing in the columns that hold ids, counts, times and lists, where they can be nothing else:
 * pandas, with which these archives are commonly re-saved, writes them for empty cells of columns it turned into
 * text. In the columns of free text (handle, names, bio, location, the tweet, its client) they are missing only in a
 * file that shows that signature (such a cell in one of the former columns, in the rows read so far, a batch of
 * thousands at a time): elsewhere `@nan` is a handle and "None" a tweet. Profile fields follow the native format: a
 * count that is not a non-negative number, or a creation date that is not a date, is left out and noted, and the
 * tweet is kept.
 */
import type { PostInput } from "../../model/index.js";
import { parseTimestamp, timeFromSnowflake } from "../../normalize/time.js";
import {
  headerColumns,
  parseListCell,
  readCsvBatches,
  readFirstLine,
  recordRaw,
  sniffDelimiter,
} from "../csv-rows.js";
import type { NotedPostItem } from "../load.js";
import { IngestError, type IngestAdapter, type IngestItem } from "../types.js";

/** Whether a cell holds what pandas writes for an empty cell of a column it turned into text. */
function isPandasEmpty(t: string): boolean {
  const l = t.toLowerCase();
  return l === "nan" || l === "none";
}

/** A cell of a column of ids, counts, times or lists, where "nan" and "None" can only mean an empty cell. */
function blank(v: string | undefined): string | null {
  if (v === undefined) return null;
  const t = v.trim();
  return t === "" || isPandasEmpty(t) ? null : t;
}

/**
 * The columns whose "nan" or "None" shows that pandas wrote the file's empty cells so: they can hold nothing else.
 */
const SIGNATURE_COLUMNS = [
  "in_reply_to_tweetid",
  "in_reply_to_userid",
  "quoted_tweet_tweetid",
  "retweet_tweetid",
  "retweet_userid",
  "follower_count",
  "following_count",
  "account_creation_date",
  "hashtags",
  "urls",
  "user_mentions",
  "latitude",
  "longitude",
  "is_retweet",
];

/** What one file showed so far: whether pandas wrote its empty cells as "nan" or "None". */
interface FileState {
  pandasEmpty: boolean;
}

/** A cell of free text: "nan" and "None" are missing only in a file written so (`FileState`), else the text. */
function text(v: string | undefined, file: FileState): string | null {
  if (v === undefined) return null;
  const t = v.trim();
  return t === "" || (file.pandasEmpty && isPandasEmpty(t)) ? null : t;
}

/** A row that cannot be stored; the message is the reject reason. */
class RowError extends Error {
  override name = "RowError";
}

/** Profile fields of a row left out, and why; null when none was. */
type Notes = { list: string[] | null };

/** Note a profile field left out, in the words of the native format. */
function leaveOut(notes: Notes, why: string): null {
  (notes.list ??= []).push(`${why}: left out, the post is kept`);
  return null;
}

/** A count: missing, or a non-negative number; anything else is left out and noted. */
function count(v: string | undefined, column: string, notes: Notes): number | null {
  const t = blank(v);
  if (t === null) return null;
  const n = Number(t);
  if (!Number.isFinite(n) || n < 0 || n > Number.MAX_SAFE_INTEGER) {
    return leaveOut(notes, `${column} '${t.slice(0, 64)}' is not a non-negative number`);
  }
  return n;
}

/** A number in exponent notation ("1.02189E+18", "1e17"). */
const EXPONENT = /^[+-]?(\d+\.?\d*|\.\d+)e[+-]?\d+$/i;
/** An integer written with a zero fraction ("1234.0"), as pandas writes an integer column that has empty cells. */
const ZERO_FRACTION = /^(\d+)\.0+$/;

/**
 * An id as text. One a spreadsheet wrote as a floating-point number has lost its last digits (tweet ids have 19
 * digits, a double keeps about 16), and different tweets or accounts would be merged under it: it is refused.
 */
function id(v: string | undefined, column: string): string | null {
  const t = blank(v);
  if (t === null) return null;
  const whole = ZERO_FRACTION.exec(t)?.[1];
  if (EXPONENT.test(t) || (whole !== undefined && Number(whole) > Number.MAX_SAFE_INTEGER)) {
    throw new RowError(
      `${column} '${t.slice(0, 64)}' is written as a floating-point number, which has lost the id's last digits ` +
        `(was the file saved through a spreadsheet?)`,
    );
  }
  return whole ?? t;
}

/**
 * The post of a row, from its cells by column name; a row that cannot be stored throws `RowError`. Profile fields
 * left out are noted in `notes`.
 */
function toPost(g: (column: string) => string | undefined, notes: Notes, file: FileState): PostInput {
  // every id column is checked, used or not: one mangled id means the row went through a spreadsheet
  const postId = id(g("tweetid"), "tweetid");
  const accountId = id(g("userid"), "userid");
  const replyTo = id(g("in_reply_to_tweetid"), "in_reply_to_tweetid");
  const replyAccount = id(g("in_reply_to_userid"), "in_reply_to_userid");
  const quoteOf = id(g("quoted_tweet_tweetid"), "quoted_tweet_tweetid");
  const repostOf = id(g("retweet_tweetid"), "retweet_tweetid");
  const repostAccount = id(g("retweet_userid"), "retweet_userid");
  const timeRaw = blank(g("tweet_time"));
  if (!postId || !accountId || !timeRaw) {
    throw new RowError(`missing ${!postId ? "tweetid" : !accountId ? "userid" : "tweet_time"}`);
  }
  const givenMs = parseTimestamp(timeRaw, { assumeUtc: true });
  if (givenMs === null) throw new RowError(`tweet_time '${timeRaw.slice(0, 64)}' is not a date`);
  // tweet_time is given to the minute: the id's millisecond within it, rounded either way
  const tsMs = timeFromSnowflake(postId, givenMs, 61_000);
  // written True/False by pandas, 1/0 by other exports
  const isRetweet = ["true", "1"].includes((blank(g("is_retweet")) ?? "").toLowerCase());
  const created = blank(g("account_creation_date"));
  const createdMs = created === null ? null : parseTimestamp(created, { assumeUtc: true });
  if (created !== null && createdMs === null) {
    leaveOut(notes, `account_creation_date '${created.slice(0, 64)}' is not a date`);
  }
  const post: PostInput = {
    platform: "twitter",
    postId,
    accountId,
    tsMs,
    handle: text(g("user_screen_name"), file),
    displayName: text(g("user_display_name"), file),
    bio: text(g("user_profile_description"), file),
    location: text(g("user_reported_location"), file),
    followers: count(g("follower_count"), "follower_count", notes),
    following: count(g("following_count"), "following_count", notes),
    accountCreatedAtMs: createdMs,
    text: text(g("tweet_text"), file),
    lang: blank(g("tweet_language")),
    client: text(g("tweet_client_name"), file),
    // the link to the quoted tweet among them is the quote, not a shared link: left out with the objects
    // (records.ts toObjectRows), as for every format
    urls: parseListCell(g("urls"), undefined, true),
    hashtags: parseListCell(g("hashtags")),
    mentions: parseListCell(g("user_mentions")),
    repostOf: isRetweet ? repostOf : null,
    replyTo,
    quoteOf,
    // the author of the post the kind names: a reply that also quotes answers the one it replies to, as the
    // twitter-v2 format reads it; the archive names no quoted author
    refAccountId: isRetweet ? repostAccount : replyTo ? replyAccount : null,
  };
  post.kind = isRetweet ? "repost" : replyTo ? "reply" : quoteOf ? "quote" : "post";
  return post;
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
    const file: FileState = { pandasEmpty: false };
    for await (const batch of readCsvBatches(src.open(), {
      path: src.path,
      delimiter,
      maxRecordBytes: opts.maxRecordBytes,
    })) {
      const out: IngestItem[] = [];
      const columns = batch.columns;
      // the signature is looked for in the whole batch before any row's free text is read, so that the rows of
      // one batch read "nan" alike whichever of them shows it (the first batch holds thousands of rows)
      if (!file.pandasEmpty) {
        const signature = SIGNATURE_COLUMNS.map((c) => columns.get(c)).filter((i) => i !== undefined);
        file.pandasEmpty = batch.items.some(
          (item) => item.ok && signature.some((i) => isPandasEmpty((item.fields[i] ?? "").trim())),
        );
      }
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
        const notes: Notes = { list: null };
        let post: PostInput;
        try {
          post = toPost(g, notes, file);
        } catch (err) {
          if (!(err instanceof RowError)) throw err;
          out.push({ type: "reject", row: item.row, reason: err.message, raw: recordRaw(item) });
          continue;
        }
        const noted: NotedPostItem = { type: "post", row: item.row, post };
        if (notes.list !== null) noted.notes = notes.list;
        out.push(noted);
      }
      yield out;
    }
  },
};
