import { describe, expect, it } from "vitest";
import { seededRng } from "../detectors/detector.js";
import { classIndex, FIT_WORK, fitBicm, type BicmFit } from "./bicm.js";

/** Degrees of a random bipartite graph with heterogeneous activity and popularity (so the sequence is graphical). */
function randomBipartite(
  seed: number,
  accounts: number,
  objects: number,
  scale: number,
): { accountDegrees: Float64Array; objectDegrees: Float64Array } {
  const rng = seededRng(seed);
  const activity = Array.from({ length: accounts }, () => rng() ** 3);
  const popularity = Array.from({ length: objects }, () => rng() ** 3);
  const accountDegrees = new Float64Array(accounts);
  const objectDegrees = new Float64Array(objects);
  for (let i = 0; i < accounts; i++) {
    for (let j = 0; j < objects; j++) {
      if (rng() < Math.min(1, scale * activity[i]! * popularity[j]!)) {
        accountDegrees[i]!++;
        objectDegrees[j]!++;
      }
    }
  }
  return { accountDegrees, objectDegrees };
}

const linkProbability = (fit: BicmFit, accountDegree: number, objectDegree: number): number => {
  const x = fit.x[classIndex(fit.accountDegrees, accountDegree)]!;
  const y = fit.y[classIndex(fit.objectDegrees, objectDegree)]!;
  return (x * y) / (1 + x * y);
};

/** Expected degree of every node under the fit, summed node by node (not by class). */
function expectedDegrees(
  fit: BicmFit,
  accountDegrees: ArrayLike<number>,
  objectDegrees: ArrayLike<number>,
): { accounts: number[]; objects: number[] } {
  const accs = Array.from(accountDegrees).filter((d) => d > 0);
  const objs = Array.from(objectDegrees).filter((d) => d > 0);
  return {
    accounts: accs.map((d) => objs.reduce((s, e) => s + linkProbability(fit, d, e), 0)),
    objects: objs.map((e) => accs.reduce((s, d) => s + linkProbability(fit, d, e), 0)),
  };
}

function worstRelativeError(observed: ArrayLike<number>, expected: number[]): number {
  const obs = Array.from(observed).filter((d) => d > 0);
  expect(obs).toHaveLength(expected.length);
  return Math.max(...obs.map((d, i) => Math.abs(expected[i]! - d) / d));
}

describe("classIndex", () => {
  const values = Float64Array.from([1, 2, 5, 9, 40]);

  it("finds every value at its position", () => {
    values.forEach((v, i) => expect(classIndex(values, v)).toBe(i));
  });

  it("returns -1 for values that are absent, below, above or between", () => {
    for (const v of [0, 3, 8.5, 41, -1]) expect(classIndex(values, v)).toBe(-1);
    expect(classIndex(new Float64Array(0), 1)).toBe(-1);
    expect(classIndex(Float64Array.from([7]), 7)).toBe(0);
  });
});

