/**
 * Activity over time for the API: posts (and distinct accounts) per bin of a minute, hour, day or week, and the
 * hour-of-week heat map in a chosen time zone, for the whole case, the members of campaigns, one account or the
 * two accounts of a tie. Everything is aggregated in DuckDB with parameters (no row reaches JavaScript), bins are
 * counted from the Unix epoch in UTC (weeks start on Monday) and returned densely, zeros included.
 *
 * @example
 * await timeline(store, { accounts: null, range: { from: null, until: null } }, {});
 * // { unit: "hour", bins: [{ start: "2024-03-01T00:00:00.000Z", posts: 12, accounts: 9 }, ...] }
 */
import { parseAccountKey } from "../store/account-keys.js";
import type { CaseStore } from "../store/case.js";
import type { TimeRange } from "./filters.js";
import { notOpenShortenerSql } from "../store/shares.js";

export const UNITS = ["minute", "hour", "day", "week"] as const;
export type Unit = (typeof UNITS)[number];

const UNIT_MS: Record<Unit, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
};
/** Weeks start on Monday: 1970-01-05 was the first Monday after the epoch. */
const UNIT_OFFSET_MS: Record<Unit, number> = { minute: 0, hour: 0, day: 0, week: 4 * 86_400_000 };

/** Most bins a timeline returns; the automatic unit aims at no more than `AUTO_BINS`. */
export const MAX_BINS = 5000;
export const AUTO_BINS = 1000;

export class TimelineError extends Error {
  override name = "TimelineError";
}

/** Which posts count: of these accounts (null: all), in this range, on this platform, carrying this layer. */
export interface PostScope {
  accounts: string[] | null;
  range: TimeRange;
  platform?: string;
  /** An object layer (url, hashtag, ...): only posts that share an object of that kind. */
  layer?: string;
  /** For a tie: the two accounts, counted apart in each bin. */
  pair?: [string, string];
}

interface Sql {
  with: string;
  /** `posts`, joined to the accounts in scope when there are some. */
  from: string;
  where: string;
  params: Record<string, string | number>;
}

/** The posts of a scope as SQL: a CTE of the accounts (if any) and the conditions on `posts`. */
function scopeSql(s: PostScope): Sql {
  const params: Record<string, string | number> = {};
  const conds: string[] = [];
  let withs = "";
  if (s.accounts !== null) {
    const keys = s.accounts.map(parseAccountKey);
    params["kp"] = JSON.stringify(keys.map((k) => k.platform));
    params["ki"] = JSON.stringify(keys.map((k) => k.accountId));
    withs = `k AS (SELECT unnest(from_json($kp, '["VARCHAR"]')) AS kp, unnest(from_json($ki, '["VARCHAR"]')) AS ki),`;
  }
  if (s.range.from !== null) {
    params["from"] = s.range.from;
    conds.push(`ts >= $from::TIMESTAMPTZ`);
  }
  if (s.range.until !== null) {
    params["until"] = s.range.until;
    conds.push(`ts < $until::TIMESTAMPTZ`);
  }
  if (s.platform !== undefined) {
    params["platform"] = s.platform;
    conds.push(`platform = $platform`);
  }
  if (s.layer !== undefined) {
    params["layer"] = s.layer;
    conds.push(
      `(platform, post_id) IN (SELECT (platform, post_id) FROM shared_objects o
                                 WHERE kind = $layer AND ${notOpenShortenerSql("o")})`,
    );
  }
  return {
    with: withs,
    from: s.accounts !== null ? "posts SEMI JOIN k ON platform = kp AND account_id = ki" : "posts",
    where: conds.length ? `WHERE ${conds.join(" AND ")}` : "",
    params,
  };
}

/** The smallest unit that keeps the span within `AUTO_BINS` bins (weeks if none does). */
export function chooseUnit(fromMs: number, toMs: number): Unit {
  for (const u of UNITS) if (binCount(u, fromMs, toMs) <= AUTO_BINS) return u;
  return "week";
}

const binOf = (u: Unit, ms: number): number => Math.floor((ms - UNIT_OFFSET_MS[u]) / UNIT_MS[u]);
const binStart = (u: Unit, bin: number): number => bin * UNIT_MS[u] + UNIT_OFFSET_MS[u];
/** Bins from the one holding `fromMs` to the one holding `toMs` (inclusive). */
export const binCount = (u: Unit, fromMs: number, toMs: number): number =>
  binOf(u, toMs) - binOf(u, fromMs) + 1;

export interface TimelineResult {
  unit: Unit;
  bin_seconds: number;
  /** The span the bins cover: the range asked for, or the first and last post in scope. */
  span: { from: string | null; to: string | null };
  total_posts: number;
  bins: Array<{ start: string; posts: number; accounts: number; a?: number; b?: number }>;
}

