import { describe, expect, it } from "vitest";
import {
  coShareWindows,
  MIN_PARTNER_CAP,
  type CoShareOptions,
  type CoShareResult,
  type ShareColumns,
} from "./kernel.js";
import { seededRng } from "../detector.js";
import { WalkScratch } from "./account-walk.js";

interface PairStats {
  sharePairs: number;
  objects: Set<number>;
  minGap: number;
  /** Rows of accounts a and b in the first co-share (in (object, time, input) order) with the smallest gap. */
  rowA: number;
  rowB: number;
}

/**
 * The definition, by brute force: every two rows of one object, by two accounts (and two share ids), at most
 * `windowMs` apart. With a cap, rows are put in (object, time, input) order and each row looks at the next
 * `cap` rows only, which is what the kernel promises.
 */
function reference(cols: ShareColumns, opts: CoShareOptions) {
  const n = cols.object.length;
  const idx: number[] = [];
  for (let r = 0; r < n; r++) if (opts.include === undefined || opts.include[r] !== 0) idx.push(r);
  idx.sort((x, y) => cols.object[x]! - cols.object[y]! || cols.tsMs[x]! - cols.tsMs[y]! || x - y);
  const cap = opts.maxPartnersPerShare ?? Infinity;
  const pairs = new Map<string, PairStats>();
  const paired = new Uint8Array(n);
  let skipped = 0;
  const capped = new Set<number>();
  for (let p = 0; p < idx.length; p++) {
    const i = idx[p]!;
    let considered = 0;
    for (let q = p + 1; q < idx.length; q++) {
      const j = idx[q]!;
      if (cols.object[j] !== cols.object[i]) break;
      if (Math.abs(cols.tsMs[j]! - cols.tsMs[i]!) > opts.windowMs) break;
      considered++;
      if (considered > cap) {
        skipped++;
        capped.add(cols.object[i]!);
        continue;
      }
      if (cols.account[i] === cols.account[j]) continue;
      if (cols.share !== undefined && cols.share[i] === cols.share[j]) continue;
      if (opts.requireOneOf !== undefined && opts.requireOneOf[i] === 0 && opts.requireOneOf[j] === 0)
        continue;
      const a = Math.min(cols.account[i]!, cols.account[j]!);
      const b = Math.max(cols.account[i]!, cols.account[j]!);
      const key = `${a},${b}`;
      let st = pairs.get(key);
      if (st === undefined) {
        st = { sharePairs: 0, objects: new Set(), minGap: Infinity, rowA: -1, rowB: -1 };
        pairs.set(key, st);
      }
      st.sharePairs++;
      st.objects.add(cols.object[i]!);
      const gap = Math.abs(cols.tsMs[j]! - cols.tsMs[i]!);
      if (gap < st.minGap) {
        st.minGap = gap;
        st.rowA = cols.account[i] === a ? i : j;
        st.rowB = cols.account[i] === a ? j : i;
      }
      paired[i] = 1;
      paired[j] = 1;
    }
  }
  return { pairs, paired, skipped, capped: capped.size };
}

function randomShares(next: () => number, n: number, withShare: boolean): ShareColumns {
  const objects = 1 + Math.floor(next() * 12);
  const accounts = 2 + Math.floor(next() * 10);
  const span = 1 + Math.floor(next() * 200);
  const object = new Int32Array(n);
  const account = new Int32Array(n);
  const tsMs = new Float64Array(n);
  const share = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    object[r] = Math.floor(next() * objects);
    account[r] = Math.floor(next() * accounts);
    // Coarse times make exact ties and gaps equal to the window common.
    tsMs[r] = Math.floor(next() * span) * 10;
    share[r] = next() < 0.15 && r > 0 ? share[r - 1]! : r;
    // Exact duplicate rows now and then.
    if (r > 0 && next() < 0.05) {
      object[r] = object[r - 1]!;
      account[r] = account[r - 1]!;
      tsMs[r] = tsMs[r - 1]!;
      share[r] = share[r - 1]!;
    }
  }
  return withShare ? { object, account, tsMs, share } : { object, account, tsMs };
}

