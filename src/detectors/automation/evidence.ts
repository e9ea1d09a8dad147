/**
 * Turning dense ids and row ids back into evidence: account keys and handles, and for each example post its id,
 * time, input file and row.
 */
import { denseAccountNames } from "../../store/account-keys.js";
import type { CaseStore } from "../../store/case.js";
import { writeTempInts } from "../../store/temp-table.js";
import { ACCOUNTS_TABLE } from "./load.js";

export interface PostRef {
  post_id: string;
  ts: string;
  input_id: number;
  source_row: number;
}

export function accountNames(
  store: CaseStore,
  aids: number[],
): Promise<Map<number, { key: string; handle: string | null }>> {
  return denseAccountNames(store, ACCOUNTS_TABLE, aids);
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
