/**
 * Filters are an ordered list: the order an investigator added them in is the order every caption states them
 * in. Each has a name and one value kept as text (the URL is the source of truth); `caption` says it in words,
 * and the predicates here apply it to the rows each view shows. A view that cannot apply a filter says so
 * instead of silently ignoring it.
 *
 * @example
 * parseFilters("score:0.5~dates:2024-03-01..2024-03-10");
 * // [{ name: "score", value: "0.5" }, { name: "dates", value: "2024-03-01..2024-03-10" }]
 */
import { ALL_LAYERS } from "../../../src/campaign/layers.js";

export type FilterName = "layer" | "window" | "score" | "dates" | "platform" | "campaign" | "ties";
export const FILTER_NAMES: readonly FilterName[] = [
  "layer",
  "window",
  "score",
  "dates",
  "platform",
  "campaign",
  "ties",
];

export interface Filter {
  name: FilterName;
  value: string;
}

const VALID: Record<FilterName, RegExp> = {
  layer: /^[a-z][a-z-]{0,31}$/,
  window: /^(main|fast|\d{1,7}(\.\d+)?)$/,
  // at most 16 decimals, as the server reads them
  score: /^(0(\.\d{1,16})?|1(\.0{1,16})?)$/,
  dates: /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?\.\.\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/,
  platform: /^[A-Za-z0-9_.-]{1,64}$/,
  campaign: /^(C\d{1,6}|cm_[0-9a-f]{16})$/,
  ties: /^\d{1,6}$/,
};

/** Is this a value the filter can hold? */
export function validFilter(f: Filter): boolean {
  if (!FILTER_NAMES.includes(f.name) || !VALID[f.name].test(f.value)) return false;
  // a layer some detector has, as the server accepts: a mistyped one would turn every view into an error
  return f.name !== "layer" || ALL_LAYERS.includes(f.value);
}

/** Filters from their URL form (`name:value` joined by `~`); malformed ones are dropped, a repeated name keeps its last value in its first place. */
export function parseFilters(s: string): Filter[] {
  const out: Filter[] = [];
  for (const part of s.split("~")) {
    const i = part.indexOf(":");
    if (i < 0) continue;
    const f = { name: part.slice(0, i) as FilterName, value: part.slice(i + 1) };
    if (!validFilter(f)) continue;
    const at = out.findIndex((x) => x.name === f.name);
    if (at >= 0) out[at] = f;
    else out.push(f);
  }
  return out;
}

export function serializeFilters(fs: readonly Filter[]): string {
  return fs.map((f) => `${f.name}:${f.value}`).join("~");
}

/** The list with `f` set: replaced where it was, appended if new. */
export function setFilter(fs: readonly Filter[], f: Filter): Filter[] {
  const at = fs.findIndex((x) => x.name === f.name);
  if (at < 0) return [...fs, f];
  return fs.map((x, i) => (i === at ? f : x));
}

export function removeFilter(fs: readonly Filter[], name: FilterName): Filter[] {
  return fs.filter((x) => x.name !== name);
}

export function filterValue(fs: readonly Filter[], name: FilterName): string | undefined {
  return fs.find((x) => x.name === name)?.value;
}

/** The window filter in seconds, when it is a number (main/fast name the server's own windows). */
export function windowSeconds(fs: readonly Filter[]): number | undefined {
  const v = filterValue(fs, "window");
  return v !== undefined && /^\d/.test(v) ? Number(v) : undefined;
}

/** The date range as milliseconds [from, to), the end day included whole. */
export function dateRange(fs: readonly Filter[]): [number, number] | null {
  const v = filterValue(fs, "dates");
  if (!v) return null;
  const [a, b] = v.split("..");
  const from = Date.parse(a!.length === 10 ? `${a}T00:00:00Z` : a!);
  const toRaw = Date.parse(b!.length === 10 ? `${b}T00:00:00Z` : b!);
  if (Number.isNaN(from) || Number.isNaN(toRaw)) return null;
  const to = b!.length === 10 ? toRaw + 86_400_000 : toRaw;
  return from <= to ? [from, to] : [to, from];
}

/** A date-range filter value for a span of UTC days. */
export function daysValue(fromDay: string, toDay: string): string {
  return fromDay <= toDay ? `${fromDay}..${toDay}` : `${toDay}..${fromDay}`;
}

