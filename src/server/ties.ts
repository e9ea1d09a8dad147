/**
 * Ties read for the API: the ties inside a campaign (its graph), an account's strongest ties, and everything
 * between two accounts. For a co-share tie the evidence is every pair of their posts on a shared object that fell
 * within the window, read back from the posts themselves (the detector keeps one example pair per tie); for ties
 * of other kinds (sync bursts, fast reposts, ...) the example pair the evidence holds, and for ties of timing
 * alone (rhythm) a description in words.
 */
import { describeTie, examplePair } from "../campaign/examples.js";
import { parseAccountKey } from "../store/account-keys.js";
import { tiesWithinSql } from "../store/edges.js";
import type { Analysis, CaseView } from "./case-view.js";
import { isObjectLayer } from "../campaign/layers.js";
import { notOpenShortenerSql } from "../store/shares.js";

/** Layers whose object values are post ids, meaningful within one platform only. */
const PLATFORM_SCOPED = new Set(["repost", "reply", "quote"]);

interface EdgeRow {
  layer: string;
  a: string;
  b: string;
  weight: number;
  n_objects: number;
  lift: number | null;
  p_value: number | null;
  tier: string;
  evidence: string | null;
}

export interface TiePost {
  post_id: string;
  ts: string;
  input_id: number;
  input_path: string | null;
  source_row: number;
  text: string | null;
}

export interface TiePair {
  layer: string;
  object: string;
  a: TiePost;
  b: TiePost;
  gap_seconds: number;
  first: "a" | "b" | "same time";
  /** "posts": read from the posts on the shared object; "example": the pair the detector kept as evidence. */
  source: "posts" | "example";
}

const MAX_TEXT = 2000;
/** A temporary table: the two accounts' posts with their shared objects (requests run one at a time). */
const TIE_SHARES = "serve_tie_shares";

/** Ties inside a set of accounts that bind campaigns (significant or candidate), heaviest first. */
export async function tiesAmong(view: CaseView, runId: number, keys: string[]): Promise<EdgeRow[]> {
  const ties = await view.ties();
  const among = tiesWithinSql(
    ties,
    "m",
    `e.layer, ma.k AS a, mb.k AS b, e.weight, e.n_objects::DOUBLE AS n_objects, e.lift, e.p_value, e.tier,
     NULL AS evidence`,
    ties.binding("e"),
  );
  return view.store.all<EdgeRow>(
    `WITH m AS (SELECT DISTINCT unnest($keys::JSON::VARCHAR[]) AS k)
     SELECT * FROM (${among}) ORDER BY weight DESC, a, b, layer`,
    { run: runId, keys: JSON.stringify(keys) },
  );
}

/** An account's ties grouped by partner, strongest first (total weight over layers). */
export async function accountTies(
  view: CaseView,
  runId: number,
  key: string,
  limit: number,
): Promise<{ total: number; ties: Array<Record<string, unknown>> }> {
  const rows = await view.store.all<Record<string, unknown>>(
    // the account's edges first, with only the columns needed and one equality test per side (a < b, so the two
    // halves never overlap): a few tenths of a second on a case of 1.5M ties, where one scan testing a OR b took
    // seconds
    `WITH e AS (SELECT a, b, layer, weight, p_value, tier FROM edges WHERE run_id = $run AND a = $key
                UNION ALL
                SELECT a, b, layer, weight, p_value, tier FROM edges WHERE run_id = $run AND b = $key),
          g AS (SELECT CASE WHEN a = $key THEN b ELSE a END AS partner, sum(weight) AS weight,
                       list(layer ORDER BY layer) AS layers, min(p_value) AS min_p_value,
                       bool_or(tier IN ('significant', 'candidate')) AS binding,
                       count(*) OVER ()::INTEGER AS total
                  FROM e
                 GROUP BY partner ORDER BY weight DESC, partner LIMIT $limit)
     -- each partner by its handle too, as every other list names accounts (a key, twitter:p2, says nothing)
     SELECT g.*, (SELECT min(x.handle) FROM accounts x
                   WHERE x.platform || ':' || x.account_id = g.partner AND x.handle IS NOT NULL) AS handle
       FROM g ORDER BY weight DESC, partner`,
    // the total rides on each row: one row at least is read for it, none kept when none was asked for
    { run: runId, key, limit: Math.max(1, limit) },
  );
  const total = Number(rows[0]?.["total"] ?? 0);
  return { total, ties: rows.slice(0, limit).map(({ total: _t, ...r }) => r) };
}