describe("fitBicm", () => {
  it.each([
    [1, 300, 200, 0.3],
    [2, 100, 50, 1.6],
    [3, 500, 80, 0.8],
    [4, 50, 400, 0.8],
  ])(
    "reproduces the observed degrees of a random bipartite graph (seed %i, %i accounts x %i objects)",
    (seed, accounts, objects, scale) => {
      const g = randomBipartite(seed, accounts, objects, scale);
      const fit = fitBicm(g.accountDegrees, g.objectDegrees);
      const exp = expectedDegrees(fit, g.accountDegrees, g.objectDegrees);
      expect(worstRelativeError(g.accountDegrees, exp.accounts)).toBeLessThan(1e-5);
      expect(worstRelativeError(g.objectDegrees, exp.objects)).toBeLessThan(1e-5);
      expect(fit.maxRelError).toBeLessThanOrEqual(1e-6);
      expect(fit.iterations).toBeLessThan(2000);
      // the expected number of links equals the observed one
      const links = g.accountDegrees.reduce((s, d) => s + d, 0);
      expect(exp.accounts.reduce((s, d) => s + d, 0)).toBeCloseTo(links, 3);
      expect(g.objectDegrees.reduce((s, d) => s + d, 0)).toBe(links);
    },
  );

  it("works on degree classes: distinct positive degrees, ascending, zeros ignored", () => {
    const fit = fitBicm([0, 3, 1, 3, 2, 0, 1], [4, 0, 2, 3, 1]);
    expect([...fit.accountDegrees]).toEqual([1, 2, 3]);
    expect([...fit.objectDegrees]).toEqual([1, 2, 3, 4]);
    expect(fit.x).toHaveLength(3);
    expect(fit.y).toHaveLength(4);
    // a node of higher degree has a higher multiplier
    for (let i = 1; i < fit.x.length; i++) expect(fit.x[i]!).toBeGreaterThan(fit.x[i - 1]!);
    for (let j = 1; j < fit.y.length; j++) expect(fit.y[j]!).toBeGreaterThan(fit.y[j - 1]!);
  });

  it("stays right on a star: one object shared by 90 of 100 accounts", () => {
    // 90 accounts share the viral object; 40 small objects are shared by 2 to 4 random accounts each
    const rng = seededRng(9);
    const accountDegrees = new Float64Array(100);
    const objectDegrees = [90];
    for (let i = 0; i < 90; i++) accountDegrees[i]!++;
    for (let o = 0; o < 40; o++) {
      const k = 2 + Math.floor(rng() * 3);
      const chosen = new Set<number>();
      while (chosen.size < k) chosen.add(Math.floor(rng() * 100));
      for (const i of chosen) accountDegrees[i]!++;
      objectDegrees.push(k);
    }
    const fit = fitBicm(accountDegrees, objectDegrees);
    const exp = expectedDegrees(fit, accountDegrees, objectDegrees);
    expect(worstRelativeError(accountDegrees, exp.accounts)).toBeLessThan(1e-5);
    expect(worstRelativeError(objectDegrees, exp.objects)).toBeLessThan(1e-5);
    // an account whose one share is the viral object most likely shared that object: p is high, as observed,
    // where the sparse approximation d e / M (M = all links) would put it near 90 / M
    const links = accountDegrees.reduce((s, d) => s + d, 0);
    const p = linkProbability(fit, 1, 90);
    expect(p).toBeGreaterThan(0.8);
    expect(1 * (90 / links)).toBeLessThan(0.5);
    // and the same account is then unlikely to have shared a small object
    expect(linkProbability(fit, 1, 2)).toBeLessThan(0.05);
  });

  it("comes close to the observed degrees when an object is shared by every account", () => {
    // The exact solution is at infinity (p = 1 for every account); the fixed point creeps towards it.
    const rng = seededRng(9);
    const accountDegrees = new Float64Array(100).fill(1);
    const objectDegrees = [100];
    for (let o = 0; o < 40; o++) {
      const k = 2 + Math.floor(rng() * 3);
      const chosen = new Set<number>();
      while (chosen.size < k) chosen.add(Math.floor(rng() * 100));
      for (const i of chosen) accountDegrees[i]!++;
      objectDegrees.push(k);
    }
    const fit = fitBicm(accountDegrees, objectDegrees);
    const exp = expectedDegrees(fit, accountDegrees, objectDegrees);
    expect(worstRelativeError(accountDegrees, exp.accounts)).toBeLessThan(1e-3);
    expect(worstRelativeError(objectDegrees, exp.objects)).toBeLessThan(1e-3);
    expect(fit.maxRelError).toBeLessThan(1e-3);
    expect(linkProbability(fit, 1, 100)).toBeGreaterThan(0.99);
  });

  it("bounds its work on a staircase of thousands of degrees, and says how close it came", () => {
    // account i shares objects 1 to i: 1,500 account degrees by 1,500 object degrees, each class one node
    const n = 1500;
    const accounts = Float64Array.from({ length: n }, (_, i) => i + 1);
    const objects = Float64Array.from({ length: n }, (_, j) => n - j);
    const fit = fitBicm(accounts, objects);
    expect(fit.iterations).toBe(Math.floor(FIT_WORK / (2.2 * n * n)));
    expect(fit.iterations).toBeLessThan(2000);
    // an honest measure of the fit it stopped at: the expected degrees, computed here
    const exp = expectedDegrees(fit, accounts, objects);
    const worst = Math.max(
      worstRelativeError(accounts, exp.accounts),
      worstRelativeError(objects, exp.objects),
    );
    expect(fit.maxRelError).toBeCloseTo(worst, 9);
    expect(fit.maxRelError).toBeLessThan(0.05);
    // a few hundred classes, as real layers have, run to convergence as before
    const small = fitBicm(
      accounts.subarray(0, 150),
      Float64Array.from({ length: 150 }, (_, j) => 150 - j),
    );
    expect(small.iterations).toBe(
      fitBicm(
        accounts.subarray(0, 150),
        Float64Array.from({ length: 150 }, (_, j) => 150 - j),
        {
          maxIterations: 2000,
        },
      ).iterations,
    );
  });

  it("gives every node the same probability on a regular graph", () => {
    // 20 accounts x 10 objects, each account on 3 objects, each object with 6 accounts: p = 3 / 10 everywhere
    const fit = fitBicm(new Array<number>(20).fill(3), new Array<number>(10).fill(6));
    expect(linkProbability(fit, 3, 6)).toBeCloseTo(0.3, 6);
  });
});
