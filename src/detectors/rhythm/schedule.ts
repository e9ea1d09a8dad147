/**
 * One account's working schedule, read from its post times once its daily block is known: how many of its
 * active days stay inside the block, which weekdays recur as days off, when it usually starts and stops, and its
 * hour-of-week profile. Days are counted from the block's start ("shift days"), so a night shift that crosses
 * midnight UTC is one working day, as it is for the person working it.
 */
import { logGamma } from "../../stats/poisson.js";
import { type Block, HOURS_OF_WEEK, QUARTER_MIN, hourOfWeek } from "./profile.js";
import { DAY_MS, MINUTE_MS, WEEK_MS } from "./zones.js";

export interface DayOff {
  /** Weekday (0 = Monday) in UTC of the start of the shifts that were not worked. */
  utcWeekday: number;
  /** Shift days of this weekday within the account's active span. */
  observed: number;
  /** Of those, days without a single post. */
  empty: number;
  posts: number;
  /** Posts expected on those days at the rate of the account's other working days. */
  expected: number;
  /** P(X <= posts) for X ~ Poisson(expected). */
  pValue: number;
}

export interface Schedule {
  posts: number;
  activeDays: number;
  /** Active days with at least 80% of their posts inside the block. */
  daysInside: number;
  /** Weeks (Monday to Sunday, of shift days) with at least one post (at least 1). */
  weeks: number;
  daysOff: DayOff[];
  /** Median minutes from the block's start to the day's first post inside it, over active days. */
  medianFirstMin: number;
  /** Median minutes from the day's last post inside the block to the block's end. */
  medianLastMin: number;
  /** Index (into the account's sorted posts) of the first and the last post inside the block. */
  firstInside: number;
  lastInside: number;
  hourOfWeek: Int32Array;
  /** Epoch week numbers with at least one post, ascending (for counting weeks two accounts share). */
  activeWeeks: Int32Array;
  /**
   * Shift days with posts inside the block (epoch day of the shift's start, UTC), ascending, and those posts: the
   * days the account worked its shift, from which a cohort's week and holidays are read.
   */
  shiftDays: Int32Array;
  shiftDayPosts: Int32Array;
}

export interface ScheduleOptions {
  /** Fewest shift days of a weekday in the active span before it can be called a day off. */
  minWeeks: number;
  /** Poisson lower-tail p-value under which a quiet weekday is a day off. */
  dayOffP: number;
}

/** The week (Monday first, numbered from the epoch's) of epoch day `day`: 1970-01-01 was a Thursday. */
export function weekOfDay(day: number): number {
  return Math.floor((day + 3) / 7);
}

