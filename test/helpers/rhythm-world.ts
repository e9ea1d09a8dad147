/**
 * A world for the rhythm detector, four weeks from Wednesday 2024-05-01 UTC:
 *
 * - `unit`: a shift unit working from Tehran (UTC+03:30), three cohorts on 00:00-08:00, 08:00-16:00 and
 *   16:00-24:00 local time, every member off on Fridays (local), each posting independently at random times
 *   inside its shift (no synchrony);
 * - `ordinary`: people with smooth days in several zones (quiet at night, a lunch bump, an evening peak), later
 *   and busier at the weekend;
 * - `nightShift`: people whose whole day is moved by 10 to 12 hours (they sleep in the morning), still smooth;
 * - `bots`: news feeds posting round the clock;
 * - `office`: people posting only in office hours, 09:00-17:00 Monday to Friday (in New York, UTC-04:00, unless
 *   other zones are given);
 * - `sparse`: accounts with too few posts to judge.
 */
import { seededRng } from "../../src/detectors/detector.js";
import { DAY, HOUR, MINUTE, PostLog, type JsonlPost } from "./posts.js";

export const RHYTHM_T0 = Date.UTC(2024, 4, 1, 0, 0, 0, 0);
export const TEHRAN = 210;

export interface RhythmWorld {
  posts: JsonlPost[];
  unit: string[];
  cohorts: string[][];
  ordinary: string[];
  nightShift: string[];
  bots: string[];
  office: string[];
  sparse: string[];
}

export interface RhythmWorldOptions {
  seed?: number;
  days?: number;
  /** Members per cohort. */
  cohortSize?: number;
  /** Which of the three shifts (0: 00-08, 1: 08-16, 2: 16-24 Tehran time) the unit staffs (default all). */
  shifts?: number[];
  /** Mean posts per working day of a unit member. */
  unitRate?: number;
  ordinary?: number;
  /** Prefix of every account id (to merge worlds without clashes). */
  prefix?: string;
  /** Prefix of every post id. */
  postPrefix?: string;
  log?: PostLog;
  /** Zones of the office workers, in turn (default New York in summer, UTC-04:00). */
  officeZones?: number[];
  /** Night-shift workers, news bots, office workers and sparse accounts (default 3, 2, 1, 8). */
  extras?: { nightShift: number; bots: number; office: number; sparse: number };
}

/** Relative activity by local hour for people: asleep 01-07, a lunch bump, the evening peak at 21:00. */
const PEOPLE = [
  0.5, 0.25, 0.12, 0.08, 0.06, 0.08, 0.2, 0.5, 0.8, 0.9, 1, 1.05, 1.3, 1.1, 1, 1, 1.1, 1.25, 1.45, 1.65, 1.85,
  1.95, 1.6, 1.0,
];
/** At the weekend: up later, busier in the afternoon and late evening. */
const WEEKEND = [
  0.9, 0.6, 0.3, 0.12, 0.06, 0.05, 0.06, 0.12, 0.3, 0.6, 0.9, 1.1, 1.3, 1.4, 1.5, 1.5, 1.5, 1.5, 1.6, 1.7,
  1.8, 1.9, 1.7, 1.3,
];
const ZONES = [-300, -240, 0, 60, 120, 180, 210, 330, 480];

