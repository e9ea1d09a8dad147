/**
 * From the case to typed arrays for the automation signals: every post's account (dense id, temp table), time,
 * kind, client (dense id into a small dictionary) and row id, ordered by account then time.
 */
import type { CaseStore } from "../../store/case.js";
import { postCount, readColumns } from "../../store/columns.js";

export const ACCOUNTS_TABLE = "chorus_automation_accounts";

/** Post kinds as small integers. */
export const KIND = { post: 0, repost: 1, reply: 2, quote: 3 } as const;

export interface AccountPosts {
  rows: number;
  account: Int32Array;
  tsMs: Float64Array;
  kind: Int32Array;
  /** Index into `clients`, -1 when the source gives none. */
  client: Int32Array;
  /** `posts.rowid`. */
  row: Float64Array;
  accounts: number;
  clients: string[];
  /** Platform of each account. */
  platform: string[];
}

export async function loadAccountPosts(store: CaseStore): Promise<AccountPosts> {
  await store.conn.run(`CREATE OR REPLACE TEMP TABLE ${ACCOUNTS_TABLE} AS
    SELECT (row_number() OVER (ORDER BY platform, account_id) - 1)::INTEGER AS aid, platform, account_id
      FROM (SELECT DISTINCT platform, account_id FROM posts)`);
  await store.conn.run(`CREATE OR REPLACE TEMP TABLE chorus_automation_clients AS
    SELECT (row_number() OVER (ORDER BY client) - 1)::INTEGER AS cid, client
      FROM (SELECT DISTINCT client FROM posts WHERE client IS NOT NULL)`);
  const clients = await store.all<{ client: string }>(
    "SELECT client FROM chorus_automation_clients ORDER BY cid",
  );
  const platforms = await store.all<{ platform: string }>(
    `SELECT platform FROM ${ACCOUNTS_TABLE} ORDER BY aid`,
  );
  const { rows, cols } = await readColumns(
    store,
    `SELECT a.aid AS account, epoch_ms(p.ts)::DOUBLE AS ts,
            CASE p.kind WHEN 'repost' THEN 1 WHEN 'reply' THEN 2 WHEN 'quote' THEN 3 ELSE 0 END AS kind,
            coalesce(c.cid, -1)::INTEGER AS client, p.rowid::DOUBLE AS row
       FROM posts p JOIN ${ACCOUNTS_TABLE} a USING (platform, account_id)
       LEFT JOIN chorus_automation_clients c ON c.client = p.client
      ORDER BY a.aid, epoch_ms(p.ts), p.rowid`,
    { account: "int32", ts: "float64", kind: "int32", client: "int32", row: "float64" },
    undefined,
    { rowsAtMost: await postCount(store) },
  );
  await store.conn.run("DROP TABLE IF EXISTS chorus_automation_clients");
  return {
    rows,
    account: cols.account,
    tsMs: cols.ts,
    kind: cols.kind,
    client: cols.client,
    row: cols.row,
    accounts: platforms.length,
    clients: clients.map((c) => c.client),
    platform: platforms.map((p) => p.platform),
  };
}

/**
 * Accounts whose times are given to the minute by a source that shows no seconds: 95% or more of their posts at a
 * whole minute, and fewer than 10 posts by other accounts with seconds in the inputs they come from. Such an account
 * (a timeline exported alone, by a tool that drops the seconds) posts "at second 0" by its source, which the clock
 * test read as a scheduler firing on the minute. In an input that shows seconds for other accounts, an account
 * always at second 0 is a scheduler, and is not among these. Accounts of the inputs set apart as rounded
 * (src/detectors/precision.ts) are left to that rule.
 */
export async function minuteOnlyAccounts(store: CaseStore): Promise<Set<number>> {
  const rows = await store.all<{ aid: number }>(
    `WITH per AS (
       SELECT a.aid, p.input_id, count(*) AS n,
              count(*) FILTER (WHERE epoch_ms(p.ts) % 60000 = 0) AS whole
         FROM posts p JOIN ${ACCOUNTS_TABLE} a USING (platform, account_id)
        GROUP BY a.aid, p.input_id),
     seconds AS (SELECT input_id, sum(n - whole) AS shown FROM per GROUP BY input_id)
     SELECT per.aid FROM per JOIN seconds USING (input_id)
      GROUP BY per.aid
     HAVING sum(per.whole) >= 0.95 * sum(per.n) AND sum(seconds.shown - (per.n - per.whole)) < 10`,
  );
  return new Set(rows.map((r) => r.aid));
}
