/**
 * The whole-case graph for the explorer: the accounts and binding ties of the latest run, filtered, capped and in
 * a stable order (strongest first, ties broken by key). When more accounts are in scope than a browser can draw
 * (`groupAbove`), campaigns become single nodes (their size, confidence and label) joined by the ties between
 * their members added up, accounts in no campaign one "unclustered" node, and chosen campaigns can be expanded
 * into their members in the same response. All of it is aggregated in DuckDB over the run's binding ties, which
 * the case view keeps in a temporary table.
 *
 * @example
 * await caseGraph(view, analysis, { ties: { layer: "url" }, maxNodes: 2000, maxEdges: 10000, groupAbove: 50000, expand: [] });
 */
import { parseAccountKey } from "../store/account-keys.js";
import { members, type Analysis, type CaseView } from "./case-view.js";

/** Which ties and accounts are in scope. */
export interface GraphScope {
  /** Only ties of this layer. */
  layer?: string;
  /** Only ties that hold in the fast-core window. */
  fast?: boolean;
  /** Only accounts (both ends) on this platform. */
  platform?: string;
  /** Only accounts with at least this many binding ties (after the tie filters). */
  minTies?: number;
  /** Only members of these campaigns (numbers), when set. */
  campaigns?: Set<string>;
  /** Only accounts that posted in [from, until). */
  range?: { from: string | null; until: string | null };
}

export interface GraphOptions {
  maxNodes: number;
  maxEdges: number;
  groupAbove: number;
  /** Campaign numbers shown as their member accounts when grouped. */
  expand: string[];
}

/** The group of accounts in no campaign, when grouped. */
export const UNCLUSTERED = "-";

/** The parameters a statement names ($name), so that one set can serve several statements. */
function used(
  sql: string,
  params: Record<string, string | number | boolean>,
): Record<string, string | number | boolean> {
  return Object.fromEntries(Object.entries(params).filter(([k]) => new RegExp(`\\$${k}\\b`).test(sql)));
}

interface NodeRow {
  g: string;
  size: number;
  ties: number;
  strength: number;
  internal: number;
  campaign: string | null;
}

interface EdgeRow {
  x: string;
  y: string;
  ties: number;
  weight: number;
  layers: string[];
}

