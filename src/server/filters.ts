/**
 * The filters the API's lists, timelines and graphs share, read from the query string in the order it gives them,
 * each with a caption in plain English so the browser can show them as "score ≥ 0.6 · 2024-03-01 to 2024-03-09
 * UTC" and say "Showing N of M". Parsing is strict: an unknown parameter, a parameter given twice or a malformed
 * value is an error naming it. What a filter means for campaigns is decided here too (`matchCampaigns`); the
 * timeline and graph modules apply the same filters to posts and ties.
 *
 * @example
 * const f = parseFilters(new URLSearchParams("minScore=0.6&from=2024-03-01&to=2024-03-09"), {}, ctx);
 * f.list.map((x) => x.caption); // ["score ≥ 0.6", "2024-03-01 to 2024-03-09 UTC"]
 */
import { z } from "zod";
import { ALL_LAYERS } from "../campaign/layers.js";
import { members, type Analysis, type CampaignDoc } from "./case-view.js";

export class FilterError extends Error {
  override name = "FilterError";
}

/** One filter as the response lists it: what the query gave, and how to say it. */
export interface FilterEntry {
  name: string;
  /** The query parameters this entry comes from (a date range names both). */
  params: string[];
  value: unknown;
  caption: string;
}

export interface TimeRange {
  /** Inclusive lower bound, ISO UTC. */
  from: string | null;
  /** Exclusive upper bound, ISO UTC (a date `to` ends with its day). */
  until: string | null;
}

export interface Filters {
  minScore?: number;
  layer?: string;
  platform?: string;
  range: TimeRange;
  minTies?: number;
  campaigns?: string[];
  window?: "main" | "fast";
  /** Filters in the order the query gave them, with captions. */
  list: FilterEntry[];
}

/** What the latest run offers that filters depend on. */
export interface FilterContext {
  windowSec: number | null;
  fastWindowSec: number | null;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:\d{2})?$/;

/** A date (a whole UTC day) or a date and time (UTC unless it carries an offset). */
const DateParam = z
  .string()
  .max(40)
  .refine(
    (s) => DATE_RE.test(s) || DATETIME_RE.test(s),
    "a date (2024-03-01) or date and time (2024-03-01T12:00Z)",
  )
  .refine((s) => {
    const ms = parseInstant(s);
    return Number.isFinite(ms) && ms >= Date.UTC(1900, 0, 1) && ms < Date.UTC(2200, 0, 1);
  }, "not a real date between 1900 and 2200");

function parseInstant(s: string): number {
  if (DATE_RE.test(s)) {
    const ms = Date.parse(`${s}T00:00:00Z`);
    // Date.parse accepts 2024-02-30; the round trip does not
    return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === s ? ms : NaN;
  }
  const m = DATETIME_RE.exec(s);
  if (!m) return NaN;
  const [, y, mo, d, h, mi] = m;
  if (Number(h) > 23 || Number(mi) > 59 || Number(m[6] ?? 0) > 59) return NaN;
  const day = `${y}-${mo}-${d}`;
  if (!Number.isFinite(parseInstant(day))) return NaN;
  const withZone = m[8] ? s : `${s}Z`;
  return Date.parse(withZone);
}

export const LayerParam = z
  .string()
  .refine((l) => ALL_LAYERS.includes(l), `a layer: one of ${ALL_LAYERS.join(", ")}`);

/** A whole number written in digits (with a minus sign or not), between `min` and `max`; `Number()` reads 0x10. */
export const intParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^-?\d{1,16}$/, "a whole number in digits")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** `intParam` with a default when the parameter is absent (paging and caps). */
export const intOr = (min: number, max: number, dflt: number) => intParam(min, max).default(dflt);

/** A decimal number written in digits (1, 0.5, .5), between `min` and `max`. */
export const decimalParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^-?(\d{1,16}(\.\d{1,16})?|\.\d{1,16})$/, "a decimal number in digits")
    .transform(Number)
    .pipe(z.number().min(min).max(max));
