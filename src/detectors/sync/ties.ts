/**
 * Sync's ties as columns: for the campaign step a `TieTable` (layer, accounts, weight, p-value, tier), and for the
 * case the same ties written by SQL with their evidence (the shared bursts, an example post pair or repost pair),
 * built from typed columns staged in DuckDB. At millions of ties, one Edge object with nested evidence per tie,
 * serialised by JavaScript and appended value by value, cost more than finding them.
 */
import type { Edge, TieTable } from "../../model/index.js";
import type { CaseStore } from "../../store/case.js";
import { EDGE_ROWS, jsonNumber, nextExampleRef, numberTieAccounts, TIE_POSTS } from "../../store/edges.js";
import { isoFromEpochMsSql, isoMsSql } from "../../store/sql-time.js";
import { columnsSql, lendColumns, returnColumns } from "../../store/lent-columns.js";
import { finite, tierNameSql, TIERS } from "../co-share/evidence.js";
import { ACCOUNTS_TABLE } from "./load.js";

/** Layer names; a tie's `layer` column indexes this list. */
export const SYNC_LAYERS = ["sync", "fast-repost"] as const;
export const SYNC = 0;
export const FAST_REPOST = 1;

/** Shared bursts named in a sync tie's evidence. */
export const BURSTS_PER_EDGE = 5;

/** The ties, one element per tie, in the order they are reported (significant, candidate, chance). */
export interface SyncTieColumns {
  layer: Uint8Array;
  /** Dense account ids (the run's `ACCOUNTS_TABLE`). */
  a: Int32Array;
  b: Int32Array;
  /** Groups (bursts, fast-reposted originals) the pair shared. */
  n: Int32Array;
  expected: Float64Array;
  pValue: Float64Array;
  log10P: Float64Array;
  /** Index in TIERS (co-share's tiers: significant, candidate, chance). */
  tier: Uint8Array;
  /** Shared groups found for the example (0 for chance ties, which carry none); sync: the bursts in `burst`. */
  shared: Uint8Array;
  /** Sync ties: the first BURSTS_PER_EDGE shared bursts (index in the scan's bursts; -1 past `shared`). */
  burst: Int32Array[];
  /** The example: sync, the two members' posts (`posts.rowid`); fast-repost, the two reposts (index in `reposts`). */
  exA: Float64Array;
  exB: Float64Array;
}

export function emptyTieColumns(n: number): SyncTieColumns {
  return {
    layer: new Uint8Array(n),
    a: new Int32Array(n),
    b: new Int32Array(n),
    n: new Int32Array(n),
    expected: new Float64Array(n),
    pValue: new Float64Array(n),
    log10P: new Float64Array(n),
    tier: new Uint8Array(n),
    shared: new Uint8Array(n),
    burst: Array.from({ length: BURSTS_PER_EDGE }, () => new Int32Array(n).fill(-1)),
    exA: new Float64Array(n).fill(NaN),
    exB: new Float64Array(n).fill(NaN),
  };
}

/** A fast repost as its evidence names it: the repost, its original (in the case or not) and the delay. */
export interface RepostExample {
  /** `posts.rowid` of the repost. */
  row: number;
  /** `posts.rowid` of the original, NaN when it is not in the case. */
  originalRow: number;
  /** Time of the original (epoch ms), NaN when unknown. */
  originalMs: number;
  /** NaN when unknown. */
  delayMs: number;
}

/** The names the ties' columns are lent to SQL under (src/store/lent-columns.ts), and the table of their keys. */
const TIES = "sync ties";
const BURSTS = "sync tie bursts";
const REPOSTS = "sync tie reposts";
const TIES_FROM = columnsSql(TIES);
const BURSTS_FROM = columnsSql(BURSTS);
const REPOSTS_FROM = columnsSql(REPOSTS);
const KEYS_TABLE = "chorus_sync_tie_keys";
/** The numbers the run gives the ties' accounts (`numberTieAccounts`), by dense id. */
const REFS_TABLE = "chorus_sync_tie_refs";

