import { describe, expect, it } from "vitest";
import { classIndex, fitBicm } from "../../stats/bicm.js";
import { seededRng } from "../detector.js";
import {
  objectTiming,
  objectsPerAccount,
  significantPerLayer,
  testPairs,
  twoDigitKey,
  twoDigitValue,
} from "./chance.js";

/** Shares as the detector loads them: sorted by object, then time. */
interface Shares {
  object: Int32Array;
  account: Int32Array;
  tsMs: Float64Array;
}

function shares(rows: Array<[object: number, account: number, tsMs: number]>): Shares {
  const sorted = [...rows].sort((x, y) => x[0] - y[0] || x[2] - y[2] || x[1] - y[1]);
  return {
    object: Int32Array.from(sorted.map((r) => r[0])),
    account: Int32Array.from(sorted.map((r) => r[1])),
    tsMs: Float64Array.from(sorted.map((r) => r[2])),
  };
}

/** P(X >= k) for X ~ Poisson(lambda), by direct summation of the lower part. */
function upperTail(k: number, lambda: number): number {
  let cdf = 0;
  let term = Math.exp(-lambda);
  for (let j = 0; j < k; j++) {
    cdf += term;
    term *= lambda / (j + 1);
  }
  return 1 - cdf;
}

describe("objectsPerAccount", () => {
  it("counts distinct objects per account, repeated shares of one object once", () => {
    const s = shares([
      [0, 0, 1],
      [0, 1, 2],
      [0, 0, 3],
      [1, 1, 1],
      [1, 1, 9],
      [2, 2, 5],
    ]);
    expect([...objectsPerAccount(s.object, s.account, 4)]).toEqual([1, 2, 1, 0]);
  });
});

describe("objectTiming", () => {
  const W = 60_000;
  const s = shares([
    // object 0: 0 s, 10 s, 100 s -> of 3 share pairs only (0 s, 10 s) is within 60 s
    [0, 0, 0],
    [0, 1, 10_000],
    [0, 2, 100_000],
    // object 1: shared once
    [1, 0, 5_000],
    // object 2: 0 s, 60 s, 120 s -> the two 60 s gaps count (inclusive window), the 120 s one does not
    [2, 3, 0],
    [2, 4, 60_000],
    [2, 5, 120_000],
    // object 3: four accounts at the same millisecond
    [3, 0, 7_000],
    [3, 1, 7_000],
    [3, 2, 7_000],
    [3, 3, 7_000],
    // object 4: 60.001 s apart, just outside
    [4, 1, 1_000],
    [4, 2, 61_001],
    // object 5: never shared
  ]);
  const t = objectTiming(s.object, s.account, s.tsMs, 6, W);

  it("gives each object's number of distinct accounts", () => {
    expect([...t.degree]).toEqual([3, 1, 3, 4, 2, 0]);
  });

  it("gives q_o, the fraction of the object's share pairs within the window (inclusive)", () => {
    expect(t.q[0]).toBeCloseTo(1 / 3, 15);
    expect(t.q[1]).toBe(0);
    expect(t.q[2]).toBeCloseTo(2 / 3, 15);
    expect(t.q[3]).toBe(1);
    expect(t.q[4]).toBe(0);
    expect(t.q[5]).toBe(0);
  });

  it("grows with the window", () => {
    // at 95 s the 90 s gap (10 s -> 100 s) joins; at 100 s the 100 s gap too
    const mid = objectTiming(s.object, s.account, s.tsMs, 6, 95_000);
    expect(mid.q[0]).toBeCloseTo(2 / 3, 15);
    const wide = objectTiming(s.object, s.account, s.tsMs, 6, 120_000);
    expect(wide.q[0]).toBe(1);
    expect(wide.q[2]).toBe(1);
    expect(wide.q[4]).toBe(1);
    expect([...wide.degree]).toEqual([...t.degree]);
  });
});

describe("objectTiming against its definition", () => {
  it("counts pairs of shares by two accounts, and distinct accounts, as a pass over every pair of shares does", () => {
    // 300 objects, each shared 1 to 12 times by 1 to 6 of 40 accounts (so accounts repeat their own shares), over
    // seconds to hours; the shares sorted by object then time, as the layer holds them
    const rng = seededRng(5);
    const rows: Array<[number, number, number]> = [];
    for (let o = 0; o < 300; o++) {
      const n = 1 + Math.floor(rng() * 12);
      const pool = Array.from({ length: 1 + Math.floor(rng() * 6) }, () => Math.floor(rng() * 40));
      const spread = [10_000, 120_000, 3_600_000][Math.floor(rng() * 3)]!;
      for (let k = 0; k < n; k++)
        rows.push([o, pool[Math.floor(rng() * pool.length)]!, Math.floor(rng() * spread)]);
    }
    rows.sort((x, y) => x[0] - y[0] || x[2] - y[2]);
    const s = shares(rows);
    for (const W of [0, 5_000, 60_000]) {
      const t = objectTiming(s.object, s.account, s.tsMs, 301, W);
      for (let o = 0; o <= 300; o++) {
        const mine = rows.filter((r) => r[0] === o);
        let cross = 0;
        let within = 0;
        for (let x = 0; x < mine.length; x++) {
          for (let y = x + 1; y < mine.length; y++) {
            if (mine[x]![1] === mine[y]![1]) continue;
            cross++;
            if (Math.abs(mine[x]![2] - mine[y]![2]) <= W) within++;
          }
        }
        expect(t.degree[o], `object ${o}`).toBe(new Set(mine.map((r) => r[1])).size);
        expect(t.q[o], `object ${o} at ${W} ms`).toBe(cross > 0 ? within / cross : 0);
      }
    }
  });
});

