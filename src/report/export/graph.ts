/**
 * The account graph of an analysis run as plain rows, for exports (GEXF, GraphML, CSV): accounts with their
 * profile, score and campaign, and one edge per tie and layer with its weight and chance figures. By default only
 * ties that bind campaigns (significant, or candidate) are exported; `all` adds the chance-level ties kept as
 * context.
 */
import { examplePair } from "../../campaign/examples.js";
import { parseAccountKey } from "../../store/account-keys.js";
import type { CaseStore } from "../../store/case.js";
import type { FindingsDoc } from "../findings.js";
import { tieSource } from "../../store/edges.js";
import { accountProfiles, loadAnalysis, type RunInfo } from "../html/data.js";

export interface ExportNode {
  key: string;
  platform: string;
  account_id: string;
  handle: string | null;
  display_name: string | null;
  created_at: string | null;
  followers: number | null;
  score: number;
  /** The campaign the account belongs to ("" if none); the first when several. */
  campaign: string;
  role: string;
  findings: number;
}

export interface ExportEdge {
  a: string;
  b: string;
  layer: string;
  weight: number;
  n_objects: number;
  lift: number | null;
  p_value: number | null;
  significant: boolean;
  tier: string;
  example: {
    object: string;
    first_post: string;
    first_ts: string;
    second_post: string;
    second_ts: string;
    gap_seconds: number | null;
  } | null;
}

export interface ExportGraph {
  run: RunInfo;
  doc: FindingsDoc;
  nodes: ExportNode[];
  edges: ExportEdge[];
}

interface EdgeRow {
  layer: string;
  a: string;
  b: string;
  weight: number;
  n_objects: number;
  lift: number | null;
  p_value: number | null;
  significant: boolean | null;
  evidence: string | null;
}

function example(layer: string, evidence: string | null): ExportEdge["example"] {
  if (!evidence) return null;
  const ex = examplePair(layer, JSON.parse(evidence) as Record<string, unknown>);
  if (!ex) return null;
  const [x, y] = ex.first === "b" ? [ex.b, ex.a] : [ex.a, ex.b];
  return {
    object: ex.object,
    first_post: x.post_id,
    first_ts: x.ts,
    second_post: y.post_id,
    second_ts: y.ts,
    gap_seconds: ex.gap_seconds,
  };
}

export async function loadExportGraph(
  store: CaseStore,
  opts: { runId?: number; all?: boolean } = {},
): Promise<ExportGraph> {
  const { run, doc } = await loadAnalysis(store, opts.runId);
  const ties = await tieSource(store);
  const tieKeys = ties.keys("e");
  const rows = await store.all<EdgeRow>(
    `SELECT e.layer, ${tieKeys.a} AS a, ${tieKeys.b} AS b, e.weight, e.n_objects::DOUBLE AS n_objects, e.lift, e.p_value,
            e.significant, (${ties.evidence("e")})::VARCHAR AS evidence
       FROM ${ties.table} e ${tieKeys.joins} ${ties.exampleJoins("e")}
      WHERE e.run_id = $run
        ${opts.all ? "" : `AND ${ties.binding("e")}`}
      ORDER BY a, b, layer`,
    { run: run.id },
  );
  const edges: ExportEdge[] = rows.map((r) => {
    const tier = r.evidence ? ((JSON.parse(r.evidence) as { tier?: string }).tier ?? null) : null;
    return {
      a: r.a,
      b: r.b,
      layer: r.layer,
      weight: r.weight,
      n_objects: r.n_objects,
      lift: r.lift,
      p_value: r.p_value,
      significant: Boolean(r.significant),
      tier: tier ?? (r.significant ? "significant" : "chance"),
      example: example(r.layer, r.evidence),
    };
  });
  const scored = new Map(doc.accounts.map((a) => [`${a.platform}:${a.id}`, a]));
  const membership = new Map<string, { campaign: string; role: string }>();
  for (const c of doc.campaigns) {
    for (const m of c["accounts"] as Array<{ platform: string; id: string; role: string }>) {
      const k = `${m.platform}:${m.id}`;
      if (!membership.has(k)) membership.set(k, { campaign: String(c["id"]), role: m.role });
    }
  }
  const keys = new Set<string>([...membership.keys()]);
  for (const e of edges) {
    keys.add(e.a);
    keys.add(e.b);
  }
  for (const k of scored.keys()) keys.add(k);
  const sorted = [...keys].sort();
  const profiles = await accountProfiles(store, sorted, { activity: false });
  const nodes: ExportNode[] = sorted.map((key) => {
    const { platform, accountId } = parseAccountKey(key);
    const p = profiles.get(key);
    const s = scored.get(key);
    const m = membership.get(key);
    return {
      key,
      platform,
      account_id: accountId,
      handle: p?.handle ?? s?.handle ?? null,
      display_name: p?.display_name ?? null,
      created_at: p?.created_at ?? null,
      followers: p?.followers ?? null,
      score: s?.score ?? 0,
      campaign: m?.campaign ?? "",
      role: m?.role ?? "",
      findings: s?.findings.length ?? 0,
    };
  });
  return { run, doc, nodes, edges };
}

/** Characters XML 1.0 cannot carry (controls, lone surrogates, U+FFFE/U+FFFF), replaced so the file stays valid. */
export function xmlSafe(s: string): string {
  return s.replace(
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    "\uFFFD",
  );
}

/** The attributes every graph format writes for an account, in one order. */
export function nodeAttributes(n: ExportNode): Record<string, string | number | null> {
  return {
    label: n.handle ? `@${n.handle}` : n.key,
    platform: n.platform,
    account_id: n.account_id,
    handle: n.handle,
    display_name: n.display_name,
    created_at: n.created_at,
    followers: n.followers,
    score: n.score,
    campaign: n.campaign,
    role: n.role,
    findings: n.findings,
  };
}

/** The attributes every graph format writes for a tie. */
export function edgeAttributes(e: ExportEdge): Record<string, string | number | boolean | null> {
  return {
    layer: e.layer,
    weight: e.weight,
    n_objects: e.n_objects,
    lift: e.lift,
    p_value: e.p_value,
    significant: e.significant,
    tier: e.tier,
  };
}