/**
 * Hands the ties to DuckDB for `writeSyncTies`: lends it their columns, the bursts' times (epoch seconds) and the
 * reposts the fast-repost examples name (by the index in `exA`/`exB`), which SQL reads where they are
 * (src/store/lent-columns.ts), and copies the account keys of the run (so that a later run of the detector before
 * this one is saved cannot change them).
 */
export async function stageSyncTies(
  store: CaseStore,
  ties: SyncTieColumns,
  bursts: ReadonlyArray<{ start: number; end: number }>,
  reposts: ReadonlyMap<number, RepostExample>,
): Promise<void> {
  const burstCols: Record<string, Int32Array> = {};
  ties.burst.forEach((col, k) => (burstCols[`g${k}`] = col));
  lendColumns(store, TIES, {
    layer: ties.layer,
    a: ties.a,
    b: ties.b,
    n: ties.n,
    expected: ties.expected,
    p_value: ties.pValue,
    log10_p: ties.log10P,
    tier: ties.tier,
    shared: ties.shared,
    ...burstCols,
    ex_a: ties.exA,
    ex_b: ties.exB,
  });
  lendColumns(store, BURSTS, {
    g: Int32Array.from(bursts, (_, g) => g),
    s: Float64Array.from(bursts, (x) => x.start),
    e: Float64Array.from(bursts, (x) => x.end),
  });
  const js = [...reposts.keys()].sort((x, y) => x - y);
  const ex = js.map((j) => reposts.get(j)!);
  lendColumns(store, REPOSTS, {
    j: Int32Array.from(js),
    row: Float64Array.from(ex, (r) => r.row),
    orow: Float64Array.from(ex, (r) => r.originalRow),
    oms: Float64Array.from(ex, (r) => r.originalMs),
    delay: Float64Array.from(ex, (r) => r.delayMs),
  });
  await store.conn.run(
    `CREATE OR REPLACE TEMP TABLE ${KEYS_TABLE} AS
     SELECT k.aid, k.platform || ':' || k.account_id AS key FROM ${ACCOUNTS_TABLE} k
      WHERE k.aid IN (SELECT a FROM ${TIES_FROM} UNION SELECT b FROM ${TIES_FROM})`,
  );
}

/** SQL: a post (`posts` row alias `p`) as its evidence names it, or JSON null when there is none. */
function postRef(p: string): string {
  return `CASE WHEN ${p}.post_id IS NULL THEN 'null'::JSON ELSE json_object('post_id', ${p}.post_id,
            'ts', ${isoMsSql(`${p}.ts`)}, 'input_id', ${p}.input_id, 'source_row', ${p}.source_row) END`;
}

/**
 * The posts the ties' examples name (`posts` row id `r`, and the fields their evidence writes), for `tie_posts` and
 * `postJoin`: each join of the whole `posts` table (six, before the sync ties named their examples by number) built
 * a hash table of every post, which at 3M posts made the write of the sync ties the analysis's peak of memory.
 */
const POSTS_TABLE = "chorus_sync_tie_posts";

/** SQL: a row rid of `posts` (among those in POSTS_TABLE), or no row (the join never matches NaN or NULL). */
function postJoin(alias: string, rid: string): string {
  return `LEFT JOIN ${POSTS_TABLE} ${alias} ON ${alias}.r = CASE WHEN isfinite(${rid}) THEN ${rid}::BIGINT END`;
}

/**
 * Writes the staged ties as rows of `edges` under run `runId`, their accounts by number in the run (`tie_accounts`,
 * src/store/edges.ts), with the evidence the detector's findings describe, in the JSON that JavaScript would have
 * written for the same values (ties.test.ts): for every tie its tier, expectation and log10 p-value; for a sync tie
 * that shared bursts, the first few of them and the two posts of the first; for a fast-repost tie, one repost pair
 * with each original and delay. The runner calls it inside the run's transaction (`DetectorResult.writeEdges`).
 */
