/**
 * Account keys: the one string form (`platform:account_id`) that edges, findings and campaigns use for an account,
 * and the temporary tables that turn a set of keys back into rows to join against.
 */
import type { CaseStore } from "./case.js";
import { writeTempInts } from "./temp-table.js";

export const accountKey = (platform: string, accountId: string): string => `${platform}:${accountId}`;

/** The inverse of `accountKey`; platforms never contain ':', account ids may. */
export function parseAccountKey(key: string): { platform: string; accountId: string } {
  const i = key.indexOf(":");
  return { platform: key.slice(0, i), accountId: key.slice(i + 1) };
}

/** A temp table `table(platform, account_id[, g])` of the given keys (with their group, when given). */
export async function writeAccountKeys(
  store: CaseStore,
  table: string,
  keys: Iterable<string> | Iterable<[string, number]>,
  withGroup: boolean,
): Promise<void> {
  await store.conn.run(
    `CREATE OR REPLACE TEMP TABLE ${table} (platform VARCHAR, account_id VARCHAR${withGroup ? ", g INTEGER" : ""})`,
  );
  const app = await store.conn.createAppender(table);
  try {
    for (const entry of keys) {
      const [key, g] = typeof entry === "string" ? [entry, 0] : entry;
      const { platform, accountId } = parseAccountKey(key);
      app.appendVarchar(platform);
      app.appendVarchar(accountId);
      if (withGroup) app.appendInteger(g);
      app.endRow();
    }
  } finally {
    app.closeSync();
  }
}

/**
 * Account keys and handles of dense account ids, read through a detector's dense-id table
 * `denseTable(aid, platform, account_id)`. The handle is that of the account's first profile row with one (input
 * file, then row), so the same case always names an account the same way.
 */
export async function denseAccountNames(
  store: CaseStore,
  denseTable: string,
  aids: Iterable<number>,
): Promise<Map<number, { key: string; handle: string | null }>> {
  const list = [...new Set(aids)].sort((x, y) => x - y);
  await writeTempInts(
    store,
    "chorus_wanted_aids",
    ["aid"],
    list.map((a) => [a]),
  );
  const rows = await store.all<{ aid: number; platform: string; account_id: string; handle: string | null }>(
    `SELECT w.aid, c.platform, c.account_id,
            (SELECT a.handle FROM accounts a
              WHERE a.platform = c.platform AND a.account_id = c.account_id AND a.handle IS NOT NULL
              ORDER BY a.input_id, a.source_row LIMIT 1) AS handle
       FROM chorus_wanted_aids w JOIN ${denseTable} c USING (aid) ORDER BY w.aid`,
  );
  await store.conn.run("DROP TABLE IF EXISTS chorus_wanted_aids");
  return new Map(rows.map((r) => [r.aid, { key: accountKey(r.platform, r.account_id), handle: r.handle }]));
}
