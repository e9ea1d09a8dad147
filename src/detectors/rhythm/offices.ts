/**
 * One unit's rota, or offices following the sun. Offices in zones about eight hours apart (Los Angeles, Dublin,
 * Manila) tile the day as exactly as one unit's three shifts, so the tiling alone proves nothing. The week tells
 * them apart. One unit rests as one: in its zone every cohort is off on the same local days, its rest and its
 * holidays are whole days of the rota (every shift of them unworked, the shifts around them worked), and it hands
 * over round the clock. Offices each keep the week of their own zone (Monday to Friday there, or a desk open every
 * day) and their own holidays, so one office's hours go unworked while its neighbours' are worked.
 */
import { type Block, QUARTER_MIN } from "./profile.js";
import { findDaysOff, localWeekday, weekOfDay, type ScheduleOptions } from "./schedule.js";
import type { Rota, ZoneReading } from "./tiling.js";
import { DAY_MS, ZONES, offWholeHour, wrapMinutes } from "./zones.js";

/**
 * Quarter-hours of gap or overlap within which one shift hands over to the next: a rota's shifts hand over on the
 * minute, and a cohort's pooled block finds each edge to a quarter-hour or so (the first posts of a shift come a few
 * minutes in). Offices in Los Angeles, London and Singapore in summer leave an hour's gap and an hour's overlap.
 */
export const HANDOVER_QUARTERS = 2;

/** The days a member worked its shift, as readSchedule reads them, with the start of its block. */
export interface MemberDays {
  /** Minutes after midnight UTC the member's block starts. */
  startMin: number;
  /** Epoch days (UTC) of the starts of the shifts with posts inside the block, and those posts. */
  shiftDays: ArrayLike<number>;
  shiftDayPosts: ArrayLike<number>;
}

/** A cohort's week, read from its members' working days pooled, as if the cohort were one account. */
export interface CohortWeek {
  /** Minutes after midnight UTC the cohort's block starts; its shift days are counted from there. */
  startMin: number;
  /** UTC weekdays (0 = Monday) of the cohort's shift start on which the cohort as a whole rests. */
  rest: number[];
  /** Posts inside the block per shift day with any (epoch day of the cohort's shift start). */
  days: Map<number, number>;
}

export type OfficeWeek = "Monday to Friday" | "every day";

/** A cohort read as an office: the zone where its hours are an office's, and the week it keeps there. */
export interface OfficeReading {
  zone: number;
  week: OfficeWeek;
}

export interface TilingReading {
  /** Each cohort read as an office, in the rota's order; null when no zone makes it one. */
  offices: Array<OfficeReading | null>;
  /** In some zone every cohort rests on the same local weekdays (or none rests). */
  restTogether: boolean;
  /** Each block hands over to the next within HANDOVER_QUARTERS, round the clock. */
  roundTheClock: boolean;
  /** A run of unworked shifts that is not whole days of the rota, when one is sure (a holiday of one office). */
  ownHoliday: { day: number; shifts: number } | null;
  /**
   * Why the tiling is offices following the sun and not one unit, in plain language (what sets the offices apart,
   * their hours and weeks being an office's each); null when it is a rota.
   */
  followTheSun: string | null;
}

const weekdayOf = (day: number): number => (((day + 3) % 7) + 7) % 7;

/**
 * A cohort's week: its members' working days moved onto the cohort's shift days (a member whose block starts at
 * 00:15 UTC works the shift the cohort starts at 23:45 the day before) and pooled, then days off read as for one
 * account. A cohort rests on a weekday when the cohort as a whole does; a member's own rest is not the cohort's.
 */
