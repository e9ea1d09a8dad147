/**
 * How ties are stored (schema version 7). Readers see `edges`, a view whose `evidence` is the tie's JSON evidence;
 * the rows live in `edge_rows`. Most detectors store their evidence as JSON there. Co-share's ties, which number in
 * the tens of millions on large cases, store theirs as columns (the counts behind the chance test and the example
 * post pair), and the view writes the JSON from them when it is read: writing 490 bytes of JSON per tie was the
 * largest cost of saving an analysis, and most of the case file, while only the ties a report or a person looks at
 * are ever read as JSON. Sync's ties (millions too) do the same since version 8: their expectation, the shared
 * bursts and the example post pair are columns. Since version 9 the ties that a detector writes by the million name
 * their two accounts by number (`a_ref`, `b_ref`, leaving `a` and `b` NULL), each number standing for an account key
 * in `tie_accounts` under the tie's run (bench/tie-accounts.ts: the two keys as text were a tenth of the time of
 * writing a tie with its example, and 0.3 of one without); the view gives every tie its keys in `a` and `b`.
 *
 * Since version 10 those ties name their example posts and object by number as well (`example_a_ref`,
 * `example_b_ref`, `example_object_ref`), each number a row of `tie_posts` or `tie_objects` under the tie's run: at
 * 10M posts co-share's 14.7M ties name about 1.2M distinct posts, and their ids, times and objects as text in every
 * tie were half the time of writing them (the engine analyses each string column it writes to compress it).
 *
 * A query that joins ties against a list of its own and reads their evidence should join `edge_rows` and write the
 * evidence with `edgeEvidenceSql`, so that only the matching rows are written (a view's columns are computed before
 * the join), with the examples of those rows: looked up for a few rows (`edgeRowsById` with `examples`, or
 * `tieExampleStructsSql` in the select list), joined for every tie of a run (`tieExampleJoinsSql` after the row).
 * It must find the ties in both forms (`tieSource`: `keys`, `refs`; `tiesWithinSql`).
 */
import type { CaseStore } from "./case.js";
import { isoFromEpochMsSql, isoMsSql } from "./sql-time.js";

/** The table that holds the ties; `edges` is the view over it. */
export const EDGE_ROWS = "edge_rows";

/** The account keys that ties name by number (version 9): `(run_id, ref, key)`, one row per account of a run. */
export const TIE_ACCOUNTS = "tie_accounts";

/** The columns of `edge_rows` that name a tie's accounts by number (version 9), in table order after sync's. */
export const TIE_REF_COLUMNS = [
  ["a_ref", "INTEGER"],
  ["b_ref", "INTEGER"],
] as const;

/**
 * The example posts that ties name by number (version 10): `(run_id, ref, post_id, ts, input_id, source_row)`, one
 * row per post of a run's examples.
 */
export const TIE_POSTS = "tie_posts";

/** The example objects that ties name by number (version 10): `(run_id, ref, value)`. */
export const TIE_OBJECTS = "tie_objects";

/** The columns of `edge_rows` that name a tie's example by number (version 10), in table order after `b_ref`. */
export const TIE_EXAMPLE_REF_COLUMNS = [
  ["example_object_ref", "BIGINT"],
  ["example_a_ref", "BIGINT"],
  ["example_b_ref", "BIGINT"],
] as const;

/**
 * The number a run's next tie example (a row of `table`, TIE_POSTS or TIE_OBJECTS) starts from: one past the run's
 * last, whether a row of the table or a number a tie names (a tie may name a post that its detector found no row
 * for), so that the detectors of one run (co-share's, then sync's) never share a number. A detector numbers its
 * examples as this base plus a number of its own (a post's or an object's dense id), leaving gaps between them.
 */
export async function nextExampleRef(store: CaseStore, table: string, runId: number): Promise<bigint> {
  const named =
    table === TIE_OBJECTS
      ? "example_object_ref"
      : "greatest(coalesce(example_a_ref, -1), coalesce(example_b_ref, -1))";
  const next = await store.scalar<bigint>(
    `SELECT greatest((SELECT coalesce(max(ref), -1) FROM ${table} WHERE run_id = $run),
                     (SELECT coalesce(max(${named}), -1) FROM ${EDGE_ROWS} WHERE run_id = $run))::BIGINT + 1`,
    { run: runId },
  );
  return next ?? 0n;
}

