/**
 * From the case to the kernel's typed arrays: dense account, post and object ids built by DuckDB (dictionary
 * encoding), shares of one layer read column-wise. Temporary tables keep the id -> value maps so that evidence
 * can be turned back into posts, accounts and objects without holding millions of strings in JS.
 *
 * Objects come from the `shared_objects` view: the objects ingest extracted (links, hashtags, reposts, ...) and
 * those earlier detectors derived in this case (near-duplicate texts as `text` objects, from `derived_objects`).
 */
import type { ObjectKind } from "../../model/index.js";
import type { CaseStore } from "../../store/case.js";
import { readColumns } from "../../store/columns.js";

/** Layers whose values are post ids, only meaningful within one platform. */
const PLATFORM_SCOPED: ReadonlySet<ObjectKind> = new Set<ObjectKind>(["repost", "reply"]);

export interface LayerShares {
  layer: ObjectKind;
  rows: number;
  object: Int32Array;
  account: Int32Array;
  tsMs: Float64Array;
  /** Dense post id of each share. */
  post: Int32Array;
  objects: number;
}

/**
 * Build the dense ids for this run (temp tables `chorus_accounts`, `chorus_posts`; a post keeps its input file and
 * row, for the examples). Returns the account count.
 */
export async function buildDictionaries(store: CaseStore): Promise<{ accounts: number; posts: number }> {
  await store.conn.run(`CREATE OR REPLACE TEMP TABLE chorus_accounts AS
    SELECT (row_number() OVER (ORDER BY platform, account_id) - 1)::INTEGER AS aid, platform, account_id
      FROM (SELECT DISTINCT platform, account_id FROM posts)`);
  await store.conn.run(`CREATE OR REPLACE TEMP TABLE chorus_posts AS
    SELECT (row_number() OVER (ORDER BY p.platform, p.post_id) - 1)::INTEGER AS pid, p.platform, p.post_id, a.aid,
           epoch_ms(p.ts)::DOUBLE AS t, p.input_id, p.source_row, p.kind = 'repost' AS repost
      FROM posts p JOIN chorus_accounts a USING (platform, account_id)`);
  const accounts = (await store.scalar<number>("SELECT count(*)::INTEGER FROM chorus_accounts")) ?? 0;
  const posts = (await store.scalar<number>("SELECT count(*)::INTEGER FROM chorus_posts")) ?? 0;
  return { accounts, posts };
}

export async function layerCounts(store: CaseStore): Promise<Map<ObjectKind, number>> {
  const rows = await store.all<{ kind: ObjectKind; n: number }>(
    "SELECT kind, count(*)::DOUBLE AS n FROM shared_objects GROUP BY kind ORDER BY kind",
  );
  return new Map(rows.map((r) => [r.kind, r.n]));
}

/** The shares of one layer, sorted by object then time then account (temp table `chorus_objects_<layer>`). */
export async function loadLayer(store: CaseStore, layer: ObjectKind): Promise<LayerShares> {
  const key = PLATFORM_SCOPED.has(layer) ? "o.platform || chr(0) || o.value" : "o.value";
  const table = `chorus_objects_${layer}`;
  await store.conn.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS
       SELECT (row_number() OVER (ORDER BY k) - 1)::INTEGER AS oid, k, any_value(v) AS value
         FROM (SELECT ${key} AS k, o.value AS v FROM shared_objects o WHERE o.kind = $layer) GROUP BY k`,
    { layer },
  );
  // a repost carries its original's links, hashtags and mentions (where the platform copies them at all: Twitter
  // and Telegram do, Mastodon and Bluesky do not); they are the repost's, met in the repost layer, not shares of
  // their own. And the original counts as a share of its own repost object, by its author at its time, so that
  // the author and fast reposters meet there (as in CooRTweet's retweet layer).
  const named = `SELECT o.platform, o.post_id, ${key} AS k FROM shared_objects o WHERE o.kind = $layer`;
  const shares =
    layer === "repost"
      ? `${named}
         UNION ALL
         SELECT DISTINCT o.platform, o.value AS post_id, ${key} AS k FROM shared_objects o WHERE o.kind = $layer`
      : named;
  const { rows, cols } = await readColumns(
    store,
    `SELECT d.oid AS object, p.aid AS account, p.t AS ts, p.pid AS post
       FROM (${shares}) s
       JOIN chorus_posts p ON p.platform = s.platform AND p.post_id = s.post_id
       JOIN ${table} d ON d.k = s.k${layer === "repost" ? "" : "\n      WHERE NOT p.repost"}
      ORDER BY d.oid, p.t, p.aid, p.pid`,
    { object: "int32", account: "int32", ts: "float64", post: "int32" },
    { layer },
  );
  const objects = (await store.scalar<number>(`SELECT count(*)::INTEGER FROM ${table}`)) ?? 0;
  return { layer, rows, object: cols.object, account: cols.account, tsMs: cols.ts, post: cols.post, objects };
}