export const inRange = (iso: string | null | undefined, r: [number, number] | null): boolean => {
  if (!r) return true;
  if (!iso) return false;
  const ms = Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return !Number.isNaN(ms) && ms >= r[0] && ms < r[1];
};

/** Does a span [first, last] overlap the range? */
export const overlaps = (
  first: string | null | undefined,
  last: string | null | undefined,
  r: [number, number] | null,
): boolean => {
  if (!r) return true;
  const a = first ? Date.parse(first) : NaN;
  const b = last ? Date.parse(last) : a;
  if (Number.isNaN(a)) return false;
  return a < r[1] && (Number.isNaN(b) ? a : b) >= r[0];
};

export interface Captioner {
  (name: FilterName): string;
}

/**
 * The filter in words, for captions on views and exports: "Minimum score ≥ 0.5", "Date range 2024-03-01 – 2024-03-10",
 * "Layer = repost" (the layer in the interface's words, by `layerOf`). Dates stay ISO here (a caption must read the
 * same in every calendar's export).
 */
export function caption(f: Filter, nameOf: Captioner, layerOf: (layer: string) => string = (l) => l): string {
  switch (f.name) {
    case "score":
      return `${nameOf("score")} ≥ ${f.value}`;
    case "ties":
      return `${nameOf("ties")} ≥ ${f.value}`;
    case "window":
      return /^\d/.test(f.value) ? `${nameOf("window")} ≤ ${f.value}` : `${nameOf("window")} = ${f.value}`;
    case "dates":
      return `${nameOf("dates")} ${f.value.replace("..", " – ")}`;
    case "layer":
      return `${nameOf("layer")} = ${layerOf(f.value)}`;
    default:
      return `${nameOf(f.name)} = ${f.value}`;
  }
}

/** All filters as one caption line, in order; the ones this view does not apply are marked. */
export function captionLine(
  fs: readonly Filter[],
  nameOf: Captioner,
  applies: (name: FilterName) => boolean,
  notApplied: string,
  none: string,
  layerOf?: (layer: string) => string,
): string {
  if (fs.length === 0) return none;
  return fs
    .map((f, i) => `${i + 1}. ${caption(f, nameOf, layerOf)}${applies(f.name) ? "" : ` (${notApplied})`}`)
    .join("; ");
}

/** Kinds of shared object: the layers a post-counting view (timeline, heat map) can filter on. */
export const OBJECT_LAYERS: readonly string[] = [
  "url",
  "domain",
  "hashtag",
  "mention",
  "repost",
  "reply",
  "quote",
  "text",
  "image",
];

/**
 * The filters the server applies itself, as its query parameters (docs/serve.md): score → minScore, ties →
 * minTies, dates → from/to, window only as main/fast; `skip` leaves some out (a timeline is not cut by its own
 * brush). Returns the names it passed, so the view can say which filters apply.
 *
 * @example
 * serverQuery([{ name: "score", value: "0.5" }, { name: "dates", value: "2024-03-01..2024-03-02" }]).query;
 * // "minScore=0.5&from=2024-03-01&to=2024-03-02"
 */
export function serverQuery(
  fs: readonly Filter[],
  opts: { skip?: readonly FilterName[]; postsOnly?: boolean } = {},
): { query: string; passed: Set<FilterName> } {
  const p = new URLSearchParams();
  const passed = new Set<FilterName>();
  for (const f of fs) {
    if (opts.skip?.includes(f.name)) continue;
    if (f.name === "score") p.set("minScore", f.value);
    else if (f.name === "ties") p.set("minTies", f.value);
    else if (f.name === "platform" || f.name === "campaign") p.set(f.name, f.value);
    else if (f.name === "layer") {
      if (opts.postsOnly && !OBJECT_LAYERS.includes(f.value)) continue;
      p.set("layer", f.value);
    } else if (f.name === "window") {
      if (f.value !== "main" && f.value !== "fast") continue;
      p.set("window", f.value);
    } else if (f.name === "dates") {
      const [from, to] = f.value.split("..");
      p.set("from", from!);
      p.set("to", to!);
    }
    passed.add(f.name);
  }
  return { query: p.toString(), passed };
}
