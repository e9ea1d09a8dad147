/**
 * Fast reposts: reposts that follow their original within a few seconds. People read before they repost; a
 * repost seconds after the original, again and again, and for most of an account's reposts, is what a script
 * watching an account (or a unit told to amplify it) does. Pure functions over the reposts of load.ts.
 */
import type { RepostColumns } from "./load.js";
import type { Groups } from "./groups.js";

/** Reposts up to this many ms before their original are treated as simultaneous (clock skew). */
const SKEW_MS = 1000;

export interface FastRepostStats {
  /** Reposts per account (whether or not the original's time is known): the activity for the chance model. */
  reposts: Int32Array;
  totalReposts: number;
  /** Reposts whose original's time is known, and those of them within the fast window. */
  timed: Int32Array;
  fast: Int32Array;
  totalTimed: number;
  totalFast: number;
  /** Reposts whose original is missing and whose time could not be derived. */
  untimed: number;
  /** Originals with at least one fast repost; members are the distinct fast reposters. */
  groups: Groups;
  /** Per group: the original (dense id) and per member the repost index (into the reposts) of its fast repost. */
  groupOriginal: Int32Array;
  memberRepost: Int32Array;
  /** Row ids of originals in the case that two or more accounts reposted within the fast window. */
  triggers: Set<number>;
  /** Per account, up to `examples` indexes of its fastest reposts, fastest first. */
  examples: Map<number, number[]>;
}

export function delayMs(r: RepostColumns, i: number): number {
  const o = r.originalMs[i]!;
  if (Number.isNaN(o)) return NaN;
  const d = r.tsMs[i]! - o;
  if (d < -SKEW_MS) return NaN;
  return Math.max(0, d);
}

export function fastReposts(
  r: RepostColumns,
  accounts: number,
  fastMs: number,
  examples: number,
): FastRepostStats {
  const reposts = new Int32Array(accounts);
  const timed = new Int32Array(accounts);
  const fast = new Int32Array(accounts);
  const offsets: number[] = [0];
  const member: number[] = [];
  const memberRepost: number[] = [];
  const groupOriginal: number[] = [];
  const seen = new Int32Array(accounts).fill(-1);
  const fastest = new Map<number, number[]>();
  const triggers = new Set<number>();
  let untimed = 0;
  let totalTimed = 0;
  let totalFast = 0;
  for (let i = 0; i < r.rows;) {
    const o = r.original[i]!;
    let j = i;
    const before = member.length;
    for (; j < r.rows && r.original[j] === o; j++) {
      const a = r.account[j]!;
      reposts[a]!++;
      const d = delayMs(r, j);
      if (Number.isNaN(d)) {
        untimed++;
        continue;
      }
      timed[a]!++;
      totalTimed++;
      if (d > fastMs) continue;
      fast[a]!++;
      totalFast++;
      const list = fastest.get(a) ?? [];
      list.push(j);
      fastest.set(a, list);
      if (seen[a] !== o) {
        seen[a] = o;
        member.push(a);
        memberRepost.push(j);
      }
    }
    if (member.length > before) {
      groupOriginal.push(o);
      offsets.push(member.length);
      const origRow = r.originalRow[i]!;
      if (member.length - before >= 2 && !Number.isNaN(origRow)) triggers.add(origRow);
    }
    i = j;
  }
  for (const [a, list] of fastest) {
    list.sort((x, y) => delayMs(r, x) - delayMs(r, y) || x - y);
    fastest.set(a, list.slice(0, examples));
  }
  let totalReposts = 0;
  for (let a = 0; a < accounts; a++) totalReposts += reposts[a]!;
  return {
    reposts,
    totalReposts,
    timed,
    fast,
    totalTimed,
    totalFast,
    untimed,
    groups: { offsets: Int32Array.from(offsets), account: Int32Array.from(member) },
    groupOriginal: Int32Array.from(groupOriginal),
    memberRepost: Int32Array.from(memberRepost),
    triggers,
    examples: fastest,
  };
}

/** ln P(X >= k) for X ~ Binomial(n, q), summed in log space (n is an account's repost count: small). */
export function logBinomialUpperTail(k: number, n: number, q: number): number {
  if (k <= 0) return 0;
  if (k > n || q <= 0) return -Infinity;
  if (q >= 1) return 0;
  const lq = Math.log(q);
  const l1q = Math.log1p(-q);
  let logC = 0; // ln C(n, j), built up from j = 0
  for (let j = 1; j <= k; j++) logC += Math.log((n - j + 1) / j);
  let acc = -Infinity;
  for (let j = k; j <= n; j++) {
    const term = logC + j * lq + (n - j) * l1q;
    const m = Math.max(acc, term);
    acc = m === -Infinity ? -Infinity : m + Math.log(Math.exp(acc - m) + Math.exp(term - m));
    if (term < acc - 40) break;
    logC += Math.log((n - j) / (j + 1));
  }
  return Math.min(0, acc);
}
