/**
 * One campaign: filters on one side; tabs for the account graph (with its table), the timeline, the hour-of-week
 * heat map and the shared objects; a side panel with the summary, what the evidence can and cannot show, the
 * label and notes. Every tab states how much of the campaign it shows under the active filters.
 */
import { lazy, Suspense, useMemo, useState } from "react";
import { shownHandle, shownKey } from "../../../src/report/html/indicators.js";
import {
  api,
  ApiError,
  enc,
  optional,
  type CampaignDetail,
  type CampaignGraph,
  type ExamplePair,
  type HeatmapResponse,
  type FringeJoin,
  type Member,
  type TimelineResponse,
} from "./api.js";
import { AnnotationPanel } from "./Annotations.js";
import { Status, useApi, useCtx } from "./ctx.js";
import { FilterBar, useCaption, ViewCaption } from "./FilterBar.js";
import { dateRange, filterValue, inRange, serverQuery, windowSeconds, type FilterName } from "./filters.js";
import { filterGraph, mergeTies, type GNode, type GraphViewData } from "./graph-model.js";
import { fromUtc, HeatMap } from "./HeatMap.js";
import { formatGap, roleKey, type Key } from "./i18n.js";
import { FRINGE_OPEN, FRINGE_PAGE } from "./paging.js";
import type { Tab } from "./route.js";
import { Timeline } from "./Timeline.js";
import { Handle, Sentence, UserBlock, UserText } from "./UserText.js";

/** sigma and graphology load with the first graph, not with the first screen. */
const GraphView = lazy(() => import("./GraphView.js"));

const APPLIES: Record<Tab, ReadonlySet<FilterName>> = {
  graph: new Set(["layer", "score", "platform", "ties"]),
  timeline: new Set(["dates", "window", "layer", "platform"]),
  heatmap: new Set(["dates", "layer", "platform"]),
  objects: new Set(["layer"]),
};

export function campaignNodes(g: CampaignGraph): GNode[] {
  return g.nodes.map((n) => ({
    key: n.key,
    label: `${n.role === "core" ? "★ " : ""}${n.handle ? `@${shownHandle(n.key, n.handle)}` : shownKey(n.key)}`,
    score: n.score,
    role: n.role,
    platform: n.platform,
  }));
}

export function Campaign() {
  const { route, revision, t } = useCtx();
  const id = route.id ?? "";
  const detail = useApi(() => api.campaign(id), [id, revision]);
  const graph = useApi(() => api.campaignGraph(id), [id]);
  return (
    <div className="screen campaign">
      <Status loaded={detail}>
        {(c) => (
          <div data-campaign-shown={c.id}>
            <h1>
              {t("campaign")} {c.id} <span className="muted small">({c.key})</span>
            </h1>
            <div className="three-col">
              <aside className="side-filters">
                <FilterBar applies={(n) => APPLIES[route.tab].has(n)} />
              </aside>
              <section className="main-col">
                <Tabs />
                <div role="tabpanel" id={`panel-${route.tab}`} aria-labelledby={`tab-${route.tab}`}>
                  {route.tab === "graph" && <Status loaded={graph}>{(g) => <GraphTab g={g} />}</Status>}
                  {route.tab === "timeline" && <TimelineTab c={c} />}
                  {route.tab === "heatmap" && <HeatmapTab c={c} />}
                  {route.tab === "objects" && <ObjectsTab c={c} />}
                </div>
              </section>
              <aside className="side-panel">
                <SidePanel c={c} />
              </aside>
            </div>
          </div>
        )}
      </Status>
    </div>
  );
}

function Tabs() {
  const { route, go, t } = useCtx();
  const tabs: Array<[Tab, Key]> = [
    ["graph", "tabGraph"],
    ["timeline", "tabTimeline"],
    ["heatmap", "tabHeatmap"],
    ["objects", "tabObjects"],
  ];
  const move = (dir: number) => {
    const i = tabs.findIndex(([k]) => k === route.tab);
    const next = tabs[(i + dir + tabs.length) % tabs.length]![0];
    go({ tab: next }, true);
    requestAnimationFrame(() => document.getElementById(`tab-${next}`)?.focus());
  };
  return (
    <div role="tablist" className="tabs" aria-label={t("campaign")}>
      {tabs.map(([k, label]) => (
        <button
          key={k}
          id={`tab-${k}`}
          role="tab"
          type="button"
          aria-selected={route.tab === k}
          aria-controls={`panel-${k}`}
          tabIndex={route.tab === k ? 0 : -1}
          onClick={() => go({ tab: k }, true)}
          onKeyDown={(e) => {
            const rtl = document.documentElement.dir === "rtl";
            if (e.key === "ArrowRight") move(rtl ? -1 : 1);
            else if (e.key === "ArrowLeft") move(rtl ? 1 : -1);
          }}
        >
          {t(label)}
        </button>
      ))}
    </div>
  );
}

