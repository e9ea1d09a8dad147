/**
 * From the case to typed arrays for the sync kernels: dense account ids (a temp table, so that evidence can be
 * turned back into account keys), every post's account, time and row id ordered by second then account, and the
 * reposts with the time of their original (from the case, or from a Twitter snowflake id when the original is
 * missing). Row ids point back at `posts` rows without building a dictionary of post ids.
 */
import type { CaseStore } from "../../store/case.js";
import { postCount, readColumns } from "../../store/columns.js";
import { fromRoundedInput, markRoundedInputs, type Rounded } from "../precision.js";

export const ACCOUNTS_TABLE = "chorus_sync_accounts";

/** Twitter snowflake epoch (2010-11-04T01:42:54.657Z): ms since then are the id's top 42 bits. */
export const SNOWFLAKE_EPOCH_MS = 1288834974657;

export interface PostColumns {
  rows: number;
  account: Int32Array;
  tsMs: Float64Array;
  /** `posts.rowid` of each post. */
  row: Float64Array;
  accounts: number;
}

export interface RepostColumns {
  rows: number;
  account: Int32Array;
  /** Dense id of the original (platform, ref_post_id), in the order of its hash. */
  original: Int32Array;
  tsMs: Float64Array;
  /** Time of the original, NaN when unknown. */
  originalMs: Float64Array;
  row: Float64Array;
  /** `posts.rowid` of the original when it is in the case, NaN otherwise. */
  originalRow: Float64Array;
  originals: number;
}

/**
 * Number the accounts whose times are measured: every account with posts in an input whose times are not rounded to
 * the minute (`ROUNDED_INPUTS`, written here: the posts of those take no part in the kernels). Returns how many
 * were numbered, and what was set apart.
 */
export async function buildAccounts(store: CaseStore): Promise<{ accounts: number; rounded: Rounded }> {
  const rounded = await markRoundedInputs(store);
  await store.conn.run(`CREATE OR REPLACE TEMP TABLE ${ACCOUNTS_TABLE} AS
    SELECT (row_number() OVER (ORDER BY platform, account_id) - 1)::INTEGER AS aid, platform, account_id
      FROM (SELECT DISTINCT platform, account_id FROM posts p WHERE NOT ${fromRoundedInput("p")})`);
  const accounts = (await store.scalar<number>(`SELECT count(*)::INTEGER FROM ${ACCOUNTS_TABLE}`)) ?? 0;
  return { accounts, rounded };
}

/** Share of posts whose time is a whole minute: near 1/60 for second precision, near 1 for minute precision. */
export async function wholeMinuteShare(store: CaseStore): Promise<number> {
  return (
    (await store.scalar<number>(
      `SELECT coalesce(avg(CASE WHEN epoch_ms(ts) % 60000 = 0 THEN 1 ELSE 0 END), 0)::DOUBLE FROM posts`,
    )) ?? 0
  );
}

/**
 * Every post, ordered by epoch second, then account (the order the activity units need), then row id. One integer
 * sort key: DuckDB sorts it markedly faster than the same order spelled as three keys.
 */
export async function loadPosts(store: CaseStore, accounts: number): Promise<PostColumns> {
  const { rows, cols } = await readColumns(
    store,
    `SELECT a.aid AS account, epoch_ms(p.ts)::DOUBLE AS ts, p.rowid::DOUBLE AS row
       FROM posts p JOIN ${ACCOUNTS_TABLE} a USING (platform, account_id)
      WHERE NOT ${fromRoundedInput("p")}
      ORDER BY (epoch_ms(p.ts) // 1000) * ${Math.max(1, accounts)} + a.aid, p.rowid`,
    { account: "int32", ts: "float64", row: "float64" },
    undefined,
    { rowsAtMost: await postCount(store) },
  );
  return { rows, account: cols.account, tsMs: cols.ts, row: cols.row, accounts };
}

/**
 * Reposts with their original's time, ordered by original then repost time. Twitter ids of 17 or more digits are
 * snowflakes whose top bits are the creation time in ms, so an original missing from the case still has a time.
 */
export async function loadReposts(store: CaseStore): Promise<RepostColumns> {
  // originals are grouped by a 52-bit hash of (platform, ref_post_id) rather than a dense rank over the strings,
  // which costs a window function over millions of rows; a collision (odds ~ n^2 / 2^53) merges two originals
  const { rows, cols } = await readColumns(
    store,
    `SELECT a.aid AS account, (hash(p.platform, p.ref_post_id) >> 12)::DOUBLE AS okey,
            epoch_ms(p.ts)::DOUBLE AS ts, p.rowid::DOUBLE AS row,
            coalesce(epoch_ms(o.ts)::DOUBLE,
              CASE WHEN p.platform IN ('twitter', 'x') AND regexp_full_match(p.ref_post_id, '[0-9]{17,19}')
                   THEN ((p.ref_post_id::UBIGINT >> 22) + ${SNOWFLAKE_EPOCH_MS})::DOUBLE END) AS ots,
            o.rid::DOUBLE AS orow
       FROM posts p JOIN ${ACCOUNTS_TABLE} a USING (platform, account_id)
       LEFT JOIN (SELECT platform, post_id, ts, rowid AS rid FROM posts x WHERE NOT ${fromRoundedInput("x")}) o
              ON o.platform = p.platform AND o.post_id = p.ref_post_id
      WHERE p.kind = 'repost' AND p.ref_post_id IS NOT NULL AND NOT ${fromRoundedInput("p")}
      ORDER BY okey, ts, account, row`,
    { account: "int32", okey: "float64", ts: "float64", row: "float64", ots: "float64", orow: "float64" },
    undefined,
    // the reposts, not every post: six columns as long as the posts would count against the typed arrays the
    // runner collects after (pages never written hold no memory, but they are counted), and stay reserved
    {
      rowsAtMost:
        (await store.scalar<number>(
          "SELECT count(*)::DOUBLE FROM posts WHERE kind = 'repost' AND ref_post_id IS NOT NULL",
        )) ?? 0,
    },
  );
  const original = new Int32Array(rows);
  let originals = 0;
  for (let i = 0; i < rows; i++) {
    if (i > 0 && cols.okey[i] !== cols.okey[i - 1]) originals++;
    original[i] = originals;
  }
  if (rows > 0) originals++;
  return {
    rows,
    account: cols.account,
    original,
    tsMs: cols.ts,
    originalMs: cols.ots,
    row: cols.row,
    originalRow: cols.orow,
    originals,
  };
}
