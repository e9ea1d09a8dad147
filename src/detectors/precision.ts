/**
 * Timestamps rounded to the minute. A case merged from several sources can hold one whose times are whole minutes
 * (an export that drops the seconds) beside others to the second or the millisecond. For the detectors that measure
 * seconds (same-second bursts, repost delays, the second of the minute a scheduler fires at), the posts of such a
 * source all fall on second 0 together, which reads as a burst or a clock lock that never happened: they are set
 * apart and said to be, rather than measured.
 *
 * What is rounded is a source: an input file whose posts come from five accounts or more and 95% or more of which
 * fall on a whole minute (people posting at random seconds do so once in sixty; an export that drops the seconds,
 * every time); or, inside an input whose times have milliseconds, an account 95% of whose posts there (two or more)
 * fall exactly on a whole minute: a scraper's rows merged into the file, since no scheduler lands on .000 of a
 * second. One account whose posts are all at second 0 in a source of seconds is a scheduler firing on the minute,
 * which is evidence, and so is a ring of them that makes most of a file of its own.
 */
import type { CaseStore } from "../store/case.js";

/** The temporary table of rounded posting (input_id, platform, account_id, posts) that `markRoundedInputs` writes. */
export const ROUNDED_INPUTS = "chorus_rounded_inputs";

/** What was set apart: the inputs it is in, and the posts and accounts. */
export interface Rounded {
  inputs: number;
  posts: number;
  accounts: number;
}

/** What was last found per case, and the inputs it was found over: sync and automation both ask, in one analysis. */
const found = new WeakMap<CaseStore, { inputs: string; rounded: Rounded }>();

/** Write ROUNDED_INPUTS (once per set of inputs of a case's connection); returns what they hold. */
export async function markRoundedInputs(store: CaseStore): Promise<Rounded> {
  const inputs =
    (await store.scalar<string>(
      `SELECT count(*)::VARCHAR || ':' || coalesce(max(id), 0)::VARCHAR || ':' ||
              (SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = '${ROUNDED_INPUTS}')::VARCHAR
         FROM inputs`,
    )) ?? "";
  const known = found.get(store);
  if (known !== undefined && known.inputs === inputs && inputs.endsWith(":1")) return known.rounded;
  const rounded = await findRoundedInputs(store);
  found.set(store, {
    inputs: inputs.replace(/:\d+$/, ":1"),
    rounded,
  });
  return rounded;
}

async function findRoundedInputs(store: CaseStore): Promise<Rounded> {
  // per input first (plain counts): the share at second 0, and the share with milliseconds; then the accounts of the
  // inputs that qualify, and of those with milliseconds the accounts at .000 of a minute
  await store.conn.run(`CREATE OR REPLACE TEMP TABLE ${ROUNDED_INPUTS} AS
    WITH per AS (
      SELECT input_id,
             avg(CASE WHEN epoch_ms(ts) % 60000 = 0 THEN 1 ELSE 0 END) AS whole,
             avg(CASE WHEN epoch_ms(ts) % 1000 <> 0 THEN 1 ELSE 0 END) AS ms
        FROM posts GROUP BY input_id),
    wanted AS (SELECT input_id, whole >= ${ROUNDED_SHARE} AS all_rounded FROM per
                WHERE whole >= ${ROUNDED_SHARE} OR (ms >= 0.5 AND whole > 0)),
    accounts AS (
      SELECT p.input_id, p.platform, p.account_id, w.all_rounded, count(*) AS posts,
             avg(CASE WHEN epoch_ms(p.ts) % 60000 = 0 THEN 1 ELSE 0 END) AS whole
        FROM posts p JOIN wanted w USING (input_id)
       -- in an input with milliseconds, only accounts with a post at .000 of a minute can be rounded: the rest are
       -- not grouped (at 10M posts, a group per account of every post)
       WHERE w.all_rounded OR (p.input_id, p.platform, p.account_id) IN
             (SELECT (input_id, platform, account_id) FROM posts WHERE epoch_ms(ts) % 60000 = 0)
       GROUP BY ALL)
    SELECT input_id, platform, account_id, posts::INTEGER AS posts FROM accounts
     WHERE (all_rounded AND input_id IN (SELECT input_id FROM accounts WHERE all_rounded
                                         GROUP BY input_id HAVING count(*) >= 5))
        OR (NOT all_rounded AND posts >= 2 AND whole >= ${ROUNDED_SHARE})`);
  const row = await store.all<Rounded>(
    `SELECT count(DISTINCT input_id)::INTEGER AS inputs, coalesce(sum(posts), 0)::INTEGER AS posts,
            count(DISTINCT (platform, account_id))::INTEGER AS accounts FROM ${ROUNDED_INPUTS}`,
  );
  return row[0] ?? { inputs: 0, posts: 0, accounts: 0 };
}

/** The share of an input's posts at a whole minute from which its times are taken to be rounded. */
const ROUNDED_SHARE = 0.95;

/**
 * SQL condition on a posts row `alias` that its time is rounded (ROUNDED_INPUTS written before, finding `r`): `false`
 * when nothing is, so that a case without rounding pays nothing.
 */
export const fromRoundedInput = (alias: string, r: Rounded): string =>
  r.posts === 0
    ? "false"
    : `(${alias}.input_id, ${alias}.platform, ${alias}.account_id) IN
         (SELECT (input_id, platform, account_id) FROM ${ROUNDED_INPUTS})`;

/** The warning a detector gives for the posts it set apart, or null when there are none. */
export function roundedWarning(r: Rounded, what: string): string | null {
  if (r.posts === 0) return null;
  return (
    `${r.accounts.toLocaleString("en-US")} account${r.accounts === 1 ? "" : "s"} (${r.posts.toLocaleString("en-US")} ` +
    `posts, in ${r.inputs} input${r.inputs === 1 ? "" : "s"}) ${r.accounts === 1 ? "has" : "have"} times rounded ` +
    `to the minute (nearly all at second 0, as an export that drops the seconds writes them): left out of ${what}, ` +
    `which they would fake`
  );
}
