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

/** Rewrites `edges` in place (dense ids -> account keys, examples attached); returns the accounts seen. */
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

  const layers = [...new Set(examples.map((x) => x.layer))];
  for (const layer of layers) {
    const mine = examples.filter((x) => x.layer === layer);
    await writeTempInts(
      store,
      "chorus_wanted_examples",
      ["edge", "oid", "pa", "pb"],
      mine.map((x) => [x.edgeIndex, x.objectId, x.postA, x.postB]),
    );
    const resolved = await store.all<{
      edge: number;
      value: string;
      a_post: string;
      a_ts: number;
      a_input: number;
      a_row: number;
      b_post: string;
      b_ts: number;
      b_input: number;
      b_row: number;
    }>(
      `SELECT w.edge, d.value,
              pa.post_id AS a_post, ca.t AS a_ts, pa.input_id AS a_input, pa.source_row::DOUBLE AS a_row,
              pb.post_id AS b_post, cb.t AS b_ts, pb.input_id AS b_input, pb.source_row::DOUBLE AS b_row
         FROM chorus_wanted_examples w
         JOIN chorus_objects_${layer} d ON d.oid = w.oid
         JOIN chorus_posts ca ON ca.pid = w.pa
         JOIN chorus_posts cb ON cb.pid = w.pb
         JOIN posts pa ON pa.platform = ca.platform AND pa.post_id = ca.post_id
         JOIN posts pb ON pb.platform = cb.platform AND pb.post_id = cb.post_id
        ORDER BY w.edge`,
    );
    for (const r of resolved) {
      const edge = edges[r.edge]!;
      const gap = Math.abs(r.a_ts - r.b_ts) / 1000;
      edge.evidence["example"] = {
        object: r.value,
        a: {
          post_id: r.a_post,
          ts: new Date(r.a_ts).toISOString(),
          input_id: r.a_input,
          source_row: r.a_row,
        },
        b: {
          post_id: r.b_post,
          ts: new Date(r.b_ts).toISOString(),
          input_id: r.b_input,
          source_row: r.b_row,
        },
        gap_seconds: gap,
        first: r.a_ts < r.b_ts ? "a" : r.b_ts < r.a_ts ? "b" : "same time",
        within_window_seconds: windowSec,
      };
    }
  }
  await store.conn.run("DROP TABLE IF EXISTS chorus_wanted_examples");
  await store.conn.run("DROP TABLE IF EXISTS chorus_wanted_accounts");
  return new Map([...byAid.values()].map((r) => [r.key, r]));
}
