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
      cand.push({ from: i, to: hi, widthMs: w, count: k, expected, logP: logPoissonUpperTail(k, expected) });
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
 * The time of day (`tod`, ms after midnight UTC) that at least `share` of the creation times `t` fall at, with how
 * many do (`count`), when there is one: the source gives creation dates to the day (Twitter's information-operations
 * archives give a date only), or rounds them to a day in some zone. Null when the times are spread over the day, or
 * fewer than 10.
 */
export function sharedTimeOfDay(t: Float64Array, share = 0.9): { tod: number; count: number } | null {
  if (t.length < 10) return null;
  const counts = new Map<number, number>();
  for (const x of t) {
    const tod = ((x % DAY_MS) + DAY_MS) % DAY_MS;
    counts.set(tod, (counts.get(tod) ?? 0) + 1);
  }
  let best = -1;
  let most = 0;
  for (const [tod, c] of counts) {
    if (c > most || (c === most && tod < best)) {
      best = tod;
      most = c;
    }
  }
  return most >= share * t.length ? { tod: best, count: most } : null;
}
