/**
 * What the case report shows, read from the case: the analysis run's findings document plus what it does not
 * carry (account profiles, the ties inside each campaign with their example post pairs, case totals, reject
 * reasons). Everything is capped so that a report of a large case still opens in a browser; every cap is counted
 * so the report can say what it left out.
 */
import { labelText } from "./escape.js";
import { shownHandle } from "./indicators.js";
import { loadEmailData, type EmailData } from "./email.js";
import { examplePair } from "../../campaign/examples.js";
import { parseAccountKey } from "../../store/account-keys.js";
import type { CaseStore } from "../../store/case.js";
import type { FindingsDoc } from "../findings.js";
import { EDGE_ROWS, edgeRowsById, tieSource, tiesWithinSql } from "../../store/edges.js";
import { isoSecondsSql } from "../../store/sql-time.js";

export interface ReportLimits {
  /** Account cards embedded (highest scores first). */
  accounts: number;
  /** Nodes drawn per campaign graph (strongest members first). */
  graphNodes: number;
  /** Ties drawn per campaign graph (heaviest first). */
  graphEdges: number;
  /** Evidence rows (post pairs) per campaign. */
  evidence: number;
}

export const DEFAULT_LIMITS: ReportLimits = {
  accounts: 2000,
  graphNodes: 1500,
  graphEdges: 6000,
  evidence: 300,
};

export interface PostRef {
  account: string;
  handle: string | null;
  post_id: string;
  ts: string;
  input_id: number;
  source_row: number;
}

export interface EvidenceRow {
  layer: string;
  object: string;
  /** The one who posted first, then the other. */
  first: PostRef;
  second: PostRef;
  gap_seconds: number;
  /** Co-shared objects of this tie on this layer, and its chance figures. */
  n_objects: number;
  lift: number | null;
  p_value: number | null;
}

export interface GraphNode {
  key: string;
  label: string;
  score: number;
  role: string;
  campaign: string;
}

export interface GraphEdge {
  a: string;
  b: string;
  weight: number;
  layers: string[];
}

export interface CampaignView {
  id: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Members and ties the campaign has in all (the graph may show fewer). */
  totalNodes: number;
  totalEdges: number;
  /** Example post pairs of the heaviest ties (a tie of timing alone has none), and the ties inside in all. */
  evidence: EvidenceRow[];
  totalTies: number;
  /** Ties read for their example pairs: fewer than `totalTies` when the pairs shown were found, or the scan's cap. */
  tiesScanned: number;
}

export interface AccountProfile {
  key: string;
  platform: string;
  id: string;
  handle: string | null;
  display_name: string | null;
  bio: string | null;
  created_at: string | null;
  followers: number | null;
  following: number | null;
  location: string | null;
  posts: number;
  first_post: string | null;
  last_post: string | null;
  input_id: number | null;
  source_row: number | null;
}

export interface CaseTotals {
  posts: number;
  accounts: number;
  objects: Array<{ kind: string; n: number }>;
  first_post: string | null;
  last_post: string | null;
  rejects: RejectReason[];
  rejected: number;
  /** Input file paths by input id (evidence names rows by input id). */
  inputPaths: Map<number, string>;
}

export interface RunInfo {
  id: number;
  started_at: string;
  tool_version: string;
  status: string;
}

export interface ReportData {
  doc: FindingsDoc;
  run: RunInfo;
  totals: CaseTotals;
  campaigns: CampaignView[];
  profiles: Map<string, AccountProfile>;
  /** Keys of the accounts that get a card, in the report's order. */
  cards: string[];
  limits: ReportLimits;
  /** Reported email in the case (null when it holds none). */
  email: EmailData | null;
}

export class ReportError extends Error {
  override name = "ReportError";
}

