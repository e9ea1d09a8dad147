/**
 * Accounts found by handle, name or id (the search box in the header): the closest first, each linked to its
 * screen, with its posts, score and campaigns. The query lives in the route, so a search is a link like any other.
 */
import { shownName } from "../../../src/report/html/indicators.js";
import { api } from "./api.js";
import { Status, useApi, useCtx } from "./ctx.js";
import { Pager } from "./Tie.js";
import { Handle, UserText } from "./UserText.js";

/** Accounts listed on one page of results. */
export const SEARCH_PAGE = 50;

export function Search() {
  const { route, t, num, link, go } = useCtx();
  const q = route.id ?? "";
  const found = useApi(
    () =>
      q.trim() === ""
        ? Promise.resolve({ q, total: 0, offset: 0, accounts: [] })
        : api.searchAccounts(q, route.page * SEARCH_PAGE, SEARCH_PAGE),
    [q, route.page],
  );
  return (
    <div className="screen search-screen" data-search-shown={q}>
      <h1>
        <UserText value={t("searchResults", { q })} max={300} />
      </h1>
      <Status loaded={found}>
        {(r) =>
          r.total === 0 ? (
            <p>
              <UserText value={t("searchNone", { q })} max={300} />
            </p>
          ) : (
            <>
              <p className="muted">
                {t("showing", { n: num(r.accounts.length), m: num(r.total), what: t("accounts") })}
              </p>
              <table className="data search-results">
                <thead>
                  <tr>
                    <th scope="col">{t("handle")}</th>
                    <th scope="col">{t("name")}</th>
                    <th scope="col">{t("platform")}</th>
                    <th scope="col" className="num">
                      {t("posts")}
                    </th>
                    <th scope="col" className="num">
                      {t("score")}
                    </th>
                    <th scope="col">{t("campaigns")}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.accounts.map((a) => (
                    <tr key={a.key}>
                      <th scope="row">
                        <a href={link({ screen: "account", id: a.key })}>
                          <Handle handle={a.handle} account={a.key} />
                        </a>
                      </th>
                      <td>
                        <UserText value={a.display_name && shownName(a.key, a.display_name)} max={120} />
                      </td>
                      <td>
                        <UserText value={a.platform} max={64} />
                      </td>
                      <td className="num">{num(a.posts)}</td>
                      <td className="num">{num(Math.round(a.score * 100) / 100)}</td>
                      <td>
                        {a.campaigns.map((c, i) => (
                          <span key={c}>
                            {i > 0 && ", "}
                            <a href={link({ screen: "campaign", id: c })}>{c}</a>
                          </span>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager
                page={route.page}
                pages={Math.ceil(r.total / SEARCH_PAGE)}
                onPage={(p) => go({ page: p })}
                label={t("accounts")}
              />
            </>
          )
        }
      </Status>
    </div>
  );
}

/** The header's search box: the text goes into the route of the search screen. */
export function SearchBox() {
  const { route, t, go } = useCtx();
  return (
    <form
      role="search"
      className="search-box"
      onSubmit={(e) => {
        e.preventDefault();
        const q = String(new FormData(e.currentTarget).get("q") ?? "").trim();
        if (q) go({ screen: "search", id: q, page: 0, b: null, sel: null, tab: "graph" });
      }}
    >
      <label>
        <span className="visually-hidden">{t("search")}</span>
        <input
          type="search"
          name="q"
          dir="auto"
          maxLength={200}
          placeholder={t("searchLabel")}
          defaultValue={route.screen === "search" ? (route.id ?? "") : ""}
          key={route.screen === "search" ? (route.id ?? "") : ""}
        />
      </label>
      <button type="submit">{t("searchButton")}</button>
    </form>
  );
}