/** SQL: a JSON number written as JavaScript's JSON.stringify writes it (5, not 5.0; null for NaN and infinities). */
export function jsonNumber(x: string): string {
  return `CASE WHEN NOT isfinite((${x})::DOUBLE) THEN 'null'::JSON
               WHEN (${x}) = trunc(${x}) AND abs(${x}) < 9e15 THEN to_json((${x})::BIGINT)
               ELSE to_json((${x})::DOUBLE) END`;
}

/**
 * The columns that hold a co-share tie's evidence (NULL for the ties of other detectors, which keep their JSON in
 * `evidence`), in table order after those of version 6.
 */
export const CO_SHARE_EVIDENCE_COLUMNS = [
  ["share_pairs", "DOUBLE"],
  ["expected", "DOUBLE"],
  ["log10_p", "DOUBLE"],
  ["window_seconds", "DOUBLE"],
  ["example_object", "VARCHAR"],
  ["example_a_post_id", "VARCHAR"],
  ["example_a_ts", "TIMESTAMPTZ"],
  ["example_a_input_id", "INTEGER"],
  ["example_a_source_row", "BIGINT"],
  ["example_b_post_id", "VARCHAR"],
  ["example_b_ts", "TIMESTAMPTZ"],
  ["example_b_input_id", "INTEGER"],
  ["example_b_source_row", "BIGINT"],
] as const;

/**
 * The columns that hold a sync tie's shared bursts (version 8): their starts and ends in epoch seconds, in the order
 * the evidence lists them. A sync tie written from columns also fills `expected` and `log10_p` of
 * `CO_SHARE_EVIDENCE_COLUMNS` and its example posts (by number since version 10, `TIE_EXAMPLE_REF_COLUMNS`; in the
 * example columns of `CO_SHARE_EVIDENCE_COLUMNS` before), and leaves `evidence` NULL.
 */
export const SYNC_EVIDENCE_COLUMNS = [
  ["burst_starts", "DOUBLE[]"],
  ["burst_ends", "DOUBLE[]"],
] as const;

/** SQL expressions of a tie's example: the object's value, and each post's fields. */
interface ExampleFields {
  object: string;
  post: (side: "a" | "b") => { post_id: string; ts: string; input_id: string; source_row: string };
}

/**
 * The example of an `edge_rows` row `r`: its own columns, or (version 10) the rows they name, `r_xa`, `r_xb` and
 * `r_xo`, whether joined (`tieExampleJoinsSql`) or looked up as structs (`tieExampleStructsSql`).
 */
function exampleFields(r: string, columns: EvidenceColumns): ExampleFields {
  const either = (own: string, named: string): string =>
    columns.examples ? `coalesce(${r}.${own}, ${r}_x${named})` : `${r}.${own}`;
  return {
    object: either("example_object", "o.value"),
    post: (side) => ({
      post_id: either(`example_${side}_post_id`, `${side}.post_id`),
      ts: either(`example_${side}_ts`, `${side}.ts`),
      input_id: either(`example_${side}_input_id`, `${side}.input_id`),
      source_row: either(`example_${side}_source_row`, `${side}.source_row`),
    }),
  };
}

/**
 * SQL: the joins that a query reading the evidence of an `edge_rows` row `r` (`edgeEvidenceSql`) writes after the
 * row in its FROM clause: the example post pair and object that ties of version 10 name by number. Nothing for a
 * case without them.
 */
export function tieExampleJoinsSql(r: string, columns: EvidenceColumns = CURRENT_COLUMNS): string {
  if (!columns.examples) return "";
  return `LEFT JOIN ${TIE_POSTS} ${r}_xa ON ${r}_xa.run_id = ${r}.run_id AND ${r}_xa.ref = ${r}.example_a_ref
       LEFT JOIN ${TIE_POSTS} ${r}_xb ON ${r}_xb.run_id = ${r}.run_id AND ${r}_xb.ref = ${r}.example_b_ref
       LEFT JOIN ${TIE_OBJECTS} ${r}_xo ON ${r}_xo.run_id = ${r}.run_id AND ${r}_xo.ref = ${r}.example_object_ref`;
}

/** SQL: one side of the example post pair of an `edge_rows` row `r`. */
function examplePost(x: ExampleFields, side: "a" | "b"): string {
  const p = x.post(side);
  return `json_object('post_id', ${p.post_id}, 'ts', ${isoMsSql(p.ts)},
            'input_id', ${p.input_id}, 'source_row', ${p.source_row})`;
}

