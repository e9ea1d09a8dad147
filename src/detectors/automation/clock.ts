/**
 * Clock-locked posting: posts that fall on the same second of the minute, hour or day far more often than chance,
 * which is what a scheduler (cron, a queue that fires "every hour at :00") does and a person never does.
 *
 * For a period P (60 s ... 1 day), each post's phase is its time modulo P. The busiest window of `width` seconds
 * in the account's phases (with wrap-around) holds c of its n posts. Under chance a post lands there with
 * probability q, taken from every other account's posts in the same phase bins (so that timestamps rounded to the
 * minute, or a case full of schedulers, do not look locked), never below the uniform share. p = P(X >= c) for
 * X ~ Poisson(n q), times P / width for the window positions scanned (Bonferroni), times the periods tried.
 */
import { logPoissonUpperTail } from "../../stats/poisson.js";

export interface PhaseHistograms {
  periods: number[];
  /** Per period, posts per 1-second phase bin over the whole case. */
  bins: Float64Array[];
  total: number;
}

export function phaseHistograms(tsMs: Float64Array, periods: number[]): PhaseHistograms {
  const bins = periods.map((p) => new Float64Array(p));
  // a period at a time, each post's second within it (a closure per post and period cost 0.4 s at 10M posts)
  periods.forEach((p, k) => {
    const bin = bins[k]!;
    for (let i = 0; i < tsMs.length; i++) {
      const r = Math.floor(tsMs[i]! / 1000) % p;
      bin[r < 0 ? r + p : r]!++;
    }
  });
  return { periods, bins, total: tsMs.length };
}

export interface ClockLock {
  period: number;
  /** Start of the busiest phase window, seconds into the period. */
  phase: number;
  count: number;
  n: number;
  /** ln p, adjusted for window positions and periods. */
  logP: number;
}

/**
 * The most significant phase lock of one account's posts (times in epoch ms), or null when no phase window holds
 * at least 3 posts and a tenth of them (nothing worth testing). `skipSparse` false scans the phases of every period,
 * even one whose posts are too spread for any window to hold that many (the same result; for tests).
 *
 * `resolution` 60 reads times given to the minute (a source that drops the seconds): every one is "at second 0",
 * which says nothing, so periods of a minute or that are not whole minutes are not tested, and a phase window's
 * chance is at least a minute's share of the period (a person posting at random minutes falls in each minute of
 * the quarter hour a fifteenth of the time). A scheduler firing every quarter hour is still locked to its minute.
 */
export function clockLock(
  ts: Float64Array,
  hist: PhaseHistograms,
  width: number,
  skipSparse = true,
  resolution = 1,
): ClockLock | null {
  const n = ts.length;
  if (n < 2) return null;
  let best: ClockLock | null = null;
  const phases = new Float64Array(2 * n);
  const minCount = Math.max(3, Math.ceil(0.1 * n));
  hist.periods.forEach((period, k) => {
    if (resolution > 1 && (period <= resolution || period % resolution !== 0)) return;
    const bins = hist.bins[k]!;
    phasesOf(ts, period * 1000, phases);
    if (skipSparse && !mayHold(phases, n, period, width, minCount)) return;
    const ph = phases.subarray(0, n).sort();
    for (let i = 0; i < n; i++) phases[n + i] = ph[i]! + period;
    let j = 0;
    // the account's own phases in the window's bins are those from `lo` (the first at or after the first bin) up to
    // `hi` (the first past the last bin, at most a period on): both only move forward as the window does, so an
    // account with thousands of posts locked to one phase costs a pass, not a count per window
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      if (j < i) j = i;
      while (j < i + n && phases[j]! < phases[i]! + width) j++;
      const c = j - i;
      if (c < minCount) continue;
      // a window that starts where the one before started holds one post fewer at the same chance: never better
      if (i > 0 && phases[i] === phases[i - 1]) continue;
      // the window [phi, phi + width) touches 1-s bins floor(phi) .. floor(phi + width)
      const b0 = Math.floor(phases[i]!);
      let pooled = 0;
      for (let b = b0; b <= Math.floor(phases[i]! + width); b++) pooled += bins[b % period]!;
      // the account's own posts in those bins, left out of the pooled share
      while (phases[lo]! < b0) lo++;
      if (hi < i) hi = i;
      while (hi < i + n && phases[hi]! < b0 + width + 1) hi++;
      const mine = Math.min(hi, i + n) - lo;
      const others = hist.total - n;
      const q = Math.max(
        Math.max(width + 1, resolution) / period,
        others > 0 ? Math.max(0, pooled - mine) / others : 0,
      );
      const logP =
        logPoissonUpperTail(c, n * Math.min(1, q)) + Math.log(period / width) + Math.log(hist.periods.length);
      if (!best || logP < best.logP)
        best = { period, phase: phases[i]!, count: c, n, logP: Math.min(0, logP) };
    }
  });
  return best;
}

