/**
 * Timestamps rounded to the minute. A case merged from several sources can hold one whose times are whole minutes
 * (an export that drops the seconds) beside others to the second or the millisecond. For the detectors that measure
 * seconds (same-second bursts, repost delays, the second of the minute a scheduler fires at), the posts of such a
 * source all fall on second 0 together, which reads as a burst or a clock lock that never happened: they are set
 * apart and said to be, rather than measured.
 *
 * What is rounded is a source, not an account: an input file whose posts come from five accounts or more and 95% or
 * more of which fall on a whole minute (people posting at random seconds do so once in sixty; an export that drops
 * the seconds, every time). One account whose posts are all at second 0 in a source of seconds is a scheduler firing
 * on the minute, which is evidence, and so is a ring of them that makes most of a file of its own.
 */
import type { CaseStore } from "../store/case.js";

/** The temporary table of rounded inputs (input_id) that `markRoundedInputs` writes. */
export const ROUNDED_INPUTS = "chorus_rounded_inputs";

/** What was set apart: rounded inputs, and the posts and accounts they hold. */
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
  // the share at second 0 per input first (a plain count), and the accounts of the few inputs that qualify after
  await store.conn.run(`CREATE OR REPLACE TEMP TABLE ${ROUNDED_INPUTS} AS
    WITH candidates AS (
      SELECT input_id FROM posts GROUP BY input_id
      HAVING avg(CASE WHEN epoch_ms(ts) % 60000 = 0 THEN 1 ELSE 0 END) >= ${ROUNDED_SHARE})
    SELECT input_id, count(*)::INTEGER AS posts FROM posts SEMI JOIN candidates USING (input_id)
     GROUP BY input_id HAVING count(DISTINCT (platform, account_id)) >= 5`);
  const row = await store.all<{ inputs: number; posts: number }>(
    `SELECT count(*)::INTEGER AS inputs, coalesce(sum(posts), 0)::INTEGER AS posts FROM ${ROUNDED_INPUTS}`,
  );
  const { inputs, posts } = row[0] ?? { inputs: 0, posts: 0 };
  if (inputs === 0) return { inputs: 0, posts: 0, accounts: 0 };
  // accounts once, though one may post in several of the inputs
  const accounts =
    (await store.scalar<number>(
      `SELECT count(DISTINCT (platform, account_id))::INTEGER FROM posts
        WHERE input_id IN (SELECT input_id FROM ${ROUNDED_INPUTS})`,
    )) ?? 0;
  return { inputs, posts, accounts };
}

/** The share of an input's posts at a whole minute from which its times are taken to be rounded. */
const ROUNDED_SHARE = 0.95;

/** SQL condition on a posts row `alias` that it comes from a rounded input (ROUNDED_INPUTS written before). */
export const fromRoundedInput = (alias: string): string =>
  `${alias}.input_id IN (SELECT input_id FROM ${ROUNDED_INPUTS})`;

/** The warning a detector gives for the posts it set apart, or null when there are none. */
export function roundedWarning(r: Rounded, what: string): string | null {
  if (r.inputs === 0) return null;
  return (
    `${r.inputs} input${r.inputs === 1 ? "" : "s"} (${r.posts.toLocaleString("en-US")} posts of ` +
    `${r.accounts.toLocaleString("en-US")} accounts) ${r.inputs === 1 ? "has" : "have"} times rounded to the minute ` +
    `(most posts at second 0, as an export that drops the seconds writes them): left out of ${what}, which they ` +
    `would fake`
  );
}
