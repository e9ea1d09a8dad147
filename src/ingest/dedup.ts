/**
 * The set-based steps after an input's rows are loaded: find the posts the case already had and the repeats within
 * the input (the first row wins), build the input's accounts from the rows that are kept, drop the others, keep
 * objects only for the posts stored, and merge accounts into those the case knows. Most inputs have no duplicate at
 * all, so that is established first with cheap queries and the window-function passes run only when something is
 * to be removed.
 *
 * A row dropped as a duplicate contributes nothing, not even to accounts: a repeat of a post under another account
 * would otherwise create that account, and a repeat with other profile fields would fill them in. So the duplicates
 * are found while the input is loaded, before its accounts are built from the profile rows of the posts kept
 * (`insertInputAccounts`), and dropped afterwards by `dropDuplicatePosts`, which reads what was found: ingest.ts
 * loads an input's accounts before it drops the input's duplicates, and looking for them twice would cost a second
 * aggregate over every post of the input (about 4 s at 10M posts on two cores).
 */
import type { DuckDBValue } from "@duckdb/node-api";
import type { CaseStore } from "../store/case.js";

/** What these steps need of the case's connection: a `BulkLoader` (whose loads run first), or a store (`sqlOf`). */
export interface SqlSession {
  run(sql: string, params?: Record<string, DuckDBValue>): Promise<unknown>;
  scalar<T>(sql: string, params?: Record<string, DuckDBValue>): Promise<T | null>;
}

export const sqlOf = (store: CaseStore): SqlSession => ({
  run: (sql, params) => store.conn.run(sql, params),
  scalar: (sql, params) => store.scalar(sql, params),
});

/** Whether the table has any row (cheaper than counting a large one). */
export async function hasRows(store: CaseStore, table: "posts" | "accounts"): Promise<boolean> {
  return (await store.scalar<number>(`SELECT count(*)::INTEGER FROM (FROM ${table} LIMIT 1)`)) === 1;
}

/**
 * The temporary table of the input's posts that are not to be stored (`rid`, the post's rowid, `platform`,
 * `post_id`, and `first`: whether it is the input's first row of the post, dropped because the case had the post),
 * written by `findDuplicatePosts` and read by `dropDuplicatePosts`. It lives in the input's transaction.
 */
export const duplicatesTable = (inputId: number): string => `stg_duplicate_posts_${inputId}`;

/**
 * Find this input's posts that the case already had, and repeats within the input (first row wins), into
 * `duplicatesTable(inputId)`; returns how many. Repeats are looked for with one aggregate over hashes of the keys (a
 * collision only sends the input down the exact path); posts already in the case only when it had posts before this
 * input (`caseHadPosts`; found out here when not given).
 */