/** Uniformly random shares over few objects, accounts and coarse time ticks, so that pairs meet again and again. */
function denseShares(
  next: () => number,
  n: number,
  shape: { objects: number; accounts: number; ticks: number; tickMs: number },
): ShareColumns {
  return {
    object: Int32Array.from({ length: n }, () => Math.floor(next() * shape.objects)),
    account: Int32Array.from({ length: n }, () => Math.floor(next() * shape.accounts)),
    tsMs: Float64Array.from({ length: n }, () => Math.floor(next() * shape.ticks) * shape.tickMs),
  };
}

function expectAgrees(cols: ShareColumns, opts: CoShareOptions, got: CoShareResult): void {
  const want = reference(cols, opts);
  expect(got.a.length).toBe(want.pairs.size);
  let sharePairs = 0;
  let objectPairs = 0;
  for (let k = 0; k < got.a.length; k++) {
    const a = got.a[k]!;
    const b = got.b[k]!;
    expect(a).toBeLessThan(b);
    const st = want.pairs.get(`${a},${b}`);
    expect(st, `pair ${a},${b}`).toBeDefined();
    expect(got.sharePairs[k]).toBe(st!.sharePairs);
    expect(got.objects[k]).toBe(st!.objects.size);
    sharePairs += st!.sharePairs;
    objectPairs += st!.objects.size;
    const ev = got.evidence;
    if (ev !== undefined) {
      const ra = ev.rowA[k]!;
      const rb = ev.rowB[k]!;
      expect(cols.account[ra]).toBe(a);
      expect(cols.account[rb]).toBe(b);
      expect(cols.object[ra]).toBe(ev.object[k]);
      expect(cols.object[rb]).toBe(ev.object[k]);
      expect(ev.gapMs[k]).toBe(st!.minGap);
      expect([ra, rb]).toEqual([st!.rowA, st!.rowB]);
      expect(Math.abs(cols.tsMs[ra]! - cols.tsMs[rb]!)).toBe(st!.minGap);
    }
  }
  expect(got.totals.sharePairs).toBe(sharePairs);
  expect(got.totals.objectPairs).toBe(objectPairs);
  expect(got.totals.sharePairsSkipped).toBe(want.skipped);
  expect(got.totals.objectsCapped).toBe(want.capped);
  if (got.pairedRows !== undefined) expect(Array.from(got.pairedRows)).toEqual(Array.from(want.paired));
}

