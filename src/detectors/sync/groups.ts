/**
 * Who keeps turning up together: accounts and pairs of accounts in groups (sync bursts, or the fast reposters of
 * one original), tested against a slot model of chance.
 *
 * Chance model: a group of k distinct accounts fills its k places by drawing accounts in proportion to their
 * overall activity w (account-seconds for bursts, reposts for fast reposts), out of a total W. An account then
 * joins a group with probability 1 - exp(-k w / W); its expected number of groups is the sum over groups, and the
 * p-value of its count is a Poisson tail (conservative against the Poisson-binomial it approximates). For a pair,
 * the expected number of shared groups is sum_g (k_g w_a / W)(k_g w_b / W) = w_a w_b S2 / W^2 with S2 = sum k_g^2
 * (the linear form overstates each probability, so it errs towards chance), and the p-value is conditional on the
 * pair having met once, since only pairs that met are enumerated: P(X >= n | X >= 1). Benjamini-Hochberg runs
 * over all accounts, and over every pair that met (bounded by sum_g k_g (k_g - 1) / 2).
 *
 * This differs from a configuration model on group participation on purpose: when one unit makes most of the
 * bursts, its members' participation would "explain" their co-occurrence. Activity is what an organic account
 * brings to a burst; a unit member brings far more bursts than its activity can.
 */
import { benjaminiHochberg, logPoissonUpperTail } from "../../stats/poisson.js";
import type { CrowdSlices } from "./crowds.js";

export interface Groups {
  /** Members of group g are [offsets[g], offsets[g + 1]). */
  offsets: Int32Array;
  account: Int32Array;
}

export interface AccountTest {
  /** Groups each account is in. */
  count: Int32Array;
  expected: Float64Array;
  logP: Float64Array;
  significant: Uint8Array;
}

export function groupCount(g: Groups): number {
  return g.offsets.length - 1;
}

/**
 * p-values for every account in at least `minTest` groups; the false-discovery control runs over those in at
 * least `minGroups` (the others can never be flagged).
 */
export function testAccounts(
  g: Groups,
  weight: Int32Array,
  totalWeight: number,
  minGroups: number,
  alpha: number,
  minTest = minGroups,
): AccountTest {
  const n = weight.length;
  const count = new Int32Array(n);
  for (let i = 0; i < g.account.length; i++) count[g.account[i]!]!++;
  // groups by size, so that the expectation costs distinct sizes, not groups, per account
  const sizes = new Map<number, number>();
  for (let b = 0; b < groupCount(g); b++) {
    const k = g.offsets[b + 1]! - g.offsets[b]!;
    sizes.set(k, (sizes.get(k) ?? 0) + 1);
  }
  const bySize = [...sizes].sort((x, y) => x[0] - y[0]);
  const expected = new Float64Array(n);
  const logP = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    if (count[a]! < Math.min(minTest, minGroups)) continue;
    let e = 0;
    for (const [k, times] of bySize) e += times * -Math.expm1((-k * weight[a]!) / totalWeight);
    expected[a] = e;
    logP[a] = logPoissonUpperTail(count[a]!, e);
  }
  const eligible = logP.map((lp, a) => (count[a]! >= minGroups ? lp : 0));
  return { count, expected, logP, significant: benjaminiHochberg(eligible, alpha, n) };
}

export interface PairParams {
  minShared: number;
  maxMembersPerGroup: number;
  maxPairs: number;
}

export interface PairTest {
  a: Int32Array;
  b: Int32Array;
  /** Groups shared. */
  n: Int32Array;
  expected: Float64Array;
  logP: Float64Array;
  /** The first group the pair shared (for an example). */
  firstGroup: Int32Array;
  /** Pairs that met at most (the FDR denominator). */
  hypotheses: number;
  /** Groups whose recurring members were cut to maxMembersPerGroup; pairs not counted for maxPairs. */
  groupsCapped: number;
  pairsDropped: number;
}

/**
 * Pairs of accounts that share at least `minShared` groups. Only accounts in that many groups can, and of them
 * only those `eligible` are paired (the caller's choice: for bursts, accounts whose own participation is already
 * unlikely by chance, which leaves out the crowds of viral moments and bounds the work).
 */
