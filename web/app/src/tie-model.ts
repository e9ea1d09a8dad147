/**
 * The tie screen's arithmetic, apart from the page: which post pairs the filters leave (layer, window, date
 * range), how often each account posted first, and the typical gap. Pairs keep the server's time order.
 *
 * @example
 * tieStats(pairs); // { aFirst: 20, bFirst: 16, same: 0, medianGap: 12.3 }
 */
import type { PostRef, TiePair } from "./api.js";
import { dateRange, filterValue, inRange, windowSeconds, type Filter } from "./filters.js";
import { visible } from "./text.js";

export function filterPairs(pairs: readonly TiePair[], filters: readonly Filter[]): TiePair[] {
  const layer = filterValue(filters, "layer");
  const window = windowSeconds(filters);
  const range = dateRange(filters);
  return pairs.filter(
    (p) =>
      (layer === undefined || p.layer === layer) &&
      (window === undefined || Math.abs(p.gap_seconds) <= window) &&
      (range === null || inRange(p.a.ts, range) || inRange(p.b.ts, range)),
  );
}

export interface TieStats {
  aFirst: number;
  bFirst: number;
  same: number;
  medianGap: number | null;
}

export function tieStats(pairs: readonly TiePair[]): TieStats {
  let aFirst = 0;
  let bFirst = 0;
  let same = 0;
  for (const p of pairs) {
    if (p.first === "a") aFirst++;
    else if (p.first === "b") bFirst++;
    else same++;
  }
  const gaps = pairs.map((p) => Math.abs(p.gap_seconds)).sort((x, y) => x - y);
  const mid = gaps.length >> 1;
  const medianGap =
    gaps.length === 0 ? null : gaps.length % 2 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
  return { aFirst, bFirst, same, medianGap };
}

/** The earlier post's time, for the row's time column. */
export const pairTime = (p: TiePair): string => (p.first === "b" ? p.b.ts : p.a.ts);

export const PAGE_SIZE = 50;

/** The pair as plain text for a notebook or a report: layer, object, both posts with time, file and row. */
export function pairCitation(
  p: TiePair,
  a: { key: string; handle: string | null },
  b: { key: string; handle: string | null },
): string {
  const post = (side: string, who: { key: string; handle: string | null }, x: PostRef) =>
    `${side} ${who.handle ? `@${who.handle}` : who.key} ${x.ts} (${x.input_path ?? x.input_id ?? "?"} row ${x.source_row ?? "?"}, post ${x.post_id}): ${visible(x.text, 500)}`;
  return [
    `${p.layer}${p.object ? ` ${visible(p.object, 200)}` : ""}; gap ${p.gap_seconds} s; first: ${p.first ?? "same time"}`,
    post("A", a, p.a),
    post("B", b, p.b),
  ].join("\n");
}
