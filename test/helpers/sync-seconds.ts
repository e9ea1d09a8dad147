/**
 * Posts as the sync detector's kernels read them, for their unit tests: (account, ms) pairs in load.ts's order,
 * a Poisson background, and groups of accounts from plain lists.
 */
import type { Groups } from "../../src/detectors/sync/groups.js";

/** Posts as (account, ms) pairs, sorted the way load.ts sorts them: by second, then account, then time. */
export function columns(posts: Array<[number, number]>): { account: Int32Array; tsMs: Float64Array } {
  const sorted = [...posts].sort(
    (x, y) => Math.floor(x[1] / 1000) - Math.floor(y[1] / 1000) || x[0] - y[0] || x[1] - y[1],
  );
  return { account: Int32Array.from(sorted, (p) => p[0]), tsMs: Float64Array.from(sorted, (p) => p[1]) };
}

/** The start of the tests' posts. */
export const T = Date.UTC(2024, 0, 1);
/** The burst scan's parameters the tests use. */
export const PARAMS = { windows: [1, 5], minAccounts: 5, alpha: 0.01, backgroundMinutes: 30 };

/** A Poisson background: `accounts` accounts, `perSecond` posts per second on average, for `seconds`. */
export function background(
  rng: () => number,
  accounts: number,
  perSecond: number,
  seconds: number,
): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let t = 0;
  for (;;) {
    t += (-Math.log(1 - rng()) / perSecond) * 1000;
    if (t >= seconds * 1000) return out;
    out.push([Math.floor(rng() * accounts), T + t]);
  }
}

/** Groups (bursts, or fast reposts of one original) from lists of their accounts. */
export function groups(lists: number[][]): Groups {
  const offsets = [0];
  const account: number[] = [];
  for (const l of lists) {
    account.push(...l);
    offsets.push(account.length);
  }
  return { offsets: Int32Array.from(offsets), account: Int32Array.from(account) };
}