export function testPairs(
  g: Groups,
  count: Int32Array,
  eligible: (account: number) => boolean,
  weight: Int32Array,
  totalWeight: number,
  p: PairParams,
  crowds?: CrowdSlices,
): PairTest {
  const accounts = count.length;
  const groups = groupCount(g);
  // each group's members that can make a tie, ascending
  const offsets = new Int32Array(groups + 1);
  const kept: number[] = [];
  let hypotheses = 0;
  let s2 = 0;
  let groupsCapped = 0;
  for (let grp = 0; grp < groups; grp++) {
    const k = g.offsets[grp + 1]! - g.offsets[grp]!;
    hypotheses += (k * (k - 1)) / 2;
    if (crowds === undefined || crowds.crowdOf[grp]! < 0) s2 += k * k;
    let members: number[] = [];
    for (let i = g.offsets[grp]!; i < g.offsets[grp + 1]!; i++) {
      const acc = g.account[i]!;
      if (count[acc]! >= p.minShared && eligible(acc)) members.push(acc);
    }
    if (members.length > p.maxMembersPerGroup) {
      // keep the accounts that recur most (ties by id): they are the ones that can make a tie
      members.sort((x, y) => count[y]! - count[x]! || x - y);
      members = members.slice(0, p.maxMembersPerGroup);
      groupsCapped++;
    }
    members.sort((x, y) => x - y);
    for (const m of members) kept.push(m);
    offsets[grp + 1] = kept.length;
  }
  const member: Groups = { offsets, account: Int32Array.from(kept) };
  const sweep = new PairSweep(member, accounts);

  // The pairs are numbered in the order a walk through the groups would first meet them: by the first group they
  // share, then by their two accounts. Past `maxPairs` such pairs, the rest are not counted. Where the limit falls
  // is found from the number of pairs that first meet in each group.
  const firstMet = new Float64Array(groups);
  sweep.run((_x, _y, _n, first) => firstMet[first]!++, false);
  let lastGroup = groups; // pairs first met in a later group are not counted
  let roomInLast = 0; // how many of those first met in lastGroup are
  let before = 0;
  for (let grp = 0; grp < groups; grp++) {
    if (before + firstMet[grp]! > p.maxPairs) {
      lastGroup = grp;
      roomInLast = p.maxPairs - before;
      break;
    }
    before += firstMet[grp]!;
  }

  let pa: Int32Array = new Int32Array(1024);
  let pb: Int32Array = new Int32Array(1024);
  let pn: Int32Array = new Int32Array(1024);
  let pf: Int32Array = new Int32Array(1024);
  let pairs = 0;
  let pairsDropped = 0;
  let inLast = 0;
  sweep.run((x, y, n, first) => {
    if (first > lastGroup || (first === lastGroup && inLast++ >= roomInLast)) {
      pairsDropped += n;
      return;
    }
    if (n < p.minShared) return;
    if (pairs === pa.length) {
      pa = grow(pa, 2 * pairs);
      pb = grow(pb, 2 * pairs);
      pn = grow(pn, 2 * pairs);
      pf = grow(pf, 2 * pairs);
    }
    pa[pairs] = x;
    pb[pairs] = y;
    pn[pairs] = n;
    pf[pairs] = first;
    pairs++;
  });
  // the sweep gives pairs by account; a stable counting sort by first group puts them in the walk's order
  const start = new Int32Array(groups + 1);
  for (let i = 0; i < pairs; i++) start[pf[i]! + 1]!++;
  for (let grp = 0; grp < groups; grp++) start[grp + 1]! += start[grp]!;
  const out: PairTest = {
    a: new Int32Array(pairs),
    b: new Int32Array(pairs),
    n: new Int32Array(pairs),
    expected: new Float64Array(pairs),
    logP: new Float64Array(pairs),
    firstGroup: new Int32Array(pairs),
    hypotheses,
    groupsCapped,
    pairsDropped,
  };
  for (let i = 0; i < pairs; i++) {
    const at = start[pf[i]!]!++;
    out.a[at] = pa[i]!;
    out.b[at] = pb[i]!;
    out.n[at] = pn[i]!;
    out.firstGroup[at] = pf[i]!;
  }
  const w2 = totalWeight * totalWeight;
  for (let i = 0; i < pairs; i++) {
    let e = (weight[out.a[i]!]! * weight[out.b[i]!]! * s2) / w2;
    if (crowds !== undefined) e += crowds.sharedChance(out.a[i]!, out.b[i]!);
    out.expected[i] = e;
    out.logP[i] = Math.min(0, logPoissonUpperTail(out.n[i]!, e) - logPoissonUpperTail(1, e));
  }
  return out;
}

/**
 * Every pair of accounts that share a group, with how many groups they share and the first: for each account x in
 * turn, the accounts after it in each of its groups are counted in arrays indexed by account. At 10M posts the
 * groups' 270M pair meetings went through a hash table of pairs, a cache miss each (22 s of sync's 31 s); counts
 * by account stay in cache, and a pass takes a second or two.
 */