describe("testPairs", () => {
  /** A random layer: 40 objects, each shared by 1 to 7 of 30 accounts within a few minutes to hours. */
  function randomLayer(seed: number): Shares & { accounts: number; objects: number } {
    const rng = seededRng(seed);
    const rows: Array<[number, number, number]> = [];
    const objects = 40;
    const accounts = 30;
    for (let o = 0; o < objects; o++) {
      const k = 1 + Math.floor(rng() * 7);
      const spread = rng() < 0.5 ? 5 * 60_000 : 5 * 3_600_000;
      const chosen = new Set<number>();
      while (chosen.size < k) chosen.add(Math.floor(rng() * accounts));
      const start = Math.floor(rng() * 86_400_000);
      for (const a of chosen) rows.push([o, a, start + Math.floor(rng() * spread)]);
    }
    return { ...shares(rows), accounts, objects };
  }

  it("agrees with a direct sum over objects of p(a,o) p(b,o) q_o under the fitted BiCM", () => {
    const layer = randomLayer(11);
    const W = 60_000;
    const perAccount = objectsPerAccount(layer.object, layer.account, layer.accounts);
    const timing = objectTiming(layer.object, layer.account, layer.tsMs, layer.objects, W);
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < layer.accounts; i++) {
      for (let j = i + 1; j < layer.accounts; j++) {
        if (perAccount[i]! > 0 && perAccount[j]! > 0) {
          a.push(i);
          b.push(j);
        }
      }
    }
    const k = Uint32Array.from(a, (_, i) => 1 + (i % 4));
    const result = testPairs({
      a: Int32Array.from(a),
      b: Int32Array.from(b),
      k,
      accountDegree: perAccount,
      objectDegree: timing.degree,
      q: timing.q,
    });
    const fit = fitBicm(perAccount, timing.degree);
    const p = (acc: number, o: number): number => {
      const x = fit.x[classIndex(fit.accountDegrees, perAccount[acc]!)]!;
      const y = fit.y[classIndex(fit.objectDegrees, timing.degree[o]!)]!;
      return (x * y) / (1 + x * y);
    };
    let nonZero = 0;
    a.forEach((ai, i) => {
      let direct = 0;
      // objects one account alone shared cannot be co-shared
      for (let o = 0; o < layer.objects; o++) {
        if (timing.degree[o]! >= 2) direct += p(ai, o) * p(b[i]!, o) * timing.q[o]!;
      }
      expect(result.expected[i]).toBeCloseTo(direct, 12);
      if (direct > 0) nonZero++;
    });
    expect(nonZero).toBe(a.length);
    expect(result.fit.maxRelError).toBeLessThan(1e-5);
  });

  it("tests k against Poisson(E) conditional on one meeting: P(X >= k) / P(X >= 1)", () => {
    // two account classes, one object class: E is the same for every pair
    const input = {
      a: Int32Array.from([0, 0, 0, 0, 0]),
      b: Int32Array.from([1, 1, 1, 1, 1]),
      k: Uint32Array.from([1, 2, 3, 5, 9]),
      accountDegree: Float64Array.from([2, 2, 2, 2]),
      objectDegree: Float64Array.from([2, 2, 2, 2]),
      q: Float64Array.from([0.5, 0.25, 0.25, 0]),
    };
    const r = testPairs(input);
    // regular graph: p = 2 / 4 for every (account, object); E = sum_o p^2 q_o = 0.25 * 1
    for (const e of r.expected) expect(e).toBeCloseTo(0.25, 6);
    const e = r.expected[0]!;
    input.k.forEach((k, i) => {
      expect(Math.exp(r.logP[i]!)).toBeCloseTo(upperTail(k, e) / upperTail(1, e), 12);
    });
    // more meetings, smaller p-value
    for (let i = 1; i < r.logP.length; i++) expect(r.logP[i]!).toBeLessThan(r.logP[i - 1]!);
  });

  it("gives the same expectations and p-values whether its cache is a table or a hash table", () => {
    const input = randomPairs(7, (int) => 1 + int(6));
    const table = testPairs(input);
    // thousands of (bucket, class pair) keys: the hash table grows several times
    const map = testPairs({ ...input, slotTableBudget: 0 });
    // some buckets in tables, the rest in the hash table
    const mixed = testPairs({ ...input, slotTableBudget: 3000 });
    expect(new Set(table.expected).size).toBeGreaterThan(20);
    expect(map.expected).toEqual(table.expected);
    expect(map.logP).toEqual(table.logP);
    expect(mixed.expected).toEqual(table.expected);
    expect(mixed.logP).toEqual(table.logP);
  });

  it("with minK, tests only the pairs that met that often, and gives them the same numbers as a full test", () => {
    // most pairs met once, as in real layers
    const input = randomPairs(11, (int, rng) => (rng() < 0.6 ? 1 : 2 + int(5)));
    const pairs = input.a.length;
    const full = testPairs(input);
    for (const minK of [2, 4]) {
      const some = testPairs({ ...input, minK });
      let tested = 0;
      for (let i = 0; i < pairs; i++) {
        if (input.k[i]! >= minK) {
          tested++;
          expect(some.expected[i]).toBe(full.expected[i]);
          expect(some.logP[i]).toBe(full.logP[i]);
        } else {
          expect(some.expected[i]).toBeNaN();
          expect(some.logP[i]).toBe(0);
        }
      }
      expect(tested).toBeGreaterThan(pairs / 5);
      expect(tested).toBeLessThan(pairs / 2);
    }
  });

  it("gives a single meeting a p-value of exactly 1, whatever the expectation", () => {
    // E from tiny (rare, inactive accounts) to large (hyperactive accounts on bursty objects)
    for (const q of [1e-9, 0.001, 0.3, 1]) {
      for (const degree of [1, 3, 8]) {
        const r = testPairs({
          a: Int32Array.from([0]),
          b: Int32Array.from([1]),
          k: Uint32Array.from([1]),
          accountDegree: Float64Array.from([degree, degree, 1]),
          objectDegree: Float64Array.from(Array.from({ length: 10 }, (_, o) => (o === 0 ? 3 : 2))),
          q: new Float64Array(10).fill(q),
        });
        expect(r.logP[0]).toBe(0);
        expect(Math.exp(r.logP[0]!)).toBe(1);
      }
    }
  });

  it("expects more meetings of more active accounts", () => {
    const rows: Array<[number, number, number]> = [];
    // account 0 shares all 10 objects, accounts 1 and 2 share 2 each, 3 and 4 share 5 each, all within a minute
    for (let o = 0; o < 10; o++) {
      rows.push([o, 0, o * 1e7]);
      if (o < 2) rows.push([o, 1, o * 1e7 + 1], [o, 2, o * 1e7 + 2]);
      if (o < 5) rows.push([o, 3, o * 1e7 + 3]);
      else rows.push([o, 4, o * 1e7 + 4]);
    }
    const s = shares(rows);
    const timing = objectTiming(s.object, s.account, s.tsMs, 10, 60_000);
    const perAccount = objectsPerAccount(s.object, s.account, 5);
    const r = testPairs({
      a: Int32Array.from([1, 0, 3]),
      b: Int32Array.from([2, 3, 4]),
      k: Uint32Array.from([2, 5, 1]),
      accountDegree: perAccount,
      objectDegree: timing.degree,
      q: timing.q,
    });
    // (1, 2): both shared 2 objects; (0, 3): one shared everything, the other 5
    expect(r.expected[1]!).toBeGreaterThan(r.expected[0]!);
  });
});

