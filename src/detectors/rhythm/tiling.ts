/**
 * From single shift-shaped accounts to organised shifts: cohorts (accounts whose blocks start and end at the same
 * times of day), rotas (two to four cohorts whose blocks follow one another around the clock with little overlap:
 * "three shifts round the clock"), and the time zone in which a rota's schedule reads as an organisation's: shift
 * changes on the hour, one common weekly day off (and, when more zones fit that equally, which ones).
 */
import { type Block, QUARTER_MIN, QUARTERS, densestBlock } from "./profile.js";
import { localWeekday } from "./schedule.js";
import { ZONES, offWholeHour, wrapMinutes } from "./zones.js";

export interface ShiftAccount {
  start: number;
  length: number;
  /** Daily profile, 96 quarter-hours UTC. */
  profile: ArrayLike<number>;
  /** UTC weekdays (of the shift's start) that are days off. */
  daysOff: number[];
}

export interface Cohort {
  /** Indices into the accounts given to `formCohorts`, ascending. */
  members: number[];
  /** The block of the members' pooled profile. */
  block: Block;
}

export interface Rota {
  /** Indices into the cohorts, in the order their shifts follow one another. */
  cohorts: number[];
  /** Quarter-hours of gap or overlap at the seams, summed, and at the widest seam. */
  seams: number;
  widestSeam: number;
  /** Quarter-hours of the day covered by at least one cohort's block. */
  coverage: number;
  /** Quarter-hours covered by more than one (summed). */
  overlap: number;
  members: number;
}

export interface ZoneReading {
  offset: number;
  /** Other offsets that explain the schedule equally well. */
  alternatives: number[];
  /** Whether the evidence singles this offset out; false when others fit as well (listed in `alternatives`). */
  determined: boolean;
  /** Why this offset (plain language). */
  basis: string;
  /** The local weekdays (0 = Monday) most members take off, ascending; empty when none. */
  daysOff: number[];
  /** Members whose days off are among those, of those with a day off. */
  dayOffAgreement: { agree: number; withDayOff: number };
}

const circ = (a: number, b: number): number => {
  const d = (((a - b) % QUARTERS) + QUARTERS) % QUARTERS;
  return Math.min(d, QUARTERS - d);
};

/** Signed circular difference b - a in (-48, 48]. */
const signed = (a: number, b: number): number => {
  const d = (((b - a) % QUARTERS) + QUARTERS) % QUARTERS;
  return d > QUARTERS / 2 ? d - QUARTERS : d;
};

/**
 * Greedy cohorts: the account with the most others whose block starts and ends within `tolerance` quarter-hours
 * of its own seeds a cohort of those still unassigned; repeat. Deterministic (ties go to the lower index).
 */
