import { describe, expect, it } from "vitest";
import { background, columns, PARAMS, T } from "../../../test/helpers/sync-seconds.js";
import { seededRng } from "../detector.js";
import { activityUnits, Background, burstMembers, scanBursts } from "./bursts.js";

describe("activityUnits", () => {
  it("counts an account once per second however often it posts, and keeps its posts together", () => {
    const c = columns([
      [1, T + 100],
      [1, T + 900],
      [2, T + 500],
      [1, T + 1100],
    ]);
    const act = activityUnits(c.account, c.tsMs, 3);
    expect(act.n).toBe(3);
    expect(Array.from(act.account)).toEqual([1, 2, 1]);
    expect(Array.from(act.posts)).toEqual([2, 1, 1]);
    expect(Array.from(act.perAccount)).toEqual([0, 2, 1]);
    expect(act.origin % 60).toBe(0);
    expect(act.span).toBe(2);
  });
});

describe("Background", () => {
  it("follows a daily cycle: the rate at a busy hour is several times the rate at a quiet one", () => {
    const rng = seededRng(3);
    const posts: Array<[number, number]> = [];
    for (let h = 0; h < 24; h++) {
      const rate = h < 12 ? 0.1 : 1;
      for (const [a, t] of background(rng, 5000, rate, 3600)) posts.push([a, t + h * 3600_000]);
    }
    const c = columns(posts);
    const bg = new Background(activityUnits(c.account, c.tsMs, 5000), 30);
    expect(bg.rate(6 * 3600)).toBeGreaterThan(0.06);
    expect(bg.rate(6 * 3600)).toBeLessThan(0.15);
    expect(bg.rate(18 * 3600)).toBeGreaterThan(0.8);
    expect(bg.rate(18 * 3600)).toBeLessThan(1.2);
  });

  it("gives the median and trimmed mean of every minute of the hour, silent minutes as zeros", () => {
    // bursty, sparse activity: many silent minutes, some busy ones, near the case's edges too
    const rng = seededRng(12);
    const posts: Array<[number, number]> = [];
    for (let k = 0; k < 4000; k++) {
      const minute = Math.floor(rng() ** 3 * 600);
      posts.push([Math.floor(rng() * 300), T + minute * 60_000 + Math.floor(rng() * 60_000)]);
    }
    const c = columns(posts);
    const act = activityUnits(c.account, c.tsMs, 300);
    const radius = 30;
    const bg = new Background(act, radius);
    // the definition, over a slot for every minute of the case
    const perMinute = new Int32Array(Math.ceil(act.span / 60));
    for (let u = 0; u < act.n; u++) perMinute[Math.floor(act.second[u]! / 60)]!++;
    for (let m = 0; m < perMinute.length; m += 7) {
      const vals = perMinute
        .slice(Math.max(0, m - radius), Math.min(perMinute.length - 1, m + radius) + 1)
        .sort();
      const len = vals.length;
      const median = len % 2 ? vals[(len - 1) / 2]! : (vals[len / 2 - 1]! + vals[len / 2]!) / 2;
      const keep = len - Math.floor(len / 10);
      const trimmed = vals.subarray(0, keep).reduce((x, y) => x + y, 0) / keep;
      const want = Math.max(median / 60, trimmed / 60, act.n / act.span / 10);
      expect(bg.rate(m * 60 + 13)).toBeCloseTo(want, 12);
    }
  });
});

describe("scanBursts", () => {
  it("finds nothing in a Poisson background", () => {
    const c = columns(background(seededRng(7), 3000, 0.8, 6 * 3600));
    const act = activityUnits(c.account, c.tsMs, 3000);
    const scan = scanBursts(act, 3000, PARAMS);
    expect(scan.tested).toBeGreaterThan(0);
    expect(scan.bursts).toEqual([]);
  });

  it("finds a planted same-second burst, trims the 5 s window to its second, and lists its members", () => {
    const posts = background(seededRng(8), 3000, 0.8, 2 * 3600);
    const at = T + 3600_000 + 17_000;
    for (let k = 0; k < 30; k++) posts.push([3000 + k, at + 20 + k * 30]);
    const c = columns(posts);
    const act = activityUnits(c.account, c.tsMs, 3030);
    const scan = scanBursts(act, 3030, PARAMS);
    expect(scan.bursts).toHaveLength(1);
    const b = scan.bursts[0]!;
    expect(b.start).toBe(at / 1000);
    expect(b.end).toBe(at / 1000 + 1);
    expect(b.accounts).toBeGreaterThanOrEqual(30);
    expect(b.expected).toBeLessThan(2);
    const m = burstMembers(act, scan.bursts, 3030);
    const members = Array.from(m.account.subarray(m.offsets[0], m.offsets[1]));
    for (let k = 0; k < 30; k++) expect(members).toContain(3000 + k);
  });

  it("finds a burst in a case whose posts lie 110 years apart, the adapter's whole range of years", () => {
    const posts = background(seededRng(10), 3000, 0.8, 2 * 3600);
    const at = T + 3600_000 + 17_000;
    for (let k = 0; k < 30; k++) posts.push([3000 + k, at + 20 + k * 30]);
    posts.push([1, Date.UTC(1990, 0, 1)], [2, Date.UTC(2100, 11, 31, 23, 59, 59)]);
    const c = columns(posts);
    const act = activityUnits(c.account, c.tsMs, 3030);
    expect(act.span).toBeGreaterThan(2 ** 31);
    const scan = scanBursts(act, 3030, PARAMS);
    expect(scan.bursts.map((b) => [b.start, b.end])).toEqual([[at / 1000, at / 1000 + 1]]);
  });

  it("merges overlapping windows of a burst spread over seconds into one burst", () => {
    const posts = background(seededRng(9), 3000, 0.5, 2 * 3600);
    const at = T + 1800_000;
    for (let k = 0; k < 40; k++) posts.push([3000 + k, at + k * 100]); // 4 seconds
    const c = columns(posts);
    const act = activityUnits(c.account, c.tsMs, 3040);
    const scan = scanBursts(act, 3040, PARAMS);
    expect(scan.bursts).toHaveLength(1);
    expect(scan.bursts[0]!.start).toBe(at / 1000);
    expect(scan.bursts[0]!.end).toBe(at / 1000 + 4);
  });

  it("leaves out of the members an account whose only post in the burst is the original the others reposted", () => {
    const posts: Array<[number, number]> = [[0, T + 500]];
    for (let k = 1; k <= 10; k++) posts.push([k, T + 600 + k * 10]);
    const c = columns(posts);
    const act = activityUnits(c.account, c.tsMs, 11);
    const scan = scanBursts(act, 11, { ...PARAMS, minAccounts: 5 });
    expect(scan.bursts).toHaveLength(1);
    const trigger = Array.from(c.account).indexOf(0);
    const m = burstMembers(act, scan.bursts, 11, (i) => i === trigger);
    expect(m.origins[0]).toEqual([0]);
    expect(Array.from(m.account).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
