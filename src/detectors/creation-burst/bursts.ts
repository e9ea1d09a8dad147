/**
 * Creation bursts: windows in which far more accounts were created than the local background rate predicts. Every
 * creation time starts a window of each width; the background is the rate in the stretch around the window (the
 * window itself left out, one pseudo-count added so that an empty neighbourhood is not a zero rate); the count in
 * the window is tested with a Poisson upper tail. The most significant windows that do not overlap are the
 * candidates, and Benjamini-Hochberg over every window tested decides which of them are bursts.
 */
import { benjaminiHochberg, logPoissonUpperTail } from "../../stats/poisson.js";

export interface Burst {
  /** Index range [from, to) into the sorted creation times. */
  from: number;
  to: number;
  widthMs: number;
  count: number;
  expected: number;
  /** Creations in the stretch around the window (the window left out): 0 when the case gives no background. */
  background: number;
  logP: number;
}

export interface BurstOptions {
  widthsMs: number[];
  /** Half-width of the background stretch on each side of a window. */
  backgroundMs: number;
  alpha: number;
  minCount: number;
  minLift: number;
}

/** `t`: creation times, epoch ms, ascending. */
export function findBursts(t: Float64Array, o: BurstOptions): { bursts: Burst[]; windowsTested: number } {
  const n = t.length;
  if (n === 0) return { bursts: [], windowsTested: 0 };
  const first = t[0]!;
  const last = t[n - 1]!;
  const cand: Burst[] = [];
  let tested = 0;
  for (const w of o.widthsMs) {
    let hi = 0;
    let bgLo = 0;
    let bgHi = 0;
    for (let i = 0; i < n; i++) {
      // one window per distinct start time
      if (i > 0 && t[i] === t[i - 1]) continue;
      const start = t[i]!;
      while (hi < n && t[hi]! < start + w) hi++;
      while (bgLo < n && t[bgLo]! < start - o.backgroundMs) bgLo++;
      while (bgHi < n && t[bgHi]! < start + w + o.backgroundMs) bgHi++;
      tested++;
      const k = hi - i;
      if (k < o.minCount) continue;
      const spanFrom = Math.max(start - o.backgroundMs, first);
      const spanTo = Math.min(start + w + o.backgroundMs, last);
      const around = Math.max(spanTo - spanFrom - w, w);
      // creations in the stretch around the window, those before its start included
      const outside = bgHi - bgLo - k;
      const expected = ((outside + 1) / around) * w;
      if (k < o.minLift * expected) continue;
      cand.push({
        from: i,
        to: hi,
        widthMs: w,
        count: k,
        expected,
        background: outside,
        logP: logPoissonUpperTail(k, expected),
      });
    }
  }
  // overlapping windows of one burst are not separate discoveries: take the most significant window of each
  // stretch first, then control the false-discovery rate over those representatives (all windows counted as tested)
  cand.sort((a, b) => a.logP - b.logP || a.widthMs - b.widthMs || a.from - b.from);
  const taken = new Uint8Array(n);
  const reps: Burst[] = [];
  for (const b of cand) {
    let free = true;
    for (let i = b.from; i < b.to && free; i++) if (taken[i]) free = false;
    if (!free) continue;
    for (let i = b.from; i < b.to; i++) taken[i] = 1;
    reps.push(b);
  }
  const flags = benjaminiHochberg(
    Float64Array.from(reps, (c) => c.logP),
    o.alpha,
    tested,
  );
  const bursts = reps.filter((_, i) => flags[i]);
  bursts.sort((a, b) => a.from - b.from);
  return { bursts, windowsTested: tested };
}

const DAY_MS = 86_400_000;

/**
 * The times of day that creation dates given to the day fall at: each time of day (to the millisecond) that at
 * least `minShare` of the times and `minCount` of them share, on three days or more, at a quarter hour (a daily
 * script's 03:17:42 is not a date format: it is found as bursts, or not). Times to the second spread
 * over 86,400 values, so that no value holds more than a handful of a case's accounts by chance; dates given to the
 * day pile onto one (midnight UTC), or two (midnight in a zone with summer time: 22:00 and 23:00 UTC for Central
 * Europe). Accounts a script made in one second share one instant of one day: a burst to find, not a date format.
 */
export function dayTimes(t: Float64Array, minShare = 0.02, minCount = 10): Set<number> {
  // a day's time in any zone is a quarter hour (zones are offset by quarter hours): counted first, and the days
  // read only for the few times that are shared enough
  const counts = new Map<number, number>();
  for (const x of t) {
    const tod = ((x % DAY_MS) + DAY_MS) % DAY_MS;
    if (tod % 900_000 === 0) counts.set(tod, (counts.get(tod) ?? 0) + 1);
  }
  const shared = new Set<number>();
  for (const [tod, c] of counts) if (c >= minCount && c >= minShare * t.length) shared.add(tod);
  if (shared.size === 0) return shared;
  const days = new Map<number, Set<number>>();
  for (const x of t) {
    const tod = ((x % DAY_MS) + DAY_MS) % DAY_MS;
    if (!shared.has(tod)) continue;
    const seen = days.get(tod) ?? new Set<number>();
    if (seen.size < 3) seen.add(Math.floor(x / DAY_MS));
    days.set(tod, seen);
  }
  // on three days or more: accounts a script made in one second share one instant, not a time of every day
  for (const tod of [...shared]) if (days.get(tod)!.size < 3) shared.delete(tod);
  return shared;
}

/** Whether epoch ms `x` falls at one of the times of day `tods`. */
export const atTimeOfDay = (x: number, tods: ReadonlySet<number>): boolean =>
  tods.has(((x % DAY_MS) + DAY_MS) % DAY_MS);
