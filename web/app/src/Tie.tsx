/**
 * The tie between two accounts, the screen investigators spend most time on: every layer that ties them (with
 * weight, lift, p-value, and chance-level ties marked as such), who posted first how often and the typical gap,
 * then every post pair in time order: both timestamps, the gap, who was first, each post's source file and row,
 * and both posts' text side by side (account A always on the starting side, B on the ending side).
 */
import { useState, type KeyboardEvent } from "react";
import { shownHandle, shownKey } from "../../../src/report/html/indicators.js";
import {
  api,
  enc,
  optional,
  type PostRef,
  type TieDetail,
  type TiePair,
  type TimelineResponse,
} from "./api.js";
import { AnnotationPanel } from "./Annotations.js";
import { Status, useApi, useCtx } from "./ctx.js";
import { FilterBar, ViewCaption } from "./FilterBar.js";
import type { FilterName } from "./filters.js";
import { formatGap, formatP } from "./i18n.js";
import { filterPairs, PAGE_SIZE, pairCitation, tieStats } from "./tie-model.js";
import { Timeline } from "./Timeline.js";
import { Handle, UserBlock, UserText } from "./UserText.js";

const applies = (n: FilterName) => n === "layer" || n === "window" || n === "dates";

export function Tie() {
  const { route, revision } = useCtx();
  const a = route.id ?? "";
  const b = route.b ?? "";
  const tie = useApi(() => api.tie(a, b), [a, b, revision]);
  return (
    <div className="screen tie">
      <Status loaded={tie}>{(d) => <TieView d={d} />}</Status>
    </div>
  );
}

