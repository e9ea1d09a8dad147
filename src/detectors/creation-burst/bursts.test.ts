import { describe, expect, it } from "vitest";
import { seededRng } from "../detector.js";
import { findBursts, sharedTimeOfDay } from "./bursts.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const opts = {
  widthsMs: [HOUR, 6 * HOUR, DAY, 7 * DAY],
  backgroundMs: 90 * DAY,
  alpha: 0.01,
  minCount: 5,
  minLift: 3,
};

function background(n: number, from: number, to: number, seed: number): number[] {
  const rng = seededRng(seed);
  return Array.from({ length: n }, () => from + Math.floor(rng() * (to - from)));
}

describe("findBursts", () => {
  const from = Date.UTC(2020, 0, 1);
  const to = Date.UTC(2024, 0, 1);

  it("finds 15 accounts created within 3 hours among 2,000 spread over four years", () => {
    const rng = seededRng(2);
    const start = Date.UTC(2022, 5, 1, 10);
    const planted = Array.from({ length: 15 }, () => start + Math.floor(rng() * 3 * HOUR));
    const t = Float64Array.from([...background(2000, from, to, 1), ...planted].sort((a, b) => a - b));
    const { bursts, windowsTested } = findBursts(t, opts);
    expect(windowsTested).toBeGreaterThan(7000);
    expect(bursts).toHaveLength(1);
    const b = bursts[0]!;
    const members = Array.from(t.subarray(b.from, b.to));
    for (const p of planted) expect(members).toContain(p);
    expect(b.count).toBeLessThanOrEqual(17);
    expect(b.expected).toBeLessThan(1);
    expect(b.logP / Math.LN10).toBeLessThan(-15);
  });

  it("finds nothing in creations spread evenly, however many", () => {
    const t = Float64Array.from(background(20_000, from, to, 3).sort((a, b) => a - b));
    expect(findBursts(t, opts).bursts).toEqual([]);
  });

  it("judges a window against its own neighbourhood: a busier era is not a burst", () => {
    // a platform's growth: ten times the sign-ups from 2022 on, evenly
    const t = Float64Array.from(
      [
        ...background(400, from, Date.UTC(2022, 0, 1), 4),
        ...background(4000, Date.UTC(2022, 0, 1), to, 5),
      ].sort((a, b) => a - b),
    );
    expect(findBursts(t, opts).bursts).toEqual([]);
  });

  it("needs at least minCount accounts, and handles empty input", () => {
    const t = Float64Array.from([0, 1000, 2000, 3000].map((x) => Date.UTC(2021, 0, 1) + x));
    expect(findBursts(t, opts).bursts).toEqual([]);
    expect(findBursts(new Float64Array(0), opts)).toEqual({ bursts: [], windowsTested: 0 });
  });
});

describe("sharedTimeOfDay", () => {
  it("finds the time of day that creation dates given to the day share, in UTC or in another zone", () => {
    const days = background(200, Date.UTC(2020, 0, 1), Date.UTC(2024, 0, 1), 3).map(
      (t) => Math.floor(t / DAY) * DAY,
    );
    expect(sharedTimeOfDay(Float64Array.from(days))).toEqual({ tod: 0, count: 200 });
    // dates rounded to midnight in Tehran (UTC+03:30): 20:30 UTC the day before
    expect(sharedTimeOfDay(Float64Array.from(days, (t) => t - 3.5 * HOUR))).toEqual({
      tod: 20.5 * HOUR,
      count: 200,
    });
    // 10% at other times still reads as dates given to the day; 20% does not
    const mixed = (k: number): Float64Array =>
      Float64Array.from(days, (t, i) => (i % 10 < k ? t + 1000 * (i + 1) : t));
    expect(sharedTimeOfDay(mixed(1))).toEqual({ tod: 0, count: 180 });
    expect(sharedTimeOfDay(mixed(2))).toBeNull();
  });

  it("finds none among times spread over the day, or among fewer than ten", () => {
    expect(
      sharedTimeOfDay(Float64Array.from(background(500, Date.UTC(2020, 0, 1), Date.UTC(2024, 0, 1), 4))),
    ).toBeNull();
    expect(sharedTimeOfDay(Float64Array.from([0, DAY, 2 * DAY]))).toBeNull();
  });
});
