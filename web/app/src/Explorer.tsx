/**
 * The whole case as one graph. Past a few thousand accounts a browser cannot draw every account, so campaigns
 * are drawn as one node each (sized by members) and expanded on demand into their accounts and ties. It reads
 * `GET /api/graph` (grouped nodes, `expand=`) when the server has it; an older server without it gets the same
 * picture assembled from the campaign list and each expanded campaign's graph.
 */
import { lazy, Suspense, useMemo } from "react";
import { api, ApiError, enc, get, type CampaignGraph, type CampaignRow } from "./api.js";
import { campaignNodes } from "./Campaign.js";
import { Status, useApi, useCtx } from "./ctx.js";
import { FilterBar, useCaption, ViewCaption } from "./FilterBar.js";
import { dateRange, filterValue, type Filter, type FilterName } from "./filters.js";
import { filterGraph, mergeTies, type GEdge, type GNode, type GraphViewData } from "./graph-model.js";
import { Handle } from "./UserText.js";

/** sigma and graphology load with the first graph, not with the first screen. */
const GraphView = lazy(() => import("./GraphView.js"));

const APPLIES = new Set<FilterName>(["layer", "score", "platform", "ties", "campaign", "dates"]);
const applies = (n: FilterName) => APPLIES.has(n);

interface ServerNode {
  id: string;
  kind: "account" | "campaign" | "unclustered";
  handle?: string | null;
  platform?: string;
  score?: number;
  confidence?: number | null;
  members?: number;
  size?: number;
  campaign?: string | null;
}
interface ServerGraph {
  grouped?: boolean;
  total: number;
  matched: number;
  shown: number;
  nodes: ServerNode[];
  edges: Array<{ a: string; b: string; weight: number; layers?: string[] }>;
}

/** The filters as the server's query parameters. */
export function graphQuery(filters: readonly Filter[], expand: readonly string[]): string {
  const p = new URLSearchParams();
  for (const f of filters) {
    if (f.name === "score") p.set("minScore", f.value);
    else if (f.name === "layer" || f.name === "platform" || f.name === "campaign") p.set(f.name, f.value);
    else if (f.name === "ties") p.set("minTies", f.value);
    else if (f.name === "dates") {
      const [from, to] = f.value.split("..");
      p.set("from", from!);
      p.set("to", to!);
    }
  }
  if (expand.length) p.set("expand", expand.join(","));
  return p.toString();
}

interface Assembled {
  view: GraphViewData;
  /** Accounts in scope before drawing (grouped ones counted by size). */
  total: number;
  shown: number;
  campaigns: Array<{ id: string; members: number; score: number | null }>;
  handles: Map<string, string | null>;
  /** Campaigns drawn as one node each (past the server's threshold, or from an older server). */
  grouped: boolean;
}

function fromServer(g: ServerGraph): Assembled {
  const nodes: GNode[] = g.nodes.map((n) =>
    n.kind === "account"
      ? {
          key: n.id,
          // an account in a campaign is marked in colour and by the campaign's number after its name
          label: `${n.handle ? `@${n.handle}` : n.id}${n.campaign ? ` · ${n.campaign}` : ""}`,
          score: n.score ?? 0,
          role: n.campaign ? "core" : "member",
          platform: n.platform ?? "",
        }
      : {
          key: `group:${n.id}`,
          label: n.kind === "campaign" ? n.id : "–",
          score: n.confidence ?? 0,
          role: "group",
          platform: "",
          group: { id: n.id, members: n.members ?? n.size ?? 0 },
        },
  );
  const ids = new Set(g.nodes.filter((n) => n.kind !== "account").map((n) => n.id));
  const key = (id: string) => (ids.has(id) ? `group:${id}` : id);
  const edges: GEdge[] = g.edges.map((e) => ({
    a: key(e.a),
    b: key(e.b),
    weight: e.weight,
    layers: e.layers ?? [],
    minP: null,
  }));
  // drawn ungrouped, the campaigns are counted from their members on screen
  const counted = new Map<string, number>();
  for (const n of g.nodes)
    if (n.kind === "account" && n.campaign) counted.set(n.campaign, (counted.get(n.campaign) ?? 0) + 1);
  const grouped = g.nodes.filter((n) => n.kind === "campaign");
  return {
    view: { nodes, edges, totalNodes: g.matched, totalEdges: edges.length },
    total: g.matched,
    shown: g.shown,
    grouped: g.grouped ?? grouped.length > 0,
    campaigns: grouped.length
      ? grouped.map((n) => ({ id: n.id, members: n.members ?? n.size ?? 0, score: n.confidence ?? null }))
      : [...counted]
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .map(([id, members]) => ({ id, members, score: null })),
    handles: new Map(g.nodes.filter((n) => n.kind === "account").map((n) => [n.id, n.handle ?? null])),
  };
}

