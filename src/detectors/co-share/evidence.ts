/**
 * Turning the kernel's dense ids back into evidence a person can check: account keys and handles, the object's
 * value, and for each significant pair one example post pair with both timestamps, the gap, who was first, and the
 * input file and row of each post.
 */
import type { Edge, ObjectKind } from "../../model/index.js";
import { accountKey } from "../../store/account-keys.js";
import type { CaseStore } from "../../store/case.js";
import { writeTempInts } from "../../store/temp-table.js";

export interface PairExample {
  layer: ObjectKind;
  edgeIndex: number;
  objectId: number;
  postA: number;
  postB: number;
}

export interface AccountRef {
  key: string;
  platform: string;
  accountId: string;
  handle: string | null;
}

/** The temp table of examples that the co-share detector hands to the runner (`DetectorResult.edgeExamples`). */
export const EXAMPLES_TABLE = "chorus_co_share_examples";

/** SQL: epoch milliseconds (a DOUBLE expression) as JavaScript's toISOString writes them (UTC, milliseconds, Z). */
export function isoMs(ms: string): string {
  return `strftime(make_timestamp((${ms} * 1000)::BIGINT), '%Y-%m-%dT%H:%M:%S.%gZ')`;
}

/** SQL: a JSON number written as JavaScript writes it (5, not 5.0). */
export function jsonNumber(x: string): string {
  return `CASE WHEN (${x}) = trunc(${x}) AND abs(${x}) < 9e15 THEN to_json((${x})::BIGINT) ELSE to_json((${x})::DOUBLE) END`;
}

/** SQL: milliseconds (a DOUBLE expression) as a JSON number of seconds. */
function seconds(ms: string): string {
  return jsonNumber(`(${ms}) / 1000`);
}

/**
 * Rewrites `edges` in place (dense ids -> account keys) and builds the example of each edge of `examples` in the
 * temp table `EXAMPLES_TABLE` (see `DetectorResult.edgeExamples`); returns the accounts seen.
 */
export async function resolveEvidence(
  store: CaseStore,
  edges: Edge[],
  examples: PairExample[],
  windowSec: number,
): Promise<Map<string, AccountRef>> {
  const aids = new Set<number>();
  for (const e of edges) {
    aids.add(Number(e.a));
    aids.add(Number(e.b));
  }
  await writeTempInts(
    store,
    "chorus_wanted_accounts",
    ["aid"],
    [...aids].sort((x, y) => x - y).map((a) => [a]),
  );
  const rows = await store.all<{ aid: number; platform: string; account_id: string; handle: string | null }>(
    `SELECT c.aid, c.platform, c.account_id, a.handle
       FROM chorus_wanted_accounts w JOIN chorus_accounts c USING (aid)
       LEFT JOIN accounts a ON a.platform = c.platform AND a.account_id = c.account_id`,
  );
  const byAid = new Map<number, AccountRef>();
  for (const r of rows) {
    byAid.set(r.aid, {
      key: accountKey(r.platform, r.account_id),
      platform: r.platform,
      accountId: r.account_id,
      handle: r.handle,
    });
  }
  for (const e of edges) {
    e.a = byAid.get(Number(e.a))!.key;
    e.b = byAid.get(Number(e.b))!.key;
  }

  // the examples are built by SQL into a temp table that the runner merges into the stored evidence: at millions
  // of ties, example objects in memory (and reading their rows as objects) cost more than the detection itself
  await store.conn.run(`CREATE OR REPLACE TEMP TABLE ${EXAMPLES_TABLE} (edge INTEGER, example JSON)`);
  const layers = [...new Set(examples.map((x) => x.layer))];
  for (const layer of layers) {
    const mine = examples.filter((x) => x.layer === layer);
    await writeTempInts(
      store,
      "chorus_wanted_examples",
      ["edge", "oid", "pa", "pb"],
      mine.map((x) => [x.edgeIndex, x.objectId, x.postA, x.postB]),
    );
    await store.conn.run(
      `INSERT INTO ${EXAMPLES_TABLE}
       SELECT w.edge, json_object(
                'object', d.value,
                'a', json_object('post_id', ca.post_id, 'ts', ${isoMs("ca.t")}, 'input_id', ca.input_id,
                                 'source_row', ca.source_row),
                'b', json_object('post_id', cb.post_id, 'ts', ${isoMs("cb.t")}, 'input_id', cb.input_id,
                                 'source_row', cb.source_row),
                'gap_seconds', ${seconds("abs(ca.t - cb.t)")},
                'first', CASE WHEN ca.t < cb.t THEN 'a' WHEN cb.t < ca.t THEN 'b' ELSE 'same time' END,
                'within_window_seconds', ${jsonNumber(String(windowSec))})
         FROM chorus_wanted_examples w
         JOIN chorus_objects_${layer} d ON d.oid = w.oid
         JOIN chorus_posts ca ON ca.pid = w.pa
         JOIN chorus_posts cb ON cb.pid = w.pb`,
    );
  }
  await store.conn.run("DROP TABLE IF EXISTS chorus_wanted_examples");
  await store.conn.run("DROP TABLE IF EXISTS chorus_wanted_accounts");
  return new Map([...byAid.values()].map((r) => [r.key, r]));
}
