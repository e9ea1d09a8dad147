/**
 * Turning the kernel's dense ids back into evidence a person can check: account keys and handles, the object's
 * value, and for each significant pair one example post pair with both timestamps, the gap, who was first, and the
 * input file and row of each post.
 */
import type { ObjectKind } from "../../model/index.js";
import { accountKey } from "../../store/account-keys.js";
import type { CaseStore } from "../../store/case.js";
import {
  EDGE_ROWS,
  nextExampleRef,
  numberTieAccounts,
  TIE_EXAMPLE_REF_COLUMNS,
  TIE_OBJECTS,
  TIE_POSTS,
} from "../../store/edges.js";
import { columnsSql, lendColumns, returnColumns } from "../../store/lent-columns.js";
import { writeTempInts } from "../../store/temp-table.js";

/**
 * significant: passes the false-discovery control on its own; candidate: unlikely by chance for this pair
 * (p <= candidateP) but not on its own after multiple-testing control, so it may only bind a group that passes
 * the group tests (campaign/); chance: explained by chance, kept as context. A tie's `tier` column holds the index.
 */
export const TIERS = ["significant", "candidate", "chance"] as const;
export type Tier = (typeof TIERS)[number];

/** The co-share ties as columns, one element per tie (see `resolveEvidence`). */
export interface TieColumns {
  /** Index of the tie's layer in the layer list given to `resolveEvidence`. */
  layer: Uint8Array;
  /** Dense account ids (the run's `chorus_accounts`). */
  a: Int32Array;
  b: Int32Array;
  /** Distinct co-shared objects (episodes): the weight. */
  k: Int32Array;
  sharePairs: Uint32Array;
  expected: Float64Array;
  pValue: Float64Array;
  log10P: Float64Array;
  /** Index in TIERS. */
  tier: Uint8Array;
  /** 1 when the pair is also significant at the fast-core window. */
  fast: Uint8Array;
  /** The example share pair: dense object id of the layer and the two posts (`chorus_posts`); -1 for none. */
  exObject: Int32Array;
  exPostA: Int32Array;
  exPostB: Int32Array;
}

/** Tie columns for `n` ties, zeroed, with no example (-1) for any. */
export function newTieColumns(n: number): TieColumns {
  return {
    layer: new Uint8Array(n),
    a: new Int32Array(n),
    b: new Int32Array(n),
    k: new Int32Array(n),
    sharePairs: new Uint32Array(n),
    expected: new Float64Array(n),
    pValue: new Float64Array(n),
    log10P: new Float64Array(n),
    tier: new Uint8Array(n),
    fast: new Uint8Array(n),
    exObject: new Int32Array(n).fill(-1),
    exPostA: new Int32Array(n).fill(-1),
    exPostB: new Int32Array(n).fill(-1),
  };
}

export interface AccountRef {
  key: string;
  platform: string;
  accountId: string;
  handle: string | null;
}

/** The name the ties' columns are lent to SQL under, from the detector's run until the runner saves them. */
const TIES = "co-share ties";
/** The name the ties' example posts are lent under: each post once, by its dense id. */
const TIE_EXAMPLE_POSTS = "co-share tie example posts";

/**
 * The account keys of the ties by dense id, copied when the ties are staged (so that a later run of the detector
 * before this one is saved cannot change them), and the numbers the run gives them when they are written.
 */
const KEYS_TABLE = "chorus_co_share_tie_keys";
const REFS_TABLE = "chorus_co_share_tie_refs";

/** SQL: a DOUBLE, or NULL where it is NaN or infinite (as the runner stores a tie's lift and p-value). */
export function finite(x: string): string {
  return `CASE WHEN isfinite(${x}) THEN ${x} END`;
}

/** SQL: the name in TIERS of a tier index column. */
export function tierNameSql(column: string): string {
  return `CASE ${column} ${TIERS.map((name, i) => `WHEN ${i} THEN '${name}'`).join(" ")} END`;
}

