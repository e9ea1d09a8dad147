/**
 * Activity profiles and the shape tests on them. An account's day is 96 quarter-hours in UTC (quarter-hours, not
 * hours, because shifts in half-hour zones such as Iran's start at :30 UTC); its week is 168 hours in UTC, Monday
 * 00:00 first. The shift block is the window of the day holding the most activity beyond what an even spread would
 * put there (the excess-mass functional of Müller and Sawitzki 1991): for a block-shaped day that window is the
 * block itself; for a smooth day it is long and holds little.
 */
import { logGamma } from "../../stats/poisson.js";
import { DAY_MS, MINUTE_MS, ZONES, wrapMinutes } from "./zones.js";

export const QUARTERS = 96;
export const QUARTER_MIN = 15;
export const QUARTER_MS = QUARTER_MIN * MINUTE_MS;
export const HOURS_OF_WEEK = 168;
/** 1970-01-01 (epoch day 0) was a Thursday: three days after a Monday. */
const MONDAY_SHIFT_MS = 3 * DAY_MS;

/** The densest window of a daily profile and how sharply activity stops at its ends. */
export interface Block {
  /** First quarter-hour of the block, UTC (0 = 00:00-00:15). */
  start: number;
  /** Length in quarter-hours. */
  length: number;
  total: number;
  inside: number;
  /** inside / total. */
  share: number;
  /**
   * Activity per quarter-hour in the first and last hour inside the block, relative to the block's mean: about 1
   * when activity runs at full rate up to the edges, small when it fades in and out as people's days do.
   */
  innerRatio: number;
  /**
   * The same for the weaker of the two ends alone: far from 0 in a shift, 0 when one end of the block holds nothing
   * (a day shorter than the least block is padded on one side; averaged with a busy last hour, its empty first hour
   * had read as a sharp edge).
   */
  weakerEdge: number;
  /** The same for the hour just outside each end: about 0 for a sharp edge. */
  outerRatio: number;
}

/**
 * The window of `minLen`..`maxLen` quarter-hours (circular) maximising share inside minus length / 96. Ties go to
 * the shorter window, then the earlier start, so the result is deterministic. `profile` holds 96 counts.
 */
export function densestBlock(profile: ArrayLike<number>, minLen: number, maxLen: number): Block | null {
  let total = 0;
  for (let q = 0; q < QUARTERS; q++) total += profile[q]!;
  if (total <= 0) return null;
  const pre = new Float64Array(2 * QUARTERS + 1);
  for (let q = 0; q < 2 * QUARTERS; q++) pre[q + 1] = pre[q]! + profile[q % QUARTERS]!;
  let best = -Infinity;
  let bestStart = 0;
  let bestLen = minLen;
  for (let len = minLen; len <= maxLen; len++) {
    for (let s = 0; s < QUARTERS; s++) {
      const gain = (pre[s + len]! - pre[s]!) / total - len / QUARTERS;
      if (gain > best + 1e-12) {
        best = gain;
        bestStart = s;
        bestLen = len;
      }
    }
  }
  return describeBlock(profile, bestStart, bestLen);
}

/** The share and edge measures of a given block on a daily profile. */
export function describeBlock(profile: ArrayLike<number>, start: number, length: number): Block {
  const at = (q: number): number => profile[((q % QUARTERS) + QUARTERS) % QUARTERS]!;
  let total = 0;
  for (let q = 0; q < QUARTERS; q++) total += profile[q]!;
  let inside = 0;
  for (let q = start; q < start + length; q++) inside += at(q);
  const band = Math.min(4, Math.floor(length / 4));
  let first = 0;
  let last = 0;
  let before = 0;
  let after = 0;
  for (let k = 0; k < band; k++) {
    first += at(start + k);
    last += at(start + length - 1 - k);
    before += at(start - 1 - k);
    after += at(start + length + k);
  }
  const mean = inside / length;
  return {
    start,
    length,
    total,
    inside,
    share: total > 0 ? inside / total : 0,
    innerRatio: mean > 0 ? (first + last) / (2 * band) / mean : 0,
    weakerEdge: mean > 0 ? Math.min(first, last) / band / mean : 0,
    outerRatio: mean > 0 ? (before + after) / (2 * band) / mean : 0,
  };
}

/**
 * The offset (minutes east of UTC, one in civil use) that puts the quietest six hours of the day nearest to
 * 02:00-08:00 local time, with the share of activity in those six hours (an even spread gives 0.25). This is the
 * usual reading of a person's rhythm; it cannot tell a night-shift worker from a day worker six zones away.
 */
export function sleepZone(profile: ArrayLike<number>): { offset: number; quietShare: number } {
  let total = 0;
  for (let q = 0; q < QUARTERS; q++) total += profile[q]!;
  const len = 24;
  let window = 0;
  for (let q = 0; q < len; q++) window += profile[q]!;
  let best = window;
  let bestStart = 0;
  for (let s = 1; s < QUARTERS; s++) {
    window += profile[(s + len - 1) % QUARTERS]! - profile[s - 1]!;
    if (window < best - 1e-12) {
      best = window;
      bestStart = s;
    }
  }
  const midUtc = (bestStart + len / 2) * QUARTER_MIN;
  const wanted = wrapMinutes(5 * 60 - midUtc);
  let offset = 0;
  let dist = Infinity;
  for (const z of ZONES) {
    const d = Math.min(wrapMinutes(z.offset - wanted), wrapMinutes(wanted - z.offset));
    if (d < dist) {
      dist = d;
      offset = z.offset;
    }
  }
  return { offset, quietShare: total > 0 ? best / total : 0 };
}

/** Hour of the week in UTC (0 = Monday 00:00-01:00) of epoch milliseconds. */
export function hourOfWeek(ms: number): number {
  const h = Math.floor((ms + MONDAY_SHIFT_MS) / 3_600_000) % HOURS_OF_WEEK;
  return h < 0 ? h + HOURS_OF_WEEK : h;
}

/** Quarter-hour of the day in UTC. */
export function quarterOfDay(ms: number): number {
  const q = Math.floor(ms / QUARTER_MS) % QUARTERS;
  return q < 0 ? q + QUARTERS : q;
}

/** Cosine similarity of two non-negative profiles (0 when either is empty). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/**
 * The most of a person's posts a smooth day puts into any ten hours: about 0.56 for a day with a quiet night, a
 * lunch bump and an evening peak (people are less regular than that, never more, so this is the generous bound).
 */
export const SMOOTH_DAY_SHARE = 0.56;

/** ln P(X >= k) for X ~ Binomial(n, p): how surprising k of n posts inside one window are for a smooth day. */
export function logBinomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 0;
  if (k > n) return -Infinity;
  const lp = Math.log(p);
  const lq = Math.log(1 - p);
  const lnN = logGamma(n + 1);
  let acc = -Infinity;
  for (let j = k; j <= n; j++) {
    const t = lnN - logGamma(j + 1) - logGamma(n - j + 1) + j * lp + (n - j) * lq;
    const m = Math.max(acc, t);
    acc = m + Math.log(Math.exp(acc - m) + Math.exp(t - m));
    if (t < acc - 40) break;
  }
  return Math.min(0, acc);
}
