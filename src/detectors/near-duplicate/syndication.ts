/**
 * Syndication: news outlets' feeds post the same wire headline word for word, each with a link to its own site. The
 * text is the same and co-share ties the feeds (the campaign step then sets them aside as syndication feeds, openly
 * one source each), but an account finding would call every feed a copypasta poster, "strong" after ten headlines.
 * A copy is syndicated when it links the site its account links almost only (its own site, as the campaign step
 * reads a feed: 80% or more of its five or more posts with links) and the cluster holds such copies of two or more
 * different sites. A unit pasting its message with one campaign site's link is one site, not syndication.
 */
import type { CaseStore } from "../../store/case.js";
import { notOpenShortenerSql } from "../../store/shares.js";
import { writeTempInts } from "../../store/temp-table.js";
import { postRows } from "./read.js";

/** A feed: an account whose posts with a link go to one site at least this often, of at least this many. */
const SITE_SHARE = 0.8;
const SITE_LINKS = 5;

/**
 * For copies (dense post ids, with their rows in `posts`): the ones that link their account's own site, with the
 * site. Reposts do not count towards an account's site: their links are their originals'.
 */
export async function ownSiteLinks(
  store: CaseStore,
  copies: readonly number[],
  row: Int32Array,
): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (copies.length === 0) return out;
  await writeTempInts(store, "chorus_nd_copies", ["idx", "r"], postRows(copies, row));
  try {
    const rows = await store.all<{ idx: number; site: string }>(
      `WITH c AS (SELECT w.idx, p.platform, p.account_id, p.post_id
                    FROM chorus_nd_copies w JOIN posts p ON p.rowid = w.r),
            acc AS (SELECT DISTINCT platform, account_id FROM c),
            links AS (SELECT p.platform, p.account_id, o.value AS site, count(DISTINCT p.post_id) AS n
                        FROM acc JOIN posts p USING (platform, account_id)
                        JOIN objects o ON o.platform = p.platform AND o.post_id = p.post_id
                       WHERE o.kind = 'domain' AND p.kind <> 'repost' AND ${notOpenShortenerSql("o")}
                       GROUP BY ALL),
            sites AS (SELECT platform, account_id, site FROM (
                        SELECT *, sum(n) OVER w AS total, row_number() OVER (w ORDER BY n DESC, site) AS k
                          FROM links WINDOW w AS (PARTITION BY platform, account_id))
                       WHERE k = 1 AND total >= ${SITE_LINKS} AND n >= ${SITE_SHARE} * total)
       SELECT c.idx, s.site FROM c JOIN sites s USING (platform, account_id)
        WHERE EXISTS (SELECT 1 FROM objects o WHERE o.platform = c.platform AND o.post_id = c.post_id
                        AND o.kind = 'domain' AND o.value = s.site)
        ORDER BY c.idx`,
    );
    for (const r of rows) out.set(r.idx, r.site);
  } finally {
    await store.conn.run("DROP TABLE IF EXISTS chorus_nd_copies");
  }
  return out;
}

/**
 * The copies that are syndicated: each links its own account's site (`site`), in a cluster where such copies name
 * two or more different sites.
 *
 * @example
 * // two feeds of different sites carry one headline; a third account pastes it with no site of its own
 * syndicatedCopies([{ cluster: 0, idx: 1 }, { cluster: 0, idx: 2 }, { cluster: 0, idx: 3 }],
 *   new Map([[1, "bbc.com"], [2, "dw.com"]])); // Set {1, 2}
 */
export function syndicatedCopies(
  copies: ReadonlyArray<{ cluster: number; idx: number }>,
  site: ReadonlyMap<number, string>,
): Set<number> {
  const sitesOf = new Map<number, Set<string>>();
  for (const { cluster, idx } of copies) {
    const s = site.get(idx);
    if (s === undefined) continue;
    let set = sitesOf.get(cluster);
    if (!set) sitesOf.set(cluster, (set = new Set()));
    set.add(s);
  }
  const out = new Set<number>();
  for (const { cluster, idx } of copies)
    if (site.has(idx) && (sitesOf.get(cluster)?.size ?? 0) >= 2) out.add(idx);
  return out;
}
