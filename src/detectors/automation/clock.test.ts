import { describe, expect, it } from "vitest";
import { seededRng } from "../detector.js";
import { logPoissonUpperTail } from "../../stats/poisson.js";
import { clockLock, phaseHistograms, phasesOf } from "./clock.js";

const PERIODS = [60, 300, 600, 900, 1800, 3600, 86400];
const H = 3600_000;

function human(rng: () => number, n: number): number[] {
  return Array.from({ length: n }, () => Math.floor(rng() * 14 * 24 * H));
}

describe("phasesOf", () => {
  it("gives every time's phase exactly as the remainder of its division by the period does", () => {
    const rng = seededRng(3);
    const periods = [60_000, 3_600_000, 86_400_000, 604_800_000, 300_000, 900_000, 1_800_000];
    const times = [
      0,
      -1,
      -60_000,
      1,
      59_999,
      60_000,
      1_700_000_000_000,
      1_700_006_400_000,
      // whole periods and a millisecond either side, where a rounded quotient would be off by one
      ...periods.flatMap((p) => [p * 28_333_333, p * 28_333_333 - 1, p * 28_333_333 + 1]),
      ...Array.from({ length: 20_000 }, () => Math.floor(rng() * 4.1e12) - 1e11),
      ...Array.from({ length: 2_000 }, () => rng() * 4e12),
    ];
    const ts = Float64Array.from(times);
    const out = new Float64Array(ts.length);
    for (const p of periods) {
      phasesOf(ts, p, out);
      for (let i = 0; i < ts.length; i++) {
        const ms = ts[i]! % p;
        const expected = (ms < 0 ? ms + p : ms) / 1000;
        if (out[i] !== expected) expect([p, ts[i], out[i]]).toEqual([p, ts[i], expected]);
      }
    }
  });
});

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

  it("leaves the account's own posts out of the chance share exactly, however many fall in one window", () => {
    // the account's own posts in the window's bins, counted one by one (the definition); clockLock counts them with
    // two pointers that only move forward
    const rng = seededRng(5);
    const mineByCount = (ts: Float64Array, period: number, width: number, phi: number): number => {
      const b0 = Math.floor(phi);
      let mine = 0;
      for (const t of ts) {
        const ph = (t % (period * 1000)) / 1000;
        // a window near the end of the period wraps around to its start
        for (const shifted of [ph, ph + period]) if (shifted >= b0 && shifted < b0 + width + 1) mine++;
      }
      return mine;
    };
    const cases: Float64Array[] = [];
    for (let k = 0; k < 30; k++) {
      const n = 3 + Math.floor(rng() * 60);
      // schedulers with jitter, some with posts piled on the same second, some near the end of the hour
      const base = Math.floor(rng() * 3600) * 1000;
      const jitter = Math.floor(rng() * 4000);
      cases.push(
        Float64Array.from(
          { length: n },
          (_, i) => (i * 7 + Math.floor(rng() * 5)) * H + base + Math.floor(rng() * jitter),
        ).sort(),
      );
    }
    const everyone = Float64Array.from(cases.flatMap((c) => [...c]));
    const hist = phaseHistograms(everyone, PERIODS);
    for (const ts of cases) {
      const lock = clockLock(ts, hist, 2);
      expect(lock).not.toBeNull();
      const { period, phase, count, n } = lock!;
      const mine = mineByCount(ts, period, 2, phase);
      // the same p-value as from the definition: pooled bins minus the account's own posts in them
      const bins = hist.bins[PERIODS.indexOf(period)]!;
      let pooled = 0;
      for (let b = Math.floor(phase); b <= Math.floor(phase + 2); b++) pooled += bins[b % period]!;
      const others = hist.total - n;
      const q = Math.max(3 / period, Math.max(0, pooled - mine) / others);
      const logP =
        logPoissonUpperTail(count, n * Math.min(1, q)) + Math.log(period / 2) + Math.log(PERIODS.length);
      expect(lock!.logP).toBeCloseTo(Math.min(0, logP), 10);
    }
  });

  it("tests a phase once however many posts share it, when the case's other posts make it common", () => {
    // 20,000 posts at :07:00 of successive hours, and another account's post at the same second: each window of
    // the 20,000 was tested against a mean near 20,000 (a tail of 20,000 terms), 136 s in all
    const n = 20_000;
    const ts = Float64Array.from({ length: n }, (_, i) => i * H + 7 * 60_000);
    const hist = phaseHistograms(Float64Array.from([...ts, 5 * H + 7 * 60_000]), PERIODS);
    const lock = clockLock(ts, hist, 2)!;
    expect(lock.count).toBe(n);
    expect(Math.abs((lock.phase - 7 * 60) % 60)).toBe(0);
  });

  it("takes one pass over an account whose posts all fall on the same second", () => {
    // 200,000 posts at :00:00 of successive hours: every window holds them all, and counting the account's own
    // posts window by window would take 200,000^2 steps
    const n = 200_000;
    const ts = Float64Array.from({ length: n }, (_, i) => i * H);
    const hist = phaseHistograms(ts, PERIODS);
    const lock = clockLock(ts, hist, 2)!;
    expect(lock.count).toBe(n);
    expect(lock.phase).toBe(0);
  });

  it("skips only the periods where no window could hold enough posts: the same locks as scanning every period", () => {
    // people, schedulers with jitter of up to a few seconds, posts piled on one second, phases at the end of a
    // period (a window that wraps), and accounts just at the count a window needs (a tenth of the posts, at least 3)
    const rng = seededRng(11);
    const accounts: Float64Array[] = [];
    for (let k = 0; k < 400; k++) {
      const n = 2 + Math.floor(rng() * (k % 4 === 0 ? 400 : 40));
      const kind = k % 5;
      const base = Math.floor(rng() * 86400) * 1000;
      const ts = Array.from({ length: n }, (_, i) => {
        const day = Math.floor(rng() * 30) * 24 * H;
        if (kind === 0) return Math.floor(rng() * 30 * 24 * H);
        if (kind === 1) return day + base + Math.floor(rng() * 3000);
        if (kind === 2)
          return day + (i % 3 === 0 ? 86_399_000 + Math.floor(rng() * 999) : Math.floor(rng() * 2000));
        if (kind === 3)
          return i < Math.ceil(0.1 * n) ? day + base + (i % 2) * 1500 : Math.floor(rng() * 30 * 24 * H);
        return day + Math.floor(rng() * 60) * 60_000 + Math.floor(rng() * 2500);
      });
      accounts.push(Float64Array.from(ts.sort((a, b) => a - b)));
    }
    const hist = phaseHistograms(Float64Array.from(accounts.flatMap((a) => [...a])), PERIODS);
    let locked = 0;
    for (const width of [1, 2, 5]) {
      for (const ts of accounts) {
        const fast = clockLock(ts, hist, width);
        expect(fast).toEqual(clockLock(ts, hist, width, false));
        if (fast !== null && fast.logP / Math.LN10 < -5) locked++;
      }
    }
    // the comparison covers accounts with a lock as well as those without
    expect(locked).toBeGreaterThan(50);
    expect(locked).toBeLessThan(3 * accounts.length);
  });

  it("reads times given to the minute to the minute: a person at random minutes is not locked, a quarter-hour scheduler is", () => {
    const rng = seededRng(21);
    // the case: 100 people to the second, and two accounts given to the minute by a source of their own
    const people = Array.from({ length: 100 }, () => human(rng, 40));
    const person = human(rng, 80).map((t) => Math.floor(t / 60_000) * 60_000);
    const quarter = Array.from({ length: 80 }, (_, i) => i * 15 * 60_000 + 3 * H);
    const hist = phaseHistograms(Float64Array.from([...people.flat(), ...person, ...quarter]), PERIODS);
    const sorted = (x: number[]): Float64Array => Float64Array.from(x.sort((a, b) => a - b));
    // read to the second, every post of the person is "at second 0": a lock as strong as a cron's
    expect(clockLock(sorted(person), hist, 2)!.logP / Math.LN10).toBeLessThan(-50);
    expect((clockLock(sorted(person), hist, 2, true, 60)?.logP ?? 0) / Math.LN10).toBeGreaterThan(-2);
    const lock = clockLock(sorted(quarter), hist, 2, true, 60)!;
    expect(lock.period % 900).toBe(0);
    expect(lock.count).toBe(80);
    expect(lock.logP / Math.LN10).toBeLessThan(-50);
  });
});
