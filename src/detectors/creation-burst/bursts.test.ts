import { describe, expect, it } from "vitest";
import { seededRng } from "../detector.js";
import { dayTimes, findBursts } from "./bursts.js";

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

describe("dayTimes", () => {
  it("finds the times of day that creation dates given to the day share, in UTC, in another zone, with summer time", () => {
    const days = background(200, Date.UTC(2020, 0, 1), Date.UTC(2024, 0, 1), 3).map(
      (t) => Math.floor(t / DAY) * DAY,
    );
    expect([...dayTimes(Float64Array.from(days))]).toEqual([0]);
    // dates rounded to midnight in Tehran (UTC+03:30): 20:30 UTC the day before
    expect([...dayTimes(Float64Array.from(days, (t) => t - 3.5 * HOUR))]).toEqual([20.5 * HOUR]);
    // midnight in Berlin: 23:00 UTC in winter, 22:00 UTC in summer
    const berlin = Float64Array.from(days, (t) => {
      const m = new Date(t).getUTCMonth();
      return t - (m >= 3 && m <= 8 ? 2 : 1) * HOUR;
    });
    expect([...dayTimes(berlin)].sort((a, b) => a - b)).toEqual([22 * HOUR, 23 * HOUR]);
    // a minority given to the day among times to the second is still found
    const mixed = Float64Array.from(
      background(2000, Date.UTC(2020, 0, 1), Date.UTC(2024, 0, 1), 5).map((t, i) =>
        i % 5 === 0 ? Math.floor(t / DAY) * DAY : t,
      ),
    );
    expect([...dayTimes(mixed)]).toEqual([0]);
  });

  it("finds none among times spread over the day, among fewer than ten, or at one instant of one day", () => {
    expect(
      dayTimes(Float64Array.from(background(500, Date.UTC(2020, 0, 1), Date.UTC(2024, 0, 1), 4))).size,
    ).toBe(0);
    expect(dayTimes(Float64Array.from([0, DAY, 2 * DAY])).size).toBe(0);
    // thirty accounts a script made in one second are a burst to find, not a date format
    const script = Float64Array.from({ length: 30 }, () => Date.UTC(2023, 4, 2, 13, 7, 9));
    expect(dayTimes(script).size).toBe(0);
    // a script making accounts every day at 03:17:42 is no date format: only quarter hours are midnights somewhere
    const daily = Float64Array.from({ length: 60 }, (_, d) =>
      Date.UTC(2023, 4, 1 + Math.floor(d / 3), 3, 17, 42),
    );
    expect(dayTimes(daily).size).toBe(0);
  });
});
