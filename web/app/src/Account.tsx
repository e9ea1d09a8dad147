/**
 * One account: its profile as first seen in the inputs (with file and row), its score, every finding with its
 * plain-language explanation (defanged, as the report shows it), its campaigns, and its ties, each a link to the
 * tie screen. A sender of reported email is named by its address, defanged.
 */
import { shownExplanation, shownHandle, shownName } from "../../../src/report/html/indicators.js";
import { api, type AccountDetail } from "./api.js";
import { AnnotationPanel } from "./Annotations.js";
import { Status, useApi, useCtx } from "./ctx.js";
import { FilterBar, ViewCaption } from "./FilterBar.js";
import { filterValue, type FilterName } from "./filters.js";
import { formatP, roleKey } from "./i18n.js";
import { Handle, Sentence, UserBlock, UserText } from "./UserText.js";

const applies = (n: FilterName) => n === "layer" || n === "campaign";

export function Account() {
  const { route, revision } = useCtx();
  const key = route.id ?? "";
  const acc = useApi(() => api.account(key), [key, revision]);
  return (
    <div className="screen account">
      <Status loaded={acc}>{(a) => <AccountView a={a} />}</Status>
    </div>
  );
}

function AccountView({ a }: { a: AccountDetail }) {
  const { t, num, date, link, route, prefs, layers, term } = useCtx();
  const p = a.profile;
  const layer = filterValue(route.filters, "layer");
  const ties = a.ties.ties.filter((x) => layer === undefined || x.layers.includes(layer));
  return (
    <div data-account-shown={a.key}>
      <h1>
        {t("account")} <Handle handle={p?.handle} account={a.key} />
      </h1>
      <div className="three-col">
        <aside className="side-filters">
          <FilterBar applies={applies} />
        </aside>
        <section className="main-col">
          <dl className="facts profile">
            <div>
              <dt>{t("name")}</dt>
              <dd>
                <UserText value={p?.display_name && shownName(a.key, p.display_name)} max={300} />
              </dd>
            </div>
            <div>
              <dt>{t("handle")}</dt>
              <dd>
                <UserText value={p?.handle && shownHandle(a.key, p.handle)} max={300} />
              </dd>
            </div>
            <div className="wide">
              <dt>{t("bio")}</dt>
              <UserBlock as="dd" value={p?.bio} />
            </div>
            <div>
              <dt>{t("created")}</dt>
              <dd>{date(p?.created_at, true)}</dd>
            </div>
            <div>
              <dt>{t("followers")}</dt>
              <dd>{p?.followers != null ? num(p.followers) : "–"}</dd>
            </div>
            <div>
              <dt>{t("following")}</dt>
              <dd>{p?.following != null ? num(p.following) : "–"}</dd>
            </div>
            <div>
              <dt>{t("location")}</dt>
              <dd>
                <UserText value={p?.location} max={300} />
              </dd>
            </div>
            <div>
              <dt>{t("posts")}</dt>
              <dd data-count="posts">{num(p?.posts ?? 0)}</dd>
            </div>
            <div>
              <dt>{t("activePeriod")}</dt>
              <dd>
                {date(p?.first_post, true)} – {date(p?.last_post, true)}
              </dd>
            </div>
            <div>
              <dt>{t("score")}</dt>
              <dd data-count="score">{num(a.score, 3)}</dd>
            </div>
            <div className="wide">
              <dt>{t("source")}</dt>
              <dd>
                <UserText value={p?.input_path ?? ""} max={300} />
                {p?.source_row !== undefined && ` · ${t("row")} ${num(p.source_row)}`}
              </dd>
            </div>
          </dl>
          <h2>{t("campaigns")}</h2>
          {a.campaigns.length === 0 ? (
            <p>{t("noData")}</p>
          ) : (
            <ul>
              {a.campaigns.map((c) => (
                <li key={c.key}>
                  <a href={link({ screen: "campaign", id: c.id })}>{c.id}</a> · {t("role")}:{" "}
                  {roleKey(c.role) ? t(roleKey(c.role)!) : c.role} · {t("score")} {num(c.member_score, 3)}
                </li>
              ))}
            </ul>
          )}
          <h2>{t("findings")}</h2>
          <p className="muted">
            {t("showing", { n: num(a.findings.length), m: num(a.findings.length), what: t("findings") })}
          </p>
          <ul className="findings">
            {a.findings.map((f, i) => (
              <li key={i} data-detector={f.detector}>
                <p>
                  <strong className="detector">{term("detector", f.detector)}</strong> ·{" "}
                  <span className={`strength strength-${f.strength}`} data-strength={f.strength}>
                    {term("strength", f.strength)}
                  </span>{" "}
                  · {t("score")} {num(f.score, 3)}
                </p>
                {/* as the report's account cards word it: the hosts, addresses and URLs it names defanged, the
                    handles as written */}
                <Sentence value={shownExplanation(f.explanation)} max={4000} />
              </li>
            ))}
          </ul>
          <h2>{t("ties")}</h2>
          <ViewCaption applies={applies} shown={ties.length} total={a.ties.total} what="tiesWord" />
          <table className="data ties">
            <thead>
              <tr>
                <th scope="col">{t("partner")}</th>
                <th scope="col">{t("layers")}</th>
                <th scope="col">{t("weight")}</th>
                <th scope="col">{t("pValue")}</th>
                <th scope="col">{t("tie")}</th>
              </tr>
            </thead>
            <tbody>
              {ties.map((x) => (
                <tr key={x.partner}>
                  <th scope="row">
                    <a href={link({ screen: "account", id: x.partner })}>
                      <Handle handle={x.handle} account={x.partner} />
                    </a>
                  </th>
                  <td>{layers(x.layers)}</td>
                  <td>{num(x.weight)}</td>
                  <td>{formatP(x.min_p_value, prefs)}</td>
                  <td>
                    <a href={link({ screen: "tie", id: a.key, b: x.partner })}>{t("openTie")}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <aside className="side-panel">
          <AnnotationPanel target={{ kind: "account", id: a.key }} label={a.label} notes={a.notes} />
        </aside>
      </div>
    </div>
  );
}