/** ln P(X <= k) for X ~ Poisson(mu). */
export function logPoissonLowerTail(k: number, mu: number): number {
  if (mu <= 0) return 0;
  let acc = -Infinity;
  for (let j = 0; j <= k; j++) {
    const t = -mu + j * Math.log(mu) - logGamma(j + 1);
    const m = Math.max(acc, t);
    acc = m + Math.log(Math.exp(acc - m) + Math.exp(t - m));
  }
  return Math.min(0, acc);
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** `ts` are one account's post times (epoch ms, ascending); `from` and `to` bound its slice of a shared array. */
export function readSchedule(
  ts: Float64Array,
  from: number,
  to: number,
  block: Block,
  opts: ScheduleOptions,
): Schedule {
  const startMs = block.start * QUARTER_MIN * MINUTE_MS;
  const lengthMs = block.length * QUARTER_MIN * MINUTE_MS;
  const shiftDay = (t: number): number => Math.floor((t - startMs) / DAY_MS);
  const d0 = shiftDay(ts[from]!);
  const d1 = shiftDay(ts[to - 1]!);
  const span = d1 - d0 + 1;
  const perDay = new Int32Array(span);
  const insideDay = new Int32Array(span);
  const firstIn = new Float64Array(span).fill(NaN);
  const lastIn = new Float64Array(span).fill(NaN);
  const how = new Int32Array(HOURS_OF_WEEK);
  const weeks = new Set<number>();
  // the weeks (of shift days) with a post: weekdays are counted in those alone, so that months of silence between
  // two stretches of activity are no weeks of days off ("no posts on Sundays in 264 of 264 weeks" of an account
  // active 8 of them)
  const shiftWeeks = new Set<number>();
  let firstInside = -1;
  let lastInside = -1;
  for (let i = from; i < to; i++) {
    const t = ts[i]!;
    const d = shiftDay(t) - d0;
    perDay[d]!++;
    shiftWeeks.add(weekOfDay(d + d0));
    how[hourOfWeek(t)]!++;
    weeks.add(Math.floor((t + 3 * DAY_MS) / WEEK_MS));
    const into = t - (d + d0) * DAY_MS - startMs;
    if (into < lengthMs) {
      insideDay[d]!++;
      if (Number.isNaN(firstIn[d]!)) firstIn[d] = into;
      lastIn[d] = into;
      if (firstInside < 0) firstInside = i;
      lastInside = i;
    }
  }
  let activeDays = 0;
  let daysInside = 0;
  const firsts: number[] = [];
  const lasts: number[] = [];
  const observed = new Int32Array(7);
  const empty = new Int32Array(7);
  const posts = new Int32Array(7);
  const days: number[] = [];
  const dayPosts: number[] = [];
  for (let d = 0; d < span; d++) {
    if (insideDay[d]! > 0) {
      days.push(d + d0);
      dayPosts.push(insideDay[d]!);
    }
    // the shift of day d starts on UTC day d (the block starts within the day)
    const w = ((((d + d0 + 3) % 7) + 7) % 7) as number;
    if (!shiftWeeks.has(weekOfDay(d + d0))) continue;
    observed[w]!++;
    posts[w]! += perDay[d]!;
    if (perDay[d] === 0) {
      empty[w]!++;
      continue;
    }
    activeDays++;
    if (insideDay[d]! >= 0.8 * perDay[d]!) daysInside++;
    if (!Number.isNaN(firstIn[d]!)) {
      firsts.push(firstIn[d]! / MINUTE_MS);
      lasts.push((lengthMs - lastIn[d]!) / MINUTE_MS);
    }
  }
  return {
    posts: to - from,
    activeDays,
    daysInside,
    weeks: Math.max(1, shiftWeeks.size),
    daysOff: findDaysOff(observed, empty, posts, opts),
    medianFirstMin: median(firsts),
    medianLastMin: median(lasts),
    firstInside,
    lastInside,
    hourOfWeek: how,
    activeWeeks: Int32Array.from([...weeks].sort((a, b) => a - b)),
    shiftDays: Int32Array.from(days),
    shiftDayPosts: Int32Array.from(dayPosts),
  };
}

/**
 * Weekdays that are days off: the quietest weekday, tested against the rate of the other working weekdays
 * (Poisson lower tail), and at most 10% of what that rate predicts; then the next quietest, up to three. `observed`
 * holds the days of each weekday seen, `empty` those without posts (reported only), `posts` their posts.
 */
export function findDaysOff(
  observed: Int32Array,
  empty: Int32Array,
  posts: Int32Array,
  opts: ScheduleOptions,
): DayOff[] {
  const off: DayOff[] = [];
  const isOff = new Uint8Array(7);
  for (let round = 0; round < 3; round++) {
    let cand = -1;
    for (let w = 0; w < 7; w++) {
      if (isOff[w] || observed[w]! < opts.minWeeks) continue;
      if (cand < 0 || posts[w]! / observed[w]! < posts[cand]! / observed[cand]!) cand = w;
    }
    if (cand < 0) break;
    let otherPosts = 0;
    let otherDays = 0;
    for (let w = 0; w < 7; w++) {
      if (w === cand || isOff[w]) continue;
      otherPosts += posts[w]!;
      otherDays += observed[w]!;
    }
    if (otherDays === 0 || otherPosts === 0) break;
    const expected = (otherPosts / otherDays) * observed[cand]!;
    const logP = logPoissonLowerTail(posts[cand]!, expected);
    if (posts[cand]! > 0.1 * expected || logP > Math.log(opts.dayOffP)) break;
    isOff[cand] = 1;
    off.push({
      utcWeekday: cand,
      observed: observed[cand]!,
      empty: empty[cand]!,
      posts: posts[cand]!,
      expected,
      pValue: Math.exp(logP),
    });
  }
  return off.sort((a, b) => a.utcWeekday - b.utcWeekday);
}

/** The local weekday of a day off, for a block starting `startMin` after midnight UTC, in zone `offsetMin`. */
export function localWeekday(utcWeekday: number, startMin: number, offsetMin: number): number {
  return (((utcWeekday + Math.floor((startMin + offsetMin) / 1440)) % 7) + 7) % 7;
}

/** Number of values two ascending integer arrays share. */
export function sharedCount(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      n++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return n;
}
