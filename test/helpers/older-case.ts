/**
 * A case file rewritten the way an older Chorus stored its ties, for the tests of migrations and of reading older
 * cases: before schema version 10 every tie held its example posts and object in its own columns (no numbers in
 * `tie_posts` and `tie_objects`); before version 9 every tie held its two account keys (no numbers in `tie_accounts`); before version
 * 8 sync's ties had their evidence as JSON in `edge_rows`; before version 7 `edges` was
 * a table with every tie's evidence as JSON, and before version 6 it had no `tier` or `fast_core` column. The ties
 * keep the evidence the view gives them now.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import {
  CO_SHARE_EVIDENCE_COLUMNS,
  EDGE_ROWS,
  edgeEvidenceSql,
  edgesViewSql,
  SYNC_EVIDENCE_COLUMNS,
  TIE_ACCOUNTS,
  TIE_EXAMPLE_REF_COLUMNS,
  TIE_OBJECTS,
  TIE_POSTS,
  TIE_REF_COLUMNS,
} from "../../src/store/edges.js";

export async function storeTiesAsVersion(conn: DuckDBConnection, version: 5 | 6 | 7 | 8 | 9): Promise<void> {
  // version 9: the ties get their examples back in their own columns, and the numbers go
  const post = (side: "a" | "b"): string =>
    `example_${side}_post_id = x.post_id, example_${side}_ts = x.ts, example_${side}_input_id = x.input_id,
     example_${side}_source_row = x.source_row`;
  for (const [set, table, ref] of [
    ["example_object = x.value", TIE_OBJECTS, "example_object_ref"],
    [post("a"), TIE_POSTS, "example_a_ref"],
    [post("b"), TIE_POSTS, "example_b_ref"],
  ] as const) {
    await conn.run(
      `UPDATE ${EDGE_ROWS} r SET ${set} FROM ${table} x WHERE x.run_id = r.run_id AND x.ref = r.${ref}`,
    );
  }
  await conn.run("DROP VIEW edges");
  for (const [column] of TIE_EXAMPLE_REF_COLUMNS)
    await conn.run(`ALTER TABLE ${EDGE_ROWS} DROP COLUMN ${column}`);
  for (const table of [TIE_POSTS, TIE_OBJECTS]) await conn.run(`DROP TABLE ${table}`);
  await conn.run(edgesViewSql({ sync: true, refs: true }));
  if (version === 9) {
    await conn.run("UPDATE meta SET value = $v WHERE key = 'schema_version'", { v: String(version) });
    return;
  }
  // version 8: the ties written by number get their keys back, and the numbers go
  await conn.run(
    `UPDATE ${EDGE_ROWS} r SET a = ka.key, b = kb.key FROM ${TIE_ACCOUNTS} ka, ${TIE_ACCOUNTS} kb
      WHERE ka.run_id = r.run_id AND ka.ref = r.a_ref AND kb.run_id = r.run_id AND kb.ref = r.b_ref`,
  );
  await conn.run("DROP VIEW edges");
  for (const [column] of TIE_REF_COLUMNS) await conn.run(`ALTER TABLE ${EDGE_ROWS} DROP COLUMN ${column}`);
  for (const column of ["a", "b"])
    await conn.run(`ALTER TABLE ${EDGE_ROWS} ALTER COLUMN ${column} SET NOT NULL`);
  await conn.run(`DROP TABLE ${TIE_ACCOUNTS}`);
  await conn.run(edgesViewSql({ sync: true }));
  if (version === 7) {
    // sync's ties written from columns get the JSON the view writes for them, and the columns go: the burst
    // columns are dropped below, and co-share's, which version 7 filled for co-share's ties only, are emptied
    const emptied = CO_SHARE_EVIDENCE_COLUMNS.map(([name]) => `${name} = NULL`).join(", ");
    await conn.run(
      `UPDATE ${EDGE_ROWS} r SET evidence = (${edgeEvidenceSql("r", { sync: true })}), ${emptied}
        WHERE r.evidence IS NULL AND r.share_pairs IS NULL`,
    );
    await conn.run("DROP VIEW edges");
    for (const [name] of SYNC_EVIDENCE_COLUMNS)
      await conn.run(`ALTER TABLE ${EDGE_ROWS} DROP COLUMN ${name}`);
    await conn.run(edgesViewSql({ sync: false }));
  } else if (version < 7) {
    await conn.run("CREATE TABLE edges_before_v7 AS SELECT * FROM edges");
    await conn.run("DROP VIEW edges");
    await conn.run("DROP TABLE edge_rows");
    await conn.run("ALTER TABLE edges_before_v7 RENAME TO edges");
  }
  if (version === 5) {
    await conn.run("ALTER TABLE edges DROP COLUMN tier");
    await conn.run("ALTER TABLE edges DROP COLUMN fast_core");
  }
  await conn.run("UPDATE meta SET value = $v WHERE key = 'schema_version'", { v: String(version) });
}