export function formCohorts(
  accounts: ShiftAccount[],
  tolerance: number,
  minLen: number,
  maxLen: number,
): Cohort[] {
  const n = accounts.length;
  const end = accounts.map((a) => (a.start + a.length) % QUARTERS);
  // accounts that both keep days off must share one: Friday-off shift workers and a Saturday-Sunday office
  // worker whose hours happen to match are not one cohort
  const restCompatible = (i: number, j: number): boolean => {
    const a = accounts[i]!.daysOff;
    const b = accounts[j]!.daysOff;
    return a.length === 0 || b.length === 0 || a.some((d) => b.includes(d));
  };
  // both edges within the tolerance and the lengths too: a person's chance 10-hour window that overlaps an 8-hour
  // shift by an hour at each end is not on that shift
  const near = (i: number, j: number): boolean =>
    circ(accounts[i]!.start, accounts[j]!.start) <= tolerance &&
    circ(end[i]!, end[j]!) <= tolerance &&
    Math.abs(accounts[i]!.length - accounts[j]!.length) <= tolerance &&
    restCompatible(i, j);
  // accounts alike in start, length and days off are alike to `near`, so it is asked once per pair of kinds, and
  // each kind keeps how many unassigned accounts are near it: counting every account's neighbours over every
  // account for each cohort took 218 s for 6,720 accounts in 840 cohorts
  const kindOf = new Int32Array(n);
  const kindMembers: number[][] = [];
  const kindIndex = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const a = accounts[i]!;
    const key = `${a.start}|${a.length}|${a.daysOff.join(",")}`;
    let k = kindIndex.get(key);
    if (k === undefined) {
      k = kindMembers.push([]) - 1;
      kindIndex.set(key, k);
    }
    kindOf[i] = k;
    kindMembers[k]!.push(i);
  }
  const kinds = kindMembers.length;
  const nearKinds: number[][] = kindMembers.map((x) =>
    kindMembers.flatMap((y, ky) => (near(x[0]!, y[0]!) ? [ky] : [])),
  );
  const left = Int32Array.from(kindMembers, (m) => m.length);
  // unassigned accounts near each kind's (its own included, as `near` holds for an account and itself)
  const nearCount = Int32Array.from(nearKinds, (ks) => ks.reduce((c, k) => c + left[k]!, 0));
  const firstLeft = new Int32Array(kinds);
  const assigned = new Uint8Array(n);
  const out: Cohort[] = [];
  for (;;) {
    // the seed: the most unassigned accounts near it, the lower index among equals
    let seed = -1;
    let seedCount = -1;
    for (let k = 0; k < kinds; k++) {
      if (left[k] === 0) continue;
      const list = kindMembers[k]!;
      while (assigned[list[firstLeft[k]!]!]) firstLeft[k]!++;
      const first = list[firstLeft[k]!]!;
      if (nearCount[k]! > seedCount || (nearCount[k] === seedCount && first < seed)) {
        seed = first;
        seedCount = nearCount[k]!;
      }
    }
    if (seed < 0) break;
    const near0: number[] = [];
    for (const k of nearKinds[kindOf[seed]!]!)
      for (const j of kindMembers[k]!) if (!assigned[j]) near0.push(j);
    near0.sort((x, y) => x - y);
    // members must also agree with the days off most of the cohort keeps, not only with the seed's: a seed
    // without detectable days off would otherwise bridge a Friday-off shift and Saturday-Sunday offices
    const votes = new Int32Array(7);
    for (const j of near0) for (const d of accounts[j]!.daysOff) votes[d]!++;
    const top = Math.max(...votes);
    const prevailing = top > 0 ? [0, 1, 2, 3, 4, 5, 6].filter((d) => votes[d]! * 2 >= top) : [];
    const members = near0.filter((j) => {
      const off = accounts[j]!.daysOff;
      return (
        j === seed || off.length === 0 || prevailing.length === 0 || off.some((d) => prevailing.includes(d))
      );
    });
    for (const j of members) {
      assigned[j] = 1;
      left[kindOf[j]!]!--;
      for (const k of nearKinds[kindOf[j]!]!) nearCount[k]!--;
    }
    const pooled = new Float64Array(QUARTERS);
    for (const j of members) for (let q = 0; q < QUARTERS; q++) pooled[q]! += accounts[j]!.profile[q]!;
    out.push({ members, block: densestBlock(pooled, minLen, maxLen)! });
  }
  return out;
}

export interface RotaOptions {
  minCohort: number;
  /** Largest gap or overlap, in quarter-hours, where one cohort's block ends and the next one's starts. */
  maxSeam: number;
  /** Fewest quarter-hours of the day the rota must cover. */
  minCoverage: number;
  /** Most quarter-hours covered twice, summed over the rota. */
  maxOverlap: number;
}

/**
 * Rotas among cohorts of at least `minCohort` members: the tightest seams first, then the largest, each cohort in at
 * most one rota.
 */
