/**
 * The case at a glance: what went in (files, sha256, rows and rejects), which detectors ran, were skipped or
 * failed and why, and the campaigns ranked by confidence with the analyst's labels.
 */
import { shownDetectorText } from "../../../src/report/html/indicators.js";
import { api, ApiError, get, type CampaignList, type CampaignRow, type CaseOverview } from "./api.js";
import { LabelBadge } from "./Annotations.js";
import { Status, useApi, useCtx } from "./ctx.js";
import { FilterBar, ViewCaption } from "./FilterBar.js";
import { dateRange, filterValue, overlaps, serverQuery, type Filter, type FilterName } from "./filters.js";
import type { Key } from "./i18n.js";
import { Sentence, UserText } from "./UserText.js";

const APPLIES = new Set<FilterName>(["score", "layer", "platform", "dates", "campaign", "ties"]);

/**
 * The ranked campaigns under the filters: the server applies them all when it knows them; an older server
 * that refuses the newer parameters is asked for score, layer and platform, and dates and campaign are applied
 * here from each campaign's first and last activity.
 */
async function campaignList(fs: readonly Filter[]): Promise<CampaignList & { local: boolean }> {
  const { query } = serverQuery(fs, { skip: ["window"] });
  try {
    return {
      ...(await get<CampaignList>(`/api/campaigns?limit=1000${query ? `&${query}` : ""}`)),
      local: false,
    };
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 400)) throw err;
  }
  const list = await api.campaigns({
    minScore: filterValue(fs, "score"),
    layer: filterValue(fs, "layer"),
    platform: filterValue(fs, "platform"),
    limit: 1000,
  });
  const range = dateRange(fs);
  const only = filterValue(fs, "campaign");
  const campaigns = list.campaigns.filter(
    (c) => overlaps(c.first_seen, c.last_seen, range) && (!only || c.id === only || c.key === only),
  );
  return { ...list, campaigns, local: true };
}
const applies = (n: FilterName) => APPLIES.has(n);

export function Overview() {
  const { t, route, revision } = useCtx();
  const overview = useApi(() => api.overview(), [revision]);
  const { query } = serverQuery(route.filters);
  const campaigns = useApi(() => campaignList(route.filters), [query, revision]);
  return (
    <div className="screen overview">
      <h1>{t("overview")}</h1>
      <Status loaded={overview}>
        {(o) => (
          <>
            <CaseFacts o={o} />
            <MessagesLine o={o} />
          </>
        )}
      </Status>
      <div className="with-filters">
        <FilterBar applies={applies} />
        <section aria-labelledby="campaigns-h" className="grow">
          <h2 id="campaigns-h">{t("campaigns")}</h2>
          <Status loaded={campaigns}>
            {(list) => <CampaignTable rows={list.campaigns} total={list.total} />}
          </Status>
        </section>
      </div>
      <Status loaded={overview}>{(o) => <Provenance o={o} />}</Status>
    </div>
  );
}

function CaseFacts({ o }: { o: CaseOverview }) {
  const { t, num, date } = useCtx();
  return (
    <dl className="facts">
      <div>
        <dt>{t("caseFile")}</dt>
        <dd>
          <UserText value={o.case} max={300} />
        </dd>
      </div>
      <div>
        <dt>{t("posts")}</dt>
        <dd data-count="posts">{num(o.counts.posts)}</dd>
      </div>
      <div>
        <dt>{t("accounts")}</dt>
        <dd data-count="accounts">{num(o.counts.accounts)}</dd>
      </div>
      <div>
        <dt>{t("campaigns")}</dt>
        <dd data-count="campaigns">{num(o.counts.campaigns)}</dd>
      </div>
      <div>
        <dt>{t("activePeriod")}</dt>
        <dd>
          <time dateTime={o.counts.first_post ?? ""}>{date(o.counts.first_post)}</time> –{" "}
          <time dateTime={o.counts.last_post ?? ""}>{date(o.counts.last_post)}</time>
        </dd>
      </div>
      <div>
        <dt>{t("ruledOut")}</dt>
        <dd>{num(o.counts.ruled_out)}</dd>
      </div>
    </dl>
  );
}

