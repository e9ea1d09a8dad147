/**
 * Posts decided at planning time: who posts when (and one number of context: a cohort, a text). Shift units,
 * night-shift workers, holiday greetings and quoted sentences are planned this way, because their timing is
 * the point and their volume is small (proportional to their accounts, never to the whole world's posts). The
 * timeline reads each hour's slice by binary search.
 */

export interface Schedule {
  /** Post times (UTC ms), ascending. */
  ms: Float64Array;
  account: Int32Array;
  arg: Int32Array;
}

export const EMPTY_SCHEDULE: Schedule = {
  ms: new Float64Array(0),
  account: new Int32Array(0),
  arg: new Int32Array(0),
};

/** A schedule from unordered (time, account, arg) entries; ties keep their input order. */
export function buildSchedule(entries: ReadonlyArray<readonly [number, number, number]>): Schedule {
  const order = entries.map((_, i) => i);
  order.sort(
    (x, y) => (entries[x] as readonly number[])[0]! - (entries[y] as readonly number[])[0]! || x - y,
  );
  return {
    ms: Float64Array.from(order, (i) => (entries[i] as readonly number[])[0] as number),
    account: Int32Array.from(order, (i) => (entries[i] as readonly number[])[1] as number),
    arg: Int32Array.from(order, (i) => (entries[i] as readonly number[])[2] as number),
  };
}

/** First index whose time is at or after `ms`. */
function lowerBound(s: Schedule, ms: number): number {
  let lo = 0;
  let hi = s.ms.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((s.ms[mid] as number) < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Indices [lo, hi) of the entries with times in [from, to). */
export function scheduleRange(s: Schedule, from: number, to: number): [number, number] {
  return [lowerBound(s, from), lowerBound(s, to)];
}