/** The findings document of a run (default: the latest analysis) as stored in the case. */
export async function loadAnalysis(
  store: CaseStore,
  runId?: number,
): Promise<{ run: RunInfo; doc: FindingsDoc }> {
  const rows = await store.all<{
    run_id: number;
    findings: string;
    started_at: string;
    tool_version: string;
    status: string;
  }>(
    `SELECT a.run_id, a.findings::VARCHAR AS findings, ${isoSecondsSql("r.started_at")} AS started_at,
            r.tool_version, r.status
       FROM analyses a JOIN runs r ON r.id = a.run_id
      ${runId === undefined ? "" : "WHERE a.run_id = $run"}
      ORDER BY a.run_id DESC LIMIT 1`,
    runId === undefined ? undefined : { run: runId },
  );
  const r = rows[0];
  if (!r) {
    throw new ReportError(
      runId === undefined
        ? `case ${store.path}: no analysis yet (run 'chorus detect --case ${store.path} -o DIR' first)`
        : `case ${store.path}: no analysis with run id ${runId}`,
    );
  }
  return {
    run: { id: r.run_id, started_at: r.started_at, tool_version: r.tool_version, status: r.status },
    doc: JSON.parse(r.findings) as FindingsDoc,
  };
}

interface EdgeRow {
  layer: string;
  a: string;
  b: string;
  weight: number;
  /** The row in `edge_rows`, by which its evidence is read when it is shown; absent when `shown` came with it. */
  r?: bigint;
  /** Its counts and JSON evidence, read with it (a case of an older schema) or only for the ties shown. */
  shown?: TieShown;
}

interface TieShown {
  n_objects: number;
  lift: number | null;
  p_value: number | null;
  evidence: string | null;
}

/**
 * Ties inside each campaign, heaviest first, in one pass over the run's edges for all campaigns (members first: a
 * run can hold tens of millions of ties). Their evidence is read later, only for those the report shows
 * (`shownEvidence`): written for every tie inside, it made the report's time grow with the campaigns' ties (8.6 s
 * for 774k ties of 5 campaigns at 10M posts, and more than ten minutes for the hundreds of campaigns of a case
 * whose fans were not yet ruled out).
 */
async function campaignEdges(
  store: CaseStore,
  runId: number,
  campaignOf: Map<string, string>,
): Promise<Map<string, EdgeRow[]>> {
  const keys = [...campaignOf.keys()];
  const ties = await tieSource(store);
  const params = {
    run: runId,
    keys: JSON.stringify(keys),
    camps: JSON.stringify(keys.map((k) => campaignOf.get(k)!)),
  };
  const members = `m AS (SELECT unnest($keys::JSON::VARCHAR[]) AS k, unnest($camps::JSON::VARCHAR[]) AS c)`;
  let rows: Array<EdgeRow & { c: string }>;
  if (ties.table !== EDGE_ROWS) {
    // a case of an older schema, opened read-only: `edges` is a table with the JSON evidence
    const read = await store.all<
      { c: string; layer: string; a: string; b: string; weight: number } & TieShown
    >(
      `WITH ${members}, inside AS (${tiesWithinSql(ties, "m", "ma.c, e.*", "true", "mb.c = ma.c")})
       SELECT c, layer, a, b, weight, n_objects::DOUBLE AS n_objects, lift, p_value,
              (${ties.evidence("inside")})::VARCHAR AS evidence
         FROM inside WHERE ${ties.binding("inside")} ORDER BY c, weight DESC, a, b, layer`,
      params,
    );
    rows = read.map(({ c, layer, a, b, weight, ...shown }) => ({ c, layer, a, b, weight, shown }));
  } else {
    // the ties inside a campaign by their keys; their evidence is read by row for those shown (edgeRowsById)
    const inCampaign = tiesWithinSql(
      ties,
      "m",
      "ma.c, e.rowid AS r, ma.k AS a, mb.k AS b, e.weight, e.layer",
      ties.binding("e"),
      "mb.c = ma.c",
    );
    rows = await store.all<EdgeRow & { c: string; r: bigint }>(
      `WITH ${members} SELECT c, r, a, b, weight, layer FROM (${inCampaign}) ORDER BY c, weight DESC, a, b, layer`,
      params,
    );
  }
  const out = new Map<string, EdgeRow[]>();
  for (const { c, ...r } of rows) {
    const list = out.get(c);
    if (list === undefined) out.set(c, [r]);
    else list.push(r);
  }
  return out;
}