function TieView({ d }: { d: TieDetail }) {
  const { t, num, link, route, go, prefs, layer, term } = useCtx();
  const pairs = filterPairs(d.pairs, route.filters);
  const stats = tieStats(pairs);
  const pages = Math.max(1, Math.ceil(pairs.length / PAGE_SIZE));
  const page = Math.min(route.page, pages - 1);
  const onPage = pairs.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  const who = (side: "a" | "b") => (side === "a" ? d.a : d.b);
  return (
    <>
      <h1 className="tie-title">
        {t("tie")}:{" "}
        <a href={link({ screen: "account", id: d.a.key })}>
          <Handle handle={d.a.handle} account={d.a.key} />
        </a>{" "}
        <span aria-hidden="true">⇄</span>{" "}
        <a href={link({ screen: "account", id: d.b.key })}>
          <Handle handle={d.b.handle} account={d.b.key} />
        </a>
      </h1>
      <div className="three-col">
        <aside className="side-filters">
          <FilterBar applies={applies} />
        </aside>
        <section className="main-col">
          <table className="data layers">
            <caption>{t("layers")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("layer")}</th>
                <th scope="col">{t("weight")}</th>
                <th scope="col">{t("lift")}</th>
                <th scope="col">{t("pValue")}</th>
                <th scope="col">{t("tier")}</th>
              </tr>
            </thead>
            <tbody>
              {d.ties.map((x) => (
                <tr key={x.layer} className={x.tier === "significant" ? "" : "chance"} data-tier={x.tier}>
                  <th scope="row">{layer(x.layer)}</th>
                  <td>{num(x.weight)}</td>
                  <td>{x.lift != null ? num(x.lift, 1) : "–"}</td>
                  <td>{formatP(x.p_value, prefs)}</td>
                  {/* only a chance tie is said to be at chance level: a candidate passed a looser test, and a
                      context tie (a creation burst, shared mail infrastructure) was never tested against chance */}
                  <td className="tier">
                    {x.tier ? term("tier", x.tier) : "–"}
                    {x.tier === "chance" && ` (${t("chanceLevel")})`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <dl className="facts compact tie-stats">
            <div>
              <dt>{t("firstWas", { who: "A" })}</dt>
              <dd data-count="a-first">{num(stats.aFirst)}</dd>
            </div>
            <div>
              <dt>{t("firstWas", { who: "B" })}</dt>
              <dd data-count="b-first">{num(stats.bFirst)}</dd>
            </div>
            <div>
              <dt>{t("sameTime")}</dt>
              <dd>{num(stats.same)}</dd>
            </div>
            <div>
              <dt>{t("gapMedian")}</dt>
              <dd>{stats.medianGap === null ? "–" : formatGap(stats.medianGap, prefs)}</dd>
            </div>
          </dl>
          <TieTimeline a={d.a.key} b={d.b.key} />
          <h2>{t("pairs")}</h2>
          <p className="muted">{t("pairsIntro")}</p>
          <ViewCaption applies={applies} shown={pairs.length} total={d.total} what="pairsWord" />
          {d.total > d.shown && (
            <p className="muted small">
              {t("showing", { n: num(d.shown), m: num(d.total), what: t("pairsWord") })} ({t("fromServer")})
            </p>
          )}
          <Pager page={page} pages={pages} onPage={(p) => go({ page: p }, true)} label={t("pairs")} />
          <p className="muted small">{t("pairKeys")}</p>
          <ol className="pairs" start={page * PAGE_SIZE + 1} onKeyDown={movePairFocus}>
            {onPage.map((p, i) => (
              <PairRow key={`${page}-${i}`} p={p} a={who("a")} b={who("b")} />
            ))}
          </ol>
          <Pager page={page} pages={pages} onPage={(p) => go({ page: p }, true)} label={t("pairs")} />
        </section>
        <aside className="side-panel">
          <AnnotationPanel target={{ kind: "tie", id: d.id }} label={d.label} notes={d.notes} />
        </aside>
      </div>
    </>
  );
}

/** Both accounts' posts per day: brushing it sets the date range the pairs below are cut to. */
function TieTimeline({ a, b }: { a: string; b: string }) {
  const { t } = useCtx();
  const line = useApi(
    () => optional<TimelineResponse>(`/api/timeline?a=${enc(a)}&b=${enc(b)}&unit=day`),
    [a, b],
  );
  if (!line.data) return null;
  return (
    <Timeline
      days={line.data.bins.map((x) => ({ day: x.start.slice(0, 10), posts: x.posts }))}
      label={`${t("tabTimeline")} · ${t("tieTimeline")}`}
    />
  );
}

/** j/k or the arrow keys move between post pairs (each pair can take focus); Tab still walks its links. */
function movePairFocus(e: KeyboardEvent<HTMLOListElement>): void {
  const step = e.key === "j" || e.key === "ArrowDown" ? 1 : e.key === "k" || e.key === "ArrowUp" ? -1 : 0;
  if (!step || (e.target as HTMLElement).closest("textarea, input, select")) return;
  const items = [...e.currentTarget.querySelectorAll<HTMLLIElement>(":scope > li")];
  const at = items.findIndex((li) => li.contains(document.activeElement));
  const next = items[Math.max(0, Math.min(items.length - 1, at < 0 ? 0 : at + step))];
  if (next) {
    e.preventDefault();
    next.focus();
  }
}

function CopyPair({
  p,
  a,
  b,
}: {
  p: TiePair;
  a: { key: string; handle: string | null };
  b: { key: string; handle: string | null };
}) {
  const { t } = useCtx();
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="small"
      onClick={() =>
        navigator.clipboard.writeText(pairCitation(p, a, b)).then(
          () => setDone(true),
          () => setDone(false),
        )
      }
    >
      {done ? t("copied") : t("copyPair")}
    </button>
  );
}

/** Previous and next through `pages` pages of a list named `label`; nothing for a list of one page. */
export function Pager({
  page,
  pages,
  onPage,
  label,
}: {
  page: number;
  pages: number;
  onPage: (p: number) => void;
  label: string;
}) {
  const { t, num } = useCtx();
  if (pages <= 1) return null;
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" disabled={page === 0} onClick={() => onPage(page - 1)}>
        {t("prev")}
      </button>
      <span>
        {num(page + 1)} / {num(pages)}
      </span>
      <button type="button" disabled={page >= pages - 1} onClick={() => onPage(page + 1)}>
        {t("next")}
      </button>
    </nav>
  );
}

function PairRow({
  p,
  a,
  b,
}: {
  p: TiePair;
  a: { key: string; handle: string | null };
  b: { key: string; handle: string | null };
}) {
  const { t, prefs, layer } = useCtx();
  const firstWho = p.first === "a" ? a : p.first === "b" ? b : null;
  return (
    <li className="pair" data-layer={p.layer} tabIndex={-1}>
      <p className="pair-head">
        <span className="layer-tag">{layer(p.layer)}</span>
        {p.object ? (
          <>
            {" "}
            <UserText value={p.object} max={200} />
          </>
        ) : null}{" "}
        · {t("gap")} <strong className="gap">{formatGap(p.gap_seconds, prefs)}</strong> ·{" "}
        {firstWho ? (
          <span className="first-who">
            {t("first")}: <Handle handle={firstWho.handle} account={firstWho.key} />
          </span>
        ) : (
          t("sameTime")
        )}{" "}
        <CopyPair p={p} a={a} b={b} />
      </p>
      <div className="pair-posts">
        <Post side="A" who={a} post={p.a} first={p.first === "a"} />
        <Post side="B" who={b} post={p.b} first={p.first === "b"} />
      </div>
    </li>
  );
}

function Post({
  side,
  who,
  post,
  first,
}: {
  side: "A" | "B";
  who: { key: string; handle: string | null };
  post: PostRef;
  first: boolean;
}) {
  const { t, date, num } = useCtx();
  return (
    <article
      className={first ? "post first" : "post"}
      aria-label={`${side}: ${who.handle ? shownHandle(who.key, who.handle) : shownKey(who.key)}`}
    >
      <header>
        <span className="side">{side}</span> <Handle handle={who.handle} account={who.key} />
        {first && <span className="badge first-badge">{t("first")}</span>}
      </header>
      <p className="ts">
        <time dateTime={post.ts}>{date(post.ts, true)}</time>{" "}
        <span className="muted small iso">{post.ts}</span>
      </p>
      <UserBlock className="post-text" value={post.text} />
      <p className="muted small">
        {t("source")}: <UserText value={post.input_path ?? String(post.input_id ?? "")} max={200} /> ·{" "}
        {t("row")} {post.source_row !== undefined ? num(post.source_row) : "–"} · {t("postId")}{" "}
        <UserText value={post.post_id} max={100} />
      </p>
    </article>
  );
}