async function assemble(filters: readonly Filter[], expand: readonly string[]): Promise<Assembled> {
  const qs = graphQuery(filters, expand);
  try {
    return fromServer(await get<ServerGraph>(`/api/graph${qs ? `?${qs}` : ""}`));
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404 && /no route/.test(err.message))) throw err;
  }
  // an older server: campaigns from the list, expanded ones from their own graphs
  const list = await api.campaigns({
    minScore: filterValue(filters, "score"),
    layer: filterValue(filters, "layer"),
    platform: filterValue(filters, "platform"),
    limit: 1000,
  });
  const only = filterValue(filters, "campaign");
  const range = dateRange(filters);
  const rows = list.campaigns.filter(
    (c: CampaignRow) =>
      (!only || c.id === only || c.key === only) &&
      (!range ||
        (c.first_seen !== null &&
          Date.parse(c.first_seen) < range[1] &&
          Date.parse(c.last_seen ?? c.first_seen) >= range[0])),
  );
  const nodes: GNode[] = [];
  const edges: GEdge[] = [];
  const handles = new Map<string, string | null>();
  for (const c of rows) {
    if (!expand.includes(c.id)) {
      nodes.push({
        key: `group:${c.id}`,
        label: c.id,
        score: c.score,
        role: "group",
        platform: "",
        group: { id: c.id, members: c.members },
      });
      continue;
    }
    const g = await get<CampaignGraph>(`/api/campaigns/${enc(c.id)}/graph`);
    const f = filterGraph(campaignNodes(g), mergeTies(g.edges), filters);
    nodes.push(...f.nodes);
    edges.push(...f.edges);
    for (const n of g.nodes) handles.set(n.key, n.handle);
  }
  const total = rows.reduce((n, c) => n + c.members, 0);
  return {
    view: { nodes, edges, totalNodes: total, totalEdges: edges.length },
    total,
    shown: total,
    campaigns: rows.map((c) => ({ id: c.id, members: c.members, score: c.score })),
    handles,
    grouped: true,
  };
}

export function Explorer() {
  const { route, t } = useCtx();
  const filterKey = JSON.stringify(route.filters);
  const expandKey = route.expand.join(",");
  const data = useApi(() => assemble(route.filters, route.expand), [filterKey, expandKey]);
  return (
    <div className="screen explorer">
      <h1>{t("explorer")}</h1>
      <p className="muted">{t("explorerIntro")}</p>
      <div className="three-col two">
        <aside className="side-filters">
          <FilterBar applies={applies} />
        </aside>
        <section className="main-col">
          <Status loaded={data}>{(d) => <ExplorerView d={d} />}</Status>
        </section>
      </div>
    </div>
  );
}

function ExplorerView({ d }: { d: Assembled }) {
  const { route, go, t, num, link } = useCtx();
  const caption = useCaption(applies);
  const view = useMemo(() => d.view, [d]);
  const toggle = (id: string) =>
    go({
      expand: route.expand.includes(id) ? route.expand.filter((x) => x !== id) : [...route.expand, id].sort(),
    });
  const accounts = view.nodes.filter((n) => !n.group);
  return (
    <>
      <ViewCaption applies={applies} shown={d.shown} total={d.total} what="accountsWord" />
      {!d.grouped && <p className="muted small">{t("allDrawn")}</p>}
      <Suspense fallback={<p className="loading">…</p>}>
        <GraphView
          legend={d.grouped ? "grouped" : "explorer"}
          view={view}
          title={t("explorer")}
          caption={caption}
          selected={route.sel}
          onSelect={(k) => go({ sel: k }, true)}
          onOpen={(k) =>
            k.startsWith("group:")
              ? toggle(k.slice(6))
              : go({ screen: "account", id: k, sel: null, expand: [] })
          }
        />
      </Suspense>
      <table className="data groups">
        <caption>{t("campaigns")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("campaign")}</th>
            <th scope="col">{t("members")}</th>
            <th scope="col">{t("confidence")}</th>
            <th scope="col">
              <span className="visually-hidden">{t("expand")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {d.campaigns.map((c) => (
            <tr key={c.id}>
              <th scope="row">
                <a href={link({ screen: "campaign", id: c.id })}>{c.id}</a>
              </th>
              <td>{num(c.members)}</td>
              <td>{c.score === null ? "–" : num(c.score, 2)}</td>
              <td>
                {d.grouped && (
                  <button
                    type="button"
                    className="small"
                    aria-pressed={route.expand.includes(c.id)}
                    onClick={() => toggle(c.id)}
                  >
                    {route.expand.includes(c.id) ? t("collapse") : t("expand")} {c.id}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {accounts.length > 0 && (
        <details>
          <summary>
            {t("graphTable")} ({num(accounts.length)} {t("accountsWord")})
          </summary>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("account")}</th>
                <th scope="col">{t("score")}</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((n) => (
                <tr key={n.key}>
                  <th scope="row">
                    <a href={link({ screen: "account", id: n.key })}>
                      <Handle handle={d.handles.get(n.key) ?? null} account={n.key} />
                    </a>
                  </th>
                  <td>{num(n.score, 3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </>
  );
}
