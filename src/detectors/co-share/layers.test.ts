/**
 * Co-share's layers run in worker threads when the run is large enough (layers.ts). A layer's outcome must not
 * depend on where it ran: the same columns, to the last bit, from threads as from the calling thread, in the
 * layers' order; and the whole detector gives the same ties and findings with threads as without.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseStore } from "../../store/case.js";
import { runDetectors } from "../run.js";
import { seededRng } from "../detector.js";
import { runLayer, type LayerColumns, type LayerOutcome, type LayerSpec } from "./layer.js";
import { WalkScratch } from "./account-walk.js";
import { layerCost, layerThreads, mergeParts, runLayers, splitRanges } from "./layers.js";
import { coShareWindows } from "./kernel.js";
import { coShareWorld } from "../../../test/helpers/coshare-world.js";
import { caseOf } from "../../../test/helpers/posts.js";
import { tempDir } from "../../../test/helpers/tmp.js";

/**
 * A layer of `n` shares by `accounts` accounts over `objects` objects, sorted by object then time (as loaded), with
 * a unit of 8 accounts that shares its objects within seconds of each other and everyone else at random times.
 */
function layer(seed: number, n: number, accounts: number, objects: number): LayerColumns {
  const rng = seededRng(seed);
  const rows: Array<[number, number, number]> = [];
  for (let i = 0; i < n; i++) {
    const object = Math.floor(rng() ** 2 * objects);
    if (object % 10 === 0) {
      // the unit's objects: its 8 members within 20 s of one another
      const t = object * 3_600_000 + Math.floor(rng() * 20_000);
      rows.push([object, i % 8, t]);
    } else rows.push([object, 8 + Math.floor(rng() * (accounts - 8)), Math.floor(rng() * 30 * 86_400_000)]);
  }
  rows.sort((x, y) => x[0] - y[0] || x[2] - y[2]);
  return {
    object: Int32Array.from(rows, (r) => r[0]),
    account: Int32Array.from(rows, (r) => r[1]),
    tsMs: Float64Array.from(rows, (r) => r[2]),
    post: Int32Array.from(rows, (_, i) => i),
  };
}

const SPEC: LayerSpec = {
  windowMs: 60_000,
  fastWindowMs: 10_000,
  episodeGapMs: 3_600_000,
  maxPartnersPerShare: 1000,
  maxPairs: 20_000_000,
  minCoshares: 2,
  alpha: 0.01,
  candidateP: 0.001,
  keepInsignificant: 50,
  accounts: 400,
};

describe("layerThreads", () => {
  it("keeps small runs in the calling thread, and gives a large one every core up to four, even for one layer", () => {
    expect(layerThreads(1000, 5, {})).toBe(1);
    expect(layerThreads(5_000_000, 0, { CHORUS_THREADS: "4" })).toBe(1);
    // a single layer is split between the threads
    expect(layerThreads(5_000_000, 1, { CHORUS_THREADS: "4" })).toBe(4);
    expect(layerThreads(5_000_000, 3, { CHORUS_THREADS: "8" })).toBe(4);
  });

  it("takes CHORUS_THREADS as the core count, even for small runs, and refuses nonsense", () => {
    expect(layerThreads(1000, 5, { CHORUS_THREADS: "2" })).toBe(2);
    expect(layerThreads(5_000_000, 5, { CHORUS_THREADS: "1" })).toBe(1);
    expect(() => layerThreads(1000, 5, { CHORUS_THREADS: "two" })).toThrow(/CHORUS_THREADS.*'two'/);
    expect(() => layerThreads(1000, 5, { CHORUS_THREADS: "0" })).toThrow(/positive integer/);
  });
});