async function coSharePairs(
  view: CaseView,
  layer: string,
  a: string,
  b: string,
  windowSec: number,
  cap: number,
): Promise<{ total: number; objects: number; pairs: TiePair[] }> {
  const pa = parseAccountKey(a);
  const pb = parseAccountKey(b);
  const params = {
    layer,
    pa: pa.platform,
    ia: pa.accountId,
    pb: pb.platform,
    ib: pb.accountId,
    w: windowSec * 1000,
  };
  const from = `
    WITH s AS (SELECT value, platform, account_id, post_id, t, input_id, source_row, text
                 FROM ${TIE_SHARES} WHERE kind = $layer),
         sa AS (SELECT * FROM s WHERE platform = $pa AND account_id = $ia),
         sb AS (SELECT * FROM s WHERE platform = $pb AND account_id = $ib),
         j AS (SELECT sa.value, sa.post_id AS a_post, sa.t AS a_t, sa.input_id AS a_input, sa.source_row AS a_row,
                      sa.text AS a_text, sb.post_id AS b_post, sb.t AS b_t, sb.input_id AS b_input,
                      sb.source_row AS b_row, sb.text AS b_text
                 FROM sa JOIN sb ON sa.value = sb.value ${PLATFORM_SCOPED.has(layer) ? "AND sa.platform = sb.platform" : ""}
                  AND abs(sa.t - sb.t) <= $w)`;
  const [count] = await view.store.all<{ n: number; objects: number }>(
    `${from} SELECT count(*)::DOUBLE AS n, count(DISTINCT value)::DOUBLE AS objects FROM j`,
    params,
  );
  // the object last: two posts that share two hashtags are two pairs, in the same order every time
  const rows = await view.store.all<{
    value: string;
    a_post: string;
    a_t: number;
    a_input: number;
    a_row: number;
    a_text: string | null;
    b_post: string;
    b_t: number;
    b_input: number;
    b_row: number;
    b_text: string | null;
  }>(
    `${from} SELECT * FROM j ORDER BY least(a_t, b_t), greatest(a_t, b_t), a_post, b_post, value LIMIT $cap`,
    {
      ...params,
      cap,
    },
  );
  const paths = await view.inputPaths();
  const pairs = rows.map((r): TiePair => ({
    layer,
    object: r.value,
    a: {
      post_id: r.a_post,
      ts: new Date(r.a_t).toISOString(),
      input_id: r.a_input,
      input_path: paths.get(r.a_input) ?? null,
      source_row: r.a_row,
      text: r.a_text,
    },
    b: {
      post_id: r.b_post,
      ts: new Date(r.b_t).toISOString(),
      input_id: r.b_input,
      input_path: paths.get(r.b_input) ?? null,
      source_row: r.b_row,
      text: r.b_text,
    },
    gap_seconds: Math.abs(r.a_t - r.b_t) / 1000,
    first: r.a_t < r.b_t ? "a" : r.b_t < r.a_t ? "b" : "same time",
    source: "posts",
  }));
  return { total: count?.n ?? 0, objects: count?.objects ?? 0, pairs };
}

/** The two accounts' posts with their shared objects, read once per tie for all its co-share layers. */
async function loadTieShares(view: CaseView, a: string, b: string): Promise<void> {
  const pa = parseAccountKey(a);
  const pb = parseAccountKey(b);
  await view.store.conn.run(
    `CREATE OR REPLACE TEMP TABLE ${TIE_SHARES} AS
     WITH mine AS MATERIALIZED (
            SELECT platform, account_id, post_id, epoch_ms(ts)::DOUBLE AS t, input_id,
                   source_row::DOUBLE AS source_row, left(text, ${MAX_TEXT}) AS text, kind = 'repost' AS repost
              FROM posts WHERE (platform = $pa AND account_id = $ia) OR (platform = $pb AND account_id = $ib))
     -- the two accounts' posts first, then their objects: a semi-join, not a join over every object; as co-share
     -- counts them (detectors/co-share/load.ts): a repost's copied links, hashtags and mentions are not shares of
     -- their own, and each post is a share of its own repost object, so that its author meets its reposters
     SELECT DISTINCT o.kind, o.value, m.* EXCLUDE (repost)
       FROM shared_objects o JOIN mine m ON m.platform = o.platform AND m.post_id = o.post_id
      WHERE (o.platform, o.post_id) IN (SELECT (platform, post_id) FROM mine) AND (o.kind = 'repost' OR NOT m.repost)
        AND ${notOpenShortenerSql("o")}
     UNION
     SELECT 'repost' AS kind, m.post_id AS value, m.* EXCLUDE (repost) FROM mine m`,
    { pa: pa.platform, ia: pa.accountId, pb: pb.platform, ib: pb.accountId },
  );
}