export function findRotas(cohorts: Cohort[], opts: RotaOptions): Rota[] {
  const eligible = cohorts
    .map((c, i) => ({ i, c }))
    .filter((x) => x.c.members.length >= opts.minCohort)
    .sort((x, y) => y.c.members.length - x.c.members.length || x.i - y.i)
    .slice(0, 40)
    .map((x) => x.i);
  const candidates: Rota[] = [];
  const pick = (from: number, chosen: number[]): void => {
    if (chosen.length >= 2) {
      const r = asRota(cohorts, chosen, opts);
      if (r) candidates.push(r);
    }
    if (chosen.length === 4) return;
    for (let k = from; k < eligible.length; k++) pick(k + 1, [...chosen, eligible[k]!]);
  };
  pick(0, []);
  // the tightest seams first (one rota hands over on the minute; chance neighbours do not), then the largest
  candidates.sort(
    (x, y) =>
      x.seams - y.seams ||
      y.members - x.members ||
      y.coverage - x.coverage ||
      x.overlap - y.overlap ||
      String([...x.cohorts].sort((a, b) => a - b)).localeCompare(
        String([...y.cohorts].sort((a, b) => a - b)),
      ),
  );
  const used = new Set<number>();
  const out: Rota[] = [];
  for (const r of candidates) {
    if (r.cohorts.some((c) => used.has(c))) continue;
    r.cohorts.forEach((c) => used.add(c));
    out.push(r);
  }
  return out;
}

function asRota(cohorts: Cohort[], chosen: number[], opts: RotaOptions): Rota | null {
  const order = [...chosen].sort((a, b) => cohorts[a]!.block.start - cohorts[b]!.block.start || a - b);
  const cover = new Uint8Array(QUARTERS);
  let lengths = 0;
  let seams = 0;
  let widestSeam = 0;
  for (let k = 0; k < order.length; k++) {
    const b = cohorts[order[k]!]!.block;
    const next = cohorts[order[(k + 1) % order.length]!]!.block;
    const seam = Math.abs(signed((b.start + b.length) % QUARTERS, next.start));
    if (seam > opts.maxSeam) return null;
    seams += seam;
    widestSeam = Math.max(widestSeam, seam);
    lengths += b.length;
    for (let q = b.start; q < b.start + b.length; q++) cover[q % QUARTERS] = 1;
  }
  let coverage = 0;
  for (let q = 0; q < QUARTERS; q++) coverage += cover[q]!;
  const overlap = lengths - coverage;
  if (coverage < opts.minCoverage || overlap > opts.maxOverlap) return null;
  const members = order.reduce((n, c) => n + cohorts[c]!.members.length, 0);
  return { cohorts: order, seams, widestSeam, coverage, overlap, members };
}

/**
 * The zone in which a rota reads as one organisation's schedule. Criteria in order: the most cohorts whose shift
 * starts and ends fall on a whole local hour; the most members whose days off fall on the same local weekdays. Offsets
 * tied on both fit the schedule equally, and nothing else in the timing tells them apart: a unit's rest day pins its
 * local midnight only to the eight hours before the first shift it skips, and a shift change at local midnight is
 * a habit of some organisations (00-08-16), not of others (06-14-22), so preferring it named UTC-05:00 for a Berlin
 * rota. When more than one offset ties, the reading says so (`determined` false) and shows the one nearest UTC,
 * the others as alternatives; within the tie the members' rest falls on the same local weekday, so that is named.
 */