export async function timeline(
  store: CaseStore,
  s: PostScope,
  opts: { unit?: Unit },
): Promise<TimelineResult> {
  const q = scopeSql(s);
  const [span] = await store.all<{ lo: number | null; hi: number | null; n: number }>(
    `WITH ${q.with} p AS (SELECT ts FROM ${q.from} ${q.where})
     SELECT epoch_ms(min(ts))::DOUBLE AS lo, epoch_ms(max(ts))::DOUBLE AS hi, count(*)::DOUBLE AS n FROM p`,
    q.params,
  );
  // the bins cover the range asked for where it is given, else the posts in scope
  const lo = s.range.from !== null ? Date.parse(s.range.from) : (span?.lo ?? null);
  const hi = s.range.until !== null ? Date.parse(s.range.until) - 1 : (span?.hi ?? null);
  const unit = opts.unit ?? (lo !== null && hi !== null ? chooseUnit(lo, hi) : "day");
  const empty: TimelineResult = {
    unit,
    bin_seconds: UNIT_MS[unit] / 1000,
    span: {
      from: lo === null ? null : new Date(lo).toISOString(),
      to: hi === null ? null : new Date(hi).toISOString(),
    },
    total_posts: span?.n ?? 0,
    bins: [],
  };
  if (lo === null || hi === null || hi < lo) return empty;
  const n = binCount(unit, lo, hi);
  if (n > MAX_BINS) {
    throw new TimelineError(
      `unit: ${unit} bins over this span make ${n.toLocaleString("en-US")} bins, more than ${MAX_BINS.toLocaleString("en-US")}; ` +
        `choose a coarser unit or a narrower from/to`,
    );
  }
  const first = binOf(unit, lo);
  const pair = s.pair?.map(parseAccountKey);
  const pairCols = pair
    ? `, count(*) FILTER (WHERE platform = $pa AND account_id = $ia)::DOUBLE AS a,
         count(*) FILTER (WHERE platform = $pb AND account_id = $ib)::DOUBLE AS b`
    : "";
  const params = {
    ...q.params,
    size: UNIT_MS[unit],
    offset: UNIT_OFFSET_MS[unit],
    ...(pair
      ? { pa: pair[0]!.platform, ia: pair[0]!.accountId, pb: pair[1]!.platform, ib: pair[1]!.accountId }
      : {}),
  };
  const rows = await store.all<{ bin: number; posts: number; accounts: number; a?: number; b?: number }>(
    `WITH ${q.with} p AS (SELECT ts, platform, account_id FROM ${q.from} ${q.where})
     SELECT floor((epoch_ms(ts) - $offset) / $size)::DOUBLE AS bin, count(*)::DOUBLE AS posts,
            count(DISTINCT (platform, account_id))::DOUBLE AS accounts ${pairCols}
       FROM p GROUP BY bin ORDER BY bin`,
    params,
  );
  const byBin = new Map(rows.map((r) => [r.bin, r]));
  const bins: TimelineResult["bins"] = [];
  for (let i = 0; i < n; i++) {
    const r = byBin.get(first + i);
    const bin: TimelineResult["bins"][number] = {
      start: new Date(binStart(unit, first + i)).toISOString(),
      posts: r?.posts ?? 0,
      accounts: r?.accounts ?? 0,
    };
    if (pair) {
      bin.a = r?.a ?? 0;
      bin.b = r?.b ?? 0;
    }
    bins.push(bin);
  }
  return { ...empty, bins };
}

export const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

/** An IANA zone name Intl knows (UTC, Europe/Berlin, Asia/Tehran); anything else is refused. */
export function validTimeZone(tz: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export interface HeatmapResult {
  tz: string;
  days: readonly string[];
  /** posts[day][hour], Monday first, hours 0-23 in the zone. */
  posts: number[][];
  /** Distinct accounts posting in that hour of the week. */
  accounts: number[][];
  total_posts: number;
}

/** Posts per hour of the week in time zone `tz` (hours read in that zone, daylight saving included). */
export async function heatmap(store: CaseStore, s: PostScope, tz: string): Promise<HeatmapResult> {
  const q = scopeSql(s);
  const rows = await store.all<{ how: number; posts: number; accounts: number }>(
    `WITH ${q.with} p AS (SELECT timezone($tz, ts) AS t, platform, account_id FROM ${q.from} ${q.where})
     SELECT ((isodow(t) - 1) * 24 + hour(t))::INTEGER AS how, count(*)::DOUBLE AS posts,
            count(DISTINCT (platform, account_id))::DOUBLE AS accounts
       FROM p GROUP BY how`,
    { ...q.params, tz },
  );
  const posts = DAYS.map(() => new Array<number>(24).fill(0));
  const accounts = DAYS.map(() => new Array<number>(24).fill(0));
  let total = 0;
  for (const r of rows) {
    posts[Math.floor(r.how / 24)]![r.how % 24] = r.posts;
    accounts[Math.floor(r.how / 24)]![r.how % 24] = r.accounts;
    total += r.posts;
  }
  return { tz, days: DAYS, posts, accounts, total_posts: total };
}