describe("significantPerLayer", () => {
  const layers = [
    { logP: Float64Array.from([Math.log(1e-5), Math.log(0.5)]), hypotheses: 100 },
    { logP: Float64Array.from([Math.log(1e-4), Math.log(0.02), 0]), hypotheses: 4 },
  ];

  it("runs Benjamini-Hochberg in each layer over that layer's hypotheses", () => {
    // layer 1, m = 100: 1e-5 <= 0.05 / 100 passes, 0.5 does not; layer 2, m = 4: 1e-4 <= 0.0125 and
    // 0.02 <= 0.025 pass, 1 does not. Over both layers at once (m = 104) 0.02 > 0.05 * 3 / 104 would not pass.
    const f = significantPerLayer(layers, 0.05);
    expect(f.map((x) => [...x])).toEqual([
      [1, 0],
      [1, 1, 0],
    ]);
  });

  it("does not let one layer's many discoveries loosen another's bound", () => {
    // 1,000 tiny p-values in one layer; one p-value of 0.003 among 1,000 hypotheses in the other
    const strong = { logP: new Float64Array(1000).fill(Math.log(1e-9)), hypotheses: 1000 };
    const weak = { logP: Float64Array.from([Math.log(0.003)]), hypotheses: 1000 };
    const [s, w] = significantPerLayer([strong, weak], 0.01);
    expect(s!.every((x) => x === 1)).toBe(true);
    // alone in its layer: 0.003 > 0.01 / 1000
    expect([...w!]).toEqual([0]);
  });

  it("counts at least the p-values given as hypotheses", () => {
    // m = 3 in layer 2 (its p-values): 0.02 <= 0.05 * 2 / 3 passes
    const f = significantPerLayer(
      layers.map((l) => ({ ...l, hypotheses: 1 })),
      0.05,
    );
    expect(f.map((x) => [...x])).toEqual([
      [1, 0],
      [1, 1, 0],
    ]);
  });
});