/** Ties whose evidence is read at a time, heaviest first, until a campaign has the example pairs it shows. */
const EVIDENCE_BATCH = 512;
/**
 * Ties read for example pairs per campaign at most, as a multiple of the pairs shown: the heaviest ties of a campaign
 * bound by timing alone (rhythm) carry no post pair, and the report does not read a million ties to find one.
 */
const EVIDENCE_SCAN_FACTOR = 20;

/**
 * The example post pairs of a campaign's heaviest ties (`edges`, heaviest first), at most `limits.evidence`, each
 * tie's evidence read only as the walk reaches it.
 */
async function shownEvidence(
  store: CaseStore,
  edges: EdgeRow[],
  handles: Map<string, string | null>,
  limits: ReportLimits,
): Promise<{ evidence: EvidenceRow[]; scanned: number }> {
  const evidence: EvidenceRow[] = [];
  let scanned = 0;
  const scan = Math.min(edges.length, limits.evidence * EVIDENCE_SCAN_FACTOR);
  const ties = await tieSource(store);
  for (let from = 0; from < scan && evidence.length < limits.evidence; from += EVIDENCE_BATCH) {
    const batch = edges.slice(from, Math.min(scan, from + EVIDENCE_BATCH));
    scanned = from + batch.length;
    const unread = batch.filter((e) => e.shown === undefined && e.r !== undefined);
    if (unread.length > 0) {
      const read = await edgeRowsById<TieShown>(
        store,
        unread.map((e) => e.r!),
        `e.n_objects::DOUBLE AS n_objects, e.lift, e.p_value, (${ties.evidence("e")})::VARCHAR AS evidence`,
        ties.examples,
      );
      for (const { o, ...shown } of read) unread[o]!.shown = shown;
    }
    for (const e of batch) {
      if (evidence.length >= limits.evidence) break;
      if (!e.shown?.evidence) continue;
      const ex = examplePair(e.layer, JSON.parse(e.shown.evidence) as Record<string, unknown>);
      if (!ex) continue;
      const ra: PostRef = { account: e.a, handle: handles.get(e.a) ?? null, ...ex.a };
      const rb: PostRef = { account: e.b, handle: handles.get(e.b) ?? null, ...ex.b };
      const aFirst = ex.first === "a";
      evidence.push({
        layer: e.layer,
        object: ex.object,
        first: aFirst ? ra : rb,
        second: aFirst ? rb : ra,
        gap_seconds: ex.gap_seconds,
        n_objects: e.shown.n_objects,
        lift: e.shown.lift,
        p_value: e.shown.p_value,
      });
    }
  }
  return { evidence, scanned };
}

function campaignView(
  c: FindingsDoc["campaigns"][number],
  edges: EdgeRow[],
  examples: { evidence: EvidenceRow[]; scanned: number },
  limits: ReportLimits,
): CampaignView {
  const id = String(c["id"]);
  const members =
    (c["accounts"] as Array<{
      platform: string;
      id: string;
      handle: string | null;
      role: string;
      score: number;
    }>) ?? [];
  // fringe accounts have no tie to draw (fringe.ts): the graph shows the members
  const nodes: GraphNode[] = members
    .filter((m) => m.role !== "fringe")
    .slice(0, limits.graphNodes)
    .map((m) => ({
      key: `${m.platform}:${m.id}`,
      // a sender of reported email is named by its address, defanged (its id, when it has no handle)
      label: labelText(
        m.handle
          ? `@${shownHandle(`${m.platform}:${m.id}`, m.handle)}`
          : shownHandle(`${m.platform}:${m.id}`, m.id),
      ),
      score: m.score,
      role: m.role,
      campaign: id,
    }));
  const shown = new Set(nodes.map((n) => n.key));
  // one drawn edge per pair, with the layers that bind it
  const pairs = new Map<string, GraphEdge>();
  for (const e of edges) {
    if (!shown.has(e.a) || !shown.has(e.b)) continue;
    const k = e.a < e.b ? `${e.a}\u0000${e.b}` : `${e.b}\u0000${e.a}`;
    const g = pairs.get(k);
    if (g) {
      g.weight += e.weight;
      if (!g.layers.includes(e.layer)) g.layers.push(e.layer);
    } else pairs.set(k, { a: e.a, b: e.b, weight: e.weight, layers: [e.layer] });
  }
  const allPairs = [...pairs.values()].sort(
    (x, y) => y.weight - x.weight || (x.a + x.b < y.a + y.b ? -1 : 1),
  );
  return {
    id,
    nodes,
    edges: allPairs.slice(0, limits.graphEdges),
    totalNodes: members.filter((m) => m.role !== "fringe").length,
    totalEdges: allPairs.length,
    evidence: examples.evidence,
    totalTies: edges.length,
    tiesScanned: examples.scanned,
  };
}

