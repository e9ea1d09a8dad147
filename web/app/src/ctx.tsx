/**
 * What every screen needs: the route (the URL's state), a way to change it, the interface's words, and loading
 * from the API with its error said in the interface's language.
 */
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import {
  formatDate,
  formatNumber,
  layerList,
  layerName,
  t as translate,
  term as termOf,
  type DisplayPrefs,
  type Key,
  type Vocabulary,
} from "./i18n.js";
import { linkTo, toHash, type Route } from "./route.js";

export interface Ctx {
  route: Route;
  /** Go to a changed route (a new history entry unless `replace`). */
  go: (change: Partial<Route>, replace?: boolean) => void;
  /** A link (`href`) to another screen keeping filters and display preferences. */
  link: (change: Partial<Route>) => string;
  t: (key: Key, vars?: Record<string, string | number>) => string;
  /** A layer's name in the interface's language ("repost" is "بازنشر" in Persian). */
  layer: (name: string) => string;
  /** A value of the data's vocabularies (tier, strength, detector, verdict, ...) in the interface's language. */
  term: (vocabulary: Vocabulary, value: string) => string;
  /** Several layers' names, joined with the language's comma. */
  layers: (names: readonly string[]) => string;
  num: (n: number, digits?: number) => string;
  date: (iso: string | null | undefined, withTime?: boolean) => string;
  prefs: DisplayPrefs;
  /** Bumped after a write, so views that show labels and notes read them again. */
  revision: number;
  bump: () => void;
}

const Context = createContext<Ctx | null>(null);

export function useCtx(): Ctx {
  const c = useContext(Context);
  if (!c) throw new Error("app: no context");
  return c;
}

export function CtxProvider({ route, children }: { route: Route; children: ReactNode }) {
  const [revision, setRevision] = useState(0);
  const prefs: DisplayPrefs = { lang: route.lang, calendar: route.calendar, tz: route.tz };
  const go = useCallback(
    (change: Partial<Route>, replace = false) => {
      const hash = toHash({ ...route, ...change });
      if (hash === location.hash) return;
      if (replace) history.replaceState(null, "", hash);
      else history.pushState(null, "", hash);
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    },
    [route],
  );
  const value: Ctx = {
    route,
    go,
    link: (change) => linkTo(route, change),
    t: (key, vars) => translate(route.lang, key, vars),
    layer: (name) => layerName(route.lang, name),
    term: (vocabulary, value) => termOf(route.lang, vocabulary, value),
    layers: (names) => layerList(route.lang, names),
    num: (n, digits = 3) => formatNumber(n, prefs, digits),
    date: (iso, withTime = false) => formatDate(iso, prefs, withTime),
    prefs,
    revision,
    bump: () => setRevision((r) => r + 1),
  };
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
}

/** Data from the API for a key; a newer key wins over a slower older answer. */
export function useApi<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ data: null, error: null, loading: true });
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    load().then(
      (data) => {
        if (seq.current === mine) setState({ data, error: null, loading: false });
      },
      (err: unknown) => {
        if (seq.current === mine)
          setState({ data: null, error: err instanceof Error ? err.message : String(err), loading: false });
      },
    );
  }, deps);
  return state;
}

/** Loading and error states, said the same way on every screen. */
export function Status<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ReactNode }) {
  const { t } = useCtx();
  const ready = loaded.data !== null;
  useEffect(() => {
    // for tests and the benchmark: the first screen has its data
    if (ready) document.documentElement.dataset["ready"] = "true";
  }, [ready]);
  if (loaded.error)
    return (
      <p role="alert" className="error">
        {t("error", { msg: loaded.error })}
      </p>
    );
  if (!loaded.data)
    return (
      <p className="loading" aria-busy="true">
        {t("loading")}
      </p>
    );
  return <>{children(loaded.data)}</>;
}

export { formatNumber };
