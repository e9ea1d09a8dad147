/**
 * Creation dates that are not creations: what a source writes in their place (its collection time, one placeholder
 * instant), and dates given to the month. Each makes every account it touches look created at once.
 */

const DAY_MS = 86_400_000;

/**
 * Instants that at least two accounts' dates shown impossible (after their first post) fall at: a source's
 * placeholder or its collection time, which it also wrote for accounts whose posts happen to come later. Left at
 * it, 500 accounts stamped with one collection time lost the 481 that had posted before it, and the other 19 made a
 * "burst" of accounts created in one second.
 */
export function placeholderInstants(impossible: Iterable<number>): Set<number> {
  const seen = new Set<number>();
  const out = new Set<number>();
  for (const t of impossible) {
    if (seen.has(t)) out.add(t);
    else seen.add(t);
  }
  return out;
}

/**
 * The instant that half or more of the accounts' dates share (ten at least), or null: a source that wrote one time,
 * its collection time, for every account it gave. Registering an account takes a person or a script seconds at
 * least, on one connection or phone number each; half a case created in one millisecond is not a factory.
 */
export function stampInstant(t: Float64Array, minShare = 0.5, minCount = 10): number | null {
  const counts = new Map<number, number>();
  for (const x of t) counts.set(x, (counts.get(x) ?? 0) + 1);
  for (const [x, c] of counts) if (c >= minCount && c >= minShare * t.length) return x;
  return null;
}

/**
 * The local calendar date of a date given to the day, read at the time of day `tod` it falls at (midnight in some
 * zone): a zone east of UTC has its midnight the UTC day before, from 12:00 UTC on.
 */
function localDate(x: number): Date {
  return new Date(x + DAY_MS / 2);
}

/**
 * The share of `t` (dates given to the day) that fall on the first of a month, in the zone whose midnight they mark.
 * Near 1/30 for days; 1 for a source that gives the month only (a profile page's "Joined March 2019", stored as
 * 2019-03-01).
 */
export function firstOfMonthShare(t: Iterable<number>): number {
  let n = 0;
  let first = 0;
  for (const x of t) {
    n++;
    if (localDate(x).getUTCDate() === 1) first++;
  }
  return n > 0 ? first / n : 0;
}

/** `2019-03` for a date given to the month (read as `firstOfMonthShare` reads it). */
export function monthOf(x: number): string {
  return localDate(x).toISOString().slice(0, 7);
}

/** `2019-03-05` for a date given to the day (read as `firstOfMonthShare` reads it). */
export function dayOf(x: number): string {
  return localDate(x).toISOString().slice(0, 10);
}
