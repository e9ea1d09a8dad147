import { describe, expect, it } from "vitest";
import { QUARTERS, describeBlock } from "./profile.js";
import {
  dayShiftZone,
  findRotas,
  formCohorts,
  officeHoursZone,
  rotaZone,
  type ShiftAccount,
} from "./tiling.js";
import { offWholeHour } from "./zones.js";

function account(start: number, length: number, daysOff: number[]): ShiftAccount {
  const profile = new Float64Array(QUARTERS);
  for (let q = start; q < start + length; q++) profile[q % QUARTERS] = 5;
  return { start, length, profile, daysOff };
}

const opts = { minCohort: 3, maxSeam: 6, minCoverage: 80, maxOverlap: 12 };

describe("formCohorts and findRotas", () => {
  // Tehran 00-08, 08-16 and 16-24 are 20:30, 04:30 and 12:30 UTC; with Fridays off the missing shifts start on
  // UTC Thursday (3) for the night cohort and Friday (4) for the others
  const unit = [
    ...[0, 1, 2].map(() => account(82, 32, [3])),
    ...[0, 1, 2, 3].map((i) => account(18 + (i % 2), 32, [4])),
    ...[0, 1, 2].map(() => account(50, 31, [4])),
  ];

  it("groups accounts with the same block into cohorts and finds the rota they tile", () => {
    const cohorts = formCohorts(unit, 4, 24, 40);
    expect(cohorts.map((c) => c.members)).toEqual([
      [3, 4, 5, 6],
      [0, 1, 2],
      [7, 8, 9],
    ]);
    expect(cohorts.map((c) => c.block.start)).toEqual([18, 82, 50]);
    const rotas = findRotas(cohorts, opts);
    expect(rotas).toHaveLength(1);
    expect(rotas[0]!.members).toBe(10);
    expect(rotas[0]!.coverage).toBeGreaterThanOrEqual(94);
    expect([...rotas[0]!.cohorts].sort()).toEqual([0, 1, 2]);
  });

  it("keeps an office worker with the same hours but a Saturday-Sunday weekend out of a Friday-off cohort", () => {
    const withOffice = [...unit, account(50, 32, [5, 6])];
    const cohorts = formCohorts(withOffice, 4, 24, 40);
    const office = cohorts.find((c) => c.members.includes(10))!;
    expect(office.members).toEqual([10]);
  });

  it("keeps a 10-hour block whose edges are each an hour off an 8-hour cohort's out of it", () => {
    const withPerson = [...unit, account(46, 40, [])]; // 11:30-21:30 UTC against 12:30-20:15
    const cohorts = formCohorts(withPerson, 4, 24, 40);
    expect(cohorts.find((c) => c.members.includes(10))!.members).toEqual([10]);
  });

  it("finds no rota when the cohorts leave much of the day uncovered, or are too small", () => {
    const twoShifts = unit.filter((a) => a.start !== 50);
    expect(findRotas(formCohorts(twoShifts, 4, 24, 40), opts)).toEqual([]);
    const thin = [account(82, 32, []), account(18, 32, []), account(50, 32, [])];
    expect(findRotas(formCohorts(thin, 4, 24, 40), opts)).toEqual([]);
    expect(findRotas(formCohorts(thin, 4, 24, 40), { ...opts, minCohort: 1 })).toHaveLength(1);
  });

  it("finds a two-shift rota of 12-hour shifts when blocks that long are looked for, and rejects overlaps", () => {
    const two = [...[0, 1, 2].map(() => account(0, 48, [])), ...[0, 1, 2].map(() => account(48, 48, []))];
    expect(findRotas(formCohorts(two, 4, 24, 48), opts)).toHaveLength(1);
    // two 10-hour shifts leave four hours uncovered: at most 90 minutes per seam cannot close that
    const tenHours = [
      ...[0, 1, 2].map(() => account(0, 40, [])),
      ...[0, 1, 2].map(() => account(48, 40, [])),
    ];
    expect(findRotas(formCohorts(tenHours, 4, 24, 40), opts)).toEqual([]);
    const overlapping = [
      ...[0, 1, 2].map(() => account(0, 40, [])),
      ...[0, 1, 2].map(() => account(28, 40, [])),
    ];
    expect(findRotas(formCohorts(overlapping, 4, 24, 40), opts)).toEqual([]);
  });
});

describe("zones", () => {
  const blocks = [82, 18, 50].map((s) => describeBlock(new Float64Array(QUARTERS).fill(1), s, 32));

  it("reads a three-shift rota changing at 20:30, 04:30 and 12:30 UTC with Fridays off as Tehran time", () => {
    const members = [
      { startMin: 82 * 15, daysOff: [3] },
      { startMin: 18 * 15, daysOff: [4] },
      { startMin: 50 * 15, daysOff: [4] },
    ];
    const z = rotaZone(blocks, members);
    expect(z.offset).toBe(210);
    expect(z.dayOff).toBe(4);
    expect(z.dayOffAgreement).toEqual({ agree: 3, withDayOff: 3 });
    // other half-hour zones also put every change on the hour and keep Friday together: they are listed
    expect(z.alternatives).toContain(270);
    expect(z.alternatives).not.toContain(210);
    expect(z.alternatives).not.toContain(180);
  });

  it("without days off, still prefers the zone with a change at local midnight", () => {
    const z = rotaZone(
      blocks,
      blocks.map((b) => ({ startMin: b.start * 15, daysOff: [] })),
    );
    expect(z.offset).toBe(210);
    expect(z.dayOff).toBeNull();
  });

  it("reads a single 04:30-12:30 UTC block as a day shift at UTC+03:30", () => {
    expect(dayShiftZone(blocks[1]!).offset).toBe(210);
    // 13:00-21:00 UTC reads as 09:00-17:00 at UTC-04:00; 08:00-16:00 at UTC-05:00 fits as well, and a single
    // block cannot tell them apart (explanations say so)
    const ny = describeBlock(new Float64Array(QUARTERS).fill(1), 52, 32);
    expect(dayShiftZone(ny).offset).toBe(-240);
    // 17:15-01:00 UTC: no zone puts both edges on the hour; one edge on the hour and midday in the middle
    const pacific = describeBlock(new Float64Array(QUARTERS).fill(1), 69, 31);
    expect(
      offWholeHour(69 * 15 + dayShiftZone(pacific).offset) *
        offWholeHour(100 * 15 + dayShiftZone(pacific).offset),
    ).toBe(0);
    expect(dayShiftZone(pacific).basis).toMatch(/one edge on the hour/);
  });
});

describe("officeHoursZone", () => {
  const day = (start: number): ReturnType<typeof describeBlock> =>
    describeBlock(new Float64Array(QUARTERS).fill(1), start, 32);

  it("reads 08:00-16:00 UTC with Saturday and Sunday off as 09:00-17:00 at UTC+01:00", () => {
    expect(
      officeHoursZone(
        day(32),
        [0, 1, 2].map(() => ({ startMin: 480, daysOff: [5, 6] })),
      ),
    ).toBe(60);
  });

  it("does not read a Friday-off shift, or one without days off, as office hours", () => {
    expect(
      officeHoursZone(
        day(18),
        [0, 1, 2].map(() => ({ startMin: 270, daysOff: [4] })),
      ),
    ).toBeNull();
    expect(
      officeHoursZone(
        day(32),
        [0, 1, 2].map(() => ({ startMin: 480, daysOff: [] })),
      ),
    ).toBeNull();
  });
});
