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
import { layerCost, layerThreads, runLayers } from "./layers.js";
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
  it("keeps small runs in the calling thread and never uses more threads than layers", () => {
    expect(layerThreads(1000, 5, {})).toBe(1);
    expect(layerThreads(5_000_000, 1, { CHORUS_THREADS: "4" })).toBe(1);
    expect(layerThreads(5_000_000, 3, { CHORUS_THREADS: "8" })).toBe(3);
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

  it("reports a layer that fails in its thread, naming the layer", async () => {
    const broken = { ...layers[0]!, tsMs: new Float64Array(1) }; // columns of different lengths
    await expect(runLayers([layers[1]!, broken], SPEC, 2)).rejects.toThrow(/layer 1/);
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