export async function writeSyncTies(
  store: CaseStore,
  runId: number,
  fastRepostSeconds: number,
): Promise<void> {
  try {
    const finiteRows = (column: string, from: string, where = "true"): string =>
      `SELECT ${column}::BIGINT FROM ${from} WHERE ${where} AND isfinite(${column})`;
    await store.conn.run(
      `CREATE OR REPLACE TEMP TABLE ${POSTS_TABLE} AS
       SELECT rowid AS r, post_id, ts, input_id, source_row, ref_post_id FROM posts
        WHERE rowid IN (${finiteRows("ex_a", TIES_FROM, `layer = ${SYNC}`)}
                        UNION ALL ${finiteRows("ex_b", TIES_FROM, `layer = ${SYNC}`)}
                        UNION ALL ${finiteRows("row", REPOSTS_FROM)} UNION ALL ${finiteRows("orow", REPOSTS_FROM)})`,
    );
    await numberTieAccounts(store, runId, `SELECT aid, key FROM ${KEYS_TABLE}`, REFS_TABLE);
    // the sync ties' example posts once each, as rows of `tie_posts` numbered from the run's next number by their
    // row in `posts` (src/store/edges.ts), which the ties name by number
    const examples = await nextExampleRef(store, TIE_POSTS, runId);
    await store.conn.run(
      `INSERT INTO ${TIE_POSTS} (run_id, ref, post_id, ts, input_id, source_row)
       SELECT $run::INTEGER, $base::BIGINT + r, post_id, ts, input_id, source_row FROM ${POSTS_TABLE}
        WHERE r IN (${finiteRows("ex_a", TIES_FROM, `layer = ${SYNC}`)}
                    UNION ${finiteRows("ex_b", TIES_FROM, `layer = ${SYNC}`)})`,
      { run: runId, base: examples },
    );
    const tierName = tierNameSql("t.tier");
    // the evidence: JSON (`evidence`), or the columns the edges view writes it from (src/store/edges.ts)
    const insert = (evidence: Record<string, string>, joins: string, layer: number): Promise<unknown> =>
      store.conn.run(
        `INSERT INTO ${EDGE_ROWS} (run_id, layer, a_ref, b_ref, weight, n_objects, lift, p_value, significant, tier,
                          fast_core, ${Object.keys(evidence).join(", ")})
       SELECT $run::INTEGER, '${SYNC_LAYERS[layer]}', ka.ref, kb.ref, t.n::DOUBLE, t.n,
              ${finite("CASE WHEN t.expected > 0 THEN t.n / t.expected END")}, ${finite("t.p_value")}, t.tier = 0,
              ${tierName}, false, ${Object.values(evidence).join(", ")}
         FROM ${TIES_FROM} t
         JOIN ${REFS_TABLE} ka ON ka.aid = t.a
         JOIN ${REFS_TABLE} kb ON kb.aid = t.b
         ${joins}
        WHERE t.layer = ${layer}`,
        layer === SYNC ? { run: runId, examples } : { run: runId },
      );

    // sync, as columns: the shared bursts' starts and ends (in the order the evidence lists them; none when the
    // tie carries no example), and the example posts in the first of them (NULL when not in the case)
    const burstJoins = Array.from(
      { length: BURSTS_PER_EDGE },
      (_, k) => `LEFT JOIN ${BURSTS_FROM} b${k} ON b${k}.g = t.g${k}`,
    ).join("\n");
    const burstList = (field: "s" | "e"): string =>
      `CASE WHEN t.shared <> 0 THEN list_filter([${Array.from(
        { length: BURSTS_PER_EDGE },
        (_, k) => `CASE WHEN b${k}.g IS NOT NULL THEN b${k}.${field} END`,
      ).join(", ")}], x -> x IS NOT NULL) END`;
    // an example post by its number in `tie_posts` (NULL when there is none)
    const exampleRef = (rid: string): string =>
      `CASE WHEN isfinite(${rid}) THEN $examples::BIGINT + ${rid}::BIGINT END`;
    await insert(
      {
        expected: "t.expected",
        log10_p: "t.log10_p",
        burst_starts: burstList("s"),
        burst_ends: burstList("e"),
        example_a_ref: exampleRef("t.ex_a"),
        example_b_ref: exampleRef("t.ex_b"),
      },
      burstJoins,
      SYNC,
    );

    // fast-repost: each side's repost, its original (the post, or its id and derived time) and the delay
    const repostJoins = (side: string): string =>
      `LEFT JOIN ${REPOSTS_FROM} r${side} ON r${side}.j = CASE WHEN isfinite(t.ex_${side}) THEN t.ex_${side}::INTEGER END
     ${postJoin(`p${side}`, `r${side}.row`)}
     ${postJoin(`o${side}`, `r${side}.orow`)}`;
    const repostFacts = (side: string): string =>
      `json_object('repost', ${postRef(`p${side}`)},
       'original', CASE WHEN isfinite(r${side}.orow) THEN ${postRef(`o${side}`)}
                        ELSE json_object('original_id', p${side}.ref_post_id,
                               'derived_ts', CASE WHEN isfinite(r${side}.oms)
                                                  THEN ${isoFromEpochMsSql(`r${side}.oms`)} END) END,
       'delay_seconds', ${jsonNumber(`r${side}.delay / 1000`)})`;
    // fast-repost ties are few: their evidence is JSON
    const head = `'significant', t.tier = 0, 'tier', ${tierName}, 'expected', ${jsonNumber("t.expected")},
                'log10_p', ${jsonNumber("t.log10_p")}`;
    await insert(
      {
        evidence: `CASE WHEN t.shared = 0 THEN json_object(${head})
          ELSE json_object(${head}, 'example', json_object('a', ${repostFacts("a")}, 'b', ${repostFacts("b")}),
                 'fast_repost_seconds', ${jsonNumber(String(fastRepostSeconds))}) END`,
      },
      `${repostJoins("a")}\n${repostJoins("b")}`,
      FAST_REPOST,
    );
  } finally {
    for (const name of [TIES, BURSTS, REPOSTS]) returnColumns(store, name);
  }
  for (const table of [KEYS_TABLE, REFS_TABLE, POSTS_TABLE]) {
    await store.conn.run(`DROP TABLE IF EXISTS ${table}`);
  }
}