/**
 * Each time's phase in a period of `periodMs`, in seconds, into the first `ts.length` places of `out`: the time
 * modulo the period, in [0, period). The same numbers as `%` gives (the remainder of a floating-point division is
 * exact, and so is this one: the quotient's floor is corrected by one where it rounded across a whole number, and
 * the product and difference are exact), without its cost: `%` on doubles was a third of the clock test's time at
 * 10M posts, seven periods for every post.
 */
export function phasesOf(ts: Float64Array, periodMs: number, out: Float64Array): void {
  const inverse = 1 / periodMs;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    let ms = t - Math.floor(t * inverse) * periodMs;
    if (ms < 0) ms += periodMs;
    else if (ms >= periodMs) ms -= periodMs;
    out[i] = ms / 1000;
  }
}

/** Per period, the posts of one account per whole second of phase: zero between calls of `mayHold`. */
const secondCounts = new Map<number, Int32Array>();

/**
 * Whether some window of `width` seconds starting at one of the first `n` phases (seconds in [0, period)) may hold
 * `minCount` of them. A window touches at most width + 1 whole seconds, so the posts in those seconds bound what it
 * holds; where no run of them reaches `minCount`, the sort and the scan of the period would find nothing to test.
 * At 10M posts, sorting every account's phases for all seven periods was most of the clock test's time (2.7 of
 * 4.8 s), and most periods of most accounts are far too spread to need it.
 */
function mayHold(phases: Float64Array, n: number, period: number, width: number, minCount: number): boolean {
  let counts = secondCounts.get(period);
  if (counts === undefined) secondCounts.set(period, (counts = new Int32Array(period)));
  const second = (i: number): number => Math.min(period - 1, Math.floor(phases[i]!));
  for (let i = 0; i < n; i++) counts[second(i)]!++;
  let may = false;
  for (let i = 0; i < n && !may; i++) {
    const s = second(i);
    let held = 0;
    for (let b = 0; b <= width; b++) held += counts[(s + b) % period]!;
    may = held >= minCount;
  }
  for (let i = 0; i < n; i++) counts[second(i)] = 0;
  return may;
}

/** Where in its period a phase falls, as a clock says it: "at 11:23:23 UTC", "at 12:05 past the hour", "second 7". */
export function phaseWords(period: number, phase: number): string {
  const s = Math.floor(phase);
  const two = (x: number): string => String(x).padStart(2, "0");
  if (period === 86400)
    return `at ${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)} UTC`;
  if (period === 3600) return `at ${two(Math.floor(s / 60))}:${two(s % 60)} past the hour`;
  if (period === 60) return `at second ${s} of the minute`;
  if (period % 60 === 0) return `at ${Math.floor(s / 60)}:${two(s % 60)} into each ${periodName(period)}`;
  return `${Math.round(phase * 10) / 10} s into each ${periodName(period)}`;
}

export function periodName(s: number): string {
  if (s === 86400) return "day (UTC)";
  if (s % 3600 === 0) return s === 3600 ? "hour" : `${s / 3600} hours`;
  if (s % 60 === 0) return s === 60 ? "minute" : `${s / 60} minutes`;
  return `${s} s`;
}