export async function caseGraph(view: CaseView, a: Analysis, scope: GraphScope, opts: GraphOptions) {
  const store = view.store;
  // accounts are numbers in these tables (ordered as their keys); keys come back only for what is returned
  const { ties: table, keys } = await view.bindingTies(a.run.id);
  // each account's first campaign in rank order
  const memberOf = new Map<string, string>();
  for (const c of a.doc.campaigns) {
    for (const m of members(c)) {
      const k = `${m.platform}:${m.id}`;
      if (!memberOf.has(k)) memberOf.set(k, String(c["id"]));
    }
  }
  const inScope = scope.campaigns
    ? a.doc.campaigns
        .filter((c) => scope.campaigns!.has(String(c["id"])))
        .flatMap((c) => members(c).map((m) => `${m.platform}:${m.id}`))
    : null;

  const params: Record<string, string | number | boolean> = {
    mk: JSON.stringify([...memberOf.keys()]),
    mc: JSON.stringify([...memberOf.values()]),
    minTies: scope.minTies ?? 0,
  };
  const tieConds: string[] = [];
  if (scope.layer !== undefined) {
    params["layer"] = scope.layer;
    tieConds.push("layer = $layer");
  }
  if (scope.fast) tieConds.push("fast");
  if (scope.platform !== undefined) {
    params["platform"] = scope.platform;
    tieConds.push(
      `a IN (SELECT id FROM ${keys} WHERE platform = $platform) AND b IN (SELECT id FROM ${keys} WHERE platform = $platform)`,
    );
  }
  const nodeConds = ["d.ties >= $minTies"];
  if (inScope) {
    params["scope"] = JSON.stringify(inScope);
    nodeConds.push(`d.k IN (SELECT unnest(from_json($scope, '["VARCHAR"]')))`);
  }
  if (scope.range && (scope.range.from !== null || scope.range.until !== null)) {
    const r: string[] = [];
    if (scope.range.from !== null) {
      params["from"] = scope.range.from;
      r.push("ts >= $from::TIMESTAMPTZ");
    }
    if (scope.range.until !== null) {
      params["until"] = scope.range.until;
      r.push("ts < $until::TIMESTAMPTZ");
    }
    nodeConds.push(
      `d.k IN (SELECT DISTINCT platform || ':' || account_id FROM posts WHERE ${r.join(" AND ")})`,
    );
  }
  const run = (sql: string, p: Record<string, string | number | boolean>) =>
    store.conn.run(sql, used(sql, p));
  // each step is materialised once: the views built on them are read several times (nodes, totals, edges)
  await run(
    `CREATE OR REPLACE TEMP TABLE serve_graph_pairs AS
     SELECT a, b, sum(weight)::DOUBLE AS weight
       FROM ${table} ${tieConds.length ? `WHERE ${tieConds.join(" AND ")}` : ""}
      GROUP BY a, b`,
    params,
  );
  await run(
    `CREATE OR REPLACE TEMP TABLE serve_graph_nodes AS
     WITH n AS (SELECT id, count(*)::INTEGER AS ties, sum(w)::DOUBLE AS strength
                  FROM (SELECT a AS id, weight AS w FROM serve_graph_pairs
                        UNION ALL SELECT b, weight FROM serve_graph_pairs)
                 GROUP BY id),
          d AS (SELECT kk.k, n.* FROM n JOIN ${keys} kk USING (id)),
          m AS (SELECT unnest(from_json($mk, '["VARCHAR"]')) AS k, unnest(from_json($mc, '["VARCHAR"]')) AS c)
     SELECT d.k, d.id, d.ties, d.strength, m.c AS campaign FROM d LEFT JOIN m USING (k)
      WHERE ${nodeConds.join(" AND ")}`,
    params,
  );
  const inScopeCount = (await store.scalar<number>("SELECT count(*)::DOUBLE FROM serve_graph_nodes")) ?? 0;
  const grouped = inScopeCount > opts.groupAbove;
  const expand = grouped ? opts.expand : [];
  // the group of each account: itself, or (grouped) its campaign unless expanded, or the unclustered group; `gi`
  // numbers the groups in the order of their names
  await run(
    `CREATE OR REPLACE TEMP TABLE serve_graph_groups AS
     SELECT *, dense_rank() OVER (ORDER BY g)::INTEGER AS gi FROM (
       SELECT k, id, ${
         grouped
           ? `CASE WHEN campaign IS NULL THEN '${UNCLUSTERED}'
                   WHEN list_contains(from_json($expand, '["VARCHAR"]'), campaign) THEN k ELSE campaign END`
           : "k"
       } AS g, ties, strength, campaign FROM serve_graph_nodes)`,
    { expand: JSON.stringify(expand) },
  );
  // ties between groups (x < y) and inside them (x = y), over the ties whose two accounts are in scope; x and y are
  // group numbers, in the order of the groups' names, so that least, greatest and ORDER BY mean the same on them
  await store.conn.run(
    `CREATE OR REPLACE TEMP TABLE serve_graph_links AS
     SELECT least(ga.gi, gb.gi) AS x, greatest(ga.gi, gb.gi) AS y, count(*)::DOUBLE AS ties,
            sum(p.weight)::DOUBLE AS weight
       FROM serve_graph_pairs p JOIN serve_graph_groups ga ON ga.id = p.a JOIN serve_graph_groups gb ON gb.id = p.b
      GROUP BY x, y`,
  );
  await run(
    `CREATE OR REPLACE TEMP TABLE serve_graph_shown AS
     WITH n AS (SELECT g, any_value(gi) AS gi, count(*)::DOUBLE AS size, sum(ties)::DOUBLE AS ties,
                       sum(strength)::DOUBLE AS strength, any_value(campaign) AS campaign
                  FROM serve_graph_groups GROUP BY g)
     SELECT n.*, coalesce(l.ties, 0)::DOUBLE AS internal FROM n LEFT JOIN serve_graph_links l ON l.x = n.gi AND l.y = n.gi
      ORDER BY n.strength DESC, n.g LIMIT $maxNodes`,
    { maxNodes: opts.maxNodes },
  );
  const nodes = await store.all<NodeRow>(
    `SELECT g, size, ties, strength, internal, campaign FROM serve_graph_shown ORDER BY strength DESC, g`,
  );
  const [totals] = await store.all<{ nodes: number; edges: number; ties: number }>(
    `SELECT (SELECT count(DISTINCT g) FROM serve_graph_groups)::DOUBLE AS nodes,
            (SELECT count(*) FROM serve_graph_links WHERE x <> y)::DOUBLE AS edges,
            (SELECT coalesce(sum(ties), 0) FROM serve_graph_links)::DOUBLE AS ties`,
  );
  const links = await store.all<Omit<EdgeRow, "layers">>(
    `SELECT sx.g AS x, sy.g AS y, l.ties, l.weight
       FROM serve_graph_links l JOIN serve_graph_shown sx ON sx.gi = l.x JOIN serve_graph_shown sy ON sy.gi = l.y
      WHERE l.x <> l.y
      ORDER BY l.weight DESC, l.x, l.y LIMIT $maxEdges`,
    { maxEdges: opts.maxEdges },
  );
  // the layers of the ties drawn: read for those pairs only (between groups they are left out)
  const layersOf = new Map<string, string[]>();
  if (!grouped && links.length > 0) {
    const sql = `WITH s AS (SELECT ka.id AS ia, kb.id AS ib, sa, sb
                  FROM (SELECT unnest(from_json($xs, '["VARCHAR"]')) AS sa, unnest(from_json($ys, '["VARCHAR"]')) AS sb)
                  JOIN ${keys} ka ON ka.k = sa JOIN ${keys} kb ON kb.k = sb)
       SELECT s.sa || '|' || s.sb AS pair, list(DISTINCT t.layer ORDER BY t.layer) AS layers
         FROM ${table} t JOIN s ON s.ia = t.a AND s.ib = t.b
        ${tieConds.length ? `WHERE ${tieConds.join(" AND ")}` : ""}
        GROUP BY pair`;
    const rows = await store.all<{ pair: string; layers: string[] }>(
      sql,
      used(sql, {
        ...params,
        xs: JSON.stringify(links.map((l) => l.x)),
        ys: JSON.stringify(links.map((l) => l.y)),
      }),
    );
    for (const r of rows) layersOf.set(r.pair, r.layers);
  }
  const edges: EdgeRow[] = links.map((l) => ({ ...l, layers: layersOf.get(`${l.x}|${l.y}`) ?? [] }));
  for (const t of ["pairs", "nodes", "groups", "links", "shown"]) {
    await store.conn.run(`DROP TABLE IF EXISTS serve_graph_${t}`);
  }

  const accountKeys = nodes.filter((n) => !grouped || isAccountGroup(n)).map((n) => n.g);
  const handles = await view.handles(accountKeys);
  const scores = new Map(a.doc.accounts.map((x) => [`${x.platform}:${x.id}`, x.score]));
  const byNumber = new Map(a.doc.campaigns.map((c) => [String(c["id"]), c]));
  return {
    grouped,
    group_above: opts.groupAbove,
    accounts_in_scope: inScopeCount,
    ties_in_scope: totals?.ties ?? 0,
    total_nodes: totals?.nodes ?? 0,
    total_edges: totals?.edges ?? 0,
    expanded: expand,
    nodes: nodes.map((n) => {
      if (!grouped || isAccountGroup(n)) {
        const { platform } = parseAccountKey(n.g);
        return {
          id: n.g,
          kind: "account" as const,
          platform,
          handle: handles.get(n.g) ?? null,
          campaign: n.campaign,
          score: scores.get(n.g) ?? 0,
          ties: n.ties,
          strength: n.strength,
        };
      }
      if (n.g === UNCLUSTERED) {
        return {
          id: n.g,
          kind: "unclustered" as const,
          size: n.size,
          internal_ties: n.internal,
          strength: n.strength,
        };
      }
      const c = byNumber.get(n.g);
      return {
        id: n.g,
        kind: "campaign" as const,
        key: a.keyOf.get(n.g) ?? null,
        size: n.size,
        members: c ? members(c).length : n.size,
        confidence: c ? Number(c["score"]) : null,
        summary: c ? String(c["summary"] ?? "").slice(0, 300) : null,
        internal_ties: n.internal,
        strength: n.strength,
      };
    }),
    edges: edges.map((e) => ({
      a: e.x,
      b: e.y,
      ties: e.ties,
      weight: e.weight,
      ...(grouped ? {} : { layers: e.layers }),
    })),
  };
}

/** In a grouped graph, a node that is one account: an expanded campaign's member. */
const isAccountGroup = (n: NodeRow): boolean => n.g !== UNCLUSTERED && n.g !== n.campaign;
