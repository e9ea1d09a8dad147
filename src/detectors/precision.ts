/**
 * Timestamps rounded to the minute. A case merged from several sources can hold one whose times are whole minutes
 * (an export that drops the seconds) beside others to the millisecond. For the detectors that measure seconds
 * (same-second bursts, repost delays, the second of the minute a scheduler fires at), a rounded account's posts all
 * fall on second 0 together, which reads as a burst or a clock lock that never happened: such accounts are set
 * apart and said to be, rather than measured.
 *
 * An account is rounded when it has two or more posts and more than half fall on a whole minute (a person posting
 * at random seconds does so once in sixty).
 */
import type { CaseStore } from "../store/case.js";

/** The temporary table of rounded accounts (platform, account_id, posts) that `markRoundedAccounts` writes. */
export const ROUNDED_ACCOUNTS = "chorus_rounded_accounts";

/** Write ROUNDED_ACCOUNTS; returns how many accounts and posts it holds. */
export async function markRoundedAccounts(store: CaseStore): Promise<{ accounts: number; posts: number }> {
  await store.conn.run(`CREATE OR REPLACE TEMP TABLE ${ROUNDED_ACCOUNTS} AS
    SELECT platform, account_id, count(*)::INTEGER AS posts FROM posts
     GROUP BY platform, account_id
    HAVING count(*) >= 2 AND avg(CASE WHEN epoch_ms(ts) % 60000 = 0 THEN 1 ELSE 0 END) > 0.5`);
  const row = await store.all<{ accounts: number; posts: number }>(
    `SELECT count(*)::INTEGER AS accounts, coalesce(sum(posts), 0)::INTEGER AS posts FROM ${ROUNDED_ACCOUNTS}`,
  );
  return row[0] ?? { accounts: 0, posts: 0 };
}

/** The warning a detector gives for the rounded accounts it set apart, or null when there are none. */
export function roundedWarning(r: { accounts: number; posts: number }, what: string): string | null {
  if (r.accounts === 0) return null;
  return (
    `${r.accounts.toLocaleString("en-US")} account${r.accounts === 1 ? "" : "s"} (${r.posts.toLocaleString("en-US")} ` +
    `posts) have times rounded to the minute (most of their posts at second 0, as an export that drops the ` +
    `seconds writes them): left out of ${what}, which they would fake`
  );
}
