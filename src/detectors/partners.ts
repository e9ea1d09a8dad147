/**
 * The partners an account finding names: how many accounts an account is tied to, and the strongest few of them,
 * each by its strongest tie with the account. Co-share and sync find millions of ties; listing every partner in
 * each finding made long lists that no one reads as lists (at 3M posts, 141 MB of JSON for co-share's 13,006
 * findings, up to 172 KB each, and 99 MB for sync's 3,775), while the case's ties name every one.
 */
import quickselect from "quickselect";
import { pairEntries } from "../stats/adjacency.js";

/** Partners a finding names, strongest tie first; the finding's `partner_count` counts them all. */
export const PARTNERS_SHOWN = 50;

/** Ties as columns: the two accounts (dense ids), the log10 p-value, the count behind it (objects, groups), layer. */
export interface RankedTies {
  a: Int32Array;
  b: Int32Array;
  log10P: Float64Array;
  n: Int32Array;
  layer: Uint8Array;
}

export interface AccountPartners {
  /** Distinct accounts tied to `acc` (a pair tied in several layers counts once). */
  count(acc: number): number;
  /**
   * Up to `PARTNERS_SHOWN` of `acc`'s partners (`partners`, dense ids), each with its strongest tie with `acc`
   * (`ties`, beside it), strongest first: the smallest log10 p-value (not the p-value: those under about 1e-308 are
   * all 0 as doubles), then the largest count, then the partner first by `rank`, then the layer. The order of the
   * ties in the columns never matters.
   */
  strongest(acc: number): { partners: number[]; ties: number[] };
}

/**
 * The partners of the accounts of the first `count` ties, among dense ids 0 .. span - 1. `rank` orders accounts
 * (by key, or by dense id where ids follow the keys) to break ties of equal strength.
 */
export function accountPartners(
  ties: RankedTies,
  count: number,
  span: number,
  rank: Int32Array,
): AccountPartners {
  // each account's run of partners, with beside each entry its tie and the tie's log10 p-value as a float (rounding
  // keeps the order of values that differ, so the ties at most the float k-th smallest include those at most the
  // exact one): selecting on it reads no tie (tens of millions in no useful order), only the few kept are read
  // again, and exactly
  const { start, entries, values32 } = pairEntries(ties.a, ties.b, ties.log10P, count, span);
  const other = (acc: number, t: number): number => (ties.a[t] === acc ? ties.b[t]! : ties.a[t]!);
  let longest = 0;
  for (let acc = 0; acc < span; acc++) longest = Math.max(longest, start[acc + 1]! - start[acc]!);
  const scratch = new Float32Array(longest);
  // partners met in the current count are marked with its number: no clearing between counts, and the same
  // account may be counted again
  const seen = new Int32Array(span);
  let counting = 0;
  return {
    count(acc) {
      counting++;
      let n = 0;
      for (let j = start[acc]!; j < start[acc + 1]!; j++) {
        const p = entries[3 * j]!;
        if (seen[p] !== counting) {
          seen[p] = counting;
          n++;
        }
      }
      return n;
    },
    strongest(acc) {
      const from = start[acc]!;
      const deg = start[acc + 1]! - from;
      // the ties whose p-value is at most the `want`-th smallest, sorted, give `want` of them; a pair tied in
      // several layers is there once per layer, so `want` doubles until they name PARTNERS_SHOWN partners
      for (let want = PARTNERS_SHOWN; ; want = Math.min(deg, 2 * want)) {
        let threshold = Infinity;
        if (deg > want) {
          for (let j = 0; j < deg; j++) scratch[j] = values32[3 * (from + j) + 2]!;
          quickselect(scratch as unknown as number[], want - 1, 0, deg - 1);
          threshold = scratch[want - 1]!;
        }
        // the candidates' tie, partner and what orders them, read from the ties once each (then sorted on these)
        const tie: number[] = [];
        for (let j = from; j < from + deg; j++)
          if (values32[3 * j + 2]! <= threshold) tie.push(entries[3 * j + 1]!);
        const m = tie.length;
        const log10P = new Float64Array(m);
        const n = new Int32Array(m);
        const mate = new Int32Array(m);
        const layer = new Uint8Array(m);
        for (let c = 0; c < m; c++) {
          const t = tie[c]!;
          log10P[c] = ties.log10P[t]!;
          n[c] = ties.n[t]!;
          mate[c] = other(acc, t);
          layer[c] = ties.layer[t]!;
        }
        const order = Array.from({ length: m }, (_, c) => c).sort(
          (x, y) =>
            log10P[x]! - log10P[y]! ||
            n[y]! - n[x]! ||
            rank[mate[x]!]! - rank[mate[y]!]! ||
            layer[x]! - layer[y]!,
        );
        const shown = { partners: [] as number[], ties: [] as number[] };
        const mates = new Set<number>();
        for (const c of order) {
          if (mates.has(mate[c]!)) continue;
          mates.add(mate[c]!);
          shown.partners.push(mate[c]!);
          shown.ties.push(tie[c]!);
          if (shown.ties.length === PARTNERS_SHOWN) break;
        }
        if (shown.ties.length === PARTNERS_SHOWN || m === deg) return shown;
      }
    },
  };
}