/** Post texts by (platform, post id), for the example pairs of non-co-share ties. */
async function postTexts(
  view: CaseView,
  platform: string,
  ids: string[],
): Promise<Map<string, string | null>> {
  if (ids.length === 0) return new Map();
  const rows = await view.store.all<{ post_id: string; text: string | null }>(
    `SELECT post_id, left(text, ${MAX_TEXT}) AS text FROM posts
      WHERE platform = $platform AND post_id IN (SELECT unnest($ids::JSON::VARCHAR[]))`,
    { platform, ids: JSON.stringify(ids) },
  );
  return new Map(rows.map((r) => [r.post_id, r.text]));
}

function windowOf(evidence: Record<string, unknown>, analysis: Analysis): number {
  const own = evidence["window_seconds"];
  if (typeof own === "number" && own > 0) return own;
  const coShare = analysis.doc.detectors.find((d) => d.id === "co-share");
  const w = Number(coShare?.details["window_seconds"]);
  return Number.isFinite(w) && w > 0 ? w : 60;
}

/** Everything that ties two accounts (a < b), with the post pairs in time order, capped at `cap` pairs. */
export async function tieDetail(view: CaseView, analysis: Analysis, a: string, b: string, cap: number) {
  const edges = await view.store.all<EdgeRow>(
    `SELECT layer, a, b, weight, n_objects::DOUBLE AS n_objects, lift, p_value, tier,
            evidence::VARCHAR AS evidence
       FROM edges WHERE run_id = $run AND a = $a AND b = $b ORDER BY weight DESC, layer`,
    { run: analysis.run.id, a, b },
  );
  const paths = await view.inputPaths();
  if (edges.some((e) => isObjectLayer(e.layer))) await loadTieShares(view, a, b);
  const ties: Array<Record<string, unknown>> = [];
  const pairs: TiePair[] = [];
  let total = 0;
  for (const e of edges) {
    // edges are stored with a < b; the example's a and b follow the edge's
    const evidence = e.evidence ? (JSON.parse(e.evidence) as Record<string, unknown>) : {};
    const { evidence: _raw, ...tie } = e;
    if (isObjectLayer(e.layer)) {
      const windowSec = windowOf(evidence, analysis);
      const got = await coSharePairs(view, e.layer, a, b, windowSec, Math.max(0, cap - pairs.length));
      pairs.push(...got.pairs);
      total += got.total;
      ties.push({
        ...tie,
        window_seconds: windowSec,
        objects_in_window: got.objects,
        pairs: got.total,
        description: describeTie(e.layer, evidence),
      });
      continue;
    }
    const ex = examplePair(e.layer, evidence);
    ties.push({ ...tie, pairs: ex ? 1 : 0, description: describeTie(e.layer, evidence) });
    if (!ex) continue;
    total += 1;
    if (pairs.length >= cap) continue;
    const texts = new Map([
      ...(await postTexts(view, parseAccountKey(a).platform, [ex.a.post_id])),
      ...(await postTexts(view, parseAccountKey(b).platform, [ex.b.post_id])),
    ]);
    const post = (p: typeof ex.a): TiePost => ({
      ...p,
      input_path: paths.get(p.input_id) ?? null,
      text: texts.get(p.post_id) ?? null,
    });
    const ta = Date.parse(ex.a.ts);
    const tb = Date.parse(ex.b.ts);
    pairs.push({
      layer: e.layer,
      object: ex.object,
      a: post(ex.a),
      b: post(ex.b),
      gap_seconds: ex.gap_seconds,
      first: ta < tb ? "a" : tb < ta ? "b" : "same time",
      source: "example",
    });
  }
  await view.store.conn.run(`DROP TABLE IF EXISTS ${TIE_SHARES}`);
  const at = (p: TiePair): number => Math.min(Date.parse(p.a.ts), Date.parse(p.b.ts));
  pairs.sort((x, y) => at(x) - at(y) || (x.layer < y.layer ? -1 : x.layer > y.layer ? 1 : 0));
  return { ties, pairs, total };
}
