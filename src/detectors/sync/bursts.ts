/**
 * Sync bursts: windows of one or a few seconds in which more distinct accounts were active than the local
 * background explains. Pure functions over typed arrays.
 *
 * The unit of activity is an account-second (an account with at least one post in a clock second), so an account
 * that posts ten times in one second counts once. The background is local, to respect daily cycles: the median
 * (and a trimmed mean) of account-seconds per minute over the surrounding hour, clipped to the case's span, with a
 * small floor at a tenth of the case's average rate so that a sparse hour does not make every coincidence look
 * impossible. Each window's count of distinct accounts gets a Poisson tail p-value against w x rate; the
 * Benjamini-Hochberg procedure runs over every window start in the span, for every window width; significant
 * windows that overlap or touch are merged into one burst, whose edge seconds are trimmed while they are not
 * themselves above background.
 */
import { lowerBound } from "../../stats/bisect.js";
import { benjaminiHochberg, logPoissonUpperTail } from "../../stats/poisson.js";

/** Distinct (account, second) units, in second order. */
export interface Activity {
  n: number;
  /**
   * Seconds since `origin` (an epoch second at the start of a clock minute), as doubles: the adapter's years
   * (1990-2100) span more seconds than an int32 holds.
   */
  second: Float64Array;
  account: Int32Array;
  /** Index (into the posts) of the unit's first post; posts of a unit are consecutive. */
  firstPost: Int32Array;
  posts: Int32Array;
  origin: number;
  /** Seconds from `origin` to the last active second, plus one. */
  span: number;
  /** Units per account. */
  perAccount: Int32Array;
}

export interface BurstParams {
  windows: number[];
  minAccounts: number;
  alpha: number;
  backgroundMinutes: number;
}

export interface Burst {
  /** Epoch seconds, end exclusive. */
  start: number;
  end: number;
  accounts: number;
  posts: number;
  /** Distinct accounts expected over the burst's seconds at the background rate. */
  expected: number;
  /** ln p of the most significant window inside it, and that window's width. */
  logP: number;
  window: number;
  /** Units of the burst: [unitStart, unitEnd). */
  unitStart: number;
  unitEnd: number;
}

export interface BurstScan {
  bursts: Burst[];
  /** Windows tested (at least minAccounts distinct accounts) and hypotheses counted for the FDR control. */
  tested: number;
  hypotheses: number;
  significantWindows: number;
  /** Case-wide account-seconds per second. */
  meanRate: number;
}

/** Posts must be ordered by epoch second, then account (see load.ts). */
export function activityUnits(account: Int32Array, tsMs: Float64Array, accounts: number): Activity {
  const n = account.length;
  const second = new Float64Array(n);
  const acc = new Int32Array(n);
  const firstPost = new Int32Array(n);
  const posts = new Int32Array(n);
  const perAccount = new Int32Array(accounts);
  const origin = n > 0 ? Math.floor(tsMs[0]! / 60000) * 60 : 0;
  let u = -1;
  let prevSec = NaN;
  let prevAcc = -1;
  for (let i = 0; i < n; i++) {
    const s = Math.floor(tsMs[i]! / 1000) - origin;
    const a = account[i]!;
    if (s !== prevSec || a !== prevAcc) {
      u++;
      second[u] = s;
      acc[u] = a;
      firstPost[u] = i;
      perAccount[a]!++;
      prevSec = s;
      prevAcc = a;
    }
    posts[u]!++;
  }
  const units = u + 1;
  return {
    n: units,
    second: second.subarray(0, units),
    account: acc.subarray(0, units),
    firstPost: firstPost.subarray(0, units),
    posts: posts.subarray(0, units),
    origin,
    span: units > 0 ? second[units - 1]! + 1 : 0,
    perAccount,
  };
}

/**
 * Background account-seconds per second around a minute: median and trimmed mean of the surrounding hour. Only the
 * minutes with activity are held (the others count as zeros), so a case whose posts lie decades apart costs what
 * its posts cost, not a slot for every minute between them.
 */
export class Background {
  /** The minutes with activity, ascending, and their account-seconds. */
  private readonly minute: Float64Array;
  private readonly units: Int32Array;
  /** The case's last minute (the first is 0). */
  private readonly lastMinute: number;
  private readonly cache = new Map<number, number>();
  readonly meanRate: number;