describe("layerCost", () => {
  it("counts each share's earlier shares of the same object within the window, capped", () => {
    const l = layer(5, 3000, 200, 150);
    for (const [windowMs, cap] of [
      [60_000, 1000],
      [5_000, 1000],
      [60_000, 3],
    ] as const) {
      let brute = 0;
      for (let i = 0; i < l.object.length; i++) {
        let n = 0;
        for (let j = 0; j < i; j++) {
          if (l.object[j] === l.object[i] && l.tsMs[i]! - l.tsMs[j]! <= windowMs) n++;
        }
        brute += Math.min(n, cap);
      }
      expect(layerCost(l, windowMs, cap), `${windowMs} ${cap}`).toBe(brute);
    }
    // not vacuous: the unit's objects give thousands of pairs, and the cap and the window both bite
    expect(layerCost(l, 60_000, 1000)).toBeGreaterThan(1000);
    expect(layerCost(l, 60_000, 3)).toBeLessThan(layerCost(l, 60_000, 1000));
    expect(layerCost(l, 5_000, 1000)).toBeLessThan(layerCost(l, 60_000, 1000));
  });
});

describe("runLayer", () => {
  it("gives each kept pair its place among the fast-core pairs, which are the same pairs when the windows are", () => {
    // 300 objects, each shared by 6 of 30 accounts within five minutes (pairs meet again and again, some far more
    // often than others), and a unit
    const rng = seededRng(7);
    const rows: Array<[number, number, number]> = [];
    for (let o = 0; o < 300; o++) {
      for (let k = 0; k < 6; k++) {
        const account = rng() < 0.3 ? Math.floor(rng() * 5) : Math.floor(rng() * 30);
        rows.push([o, account, o * 3_600_000 + Math.floor(rng() * 300_000)]);
      }
      // and a unit of 6 more on every fifth object, within seconds
      if (o % 5 === 0) {
        for (let m = 30; m < 36; m++) {
          // each member on most of them, so that the unit's pairs meet different numbers of times
          if (rng() < 0.4 + m / 60) rows.push([o, m, o * 3_600_000 + Math.floor(rng() * 5_000)]);
        }
      }
    }
    rows.sort((x, y) => x[0] - y[0] || x[2] - y[2]);
    const l: LayerColumns = {
      object: Int32Array.from(rows, (r) => r[0]),
      account: Int32Array.from(rows, (r) => r[1]),
      tsMs: Float64Array.from(rows, (r) => r[2]),
      post: Int32Array.from(rows, (_, i) => i),
    };
    const run = (spec: LayerSpec): LayerOutcome => runLayer(l, spec, new WalkScratch());
    // one window for both: the fast-core pairs are the kept pairs that pass alpha on their own, with their p-values
    // (a lenient candidateP keeps pairs that do not)
    const spec = { ...SPEC, fastWindowMs: SPEC.windowMs, candidateP: 0.5 };
    const same = run(spec);
    const passes = Array.from(same.logP, (lp) => lp <= Math.log(spec.alpha));
    expect(passes.filter(Boolean).length).toBeGreaterThanOrEqual(15);
    expect(passes.filter((x) => !x).length).toBeGreaterThan(0);
    expect(Array.from(same.fastOf, (f) => f >= 0)).toEqual(passes);
    expect(same.fastLogP.length).toBe(passes.filter(Boolean).length);
    same.fastOf.forEach((f, j) => {
      if (f >= 0) expect(same.fastLogP[f]).toBe(same.logP[j]);
    });
    // a narrower fast window: fewer pairs, each the place of one kept pair at most
    const narrow = run(SPEC);
    const places = Array.from(narrow.fastOf).filter((f) => f >= 0);
    expect(places.length).toBeGreaterThan(0);
    expect(places.length).toBeLessThan(narrow.fastOf.length);
    expect(new Set(places).size).toBe(places.length);
    for (const f of places) expect(f).toBeLessThan(narrow.fastLogP.length);
  });
});