export function cohortWeek(block: Block, members: MemberDays[], opts: ScheduleOptions): CohortWeek {
  const startMin = block.start * QUARTER_MIN;
  const days = new Map<number, number>();
  for (const m of members) {
    const shift = Math.floor((m.startMin - startMin + 720) / 1440);
    for (let i = 0; i < m.shiftDays.length; i++) {
      const d = m.shiftDays[i]! + shift;
      days.set(d, (days.get(d) ?? 0) + m.shiftDayPosts[i]!);
    }
  }
  if (days.size === 0) return { startMin, rest: [], days };
  const sorted = [...days.keys()].sort((a, b) => a - b);
  const weeks = new Set(sorted.map(weekOfDay));
  const observed = new Int32Array(7);
  const empty = new Int32Array(7);
  const posts = new Int32Array(7);
  for (let d = sorted[0]!; d <= sorted[sorted.length - 1]!; d++) {
    if (!weeks.has(weekOfDay(d))) continue;
    const w = weekdayOf(d);
    const n = days.get(d) ?? 0;
    observed[w]!++;
    posts[w]! += n;
    if (n === 0) empty[w]!++;
  }
  return { startMin, rest: findDaysOff(observed, empty, posts, opts).map((d) => d.utcWeekday), days };
}

/**
 * The zone in which a cohort reads as an office: its block starts between 07:00 and 10:00 local, on the hour or a
 * quarter-hour either side of it (nearest 09:00 preferred, then nearest UTC), and the cohort rests on Saturday and Sunday there, or on no day at all (a desk
 * open every day). Null when no zone does. A Friday weekend, or any other, is no Western office's week.
 */
export function officeReading(block: Block, week: CohortWeek): OfficeReading | null {
  let best: OfficeReading | null = null;
  let bestKey = [Infinity, Infinity];
  for (const { offset: z } of ZONES) {
    // people arrive over the first minutes, so a pooled block may start a quarter-hour after the hour
    const local = wrapMinutes(block.start * QUARTER_MIN + z);
    if (offWholeHour(local) > QUARTER_MIN || local < 420 - QUARTER_MIN || local > 600 + QUARTER_MIN) continue;
    const days = new Set(week.rest.map((w) => localWeekday(w, week.startMin, z)));
    const kind: OfficeWeek | null =
      days.size === 0
        ? "every day"
        : days.size === 2 && days.has(5) && days.has(6)
          ? "Monday to Friday"
          : null;
    if (kind === null) continue;
    const key = [Math.abs(local - 540), Math.abs(z)];
    if (key[0]! < bestKey[0]! || (key[0] === bestKey[0] && key[1]! < bestKey[1]!)) {
      best = { zone: z, week: kind };
      bestKey = key;
    }
  }
  return best;
}

/** The zone reading of a cohort read as an office: one reading, not a finding of where it is. */
export function officeZone(office: OfficeReading): ZoneReading {
  return {
    offset: office.zone,
    alternatives: [],
    determined: false,
    basis: `reads as an office's hours there (${office.week}); offices elsewhere, or a shift, fit the same posts`,
    daysOff: [],
    dayOffAgreement: { agree: 0, withDayOff: 0 },
  };
}

/**
 * Whether in some zone every cohort rests on the same local weekdays, as the cohorts of one unit do (a unit resting
 * on Sundays skips the three shifts that start on a Sunday there; which zone is another matter, see rotaZone).
 */
export function restTogether(weeks: CohortWeek[]): boolean {
  const local = (w: CohortWeek, z: number): string =>
    [...new Set(w.rest.map((d) => localWeekday(d, w.startMin, z)))].sort().join(",");
  return ZONES.some(({ offset: z }) => weeks.every((w) => local(w, z) === local(weeks[0]!, z)));
}

/**
 * A run of unworked shifts, in the order the rota's shifts follow one another over the days all its cohorts were
 * active, that is not a whole number of days of the rota: one cohort (or two of three) off while the shifts either
 * side of it were worked, as when one office keeps a holiday of its own. One unit's rest skips every shift of its
 * days together. Only runs of shifts each of which a cohort of its rate misses by chance with probability below
 * `alpha` over all the shifts looked at (Bonferroni) count, so that sparse cohorts say nothing.
 */
