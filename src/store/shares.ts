/**
 * The case's shares as numbers: dense account, post and object ids built by DuckDB, and the shares of every layer
 * in one table of numbers. The co-share detector reads each layer from it column-wise (detectors/co-share/load.ts)
 * and the campaign step its members' shares (campaign/facts.ts). The temporary tables keep the id -> value maps,
 * so that evidence can be turned back into posts, accounts and objects without holding millions of strings in JS.
 *
 * Objects come from the `shared_objects` view: the objects ingest extracted (links, hashtags, reposts, ...) and
 * those earlier detectors derived in this case (near-duplicate texts as `text` objects, from `derived_objects`).
 *
 * The temporary tables (on the store's connection, replaced by the next build):
 * - `chorus_accounts (aid, platform, account_id)`: accounts numbered in (platform, account_id) order;
 * - `chorus_posts (pid, platform, post_id, aid, t, input_id, source_row, repost)`: posts numbered in (platform,
 *   post_id) order, t in epoch milliseconds; a view whose pid is the row number of `chorus_post_rows`;
 * - `chorus_object_ids (kind, scope, value, oid)`: each layer's objects numbered in (scope, value) order, the scope
 *   being the platform for the layers of post ids (`scopeSql`);
 * - `chorus_shares (kind, oid, aid, t, pid)`: every share of the layers built, as co-share counts them.
 */
import type { ObjectKind } from "../model/index.js";
import { OPEN_SHORTENERS } from "../normalize/url.js";
import type { CaseStore } from "./case.js";

/** Layers whose values are post ids, only meaningful within one platform. */
const PLATFORM_SCOPED: ReadonlySet<ObjectKind> = new Set<ObjectKind>(["repost", "reply", "quote"]);

/** What one build of the temporary tables holds: which layers, and how many accounts and posts were numbered. */
export interface ShareTables {
  layers: readonly ObjectKind[];
  accounts: number;
  posts: number;
}

/** SQL list of layer names (they are the fixed names of OBJECT_KINDS). */
export function layerList(layers: readonly ObjectKind[]): string {
  return layers.map((l) => `'${l.replace(/'/g, "''")}'`).join(", ");
}

/**
 * The objects of the layers `names` (a SQL list) that are shares, as a condition on `o`: a domain of an open link
 * shortener (t.co, bit.ly) is none, since it names no site (the link itself still meets in the url layer).
 */
function sharedObjectsSql(names: string): string {
  return `o.kind IN (${names}) AND ${notOpenShortenerSql("o")}`;
}

/**
 * A condition on the object rows named `alias` (with `kind` and `value`) that leaves out the domains of open link
 * shorteners: what co-share counts as a share, for every other reader of objects (the app's ties and timeline,
 * the campaign facts) to count the same.
 */
export function notOpenShortenerSql(alias: string): string {
  const shorteners = [...OPEN_SHORTENERS].map((h) => `'${h.replace(/'/g, "''")}'`).join(", ");
  return `NOT (${alias}.kind = 'domain' AND ${alias}.value IN (${shorteners}))`;
}

/**
 * SQL: what tells apart a layer's objects of equal value, beside the kind and value: the platform for the layers of
 * post ids, else ''. A column of its own, not glued to the value as `platform || chr(0) || value`: that made a new
 * string for each of the 13M shares at 10M posts, and numbering the shares without it takes 0.73-0.75x the time
 * (two alternating runs, with other work on the machine). Ordered (scope, value), the objects are numbered as in
 * the glued key's order.
 */
function scopeSql(kind: string, platform: string): string {
  return `CASE WHEN ${kind} IN (${layerList([...PLATFORM_SCOPED])}) THEN ${platform} ELSE '' END`;
}

