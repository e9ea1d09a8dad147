import { describe, expect, it } from "vitest";
import { seededRng } from "../detector.js";
import { clockLock, phaseHistograms } from "./clock.js";

const PERIODS = [60, 300, 600, 900, 1800, 3600, 86400];
const H = 3600_000;

function human(rng: () => number, n: number): number[] {
  return Array.from({ length: n }, () => Math.floor(rng() * 14 * 24 * H));
}

describe("clockLock", () => {
  it("finds posts on the hour, and not in a person's times", () => {
    const rng = seededRng(2);
    const people = Array.from({ length: 200 }, () => human(rng, 40));
    const cron = Array.from({ length: 30 }, () => Math.floor(rng() * 14 * 24) * H + Math.floor(rng() * 900));
    const all = Float64Array.from([...people.flat(), ...cron]);
    const hist = phaseHistograms(all, PERIODS);
    const lock = clockLock(Float64Array.from(cron.sort((a, b) => a - b)), hist, 2)!;
    expect(lock.count).toBe(30);
    expect(lock.period % 60).toBe(0);
    expect(lock.logP / Math.LN10).toBeLessThan(-20);
    const p = people.map((x) => clockLock(Float64Array.from(x.sort((a, b) => a - b)), hist, 2)?.logP ?? 0);
    // the adjusted p of the most locked person is unremarkable
    expect(Math.min(...p) / Math.LN10).toBeGreaterThan(-3);
  });

  it("takes the case's own phase profile as chance: everyone at :00 is rounding, not a clock", () => {
    const rng = seededRng(3);
    const people = Array.from({ length: 50 }, () =>
      human(rng, 30).map((t) => Math.floor(t / 60_000) * 60_000),
    );
    const hist = phaseHistograms(Float64Array.from(people.flat()), PERIODS);
    for (const x of people) {
      const lock = clockLock(Float64Array.from(x.sort((a, b) => a - b)), hist, 2);
      expect((lock?.logP ?? 0) / Math.LN10).toBeGreaterThan(-2);
    }
  });
});