export function ownHoliday(weeks: CohortWeek[], alpha = 0.01): { day: number; shifts: number } | null {
  const n = weeks.length;
  const order = [...weeks].sort((a, b) => a.startMin - b.startMin);
  let d0 = -Infinity;
  let d1 = Infinity;
  for (const w of order) {
    if (w.days.size === 0) return null;
    const ds = [...w.days.keys()];
    d0 = Math.max(d0, Math.min(...ds));
    d1 = Math.min(d1, Math.max(...ds));
  }
  if (d1 < d0) return null;
  // a cohort's posts per working shift over the common days: P(a worked shift without posts) = exp(-rate)
  const rate = order.map((w) => {
    let posts = 0;
    let shifts = 0;
    for (let d = d0; d <= d1; d++) {
      if (w.rest.includes(weekdayOf(d))) continue;
      shifts++;
      posts += w.days.get(d) ?? 0;
    }
    return shifts > 0 ? posts / shifts : 0;
  });
  const sure = Math.log((n * (d1 - d0 + 1)) / alpha);
  let run = 0;
  let runStart = 0;
  let runSure = true;
  let worked = false;
  for (let d = d0; d <= d1; d++) {
    for (let k = 0; k < n; k++) {
      if (!order[k]!.days.has(d)) {
        if (run === 0) runStart = d;
        run++;
        runSure &&= rate[k]! > sure;
        continue;
      }
      if (worked && run > 0 && runSure && run % n !== 0) return { day: runStart, shifts: run };
      run = 0;
      runSure = true;
      worked = true;
    }
  }
  return null;
}

/**
 * Whether a tiling of cohorts is one unit's rota or offices following the sun. It is offices when every cohort
 * reads as an office in a zone of its own (at least one Monday to Friday: desks open every day in every zone say
 * nothing about a week) and the cohorts are not one unit: they do not rest on the same days in any one zone, or
 * one's hours go unworked while the others' are worked, or they do not hand over round the clock. A unit that covers
 * the whole day with handovers and rests at weekends as one is a unit, however office-like each shift reads alone.
 * `weeks` are the rota's cohorts' weeks in the rota's order.
 */
export function readTiling(rota: Rota, weeks: CohortWeek[], blocks: Block[]): TilingReading {
  const offices = blocks.map((b, i) => officeReading(b, weeks[i]!));
  const together = restTogether(weeks);
  const roundTheClock = rota.widestSeam <= HANDOVER_QUARTERS;
  const holiday = ownHoliday(weeks);
  const officeLike = offices.every((o) => o !== null) && offices.some((o) => o!.week === "Monday to Friday");
  let followTheSun: string | null = null;
  if (officeLike && !together)
    followTheSun = "they do not rest on the same days in any one zone, as one unit's shifts do";
  else if (officeLike && holiday !== null)
    followTheSun =
      `${holiday.shifts === 1 ? "a shift" : `${holiday.shifts} shifts in a row`} starting ` +
      `${new Date(holiday.day * DAY_MS).toISOString().slice(0, 10)} (UTC) went unworked while the shifts either ` +
      "side were worked, a holiday of their own (one unit rests whole days)";
  else if (officeLike && !roundTheClock)
    followTheSun =
      `their hours do not hand over round the clock (a seam of ${rota.widestSeam * QUARTER_MIN} minutes where ` +
      "one ends and the next begins)";
  return { offices, restTogether: together, roundTheClock, ownHoliday: holiday, followTheSun };
}

/** The reason a tiling read as offices is ruled out, in plain language. */
export function ruledOutReason(t: TilingReading): string {
  const weekdays = t.offices.filter((o) => o?.week === "Monday to Friday").length;
  const kinds =
    weekdays === t.offices.length
      ? "all Monday to Friday"
      : `${weekdays} Monday to Friday, ${t.offices.length - weekdays} open every day`;
  return (
    `every cohort keeps the hours and the week of an office in a zone of its own (${kinds}), and ` +
    `${t.followTheSun}: offices following the sun, not evidence of one unit`
  );
}
