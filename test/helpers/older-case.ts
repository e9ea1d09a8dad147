/**
 * A case file rewritten the way an older Chorus stored its ties, for the tests of migrations and of reading older
 * cases: before schema version 7 `edges` was a table with every tie's evidence as JSON, and before version 6 it
 * had no `tier` or `fast_core` column. The ties keep the evidence the view gives them now.
 */
import type { DuckDBConnection } from "@duckdb/node-api";

export async function storeTiesAsVersion(conn: DuckDBConnection, version: 5 | 6): Promise<void> {
  await conn.run("CREATE TABLE edges_before_v7 AS SELECT * FROM edges");
  await conn.run("DROP VIEW edges");
  await conn.run("DROP TABLE edge_rows");
  await conn.run("ALTER TABLE edges_before_v7 RENAME TO edges");
  if (version === 5) {
    await conn.run("ALTER TABLE edges DROP COLUMN tier");
    await conn.run("ALTER TABLE edges DROP COLUMN fast_core");
  }
  await conn.run("UPDATE meta SET value = $v WHERE key = 'schema_version'", { v: String(version) });
}