/** A reason rows were rejected for, with how many and where the first of them are. */
export interface RejectReason {
  /** The reason, with the values it quotes blanked ('…'). */
  reason: string;
  n: number;
  /** The first rejected rows: input id and line (or record number, where the input has no lines). */
  first: Array<{ input: number; line: number }>;
}

/** A reason without the values it quotes (ingest's `shown`, JSON.parse's messages) or the place JSON.parse names. */
const reasonSql = (column: string): string =>
  `regexp_replace(regexp_replace(regexp_replace(${column}, '''[^'']*''', '''…''', 'g'),
                                 '"[^"]*"', '"…"', 'g'), 'position [0-9]+', 'position N', 'g')`;

/**
 * The commonest reasons rows were rejected for, of one input or of the whole case, each with its first `lines`
 * rows. Reasons that differ only in the values they quote count as one: 99 rows each with its own timestamp
 * without a zone are one reason, not 99.
 */
export async function commonRejects(
  store: CaseStore,
  opts: { inputId?: number; reasons: number; lines: number },
): Promise<RejectReason[]> {
  const rows = await store.all<{ reason: string; n: number; input: number; line: number }>(
    `WITH r AS (SELECT ${reasonSql("reason")} AS reason, input_id, source_row FROM rejects
                 ${opts.inputId === undefined ? "" : "WHERE input_id = $input"}),
          top AS (SELECT reason, count(*) AS n FROM r GROUP BY reason ORDER BY n DESC, reason LIMIT $reasons),
          firsts AS (SELECT reason, input_id, source_row,
                            row_number() OVER (PARTITION BY reason ORDER BY input_id, source_row) AS k
                       FROM r WHERE reason IN (SELECT reason FROM top))
     SELECT top.reason, top.n::DOUBLE AS n, f.input_id AS input, f.source_row::DOUBLE AS line
       FROM top JOIN firsts f USING (reason) WHERE f.k <= $lines
      ORDER BY n DESC, top.reason, f.k`,
    {
      reasons: opts.reasons,
      lines: opts.lines,
      ...(opts.inputId === undefined ? {} : { input: opts.inputId }),
    },
  );
  const out: RejectReason[] = [];
  for (const r of rows) {
    const last = out[out.length - 1];
    if (last?.reason === r.reason) last.first.push({ input: r.input, line: r.line });
    else out.push({ reason: r.reason, n: r.n, first: [{ input: r.input, line: r.line }] });
  }
  return out;
}

async function caseTotals(store: CaseStore): Promise<CaseTotals> {
  const [p] = await store.all<{ posts: number; accounts: number; first: string | null; last: string | null }>(
    `SELECT count(*)::DOUBLE AS posts, count(DISTINCT (platform, account_id))::DOUBLE AS accounts,
            ${isoSecondsSql("min(ts)")} AS first, ${isoSecondsSql("max(ts)")} AS last
       FROM posts`,
  );
  const objects = await store.all<{ kind: string; n: number }>(
    `SELECT kind, count(*)::DOUBLE AS n FROM objects GROUP BY kind ORDER BY n DESC, kind`,
  );
  const rejects = await commonRejects(store, { reasons: 20, lines: 5 });
  const rejected = (await store.scalar<number>(`SELECT count(*)::DOUBLE FROM rejects`)) ?? 0;
  const inputs = await store.all<{ id: number; path: string }>(`SELECT id, path FROM inputs ORDER BY id`);
  return {
    posts: p?.posts ?? 0,
    accounts: p?.accounts ?? 0,
    objects,
    first_post: p?.first ?? null,
    last_post: p?.last ?? null,
    rejects,
    rejected,
    inputPaths: new Map(inputs.map((i) => [i.id, i.path])),
  };
}

