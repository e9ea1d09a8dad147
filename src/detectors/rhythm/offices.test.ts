import { describe, expect, it } from "vitest";
import { seededRng } from "../detector.js";
import { QUARTERS, describeBlock, type Block } from "./profile.js";
import {
  cohortWeek,
  officeReading,
  ownHoliday,
  readTiling,
  restTogether,
  type CohortWeek,
  type MemberDays,
} from "./offices.js";
import { findRotas } from "./tiling.js";
import { DAY_MS } from "./zones.js";

/** Monday 2024-01-08, as an epoch day: every world below starts on it, in winter (no summer time). */
const MONDAY = Date.UTC(2024, 0, 8) / DAY_MS;
const MON_FRI = [0, 1, 2, 3, 4];
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];
const opts = { minWeeks: 2, dayOffP: 0.01 };

/** A place of work staffed for `weeks` weeks: local opening time, zone, local weekdays open, local holidays. */
interface Place {
  zone: number;
  /** Local opening time, minutes after midnight; open eight hours. */
  opens: number;
  weekdays: number[];
  /** Days after MONDAY (local dates) closed although they are working weekdays. */
  holidays?: number[];
  staff?: number;
  /** Mean posts of a person per working day. */
  rate?: number;
  /** Minutes (UTC) the members' own blocks start at, when not the opening time (members of one cohort differ). */
  memberStarts?: number[];
}

/**
 * The block and the members' working days of a place: a person works on the days the place is open, one in twenty
 * of them away, and posts a Poisson number of times on each (the days without a post are days not worked, as
 * readSchedule reads them). A shift is counted on the UTC day it starts.
 */
function staffed(p: Place, rng: () => number, weeks = 6): { block: Block; members: MemberDays[] } {
  const utcStart = (((p.opens - p.zone) % 1440) + 1440) % 1440;
  const dayShift = Math.floor((p.opens - p.zone) / 1440);
  const block = describeBlock(new Float64Array(QUARTERS).fill(1), utcStart / 15, 32);
  const members: MemberDays[] = [];
  for (let m = 0; m < (p.staff ?? 5); m++) {
    const memberStart = p.memberStarts?.[m % p.memberStarts.length] ?? utcStart;
    // a member whose own block starts just after midnight UTC counts the same shift on the next UTC day
    const own = Math.round((utcStart - memberStart) / 1440);
    const shiftDays: number[] = [];
    const shiftDayPosts: number[] = [];
    for (let d = 0; d < 7 * weeks; d++) {
      if (!p.weekdays.includes(d % 7) || p.holidays?.includes(d) || rng() < 0.05) continue;
      const rate = p.rate ?? 6;
      let n = 0;
      for (let t = -Math.log(1 - rng()); t < rate; t -= Math.log(1 - rng())) n++;
      if (n === 0) continue;
      shiftDays.push(MONDAY + d + dayShift + own);
      shiftDayPosts.push(n);
    }
    members.push({ startMin: memberStart, shiftDays, shiftDayPosts });
  }
  return { block, members };
}

/** The rota the places tile, with each cohort's week and block in the rota's order. */
function tiling(places: Place[], seed: number): ReturnType<typeof readTiling> & { weeks: CohortWeek[] } {
  const rng = seededRng(seed);
  const cohorts = places.map((p, i) => {
    const { block, members } = staffed(p, rng);
    return { members: members.map((_, k) => i * 100 + k), block, week: cohortWeek(block, members, opts) };
  });
  const rotas = findRotas(cohorts, { minCohort: 3, maxSeam: 6, minCoverage: 80, maxOverlap: 12 });
  expect(rotas).toHaveLength(1);
  const order = rotas[0]!.cohorts;
  const weeks = order.map((c) => cohorts[c]!.week);
  return {
    ...readTiling(
      rotas[0]!,
      weeks,
      order.map((c) => cohorts[c]!.block),
    ),
    weeks,
  };
}

const office = (zone: number, extra: Partial<Place> = {}): Place => ({
  zone,
  opens: 540,
  weekdays: MON_FRI,
  ...extra,
});
/** A unit's three shifts in one zone: 00-08, 08-16 and 16-24 local. */
const unit = (zone: number, weekdays: number[], extra: Partial<Place> = {}): Place[] =>
  [0, 480, 960].map((opens) => ({ zone, opens, weekdays, ...extra }));

describe("cohortWeek", () => {
  it("reads the weekend of an office from its members pooled, on the UTC day its hours start", () => {
    const rng = seededRng(1);
    const london = staffed(office(0), rng);
    expect(cohortWeek(london.block, london.members, opts).rest).toEqual([5, 6]);
    // Sydney in summer (UTC+11:00) opens at 22:00 UTC the evening before: its Saturday starts on a UTC Friday
    const sydney = staffed(office(660), rng);
    expect(cohortWeek(sydney.block, sydney.members, opts).rest).toEqual([4, 5]);
    const desk = staffed({ zone: 480, opens: 480, weekdays: EVERY_DAY }, rng);
    expect(cohortWeek(desk.block, desk.members, opts).rest).toEqual([]);
  });

  it("moves a member whose block starts just after midnight UTC onto the cohort's shift day", () => {
    // Tokyo opens at 09:00, midnight UTC: members' own blocks start at 23:45 or 00:15 UTC
    const rng = seededRng(2);
    const tokyo = staffed(office(540, { memberStarts: [1425, 15] }), rng);
    const week = cohortWeek(tokyo.block, tokyo.members, opts);
    expect(week.rest).toEqual([5, 6]);
    // every worked day of every member lands on a weekday of the cohort's
    for (const d of week.days.keys()) expect([0, 1, 2, 3, 4]).toContain((((d + 3) % 7) + 7) % 7);
  });
});