const PlatformParam = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "a platform name");
export const CampaignIdRe = /^(C\d{1,7}|cm_[0-9a-f]{16})$/;
const CampaignList = z
  .string()
  .max(2000)
  // each campaign once, in the order first named
  .transform((s) => [...new Set(s.split(",").map((x) => x.trim()))])
  .pipe(
    z
      .array(
        z
          .string()
          .regex(CampaignIdRe, "campaign ids are numbers like C3 or stable ids like cm_ and 16 hex digits"),
      )
      .min(1)
      .max(100, "at most 100 campaigns"),
  );

/** The filter parameters, shared by every list and view that filters. */
export const FILTER_SHAPE = {
  minScore: decimalParam(0, 1).optional(),
  layer: LayerParam.optional(),
  platform: PlatformParam.optional(),
  from: DateParam.optional(),
  to: DateParam.optional(),
  minTies: intParam(0, 1_000_000).optional(),
  campaign: CampaignList.optional(),
  window: z.enum(["main", "fast"]).optional(),
};
export const FILTER_NAMES = Object.keys(FILTER_SHAPE);

function shown(s: string): string {
  if (DATE_RE.test(s)) return s;
  const iso = new Date(parseInstant(s)).toISOString();
  return iso.endsWith(":00.000Z")
    ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}`
    : iso.slice(0, 19).replace("T", " ");
}

/** The range [from, until) in UTC: a date `to` runs to the end of that day. */
export function timeRange(from: string | undefined, to: string | undefined): TimeRange {
  const lo = from === undefined ? null : new Date(parseInstant(from)).toISOString();
  let hi: string | null = null;
  if (to !== undefined) {
    const t = parseInstant(to);
    hi = new Date(DATE_RE.test(to) ? t + 86_400_000 : t + 1).toISOString();
  }
  return { from: lo, until: hi };
}

/**
 * Check a query's filters (plus the endpoint's own parameters in `extra`) and list them in query order. Unknown
 * parameters and repeated ones are errors naming them. `window=fast` needs a run with a fast-core view.
 */
export function parseFilters<E extends z.ZodRawShape>(
  search: URLSearchParams,
  extra: E,
  ctx: FilterContext,
): Filters & { extra: z.infer<z.ZodObject<E>> } {
  const seen = new Set<string>();
  const order: string[] = [];
  // no prototype: a parameter named __proto__ is then a key (and refused as unknown), not the object's prototype
  const raw: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of search) {
    if (k === "token") continue;
    if (seen.has(k))
      throw new FilterError(`${k.slice(0, 40)}: given more than once (use one value, or a list)`);
    // an empty value would coerce to 0 or match nothing: say so instead
    if (v.trim() === "") throw new FilterError(`${k.slice(0, 40)}: empty value`);
    seen.add(k);
    order.push(k);
    raw[k] = v;
  }
  const schema = z.object({ ...FILTER_SHAPE, ...extra }).strict();
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issues = r.error.issues.map((i) => {
      const keys = i.code === "unrecognized_keys" ? i.keys.map((k) => k.slice(0, 40)).join(", ") + ": " : "";
      return `${i.path.length ? i.path.join(".") + ": " : keys}${i.message}`;
    });
    throw new FilterError(issues.join("; "));
  }
  const q = r.data as Record<string, unknown>;
  const f: Filters = {
    range: timeRange(q["from"] as string | undefined, q["to"] as string | undefined),
    list: [],
  };
  if (f.range.from && f.range.until && f.range.from >= f.range.until) {
    throw new FilterError("to: must be after from");
  }
  if (q["window"] === "fast" && ctx.fastWindowSec === null) {
    throw new FilterError(
      "window: this analysis has no fast-core view (co-share did not run, or ran in CooRTweet mode); use window=main or leave it out",
    );
  }
  let datesListed = false;
  for (const name of order) {
    const v = q[name];
    if (v === undefined || !FILTER_NAMES.includes(name)) continue;
    switch (name) {
      case "minScore":
        f.minScore = v as number;
        f.list.push({ name, params: [name], value: v, caption: `score ≥ ${String(v)}` });
        break;
      case "layer":
        f.layer = v as string;
        f.list.push({ name, params: [name], value: v, caption: `tied on the ${String(v)} layer` });
        break;
      case "platform":
        f.platform = v as string;
        f.list.push({ name, params: [name], value: v, caption: `on ${String(v)}` });
        break;
      case "minTies":
        f.minTies = v as number;
        f.list.push({
          name,
          params: [name],
          value: v,
          caption: `at least ${String(v)} binding tie${v === 1 ? "" : "s"}`,
        });
        break;
      case "campaign": {
        const ids = v as string[];
        f.campaigns = ids;
        f.list.push({
          name,
          params: [name],
          value: ids,
          caption: `${ids.length === 1 ? "campaign" : "campaigns"} ${ids.join(", ")}`,
        });
        break;
      }
      case "window":
        f.window = v as "main" | "fast";
        f.list.push({
          name,
          params: [name],
          value: v,
          caption:
            v === "fast"
              ? `ties that hold in the fast-core window (${ctx.fastWindowSec ?? "?"} s)`
              : `ties in the main window${ctx.windowSec === null ? "" : ` (${ctx.windowSec} s)`}`,
        });
        break;
      case "from":
      case "to": {
        if (datesListed) break;
        datesListed = true;
        const from = q["from"] as string | undefined;
        const to = q["to"] as string | undefined;
        const params = [from !== undefined ? "from" : null, to !== undefined ? "to" : null].filter(
          (x): x is string => x !== null,
        );
        const caption =
          from !== undefined && to !== undefined
            ? `${shown(from)} to ${shown(to)} UTC`
            : from !== undefined
              ? `from ${shown(from)} UTC`
              : `until ${shown(to!)} UTC`;
        f.list.push({ name: "dates", params, value: { from: from ?? null, to: to ?? null }, caption });
        break;
      }
    }
  }
  for (const k of FILTER_NAMES) {
    if (k in q) delete q[k];
  }
  return { ...f, extra: q as z.infer<z.ZodObject<E>> };
}

/** What the latest run offers: its co-share window and fast-core window, if co-share ran. */
export function filterContext(a: Analysis | null): FilterContext {
  const cs = a?.doc.detectors.find((d) => d.id === "co-share" && d.status === "ok");
  const w = Number(cs?.details["window_seconds"]);
  const fw = Number(cs?.details["fast_window_seconds"]);
  return {
    windowSec: Number.isFinite(w) && w > 0 ? w : null,
    fastWindowSec: Number.isFinite(fw) && fw > 0 ? fw : null,
  };
}

/** Campaign numbers (C1) or stable ids named by the filter, as numbers; unknown ones are listed. */
export function resolveCampaigns(a: Analysis, ids: string[]): { numbers: Set<string>; unknown: string[] } {
  const numbers = new Set<string>();
  const unknown: string[] = [];
  for (const id of ids) {
    const num = a.idOf.get(id) ?? (a.keyOf.has(id) ? id : undefined);
    if (num === undefined) unknown.push(id);
    else numbers.add(num);
  }
  return { numbers, unknown };
}

/**
 * Campaigns that pass the filters: score, a binding layer, a member on the platform, activity overlapping the
 * dates, at least `minTies` binding ties among the members, one of the named campaigns, and for `window=fast`
 * some of its ties holding in the fast-core window.
 */
export function matchCampaigns(a: Analysis, f: Filters, campaigns: CampaignDoc[]): CampaignDoc[] {
  const named = f.campaigns ? resolveCampaigns(a, f.campaigns).numbers : null;
  return campaigns.filter((c) => {
    if (f.minScore !== undefined && !(Number(c["score"]) >= f.minScore)) return false;
    if (f.layer !== undefined && !((c["layers"] as string[] | undefined) ?? []).includes(f.layer))
      return false;
    if (f.platform !== undefined && !members(c).some((m) => m.platform === f.platform)) return false;
    if (f.minTies !== undefined && !(Number(c["ties"] ?? 0) >= f.minTies)) return false;
    if (named && !named.has(String(c["id"]))) return false;
    if (f.window === "fast" && !(Number(c["fast_core_share"] ?? 0) > 0)) return false;
    if (f.range.from !== null || f.range.until !== null) {
      const first = Date.parse(String(c["first_seen"] ?? ""));
      const last = Date.parse(String(c["last_seen"] ?? ""));
      if (!Number.isFinite(first) || !Number.isFinite(last)) return false;
      if (f.range.from !== null && last < Date.parse(f.range.from)) return false;
      if (f.range.until !== null && first >= Date.parse(f.range.until)) return false;
    }
    return true;
  });
}
