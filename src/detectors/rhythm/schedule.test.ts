import { describe, expect, it } from "vitest";
import { seededRng } from "../detector.js";
import { describeBlock } from "./profile.js";
import { localWeekday, logPoissonLowerTail, readSchedule, sharedCount } from "./schedule.js";
import { DAY_MS, MINUTE_MS } from "./zones.js";

const T0 = Date.UTC(2024, 4, 1); // a Wednesday
const TEHRAN = 210;

/** Post times of a worker on the shift starting `startMin` after local midnight (Tehran), `skip` local weekdays off. */
function worker(startMin: number, skip: number[], perDay: number, days: number, seed: number): Float64Array {
  const rng = seededRng(seed);
  const out: number[] = [];
  for (let d = 0; d < days; d++) {
    if (skip.includes((d + 2) % 7)) continue;
    const shift = T0 + d * DAY_MS + (startMin - TEHRAN) * MINUTE_MS;
    for (let i = 0; i < perDay; i++) out.push(shift + Math.floor(rng() * 8 * 60 * MINUTE_MS));
  }
  return Float64Array.from(out.sort((a, b) => a - b));
}

function profileOf(ts: Float64Array): Float64Array {
  const p = new Float64Array(96);
  for (const t of ts) p[Math.floor(t / (15 * MINUTE_MS)) % 96]!++;
  return p;
}

const opts = { minWeeks: 2, dayOffP: 0.01 };

describe("readSchedule", () => {
  it("finds the Friday off of a Tehran day shift (08:00-16:00) and names it in Tehran time", () => {
    const ts = worker(480, [4], 6, 28, 1);
    const block = describeBlock(profileOf(ts), 18, 32); // 04:30-12:30 UTC
    const s = readSchedule(ts, 0, ts.length, block, opts);
    expect(s.posts).toBe(ts.length);
    expect(s.activeDays).toBe(24);
    expect(s.daysInside).toBe(24);
    expect(s.daysOff).toHaveLength(1);
    const off = s.daysOff[0]!;
    expect([off.posts, off.empty, off.observed]).toEqual([0, 4, 4]);
    expect(off.pValue).toBeLessThan(1e-6);
    expect(localWeekday(off.utcWeekday, 18 * 15, TEHRAN)).toBe(4);
    expect(s.firstInside).toBe(0);
    expect(s.lastInside).toBe(ts.length - 1);
    expect(s.hourOfWeek.reduce((a, b) => a + b, 0)).toBe(ts.length);
  });

  it("counts the weeks an account was active, not the years of silence between two stretches", () => {
    // four weeks from T0, then four weeks five years later, Fridays off in Tehran
    const first = worker(480, [4], 6, 28, 1);
    const later = worker(480, [4], 6, 28, 5).map((t) => t + 5 * 364 * DAY_MS);
    const ts = Float64Array.from([...first, ...later]);
    const block = describeBlock(profileOf(ts), 18, 32);
    const s = readSchedule(ts, 0, ts.length, block, opts);
    expect(s.activeDays).toBe(48);
    // 28 days from a Wednesday touch five Monday-to-Sunday weeks, and so do the later 28
    expect(s.weeks).toBe(10);
    expect(s.daysOff).toHaveLength(1);
    // eight Fridays off, and the Friday of the week the first stretch ended in (its last post on a Tuesday)
    expect([s.daysOff[0]!.posts, s.daysOff[0]!.empty, s.daysOff[0]!.observed]).toEqual([0, 9, 9]);
  });

  it("counts a night shift that crosses midnight UTC as one working day, its Friday off included", () => {
    const ts = worker(0, [4], 6, 28, 2); // 00:00-08:00 Tehran = 20:30-04:30 UTC
    const block = describeBlock(profileOf(ts), 82, 32);
    const s = readSchedule(ts, 0, ts.length, block, opts);
    expect(s.activeDays).toBe(24);
    expect(s.daysOff).toHaveLength(1);
    // the missing shifts start on Thursday evening UTC, which is Friday in Tehran
    expect(s.daysOff[0]!.utcWeekday).toBe(3);
    expect(localWeekday(s.daysOff[0]!.utcWeekday, 82 * 15, TEHRAN)).toBe(4);
  });

  it("keeps the days a night shift was worked, each on the UTC day the shift starts, with its posts inside", () => {
    const ts = worker(0, [4], 6, 28, 2); // 00:00-08:00 Tehran = 20:30-04:30 UTC
    // and one post outside the block, at 12:00 UTC on the first day: not a shift worked
    const stray = Float64Array.from([...ts, T0 + 12 * 60 * MINUTE_MS].sort((a, b) => a - b));
    const block = describeBlock(profileOf(stray), 82, 32);
    const s = readSchedule(stray, 0, stray.length, block, opts);
    expect(s.shiftDays.length).toBe(s.activeDays);
    expect(s.shiftDayPosts.reduce((a, b) => a + b, 0)).toBe(ts.length);
    // Tehran's Friday shift would start on a UTC Thursday evening: none is among the days worked
    for (const d of s.shiftDays) expect((d + 3) % 7).not.toBe(3);
    // the first shift starts on the evening before T0 in UTC
    expect(s.shiftDays[0]).toBe(T0 / DAY_MS - 1);
  });

  it("finds no day off for someone who works every day, and two for a Saturday-Sunday weekend", () => {
    const every = worker(480, [], 6, 28, 3);
    const b1 = describeBlock(profileOf(every), 18, 32);
    expect(readSchedule(every, 0, every.length, b1, opts).daysOff).toEqual([]);
    const western = worker(480, [5, 6], 6, 28, 4);
    const b2 = describeBlock(profileOf(western), 18, 32);
    const days = readSchedule(western, 0, western.length, b2, opts).daysOff.map((d) =>
      localWeekday(d.utcWeekday, 18 * 15, TEHRAN),
    );
    expect(days).toEqual([5, 6]);
  });

  it("does not call a weekday off on too little evidence", () => {
    const ts = worker(480, [4], 1, 14, 5); // one post a day for two weeks: e^-2 is not small enough
    const block = describeBlock(profileOf(ts), 18, 32);
    expect(readSchedule(ts, 0, ts.length, block, opts).daysOff).toEqual([]);
  });
});

describe("helpers", () => {
  it("logPoissonLowerTail agrees with the direct sum", () => {
    const mu = 3.7;
    let direct = 0;
    let term = Math.exp(-mu);
    for (let j = 0; j <= 4; j++) {
      direct += term;
      term *= mu / (j + 1);
    }
    expect(Math.exp(logPoissonLowerTail(4, mu))).toBeCloseTo(direct, 12);
    expect(logPoissonLowerTail(0, 9)).toBeCloseTo(-9, 12);
  });

  it("sharedCount counts common values of sorted arrays", () => {
    expect(sharedCount(Int32Array.from([1, 3, 5, 7]), Int32Array.from([2, 3, 4, 7, 9]))).toBe(2);
  });
});
