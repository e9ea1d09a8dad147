/**
 * Estimating the co-share window from the data. For every object shared by at least two accounts we take the gap
 * between its first share and the first share by another account: how fast the quickest second sharer follows.
 * Coordinated bursts put many of these gaps within seconds; organic re-sharing spreads them over minutes to
 * days. The window is a low quantile of those gaps (default the 10th percentile, the "quick re-share" idea of
 * CooRNet, Giglietto et al. 2020), rounded to a readable value and kept within [min, max].
 */

export interface WindowEstimate {
  windowSec: number;
  /** The raw quantile before rounding and clamping, seconds. */
  quantileSec: number;
  quantile: number;
  objectsUsed: number;
  explanation: string;
}

const NICE = [1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 300, 600, 900, 1800, 3600];

/** `object`, `account`, `tsMs` sorted by object then time. */
export function estimateWindow(
  object: Int32Array,
  account: Int32Array,
  tsMs: Float64Array,
  opts: { quantile?: number; minSec?: number; maxSec?: number } = {},
): WindowEstimate | null {
  const q = opts.quantile ?? 0.1;
  const minSec = opts.minSec ?? 5;
  const maxSec = opts.maxSec ?? 600;
  const gaps: number[] = [];
  const n = object.length;
  let i = 0;
  while (i < n) {
    const o = object[i]!;
    const first = i;
    let j = i + 1;
    let found = false;
    while (j < n && object[j] === o) {
      if (!found && account[j] !== account[first]) {
        gaps.push((tsMs[j]! - tsMs[first]!) / 1000);
        found = true;
      }
      j++;
    }
    i = j;
  }
  if (gaps.length < 20) return null;
  gaps.sort((a, b) => a - b);
  const pos = (gaps.length - 1) * q;
  const lo = Math.floor(pos);
  const raw = gaps[lo]! + (gaps[Math.min(lo + 1, gaps.length - 1)]! - gaps[lo]!) * (pos - lo);
  const clamped = Math.min(maxSec, Math.max(minSec, raw));
  const nice = NICE.reduce(
    (best, v) => (Math.abs(v - clamped) < Math.abs(best - clamped) ? v : best),
    NICE[0]!,
  );
  const windowSec = Math.min(maxSec, Math.max(minSec, nice));
  return {
    windowSec,
    quantileSec: raw,
    quantile: q,
    objectsUsed: gaps.length,
    explanation:
      `Window estimated from the data: on ${gaps.length.toLocaleString("en-US")} objects shared by two or more ` +
      `accounts, the fastest ${Math.round(q * 100)}% of second sharers followed the first within ` +
      `${raw.toFixed(1)} s; rounded to ${windowSec} s (kept within ${minSec}-${maxSec} s).`,
  };
}
