/**
 * Account keys: the one string form (`platform:account_id`) that edges, findings and campaigns use for an account,
 * and the temporary tables that turn a set of keys back into rows to join against.
 */
import type { CaseStore } from "./case.js";

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
