/**
 * Crowd moments: cutting them into seconds, judging a pair's shared seconds given the moment, and end to end a
 * tournament whose fans post only when their team scores, each goal bringing hundreds of them within 40 s, beside a
 * unit that reposts its leader within seconds. The fans are in every goal's burst whatever their activity, and must
 * not be tied to one another; the unit must.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { background, columns, groups, PARAMS, T } from "../../../test/helpers/sync-seconds.js";
import type { CaseStore } from "../../store/case.js";
import { seededRng } from "../detector.js";
import { runDetectors, type DetectorRun } from "../run.js";
import { caseOf, DAY, HOUR, key, MINUTE, PostLog, SECOND, T0 } from "../../../test/helpers/posts.js";
import { tempDir } from "../../../test/helpers/tmp.js";
import { activityUnits, burstMembers, scanBursts } from "./bursts.js";
import { burstSlices, crowdSlices } from "./crowds.js";
import { testPairs } from "./groups.js";

describe("burstSlices", () => {
  it("cuts a crowd moment into seconds, and keeps a unit's burst and a small group's longer one whole", () => {
    const posts = background(seededRng(9), 3000, 0.8, 2 * 3600);
    // a goal: 400 accounts over 40 s; a unit: 30 in one second; 40 amplifiers reposting their leader over 10 s
    const goal = T + 1800_000;
    for (let k = 0; k < 400; k++) posts.push([4000 + k, goal + Math.floor(seededRng(k)() * 40_000)]);
    const unit = T + 3600_000;
    for (let k = 0; k < 30; k++) posts.push([5000 + k, unit + k * 30]);
    const amp = T + 5400_000;
    for (let k = 0; k < 40; k++) posts.push([6000 + k, amp + 2000 + k * 250]);
    const c = columns(posts);
    const act = activityUnits(c.account, c.tsMs, 6040);
    const scan = scanBursts(act, 6040, PARAMS);
    const long = scan.bursts.filter((b) => b.end - b.start > 5);
    expect(long.map((b) => b.accounts > 100).sort()).toEqual([false, true]);
    const cut = burstSlices(act, scan.bursts, 5, 1, 100);
    expect(cut.crowds.map((g) => scan.bursts[g]!.accounts > 100)).toEqual(cut.crowds.map(() => true));
    const crowd = scan.bursts[cut.crowds[0]!]!;
    expect(crowd.start).toBeGreaterThanOrEqual(goal / 1000);
    expect(crowd.end).toBeLessThanOrEqual(goal / 1000 + 41);
    const pieces = cut.slices.filter((_, i) => cut.crowdOf[i] === 0);
    expect(pieces).toHaveLength(crowd.end - crowd.start);
    for (const [i, p] of pieces.entries())
      expect([p.start, p.end]).toEqual([crowd.start + i, crowd.start + i + 1]);
    // every other burst is one group, as it was
    const whole = cut.slices.filter((_, i) => cut.crowdOf[i] === -1);
    expect(whole).toEqual(scan.bursts.filter((_, g) => !cut.crowds.includes(g)));
    // the members of the slices are the moment's members, each in the seconds it posted in
    const m = burstMembers(act, pieces, 6040);
    const inSlices = new Set(m.account);
    for (let k = 0; k < 400; k++)
      if (posts.some((p) => p[0] === 4000 + k && p[1] >= crowd.start * 1000 && p[1] < crowd.end * 1000))
        expect(inSlices.has(4000 + k)).toBe(true);
  });
});

describe("testPairs in crowd moments", () => {
  // 12 crowd moments of 400 accounts each, cut into 20 one-second slices; accounts 0 and 1 post only at the moments
  // (like every fan there), and 2 and 3 post in the same second of each; a pair's shared seconds are judged given
  // that both took part, at sum (k_s / k)^2 = 1/20 per moment
  const rng = seededRng(6);
  const moments: number[][] = [];
  const slices: number[][] = [];
  const crowdOf: number[] = [];
  for (let m = 0; m < 12; m++) {
    const members = [0, 1, 2, 3];
    while (members.length < 400) members.push(4 + Math.floor(rng() * 3000));
    const unique = [...new Set(members)];
    moments.push(unique);
    const bySecond: number[][] = Array.from({ length: 20 }, () => []);
    const paired = Math.floor(rng() * 20);
    for (const a of unique) bySecond[a === 2 || a === 3 ? paired : Math.floor(rng() * 20)]!.push(a);
    for (const s of bySecond) {
      slices.push(s);
      crowdOf.push(m);
    }
  }
  const accounts = 3004;
  const whole = groups(moments);
  const sliced = groups(slices);
  const crowds = crowdSlices(
    whole,
    moments.map((_, m) => m),
    sliced,
    Int32Array.from(crowdOf),
    accounts,
  );
  const count = new Int32Array(accounts);
  for (const l of slices) for (const a of l) count[a]!++;
  // every account posts once per moment it is in: its activity is all at the moments
  const weight = count;
  const total = slices.reduce((n, l) => n + l.length, 0);
  const params = { minShared: 2, maxMembersPerGroup: 1000, maxPairs: 1e7 };
  const find = (t: ReturnType<typeof testPairs>, a: number, b: number): number => {
    for (let i = 0; i < t.a.length; i++) if (t.a[i] === a && t.b[i] === b) return i;
    return -1;
  };

  it("takes a pair's shared seconds in crowd moments at the moments' own chance, not the activity model's", () => {
    expect(crowds.chance[0]).toBeGreaterThan(0.04);
    expect(crowds.chance[0]).toBeLessThan(0.07);
    const judged = testPairs(sliced, count, (a) => a < 4, weight, total, params, crowds);
    const byActivity = testPairs(sliced, count, (a) => a < 4, weight, total, params);
    // 2 and 3 share a second at every moment: far beyond 1/20 of the twelve
    const tied = find(judged, 2, 3);
    expect(judged.n[tied]).toBe(12);
    expect(judged.logP[tied]! / Math.LN10).toBeLessThan(-8);
    // a pair of fans that shares a second now and then is what the moments explain; the activity model, which
    // spreads their posts over the case, made it look like a unit
    for (const [a, b] of [
      [0, 1],
      [0, 2],
      [1, 3],
    ] as const) {
      const i = find(judged, a, b);
      if (i < 0) continue;
      expect(judged.expected[i]).toBeGreaterThan(0.5);
      expect(judged.logP[i]! / Math.LN10).toBeGreaterThan(-3);
      expect(byActivity.expected[find(byActivity, a, b)]!).toBeLessThan(judged.expected[i]! / 5);
    }
  });
});

describe("sync on a tournament's crowd moments beside a unit", () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: CaseStore;
  const fans: string[] = [];
  const unit: string[] = [];

  async function sync(params: Record<string, unknown> = {}): Promise<DetectorRun> {
    const { runs } = await runDetectors(store, {
      only: ["sync"],
      params: { sync: params },
      now: new Date("2024-06-01T00:00:00Z"),
    });
    return runs[0]!;
  }
  beforeAll(async () => {
    tmp = tempDir();
    const rng = seededRng(7);
    const log = new PostLog();
    // 1,000 people posting through the day, six days
    for (let a = 0; a < 1000; a++) {
      for (let i = 0; i < 40; i++) {
        const t = T0 + Math.floor(rng() * 6 * DAY);
        log.add(`person${a}`, new Date(t).getUTCHours() < 6 ? t + 8 * HOUR : t);
      }
    }
    // six matches, three goals each; at each goal 70% of 600 fans post within 40 s, most 10-25 s after it
    for (let f = 0; f < 600; f++) fans.push(`fan${f}`);
    for (let m = 0; m < 6; m++) {
      for (const g of [25, 60, 100]) {
        const goal = T0 + m * DAY + 19 * HOUR + (g + Math.floor(rng() * 10)) * MINUTE;
        for (const f of fans) {
          if (rng() >= 0.7) continue;
          const reaction = 5 + Math.abs((rng() + rng() + rng()) / 3 - 0.2) * 60;
          log.add(f, goal + Math.floor(reaction * SECOND), { text: `GOAL ${m} ${g}` });
        }
      }
    }
    // a unit of 15 reposting its leader 1-3 s after each of 20 posts
    for (let u = 0; u < 15; u++) unit.push(`unit${u}`);
    for (let e = 0; e < 20; e++) {
      const t = T0 + Math.floor((e / 20) * 6 * DAY) + 9 * HOUR + Math.floor(rng() * 4 * HOUR);
      const orig = log.add("leader", t);
      for (const u of unit) log.add(u, t + SECOND + Math.floor(rng() * 2 * SECOND), { repostOf: orig });
    }
    ({ store } = await caseOf(tmp, log.posts, "tournament"));
  }, 120_000);
  afterAll(() => {
    store.close();
    tmp.cleanup();
  });

  // Guards a fixed bug: each goal's burst was one group, so that fans who post only at goals were "in the same
  // bursts again and again" (3,000 such fans made 770,000 significant ties and five campaigns).
  it("ties no fan to another, calls a flagged fan weak and says its bursts were crowd moments", async () => {
    const run = await sync();
    const fan = new Set(fans.map(key));
    const fanTies = run.result.edges.filter(
      (e) => e.evidence["tier"] !== "chance" && (fan.has(e.a) || fan.has(e.b)),
    );
    expect(fanTies).toEqual([]);
    const flaggedFans = run.result.findings.filter((f) => fan.has(f.subject));
    expect(flaggedFans.length).toBeGreaterThan(fans.length / 4);
    for (const f of flaggedFans) {
      expect(f.strength).toBe("weak");
      expect(f.explanation).toMatch(
        /no account in particular beyond chance, and all of the bursts were crowd moments \(more than 100 accounts over more than 5 s/,
      );
    }
    const members = new Set(unit.map(key));
    for (const u of unit) {
      const f = run.result.findings.find((x) => x.subject === key(u))!;
      expect(f.strength).toBe("strong");
      const partners = f.evidence["partners"] as string[];
      expect(partners.filter((p) => members.has(p))).toHaveLength(unit.length - 1);
    }
  });

  it("ties the fans when each goal's burst is taken whole, as it was", async () => {
    const run = await sync({ crowdAccounts: 1_000_000 });
    const fan = new Set(fans.map(key));
    const fanTies = run.result.edges.filter(
      (e) => e.evidence["significant"] === true && fan.has(e.a) && fan.has(e.b),
    );
    expect(fanTies.length).toBeGreaterThan(100);
  });
});

describe("sync on a botnet whose storms are crowd moments", () => {
  // Guards a fixed bug: only accounts standing out in bursts other than crowd moments were paired, and a botnet
  // whose every burst is a storm of 200 (longer than the widest window, more than crowdAccounts) had no pair tested
  let tmp: ReturnType<typeof tempDir>;
  let store: CaseStore;
  const bots: string[] = [];
  beforeAll(async () => {
    tmp = tempDir();
    const rng = seededRng(7);
    const log = new PostLog();
    for (let a = 0; a < 1000; a++)
      for (let i = 0; i < 40; i++) log.add(`person${a}`, T0 + Math.floor(rng() * 6 * DAY));
    // a scheduler fires 12 storms over six days; bot i posts i * 50 ms after each start, so that bots close in the
    // order share a second in most storms, and bots twenty or more apart in none
    for (let b = 0; b < 200; b++) bots.push(`bot${b}`);
    for (let s = 0; s < 12; s++) {
      const t = T0 + Math.floor((s / 12) * 6 * DAY) + 3 * HOUR + Math.floor(rng() * 3 * HOUR);
      bots.forEach((b, i) => log.add(b, t + i * 50, { text: `storm ${s} ${i}` }));
    }
    ({ store } = await caseOf(tmp, log.posts, "storms"));
  }, 120_000);
  afterAll(() => {
    store.close();
    tmp.cleanup();
  });

  it("ties the bots that share a second in most storms, and none that never do", async () => {
    const { runs } = await runDetectors(store, { only: ["sync"], now: new Date("2024-06-01T00:00:00Z") });
    const r = runs[0]!.result;
    expect(r.counts["crowd_moments"]).toBeGreaterThanOrEqual(12);
    const index = new Map(bots.map((b, i) => [key(b), i]));
    const ties = r.edges.filter(
      (e) => e.evidence["significant"] === true && index.has(e.a) && index.has(e.b),
    );
    const apart = (e: { a: string; b: string }): number => Math.abs(index.get(e.a)! - index.get(e.b)!);
    // bots at most 5 apart (250 ms) share a second in three storms of four or more: 985 such pairs
    expect(ties.filter((e) => apart(e) <= 5).length).toBeGreaterThan(985 / 2);
    expect(ties.filter((e) => apart(e) >= 20)).toEqual([]);
    for (const b of bots) expect(r.findings.find((f) => f.subject === key(b))?.strength).toBe("strong");
  });
});