/**
 * Account profiles by key: the first profile row seen (input file and row), with posts in the case and first and
 * last post when `activity` is asked for (a join over posts; exports skip it).
 */
export async function accountProfiles(
  store: CaseStore,
  keys: string[],
  opts: { activity: boolean } = { activity: true },
): Promise<Map<string, AccountProfile>> {
  const out = new Map<string, AccountProfile>();
  if (keys.length === 0) return out;
  const activity = opts.activity
    ? `p AS (SELECT platform || ':' || account_id AS key, count(*)::DOUBLE AS posts,
                  ${isoSecondsSql("min(ts)")} AS first_post,
                  ${isoSecondsSql("max(ts)")} AS last_post
             FROM posts WHERE platform || ':' || account_id IN (SELECT key FROM k) GROUP BY 1)`
    : `p AS (SELECT NULL::VARCHAR AS key, 0::DOUBLE AS posts, NULL::VARCHAR AS first_post,
                  NULL::VARCHAR AS last_post WHERE false)`;
  const rows = await store.all<Omit<AccountProfile, "platform" | "id">>(
    `WITH k AS (SELECT unnest($keys::JSON::VARCHAR[]) AS key),
     a AS (SELECT platform || ':' || account_id AS key, arg_min(handle, source_row) AS handle,
                  arg_min(display_name, source_row) AS display_name, arg_min(bio, source_row) AS bio,
                  ${isoSecondsSql("min(created_at)")} AS created_at,
                  max(followers)::DOUBLE AS followers, max(following)::DOUBLE AS following,
                  arg_min(location, source_row) AS location,
                  arg_min(input_id, (input_id, source_row)) AS input_id,
                  min(source_row)::DOUBLE AS source_row
             FROM accounts WHERE platform || ':' || account_id IN (SELECT key FROM k) GROUP BY 1),
     ${activity}
     SELECT k.key, a.handle, a.display_name, a.bio, a.created_at, a.followers, a.following, a.location,
            a.input_id, a.source_row, coalesce(p.posts, 0) AS posts, p.first_post, p.last_post
       FROM k LEFT JOIN a USING (key) LEFT JOIN p USING (key)`,
    { keys: JSON.stringify(keys) },
  );
  for (const r of rows) {
    const { platform, accountId } = parseAccountKey(r.key);
    out.set(r.key, { ...r, platform, id: accountId });
  }
  return out;
}

/** Everything the report shows, for the given analysis run (default: the latest). */
export async function loadReportData(
  store: CaseStore,
  opts: { runId?: number; limits?: Partial<ReportLimits> } = {},
): Promise<ReportData> {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const { run, doc } = await loadAnalysis(store, opts.runId);
  const handles = new Map<string, string | null>();
  for (const a of doc.accounts) handles.set(`${a.platform}:${a.id}`, a.handle);
  const campaigns: CampaignView[] = [];
  const campaignOf = new Map<string, string>();
  for (const c of doc.campaigns) {
    for (const m of c["accounts"] as Array<{ platform: string; id: string }>) {
      const k = `${m.platform}:${m.id}`;
      if (!campaignOf.has(k)) campaignOf.set(k, String(c["id"]));
    }
  }
  const edgesOf = doc.campaigns.length > 0 ? await campaignEdges(store, run.id, campaignOf) : new Map();
  for (const c of doc.campaigns) {
    const edges: EdgeRow[] = edgesOf.get(String(c["id"])) ?? [];
    const shown = await shownEvidence(store, edges, handles, limits);
    campaigns.push(campaignView(c, edges, shown, limits));
  }
  const cards = doc.accounts.slice(0, limits.accounts).map((a) => `${a.platform}:${a.id}`);
  return {
    doc,
    run,
    totals: await caseTotals(store),
    campaigns,
    profiles: await accountProfiles(store, cards),
    cards,
    limits,
    email: await loadEmailData(store, doc.detectors),
  };
}
