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
});