describe("runLayers", () => {
  const layers = [layer(1, 6000, 400, 300), layer(2, 20000, 400, 900), layer(3, 3000, 400, 120)];

  it("gives the same outcome for every layer, in the layers' order, from threads as from one thread", async () => {
    const done: number[] = [];
    const copies = layers.map((l) => ({
      object: l.object.slice(),
      account: l.account.slice(),
      tsMs: l.tsMs.slice(),
    }));
    const secondsInThread: number[] = [];
    const secondsThreaded: number[] = [];
    const inThread = await runLayers(layers, SPEC, 1, (i, _o, s) => (secondsInThread[i] = s));
    const threaded = await runLayers(layers, SPEC, 2, (i, _o, s) => {
      done.push(i);
      secondsThreaded[i] = s;
    });
    expect(threaded).toHaveLength(3);
    // the largest layer is started first; each layer is reported once, with the time it ran
    expect([...done].sort()).toEqual([0, 1, 2]);
    for (const s of [...secondsInThread, ...secondsThreaded]) expect(s).toBeGreaterThanOrEqual(0);
    expect(secondsInThread.filter((s) => Number.isFinite(s))).toHaveLength(3);
    expect(secondsThreaded.filter((s) => Number.isFinite(s))).toHaveLength(3);
    // the columns lent to the threads are back in the caller's objects, intact
    layers.forEach((l, i) => {
      expect(l.object).toEqual(copies[i]!.object);
      expect(l.tsMs).toEqual(copies[i]!.tsMs);
      expect(l.account).toEqual(copies[i]!.account);
    });
    for (let i = 0; i < layers.length; i++) {
      const a = inThread[i]!;
      const b = threaded[i]!;
      expect(b.pairsMet).toBe(a.pairsMet);
      expect(b.totals).toEqual(a.totals);
      for (const k of Object.keys(a) as Array<keyof LayerOutcome>) expect(b[k], k).toEqual(a[k]);
    }
    // meaningful: the planted unit of every layer met and was kept, each kept pair with an example that is one
    // of its co-shares (the posts here are the rows): the two accounts on one object within the window
    inThread.forEach((o, i) => {
      expect(o.a.length).toBeGreaterThanOrEqual(28);
      expect(o.logP.some((p) => p < Math.log(1e-6))).toBe(true);
      const l = layers[i]!;
      for (let j = 0; j < o.a.length; j++) {
        const [x, y] = [o.exPostA[j]!, o.exPostB[j]!];
        expect([l.account[x], l.account[y]].sort((u, v) => u! - v!)).toEqual([o.a[j], o.b[j]]);
        expect([l.object[x], l.object[y]]).toEqual([o.exObject[j], o.exObject[j]]);
        expect(Math.abs(l.tsMs[x]! - l.tsMs[y]!)).toBeLessThanOrEqual(SPEC.windowMs);
      }
    });
  });

  it("splits a single layer between the threads, with the outcome of one thread", async () => {
    const one = layer(2, 20000, 400, 900);
    const inThread = await runLayers([one], SPEC, 1);
    // split although small (a layer under CLOSED_MAX_SHARES runs whole in the detector)
    const threaded = await runLayers([one], SPEC, 2, undefined, true, 0);
    expect(threaded).toHaveLength(1);
    for (const k of Object.keys(inThread[0]!) as Array<keyof LayerOutcome>) {
      expect(threaded[0]![k], k).toEqual(inThread[0]![k]);
    }
    expect(inThread[0]!.a.length).toBeGreaterThanOrEqual(28);
  });

  it("reports a layer that fails in its thread, naming the layer", async () => {
    const broken = { ...layers[0]!, tsMs: new Float64Array(1) }; // columns of different lengths
    await expect(runLayers([layers[1]!, broken], SPEC, 2)).rejects.toThrow(/layer 1/);
  });
});

