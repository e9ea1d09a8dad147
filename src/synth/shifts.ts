/**
 * Working hours, planned post by post: the shift unit, and the ordinary night-shift workers it must not be
 * confused with.
 *
 * A shift unit (the schedule of a troll unit staffed round the clock) has cohorts that each post only inside
 * their own shift in the operators' time zone, with sharp edges (nothing before the shift starts or after it
 * ends), on every day of the week but the day off, for three to six weeks. Each member posts at its own random
 * times, uniformly over the shift: no two members act together, so nothing but the schedule ties them.
 *
 * A night-shift worker (a nurse, a guard, a baker) is a person: a rotating roster (not a fixed weekday off),
 * posts that gather in the breaks of the night rather than filling it evenly, some in the afternoon after
 * sleeping, and an ordinary day on days off.
 */
import type { PlantedCampaignSpec, ShiftSpec } from "./config.js";
import type { SynthAccount } from "./population.js";
import { AliasTable, Rng } from "./rng.js";
import { buildSchedule, type Schedule } from "./schedule.js";

const MIN_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface ShiftCohort {
  /** Local start of the shift, minutes after midnight. */
  startLocalMin: number;
  hours: number;
  members: number[];
}

export interface PlannedShiftUnit {
  tzOffsetMin: number;
  /** Local weekday off (0 = Sunday). */
  dayOff: number;
  cohorts: ShiftCohort[];
  /** Share of each member's posts that carry one of the unit's hashtags, by account index. */
  tagShare: Map<number, number>;
  /** Every post of the unit; `arg` is the cohort. */
  schedule: Schedule;
}

/** The local date (days since 1970-01-01) of UTC time `ms` in a zone `tzOffsetMin` minutes east of UTC. */
export function localDay(ms: number, tzOffsetMin: number): number {
  return Math.floor((ms + tzOffsetMin * MIN_MS) / DAY_MS);
}

/** Weekday (0 = Sunday) of a local date counted in days since 1970-01-01 (a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Minutes after local midnight of UTC time `ms`. */
export function localMinute(ms: number, tzOffsetMin: number): number {
  const m = Math.floor((ms + tzOffsetMin * MIN_MS) / MIN_MS) % 1440;
  return m < 0 ? m + 1440 : m;
}

export function planShiftUnit(
  seed: number,
  c: number,
  spec: PlantedCampaignSpec,
  members: readonly number[],
  startMs: number,
  endMs: number,
): PlannedShiftUnit {
  const shift = spec.shift as ShiftSpec;
  const tz = spec.tzOffsetMin;
  const rng = Rng.for(seed, "shift-unit", c);
  const cohorts: ShiftCohort[] = Array.from({ length: shift.cohorts }, (_, k) => ({
    startLocalMin: ((shift.firstStartHour + k * shift.hours) % 24) * 60,
    hours: shift.hours,
    members: [],
  }));
  rng.shuffle([...members]).forEach((m, i) => (cohorts[i % shift.cohorts] as ShiftCohort).members.push(m));
  const firstLocal = localDay(startMs, tz) + spec.firstDay;
  const entries: Array<[number, number, number]> = [];
  const tagShare = new Map<number, number>();
  cohorts.forEach((cohort, k) => {
    for (const m of cohort.members) {
      const r = Rng.for(seed, "shift-member", c, m);
      tagShare.set(m, r.between(shift.tagShare[0], shift.tagShare[1]));
      // Members join and leave within a few days of the unit's start and end; now and then one is absent.
      const from = firstLocal + r.int(3);
      const to = firstLocal + spec.activeDays - r.int(3);
      const days: number[] = [];
      for (let d = from; d < to; d++) if (weekdayOf(d) !== shift.dayOff && !r.chance(0.06)) days.push(d);
      if (days.length === 0) continue;
      const n = r.intBetween(shift.postsPerMember[0], shift.postsPerMember[1]);
      for (let j = 0, tries = 0; j < n && tries < n * 4; tries++) {
        const d = r.pick(days);
        const ms = Math.round(
          d * DAY_MS - tz * MIN_MS + cohort.startLocalMin * MIN_MS + r.next() * cohort.hours * HOUR_MS,
        );
        if (ms < startMs || ms >= endMs) continue;
        entries.push([ms, m, k]);
        j++;
      }
    }
  });
  return { tzOffsetMin: tz, dayOff: shift.dayOff, cohorts, tagShare, schedule: buildSchedule(entries) };
}

export interface NightWorker {
  account: number;
  /** Local start of the night shift (minutes after midnight) and its length. */
  startLocalMin: number;
  hours: number;
  /** Roster: `on` nights of work in every `period` days. */
  period: number;
  on: number;
}

/**
 * The posts of ordinary night-shift workers over the world's days. `hourTable` draws a local hour of an
 * ordinary day (the diurnal rhythm of everyone else).
 */
export function planNightWorkers(
  seed: number,
  accounts: readonly SynthAccount[],
  ids: readonly number[],
  startMs: number,
  endMs: number,
  hourTable: AliasTable,
): { workers: NightWorker[]; schedule: Schedule } {
  const entries: Array<[number, number, number]> = [];
  const workers: NightWorker[] = [];
  const days = Math.ceil((endMs - startMs) / DAY_MS) + 1;
  for (const id of ids) {
    const a = accounts[id] as SynthAccount;
    const r = Rng.for(seed, "night-worker", id);
    const tz = a.tzOffsetMin;
    const roster = r.pick([
      [6, 3],
      [8, 4],
      [9, 6],
      [10, 5],
    ] as const);
    const w: NightWorker = {
      account: id,
      startLocalMin: r.pick([19, 20, 21, 22, 22, 23]) * 60 + r.pick([0, 0, 30]),
      hours: r.pick([8, 10, 12]),
      period: roster[0],
      on: roster[1],
    };
    workers.push(w);
    const phase = r.int(w.period);
    const perDay = r.between(2, 7);
    const first = localDay(startMs, tz) - 1;
    for (let d = first; d < first + days; d++) {
      const midnight = d * DAY_MS - tz * MIN_MS;
      const working = (((d + phase) % w.period) + w.period) % w.period < w.on;
      const push = (ms: number): void => {
        if (ms >= startMs && ms < endMs) entries.push([Math.round(ms), id, 0]);
      };
      if (working) {
        // Posts gather in the breaks around the middle of the night, thin out towards the edges.
        const inShift = r.poisson(perDay * 1.1);
        for (let k = 0; k < inShift; k++) {
          const u = (r.next() + r.next() + r.next()) / 3;
          push(midnight + w.startLocalMin * MIN_MS + u * w.hours * HOUR_MS);
        }
        // Awake in the afternoon before going in.
        const afternoon = r.poisson(perDay * 0.3);
        for (let k = 0; k < afternoon; k++) push(midnight + r.between(13, 19) * HOUR_MS);
      } else {
        const n = r.poisson(perDay);
        for (let k = 0; k < n; k++) push(midnight + (hourTable.draw(r) + r.next()) * HOUR_MS);
      }
    }
  }
  return { workers, schedule: buildSchedule(entries) };
}