/**
 * The ties for the campaign step, each as an edge on demand with the evidence held in memory (tier, expectation,
 * p-value; the examples are written to the case only, by `writeSyncTies`).
 */
export function syncTieTable(ties: SyncTieColumns, keyOf: (aid: number) => string): TieTable {
  const keys: Array<string | undefined> = [];
  for (let t = 0; t < ties.a.length; t++) {
    keys[ties.a[t]!] ??= keyOf(ties.a[t]!);
    keys[ties.b[t]!] ??= keyOf(ties.b[t]!);
  }
  return {
    layers: SYNC_LAYERS,
    keys,
    layer: ties.layer,
    a: ties.a,
    b: ties.b,
    weight: ties.n,
    pValue: ties.pValue,
    tier: ties.tier,
    fast: new Uint8Array(ties.a.length),
    edge(t: number): Edge {
      const n = ties.n[t]!;
      const exp = ties.expected[t]!;
      const tier = TIERS[ties.tier[t]!]!;
      return {
        layer: SYNC_LAYERS[ties.layer[t]!]!,
        a: keys[ties.a[t]!]!,
        b: keys[ties.b[t]!]!,
        weight: n,
        nObjects: n,
        lift: exp > 0 ? n / exp : null,
        pValue: ties.pValue[t]!,
        evidence: { significant: tier === "significant", tier, expected: exp, log10_p: ties.log10P[t]! },
      };
    },
  };
}
