/**
 * The whole case as one graph. Past a few thousand accounts a browser cannot draw every account, so campaigns
 * are drawn as one node each (sized by their accounts in scope) and expanded on demand into their accounts and
 * ties. The server groups on its own past its threshold; "Group by campaign" (`group=1` in the URL) asks for the
 * grouped view on any case (`groupAbove=1`). It reads `GET /api/graph` (grouped nodes, `expand=`) when the server
 * has it; an older server without it gets the same picture assembled from the campaign list and each expanded
 * campaign's graph, always grouped.
 */
import { lazy, Suspense, useMemo } from "react";
import { shownHandle, shownKey } from "../../../src/report/html/indicators.js";
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
  group_above?: number;
  expanded?: string[];
  total: number;
  matched: number;
  shown: number;
  nodes: ServerNode[];
  edges: Array<{ a: string; b: string; weight: number; layers?: string[] }>;
}

/** The filters as the server's query parameters; `group` asks for campaigns grouped however few the accounts. */
export function graphQuery(filters: readonly Filter[], expand: readonly string[], group = false): string {
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
  if (group) p.set("groupAbove", "1");
  if (expand.length) p.set("expand", expand.join(","));
  return p.toString();
}

interface Assembled {
  view: GraphViewData;
  /** Accounts in scope before drawing (grouped ones counted by size). */
  total: number;
  shown: number;
  /**
   * The campaigns: `members` in all (null when not known), `size` their accounts in this view (in scope, or on
   * screen when drawn account by account), `expanded` when drawn as their accounts in a grouped view.
   */
  campaigns: CampaignInView[];
  handles: Map<string, string | null>;
  /** Campaigns drawn as one node each (past the server's threshold, asked for, or from an older server). */
  grouped: boolean;
  /** Grouped without being asked: past the server's threshold (`groupAbove`), or an older server (null). */
  auto: boolean;
  groupAbove: number | null;
}

interface CampaignInView {
  id: string;
  members: number | null;
  size: number;
  score: number | null;
  expanded: boolean;
}

/** The accounts in no campaign, as one node of a grouped graph. */
const UNCLUSTERED = "-";