/**
 * SQL: the JSON evidence a sync tie's columns stand for (the form src/detectors/sync/ties.ts wrote as JSON before
 * version 8, and the same text): the chance test, and when the pair shared bursts, the first few and the example
 * post pair of the first (a post that is not in the case is null).
 */
function syncEvidenceSql(r: string, x: ExampleFields): string {
  const head = `'significant', ${r}.tier = 'significant', 'tier', ${r}.tier,
    'expected', ${jsonNumber(`${r}.expected`)}, 'log10_p', ${jsonNumber(`${r}.log10_p`)}`;
  const post = (side: "a" | "b"): string =>
    `CASE WHEN ${x.post(side).post_id} IS NULL THEN 'null'::JSON ELSE ${examplePost(x, side)} END`;
  const burst = (i: string): string =>
    `json_object('start', ${isoFromEpochMsSql(`${r}.burst_starts[${i}] * 1000`)},
                 'end', ${isoFromEpochMsSql(`${r}.burst_ends[${i}] * 1000`)})::VARCHAR`;
  const bursts = `('[' || array_to_string(list_transform(range(1, len(${r}.burst_starts) + 1), i -> ${burst("i")}), ',')
                    || ']')::JSON`;
  return `CASE WHEN ${r}.burst_starts IS NULL THEN json_object(${head})
               ELSE json_object(${head}, 'shared_bursts', ${bursts},
                      'example', json_object('burst_start', ${isoFromEpochMsSql(`${r}.burst_starts[1] * 1000`)},
                                             'a', ${post("a")}, 'b', ${post("b")})) END`;
}

/** Which forms of stored evidence a case's `edge_rows` has columns for. */
export interface EvidenceColumns {
  /** Sync ties' columns (version 8); without them, every tie but co-share's has its JSON in `evidence`. */
  sync: boolean;
  /** Ties may name their accounts by number (version 9: `a_ref`, `b_ref` and `tie_accounts`). */
  refs?: boolean;
  /**
   * Ties may name their example posts and object by number (version 10: `example_a_ref`, `example_b_ref`,
   * `example_object_ref`, `tie_posts`, `tie_objects`); only ties that name their accounts by number do.
   */
  examples?: boolean;
}

/** The columns of a case of the current schema. */
const CURRENT_COLUMNS: EvidenceColumns = { sync: true, refs: true, examples: true };

/**
 * SQL: the JSON evidence of an `edge_rows` row `r`: its own `evidence`, or for a co-share tie the JSON its columns
 * stand for (the form src/detectors/co-share/evidence.ts documents; the same text that co-share wrote before
 * version 7), or for a sync tie written from columns (version 8, `evidence` NULL) the JSON they stand for.
 * `columns` says which a case has (all, unless it was opened read-only before migrating).
 */
export function edgeEvidenceSql(r: string, columns: EvidenceColumns = CURRENT_COLUMNS): string {
  const x = exampleFields(r, columns);
  const [ta, tb] = [x.post("a").ts, x.post("b").ts];
  const head = `'significant', ${r}.tier = 'significant', 'tier', ${r}.tier,
    'share_pairs', ${jsonNumber(`${r}.share_pairs`)}, 'expected', ${jsonNumber(`${r}.expected`)},
    'log10_p', ${jsonNumber(`${r}.log10_p`)}, 'window_seconds', ${jsonNumber(`${r}.window_seconds`)},
    'fast_core', ${r}.fast_core`;
  const gapMs = `abs(epoch_ms(${ta}) - epoch_ms(${tb}))::DOUBLE`;
  const example = `json_object('object', ${x.object}, 'a', ${examplePost(x, "a")}, 'b', ${examplePost(x, "b")},
    'gap_seconds', ${jsonNumber(`${gapMs} / 1000`)},
    'first', CASE WHEN ${ta} < ${tb} THEN 'a' WHEN ${tb} < ${ta} THEN 'b' ELSE 'same time' END,
    'within_window_seconds', ${jsonNumber(`${r}.window_seconds`)})`;
  const sync = columns.sync
    ? `WHEN ${r}.share_pairs IS NULL AND ${r}.evidence IS NULL AND ${r}.layer = 'sync' THEN ${syncEvidenceSql(r, x)}`
    : "";
  return `CASE ${sync}
               WHEN ${r}.share_pairs IS NULL THEN ${r}.evidence
               WHEN ${x.object} IS NULL THEN json_object(${head})
               ELSE json_object(${head}, 'example', ${example}) END`;
}

