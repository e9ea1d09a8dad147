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
import { PairIndex } from "../../stats/pair-index.js";
import { benjaminiHochberg, logPoissonUpperTail } from "../../stats/poisson.js";

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
): PairTest {
  const table = new PairIndex();
  let cap = 1024;
  let pa: Int32Array = new Int32Array(cap);
  let pb: Int32Array = new Int32Array(cap);
  let pn: Int32Array = new Int32Array(cap);
  let first: Int32Array = new Int32Array(cap);
  let pairs = 0;
  let hypotheses = 0;
  let s2 = 0;
  let groupsCapped = 0;
  let pairsDropped = 0;
  for (let grp = 0; grp < groupCount(g); grp++) {
    const k = g.offsets[grp + 1]! - g.offsets[grp]!;
    hypotheses += (k * (k - 1)) / 2;
    s2 += k * k;
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
    for (let i = 0; i < members.length; i++) {
      const x = members[i]!;
      for (let j = i + 1; j < members.length; j++) {
        const y = members[j]!;
        const at = table.get(x, y);
        if (at >= 0) {
          pn[at]!++;
          continue;
        }
        if (pairs >= p.maxPairs) {
          pairsDropped++;
          continue;
        }
        if (pairs === cap) {
          cap *= 2;
          pa = grow(pa, cap);
          pb = grow(pb, cap);
          pn = grow(pn, cap);
          first = grow(first, cap);
        }
        table.set(x, y, pairs);
        pa[pairs] = x;
        pb[pairs] = y;
        pn[pairs] = 1;
        first[pairs] = grp;
        pairs++;
      }
    }
  }
  const keep: number[] = [];
  for (let i = 0; i < pairs; i++) if (pn[i]! >= p.minShared) keep.push(i);
  const out: PairTest = {
    a: Int32Array.from(keep, (i) => pa[i]!),
    b: Int32Array.from(keep, (i) => pb[i]!),
    n: Int32Array.from(keep, (i) => pn[i]!),
    expected: new Float64Array(keep.length),
    logP: new Float64Array(keep.length),
    firstGroup: Int32Array.from(keep, (i) => first[i]!),
    hypotheses,
    groupsCapped,
    pairsDropped,
  };
  const w2 = totalWeight * totalWeight;
  for (let i = 0; i < keep.length; i++) {
    const e = (weight[out.a[i]!]! * weight[out.b[i]!]! * s2) / w2;
    out.expected[i] = e;
    out.logP[i] = Math.min(0, logPoissonUpperTail(out.n[i]!, e) - logPoissonUpperTail(1, e));
  }
  return out;
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

/** The groups two accounts share, ascending, with each one's member index in the group (the first `limit`). */
export function sharedGroups(
  by: ByAccount,
  a: number,
  b: number,
  limit = Infinity,
): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  let i = by.offsets[a]!;
  let j = by.offsets[b]!;
  const ie = by.offsets[a + 1]!;
  const je = by.offsets[b + 1]!;
  while (i < ie && j < je && out.length < limit) {
    const x = by.group[i]!;
    const y = by.group[j]!;
    if (x === y) {
      out.push([x, by.member[i]!, by.member[j]!]);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out;
}