function GraphTab({ g }: { g: CampaignGraph }) {
  const { route, go, link, t, num } = useCtx();
  const applies = (n: FilterName) => APPLIES.graph.has(n);
  const caption = useCaption(applies);
  const base = useMemo(() => ({ nodes: campaignNodes(g), edges: mergeTies(g.edges) }), [g]);
  const filterKey = JSON.stringify(route.filters);
  const view: GraphViewData = useMemo(() => {
    const v = filterGraph(base.nodes, base.edges, route.filters);
    return { ...v, totalNodes: g.total_nodes, totalEdges: g.total_edges };
    // filters compared by value: a new array with the same filters keeps the layout
  }, [base, filterKey]);
  const handleOf = new Map(g.nodes.map((n) => [n.key, n.handle]));
  const degree = new Map<string, number>();
  for (const e of view.edges) {
    degree.set(e.a, (degree.get(e.a) ?? 0) + 1);
    degree.set(e.b, (degree.get(e.b) ?? 0) + 1);
  }
  return (
    <>
      <ViewCaption applies={applies} shown={view.nodes.length} total={g.total_nodes} what="accountsWord" />
      <p className="muted small">
        {t("showing", { n: num(view.edges.length), m: num(mergeTies(g.edges).length), what: t("tiesWord") })}
      </p>
      <Suspense fallback={<p className="loading">…</p>}>
        <GraphView
          view={view}
          title={`${t("campaign")} ${route.id ?? ""}`}
          caption={caption}
          selected={route.sel}
          onSelect={(k) => go({ sel: k }, true)}
          onOpen={(k) => go({ screen: "account", id: k, sel: null, tab: "graph" })}
        />
      </Suspense>
      <details className="graph-table" open={view.nodes.length <= 40}>
        <summary>{t("graphTable")}</summary>
        <table className="data members">
          <thead>
            <tr>
              <th scope="col">{t("account")}</th>
              <th scope="col">{t("role")}</th>
              <th scope="col">{t("score")}</th>
              <th scope="col">{t("ties")}</th>
            </tr>
          </thead>
          <tbody>
            {view.nodes.map((n) => (
              <tr
                key={n.key}
                aria-selected={route.sel === n.key}
                className={route.sel === n.key ? "sel" : ""}
              >
                <th scope="row">
                  <a href={link({ screen: "account", id: n.key })}>
                    <Handle handle={handleOf.get(n.key)} account={n.key} />
                  </a>
                </th>
                <td>{roleKey(n.role) ? t(roleKey(n.role)!) : n.role}</td>
                <td>{num(n.score, 3)}</td>
                <td>{num(degree.get(n.key) ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}

/** Posts of the campaign's members per view: the server's views when it has them, else the campaign's own facts. */
const POST_VIEW_SKIP: FilterName[] = ["score", "ties", "campaign", "window"];

function HeatmapTab({ c }: { c: CampaignDetail }) {
  const { t, route, date } = useCtx();
  const { query } = serverQuery(route.filters, { skip: POST_VIEW_SKIP, postsOnly: true });
  const heat = useApi(
    () =>
      optional<HeatmapResponse>(
        `/api/heatmap?campaign=${enc(c.id)}&tz=${enc(route.tz)}${query ? `&${query}` : ""}`,
      ).catch((err: unknown) => {
        // a zone the browser knows but the server does not: the UTC hours are shifted here instead
        if (err instanceof ApiError && err.status === 400 && /\btz\b/.test(err.message)) return null;
        throw err;
      }),
    [c.id, route.tz, query],
  );
  return (
    <Status loaded={heat}>
      {(h) => (
        <HeatMap
          label={`${t("tabHeatmap")}: ${c.id}`}
          week={
            h
              ? { cells: h.posts.flat(), startMinute: 0, note: t("heatmapServer") }
              : fromUtc(c.hour_of_week ?? [], route.tz, c.first_seen, (d) =>
                  t("heatmapNote", { date: date(d) }),
                )
          }
        />
      )}
    </Status>
  );
}

function TimelineTab({ c }: { c: CampaignDetail }) {
  const { t, route } = useCtx();
  const range = dateRange(route.filters);
  const examples = (c.examples ?? []).filter((p) => inRange(p.a.ts, range) || inRange(p.b.ts, range));
  const window = windowSeconds(route.filters);
  const shown = examples.filter((p) => window === undefined || Math.abs(p.gap_seconds) <= window);
  // the brush's own range does not cut the timeline it is drawn on
  const { query } = serverQuery(route.filters, { skip: [...POST_VIEW_SKIP, "dates"], postsOnly: true });
  const line = useApi(
    () =>
      optional<TimelineResponse>(`/api/timeline?campaign=${enc(c.id)}&unit=day${query ? `&${query}` : ""}`),
    [c.id, query],
  );
  return (
    <>
      <Status loaded={line}>
        {(l) => (
          <Timeline
            days={l ? l.bins.map((b) => ({ day: b.start.slice(0, 10), posts: b.posts })) : (c.timeline ?? [])}
            label={`${t("tabTimeline")}: ${c.id} · ${l ? t("timelineServer") : t("timelineCampaign")}`}
          />
        )}
      </Status>
      <h3>{t("examples")}</h3>
      <ViewCaption
        applies={(n) => n === "dates" || n === "window"}
        shown={shown.length}
        total={(c.examples ?? []).length}
        what="pairsWord"
      />
      <ExampleTable pairs={shown} />
    </>
  );
}

function ExampleTable({ pairs }: { pairs: ExamplePair[] }) {
  const { t, date, link, layer, prefs } = useCtx();
  return (
    <table className="data examples">
      <thead>
        <tr>
          <th scope="col">{t("layer")}</th>
          <th scope="col">{t("object")}</th>
          <th scope="col">{t("accounts")}</th>
          <th scope="col">{t("gap")}</th>
          <th scope="col">{t("tie")}</th>
        </tr>
      </thead>
      <tbody>
        {pairs.map((p, i) => (
          <tr key={i}>
            <td>{layer(p.layer)}</td>
            <UserBlock as="td" value={p.object} max={200} />
            <td>
              <Handle handle={p.a.handle} account={p.a.account ?? ""} /> ({date(p.a.ts, true)}) ·{" "}
              <Handle handle={p.b.handle} account={p.b.account ?? ""} /> ({date(p.b.ts, true)})
            </td>
            <td>{formatGap(p.gap_seconds, prefs)}</td>
            <td>
              {p.a.account && p.b.account && (
                <a href={link({ screen: "tie", id: p.a.account, b: p.b.account })}>{t("openTie")}</a>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ObjectsTab({ c }: { c: CampaignDetail }) {
  const { t, num, route, layer: layerName } = useCtx();
  const layer = filterValue(route.filters, "layer");
  const all = c.top_objects ?? [];
  const shown = all.filter((o) => layer === undefined || o.kind === layer);
  return (
    <>
      <ViewCaption
        applies={(n) => n === "layer"}
        shown={shown.length}
        total={all.length}
        what="objectsWord"
      />
      <table className="data objects">
        <thead>
          <tr>
            <th scope="col">{t("kind")}</th>
            <th scope="col">{t("value")}</th>
            <th scope="col">{t("shares")}</th>
            <th scope="col">{t("members")}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((o) => (
            <tr key={`${o.kind}:${o.value}`}>
              <td>{layerName(o.kind)}</td>
              {o.author === undefined && o.text === undefined ? (
                // a value alone fills its cell, in its own direction
                <UserBlock as="td" value={o.value} max={300} />
              ) : (
                <td>
                  {/* whose post was reposted, answered or quoted, and its id; then what it said, a block in its own
                      direction (a Persian post aligns right and ends on the left), as the report shows it */}
                  {o.author !== undefined && (
                    <>
                      <strong>
                        <UserText value={o.author} max={200} />
                      </strong>{" "}
                    </>
                  )}
                  <span className="muted">
                    (<UserText value={o.value} max={200} />)
                  </span>
                  {o.text !== undefined && (
                    <UserBlock as="div" className="post-text" value={o.text} max={300} />
                  )}
                </td>
              )}
              <td>{num(o.shares)}</td>
              <td>{o.members !== undefined ? num(o.members) : "–"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function SidePanel({ c }: { c: CampaignDetail }) {
  const { t, num, date, layers } = useCtx();
  const fringe = c.accounts.filter((m) => m.role === "fringe");
  return (
    <>
      <h2>{t("summary")}</h2>
      <dl className="facts compact">
        <div>
          <dt>{t("confidence")}</dt>
          <dd>{num(c.score, 2)}</dd>
        </div>
        <div>
          <dt>{t("members")}</dt>
          <dd>{num(c.accounts.length - fringe.length)}</dd>
        </div>
        {fringe.length > 0 && (
          <div>
            <dt>{t("fringe")}</dt>
            <dd>{num(fringe.length)}</dd>
          </div>
        )}
        <div>
          <dt>{t("layers")}</dt>
          <dd>{layers(c.layers)}</dd>
        </div>
        <div>
          <dt>{t("activePeriod")}</dt>
          <dd>
            {date(c.first_seen)} – {date(c.last_seen)}
          </dd>
        </div>
      </dl>
      <Sentence className="summary" value={c.summary} max={4000} />
      <h3>{t("canProve")}</h3>
      {/* with --compat coortweet co-share's ties are raw counts; a campaign bound by timing alone rests on sync's test */}
      <p>{t(c.compat === "coortweet" && c.basis !== "behaviour" ? "canProveTextCompat" : "canProveText")}</p>
      <h3>{t("cannotProve")}</h3>
      <p>{t("cannotProveText")}</p>
      {(c.tie_notes ?? []).length > 0 && (
        <>
          <h3>{t("tieNotes")}</h3>
          <ul>
            {c.tie_notes!.map((n, i) => (
              <Sentence key={i} as="li" value={n} max={1000} />
            ))}
          </ul>
        </>
      )}
      {fringe.length > 0 && <Fringe key={c.key} fringe={fringe} />}
      <AnnotationPanel target={{ kind: "campaign", id: c.key }} label={c.label} notes={c.notes} />
    </>
  );
}

/**
 * Accounts in no campaign that joined this one's bursts on separate occasions, each with the posts by which it did
 * (src/campaign/fringe.ts): too few posts to tie them to anyone, so the graph leaves them out. A post that joined on
 * several objects (a link and its site) is one item.
 */
function Fringe({ fringe }: { fringe: Member[] }) {
  const { t, num, date, link, layer } = useCtx();
  // folded, nothing of the list is drawn; open, a page at a time
  const [open, setOpen] = useState(fringe.length <= FRINGE_OPEN);
  const [shown, setShown] = useState(FRINGE_PAGE);
  const drawn = fringe.slice(0, open ? shown : 0);
  const more = Math.min(FRINGE_PAGE, fringe.length - Math.min(shown, fringe.length));
  return (
    <section className="fringe" aria-labelledby="fringe-title">
      <h3 id="fringe-title">{t("fringe")}</h3>
      <p className="small">{t("fringeText")}</p>
      <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>
          {open
            ? t("showing", {
                n: num(Math.min(shown, fringe.length)),
                m: num(fringe.length),
                what: t("accountsWord"),
              })
            : `${num(fringe.length)} ${t("accountsWord")}`}
        </summary>
        <ul className="fringe-accounts">
          {drawn.map((m) => {
            const key = `${m.platform}:${m.id}`;
            return (
              <li key={key} data-account={key}>
                <a href={link({ screen: "account", id: key })}>
                  <Handle handle={m.handle} account={key} />
                </a>
                <ul>
                  {joinedPosts(m.joined ?? []).map((p) => (
                    <li key={p.post_id} className="small" data-post={p.post_id}>
                      <time dateTime={p.ts}>{date(p.ts, true)}</time>
                      {p.objects.map((o) => (
                        <span key={`${o.kind} ${o.value}`} className="joined-object">
                          <br />
                          {layer(o.kind)} <UserText value={o.value} max={200} /> ·{" "}
                          {t("fringeMembers", { n: num(o.members) })}
                        </span>
                      ))}
                      <br />
                      <span className="muted">
                        {t("source")}: <UserText value={p.input_path ?? String(p.input_id)} max={200} /> ·{" "}
                        {t("row")} {num(p.source_row)} · {t("postId")}{" "}
                        <UserText value={p.post_id} max={100} />
                      </span>
                    </li>
                  ))}
                </ul>
              </li>
            );
          })}
        </ul>
        {open && more > 0 && (
          <button type="button" className="more" onClick={() => setShown((n) => n + FRINGE_PAGE)}>
            {t("showMore", { n: num(more) })}
          </button>
        )}
      </details>
    </section>
  );
}

/** A fringe account's joins grouped by post, in the order of their first join. */
export function joinedPosts(joined: readonly FringeJoin[]): Array<
  Omit<FringeJoin, "kind" | "value" | "members"> & {
    objects: Array<Pick<FringeJoin, "kind" | "value" | "members">>;
  }
> {
  const byPost = new Map<string, ReturnType<typeof joinedPosts>[number]>();
  for (const { kind, value, members, ...post } of joined) {
    const p = byPost.get(post.post_id) ?? { ...post, objects: [] };
    p.objects.push({ kind, value, members });
    byPost.set(post.post_id, p);
  }
  return [...byPost.values()];
}