describe("officeReading", () => {
  it("reads an office's hours and week in its own zone, or a desk open every day", () => {
    const rng = seededRng(3);
    const london = staffed(office(0), rng);
    expect(officeReading(london.block, cohortWeek(london.block, london.members, opts))).toEqual({
      zone: 0,
      week: "Monday to Friday",
    });
    const desk = staffed({ zone: 480, opens: 480, weekdays: EVERY_DAY }, rng);
    expect(officeReading(desk.block, cohortWeek(desk.block, desk.members, opts))?.week).toBe("every day");
    // its people come in over the first minutes: a pooled block that starts a quarter-hour late still reads
    const late = describeBlock(new Float64Array(QUARTERS).fill(1), london.block.start + 1, 31);
    expect(officeReading(late, cohortWeek(late, london.members, opts))).toEqual({
      zone: 0,
      week: "Monday to Friday",
    });
  });

  it("does not read a shift resting on Fridays (Tehran 08:00-16:00) as an office", () => {
    const rng = seededRng(4);
    const tehran = staffed({ zone: 210, opens: 480, weekdays: [0, 1, 2, 3, 5, 6] }, rng);
    expect(officeReading(tehran.block, cohortWeek(tehran.block, tehran.members, opts))).toBeNull();
  });
});

describe("restTogether and ownHoliday", () => {
  it("finds that one unit rests on the same days in its zone, and offices with a desk open every day do not", () => {
    expect(restTogether(tiling(unit(180, MON_FRI), 5).weeks)).toBe(true);
    expect(restTogether(tiling(unit(210, [0, 1, 2, 3, 5, 6]), 6).weeks)).toBe(true);
    const sun = [{ zone: 480, opens: 480, weekdays: EVERY_DAY }, office(60), office(-420)];
    expect(restTogether(tiling(sun, 7).weeks)).toBe(false);
  });

  it("finds a holiday one office keeps while the others work, and not a unit's holiday of whole days", () => {
    // Los Angeles, London and Singapore in winter are eight hours apart: their offices tile the day on the hour
    // and share a Saturday-Sunday weekend in UTC; only their own holidays tell them apart (Martin Luther King Day,
    // Monday 2024-01-15, in Los Angeles; the Chinese New Year holiday, Monday 2024-02-12, in Singapore)
    const offices = [office(-480, { holidays: [7] }), office(0), office(480, { holidays: [35] })];
    const apart = tiling(offices, 8);
    expect(apart.restTogether).toBe(true);
    expect(apart.roundTheClock).toBe(true);
    expect(apart.ownHoliday).not.toBeNull();
    expect(apart.ownHoliday!.shifts % 3).not.toBe(0);
    // a unit in Moscow resting a whole weekday (every shift of it) besides its weekends
    expect(ownHoliday(tiling(unit(180, MON_FRI, { holidays: [10] }), 9).weeks)).toBeNull();
    // the holiday went: nothing tells the offices from one unit
    expect(ownHoliday(tiling([office(-480), office(0), office(480)], 8).weeks)).toBeNull();
  });

  it("says nothing about holidays from cohorts so sparse that a shift without posts is chance", () => {
    const sparse = tiling(
      [
        office(-480, { rate: 0.4, staff: 3 }),
        office(0, { rate: 0.4, staff: 3 }),
        office(480, { rate: 0.4, staff: 3 }),
      ],
      10,
    );
    // shifts without posts there are: by chance
    const unworked = sparse.weeks.some((w) => w.days.size < 30);
    expect(unworked).toBe(true);
    expect(ownHoliday(sparse.weeks)).toBeNull();
  });
});

describe("readTiling", () => {
  // QA defect 1: three offices, one open every day, read as one unit's three shifts
  it("rules out offices following the sun: a desk open every day and two Monday-to-Friday offices", () => {
    const sun = [{ zone: 480, opens: 480, weekdays: EVERY_DAY }, office(60), office(-420)];
    const t = tiling(sun, 11);
    expect(t.roundTheClock).toBe(true);
    expect(t.offices.map((o) => o?.week).sort()).toEqual([
      "Monday to Friday",
      "Monday to Friday",
      "every day",
    ]);
    expect(t.followTheSun).toMatch(/do not rest on the same days/);
  });

  it("rules out Monday-to-Friday offices that do not hand over round the clock (Los Angeles, London, Singapore in summer)", () => {
    const t = tiling([office(-420), office(60), office(480)], 12);
    expect(t.roundTheClock).toBe(false);
    expect(t.followTheSun).toMatch(/hand over/);
  });

  it("rules out offices eight hours apart by the holidays each keeps", () => {
    const t = tiling([office(-480, { holidays: [7] }), office(0), office(480, { holidays: [35] })], 13);
    expect(t.followTheSun).toMatch(/holiday/);
  });

  // QA defect 3: a one-zone unit resting at weekends, each of whose shifts reads as an office somewhere
  it("keeps a unit in one zone that covers the day with handovers and rests at weekends as one", () => {
    const t = tiling(unit(180, MON_FRI), 14);
    expect(t.offices.every((o) => o?.week === "Monday to Friday")).toBe(true);
    expect(t.restTogether && t.roundTheClock).toBe(true);
    expect(t.followTheSun).toBeNull();
  });

  it("keeps a unit resting on Fridays, which no office's week explains", () => {
    const t = tiling(unit(210, [0, 1, 2, 3, 5, 6]), 15);
    expect(t.offices).toEqual([null, null, null]);
    expect(t.followTheSun).toBeNull();
  });
});
