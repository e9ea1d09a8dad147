/**
 * From the case to typed arrays. DuckDB does the heavy part in one pass over the posts (counts per account and
 * quarter-hour of the day, for accounts with enough posts on enough days); only the few accounts whose day looks
 * block-shaped have their post times read into JS. Dense account ids live in a temp table, so evidence can be
 * turned back into account keys and posts (by row id) without holding millions of strings.
 */
import { denseAccountNames } from "../../store/account-keys.js";
import type { CaseStore } from "../../store/case.js";
import { writeTempInts } from "../../store/temp-table.js";
import { readColumns } from "../../store/columns.js";
import { QUARTERS } from "./profile.js";

export interface Profiles {
  /** Distinct accounts with posts. */
  accounts: number;
  posts: number;
  /** Accounts with enough posts on enough days to judge; dense ids 0..judged-1. */
  judged: number;
  /** judged x 96 counts, UTC quarter-hours. */
  daily: Int32Array;
  /** Posts per judged account. */
  postsOf: Int32Array;
}

export async function loadProfiles(store: CaseStore, minPosts: number, minDays: number): Promise<Profiles> {
  // every account's posts and days in one pass over the posts; the case's totals are counted from them, not
  // from a second pass (a distinct count of the posts' string keys cost 0.8 s at 10M posts)
  await store.conn.run(
    `CREATE OR REPLACE TEMP TABLE chorus_rhythm_all AS
       SELECT platform, account_id, sum(n) AS n, count(*) AS days
         FROM (SELECT platform, account_id, epoch_us(ts) // 86400000000 AS day, count(*) AS n
                 FROM posts GROUP BY ALL)
        GROUP BY platform, account_id`,
  );
  await store.conn.run(
    `CREATE OR REPLACE TEMP TABLE chorus_rhythm_accounts AS
       SELECT (row_number() OVER (ORDER BY platform, account_id) - 1)::INTEGER AS aid, platform, account_id,
              n::INTEGER AS n
         FROM chorus_rhythm_all
        WHERE n >= $minPosts AND days >= $minDays`,
    { minPosts, minDays },
  );
  const totals = await store.all<{ accounts: number; posts: number }>(
    `SELECT count(*)::DOUBLE AS accounts, coalesce(sum(n), 0)::DOUBLE AS posts FROM chorus_rhythm_all`,
  );
  await store.conn.run("DROP TABLE chorus_rhythm_all");
  const judged = (await store.scalar<number>("SELECT count(*)::INTEGER FROM chorus_rhythm_accounts")) ?? 0;
  const daily = new Int32Array(judged * QUARTERS);
  const postsOf = new Int32Array(judged);
  if (judged > 0) {
    const { rows, cols } = await readColumns(
      store,
      // aggregate first, then join the (account, quarter) counts: joining ten million posts on their string keys
      // cost more than the aggregation itself
      `SELECT a.aid, h.q::INTEGER AS q, h.n::INTEGER AS n
         FROM (SELECT platform, account_id, ((epoch_us(ts) // 900000000) % 96 + 96) % 96 AS q, count(*) AS n
                 FROM posts GROUP BY ALL) h
         JOIN chorus_rhythm_accounts a USING (platform, account_id)`,
      { aid: "int32", q: "int32", n: "int32" },
    );
    for (let i = 0; i < rows; i++) {
      daily[cols.aid[i]! * QUARTERS + cols.q[i]!] = cols.n[i]!;
      postsOf[cols.aid[i]!]! += cols.n[i]!;
    }
  }
  return { accounts: totals[0]!.accounts, posts: totals[0]!.posts, judged, daily, postsOf };
}

export interface CandidatePosts {
  /** Post times, ascending within each candidate; candidate k owns [offsets[k], offsets[k + 1]). */
  ts: Float64Array;
  /** DuckDB row id of each post in `posts`, to fetch its evidence later. */
  rowid: Float64Array;
  offsets: Int32Array;
}

/** The post times of the given dense account ids (in that order). */
export async function loadCandidatePosts(store: CaseStore, aids: number[]): Promise<CandidatePosts> {
  await writeTempInts(
    store,
    "chorus_rhythm_candidates",
    ["aid", "k"],
    aids.map((a, k) => [a, k]),
  );
  const { rows, cols } = await readColumns(
    store,
    `SELECT c.k, epoch_ms(p.ts)::DOUBLE AS t, p.rowid::DOUBLE AS r
       FROM posts p JOIN chorus_rhythm_accounts a USING (platform, account_id)
       JOIN chorus_rhythm_candidates c ON c.aid = a.aid
      ORDER BY c.k, t, p.post_id`,
    { k: "int32", t: "float64", r: "float64" },
  );
  const offsets = new Int32Array(aids.length + 1);
  for (let i = 0; i < rows; i++) offsets[cols.k[i]! + 1]!++;
  for (let k = 0; k < aids.length; k++) offsets[k + 1]! += offsets[k]!;
  await store.conn.run("DROP TABLE IF EXISTS chorus_rhythm_candidates");
  return { ts: cols.t, rowid: cols.r, offsets };
}

export interface AccountName {
  key: string;
  handle: string | null;
}

export function accountNames(store: CaseStore, aids: number[]): Promise<Map<number, AccountName>> {
  return denseAccountNames(store, "chorus_rhythm_accounts", aids);
}

export interface PostRef {
  post_id: string;
  ts: string;
  input_id: number;
  source_row: number;
}

/** Posts by DuckDB row id, as evidence a reader can check (input file and row). */
export async function postsByRowid(store: CaseStore, rowids: number[]): Promise<Map<number, PostRef>> {
  if (rowids.length === 0) return new Map();
  await store.conn.run("CREATE OR REPLACE TEMP TABLE chorus_rhythm_rows (r BIGINT)");
  const app = await store.conn.createAppender("chorus_rhythm_rows");
  try {
    for (const r of rowids) {
      app.appendBigInt(BigInt(r));
      app.endRow();
    }
  } finally {
    app.closeSync();
  }
  const rows = await store.all<{
    r: number;
    post_id: string;
    t: number;
    input_id: number;
    source_row: number;
  }>(
    `SELECT p.rowid::DOUBLE AS r, p.post_id, epoch_ms(p.ts)::DOUBLE AS t, p.input_id,
            p.source_row::DOUBLE AS source_row
       FROM posts p SEMI JOIN chorus_rhythm_rows w ON p.rowid = w.r`,
  );
  await store.conn.run("DROP TABLE IF EXISTS chorus_rhythm_rows");
  return new Map(
    rows.map((x) => [
      x.r,
      { post_id: x.post_id, ts: new Date(x.t).toISOString(), input_id: x.input_id, source_row: x.source_row },
    ]),
  );
}