/**
 * Lends the ties' columns to SQL (src/store/lent-columns.ts) for `writeTies`, which reads them where they are, and
 * returns the accounts of the ties, by dense id.
 */
export async function stageTies(store: CaseStore, ties: TieColumns): Promise<Map<number, AccountRef>> {
  const aids = new Set<number>();
  for (let t = 0; t < ties.a.length; t++) aids.add(ties.a[t]!).add(ties.b[t]!);
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

  await store.conn.run(
    `CREATE OR REPLACE TEMP TABLE ${KEYS_TABLE} AS
     SELECT c.aid, c.platform || ':' || c.account_id AS key
       FROM chorus_wanted_accounts w JOIN chorus_accounts c USING (aid)`,
  );

  // at millions of ties, evidence written as JSON text by JavaScript (and its examples read as objects) cost more
  // than the detection itself: DuckDB reads the numbers as columns, and SQL writes the rows (writeTies)
  lendColumns(store, TIES, {
    layer: ties.layer,
    a: ties.a,
    b: ties.b,
    k: ties.k,
    share_pairs: ties.sharePairs,
    expected: ties.expected,
    p_value: ties.pValue,
    log10_p: ties.log10P,
    tier: ties.tier,
    fast: ties.fast,
    ex_object: ties.exObject,
    ex_a: ties.exPostA,
    ex_b: ties.exPostB,
  });
  lendColumns(store, TIE_EXAMPLE_POSTS, { pid: examplePosts(ties.exPostA, ties.exPostB) });
  await store.conn.run("DROP TABLE IF EXISTS chorus_wanted_accounts");
  return byAid;
}

/**
 * The distinct posts of the ties' examples (their dense ids, -1 for none), in order: at 10M posts about 2M posts for
 * 14.7M ties. Found here by a mark per post, where SQL took the union of both columns over every tie (a hash
 * aggregate of 29M values read twice through the lent columns' scan): saving co-share's ties of the 10M-post case
 * took 11.1 s against 17.7 s (bench/detector.ts --save).
 */
export function examplePosts(a: Int32Array, b: Int32Array): Int32Array {
  let max = -1;
  for (let i = 0; i < a.length; i++) max = Math.max(max, a[i]!, b[i]!);
  const seen = new Uint8Array(max + 1);
  let n = 0;
  for (const col of [a, b]) {
    for (let i = 0; i < col.length; i++) {
      const p = col[i]!;
      if (p >= 0 && seen[p] === 0) {
        seen[p] = 1;
        n++;
      }
    }
  }
  const out = new Int32Array(n);
  let at = 0;
  for (let p = 0; p <= max; p++) if (seen[p] === 1) out[at++] = p;
  return out;
}

/** The columns of a tie's evidence that `writeTies` fills, in its order. */
const EVIDENCE_COLUMNS = [
  "share_pairs",
  "expected",
  "log10_p",
  "window_seconds",
  ...TIE_EXAMPLE_REF_COLUMNS.map(([name]) => name),
];

/**
 * Writes the staged ties as rows of `edges` under run `runId`: the two accounts by their numbers in the run
 * (`tie_accounts`, src/store/edges.ts), and the evidence as the columns of src/store/edges.ts (the counts behind the
 * chance test, the window, and for each significant and candidate tie the example post pair and object), from which
 * the `edges` view writes the account keys and the JSON evidence when it is read (src/store/edges.test.ts: the same
 * JSON as JavaScript wrote). The examples are named by number too: each post (its id, time, input file and row) is
 * one row of `tie_posts` and each object (its value) one row of `tie_objects`, numbered from the run's next number
 * by the post's dense id and by the object's layer and dense id. The runner calls it inside the run's transaction
 * (`DetectorResult.writeEdges`).
 */