export async function findDuplicatePosts(
  db: SqlSession,
  inputId: number,
  appended: number,
  caseHadPosts?: boolean,
): Promise<number> {
  const table = duplicatesTable(inputId);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${table} (rid BIGINT, platform VARCHAR, post_id VARCHAR, first BOOLEAN)`,
  );
  if (appended === 0) return 0;
  const id = { id: inputId };
  caseHadPosts ??=
    (await db.scalar<number>(
      "SELECT count(*)::INTEGER FROM (SELECT 1 FROM posts WHERE input_id <> $id LIMIT 1)",
      id,
    )) === 1;
  const repeated = await db.scalar<number>(
    `SELECT count(*)::INTEGER FROM (SELECT hash(platform, post_id) AS h FROM posts WHERE input_id = $id
                                     GROUP BY h HAVING count(*) > 1)`,
    id,
  );
  const known =
    caseHadPosts &&
    (await db.scalar<number>(
      `SELECT count(*)::INTEGER FROM (
         SELECT 1 FROM posts p WHERE p.input_id = $id
            AND EXISTS (SELECT 1 FROM posts q WHERE q.platform = p.platform AND q.post_id = p.post_id
                                               AND q.input_id <> $id)
          LIMIT 1)`,
      id,
    )) === 1;
  if (!repeated && !known) return 0;
  const crossCheck = known
    ? ` OR EXISTS (SELECT 1 FROM posts p WHERE p.platform = r.platform AND p.post_id = r.post_id
                                       AND p.input_id <> $id)`
    : "";
  await db.run(
    `INSERT INTO ${table}
     WITH mine AS (SELECT rowid AS rid, platform, post_id, source_row FROM posts WHERE input_id = $id),
          ranked AS (SELECT rid, platform, post_id,
                            row_number() OVER (PARTITION BY platform, post_id ORDER BY source_row, rid) AS rn
                       FROM mine)
     SELECT rid, platform, post_id, r.rn = 1 FROM ranked r WHERE r.rn > 1${crossCheck}`,
    id,
  );
  return (await db.scalar<number>(`SELECT count(*)::INTEGER FROM ${table}`)) ?? 0;
}

/**
 * Remove this input's posts that the case already had, and repeats within the input; returns how many were removed.
 * They are those `findDuplicatePosts` found while the input was loaded, or, when it did not run, those it finds now.
 */
export async function dropDuplicatePosts(
  store: CaseStore,
  inputId: number,
  appended: number,
  caseHadPosts: boolean,
  onOtherAccount?: (n: number) => void,
): Promise<number> {
  const table = duplicatesTable(inputId);
  const found =
    (await store.scalar<number>(
      "SELECT count(*)::INTEGER FROM duckdb_tables() WHERE temporary AND table_name = $t",
      { t: table },
    )) === 1;
  const n = found
    ? ((await store.scalar<number>(`SELECT count(*)::INTEGER FROM ${table}`)) ?? 0)
    : await findDuplicatePosts(sqlOf(store), inputId, appended, caseHadPosts);
  if (n > 0 && onOtherAccount) {
    // duplicates by id whose account is not the kept post's: two sources' ids meeting (two platforms' posts
    // given one platform), not the same post read twice; they are dropped all the same, and the caller says so
    const other =
      (await store.scalar<number>(
        // hash joins throughout: a condition "NOT IN" inside the join took minutes on a table of 100,000 repeats
        `WITH dups AS (SELECT d.platform, d.post_id, x.account_id FROM ${table} d JOIN posts x ON x.rowid = d.rid),
              kept AS (SELECT p.platform, p.post_id, p.account_id
                         FROM posts p SEMI JOIN (SELECT DISTINCT platform, post_id FROM ${table}) k
                                         ON k.platform = p.platform AND k.post_id = p.post_id
                         ANTI JOIN ${table} d ON d.rid = p.rowid)
         SELECT count(*)::INTEGER FROM dups JOIN kept USING (platform, post_id)
          WHERE dups.account_id <> kept.account_id`,
      )) ?? 0;
    onOtherAccount(other);
  }
  if (n > 0) await store.conn.run(`DELETE FROM posts WHERE rowid IN (SELECT rid FROM ${table})`);
  await store.conn.run(`DROP TABLE ${table}`);
  return n;
}

/**
 * The columns of an input's profile rows, one per post stored or dropped as a duplicate (`post_id` set) and one per
 * profile given on its own (`post_id` NULL): the author's fields as that row gives them, the row, and `seq`, the
 * order in which the rows were read (a row of the input can hold several posts).
 */
export const PROFILE_ROW_COLUMNS = [
  ["platform", "VARCHAR"],
  ["account_id", "VARCHAR"],
  ["post_id", "VARCHAR"],
  ["handle", "VARCHAR"],
  ["display_name", "VARCHAR"],
  ["bio", "VARCHAR"],
  ["created_ms", "BIGINT"],
  ["followers", "BIGINT"],
  ["following", "BIGINT"],
  ["avatar_url", "VARCHAR"],
  ["location", "VARCHAR"],
  ["rn", "BIGINT"],
  ["seq", "BIGINT"],
] as const;

/**
 * Insert into `target` (accounts, or a table like it) the accounts of this input, from `profiles`, a relation of
 * `PROFILE_ROW_COLUMNS`: one per (platform, account id), each field from the first row that has it (arg_min passes
 * over NULL values), at the first row that names it, in the order first named. With `duplicates` (some posts were
 * found by `findDuplicatePosts`), the rows of posts not stored are left out: a post id with rows dropped keeps only
 * its first row, and none when the case already had the post. Profiles given on their own are never left out.
 */
export async function insertInputAccounts(
  db: SqlSession,
  inputId: number,
  profiles: string,
  target: string,
  duplicates: boolean,
): Promise<void> {
  const dup = duplicatesTable(inputId);
  // d: the post ids with a row dropped, and whether the input still stores the post (from its first row); f: the
  // first row of each (a window over the rows of those post ids took four times as long)
  // rows in the file's order (its row, then the order an adapter gave a row's items), which is the order of arrival
  // but for an adapter that holds an item back to the end of its file (a Mastodon reply waiting for its parent): the
  // first row of a post is the one stored (findDuplicatePosts), so its profile must be the first too
  const ord = `rn::BIGINT * 4294967296 + seq`;
  const kept = duplicates
    ? `WITH p AS NOT MATERIALIZED (${profiles}),
            d AS (SELECT platform, post_id, NOT bool_or(first) AS stored FROM ${dup} GROUP BY platform, post_id),
            f AS (SELECT platform, post_id, arg_min(seq, ${ord}) AS seq FROM p SEMI JOIN d USING (platform, post_id)
                   GROUP BY platform, post_id)
       SELECT p.* FROM p LEFT JOIN d USING (platform, post_id)
                         LEFT JOIN f ON f.platform = p.platform AND f.post_id = p.post_id
        WHERE d.post_id IS NULL OR (d.stored AND p.seq = f.seq)`
    : profiles;
  await db.run(
    `INSERT INTO ${target} (platform, account_id, handle, display_name, bio, created_at, followers, following,
                            avatar_url, location, input_id, source_row)
     SELECT platform, account_id, arg_min(handle, o), arg_min(display_name, o), arg_min(bio, o),
            make_timestamptz(arg_min(created_ms, o) * 1000), arg_min(followers, o), arg_min(following, o),
            arg_min(avatar_url, o), arg_min(location, o), $id, min(rn)
       FROM (SELECT *, ${ord} AS o FROM (${kept}))
      GROUP BY platform, account_id
      ORDER BY min(o)`,
    { id: inputId },
  );
}

/**
 * Keep this input's objects only for posts it stored, once per (post, kind, value); returns how many are kept.
 * When no post was dropped there is nothing to do: a post's objects are already unique (see `toObjectRows`), and
 * every post of the input is there.
 */
export async function dropDuplicateObjects(
  store: CaseStore,
  inputId: number,
  appended: number,
  postsDropped: number,
): Promise<number> {
  if (appended === 0 || postsDropped === 0) return appended;
  await store.conn.run(
    `DELETE FROM objects WHERE rowid IN (
       WITH mine AS (SELECT rowid AS rid, platform, post_id, kind, value, source_row FROM objects
                      WHERE input_id = $id),
            ranked AS (SELECT rid, platform, post_id,
                              row_number() OVER (PARTITION BY platform, post_id, kind, value
                                                 ORDER BY source_row, rid) AS rn
                         FROM mine)
       SELECT rid FROM ranked r
        WHERE r.rn > 1 OR NOT EXISTS (SELECT 1 FROM posts p WHERE p.platform = r.platform
                                         AND p.post_id = r.post_id AND p.input_id = $id))`,
    { id: inputId },
  );
  return (await store.scalar<number>("SELECT count(*)::INTEGER FROM objects WHERE input_id = $id", {
    id: inputId,
  }))!;
}

/**
 * Merge the staged accounts into the case: new accounts are inserted; known accounts only gain the fields they
 * lacked. Returns the number inserted.
 */
export async function mergeAccounts(store: CaseStore, stg: string): Promise<number> {
  const inserted = await store.scalar<number>(
    `SELECT count(*)::INTEGER FROM ${stg} s
      WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.platform = s.platform AND a.account_id = s.account_id)`,
  );
  await store.conn.run(
    `UPDATE accounts AS a SET
        handle = coalesce(a.handle, s.handle), display_name = coalesce(a.display_name, s.display_name),
        bio = coalesce(a.bio, s.bio), created_at = coalesce(a.created_at, s.created_at),
        followers = coalesce(a.followers, s.followers), following = coalesce(a.following, s.following),
        avatar_url = coalesce(a.avatar_url, s.avatar_url), location = coalesce(a.location, s.location)
       FROM ${stg} s
      WHERE a.platform = s.platform AND a.account_id = s.account_id
        AND (a.handle IS NULL OR a.display_name IS NULL OR a.bio IS NULL OR a.created_at IS NULL
             OR a.followers IS NULL OR a.following IS NULL OR a.avatar_url IS NULL OR a.location IS NULL)`,
  );
  await store.conn.run(
    `INSERT INTO accounts SELECT s.* FROM ${stg} s
      WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.platform = s.platform AND a.account_id = s.account_id)`,
  );
  return inserted ?? 0;
}

/**
 * Add this input's stored posts to `post_accounts` (one row per account with posts, and how many): known accounts
 * gain the count, new ones are inserted. Run after the duplicates are dropped, in the input's transaction, so the
 * table always counts exactly the posts in the case; it is what the overview reads instead of a distinct count over
 * every post.
 */
export async function countPostAccounts(store: CaseStore, inputId: number): Promise<void> {
  const stg = `stg_post_accounts_${inputId}`;
  await store.conn.run(
    `CREATE TEMP TABLE ${stg} AS
     SELECT platform, account_id, count(*) AS posts FROM posts WHERE input_id = $id GROUP BY platform, account_id`,
    { id: inputId },
  );
  await store.conn.run(
    `UPDATE post_accounts AS a SET posts = a.posts + s.posts FROM ${stg} s
      WHERE a.platform = s.platform AND a.account_id = s.account_id`,
  );
  await store.conn.run(
    `INSERT INTO post_accounts SELECT s.* FROM ${stg} s
      WHERE NOT EXISTS (SELECT 1 FROM post_accounts a WHERE a.platform = s.platform AND a.account_id = s.account_id)`,
  );
  await store.conn.run(`DROP TABLE ${stg}`);
}
