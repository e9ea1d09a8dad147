import { describe, expect, it } from "vitest";
import { groups } from "../../../test/helpers/sync-seconds.js";
import { seededRng } from "../detector.js";
import { groupsByAccount, sharedGroups, testAccounts, testPairs, type ByAccount } from "./groups.js";

/** The shared groups of a and b as triples (group, member of a, member of b), the first `limit`. */
function shared(by: ByAccount, a: number, b: number, limit = 1000): number[][] {
  const out = new Int32Array(3 * limit);
  const n = sharedGroups(by, a, b, limit, out);
  return Array.from({ length: n }, (_, k) => Array.from(out.subarray(3 * k, 3 * k + 3)));
}

describe("sharedGroups", () => {
  it("lists the groups two accounts share, ascending, with each one's place in the group, up to a limit", () => {
    // groups 0..4; accounts 1 and 2 share groups 1, 3 and 4
    const g = groups([
      [1, 5],
      [2, 1, 6],
      [2, 7],
      [6, 7, 1, 2],
      [1, 2],
    ]);
    const by = groupsByAccount(g, 8);
    // members are indices into the flat list: group 1 holds 2 at 2 and 1 at 3; group 3 holds 1 at 9 and 2 at 10
    expect(shared(by, 1, 2)).toEqual([
      [1, 3, 2],
      [3, 9, 10],
      [4, 11, 12],
    ]);
    expect(shared(by, 2, 1, 2)).toEqual([
      [1, 2, 3],
      [3, 10, 9],
    ]);
    expect(shared(by, 5, 7)).toEqual([]);
    // into a reused buffer: what it wrote before past the count stays, and is not counted
    const out = new Int32Array(6).fill(-9);
    expect(sharedGroups(by, 1, 2, 2, out)).toBe(2);
    expect(Array.from(out)).toEqual([1, 3, 2, 3, 9, 10]);
    expect(sharedGroups(by, 6, 7, 2, out)).toBe(1);
    expect(Array.from(out.subarray(0, 3))).toEqual([3, 7, 8]);
  });

  it("finds the same shared groups as a walk of both lists one group at a time, on lists long and short", () => {
    const rng = seededRng(11);
    // 400 groups over 30 accounts: a few accounts in most groups (fans), most in a few, so that lists of very
    // different lengths meet
    const lists: number[][] = [];
    for (let grp = 0; grp < 400; grp++) {
      const members = new Set<number>();
      for (let a = 0; a < 30; a++) if (rng() < (a < 4 ? 0.8 : a < 10 ? 0.2 : 0.03)) members.add(a);
      lists.push([...members]);
    }
    const g = groups(lists);
    const by = groupsByAccount(g, 30);
    const walk = (a: number, b: number, limit: number): number[][] => {
      const out: number[][] = [];
      for (let grp = 0; grp < lists.length && out.length < limit; grp++) {
        const ia = lists[grp]!.indexOf(a);
        const ib = lists[grp]!.indexOf(b);
        if (ia >= 0 && ib >= 0) out.push([grp, g.offsets[grp]! + ia, g.offsets[grp]! + ib]);
      }
      return out;
    };
    let compared = 0;
    for (let a = 0; a < 30; a++) {
      for (let b = 0; b < 30; b++) {
        if (a === b) continue;
        for (const limit of [1, 5, 1000]) {
          expect(shared(by, a, b, limit), `${a} ${b} ${limit}`).toEqual(walk(a, b, limit));
          compared += shared(by, a, b, limit).length;
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
  });
});

describe("testPairs", () => {
  // the larger case meets tens of thousands of pairs, so the pair index grows many times on the way
  it.each([
    { accounts: 30, groupCount: 40, maxSize: 8 },
    { accounts: 400, groupCount: 120, maxSize: 60 },
  ])(
    "counts shared groups exactly as brute force does ($accounts accounts)",
    ({ accounts, groupCount, maxSize }) => {
      const rng = seededRng(4);
      const lists: number[][] = [];
      for (let g = 0; g < groupCount; g++) {
        const set = new Set<number>();
        const k = 2 + Math.floor(rng() * maxSize);
        while (set.size < k) set.add(Math.floor(rng() * accounts));
        lists.push([...set]);
      }
      const g = groups(lists);
      const count = new Int32Array(accounts);
      for (const l of lists) for (const a of l) count[a]!++;
      const weight = new Int32Array(accounts).fill(10);
      const t = testPairs(g, count, () => true, weight, 10 * accounts, {
        minShared: 2,
        maxMembersPerGroup: 100,
        maxPairs: 1e6,
      });
      // brute force: every pair's count and the group it first met in, in the order pairs were first met
      const brute = new Map<string, { n: number; first: number }>();
      lists.forEach((l, grp) => {
        const sorted = [...l].sort((x, y) => x - y);
        for (const x of sorted)
          for (const y of sorted) {
            if (x >= y) continue;
            const seen = brute.get(`${x}-${y}`);
            if (seen) seen.n++;
            else brute.set(`${x}-${y}`, { n: 1, first: grp });
          }
      });
      const expected = [...brute].filter(([, p]) => p.n >= 2);
      expect(t.a.length).toBe(expected.length);
      expect(Array.from(t.a, (a, i) => `${a}-${t.b[i]} ${t.n[i]} ${t.firstGroup[i]}`)).toEqual(
        expected.map(([k, p]) => `${k} ${p.n} ${p.first}`),
      );
      expect(t.hypotheses).toBe(lists.reduce((s, l) => s + (l.length * (l.length - 1)) / 2, 0));
      // the shared groups of a pair, read back per account, agree
      const by = groupsByAccount(g, accounts);
      expect(Array.from(t.a, (a, i) => shared(by, a, t.b[i]!).length)).toEqual(Array.from(t.n));
    },
  );

  it("stops counting new pairs at the limit where a walk through the groups would, whatever the limit", () => {
    // a walk through the groups in order, pairs of each group's members (those that recur and are eligible, the
    // most recurring when too many) in ascending order, counting pairs until the limit and the meetings of new
    // pairs after it
    const rng = seededRng(11);
    const accounts = 300;
    const lists: number[][] = [];
    for (let g = 0; g < 150; g++) {
      const set = new Set<number>();
      const k = 2 + Math.floor(rng() * (g % 10 === 0 ? 40 : 9));
      while (set.size < k) set.add(Math.floor(rng() * rng() * accounts));
      lists.push([...set]);
    }
    const g = groups(lists);
    const count = new Int32Array(accounts);
    for (const l of lists) for (const a of l) count[a]!++;
    const eligible = (a: number): boolean => a % 7 !== 3;
    const weight = new Int32Array(accounts).fill(10);
    const walk = (maxPairs: number, maxMembers: number) => {
      const pairs = new Map<string, { a: number; b: number; n: number; first: number }>();
      let dropped = 0;
      lists.forEach((l, grp) => {
        let members = l.filter((a) => count[a]! >= 2 && eligible(a));
        if (members.length > maxMembers) {
          members = members.sort((x, y) => count[y]! - count[x]! || x - y).slice(0, maxMembers);
        }
        members.sort((x, y) => x - y);
        for (let i = 0; i < members.length; i++)
          for (let j = i + 1; j < members.length; j++) {
            const key = `${members[i]}-${members[j]}`;
            const seen = pairs.get(key);
            if (seen) seen.n++;
            else if (pairs.size >= maxPairs) dropped++;
            else pairs.set(key, { a: members[i]!, b: members[j]!, n: 1, first: grp });
          }
      });
      return { pairs: [...pairs.values()].filter((q) => q.n >= 2), all: pairs.size, dropped };
    };
    const unlimited = walk(1e9, 1e9);
    expect(unlimited.all).toBeGreaterThan(2000);
    for (const [maxPairs, maxMembers] of [
      [1e9, 1e9],
      [unlimited.all, 1e9],
      [unlimited.all - 1, 1e9],
      [1000, 1e9],
      [333, 1e9],
      [1, 1e9],
      [700, 12],
    ] as const) {
      const expected = walk(maxPairs, maxMembers);
      const t = testPairs(g, count, eligible, weight, 3000, {
        minShared: 2,
        maxMembersPerGroup: maxMembers,
        maxPairs,
      });
      expect(Array.from(t.a, (a, i) => `${a}-${t.b[i]} ${t.n[i]} ${t.firstGroup[i]}`)).toEqual(
        expected.pairs.map((q) => `${q.a}-${q.b} ${q.n} ${q.first}`),
      );
      expect(t.pairsDropped).toBe(expected.dropped);
      if (maxPairs < unlimited.all) expect(t.pairsDropped).toBeGreaterThan(0);
    }
  });

  it("caps a huge burst's recurring members and says so, keeping the pairs that recur most", () => {
    const big = Array.from({ length: 600 }, (_, i) => i);
    const g = groups([big, big.slice(0, 50), big.slice(0, 50)]);
    const count = new Int32Array(600);
    for (const a of big) count[a] = a < 50 ? 3 : 2;
    // every account recurs (in the big burst twice over would be impossible): give the rest a second burst
    const weight = new Int32Array(600).fill(5);
    const t = testPairs(g, count, () => true, weight, 3000, {
      minShared: 2,
      maxMembersPerGroup: 100,
      maxPairs: 1e6,
    });
    expect(t.groupsCapped).toBe(1);
    // the 50 that recur most are all kept: each of their pairs met three times
    const inCore = Array.from(t.a).filter((a, i) => a < 50 && t.b[i]! < 50);
    expect(inCore.length).toBe((50 * 49) / 2);
  });

  it("finds a pair that shares many groups significant and a pair of busy accounts not", () => {
    // accounts 0 and 1 are quiet but always together; 2 and 3 are busy and meet as often as activity predicts
    const lists: number[][] = [];
    for (let g = 0; g < 10; g++) lists.push([0, 1, 10 + g]);
    for (let g = 0; g < 10; g++) lists.push(g < 3 ? [2, 3, 30 + g] : [g % 2 ? 2 : 3, 30 + g]);
    const g = groups(lists);
    const count = new Int32Array(50);
    for (const l of lists) for (const a of l) count[a]!++;
    const weight = new Int32Array(50).fill(20);
    weight[0] = 12;
    weight[1] = 12;
    weight[2] = 800;
    weight[3] = 800;
    const t = testPairs(g, count, () => true, weight, 3000, {
      minShared: 2,
      maxMembersPerGroup: 100,
      maxPairs: 1e6,
    });
    const at = (a: number, b: number): number => Array.from(t.a).findIndex((x, i) => x === a && t.b[i] === b);
    expect(t.logP[at(0, 1)]! / Math.LN10).toBeLessThan(-8);
    expect(t.logP[at(2, 3)]! / Math.LN10).toBeGreaterThan(-2);
  });
});

describe("testAccounts", () => {
  it("expects more bursts of a busier account and flags only the one that joins beyond its activity", () => {
    const lists: number[][] = [];
    for (let g = 0; g < 12; g++) lists.push([0, 1 + g, 20 + g, 40 + g, 60 + g]);
    const g = groups(lists);
    const weight = new Int32Array(100).fill(20);
    weight[0] = 15;
    const t = testAccounts(g, weight, 2000, 3, 0.01);
    expect(t.count[0]).toBe(12);
    expect(t.expected[0]).toBeGreaterThan(0);
    expect(t.expected[0]).toBeLessThan(1);
    expect(t.significant[0]).toBe(1);
    expect(Array.from(t.significant).reduce((s, x) => s + x, 0)).toBe(1);
  });
});