  constructor(
    act: Activity,
    private readonly radius: number,
  ) {
    // units come in second order, so their minutes ascending
    const minute: number[] = [];
    const units: number[] = [];
    for (let u = 0; u < act.n; u++) {
      const m = Math.floor(act.second[u]! / 60);
      if (minute.length > 0 && minute[minute.length - 1] === m) units[units.length - 1]!++;
      else {
        minute.push(m);
        units.push(1);
      }
    }
    this.minute = Float64Array.from(minute);
    this.units = Int32Array.from(units);
    this.lastMinute = Math.ceil(act.span / 60) - 1;
    this.meanRate = act.span > 0 ? act.n / act.span : 0;
  }

  private readonly thresholds = new Map<number, number>();

  /** The smallest count of distinct accounts in a window of `w` s at second `s` whose p-value is at most alpha. */
  threshold(s: number, w: number, alpha: number): number {
    const m = Math.floor(s / 60);
    const key = m * 64 + w;
    const cached = this.thresholds.get(key);
    if (cached !== undefined) return cached;
    const lambda = w * this.rate(s);
    const logAlpha = Math.log(alpha);
    let c = Math.max(1, Math.floor(lambda));
    while (logPoissonUpperTail(c, lambda) > logAlpha) c++;
    this.thresholds.set(key, c);
    return c;
  }

  /** Expected distinct accounts per second at second `s` (seconds since origin). */
  rate(s: number): number {
    const m = Math.floor(s / 60);
    const cached = this.cache.get(m);
    if (cached !== undefined) return cached;
    const lo = Math.max(0, m - this.radius);
    const hi = Math.min(this.lastMinute, m + this.radius);
    // the hour's minutes in ascending order of their counts: its silent minutes (zeros), then the others
    const active: number[] = [];
    for (let i = lowerBound(this.minute, lo); i < this.minute.length && this.minute[i]! <= hi; i++) {
      active.push(this.units[i]!);
    }
    active.sort((x, y) => x - y);
    const len = hi - lo + 1;
    const zeros = len - active.length;
    const at = (k: number): number => (k < zeros ? 0 : active[k - zeros]!);
    const median = len % 2 ? at((len - 1) / 2) : (at(len / 2 - 1) + at(len / 2)) / 2;
    // drop the busiest tenth of the minutes (other bursts in the hour), average the rest
    const keep = len - Math.floor(len / 10);
    let sum = 0;
    for (let k = zeros; k < keep; k++) sum += at(k);
    const trimmed = keep > 0 ? sum / keep : 0;
    const r = Math.max(median / 60, trimmed / 60, this.meanRate / 10);
    this.cache.set(m, r);
    return r;
  }
}

/** The first unit at or after second `s`. */
export function firstUnitAt(act: Activity, s: number): number {
  return lowerBound(act.second, s);
}

