/**
 * The set-based steps after an input's rows are loaded: drop the posts the case already had and the repeats
 * within the input (the first row wins), keep objects only for the posts stored, and merge accounts into those the
 * case knows. Most inputs have no duplicate at all, so that is established first with cheap queries and the
 * window-function passes run only when something is to be removed.
 */
import type { CaseStore } from "../store/case.js";

/** Whether the table has any row (cheaper than counting a large one). */
export async function hasRows(store: CaseStore, table: "posts" | "accounts"): Promise<boolean> {
  return (await store.scalar<number>(`SELECT count(*)::INTEGER FROM (FROM ${table} LIMIT 1)`)) === 1;
}

/**
 * Remove this input's posts that the case already had, and repeats within the input (first row wins); returns how
 * many were removed. Repeats are looked for with one aggregate over hashes of the keys (a collision only sends the
 * input down the exact path); posts already in the case only when it had posts before this input.
 */
export async function dropDuplicatePosts(
  store: CaseStore,
  inputId: number,
  appended: number,
  caseHadPosts: boolean,
): Promise<number> {
  if (appended === 0) return 0;
  const repeated = await store.scalar<number>(
    `SELECT count(*)::INTEGER FROM (SELECT hash(platform, post_id) AS h FROM posts WHERE input_id = $id
                                     GROUP BY h HAVING count(*) > 1)`,
    { id: inputId },
  );
  const known =
    caseHadPosts &&
    (await store.scalar<number>(
      `SELECT count(*)::INTEGER FROM (
         SELECT 1 FROM posts p WHERE p.input_id = $id
            AND EXISTS (SELECT 1 FROM posts q WHERE q.platform = p.platform AND q.post_id = p.post_id
                                               AND q.input_id <> $id)
          LIMIT 1)`,
      { id: inputId },
    )) === 1;
  if (!repeated && !known) return 0;
  const crossCheck = known
    ? ` OR EXISTS (SELECT 1 FROM posts p WHERE p.platform = r.platform AND p.post_id = r.post_id
                                       AND p.input_id <> $id)`
    : "";
  await store.conn.run(
    `DELETE FROM posts WHERE rowid IN (
       WITH mine AS (SELECT rowid AS rid, platform, post_id, source_row FROM posts WHERE input_id = $id),
            ranked AS (SELECT rid, platform, post_id,
                              row_number() OVER (PARTITION BY platform, post_id ORDER BY source_row, rid) AS rn
                         FROM mine)
       SELECT rid FROM ranked r WHERE r.rn > 1${crossCheck})`,
    { id: inputId },
  );
  const left = await store.scalar<number>("SELECT count(*)::INTEGER FROM posts WHERE input_id = $id", {
    id: inputId,
  });
  return appended - (left ?? 0);
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