/**
 * Number the accounts, posts and objects of the case and write the shares of `layers` as numbers (the temporary
 * tables above).
 *
 * The shares: a post shares the objects it names; a repost's copied links, hashtags and mentions (where the platform
 * copies them at all: Twitter and Telegram do, Mastodon and Bluesky do not) are the repost's, met in the repost
 * layer, not shares of their own; and an original counts as a share of its own repost object, by its author at its
 * time, so that the author and fast reposters meet there (as in CooRTweet's retweet layer).
 *
 * One join of every layer's objects with the posts: a join per layer built the posts' hash table once per layer
 * (at 10M posts, about a second each), and numbering the posts by a window over them sorted the whole row where an
 * ordered copy sorts it once (10.8 s against 5 s for the accounts and posts).
 */
export async function buildShares(store: CaseStore, layers: readonly ObjectKind[]): Promise<ShareTables> {
  await store.conn.run(`CREATE OR REPLACE TEMP TABLE chorus_accounts AS
    SELECT (row_number() OVER (ORDER BY platform, account_id) - 1)::INTEGER AS aid, platform, account_id
      FROM (SELECT DISTINCT platform, account_id FROM posts)`);
  // a table made with ORDER BY keeps that order in its rows (DuckDB preserves insertion order), so a post's row
  // number is its place in (platform, post_id) order
  await store.conn.run("DROP VIEW IF EXISTS chorus_posts");
  await store.conn.run(`CREATE OR REPLACE TEMP TABLE chorus_post_rows AS
    SELECT p.platform, p.post_id, a.aid, epoch_ms(p.ts)::DOUBLE AS t, p.input_id, p.source_row,
           p.kind = 'repost' AS repost
      FROM posts p JOIN chorus_accounts a USING (platform, account_id)
     ORDER BY p.platform, p.post_id`);
  await store.conn.run(`CREATE TEMP VIEW chorus_posts AS
    SELECT rowid::INTEGER AS pid, platform, post_id, aid, t, input_id, source_row, repost FROM chorus_post_rows`);
  const names = layers.length === 0 ? "NULL" : layerList(layers);
  await store.conn.run(`CREATE OR REPLACE TEMP TABLE chorus_object_ids AS
    SELECT kind, scope, value, (row_number() OVER (PARTITION BY kind ORDER BY scope, value) - 1)::INTEGER AS oid
      FROM (SELECT DISTINCT kind, ${scopeSql("kind", "platform")} AS scope, value
              FROM shared_objects o WHERE ${sharedObjectsSql(names)})`);
  const named = `SELECT o.kind, o.platform, o.post_id, ${scopeSql("o.kind", "o.platform")} AS scope, o.value
                   FROM shared_objects o WHERE ${sharedObjectsSql(names)}`;
  const shares = layers.includes("repost")
    ? `${named}
       UNION ALL
       SELECT DISTINCT 'repost' AS kind, o.platform, o.value AS post_id, o.platform AS scope, o.value
         FROM shared_objects o WHERE o.kind = 'repost'`
    : named;
  await store.conn.run(`CREATE OR REPLACE TEMP TABLE chorus_shares AS
    SELECT s.kind, d.oid, p.aid, p.t, p.pid
      FROM (${shares}) s
      JOIN chorus_posts p ON p.platform = s.platform AND p.post_id = s.post_id
      JOIN chorus_object_ids d ON d.kind = s.kind AND d.scope = s.scope AND d.value = s.value
     WHERE s.kind = 'repost' OR NOT p.repost`);
  const accounts = (await store.scalar<number>("SELECT count(*)::INTEGER FROM chorus_accounts")) ?? 0;
  const posts = (await store.scalar<number>("SELECT count(*)::INTEGER FROM chorus_post_rows")) ?? 0;
  return { layers: [...layers], accounts, posts };
}

/** Let go of the temporary tables of `buildShares`. */
export async function dropShares(store: CaseStore): Promise<void> {
  await store.conn.run("DROP VIEW IF EXISTS chorus_posts");
  for (const t of ["chorus_shares", "chorus_object_ids", "chorus_post_rows", "chorus_accounts"]) {
    await store.conn.run(`DROP TABLE IF EXISTS ${t}`);
  }
}