describe("a layer split between threads", () => {
  const big = layer(2, 20000, 400, 900);

  it("splits by ranges of accounts that cover them all, in order, with about equal work", () => {
    for (const parts of [2, 3, 4]) {
      const ranges = splitRanges(big, SPEC, parts);
      expect(ranges).toHaveLength(parts);
      expect(ranges[0]![0]).toBe(0);
      expect(ranges[parts - 1]![1]).toBe(400);
      for (let r = 1; r < parts; r++) expect(ranges[r]![0]).toBe(ranges[r - 1]![1]);
      // the work of each part, counted pair by pair: each co-share within the window and the cap, for both accounts
      const work = ranges.map(() => 0);
      const partOf = (a: number): number => ranges.findIndex(([lo, hi]) => a >= lo && a < hi);
      for (let i = 0; i < big.object.length; i++) {
        let c = 0;
        for (let j = i - 1; j >= 0 && c < SPEC.maxPartnersPerShare; j--) {
          if (big.object[j] !== big.object[i] || big.tsMs[i]! - big.tsMs[j]! > SPEC.windowMs) break;
          c++;
          work[partOf(big.account[i]!)]!++;
          work[partOf(big.account[j]!)]!++;
        }
      }
      const total = work.reduce((a, b) => a + b, 0);
      // no part holds more than an even share and the largest account's work (an account is never split)
      const largest = Math.max(
        ...Array.from({ length: 400 }, (_, a) => {
          let w = 0;
          for (let i = 0; i < big.account.length; i++) if (big.account[i] === a) w++;
          return w;
        }),
      );
      for (const w of work) expect(w).toBeLessThanOrEqual(total / parts + largest * SPEC.maxPartnersPerShare);
      expect(Math.max(...work)).toBeLessThan(total);
    }
    // nothing to split: a layer in which no two shares meet
    const apart = {
      object: Int32Array.of(0, 1, 2),
      account: Int32Array.of(0, 1, 2),
      tsMs: Float64Array.of(0, 0, 0),
    };
    expect(splitRanges(apart, SPEC, 2)).toEqual([]);
  });

  it("walks the pairs of each range of accounts, which one after the other are the whole walk's", () => {
    // account ids far apart, as a case's numbers of a layer's few accounts are: the walk renumbers them densely
    const sparse = { ...big, account: big.account.map((a) => a * 100_003 + 7) };
    for (const cols of [big, sparse]) {
      const input = { object: cols.object, account: cols.account, tsMs: cols.tsMs, share: cols.post };
      const opts = { windowMs: 60_000, fastWindowMs: 10_000, maxPartnersPerShare: 1000 };
      const whole = coShareWindows(input, opts);
      const cuts = [0, 3 * 100_003, 150 * 100_003 + 7, 401 * 100_003];
      const scale = cols === big ? 100_003 : 1;
      const parts = cuts.slice(1).map((hi, r) =>
        coShareWindows(input, {
          ...opts,
          accountRange: [Math.floor(cuts[r]! / scale), Math.floor(hi / scale)] as const,
        }),
      );
      expect(parts.every((p) => p.a.length > 0)).toBe(true);
      const cat = (f: (r: typeof whole) => ArrayLike<number>): number[] =>
        parts.flatMap((p) => Array.from(f(p)));
      expect(cat((r) => r.a)).toEqual(Array.from(whole.a));
      expect(cat((r) => r.b)).toEqual(Array.from(whole.b));
      expect(cat((r) => r.sharePairs)).toEqual(Array.from(whole.sharePairs));
      expect(cat((r) => r.objects)).toEqual(Array.from(whole.objects));
      expect(cat((r) => r.fastObjects!)).toEqual(Array.from(whole.fastObjects!));
      expect(cat((r) => r.evidence!.rowA)).toEqual(Array.from(whole.evidence!.rowA));
      expect(cat((r) => r.evidence!.rowB)).toEqual(Array.from(whole.evidence!.rowB));
      expect(parts.reduce((n, p) => n + p.totals.sharePairs, 0)).toBe(whole.totals.sharePairs);
    }
  });

  it("puts the parts together into the whole layer's outcome, keeping the whole layer's strongest chance pairs", () => {
    // a busy layer, whose pairs that chance explains are many, of which the whole layer keeps the strongest 5: 600
    // objects each shared by 6 of 60 accounts within five minutes
    const rng = seededRng(9);
    const rows: Array<[number, number, number]> = [];
    for (let o = 0; o < 600; o++) {
      for (let k = 0; k < 6; k++)
        rows.push([o, Math.floor(rng() * 60), o * 3_600_000 + Math.floor(rng() * 300_000)]);
    }
    rows.sort((x, y) => x[0] - y[0] || x[2] - y[2]);
    const busy: LayerColumns = {
      object: Int32Array.from(rows, (r) => r[0]),
      account: Int32Array.from(rows, (r) => r[1]),
      tsMs: Float64Array.from(rows, (r) => r[2]),
      post: Int32Array.from(rows, (_, i) => i),
    };
    const spec = { ...SPEC, keepInsignificant: 5, accounts: 60 };
    const whole = runLayer(busy, spec, new WalkScratch());
    for (const ranges of [
      splitRanges(busy, spec, 2),
      splitRanges(busy, spec, 3),
      [
        [0, 1],
        [1, 30],
        [30, 60],
      ] as const,
    ]) {
      const parts = ranges.map((r) => runLayer(busy, spec, new WalkScratch(), r));
      // each part keeps its own strongest chance pairs: more than the whole layer keeps, which the merge drops
      expect(parts.reduce((n, p) => n + p.a.length, 0)).toBeGreaterThan(whole.a.length);
      const merged = mergeParts(parts, spec);
      for (const k of Object.keys(whole) as Array<keyof LayerOutcome>) expect(merged[k], k).toEqual(whole[k]);
    }
    // not vacuous: pairs of every tier and fast-core places
    expect(whole.logP.some((p) => p <= Math.log(spec.alpha))).toBe(true);
    const bound = Math.log(Math.max(spec.alpha, spec.candidateP));
    expect(whole.logP.filter((p) => p > bound)).toHaveLength(spec.keepInsignificant);
    expect(whole.fastLogP.length).toBeGreaterThan(0);
  });

  it("runs a split layer whole when its parts together meet more pairs than its budget, as one thread does", async () => {
    // objects each shared by 120 accounts within a minute, two of them by the same 120: 14,280 pairs, past a
    // budget of 10,000, while each half of the accounts meets fewer
    const rows: Array<[number, number, number]> = [];
    for (let o = 0; o < 3; o++) {
      for (let a = 0; a < 120; a++) rows.push([o, o === 2 ? 120 + a : a, o * 3_600_000 + a * 100]);
    }
    const dense: LayerColumns = {
      object: Int32Array.from(rows, (r) => r[0]),
      account: Int32Array.from(rows, (r) => r[1]),
      tsMs: Float64Array.from(rows, (r) => r[2]),
      post: Int32Array.from(rows, (_, i) => i),
    };
    const spec = { ...SPEC, maxPairs: 10_000, accounts: 400 };
    const small = layer(3, 300, 400, 120);
    const inThread = await runLayers([dense, small], spec, 1);
    expect(inThread[0]!.totals.cap).toBeLessThan(spec.maxPartnersPerShare);
    // the dense layer is more than half the work, so two threads split it, and each part alone fits its budget
    const cost = (l: LayerColumns): number => layerCost(l, spec.windowMs, spec.maxPartnersPerShare);
    expect(cost(dense)).toBeGreaterThan(cost(small));
    const ranges = splitRanges(dense, spec, 2);
    expect(ranges).toHaveLength(2);
    for (const range of ranges) {
      expect(runLayer(dense, spec, new WalkScratch(), range).totals.cap).toBe(spec.maxPartnersPerShare);
    }
    const threaded = await runLayers([dense, small], spec, 2, undefined, true, 0);
    for (let i = 0; i < 2; i++) {
      for (const k of Object.keys(inThread[i]!) as Array<keyof LayerOutcome>) {
        expect(threaded[i]![k], `${i} ${k}`).toEqual(inThread[i]![k]);
      }
    }
  });
});

describe("co-share with its layers in threads", () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: CaseStore;
  const before = process.env["CHORUS_THREADS"];
  beforeAll(async () => {
    tmp = tempDir();
    const world = coShareWorld(11);
    // every link's domain is a second layer, so that two threads each have one
    store = (await caseOf(tmp, world.posts)).store;
  });
  afterAll(() => {
    if (before === undefined) delete process.env["CHORUS_THREADS"];
    else process.env["CHORUS_THREADS"] = before;
    store.close();
    tmp.cleanup();
  });

  it("finds the same ties and findings as in one thread", async () => {
    const run = async (threads: string) => {
      process.env["CHORUS_THREADS"] = threads;
      const { runs } = await runDetectors(store, {
        only: ["co-share"],
        now: new Date("2024-06-01T00:00:00Z"),
      });
      const r = runs[0]!.result;
      return { edges: r.edges, findings: r.findings, counts: r.counts, warnings: r.warnings };
    };
    const one = await run("1");
    const two = await run("2");
    expect(one.edges.length).toBeGreaterThan(10);
    expect(one.findings.length).toBeGreaterThan(5);
    expect(two).toEqual(one);
  });
});