export function scanBursts(act: Activity, accounts: number, p: BurstParams): BurstScan {
  const bg = new Background(act, p.backgroundMinutes);
  const cw: number[] = [];
  const cs: number[] = [];
  const cLogP: number[] = [];
  const count = new Int32Array(accounts);
  let tested = 0;
  for (const w of p.windows) {
    count.fill(0);
    let lo = 0;
    let hi = 0;
    let distinct = 0;
    for (let u = 0; u < act.n;) {
      const s = act.second[u]!;
      while (lo < act.n && act.second[lo]! < s) {
        if (--count[act.account[lo]!]! === 0) distinct--;
        lo++;
      }
      while (hi < act.n && act.second[hi]! < s + w) {
        if (count[act.account[hi]!]!++ === 0) distinct++;
        hi++;
      }
      if (distinct >= p.minAccounts) {
        tested++;
        // a window with p > alpha can never pass Benjamini-Hochberg: only the count threshold is checked
        if (distinct >= bg.threshold(s, w, p.alpha)) {
          cw.push(w);
          cs.push(s);
          cLogP.push(logPoissonUpperTail(distinct, w * bg.rate(s)));
        }
      }
      while (u < act.n && act.second[u] === s) u++;
    }
  }
  const hypotheses = act.span * p.windows.length;
  const flags = benjaminiHochberg(Float64Array.from(cLogP), p.alpha, hypotheses);
  const sig: number[] = [];
  for (let i = 0; i < flags.length; i++) if (flags[i]) sig.push(i);
  sig.sort((x, y) => cs[x]! - cs[y]! || cs[x]! + cw[x]! - (cs[y]! + cw[y]!) || x - y);

  const bursts: Burst[] = [];
  const seen = new Int32Array(accounts).fill(-1);
  let k = 0;
  while (k < sig.length) {
    let start = cs[sig[k]!]!;
    let end = start + cw[sig[k]!]!;
    let logP = cLogP[sig[k]!]!;
    let window = cw[sig[k]!]!;
    k++;
    while (k < sig.length && cs[sig[k]!]! <= end) {
      const i = sig[k]!;
      end = Math.max(end, cs[i]! + cw[i]!);
      if (cLogP[i]! < logP) {
        logP = cLogP[i]!;
        window = cw[i]!;
      }
      k++;
    }
    // trim edge seconds that are not themselves above background (a 5 s window around a 1 s burst)
    const edgeLog = Math.log(0.01);
    const elevated = (s: number): boolean => {
      const n = firstUnitAt(act, s + 1) - firstUnitAt(act, s);
      return n > 0 && logPoissonUpperTail(n, bg.rate(s)) <= edgeLog;
    };
    let a = start;
    let b = end;
    while (a < b && !elevated(a)) a++;
    while (b > a && !elevated(b - 1)) b--;
    if (b > a) {
      start = a;
      end = b;
    }
    const u0 = firstUnitAt(act, start);
    let u1 = u0;
    let posts = 0;
    let distinct = 0;
    const id = bursts.length;
    while (u1 < act.n && act.second[u1]! < end) {
      const acc = act.account[u1]!;
      if (seen[acc] !== id) {
        seen[acc] = id;
        distinct++;
      }
      posts += act.posts[u1]!;
      u1++;
    }
    if (distinct < p.minAccounts) continue;
    let expected = 0;
    for (let s = start; s < end; s++) expected += bg.rate(s);
    bursts.push({
      start: start + act.origin,
      end: end + act.origin,
      accounts: distinct,
      posts,
      expected,
      logP,
      window,
      unitStart: u0,
      unitEnd: u1,
    });
  }
  return { bursts, tested, hypotheses, significantWindows: sig.length, meanRate: bg.meanRate };
}

/** Members of each burst (distinct accounts, first unit of each), as offsets into flat arrays. */
export interface BurstMembers {
  offsets: Int32Array;
  account: Int32Array;
  unit: Int32Array;
  /** Per burst, the accounts left out because their only posts in it are originals the others reposted. */
  origins: number[][];
}

/**
 * Members of each burst. An account whose only posts in a burst are originals that others fast-reposted
 * (`isTrigger(post index)`) is the burst's origin, not a participant: the burst reacted to it.
 */
export function burstMembers(
  act: Activity,
  bursts: Burst[],
  accounts: number,
  isTrigger: (post: number) => boolean = () => false,
): BurstMembers {
  const offsets = [0];
  const account: number[] = [];
  const unit: number[] = [];
  const origins: number[][] = [];
  const first = new Int32Array(accounts).fill(-1);
  const active = new Uint8Array(accounts);
  bursts.forEach((burst) => {
    const order: number[] = [];
    for (let u = burst.unitStart; u < burst.unitEnd; u++) {
      const acc = act.account[u]!;
      if (first[acc] === -1) {
        first[acc] = u;
        order.push(acc);
      }
      if (active[acc]) continue;
      for (let i = act.firstPost[u]!; i < act.firstPost[u]! + act.posts[u]!; i++) {
        if (!isTrigger(i)) {
          active[acc] = 1;
          break;
        }
      }
    }
    const left: number[] = [];
    for (const acc of order) {
      if (active[acc]) {
        account.push(acc);
        unit.push(first[acc]!);
      } else left.push(acc);
      first[acc] = -1;
      active[acc] = 0;
    }
    origins.push(left);
    offsets.push(account.length);
  });
  return {
    offsets: Int32Array.from(offsets),
    account: Int32Array.from(account),
    unit: Int32Array.from(unit),
    origins,
  };
}
