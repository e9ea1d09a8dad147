import { describe, expect, it } from "vitest";
import { seededRng } from "../detector.js";
import {
  QUARTERS,
  cosine,
  densestBlock,
  describeBlock,
  hourOfWeek,
  logBinomialUpperTail,
  quarterOfDay,
  sleepZone,
} from "./profile.js";

/** A person's day by local hour (asleep at night, evening peak), spread over quarter-hours in UTC for `zone`. */
function personDay(zone: number, posts: number, seed: number): Float64Array {
  const curve = [
    0.5, 0.25, 0.12, 0.08, 0.06, 0.08, 0.2, 0.5, 0.8, 0.9, 1, 1.05, 1.3, 1.1, 1, 1, 1.1, 1.25, 1.45, 1.65,
    1.85, 1.95, 1.6, 1.0,
  ];
  const total = curve.reduce((a, b) => a + b, 0);
  const rng = seededRng(seed);
  const out = new Float64Array(QUARTERS);
  for (let i = 0; i < posts; i++) {
    let u = rng() * total;
    let h = 0;
    while (u >= curve[h]! && h < 23) u -= curve[h++]!;
    const localQuarter = h * 4 + Math.floor(rng() * 4);
    const utcQuarter = (((localQuarter - zone / 15) % QUARTERS) + QUARTERS) % QUARTERS;
    out[utcQuarter]!++;
  }
  return out;
}

/** Posts spread evenly over a block of the day, plus `noise` posts anywhere. */
function blockDay(start: number, length: number, posts: number, noise: number, seed: number): Float64Array {
  const rng = seededRng(seed);
  const out = new Float64Array(QUARTERS);
  for (let i = 0; i < posts; i++) out[(start + Math.floor(rng() * length)) % QUARTERS]!++;
  for (let i = 0; i < noise; i++) out[Math.floor(rng() * QUARTERS)]!++;
  return out;
}

describe("densestBlock", () => {
  it("recovers an 8-hour block starting 04:30 UTC with sharp edges, despite a little noise", () => {
    const day = blockDay(18, 32, 400, 8, 1);
    const b = densestBlock(day, 24, 40)!;
    expect(b.start).toBe(18);
    expect(b.length).toBe(32);
    expect(b.share).toBeGreaterThan(0.97);
    expect(b.innerRatio).toBeGreaterThan(0.8);
    expect(b.outerRatio).toBeLessThan(0.05);
  });

  it("finds a night block that wraps round midnight UTC", () => {
    const day = blockDay(82, 32, 300, 0, 2); // 20:30-04:30 UTC
    const b = densestBlock(day, 24, 40)!;
    expect([b.start, b.length]).toEqual([82, 32]);
    expect(b.share).toBe(1);
  });

  it("gives a person's smooth day, in any zone, a long weak window that fades at its edges", () => {
    for (const zone of [-300, 0, 210, 480]) {
      const b = densestBlock(personDay(zone, 2000, zone + 1000), 24, 40)!;
      expect(b.share).toBeLessThan(0.75);
      expect(b.outerRatio).toBeGreaterThan(0.3);
    }
  });

  it("returns null for an empty day, and describes any given block", () => {
    expect(densestBlock(new Float64Array(QUARTERS), 24, 40)).toBeNull();
    const day = blockDay(0, 32, 100, 0, 3);
    const d = describeBlock(day, 0, 16);
    expect(d.inside + describeBlock(day, 16, 80).inside).toBe(100);
  });
});

describe("sleepZone", () => {
  it("puts a person's quiet night at 02:00-08:00 local: the zone is recovered within an hour", () => {
    for (const zone of [-300, 0, 60, 210, 330, 480]) {
      const fit = sleepZone(personDay(zone, 3000, zone + 7));
      expect(Math.abs(fit.offset - zone)).toBeLessThanOrEqual(60);
      expect(fit.quietShare).toBeLessThan(0.12);
    }
  });
});

describe("hour of week and quarter of day", () => {
  it("count from Monday 00:00 UTC and midnight UTC", () => {
    expect(hourOfWeek(Date.UTC(2024, 4, 6, 0, 30))).toBe(0); // a Monday
    expect(hourOfWeek(Date.UTC(2024, 4, 5, 23, 59))).toBe(167); // the Sunday before
    expect(hourOfWeek(Date.UTC(2024, 4, 10, 12, 0))).toBe(4 * 24 + 12); // Friday noon
    expect(quarterOfDay(Date.UTC(2024, 4, 10, 4, 30))).toBe(18);
    expect(quarterOfDay(Date.UTC(1969, 11, 31, 23, 50))).toBe(95);
  });

  it("cosine is 1 for proportional profiles and 0 for disjoint ones", () => {
    expect(cosine([1, 2, 0], [2, 4, 0])).toBeCloseTo(1, 12);
    expect(cosine([1, 0, 0], [0, 3, 0])).toBe(0);
    expect(cosine([0, 0], [1, 1])).toBe(0);
  });
});

describe("logBinomialUpperTail", () => {
  it("agrees with the direct sum and with its edge cases", () => {
    let direct = 0;
    const choose = (n: number, k: number): number => {
      let c = 1;
      for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
      return c;
    };
    for (let j = 27; j <= 30; j++) direct += choose(30, j) * 0.56 ** j * 0.44 ** (30 - j);
    expect(Math.exp(logBinomialUpperTail(27, 30, 0.56))).toBeCloseTo(direct, 12);
    expect(logBinomialUpperTail(30, 30, 0.56)).toBeCloseTo(30 * Math.log(0.56), 10);
    expect(logBinomialUpperTail(0, 30, 0.56)).toBe(0);
    expect(logBinomialUpperTail(31, 30, 0.56)).toBe(-Infinity);
  });
});
