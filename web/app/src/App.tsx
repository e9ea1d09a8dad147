/**
 * The app's frame: reads the route from the URL's hash, sets the page's language and direction (Persian: `rtl`,
 * and the layout follows through logical CSS properties), and shows the header, the screen and the export
 * dialog. Marks `data-ready` on <html> once the first screen has its data, for tests and the benchmark.
 */
import { useEffect, useState } from "react";
import { shownKey } from "../../../src/report/html/indicators.js";
import { Account } from "./Account.js";
import { api } from "./api.js";
import { Campaign } from "./Campaign.js";
import { CtxProvider, useApi, useCtx } from "./ctx.js";
import { Explorer } from "./Explorer.js";
import { ExportDialog } from "./Export.js";
import { Messages } from "./Messages.js";
import { Notes } from "./Notes.js";
import { Overview } from "./Overview.js";
import { parseHash, type Route } from "./route.js";
import { Search, SearchBox } from "./Search.js";
import { Tie } from "./Tie.js";

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(location.hash));
    window.addEventListener("hashchange", on);
    window.addEventListener("popstate", on);
    return () => {
      window.removeEventListener("hashchange", on);
      window.removeEventListener("popstate", on);
    };
  }, []);
  return route;
}

export function App() {
  const route = useRoute();
  useEffect(() => {
    const html = document.documentElement;
    html.lang = route.lang;
    html.dir = route.lang === "fa" ? "rtl" : "ltr";
  }, [route.lang]);
  return (
    <CtxProvider route={route}>
      <Frame />
    </CtxProvider>
  );
}

function Frame() {
  const { route, t, link, go } = useCtx();
  const screenName = t(
    route.screen === "overview"
      ? "overview"
      : route.screen === "explorer"
        ? "explorer"
        : route.screen === "notes"
          ? "notes"
          : route.screen === "search"
            ? "search"
            : route.screen,
  );
  useEffect(() => {
    // an account's key in the title (and so in the history and bookmarks) with a sender's address defanged
    const id = route.screen === "account" || route.screen === "tie" ? shownKey(route.id ?? "") : route.id;
    document.title = `${screenName}${id ? ` ${id}` : ""} · ${t("appName")}`;
  }, [screenName, route.id, route.screen, t]);
  // a case of posts alone has no email to show: the link appears only when the case holds messages (a server
  // older than the screen, or a failed count, leaves it out; the screen itself still answers its link)
  const messages = useApi(
    () =>
      api.overview().then(
        (o) => o.messages?.total ?? 0,
        () => 0,
      ),
    [],
  );
  const nav: Array<[Route["screen"], string]> = [
    ["overview", t("overview")],
    ["explorer", t("explorer")],
    ...((messages.data ?? 0) > 0 || route.screen === "messages"
      ? [["messages", t("messages")] as [Route["screen"], string]]
      : []),
    ["notes", t("notes")],
  ];
  return (
    <>
      <a
        className="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById("main")?.focus();
        }}
      >
        {t("skip")}
      </a>
      <header className="top">
        <p className="brand">
          <a href={link({ screen: "overview", id: null })}>{t("appName")}</a>
        </p>
        <nav aria-label={t("appName")} data-messages={messages.data ?? undefined}>
          <ul>
            {nav.map(([s, label]) => (
              <li key={s}>
                <a
                  href={link({ screen: s, id: null })}
                  aria-current={route.screen === s ? "page" : undefined}
                >
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <SearchBox />
        <div className="prefs">
          <label>
            {t("language")}{" "}
            <select value={route.lang} onChange={(e) => go({ lang: e.target.value as Route["lang"] }, true)}>
              <option value="en" lang="en">
                English
              </option>
              <option value="fa" lang="fa">
                فارسی
              </option>
            </select>
          </label>
          <label>
            {t("calendar")}{" "}
            <select
              value={route.calendar}
              onChange={(e) => go({ calendar: e.target.value as Route["calendar"] }, true)}
            >
              <option value="gregorian">{t("gregorian")}</option>
              <option value="persian">{t("persian")}</option>
            </select>
          </label>
          <button type="button" onClick={() => go({ exportOpen: true }, true)}>
            {t("export")}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {route.screen === "overview" && <Overview />}
        {route.screen === "campaign" && <Campaign />}
        {route.screen === "account" && <Account />}
        {route.screen === "tie" && <Tie />}
        {route.screen === "explorer" && <Explorer />}
        {route.screen === "notes" && <Notes />}
        {route.screen === "search" && <Search />}
        {route.screen === "messages" && <Messages />}
      </main>
      {route.exportOpen && <ExportDialog />}
    </>
  );
}