function fromServer(g: ServerGraph, asked: boolean): Assembled {
  const nodes: GNode[] = g.nodes.map((n) =>
    n.kind === "account"
      ? {
          key: n.id,
          // an account in a campaign is marked in colour and by the campaign's number after its name
          label: `${n.handle ? `@${shownHandle(n.id, n.handle)}` : shownKey(n.id)}${n.campaign ? ` · ${n.campaign}` : ""}`,
          score: n.score ?? 0,
          role: n.campaign ? "core" : "member",
          platform: n.platform ?? "",
        }
      : {
          key: `group:${n.id}`,
          // the accounts in no campaign are named in the interface's words when drawn (ExplorerView)
          label: n.id,
          score: n.confidence ?? 0,
          role: "group",
          platform: "",
          // drawn by the accounts it stands for here, as the caption counts them
          group: {
            id: n.id,
            members: n.size ?? n.members ?? 0,
            confidence: n.kind === "campaign" ? (n.confidence ?? null) : null,
          },
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
  // drawn ungrouped, the campaigns are counted from their members on screen; so are the expanded ones
  const counted = new Map<string, number>();
  for (const n of g.nodes)
    if (n.kind === "account" && n.campaign) counted.set(n.campaign, (counted.get(n.campaign) ?? 0) + 1);
  const grouped = g.grouped ?? g.nodes.some((n) => n.kind === "campaign");
  const expanded = grouped ? (g.expanded ?? []) : [];
  return {
    view: { nodes, edges, totalNodes: g.matched, totalEdges: edges.length },
    total: g.matched,
    shown: g.shown,
    grouped,
    auto: grouped && !asked,
    groupAbove: g.group_above ?? null,
    campaigns: grouped
      ? [
          // the expanded ones first, with their collapse button at hand
          ...expanded.map((id) => ({
            id,
            members: null,
            size: counted.get(id) ?? 0,
            score: null,
            expanded: true,
          })),
          // then every grouped node, the accounts in no campaign too: the table adds up to the caption
          ...g.nodes
            .filter((n) => n.kind !== "account")
            .map((n) => ({
              id: n.id,
              members: n.members ?? null,
              size: n.size ?? n.members ?? 0,
              score: n.confidence ?? null,
              expanded: false,
            })),
        ]
      : [...counted]
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .map(([id, size]) => ({ id, members: size, size, score: null, expanded: false })),
    handles: new Map(g.nodes.filter((n) => n.kind === "account").map((n) => [n.id, n.handle ?? null])),
  };
}

async function assemble(
  filters: readonly Filter[],
  expand: readonly string[],
  group: boolean,
): Promise<Assembled> {
  const qs = graphQuery(filters, expand, group);
  try {
    return fromServer(await get<ServerGraph>(`/api/graph${qs ? `?${qs}` : ""}`), group);
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
  const sizes = new Map<string, number>();
  for (const c of rows) {
    if (!expand.includes(c.id)) {
      nodes.push({
        key: `group:${c.id}`,
        label: c.id,
        score: c.score,
        role: "group",
        platform: "",
        group: { id: c.id, members: c.members, confidence: c.score },
      });
      continue;
    }
    const g = await get<CampaignGraph>(`/api/campaigns/${enc(c.id)}/graph`);
    const f = filterGraph(campaignNodes(g), mergeTies(g.edges), filters);
    nodes.push(...f.nodes);
    edges.push(...f.edges);
    sizes.set(c.id, f.nodes.length);
    for (const n of g.nodes) handles.set(n.key, n.handle);
  }
  const total = rows.reduce((n, c) => n + c.members, 0);
  return {
    view: { nodes, edges, totalNodes: total, totalEdges: edges.length },
    total,
    shown: total,
    campaigns: rows.map((c) => ({
      id: c.id,
      members: c.members,
      size: sizes.get(c.id) ?? c.members,
      score: c.score,
      expanded: sizes.has(c.id),
    })),
    handles,
    grouped: true,
    auto: true,
    groupAbove: null,
  };
}

export function Explorer() {
  const { route, t } = useCtx();
  const filterKey = JSON.stringify(route.filters);
  const expandKey = route.expand.join(",");
  const data = useApi(
    () => assemble(route.filters, route.expand, route.group),
    [filterKey, expandKey, route.group],
  );
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
  // a grouped node is labelled with the accounts it stands for, in the digits of the interface's language (a short
  // label that reads the same in either direction); the accounts in no campaign by what they are
  const view = useMemo(
    () => ({
      ...d.view,
      nodes: d.view.nodes.map((n) =>
        n.group
          ? {
              ...n,
              label: `${n.group.id === UNCLUSTERED ? t("ungrouped") : n.label} · ${num(n.group.members)}`,
            }
          : n,
      ),
    }),
    [d, route.lang],
  );
  const expandable = new Set(d.campaigns.filter((c) => c.id !== UNCLUSTERED).map((c) => c.id));
  const toggle = (id: string) => {
    if (!expandable.has(id)) return;
    go({
      expand: route.expand.includes(id) ? route.expand.filter((x) => x !== id) : [...route.expand, id].sort(),
      sel: null,
    });
  };
  const accounts = view.nodes.filter((n) => !n.group);
  const groupNodes = view.nodes.length - accounts.length;
  return (
    <div
      className="explorer-view"
      data-grouped={String(d.grouped)}
      data-expanded={d.campaigns
        .filter((c) => c.expanded)
        .map((c) => c.id)
        .join(",")}
    >
      <p className="view-options">
        <label>
          <input
            type="checkbox"
            checked={route.group || d.auto}
            disabled={d.auto}
            aria-describedby={d.auto ? "group-auto" : undefined}
            // off again, the expanded campaigns and the selection go with the grouping
            onChange={(e) => go({ group: e.target.checked, expand: [], sel: null })}
          />{" "}
          {t("groupByCampaign")}
        </label>
        {d.auto && (
          <span id="group-auto" className="muted small">
            {" "}
            {d.groupAbove === null ? t("groupedAlways") : t("groupedAbove", { n: num(d.groupAbove) })}
          </span>
        )}
      </p>
      <ViewCaption applies={applies} shown={d.shown} total={d.total} what="accountsWord" />
      <p className="muted small">
        {d.grouped
          ? t("drawnAs", { groups: num(groupNodes), accounts: num(accounts.length) })
          : t("allDrawn")}
      </p>
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
            <th scope="col">{t("inView")}</th>
            <th scope="col">{t("confidence")}</th>
            <th scope="col">
              <span className="visually-hidden">{t("expand")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {d.campaigns.map((c) => (
            <tr key={c.id} data-campaign={c.id} data-size={c.size}>
              <th scope="row">
                {c.id === UNCLUSTERED ? (
                  t("ungrouped")
                ) : (
                  <a href={link({ screen: "campaign", id: c.id })}>{c.id}</a>
                )}
              </th>
              <td>{c.members === null ? "–" : num(c.members)}</td>
              <td>{num(c.size)}</td>
              <td>
                {c.id === UNCLUSTERED ? (
                  <span className="muted">{t("notInCampaign")}</span>
                ) : c.score === null ? (
                  "–"
                ) : (
                  num(c.score, 2)
                )}
              </td>
              <td>
                {d.grouped && c.id !== UNCLUSTERED && (
                  <button
                    type="button"
                    className="small"
                    aria-pressed={c.expanded}
                    onClick={() => toggle(c.id)}
                  >
                    {c.expanded ? t("collapse") : t("expand")} {c.id}
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
    </div>
  );
}
