import { describe, expect, it } from "vitest";
import { seededRng } from "../detectors/detector.js";
import { benjaminiHochberg, logGamma, logPoissonUpperTail } from "./poisson.js";

function exactUpperTail(k: number, lambda: number): number {
  let cdf = 0;
  let term = Math.exp(-lambda);
  for (let j = 0; j < k; j++) {
    cdf += term;
    term *= lambda / (j + 1);
  }
  return 1 - cdf;
}

describe("logGamma", () => {
  it("matches factorials", () => {
    let f = 1;
    for (let n = 1; n < 30; n++) {
      f *= n;
      expect(logGamma(n + 1)).toBeCloseTo(Math.log(f), 9);
    }
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });
});

describe("logPoissonUpperTail", () => {
  it("agrees with a direct sum where that is accurate", () => {
    for (const lambda of [0.01, 0.5, 1, 3.7, 12, 40]) {
      for (const k of [1, 2, 3, 5, 8, 13, 30]) {
        const exact = exactUpperTail(k, lambda);
        if (exact < 1e-12) continue;
        expect(Math.exp(logPoissonUpperTail(k, lambda))).toBeCloseTo(exact, 10);
      }
    }
  });

  it("agrees with the lower tail summed term by term where the mean is at least k, up to tens of thousands", () => {
    // 1 - P(X < k), every term with its own log-gamma, summed in logs: the definition, at k steps a call
    const reference = (k: number, lambda: number): number => {
      let lower = -Infinity;
      for (let j = 0; j < k; j++) {
        const t = -lambda + j * Math.log(lambda) - logGamma(j + 1);
        const m = Math.max(lower, t);
        lower = m === -Infinity ? t : m + Math.log(Math.exp(lower - m) + Math.exp(t - m));
      }
      return Math.log(1 - Math.exp(lower));
    };
    for (const [k, lambda] of [
      [2, 2],
      [5, 40],
      [30, 31.5],
      [200, 260],
      [1000, 1000],
      [19_000, 20_000],
      [20_000, 20_000],
      [25_000, 90_000],
    ] as const) {
      expect(logPoissonUpperTail(k, lambda), `${k} ${lambda}`).toBeCloseTo(reference(k, lambda), 9);
    }
  });

  it("stays finite and ordered far in the tail", () => {
    const a = logPoissonUpperTail(50, 0.001);
    const b = logPoissonUpperTail(60, 0.001);
    expect(Number.isFinite(a)).toBe(true);
    expect(b).toBeLessThan(a);
    // leading term e^-l l^k / k!, times 1 + l/(k+1) + ... for the rest of the tail
    expect(a).toBeCloseTo(-0.001 + 50 * Math.log(0.001) - logGamma(51) + Math.log1p(0.001 / 51), 8);
    expect(logPoissonUpperTail(0, 5)).toBe(0);
    expect(logPoissonUpperTail(3, 0)).toBe(-Infinity);
  });
});

describe("benjaminiHochberg", () => {
  // the procedure as written in the textbook: order by p (then index), find the largest passing rank, and flag
  // everything up to it
  const byRank = (logP: Float64Array, alpha: number, m: number): number[] => {
    const order = [...logP.keys()].filter((i) => !Number.isNaN(logP[i]!));
    order.sort((x, y) => logP[x]! - logP[y]! || x - y);
    const total = Math.max(m, logP.length);
    let cut = -1;
    order.forEach((i, r) => {
      if (logP[i]! <= Math.log(alpha) - Math.log(total) + Math.log(r + 1)) cut = r;
    });
    const out = new Array<number>(logP.length).fill(0);
    for (let r = 0; r <= cut; r++) out[order[r]!] = 1;
    return out;
  };
  it("controls the false-discovery rate over m hypotheses", () => {
    const p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216];
    // textbook example: with m = 10 and alpha = 0.05 the first two are discoveries
    expect([...benjaminiHochberg(Float64Array.from(p.map(Math.log)), 0.05, 10)]).toEqual([
      1, 1, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    // untested hypotheses (p = 1) make the procedure stricter
    expect([...benjaminiHochberg(Float64Array.from(p.map(Math.log)), 0.05, 1000)].every((x) => x === 0)).toBe(
      true,
    );
  });

  it("gives the discoveries of the step-up rule by rank, ties and NaN included", () => {
    const rng = seededRng(7);
    let discoveries = 0;
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rng() * 300);
      // p-values on a coarse grid, so that many are equal, some tiny, some NaN, some 0 (log p = -Infinity)
      const logP = Float64Array.from({ length: n }, () => {
        const u = rng();
        if (u < 0.03) return NaN;
        if (u < 0.05) return -Infinity;
        return u < 0.4 ? -Math.round(rng() * 20) : Math.log(Math.round(rng() * 50) / 50);
      });
      for (const alpha of [0.01, 0.05]) {
        const m = n + Math.floor(rng() * 5 * n);
        const want = byRank(logP, alpha, m);
        expect([...benjaminiHochberg(logP, alpha, m)], `trial ${trial}`).toEqual(want);
        discoveries += want.reduce((s, x) => s + x, 0);
      }
    }
    // not vacuous: the trials find discoveries, and not everything
    expect(discoveries).toBeGreaterThan(1000);
  });

  it("finds the rank when the count creeps down one by one, where it falls back to sorting", () => {
    // ten small p-values pass; above them a staircase with each p just over its bound, so that each count of the
    // values under the bound at rank r is r - 1, down from 300 to 10
    const n = 300;
    const alpha = 0.05;
    const p = Array.from({ length: n }, (_, k) => {
      const i = k + 1;
      return i <= 10 ? (alpha * i) / (2 * n) : (alpha * (i + 0.5)) / n;
    });
    // shuffled, so that position says nothing of rank
    const rng = seededRng(3);
    for (let i = p.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [p[i], p[j]] = [p[j]!, p[i]!];
    }
    const logP = Float64Array.from(p.map(Math.log));
    const got = [...benjaminiHochberg(logP, alpha, n)];
    expect(got).toEqual(byRank(logP, alpha, n));
    expect(got.reduce((s, x) => s + x, 0)).toBe(10);
    expect(p.filter((_, i) => got[i] === 1).every((x) => x <= (alpha * 10) / (2 * n))).toBe(true);
  });
});