describe("coShareWindows", () => {
  it("counts a gap exactly equal to the window, and not one millisecond more", () => {
    const r = coShareWindows(
      {
        object: Int32Array.of(0, 0, 0),
        account: Int32Array.of(1, 2, 3),
        tsMs: Float64Array.of(0, 60_000, 60_001),
      },
      { windowMs: 60_000 },
    );
    const got = Array.from(r.a, (a, k) => `${a}-${r.b[k]}`).sort();
    expect(got).toEqual(["1-2", "2-3"]);
  });

  it("never pairs an account with itself nor a share with itself", () => {
    const r = coShareWindows(
      {
        object: Int32Array.of(0, 0, 0, 0),
        account: Int32Array.of(1, 1, 2, 3),
        tsMs: Float64Array.of(0, 1, 2, 3),
        share: Int32Array.of(10, 11, 12, 12),
      },
      { windowMs: 10 },
    );
    const got = Array.from(r.a, (a, k) => `${a}-${r.b[k]}:${r.sharePairs[k]}`).sort();
    // 1-2 twice (both of 1's shares), 1-3 twice; 2-3 carry the same share id.
    expect(got).toEqual(["1-2:2", "1-3:2"]);
  });

  it("agrees with the brute-force definition on random inputs", () => {
    const next = seededRng(7);
    for (let round = 0; round < 300; round++) {
      const n = 2 + Math.floor(next() * 80);
      const cols = randomShares(next, n, round % 2 === 0);
      const windowMs = [0, 10, 30, 100, 500][round % 5]!;
      const opts: CoShareOptions = { windowMs, markRows: true };
      if (round % 3 === 0) opts.maxPartnersPerShare = 1 + Math.floor(next() * 4);
      if (round % 4 === 1) opts.include = Uint8Array.from({ length: n }, () => (next() < 0.8 ? 1 : 0));
      if (round % 5 === 2) opts.requireOneOf = Uint8Array.from({ length: n }, () => (next() < 0.3 ? 1 : 0));
      expectAgrees(cols, opts, coShareWindows(cols, opts));
    }
  });

  it("gives the same result in reused scratch columns, walk after walk, as in fresh ones", () => {
    const next = seededRng(19);
    const scratch = new WalkScratch();
    const plain = (r: CoShareResult): string[] =>
      Array.from(r.a, (a, k) =>
        [a, r.b[k], r.sharePairs[k], r.objects[k], r.evidence?.rowA[k], r.evidence?.rowB[k]].join(","),
      );
    // sizes up and down, so that walks both reuse a larger column and outgrow it
    for (const n of [400, 60, 900, 5, 700, 300]) {
      const cols = randomShares(next, n, true);
      const opts: CoShareOptions = { windowMs: 100 };
      const fresh = plain(coShareWindows(cols, opts));
      const reused = coShareWindows(cols, { ...opts, scratch });
      expectAgrees(cols, opts, reused);
      expect(plain(reused)).toEqual(fresh);
    }
  });

  it("selects the evidence of some pairs as the full evidence has it", () => {
    const cols = denseShares(seededRng(23), 600, { objects: 6, accounts: 40, ticks: 300, tickMs: 10 });
    const r = coShareWindows(cols, { windowMs: 100 });
    const ev = r.evidence!;
    const at = Int32Array.from({ length: r.a.length }, (_, k) => k).filter((k) => k % 3 !== 1);
    at.reverse();
    expect(at.length).toBeGreaterThan(10);
    const picked = ev.select(at);
    const want = Array.from(at, (k) => [ev.rowA[k], ev.rowB[k], ev.object[k], ev.gapMs[k]].join());
    const got = Array.from(at, (_, j) =>
      [picked.rowA[j], picked.rowB[j], picked.object[j], picked.gapMs[j]].join(),
    );
    expect(got).toEqual(want);
  });

  it("gives the same pairs for sorted, shuffled and sparse-id input", () => {
    const next = seededRng(11);
    const cols = randomShares(next, 400, true);
    const base = coShareWindows(cols, { windowMs: 50 });
    const summary = (r: CoShareResult) =>
      Array.from(
        r.a,
        (a, k) => `${a}-${r.b[k]}:${r.sharePairs[k]}:${r.objects[k]}:${r.evidence!.gapMs[k]}`,
      ).sort();

    const order = Array.from({ length: 400 }, (_, i) => i).sort(
      (x, y) => cols.object[x]! - cols.object[y]! || cols.tsMs[x]! - cols.tsMs[y]! || x - y,
    );
    const pick = <T extends Int32Array | Float64Array>(arr: T): T => {
      const out = arr.slice() as T;
      order.forEach((r, k) => (out[k] = arr[r]!));
      return out;
    };
    const sorted = coShareWindows(
      {
        object: pick(cols.object),
        account: pick(cols.account),
        tsMs: pick(cols.tsMs),
        share: pick(cols.share!),
      },
      { windowMs: 50 },
    );
    expect(summary(sorted)).toEqual(summary(base));

    // Already sorted with rows left out: the no-sort path with a row map.
    const mask = Uint8Array.from({ length: 400 }, (_, i) => (i % 7 === 3 ? 0 : 1));
    const sortedCols = {
      object: pick(cols.object),
      account: pick(cols.account),
      tsMs: pick(cols.tsMs),
      share: pick(cols.share!),
    };
    const sortedMask = Uint8Array.from(order, (r) => mask[r]!);
    const sortedMasked = coShareWindows(sortedCols, { windowMs: 50, include: sortedMask });
    expect(summary(sortedMasked)).toEqual(summary(coShareWindows(cols, { windowMs: 50, include: mask })));
    expectAgrees(sortedCols, { windowMs: 50, include: sortedMask }, sortedMasked);

    const sparse = coShareWindows(
      { ...cols, object: cols.object.map((o) => o * 100_000_000 + 5) },
      { windowMs: 50 },
    );
    expect(Array.from(sparse.a, (a, k) => `${a}-${sparse.b[k]}:${sparse.sharePairs[k]}`).sort()).toEqual(
      Array.from(base.a, (a, k) => `${a}-${base.b[k]}:${base.sharePairs[k]}`).sort(),
    );
  });

  it("sorts long shuffled runs (merge sort path) correctly", () => {
    const next = seededRng(3);
    const n = 5000;
    const cols: ShareColumns = {
      object: Int32Array.from({ length: n }, () => Math.floor(next() * 3)),
      account: Int32Array.from({ length: n }, () => Math.floor(next() * 400)),
      tsMs: Float64Array.from({ length: n }, () => Math.floor(next() * 1_000_000)),
    };
    const opts: CoShareOptions = { windowMs: 300, markRows: true };
    expectAgrees(cols, opts, coShareWindows(cols, opts));
  });

  it("reports viral objects cut by the partner cap", () => {
    const n = 50;
    const r = coShareWindows(
      {
        object: new Int32Array(n),
        account: Int32Array.from({ length: n }, (_, i) => i),
        tsMs: new Float64Array(n),
      },
      { windowMs: 0, maxPartnersPerShare: 5 },
    );
    expect(r.totals.objectsCapped).toBe(1);
    expect(r.totals.sharePairs).toBe(45 * 5 + 4 + 3 + 2 + 1);
    expect(r.totals.sharePairsSkipped).toBe((n * (n - 1)) / 2 - r.totals.sharePairs);
  });

  it("halves the partner cap until the pairs fit the budget, as a walk at that cap finds them", () => {
    // 1,500 accounts on one object within a second, and ordinary objects beside it
    const next = seededRng(11);
    const burst = 1500;
    const n = burst + 2000;
    const cols: ShareColumns = {
      object: Int32Array.from({ length: n }, (_, i) => (i < burst ? 0 : 1 + Math.floor(next() * 300))),
      account: Int32Array.from({ length: n }, (_, i) => (i < burst ? i : Math.floor(next() * 500))),
      tsMs: Float64Array.from({ length: n }, (_, i) => (i < burst ? next() * 1000 : next() * 3_600_000)),
    };
    const opts: CoShareOptions = { windowMs: 60_000, maxPartnersPerShare: 1000, markRows: true };
    const free = coShareWindows(cols, opts);
    expect(free.totals.pairs).toBeGreaterThan(900_000);
    expect(free.totals.cap).toBe(1000);
    const budget = 30_000;
    const held = coShareWindows(cols, { ...opts, maxPairs: budget, scratch: new WalkScratch() });
    // halved from 1000 until the pairs fit: the largest such cap
    expect(held.totals.cap).toBeLessThan(1000);
    expect(held.totals.pairs).toBeLessThanOrEqual(budget);
    const above = coShareWindows(cols, { ...opts, maxPartnersPerShare: 2 * held.totals.cap + 1 });
    expect(above.totals.pairs).toBeGreaterThan(budget);
    // the same pairs, counts, evidence and marked rows as a walk given that cap from the start
    expectAgrees(cols, { ...opts, maxPartnersPerShare: held.totals.cap }, held);
    expect(held.totals.sharePairsSkipped).toBeGreaterThan(free.totals.sharePairsSkipped);
    // a budget the pairs fit in changes nothing
    const roomy = coShareWindows(cols, { ...opts, maxPairs: free.totals.pairs });
    expect(roomy.totals.cap).toBe(1000);
    expect(roomy.totals.pairs).toBe(free.totals.pairs);
    // never below the floor, whatever the budget; without a cap it starts from the largest object
    const floor = coShareWindows(cols, { windowMs: 60_000, maxPairs: 1 });
    expect(floor.totals.cap).toBe(MIN_PARTNER_CAP);
    expectAgrees(cols, { windowMs: 60_000, maxPartnersPerShare: MIN_PARTNER_CAP }, floor);
  });

  it("handles empty input and rejects misuse", () => {
    const empty = coShareWindows(
      { object: new Int32Array(0), account: new Int32Array(0), tsMs: new Float64Array(0) },
      { windowMs: 1 },
    );
    expect(empty.totals.pairs).toBe(0);
    const one = { object: Int32Array.of(0), account: Int32Array.of(0), tsMs: Float64Array.of(0) };
    expect(() => coShareWindows(one, { windowMs: -1 })).toThrow(RangeError);
    expect(() => coShareWindows(one, { windowMs: 1, maxPartnersPerShare: 0 })).toThrow(RangeError);
    expect(() => coShareWindows(one, { windowMs: 1, maxPairs: 0 })).toThrow(RangeError);
    expect(() => coShareWindows({ ...one, tsMs: Float64Array.of(NaN) }, { windowMs: 1 })).toThrow(RangeError);
    expect(() => coShareWindows({ ...one, account: Int32Array.of(-2) }, { windowMs: 1 })).toThrow(RangeError);
    expect(() => coShareWindows({ ...one, tsMs: new Float64Array(2) }, { windowMs: 1 })).toThrow(RangeError);
  });

  it("agrees with the brute-force definition when pairs meet again and again, with tied gaps", () => {
    // coarse times and few accounts: pairs repeat across objects and within one, and equal gaps are common, so the
    // evidence must be the first closest co-share in (object, time) order, as the brute force takes it
    const cols = denseShares(seededRng(23), 6_000, { objects: 90, accounts: 60, ticks: 400, tickMs: 50 });
    for (const windowMs of [0, 100, 1000]) {
      for (const maxPartnersPerShare of [undefined, 7]) {
        const opts: CoShareOptions = { windowMs, markRows: true };
        if (maxPartnersPerShare !== undefined) opts.maxPartnersPerShare = maxPartnersPerShare;
        const r = coShareWindows(cols, opts);
        if (windowMs === 1000 && maxPartnersPerShare === undefined)
          expect(r.totals.sharePairs).toBeGreaterThan(3 * r.totals.pairs);
        expectAgrees(cols, opts, r);
      }
    }
  });

  it("grows its columns past the first guess, fresh or in a scratch", () => {
    // 100 accounts in one burst: 4,950 pairs from 100 shares
    const n = 100;
    const cols: ShareColumns = {
      object: new Int32Array(n),
      account: Int32Array.from({ length: n }, (_, i) => (i * 7) % n),
      tsMs: Float64Array.from({ length: n }, (_, i) => i % 13),
    };
    const scratch = new WalkScratch();
    for (const opts of [
      { windowMs: 20 },
      { windowMs: 20, scratch },
      { windowMs: 5, scratch },
    ] as CoShareOptions[]) {
      const r = coShareWindows(cols, opts);
      if (opts.windowMs === 20) expect(r.totals.pairs).toBe((n * (n - 1)) / 2);
      expectAgrees(cols, opts, r);
    }
  });

  it("counts the objects of a narrower window in the same walk as a walk at that window does", () => {
    const next = seededRng(41);
    for (let round = 0; round < 120; round++) {
      const n = 2 + Math.floor(next() * 120);
      const cols = randomShares(next, n, round % 2 === 0);
      const windowMs = [10, 30, 100, 500][round % 4]!;
      const fastWindowMs = [0, Math.floor(windowMs / 6), Math.floor(windowMs / 2), windowMs][
        (round >> 2) % 4
      ]!;
      const opts: CoShareOptions = { windowMs, evidence: round % 3 !== 0 };
      if (round % 5 === 1) opts.maxPartnersPerShare = 1 + Math.floor(next() * 4);
      const both = coShareWindows(cols, { ...opts, fastWindowMs });
      const alone = coShareWindows(cols, { ...opts, windowMs: fastWindowMs });
      const fastOf = new Map(Array.from(alone.a, (a, k) => [`${a}-${alone.b[k]}`, alone.objects[k]!]));
      const got = new Map<string, number>();
      both.a.forEach((a, k) => {
        if (both.fastObjects![k]! > 0) got.set(`${a}-${both.b[k]}`, both.fastObjects![k]!);
      });
      expect(got).toEqual(fastOf);
      // the rest of the result is the walk's at the window
      expect(both.totals).toEqual(coShareWindows(cols, opts).totals);
    }
    const one = { object: Int32Array.of(0), account: Int32Array.of(0), tsMs: Float64Array.of(0) };
    expect(() => coShareWindows(one, { windowMs: 10, fastWindowMs: 11 })).toThrow(RangeError);
  });

  it("walks account ids far sparser than the shares, as the same shares with dense ids", () => {
    const next = seededRng(43);
    const cols = randomShares(next, 300, true);
    // ids up to 2^31 - 1, in the same order as the dense ones
    const sparse = { ...cols, account: cols.account.map((a) => 2 ** 31 - 1 - (20 - a) * 50_000_000) };
    const opts: CoShareOptions = { windowMs: 100, markRows: true };
    const r = coShareWindows(sparse, opts);
    expectAgrees(sparse, opts, r);
    expect(r.a.length).toBeGreaterThan(3);
  });

  it("counts lone shares and left-out rows in the totals, sorted input or not", () => {
    const cols: ShareColumns = {
      object: Int32Array.of(5, 1, 5, 9, 1, 7),
      account: Int32Array.of(1, 2, 3, 4, 5, 6),
      tsMs: Float64Array.of(0, 1, 2, 3, 4, 5),
    };
    const r = coShareWindows(cols, { windowMs: 10 });
    expect(r.totals).toMatchObject({ rows: 6, objects: 4, pairs: 2, sharePairs: 2 });
    const masked = coShareWindows(cols, { windowMs: 10, include: Uint8Array.of(1, 1, 0, 1, 1, 1) });
    expect(masked.totals).toMatchObject({ rows: 5, objects: 4, pairs: 1, sharePairs: 1 });
    const sorted: ShareColumns = {
      object: Int32Array.of(1, 1, 5, 5, 7, 9),
      account: Int32Array.of(2, 5, 1, 3, 6, 4),
      tsMs: Float64Array.of(1, 4, 0, 2, 5, 3),
    };
    expect(coShareWindows(sorted, { windowMs: 10 }).totals).toEqual(r.totals);
  });

  it("finds the same pairs without evidence, when the sort keeps no rows", () => {
    const next = seededRng(29);
    for (let round = 0; round < 40; round++) {
      const cols = randomShares(next, 50 + Math.floor(next() * 400), round % 2 === 0);
      const windowMs = [0, 10, 100][round % 3]!;
      const summary = (r: CoShareResult) =>
        Array.from(r.a, (a, k) => `${a}-${r.b[k]}:${r.sharePairs[k]}:${r.objects[k]}`).sort();
      const without = coShareWindows(cols, { windowMs, evidence: false });
      expect(without.evidence).toBeUndefined();
      expect(summary(without)).toEqual(summary(coShareWindows(cols, { windowMs })));
    }
  });
});