describe("twoDigitKey", () => {
  it("rounds to two significant digits exactly as toPrecision(2) does, or declines", () => {
    const rng = seededRng(3);
    const values: number[] = [];
    // log-uniform over (1, 1e15), and products of two multiplicities as testPairs forms them
    for (let i = 0; i < 50_000; i++) values.push(10 ** (rng() * 15));
    for (let i = 0; i < 50_000; i++) values.push((1 + rng() * 20) * (1 + rng() * 20));
    // halfway points, values next to them and to powers of ten
    const edges = [
      1.25, 1.35, 9.95, 9.96, 99.5, 995, 9995, 10, 100, 1e14, 9.999999999999998, 1.0000000000000002,
    ];
    values.push(...edges, ...edges.map((x) => x * (1 + 2 ** -52)), ...edges.map((x) => x * (1 - 2 ** -52)));
    let keyed = 0;
    for (const x of values) {
      const key = twoDigitKey(x);
      if (key < 0) continue;
      keyed++;
      expect(twoDigitValue(key), `${x}`).toBe(Number(x.toPrecision(2)));
    }
    // declining is for the few values that arithmetic cannot settle
    expect(keyed).toBeGreaterThan(0.999 * values.length - edges.length * 3);
    expect(twoDigitKey(1.25)).toBe(-1);
    expect(twoDigitValue(twoDigitKey(1.26))).toBe(1.3);
    expect(twoDigitValue(twoDigitKey(996))).toBe(1000);
  });

  it("puts a halfway product, which it declines, in the same bucket as testPairs' other path", () => {
    // accounts of one degree class; 1.5 x 1.5 = 2.25 (exactly halfway) rounds to 2.3, as 2.3 x 1 does
    const accountDegree = Float64Array.of(4, 4, 4, 4, 4, 4);
    const multiplicity = Float64Array.of(1.5, 1.5, 2.3, 1, 2.2, 1);
    expect(twoDigitKey(1.5 * 1.5)).toBe(-1);
    const r = testPairs({
      a: Int32Array.of(0, 2, 4, 0),
      b: Int32Array.of(1, 3, 5, 1),
      k: Uint32Array.of(3, 3, 3, 3),
      accountDegree,
      objectDegree: Float64Array.of(3, 3, 3, 3, 5, 5),
      q: Float64Array.of(0.2, 0.3, 0.4, 0.5, 0.1, 0.6),
      multiplicity,
    });
    expect(r.expected[0]).toBe(r.expected[1]);
    expect(r.expected[3]).toBe(r.expected[0]);
    // a nearby bucket gives another expectation: the buckets are not all one
    expect(r.expected[2]).not.toBe(r.expected[0]);
  });

  it("declines what it does not handle", () => {
    for (const x of [1, 0.5, -3, NaN, Infinity, 1e15, 1e300]) expect(twoDigitKey(x)).toBe(-1);
  });
});

/**
 * 5,000 random pairs among 300 accounts (a from the first half, b from the second) on 80 objects, with the
 * co-shared objects of each pair from `k`: inputs for comparing two ways of running the test.
 */
function randomPairs(seed: number, k: (int: (n: number) => number, rng: () => number) => number) {
  const rng = seededRng(seed);
  const accounts = 300;
  const objects = 80;
  const pairs = 5000;
  const int = (n: number): number => Math.floor(rng() * n);
  return {
    a: Int32Array.from({ length: pairs }, () => int(accounts / 2)),
    b: Int32Array.from({ length: pairs }, () => accounts / 2 + int(accounts / 2)),
    k: Uint32Array.from({ length: pairs }, () => k(int, rng)),
    accountDegree: Float64Array.from({ length: accounts }, () => 1 + int(40)),
    objectDegree: Float64Array.from({ length: objects }, () => 2 + int(60)),
    q: Float64Array.from({ length: objects }, () => rng()),
    // most accounts share each object once; some many times (several multiplicity buckets)
    multiplicity: Float64Array.from({ length: accounts }, () => (rng() < 0.7 ? 1 : 1 + rng() * 20)),
  };
}