/** Reported email in one line, linked to its screen (which lists the hostile first); nothing when there is none. */
function MessagesLine({ o }: { o: CaseOverview }) {
  const { t, num, link } = useCtx();
  const m = o.messages;
  if (!m || m.total === 0) return null;
  return (
    <p className="messages-line">
      <a href={link({ screen: "messages", id: null })} data-count="messages">
        {t("messagesLine", { n: num(m.total), m: num(m.hostile) })}
      </a>
    </p>
  );
}

function CampaignTable({ rows, total }: { rows: CampaignRow[]; total: number }) {
  const { t, num, date, link, layers } = useCtx();
  const shown = rows;
  return (
    <>
      <ViewCaption applies={applies} shown={shown.length} total={total} what="campaignsWord" />
      <table className="campaigns data">
        <thead>
          <tr>
            <th scope="col">{t("campaign")}</th>
            <th scope="col">{t("confidence")}</th>
            <th scope="col">{t("members")}</th>
            <th scope="col">{t("layers")}</th>
            <th scope="col">{t("activePeriod")}</th>
            <th scope="col">{t("label")}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((c) => (
            <tr key={c.key} data-campaign={c.id}>
              <th scope="row">
                <a href={link({ screen: "campaign", id: c.id })}>{c.id}</a>
              </th>
              <td>
                <meter min={0} max={1} value={c.score} aria-hidden="true" /> {num(c.score, 2)}
              </td>
              <td>{num(c.members)}</td>
              <td>{layers(c.layers)}</td>
              <td>
                {date(c.first_seen)} – {date(c.last_seen)}
              </td>
              <td>
                <LabelBadge label={c.label as never} />
                {c.label_carried && (
                  <Sentence
                    as="span"
                    className="muted small block"
                    value={c.label_carried.caption}
                    max={300}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length === 0 && <p>{t("noData")}</p>}
    </>
  );
}

function Provenance({ o }: { o: CaseOverview }) {
  const { t, num, date, term } = useCtx();
  return (
    <>
      <section aria-labelledby="detectors-h">
        <h2 id="detectors-h">{t("detectors")}</h2>
        <table className="data detectors">
          <thead>
            <tr>
              <th scope="col">{t("detector")}</th>
              <th scope="col">{t("status")}</th>
              <th scope="col">{t("message")}</th>
            </tr>
          </thead>
          <tbody>
            {o.detectors.map((d) => (
              <tr key={d.id} data-detector={d.id} data-status={d.status}>
                <th scope="row">
                  <span className="detector">{term("detector", d.id)}</span>{" "}
                  <span className="muted">{t("version", { v: d.version })}</span>
                </th>
                <td>
                  <span className={`status status-${d.status}`}>
                    <span aria-hidden="true">
                      {d.status === "ok" ? "✔ " : d.status === "skipped" ? "– " : "✖ "}
                    </span>
                    {t(`status_${d.status}` as Key)}
                  </span>
                </td>
                <td>
                  <Sentence as="span" value={shownDetectorText(d.id, d.message)} max={600} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="inputs-h">
        <h2 id="inputs-h">{t("inputs")}</h2>
        <table className="data inputs">
          <thead>
            <tr>
              <th scope="col">{t("file")}</th>
              {/* a technical name, in every language: marked as English for a screen reader */}
              <th scope="col" lang="en">
                sha256
              </th>
              <th scope="col">{t("format")}</th>
              <th scope="col">{t("rows")}</th>
              <th scope="col">{t("rejected")}</th>
              <th scope="col">{t("ingested")}</th>
            </tr>
          </thead>
          <tbody>
            {o.inputs.map((i) => (
              <tr key={i.id}>
                <th scope="row">
                  <UserText value={i.path} max={300} />
                </th>
                <td>
                  <code className="hash">{i.sha256}</code>
                </td>
                <td>
                  <span lang="en">{i.format}</span>
                </td>
                <td data-count="rows">{num(i.rows)}</td>
                <td data-count="rejected">{num(i.rejected)}</td>
                <td>
                  <time dateTime={i.ingested_at}>{date(i.ingested_at, true)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>{t("rejectReasons")}</h3>
        {o.rejects.total === 0 ? (
          <p>{t("noRejects")}</p>
        ) : (
          <ul>
            {o.rejects.reasons.map((r) => (
              <li key={r.reason}>
                <UserText value={r.reason} max={300} /> ({num(r.n)})
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
