/**
 * Timing of one account's posts (times sorted ascending, epoch ms): how regular the gaps between posts are, and
 * whether the account ever rests. Pure functions.
 */

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export interface IntervalStats {
  intervals: number;
  /** Median gap, seconds. */
  medianSeconds: number;
  /** Coefficient of variation of the gaps (sd / mean): about 1 for a Poisson process, above for bursty humans. */
  cv: number;
  /** Goh-Barabasi burstiness (sd - mean) / (sd + mean), in [-1, 1]: -1 a metronome, 0 Poisson, toward 1 bursty. */
  burstiness: number;
  /** Share of gaps within 5% (at least 1 s) of the median gap. */
  modeShare: number;
  /** Shannon entropy, bits, of the gaps in half-octave bins of seconds. */
  entropyBits: number;
}

/**
 * Half-octave bins of the gaps between posts, in seconds: 2 log2(gap) is below 64 for any gap within the years
 * that timestamps are accepted in (at most 3.5e9 s).
 */
const GAP_BINS = 128;
const gapBins = new Int32Array(GAP_BINS);
const binOrder = new Int32Array(GAP_BINS);

export function intervalStats(ts: Float64Array): IntervalStats {
  const n = ts.length - 1;
  if (n < 1) return { intervals: 0, medianSeconds: 0, cv: 0, burstiness: 0, modeShare: 0, entropyBits: 0 };
  const gaps = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    gaps[i] = (ts[i + 1]! - ts[i]!) / 1000;
    sum += gaps[i]!;
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (gaps[i]! - mean) ** 2;
  const sd = Math.sqrt(ss / n);
  const sorted = Float64Array.from(gaps).sort();
  const median = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  const tol = Math.max(1, 0.05 * median);
  let near = 0;
  // the gaps per half-octave, counted in a table and summed in the order the bins were first met (the order a Map
  // of them kept: the same sum to the last bit); the table is left zeroed for the next account
  let seen = 0;
  for (let i = 0; i < n; i++) {
    if (Math.abs(gaps[i]! - median) <= tol) near++;
    const b = Math.min(GAP_BINS - 1, Math.floor(2 * Math.log2(Math.max(1, gaps[i]!))));
    if (gapBins[b] === 0) binOrder[seen++] = b;
    gapBins[b]!++;
  }
  let h = 0;
  for (let k = 0; k < seen; k++) {
    const c = gapBins[binOrder[k]!]!;
    gapBins[binOrder[k]!] = 0;
    h -= (c / n) * Math.log2(c / n);
  }
  return {
    intervals: n,
    medianSeconds: median,
    cv: mean > 0 ? sd / mean : 0,
    burstiness: sd + mean > 0 ? (sd - mean) / (sd + mean) : 0,
    modeShare: near / n,
    entropyBits: h,
  };
}

export interface RestStats {
  spanDays: number;
  /** Share of the 24-hour windows (one per hour of the active span) that hold a silence of `restHours`. */
  restShare: number;
  /** Distinct UTC hours of the day with a post, and the entropy of the hour-of-day profile over log2(24). */
  hoursActive: number;
  hourEntropy: number;
}

export function restStats(ts: Float64Array, restHours: number): RestStats {
  const n = ts.length;
  const hours = new Float64Array(24);
  for (let i = 0; i < n; i++) hours[Math.floor((((ts[i]! % DAY) + DAY) % DAY) / HOUR)]!++;
  let active = 0;
  let h = 0;
  for (const c of hours) {
    if (c === 0) continue;
    active++;
    h -= (c / n) * Math.log2(c / n);
  }
  const span = n > 0 ? ts[n - 1]! - ts[0]! : 0;
  const rest = restHours * HOUR;
  // long silences, as [from, to]; only they can hold a rest
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i + 1 < n; i++) {
    if (ts[i + 1]! - ts[i]! >= rest) {
      from.push(ts[i]!);
      to.push(ts[i + 1]!);
    }
  }
  let windows = 0;
  let rested = 0;
  let g = 0;
  for (let t = ts[0] ?? 0; n > 1 && t + DAY <= ts[n - 1]!; t += HOUR) {
    while (g < from.length && to[g]! <= t) g++;
    if (rest <= DAY && g < from.length && from[g]! <= t && t + DAY <= to[g]!) {
      // a window inside one silence rests, and so do the windows after it that still fit in the silence: all of
      // them at once (an account silent for decades would otherwise cost a step an hour)
      const inside = Math.floor((to[g]! - DAY - t) / HOUR) + 1;
      windows += inside;
      rested += inside;
      t += (inside - 1) * HOUR;
      continue;
    }
    windows++;
    for (let k = g; k < from.length && from[k]! < t + DAY; k++) {
      if (Math.min(to[k]!, t + DAY) - Math.max(from[k]!, t) >= rest) {
        rested++;
        break;
      }
    }
  }
  return {
    spanDays: span / DAY,
    restShare: windows > 0 ? rested / windows : 1,
    hoursActive: active,
    hourEntropy: n > 0 ? h / Math.log2(24) : 0,
  };
}

/** Posts closer than this to the one before belong to the same posting time. */
export const THREAD_GAP_MS = 2000;

/**
 * The posting times of posts (times ascending): each post less than `gapMs` after the first post of the current time
 * joins it, any later one starts a new time. Anchored to the first post, not chained: a bot posting every 1.5 s for
 * an hour is a post every 3 s, not one time.
 */
export function postingTimes(ts: Float64Array, gapMs: number): Float64Array {
  const starts: number[] = [];
  let at = -Infinity;
  for (let i = 0; i < ts.length; i++) {
    if (ts[i]! - at >= gapMs) {
      at = ts[i]!;
      starts.push(at);
    }
  }
  return starts.length === ts.length ? ts : Float64Array.from(starts);
}