export function rotaZone(
  blocks: Block[],
  members: Array<{ startMin: number; daysOff: number[] }>,
): ZoneReading {
  const withDayOff = members.filter((m) => m.daysOff.length > 0).length;
  const scored = ZONES.map(({ offset: z }) => {
    let whole = 0;
    for (const b of blocks) {
      if (offWholeHour(b.start * QUARTER_MIN + z) === 0) whole++;
      if (offWholeHour((b.start + b.length) * QUARTER_MIN + z) === 0) whole++;
    }
    // the local days off most members keep, as a set (a Saturday-Sunday rest is not half a Friday-Saturday one),
    // and the members whose days off are among them (one whose second day did not show still agrees)
    const local = members
      .filter((m) => m.daysOff.length > 0)
      .map((m) => [...new Set(m.daysOff.map((w) => localWeekday(w, m.startMin, z)))].sort((x, y) => x - y));
    const votes = new Map<string, number>();
    for (const days of local) votes.set(String(days), (votes.get(String(days)) ?? 0) + 1);
    let days: number[] = [];
    let most = 0;
    for (const [k, n] of votes) {
      if (n > most || (n === most && k < String(days))) {
        most = n;
        days = k.split(",").map(Number);
      }
    }
    const agree = local.filter((d) => d.every((x) => days.includes(x))).length;
    return { z, key: [whole, agree], days, agree, whole };
  });
  const top = scored.reduce((a, b) => (compareKeys(b.key, a.key) > 0 ? b : a)).key;
  // the tied offsets, the one nearest UTC first (west before east at equal distance)
  const tied = scored
    .filter((s) => compareKeys(s.key, top) === 0)
    .sort((a, b) => Math.abs(a.z) - Math.abs(b.z) || a.z - b.z);
  const b = tied[0]!;
  const reasons: string[] = [];
  if (b.whole > 0) reasons.push(`${b.whole} of ${2 * blocks.length} shift starts and ends on the hour`);
  if (b.agree > 0)
    reasons.push(`${b.agree} of ${withDayOff} members with days off take the same local days off`);
  let basis: string;
  if (reasons.length === 0) basis = "no zone fits better than another; shown at the one nearest UTC";
  else if (tied.length === 1) basis = `the rota reads best there (${reasons.join("; ")})`;
  else
    basis =
      `${reasons.join(" and ")} in each of ${tied.length} zones, and the timing cannot tell them apart; ` +
      "shown at the one nearest UTC";
  return {
    offset: b.z,
    alternatives: tied
      .slice(1)
      .map((t) => t.z)
      .sort((x, y) => x - y),
    determined: tied.length === 1,
    basis,
    daysOff: b.agree > 0 ? b.days : [],
    dayOffAgreement: { agree: b.agree, withDayOff },
  };
}

/**
 * The zone in which a single block reads as a day shift: edges on whole local hours (both if any zone does that,
 * else one) and the middle of the block nearest 12:30, the nearer to UTC on a tie. A night shift in another zone fits the same posts equally well, and explanations say so.
 */
export function dayShiftZone(block: Block): ZoneReading {
  const s0 = block.start * QUARTER_MIN;
  const e0 = (block.start + block.length) * QUARTER_MIN;
  const mid = s0 + (block.length * QUARTER_MIN) / 2;
  const both = ZONES.filter((z) => offWholeHour(s0 + z.offset) === 0 && offWholeHour(e0 + z.offset) === 0);
  const either = ZONES.filter((z) => offWholeHour(s0 + z.offset) === 0 || offWholeHour(e0 + z.offset) === 0);
  const whole = both.length > 0 ? both : either;
  const pool = whole.length > 0 ? whole : ZONES;
  let best = pool[0]!.offset;
  let bestKey = [Infinity, Infinity];
  for (const { offset } of pool) {
    const local = wrapMinutes(mid + offset);
    // 12:30 is the middle of both 08:00-17:00 readings people give office hours (08-16 and 09-17)
    const key = [Math.min(Math.abs(local - 750), 1440 - Math.abs(local - 750)), Math.abs(offset)];
    if (key[0]! < bestKey[0]! || (key[0] === bestKey[0] && key[1]! < bestKey[1]!)) {
      best = offset;
      bestKey = key;
    }
  }
  return {
    offset: best,
    alternatives: [],
    determined: false,
    basis:
      whole.length > 0
        ? `reads as a day shift there (${both.length > 0 ? "both edges" : "one edge"} on the hour, midday near the middle); a night shift elsewhere fits equally`
        : "reads as a day shift there; no zone puts an edge on the hour",
    daysOff: [],
    dayOffAgreement: { agree: 0, withDayOff: 0 },
  };
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i]! !== b[i]!) return a[i]! > b[i]! ? 1 : -1;
  }
  return 0;
}
