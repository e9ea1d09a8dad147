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

/** Text on one line: each line break (CR, LF, CRLF, U+2028, U+2029) shown as ⏎, so that no field starts a line. */
const oneLine = (s: string): string => s.replace(/\r\n|[\r\n\u2028\u2029]/g, "⏎");

/** The pair as plain text for a notebook or a report: layer, object, both posts with time, file and row. */
export function pairCitation(
  p: TiePair,
  a: { key: string; handle: string | null },
  b: { key: string; handle: string | null },
): string {
  // every piece the data wrote is shown with its hidden characters named: a line break or a bidi override in a
  // handle, a post id or a file name would otherwise forge lines of the citation or reorder them
  const line = (s: string | null | undefined, max: number): string => oneLine(visible(s, max));
  const post = (side: string, who: { key: string; handle: string | null }, x: PostRef) =>
    `${side} ${who.handle ? `@${line(who.handle, 300)}` : line(who.key, 300)} ${x.ts} ` +
    `(${line(x.input_path ?? String(x.input_id ?? "?"), 500)} row ${x.source_row ?? "?"}, ` +
    `post ${line(x.post_id, 300)}): ${line(x.text, 500)}`;
  return [
    `${p.layer}${p.object ? ` ${line(p.object, 200)}` : ""}; gap ${p.gap_seconds} s; first: ${p.first ?? "same time"}`,
    post("A", a, p.a),
    post("B", b, p.b),
  ].join("\n");
}
