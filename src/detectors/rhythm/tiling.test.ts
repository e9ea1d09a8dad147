import { describe, expect, it } from "vitest";
import { QUARTERS, densestBlock, describeBlock } from "./profile.js";
import { dayShiftZone, findRotas, formCohorts, rotaZone, type Cohort, type ShiftAccount } from "./tiling.js";
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
    expect(z.daysOff).toEqual([4]);
    expect(z.dayOffAgreement).toEqual({ agree: 3, withDayOff: 3 });
    // other half-hour zones also put every change on the hour and keep Friday together: they are listed, and the
    // reading says it cannot choose among them
    expect(z.determined).toBe(false);
    expect(z.basis).toMatch(/cannot tell/);
    expect(z.alternatives).toContain(270);
    expect(z.alternatives).not.toContain(210);
    expect(z.alternatives).not.toContain(180);
  });

  it("without days off, says it cannot tell the zones that put every change on the hour apart", () => {
    const z = rotaZone(
      blocks,
      blocks.map((b) => ({ startMin: b.start * 15, daysOff: [] })),
    );
    const fits = [z.offset, ...z.alternatives];
    expect(z.determined).toBe(false);
    expect(fits).toContain(210);
    expect(fits).toContain(270);
    for (const o of fits) expect(offWholeHour(18 * 15 + o)).toBe(0);
    expect(z.daysOff).toEqual([]);
  });

  // QA defect 2: a Berlin unit in winter (UTC+01:00) on 06-14, 14-22 and 22-06, resting on Sundays, was read at
  // UTC-05:00, the zone where its early shift starts at midnight
  it("does not single out the zone where a Berlin rota's early shift starts at midnight", () => {
    const berlin = [5, 13, 21].map((h) => describeBlock(new Float64Array(QUARTERS).fill(1), h * 4, 32));
    // the shifts not worked start on Sundays at 05:00, 13:00 and 21:00 UTC
    const members = berlin.flatMap((b) => [0, 1, 2].map(() => ({ startMin: b.start * 15, daysOff: [6] })));
    const z = rotaZone(berlin, members);
    const fits = [z.offset, ...z.alternatives];
    expect(fits).toContain(60);
    expect(fits).toContain(-300);
    expect(z.determined).toBe(false);
    expect(z.basis).toMatch(/cannot tell/);
    expect(z.basis).not.toMatch(/midnight/);
    // every zone that fits puts the rest on the same local day
    expect(z.daysOff).toEqual([6]);
    expect(z.dayOffAgreement).toEqual({ agree: 9, withDayOff: 9 });
  });

  it("reads a two-day rest as one set of days: the night shift's Friday-Saturday is not the others' weekend", () => {
    // Moscow (UTC+03:00) on 00-08, 08-16 and 16-24, Saturdays and Sundays off: the night shifts not worked start
    // on Fridays and Saturdays at 21:00 UTC, the others on Saturdays and Sundays
    const moscow = [21, 5, 13].map((h) => describeBlock(new Float64Array(QUARTERS).fill(1), h * 4, 32));
    const members = moscow.map((b) => ({
      startMin: b.start * 15,
      daysOff: b.start === 84 ? [4, 5] : [5, 6],
    }));
    const z = rotaZone(moscow, members);
    const fits = [z.offset, ...z.alternatives];
    expect(fits).toContain(180);
    // at UTC the night shift rests on Friday and Saturday: sharing Saturday is not sharing a weekend
    expect(fits).not.toContain(0);
    expect(z.daysOff).toEqual([5, 6]);
  });

  it("names the zone when only one fits: changes at a quarter past the hour UTC are on the hour only in Nepal", () => {
    const nepal = [1, 33, 65].map((q) => describeBlock(new Float64Array(QUARTERS).fill(1), q, 32));
    const z = rotaZone(
      nepal,
      nepal.map((b) => ({ startMin: b.start * 15, daysOff: [] })),
    );
    expect(z.offset).toBe(345);
    expect(z.determined).toBe(true);
    expect(z.alternatives).toEqual([]);
    expect(z.basis).toMatch(/reads best/);
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

/** Circular distance between two quarter-hours of the day. */
const circ = (a: number, b: number): number => {
  const d = (((a - b) % QUARTERS) + QUARTERS) % QUARTERS;
  return Math.min(d, QUARTERS - d);
};

// the greedy as it was first written, account by account (every account's neighbours counted over every account for
// each cohort): the definition that formCohorts keeps, by kinds of accounts
function formCohortsByAccount(
  accounts: ShiftAccount[],
  tolerance: number,
  minLen: number,
  maxLen: number,
): Cohort[] {
  const n = accounts.length;
  const end = accounts.map((a) => (a.start + a.length) % QUARTERS);
  // accounts that both keep days off must share one: Friday-off shift workers and a Saturday-Sunday office
  // worker whose hours happen to match are not one cohort
  const restCompatible = (i: number, j: number): boolean => {
    const a = accounts[i]!.daysOff;
    const b = accounts[j]!.daysOff;
    return a.length === 0 || b.length === 0 || a.some((d) => b.includes(d));
  };
  // both edges within the tolerance and the lengths too: a person's chance 10-hour window that overlaps an 8-hour
  // shift by an hour at each end is not on that shift
  const near = (i: number, j: number): boolean =>
    circ(accounts[i]!.start, accounts[j]!.start) <= tolerance &&
    circ(end[i]!, end[j]!) <= tolerance &&
    Math.abs(accounts[i]!.length - accounts[j]!.length) <= tolerance &&
    restCompatible(i, j);
  const assigned = new Uint8Array(n);
  const out: Cohort[] = [];
  for (;;) {
    let seed = -1;
    let seedCount = -1;
    for (let i = 0; i < n; i++) {
      if (assigned[i]) continue;
      let c = 0;
      for (let j = 0; j < n; j++) if (!assigned[j] && near(i, j)) c++;
      if (c > seedCount) {
        seed = i;
        seedCount = c;
      }
    }
    if (seed < 0) break;
    const near0: number[] = [];
    for (let j = 0; j < n; j++) if (!assigned[j] && near(seed, j)) near0.push(j);
    // members must also agree with the days off most of the cohort keeps, not only with the seed's: a seed
    // without detectable days off would otherwise bridge a Friday-off shift and Saturday-Sunday offices
    const votes = new Int32Array(7);
    for (const j of near0) for (const d of accounts[j]!.daysOff) votes[d]!++;
    const top = Math.max(...votes);
    const prevailing = top > 0 ? [0, 1, 2, 3, 4, 5, 6].filter((d) => votes[d]! * 2 >= top) : [];
    const members = near0.filter((j) => {
      const off = accounts[j]!.daysOff;
      return (
        j === seed || off.length === 0 || prevailing.length === 0 || off.some((d) => prevailing.includes(d))
      );
    });
    for (const j of members) assigned[j] = 1;
    const pooled = new Float64Array(QUARTERS);
    for (const j of members) for (let q = 0; q < QUARTERS; q++) pooled[q]! += accounts[j]!.profile[q]!;
    out.push({ members, block: densestBlock(pooled, minLen, maxLen)! });
  }
  return out;
}

describe("formCohorts against the greedy account by account", () => {
  it("forms the same cohorts, seeds and members, on mixed shifts and days off", () => {
    let seed = 19;
    const rnd = (k: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % k;
    };
    const daysOffChoices = [[], [4], [5], [4, 5], [5, 4], [5, 6], [0], [6, 0]];
    for (let world = 0; world < 25; world++) {
      const accounts: ShiftAccount[] = [];
      const n = 50 + rnd(250);
      for (let i = 0; i < n; i++) {
        const start = [0, 2, 4, 32, 34, 64, 66, 90][rnd(8)]! + rnd(3);
        const length = [24, 28, 32, 36][rnd(4)]! + rnd(2);
        accounts.push(account(start, length, daysOffChoices[rnd(daysOffChoices.length)]!));
      }
      const tolerance = 2 + rnd(4);
      expect(formCohorts(accounts, tolerance, 24, 40)).toEqual(
        formCohortsByAccount(accounts, tolerance, 24, 40),
      );
    }
  });
});
