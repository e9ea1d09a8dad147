/**
 * The whole state of a screen lives in the URL's hash, so a link or a reload shows the same thing: the screen and
 * what it names, the tab, the selected account, the ordered filters, the language, calendar and time zone,
 * whether the export dialog is open, and in the whole-case graph whether campaigns are grouped and which ones are
 * expanded. The query string is left to the server (it carries the token off loopback).
 *
 * @example
 * parseHash("#/campaign/C1?tab=heatmap&f=score:0.5~layer:url&lang=fa");
 * // { screen: "campaign", id: "C1", tab: "heatmap", filters: [{name:"score",value:"0.5"}, ...], lang: "fa", ... }
 */
import type { Calendar, Lang } from "./i18n.js";
import { parseFilters, serializeFilters, type Filter } from "./filters.js";

export type Screen =
  "overview" | "campaign" | "account" | "tie" | "explorer" | "notes" | "search" | "messages";
export type Tab = "graph" | "timeline" | "heatmap" | "objects";

export interface Route {
  screen: Screen;
  /** Campaign id (C1 or cm_…), account key, search text or the messages' verdict filter, by screen. */
  id: string | null;
  /** The second account of a tie. */
  b: string | null;
  tab: Tab;
  /** The selected account in a graph. */
  sel: string | null;
  /** Page of a long list (0-based). */
  page: number;
  /** Expanded campaign groups in the whole-case graph. */
  expand: string[];
  /** The whole-case graph asked for with campaigns grouped, however few the accounts (explorer only). */
  group: boolean;
  filters: Filter[];
  lang: Lang;
  calendar: Calendar;
  tz: string;
  exportOpen: boolean;
}

export const DEFAULT_ROUTE: Route = {
  screen: "overview",
  id: null,
  b: null,
  tab: "graph",
  sel: null,
  page: 0,
  expand: [],
  group: false,
  filters: [],
  lang: "en",
  calendar: "gregorian",
  tz: "UTC",
  exportOpen: false,
};

const SCREENS: readonly Screen[] = [
  "overview",
  "campaign",
  "account",
  "tie",
  "explorer",
  "notes",
  "search",
  "messages",
];
const TABS: readonly Tab[] = ["graph", "timeline", "heatmap", "objects"];

/** A time zone the browser knows, or UTC. */
export function validZone(tz: string | null | undefined): string {
  if (!tz || tz.length > 64) return "UTC";
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return tz;
  } catch {
    return "UTC";
  }
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The route a hash names; anything unknown falls back to the default, never throws. */
export function parseHash(hash: string): Route {
  const body = hash.replace(/^#/, "");
  const q = body.indexOf("?");
  const path = (q >= 0 ? body.slice(0, q) : body).split("/").filter(Boolean).map(decode);
  const params = new URLSearchParams(q >= 0 ? body.slice(q + 1) : "");
  const screen = SCREENS.includes(path[0] as Screen) ? (path[0] as Screen) : "overview";
  const tab = params.get("tab");
  const lang = params.get("lang");
  return {
    screen,
    id: path[1] ?? null,
    b: screen === "tie" ? (path[2] ?? null) : null,
    tab: TABS.includes(tab as Tab) ? (tab as Tab) : "graph",
    sel: params.get("sel"),
    page: Math.max(0, Math.min(1_000_000, Number.parseInt(params.get("page") ?? "0", 10) || 0)),
    expand: (params.get("expand") ?? "").split(",").filter((x) => /^C\d{1,6}$/.test(x)),
    group: screen === "explorer" && params.get("group") === "1",
    filters: parseFilters(params.get("f") ?? ""),
    lang: lang === "fa" ? "fa" : "en",
    calendar: params.get("cal") === "persian" ? "persian" : "gregorian",
    tz: validZone(params.get("tz")),
    exportOpen: params.get("export") === "1",
  };
}

/** The hash for a route; default values are left out so links stay short. Stable order: equal routes, equal hashes. */
export function toHash(r: Route): string {
  const path = [r.screen, ...(r.id !== null ? [r.id] : []), ...(r.screen === "tie" && r.b ? [r.b] : [])]
    .map((p) => encodeURIComponent(p))
    .join("/");
  const params = new URLSearchParams();
  if (r.screen === "campaign" && r.tab !== "graph") params.set("tab", r.tab);
  if (r.sel) params.set("sel", r.sel);
  if (r.page > 0) params.set("page", String(r.page));
  if (r.expand.length) params.set("expand", r.expand.join(","));
  if (r.screen === "explorer" && r.group) params.set("group", "1");
  const f = serializeFilters(r.filters);
  if (f) params.set("f", f);
  if (r.lang !== "en") params.set("lang", r.lang);
  if (r.calendar !== "gregorian") params.set("cal", r.calendar);
  if (r.tz !== "UTC") params.set("tz", r.tz);
  if (r.exportOpen) params.set("export", "1");
  const qs = params.toString();
  return `#/${path}${qs ? `?${qs}` : ""}`;
}

/** A link to another screen that keeps the filters and display preferences. */
export function linkTo(from: Route, change: Partial<Route>): string {
  return toHash({
    ...from,
    tab: "graph",
    sel: null,
    b: null,
    page: 0,
    exportOpen: false,
    expand: change.screen === "explorer" || (change.screen ?? from.screen) === from.screen ? from.expand : [],
    ...change,
  });
}