/** Row ids per query of `edgeRowsById`. */
const ROW_ID_BATCH = 2048;

/**
 * Rows of `edge_rows` by their row ids, in the order of `rowIds`, each with `o`, its position in that list, and the
 * columns `select` names (SQL over the row `e`, e.g. `edgeEvidenceSql("e")`; with `examples`, for a case that has
 * them, each row also holds the example posts and object it names by number, as `edgeEvidenceSql` reads them).
 * For readers that found their ties by the keys first: a join that names the evidence columns reads them for every
 * tie of the table before it matches any (at 10M posts, 62M ties), while a list of row ids goes into the scan, which
 * then reads only the vectors that hold them. The ids are asked for in batches in the order of the table, each
 * bounded by its first and last, so that each batch reads one stretch of it and no stretch is read twice (a
 * campaign's ties in the report's order lie all over the table). The ids must come from `rowid` in the same transaction (nothing deleted in between).
 */
export async function edgeRowsById<T>(
  store: CaseStore,
  rowIds: ReadonlyArray<bigint | number>,
  select: string,
  examples = false,
): Promise<Array<T & { o: number }>> {
  const ids = rowIds.map((r) => BigInt(r));
  const order = Array.from(ids.keys()).sort((x, y) =>
    ids[x]! < ids[y]! ? -1 : ids[x]! > ids[y]! ? 1 : x - y,
  );
  const found: Array<(T & { o: number }) | undefined> = new Array(ids.length);
  for (let from = 0; from < order.length; from += ROW_ID_BATCH) {
    const batch = order.slice(from, from + ROW_ID_BATCH);
    // the bounds let the scan skip the row groups outside them (the list alone did not: 1.2 s against 0.14 s for
    // 2,048 ids in a stretch of 5M of 62M ties)
    const lo = ids[batch[0]!]!;
    const hi = ids[batch[batch.length - 1]!]!;
    const rows = await store.all<T & { o: number }>(
      `SELECT e.o, ${select}
         FROM (SELECT w.o, e.*${examples ? `, ${tieExampleStructsSql("e")}` : ""}
                 FROM ${EDGE_ROWS} e JOIN (VALUES ${batch.map((o) => `(${o}, ${ids[o]!})`).join(", ")}) w(o, r)
                   ON e.rowid = w.r
                WHERE e.rowid BETWEEN ${lo} AND ${hi} AND e.rowid IN (${batch.map((o) => ids[o]!).join(", ")})) e`,
    );
    for (const r of rows) found[Number(r.o)] = r;
  }
  return found.filter((r): r is T & { o: number } => r !== undefined);
}

/**
 * SQL: (re)create the `edges` view, with the columns readers have known since version 6, in their order, for a case
 * whose `edge_rows` has `columns`. A case keeps the view's SQL as it was created, so a change to it (or to
 * `edgeEvidenceSql`, which queries also use directly) needs a migration that creates the view again. With account
 * references (version 9) the view is the union of the ties that hold their keys and those that name them by number,
 * so that a condition on `a` or `b` reaches each part (on the second, it selects a few rows of `tie_accounts`, and
 * the join then passes over the ties by their numbers).
 */
export function edgesViewSql(columns: EvidenceColumns): string {
  const select = (a: string, b: string, own: EvidenceColumns): string =>
    `SELECT r.run_id, r.layer, ${a} AS a, ${b} AS b, r.weight, r.n_objects, r.lift, r.p_value, r.significant,
         ${edgeEvidenceSql("r", own)} AS evidence, r.tier, r.fast_core`;
  if (!columns.refs)
    return `CREATE OR REPLACE VIEW edges AS\n  ${select("r.a", "r.b", columns)}\n    FROM ${EDGE_ROWS} r`;
  // only ties that name their accounts by number name their examples by number (version 10)
  const keyed = `SELECT r.*, ka.key AS a_key, kb.key AS b_key${columns.examples ? `, ${tieExampleStructsSql("r")}` : ""}
    FROM ${EDGE_ROWS} r
    JOIN ${TIE_ACCOUNTS} ka ON ka.run_id = r.run_id AND ka.ref = r.a_ref
    JOIN ${TIE_ACCOUNTS} kb ON kb.run_id = r.run_id AND kb.ref = r.b_ref`;
  const numbered = `${select("r.a_key", "r.b_key", columns)}
    FROM (${keyed}) r`;
  return `CREATE OR REPLACE VIEW edges AS
  ${select("r.a", "r.b", { ...columns, examples: false })}
    FROM ${EDGE_ROWS} r WHERE r.a_ref IS NULL
  UNION ALL
  ${numbered}`;
}