export function rhythmWorld(o: RhythmWorldOptions = {}): RhythmWorld {
  const rng = seededRng(o.seed ?? 11);
  const days = o.days ?? 28;
  const log = o.log ?? new PostLog();
  const prefix = o.prefix ?? "";
  const ids = (name: string, n: number): string[] =>
    Array.from({ length: n }, (_, i) => `${prefix}${name}${i + 1}`);
  const poisson = (mean: number): number => {
    const l = Math.exp(-mean);
    let k = 0;
    let p = rng();
    while (p > l) {
      k++;
      p *= rng();
    }
    return k;
  };
  const fromCurve = (curve: number[]): number => {
    const total = curve.reduce((a, b) => a + b, 0);
    let u = rng() * total;
    for (let h = 0; h < 24; h++) {
      u -= curve[h]!;
      if (u < 0) return h * HOUR + Math.floor(rng() * HOUR);
    }
    return 23 * HOUR + Math.floor(rng() * HOUR);
  };
  /** Local weekday (0 = Monday) of a local day index counted from RHYTHM_T0 (a Wednesday). */
  const weekday = (d: number): number => (d + 2) % 7;

  // the shift unit
  const cohortSize = o.cohortSize ?? 5;
  const shifts = o.shifts ?? [0, 1, 2];
  const cohorts = shifts.map((c) => ids(`shift${c + 1}_`, cohortSize));
  cohorts.forEach((members, k) => {
    const c = shifts[k]!;
    for (const acc of members) {
      const rate = (o.unitRate ?? 8) * (0.6 + 0.8 * rng());
      // local day d starts at RHYTHM_T0 + d days - 03:30 in UTC
      for (let d = 0; d < days; d++) {
        if (weekday(d) === 4) continue;
        const shiftStart = RHYTHM_T0 + d * DAY - TEHRAN * MINUTE + c * 8 * HOUR;
        const n = poisson(rate);
        for (let i = 0; i < n; i++) log.add(acc, shiftStart + Math.floor(rng() * 8 * HOUR));
      }
    }
  });

  const person = (acc: string, zone: number, perDay: number, shiftHours: number): void => {
    for (let d = 0; d < days; d++) {
      const weekend = weekday(d) >= 5;
      const n = poisson(perDay * (weekend ? 1.3 : 1));
      for (let i = 0; i < n; i++) {
        const local = (fromCurve(weekend ? WEEKEND : PEOPLE) + shiftHours * HOUR) % DAY;
        log.add(acc, RHYTHM_T0 + d * DAY - zone * MINUTE + local);
      }
    }
  };
  const ordinary = ids("person", o.ordinary ?? 60);
  ordinary.forEach((acc, i) => person(acc, ZONES[i % ZONES.length]!, 1.5 + rng() * 8, 0));
  const extras = o.extras ?? { nightShift: 3, bots: 2, office: 1, sparse: 8 };
  const nightShift = ids("nightworker", extras.nightShift);
  nightShift.forEach((acc, i) => person(acc, ZONES[(i * 4) % ZONES.length]!, 3 + rng() * 4, 10 + i));

  const bots = ids("newsbot", extras.bots);
  for (const acc of bots) {
    for (let t = RHYTHM_T0 + Math.floor(rng() * HOUR); t < RHYTHM_T0 + days * DAY;) {
      log.add(acc, t);
      t += Math.floor(20 * MINUTE + rng() * 40 * MINUTE);
    }
  }

  const office = ids("officeworker", extras.office);
  const officeZones = o.officeZones ?? [-240];
  for (const [i, acc] of office.entries()) {
    const zone = officeZones[i % officeZones.length]!;
    for (let d = 0; d < days; d++) {
      if (weekday(d) >= 5) continue;
      const n = poisson(6);
      for (let i = 0; i < n; i++) {
        log.add(acc, RHYTHM_T0 + d * DAY - zone * MINUTE + 9 * HOUR + Math.floor(rng() * 8 * HOUR));
      }
    }
  }

  const sparse = ids("sparse", extras.sparse);
  sparse.forEach((acc, i) => {
    for (let k = 0; k < 5 + 2 * i; k++) log.add(acc, RHYTHM_T0 + Math.floor(rng() * days * DAY));
  });

  // post ids of their own, so the world can join another built with a separate log
  const posts = o.postPrefix
    ? log.posts.map((p) => ({ ...p, post_id: `${o.postPrefix}${p.post_id}` }))
    : log.posts;
  return { posts, unit: cohorts.flat(), cohorts, ordinary, nightShift, bots, office, sparse };
}

/**
 * A small shift unit (three cohorts of three, Tehran time, Fridays off, three weeks) and four ordinary people, with
 * account and post ids of their own: what the detector conformance suite adds to its world for `rhythm`.
 */
export function conformanceShiftPosts(): JsonlPost[] {
  return rhythmWorld({
    seed: 5,
    days: 21,
    cohortSize: 3,
    unitRate: 4,
    ordinary: 4,
    prefix: "rhythm-",
    postPrefix: "rh-",
    extras: { nightShift: 0, bots: 0, office: 0, sparse: 0 },
  }).posts;
}
