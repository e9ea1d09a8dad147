/**
 * Crowd moments: bursts in which a crowd reacted to one moment at human speed (a goal, a push notification:
 * thousands of people over 40 s), rather than accounts acting in the same few seconds. Two of a moment's accounts
 * 30 s apart did not act together, and those who post only when something happens (fans who post only when their
 * team scores) are in every such moment whatever their activity, which the chance model of activity (groups.ts)
 * cannot know: taken whole, the moments of a tournament tied 770,000 pairs of 3,000 such fans, and made five
 * "campaigns" of them. For the pairs, a crowd moment is cut into seconds, and a pair's shared seconds there are judged
 * given that both took part in the moment.
 */
import { firstUnitAt, type Activity, type Burst } from "./bursts.js";
import { groupCount, groupsByAccount, type ByAccount, type Groups } from "./groups.js";

/**
 * Whether a burst is a crowd moment: longer than `width` (the widest window) and of more than `crowd` accounts. A
 * unit, or fifteen amplifiers reposting their leader within 2-8 s, is a burst of its own, however long.
 */
export const isCrowdMoment = (b: Burst, width: number, crowd: number): boolean =>
  b.end - b.start > width && b.accounts > crowd;

/** The groups of the pair test: bursts, and crowd moments cut into slices. */
export interface BurstSlices {
  slices: Burst[];
  /** Per slice, the index (into `crowds`) of the crowd moment it was cut from, or -1 for a whole burst. */
  crowdOf: Int32Array;
  /** The bursts cut into slices (indexes into the bursts), ascending. */
  crowds: number[];
}

/**
 * The bursts as groups of who acted together: a burst is one group, except a crowd moment (`isCrowdMoment`), which
 * is cut into slices of `slice` seconds (the narrowest window) from its start.
 */
export function burstSlices(
  act: Activity,
  bursts: Burst[],
  width: number,
  slice: number,
  crowd: number,
): BurstSlices {
  const slices: Burst[] = [];
  const crowdOf: number[] = [];
  const crowds: number[] = [];
  bursts.forEach((b, g) => {
    if (!isCrowdMoment(b, width, crowd)) {
      slices.push(b);
      crowdOf.push(-1);
      return;
    }
    crowds.push(g);
    for (let s = b.start; s < b.end; s += slice) {
      const e = Math.min(b.end, s + slice);
      slices.push({
        ...b,
        start: s,
        end: e,
        unitStart: firstUnitAt(act, s - act.origin),
        unitEnd: firstUnitAt(act, e - act.origin),
      });
      crowdOf.push(crowds.length - 1);
    }
  });
  return { slices, crowdOf: Int32Array.from(crowdOf), crowds };
}

/**
 * Groups of a pair test that are slices of crowd moments, judged given the moment rather than by activity: two
 * accounts that both took part in a moment share one of its slices with probability sum_s (k_s / k)^2 (k accounts in
 * the moment, k_s in slice s), whatever their activity. That is what each moment they share adds to a pair's
 * expectation (`sharedChance`), and its slices add nothing to the activity model's S2.
 */
export interface CrowdSlices {
  /** Per group, the crowd moment it is a slice of, or -1 for a group that is a whole burst. */
  crowdOf: Int32Array;
  /** Per crowd moment, the chance that two of its accounts share one of its slices. */
  chance: Float64Array;
  /** The crowd moments each account took part in. */
  byCrowd: ByAccount;
  /** The sum of the chances of the crowd moments both accounts took part in. */
  sharedChance(a: number, b: number): number;
}

/**
 * The crowd moments of a pair test: `crowds` (indexes into the groups `whole`, the bursts) were cut into the slices
 * `slices`, slice g being of crowd moment `crowdOf[g]` (-1 for a group that is a whole burst).
 */
export function crowdSlices(
  whole: Groups,
  crowds: number[],
  slices: Groups,
  crowdOf: Int32Array,
  accounts: number,
): CrowdSlices {
  const chance = new Float64Array(crowds.length);
  for (let g = 0; g < groupCount(slices); g++) {
    const c = crowdOf[g]!;
    if (c < 0) continue;
    const k = whole.offsets[crowds[c]! + 1]! - whole.offsets[crowds[c]!]!;
    const ks = slices.offsets[g + 1]! - slices.offsets[g]!;
    // an account that posted in several of the moment's seconds is in several slices: the sum can pass 1
    if (k > 0) chance[c] = Math.min(1, chance[c]! + (ks / k) ** 2);
  }
  const cut = new Set(crowds);
  const byCrowd = groupsByAccount(
    someGroups(whole, (g) => cut.has(g)),
    accounts,
  );
  const { offsets, group } = byCrowd;
  return {
    crowdOf,
    chance,
    byCrowd,
    sharedChance(a, b) {
      // both lists of moments ascend
      let i = offsets[a]!;
      let j = offsets[b]!;
      let sum = 0;
      while (i < offsets[a + 1]! && j < offsets[b + 1]!) {
        const x = group[i]!;
        const y = group[j]!;
        if (x === y) {
          sum += chance[x]!;
          i++;
          j++;
        } else if (x < y) i++;
        else j++;
      }
      return sum;
    },
  };
}

/** The groups of `g` that `keep` keeps, in order. */
export function someGroups(g: Groups, keep: (group: number) => boolean): Groups {
  const offsets = [0];
  const account: number[] = [];
  for (let grp = 0; grp < groupCount(g); grp++) {
    if (!keep(grp)) continue;
    for (let i = g.offsets[grp]!; i < g.offsets[grp + 1]!; i++) account.push(g.account[i]!);
    offsets.push(account.length);
  }
  return { offsets: Int32Array.from(offsets), account: Int32Array.from(account) };
}