/**
 * SQL: the example posts and object that an `edge_rows` row `r` names by number (version 10), as the columns
 * `r_xa`, `r_xb` and `r_xo` of a select list, each a struct with the fields of its row, which `edgeEvidenceSql("r")`
 * reads as it reads the rows of `tieExampleJoinsSql("r")`. For the `edges` view: a query that asks it for a few ties
 * looks up only their rows this way (11 ms at 10M posts), where the joins read every example of the run (50-80 ms).
 * DuckDB plans the lookups whether or not a query reads the evidence: on the 10M-post case a query of the view for
 * one tie took 20-30 ms with them against 12-24 ms without.
 */
export function tieExampleStructsSql(r: string): string {
  const post = (side: "a" | "b"): string =>
    `(SELECT {'post_id': x.post_id, 'ts': x.ts, 'input_id': x.input_id, 'source_row': x.source_row}
        FROM ${TIE_POSTS} x WHERE x.run_id = ${r}.run_id AND x.ref = ${r}.example_${side}_ref) AS ${r}_x${side}`;
  return `${post("a")}, ${post("b")},
    (SELECT {'value': x.value} FROM ${TIE_OBJECTS} x
      WHERE x.run_id = ${r}.run_id AND x.ref = ${r}.example_object_ref) AS ${r}_xo`;
}

/**
 * Gives run `runId`'s numbers to the accounts of `keys` (SQL: a relation with columns `aid` INTEGER and `key`
 * VARCHAR, the account key), adding to `tie_accounts` the keys the run has not numbered yet (numbered on from the
 * run's last, in key order), and writes the temp table `table(aid, ref)`, from which a detector writes its ties by
 * number. Called inside the run's transaction, like the writing of the ties.
 */
