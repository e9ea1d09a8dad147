/**
 * Accounts as the creation-burst detector needs them: one row per account (the first row that gives a creation
 * date, else the first row), the profile fields that show a default profile, the row it came from, and which of
 * those fields the case carries at all.
 */
import { accountKey, writeAccountKeys } from "../../store/account-keys.js";
import type { CaseStore } from "../../store/case.js";
import type { FieldCoverage } from "./handles.js";

export interface AccountRow {
  key: string;
  handle: string | null;
  displayName: string | null;
  bio: string | null;
  avatar: string | null;
  /** Creation time, epoch ms. */
  t: number;
  /** The account's first post in the case, epoch ms; null without posts. */
  firstPost: number | null;
  inputId: number;
  sourceRow: number;
}

export async function loadAccounts(
  store: CaseStore,
): Promise<{ dated: AccountRow[]; accounts: number; coverage: FieldCoverage }> {
  const stats = await store.all<{ n: number; names: number; bios: number; avatars: number }>(
    `SELECT count(*)::DOUBLE AS n, count(display_name)::DOUBLE AS names, count(bio)::DOUBLE AS bios,
            count(coalesce(avatar_url, avatar_hash))::DOUBLE AS avatars
       FROM (SELECT DISTINCT ON (platform, account_id) * FROM accounts
              ORDER BY platform, account_id, input_id, source_row)`,
  );
  const s = stats[0]!;
  // a field present on under 5% of accounts is taken as not collected, so its absence says nothing
  const carried = (k: number): boolean => s.n > 0 && k / s.n >= 0.05;
  const rows = await store.all<{
    platform: string;
    account_id: string;
    handle: string | null;
    display_name: string | null;
    bio: string | null;
    avatar: string | null;
    t: number;
    first_post: number | null;
    input_id: number;
    source_row: number;
  }>(
    `WITH dated AS (
       SELECT platform, account_id, handle, display_name, bio, coalesce(avatar_url, avatar_hash) AS avatar,
              epoch_ms(created_at)::DOUBLE AS t, input_id, source_row::DOUBLE AS source_row
         FROM accounts
        WHERE created_at IS NOT NULL
      QUALIFY row_number() OVER (PARTITION BY platform, account_id ORDER BY input_id, source_row) = 1)
     SELECT d.*, f.first_post FROM dated d
       LEFT JOIN (SELECT platform, account_id, epoch_ms(min(ts))::DOUBLE AS first_post
                    FROM posts SEMI JOIN dated USING (platform, account_id)
                   GROUP BY platform, account_id) f USING (platform, account_id)
      ORDER BY t, platform, account_id`,
  );
  return {
    accounts: s.n,
    coverage: { displayName: carried(s.names), bio: carried(s.bios), avatar: carried(s.avatars) },
    dated: rows.map((r) => ({
      key: accountKey(r.platform, r.account_id),
      handle: r.handle,
      displayName: r.display_name,
      bio: r.bio,
      avatar: r.avatar,
      t: r.t,
      firstPost: r.first_post,
      inputId: r.input_id,
      sourceRow: r.source_row,
    })),
  };
}

export interface FirstPost {
  post_id: string;
  ts: string;
  input_id: number;
  source_row: number;
}

/** Each account's first post (input file and row), for the accounts that have one. */
export async function firstPosts(store: CaseStore, keys: string[]): Promise<Map<string, FirstPost>> {
  if (keys.length === 0) return new Map();
  await writeAccountKeys(store, "chorus_creation_wanted", keys, false);
  const rows = await store.all<{
    platform: string;
    account_id: string;
    post_id: string;
    t: number;
    input_id: number;
    source_row: number;
  }>(
    `SELECT p.platform, p.account_id, p.post_id, epoch_ms(p.ts)::DOUBLE AS t, p.input_id,
            p.source_row::DOUBLE AS source_row
       FROM posts p SEMI JOIN chorus_creation_wanted w USING (platform, account_id)
    QUALIFY row_number() OVER (PARTITION BY p.platform, p.account_id ORDER BY p.ts, p.post_id) = 1`,
  );
  await store.conn.run("DROP TABLE IF EXISTS chorus_creation_wanted");
  return new Map(
    rows.map((r) => [
      accountKey(r.platform, r.account_id),
      { post_id: r.post_id, ts: new Date(r.t).toISOString(), input_id: r.input_id, source_row: r.source_row },
    ]),
  );
}
