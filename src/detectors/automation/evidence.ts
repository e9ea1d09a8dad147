/**
 * Turning dense ids and row ids back into evidence: account keys and handles, and for each example post its id,
 * time, input file and row.
 */
import { accountKey } from "../../store/account-keys.js";
import type { CaseStore } from "../../store/case.js";
import { writeTempInts } from "../../store/temp-table.js";
import { ACCOUNTS_TABLE } from "./load.js";

export interface PostRef {
  post_id: string;
  ts: string;
  input_id: number;
  source_row: number;
}

export async function accountNames(
  store: CaseStore,
  aids: number[],
): Promise<Map<number, { key: string; handle: string | null }>> {
  await writeTempInts(
    store,
    "chorus_automation_wanted",
    ["v"],
    [...new Set(aids)].sort((x, y) => x - y).map((v) => [v]),
  );
  const rows = await store.all<{ aid: number; platform: string; account_id: string; handle: string | null }>(
    `SELECT c.aid, c.platform, c.account_id, any_value(a.handle) AS handle
       FROM chorus_automation_wanted w JOIN ${ACCOUNTS_TABLE} c ON c.aid = w.v
       LEFT JOIN accounts a ON a.platform = c.platform AND a.account_id = c.account_id
      GROUP BY c.aid, c.platform, c.account_id`,
  );
  await store.conn.run("DROP TABLE IF EXISTS chorus_automation_wanted");
  return new Map(rows.map((r) => [r.aid, { key: accountKey(r.platform, r.account_id), handle: r.handle }]));
}

export async function postRefs(store: CaseStore, rows: number[]): Promise<Map<number, PostRef>> {
  await writeTempInts(
    store,
    "chorus_automation_posts",
    [["v", "BIGINT"]],
    [...new Set(rows)].sort((x, y) => x - y).map((v) => [v]),
  );
  const found = await store.all<{
    r: number;
    post_id: string;
    t: number;
    input_id: number;
    source_row: number;
  }>(
    `SELECT p.rowid::DOUBLE AS r, p.post_id, epoch_ms(p.ts)::DOUBLE AS t, p.input_id,
            p.source_row::DOUBLE AS source_row
       FROM posts p WHERE p.rowid IN (SELECT v FROM chorus_automation_posts)`,
  );
  await store.conn.run("DROP TABLE IF EXISTS chorus_automation_posts");
  return new Map(
    found.map((r) => [
      r.r,
      { post_id: r.post_id, ts: new Date(r.t).toISOString(), input_id: r.input_id, source_row: r.source_row },
    ]),
  );
}