export async function numberTieAccounts(
  store: CaseStore,
  runId: number,
  keys: string,
  table: string,
): Promise<void> {
  await store.conn.run(
    `INSERT INTO ${TIE_ACCOUNTS} (run_id, ref, key)
     SELECT $run::INTEGER,
            ((SELECT coalesce(max(ref) + 1, 0) FROM ${TIE_ACCOUNTS} WHERE run_id = $run)
              + row_number() OVER (ORDER BY k.key) - 1)::INTEGER,
            k.key
       FROM (SELECT DISTINCT key FROM (${keys})) k
      WHERE k.key NOT IN (SELECT key FROM ${TIE_ACCOUNTS} WHERE run_id = $run)`,
    { run: runId },
  );
  await store.conn.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS
     SELECT k.aid, t.ref FROM (${keys}) k JOIN ${TIE_ACCOUNTS} t ON t.run_id = $run AND t.key = k.key`,
    { run: runId },
  );
}

/**
 * SQL: the ties of run `$run` (a parameter of the query) between two accounts of `members`, a relation (a CTE's
 * name) with the account key in column `k`: `select` over the tie `e` and the two members `ma` and `mb` (the tie's
 * accounts are `ma.k` and `mb.k`), for the ties that meet `where` (over `e`) and, when given, `pair` (over `ma`,
 * `mb`). The ties that name their accounts by number (version 9) are found by their numbers: the members' keys are
 * looked up in `tie_accounts`, never the keys of every tie of the run.
 */
export function tiesWithinSql(
  ties: TieSource,
  members: string,
  select: string,
  where: string,
  pair?: string,
): string {
  const form = (m: string, on: (side: "a" | "b") => string): string =>
    `SELECT ${select} FROM ${ties.table} e
       JOIN ${m} ma ON ${on("a")}
       JOIN ${m} mb ON ${on("b")}${pair ? ` AND ${pair}` : ""}
      WHERE e.run_id = $run AND ${where}`;
  const byKey = form(members, (side) => `m${side}.k = e.${side}`);
  if (!ties.refs) return byKey;
  const numbered = `(SELECT m.*, t.ref AS tie_ref FROM ${members} m
                       JOIN ${TIE_ACCOUNTS} t ON t.run_id = $run AND t.key = m.k)`;
  return `${byKey}\n     UNION ALL\n     ${form(numbered, (side) => `m${side}.tie_ref = e.${side}_ref`)}`;
}

/**
 * SQL: a tie's tier as its JSON evidence states it (`tier`; ties of detectors that state none are significant or
 * chance by their `significant` flag), for the columns of a row whose names start with `prefix`. Stored in the
 * `tier` column since version 6.
 */
export function evidenceTierSql(prefix = ""): string {
  return `coalesce(json_extract_string(${prefix}evidence, '$.tier'),
    CASE WHEN ${prefix}significant THEN 'significant' ELSE 'chance' END)`;
}

/** Where a query that joins ties reads them (see the top of this file). */
export interface TieSource {
  /** The table: `edge_rows`, or `edges` in a case of an older schema. */
  table: string;
  /** SQL: the JSON evidence of a row `r` of the table, read with the joins of `exampleJoins(r)` after the row. */
  evidence(r: string): string;
  /** SQL: the joins that `evidence(r)` reads, to write after the row `r` in a FROM clause (`tieExampleJoinsSql`). */
  exampleJoins(r: string): string;
  /** Whether ties may name their examples by number (version 10), for `edgeRowsById`. */
  examples: boolean;
  /** SQL condition on a row `r`: a tie that can bind campaigns (significant or candidate), not chance context. */
  binding(r: string): string;
  /** Whether ties may name their accounts by number (version 9; see the top of this file). */
  refs: boolean;
  /**
   * SQL for a row `r` of the table: joins to write after it in a FROM clause, and the expressions of its two
   * account keys over them, however the tie stores them. For readers of every tie of a run; a reader that looks for
   * the ties of a few accounts should match their numbers instead (`refs`).
   */
  keys(r: string): { joins: string; a: string; b: string };
}

/**
 * The ties' table of `store`. A case opened read-only is not migrated: one written before version 7 has its ties
 * in the table `edges`, with their JSON evidence, and before version 6 without the tier column.
 */
export async function tieSource(store: CaseStore): Promise<TieSource> {
  const columns = await store.all<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_name IN ('${EDGE_ROWS}', 'edges')
        AND column_name IN ('tier', 'burst_starts', 'a_ref', 'example_a_ref')`,
  );
  const textKeys = (r: string): { joins: string; a: string; b: string } => ({
    joins: "",
    a: `${r}.a`,
    b: `${r}.b`,
  });
  const binding = (tier: string): string => `${tier} IN ('significant', 'candidate')`;
  if (columns.some((c) => c.table_name === EDGE_ROWS)) {
    const stored = {
      sync: columns.some((c) => c.column_name === "burst_starts"),
      refs: columns.some((c) => c.column_name === "a_ref"),
      examples: columns.some((c) => c.column_name === "example_a_ref"),
    };
    return {
      table: EDGE_ROWS,
      evidence: (r) => edgeEvidenceSql(r, stored),
      exampleJoins: (r) => tieExampleJoinsSql(r, stored),
      examples: stored.examples,
      binding: (r) => binding(`${r}.tier`),
      refs: stored.refs,
      keys: stored.refs
        ? (r) => ({
            joins: `LEFT JOIN ${TIE_ACCOUNTS} ${r}_ka ON ${r}_ka.run_id = ${r}.run_id AND ${r}_ka.ref = ${r}.a_ref
                    LEFT JOIN ${TIE_ACCOUNTS} ${r}_kb ON ${r}_kb.run_id = ${r}.run_id AND ${r}_kb.ref = ${r}.b_ref`,
            a: `coalesce(${r}.a, ${r}_ka.key)`,
            b: `coalesce(${r}.b, ${r}_kb.key)`,
          })
        : textKeys,
    };
  }
  const tierColumn = columns.some((c) => c.table_name === "edges" && c.column_name === "tier");
  return {
    table: "edges",
    evidence: (r) => `${r}.evidence`,
    exampleJoins: () => "",
    examples: false,
    binding: (r) => binding(tierColumn ? `${r}.tier` : evidenceTierSql(`${r}.`)),
    refs: false,
    keys: textKeys,
  };
}
