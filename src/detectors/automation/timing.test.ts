import { describe, expect, it } from "vitest";
import { seededRng } from "../detector.js";
import { intervalStats, restStats } from "./timing.js";

const H = 3600_000;

describe("intervalStats", () => {
  it("tells a metronome from a Poisson process from a bursty human", () => {
    const rng = seededRng(1);
    const metronome = Float64Array.from({ length: 200 }, (_, i) => i * 600_000 + rng() * 1000);
    let t = 0;
    const poisson = Float64Array.from({ length: 2000 }, () => (t += -Math.log(1 - rng()) * 600_000));
    t = 0;
    // sessions: bursts of quick posts separated by long breaks
    const bursty = Float64Array.from(
      { length: 400 },
      (_, i) => (t += i % 10 === 0 ? 8 * H * rng() : 20_000 * rng()),
    );
    const m = intervalStats(metronome);
    const p = intervalStats(poisson);
    const b = intervalStats(bursty);
    expect(m.cv).toBeLessThan(0.01);
    expect(m.modeShare).toBe(1);
    expect(m.entropyBits).toBe(0);
    expect(m.burstiness).toBeLessThan(-0.95);
    expect(p.cv).toBeGreaterThan(0.9);
    expect(p.cv).toBeLessThan(1.1);
    expect(Math.abs(p.burstiness)).toBeLessThan(0.05);
    expect(p.entropyBits).toBeGreaterThan(2.5);
    expect(b.cv).toBeGreaterThan(2);
    expect(b.burstiness).toBeGreaterThan(0.3);
  });
});

describe("restStats", () => {
  it("sees a daily sleep, and its absence", () => {
    const sleeper: number[] = [];
    const sleepless: number[] = [];
    for (let d = 0; d < 7; d++) {
      for (let h = 7; h < 23; h++) sleeper.push(d * 24 * H + h * H + 60_000);
      for (let h = 0; h < 24; h++) sleepless.push(d * 24 * H + h * H + 60_000);
    }
    const s = restStats(Float64Array.from(sleeper), 4);
    const n = restStats(Float64Array.from(sleepless), 4);
    expect(s.restShare).toBe(1);
    expect(s.hoursActive).toBe(16);
    expect(n.restShare).toBe(0);
    expect(n.hoursActive).toBe(24);
    expect(n.hourEntropy).toBeCloseTo(1, 6);
    expect(n.spanDays).toBeGreaterThan(6.9);
  });

  it("counts the windows inside a long silence as every hour's step would, at once", () => {
    // the share of rested 24-hour windows, one window an hour, by its definition
    const reference = (ts: Float64Array, restHours: number): number => {
      const DAY = 24 * H;
      let windows = 0;
      let rested = 0;
      for (let t = ts[0]!; t + DAY <= ts[ts.length - 1]!; t += H) {
        windows++;
        for (let i = 0; i + 1 < ts.length; i++) {
          const from = Math.max(ts[i]!, t);
          const to = Math.min(ts[i + 1]!, t + DAY);
          if (ts[i + 1]! - ts[i]! >= restHours * H && to - from >= restHours * H) {
            rested++;
            break;
          }
        }
      }
      return windows > 0 ? rested / windows : 1;
    };
    const rng = seededRng(4);
    for (let trial = 0; trial < 40; trial++) {
      // active days of posts every few hours, split by silences of hours to months
      const ts: number[] = [];
      let t = Math.floor(rng() * H);
      for (let k = 0; k < 60; k++) {
        t += rng() < 0.15 ? Math.floor(rng() * 60 * 24 * H) : Math.floor(rng() * 5 * H);
        ts.push(t);
      }
      const restHours = 1 + Math.floor(rng() * 12);
      const got = restStats(Float64Array.from(ts), restHours);
      expect(got.restShare, `trial ${trial}`).toBeCloseTo(reference(Float64Array.from(ts), restHours), 12);
    }
    // posts at the two ends of the adapter's years: a century of windows, nearly all in one silence
    const ends = [Date.UTC(1990, 0, 1), Date.UTC(2100, 11, 31)];
    const twoEnds = Float64Array.from({ length: 40 }, (_, i) => ends[i < 20 ? 0 : 1]! + (i % 20) * H);
    const r = restStats(twoEnds, 4);
    expect(r.spanDays).toBeGreaterThan(40_000);
    expect(r.restShare).toBeGreaterThan(0.99);
  });
});