export async function writeTies(
  store: CaseStore,
  runId: number,
  layers: readonly ObjectKind[],
  windowSec: number,
): Promise<void> {
  const tierName = tierNameSql("t.tier");
  const columns = EVIDENCE_COLUMNS.join(", ");
  // one statement for every layer: a statement per layer built the hash tables of its joins once per layer (0.68x
  // the time at 3M posts with one)
  const names = layers.map((l) => `'${l}'`).join(", ");
  const objects = `SELECT (list_position([${names}], kind) - 1)::UTINYINT AS layer, oid, value
                     FROM chorus_object_ids WHERE kind IN (${names})`;
  try {
    if (layers.length > 0) {
      await numberTieAccounts(store, runId, `SELECT aid, key FROM ${KEYS_TABLE}`, REFS_TABLE);
      // the examples' posts and objects once each (at 10M posts, about 2M posts for 14.7M ties), each tie naming
      // them by number: with their ids, times and values as text in every tie, writing the ties took twice as long
      const posts = await nextExampleRef(store, TIE_POSTS, runId);
      // make_timestamptz from microseconds, not a TIMESTAMP cast to TIMESTAMPTZ: the cast goes through the time
      // zone library for every value
      await store.conn.run(
        `INSERT INTO ${TIE_POSTS} (run_id, ref, post_id, ts, input_id, source_row)
         SELECT $run::INTEGER, $base::BIGINT + pid, post_id, make_timestamptz((t * 1000)::BIGINT), input_id, source_row
           FROM chorus_posts
          WHERE pid IN (SELECT pid FROM ${columnsSql(TIE_EXAMPLE_POSTS)})`,
        { run: runId, base: posts },
      );
      const objectRefs = await nextExampleRef(store, TIE_OBJECTS, runId);
      const objectRef = (layer: string, oid: string): string =>
        `$objects::BIGINT + ${layer}::BIGINT * ${2 ** 32} + ${oid}`;
      await store.conn.run(
        `INSERT INTO ${TIE_OBJECTS} (run_id, ref, value)
         SELECT $run::INTEGER, ${objectRef("d.layer", "d.oid")}, d.value
           FROM (${objects}) d
           SEMI JOIN (SELECT DISTINCT layer, ex_object FROM ${columnsSql(TIES)} WHERE ex_object >= 0) x
             ON x.layer = d.layer AND x.ex_object = d.oid`,
        { run: runId, objects: objectRefs },
      );
      // the accounts by number: with their keys as text, writing 5M ties, each with an example, took 16.2 s
      // against 14.3 s (bench/tie-accounts.ts)
      await store.conn.run(
        `INSERT INTO ${EDGE_ROWS} (run_id, layer, a_ref, b_ref, weight, n_objects, lift, p_value, significant, tier,
                              fast_core, ${columns})
     SELECT $run::INTEGER, [${names}][t.layer + 1], ra.ref, rb.ref,
            t.k::DOUBLE, t.k, ${finite("CASE WHEN t.expected > 0 THEN t.k / t.expected END")},
            ${finite("t.p_value")}, t.tier = 0, ${tierName}, t.fast = 1,
            t.share_pairs, t.expected, t.log10_p, $window::DOUBLE,
            CASE WHEN t.ex_object >= 0 THEN ${objectRef("t.layer", "t.ex_object")} END,
            CASE WHEN t.ex_a >= 0 THEN $posts::BIGINT + t.ex_a END,
            CASE WHEN t.ex_b >= 0 THEN $posts::BIGINT + t.ex_b END
       FROM ${columnsSql(TIES)} t
       JOIN ${REFS_TABLE} ra ON ra.aid = t.a
       JOIN ${REFS_TABLE} rb ON rb.aid = t.b`,
        { run: runId, window: windowSec, posts, objects: objectRefs },
      );
    }
  } finally {
    returnColumns(store, TIES);
    returnColumns(store, TIE_EXAMPLE_POSTS);
    for (const table of [KEYS_TABLE, REFS_TABLE]) {
      await store.conn.run(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