class PairSweep {
  private readonly by: ByAccount;
  private readonly count: Int32Array;
  private readonly first: Int32Array;
  private readonly met: Int32Array;

  constructor(
    private readonly g: Groups,
    accounts: number,
  ) {
    this.by = groupsByAccount(g, accounts);
    this.count = new Int32Array(accounts);
    this.first = new Int32Array(accounts);
    this.met = new Int32Array(accounts);
  }

  /** Calls `visit` once per pair x < y, in order of x and then y (when `ordered`; of x only otherwise). */
  run(visit: (x: number, y: number, n: number, first: number) => void, ordered = true): void {
    const { by, count, first, met } = this;
    const { offsets, account } = this.g;
    const accounts = count.length;
    for (let x = 0; x < accounts; x++) {
      let m = 0;
      // x's groups ascending, so a pair's first shared group is the first that counts it
      for (let k = by.offsets[x]!; k < by.offsets[x + 1]!; k++) {
        const grp = by.group[k]!;
        const end = offsets[grp + 1]!;
        for (let j = by.member[k]! + 1; j < end; j++) {
          const y = account[j]!;
          if (count[y]! === 0) {
            met[m++] = y;
            first[y] = grp;
          }
          count[y]!++;
        }
      }
      if (m === 0) continue;
      const ys = ordered ? met.subarray(0, m).sort() : met;
      for (let i = 0; i < m; i++) {
        const y = ys[i]!;
        visit(x, y, count[y]!, first[y]!);
        count[y] = 0;
      }
    }
  }
}

function grow(a: Int32Array, cap: number): Int32Array {
  const g = new Int32Array(cap);
  g.set(a);
  return g;
}

/** Groups each account is in. */
export function membership(g: Groups, accounts: number): Int32Array {
  const count = new Int32Array(accounts);
  for (let i = 0; i < g.account.length; i++) count[g.account[i]!]!++;
  return count;
}

/** For each account, the groups it is in (ascending) and its position among each group's members. */
export interface ByAccount {
  offsets: Int32Array;
  group: Int32Array;
  /** Index into the groups' flat member arrays. */
  member: Int32Array;
}

export function groupsByAccount(g: Groups, accounts: number): ByAccount {
  const count = membership(g, accounts);
  const offsets = new Int32Array(accounts + 1);
  for (let a = 0; a < accounts; a++) offsets[a + 1] = offsets[a]! + count[a]!;
  const fill = offsets.slice(0, accounts);
  const group = new Int32Array(g.account.length);
  const member = new Int32Array(g.account.length);
  for (let grp = 0; grp < groupCount(g); grp++) {
    for (let i = g.offsets[grp]!; i < g.offsets[grp + 1]!; i++) {
      const at = fill[g.account[i]!]!++;
      group[at] = grp;
      member[at] = i;
    }
  }
  return { offsets, group, member };
}

/**
 * The groups two accounts share, ascending (the first `limit`): writes each one's group and the two accounts'
 * member indices in it to `out` (three numbers each, from 0; room for `limit` groups) and returns how many it
 * wrote. No array per group: sync looks up millions of ties.
 */
export function sharedGroups(by: ByAccount, a: number, b: number, limit: number, out: Int32Array): number {
  let n = 0;
  let i = by.offsets[a]!;
  let j = by.offsets[b]!;
  const ie = by.offsets[a + 1]!;
  const je = by.offsets[b + 1]!;
  while (i < ie && j < je && n < limit) {
    const x = by.group[i]!;
    const y = by.group[j]!;
    if (x === y) {
      out[3 * n] = x;
      out[3 * n + 1] = by.member[i]!;
      out[3 * n + 2] = by.member[j]!;
      n++;
      i++;
      j++;
    } else if (x < y) i = seek(by.group, i, ie, y);
    else j = seek(by.group, j, je, x);
  }
  return n;
}

/**
 * The first index in (lo, hi] whose group is at least `v`, when `group[lo] < v` and groups ascend from lo to hi:
 * found by galloping from lo, so that a pair of accounts whose lists of groups are long and share few (fans share
 * hundreds of bursts) skips its runs of groups the other lacks in a few steps rather than one by one.
 */
function seek(group: Int32Array, lo: number, hi: number, v: number): number {
  let k = lo;
  let step = 1;
  while (k + step < hi && group[k + step]! < v) {
    k += step;
    step *= 2;
  }
  // group[k] < v, and past k + step (or at hi) the groups are at least v
  let l = k + 1;
  let h = Math.min(k + step, hi);
  while (l < h) {
    const m = (l + h) >>> 1;
    if (group[m]! < v) l = m + 1;
    else h = m;
  }
  return l;
}
