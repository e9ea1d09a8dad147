/**
 * Findings and edges a person can check: each shift-working account's block in UTC and in the zone its schedule
 * reads best in, how much of its activity the block holds, its days off week by week, its place in a cohort or a
 * rota, its first and last post inside the block (input file and row); edges between members of one rota, and
 * context edges between cohort mates.
 */
import type { Edge, Finding, Strength } from "../../model/index.js";
import { samplePairs } from "../../stats/sample-pairs.js";
import type { AccountName, PostRef } from "./load.js";
import type { OfficeReading } from "./offices.js";
import { type Block, QUARTER_MIN, cosine } from "./profile.js";
import { localWeekday, sharedCount, type Schedule } from "./schedule.js";
import type { Cohort, Rota, ZoneReading } from "./tiling.js";
import {
  WEEKDAYS,
  block as blockText,
  clock,
  describeZone,
  formatOffset,
  wrapMinutes as wrap,
} from "./zones.js";

export interface Judged {
  aid: number;
  block: Block;
  /** The usual reading of a person's day: quietest six hours taken as 02:00-08:00 local. */
  sleep: { offset: number; quietShare: number };
  /** log10 of the chance a smooth day puts as many posts into the block (see SMOOTH_DAY_SHARE). */
  chanceLog10P: number;
  schedule: Schedule;
  firstRow: number | null;
  lastRow: number | null;
  profile: ArrayLike<number>;
  cohort: number;
  rota: number;
  /**
   * Why the cohort's tiling of the day with others is offices following the sun, not one unit; null when it is not
   * in such a tiling.
   */
  followTheSun: string | null;
  /** The zone and week in which the account's cohort (of at least minCohort) reads as an office, if any. */
  office: OfficeReading | null;
  zone: ZoneReading;
}

interface Params {
  minCohort: number;
  minBlockShare: number;
  maxOuterRatio: number;
  cohortTolerance: number;
  maxPartners: number;
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function utcBlock(b: Block): string {
  return blockText(b.start * QUARTER_MIN, b.length * QUARTER_MIN);
}

function localBlock(b: Block, offset: number): string {
  return blockText(b.start * QUARTER_MIN + offset, b.length * QUARTER_MIN);
}

/** Whose weekend the days off are, in the finding's zone; for a zone that is only a reading, said to be so. */
function weekendNote(days: number[], zoneKnown: boolean): string {
  const set = new Set(days);
  const note = (s: string): string => ` (${s}${zoneKnown ? "" : ", if that reading of the zone is right"})`;
  if (set.has(4) && set.size === 1) return note("Friday is the weekend in Iran and much of the Middle East");
  if (set.has(4) && set.has(5) && set.size === 2)
    return note("a Friday-Saturday weekend, as in most Arab states");
  if (set.has(5) && set.has(6) && set.size === 2)
    return note("a Western weekend: office hours look like this");
  if ((set.has(5) || set.has(6)) && set.size === 1) return note("a Western weekend day");
  return "";
}

/**
 * The days off of `s`, each named in the zone the finding reads it in and by when its missing shift starts in UTC:
 * the weekday of a zone that is only a reading (a lone account's day shift) is said to be that reading's, since
 * the same shift read in another zone falls on another day ("Saturdays at UTC+11:00" is Friday evening in Bogotá).
 */
function daysOffOf(s: Judged, zoneIsReading: boolean): Array<{ weekday: number; text: string }> {
  const start = s.block.start * QUARTER_MIN;
  const at = zoneIsReading ? ` at UTC${formatOffset(s.zone.offset)}` : "";
  return s.schedule.daysOff.map((d) => {
    const weekday = localWeekday(d.utcWeekday, start, s.zone.offset);
    const utc = `the shift starting ${WEEKDAYS[d.utcWeekday]!}s at ${clock(start)} UTC`;
    const name = `${WEEKDAYS[weekday]!}s${at} (${utc})`;
    const text =
      d.posts === 0
        ? `no posts on ${name} in ${d.empty} of ${plural(d.observed, "week")}`
        : `${plural(d.posts, "post")} on ${name} over ${plural(d.observed, "week")} where about ` +
          `${Math.round(d.expected)} were expected`;
    return { weekday, text };
  });
}

function quality(s: Judged, p: Params): number {
  const share = Math.max(0, (s.block.share - p.minBlockShare) / (1 - p.minBlockShare));
  const edges = 1 - Math.min(1, s.block.outerRatio / Math.max(1e-9, p.maxOuterRatio));
  const dayOff = s.schedule.daysOff.length > 0 ? 1 : 0;
  return Math.min(1, 0.4 * share + 0.3 * edges + 0.3 * dayOff);
}

export function accountFindings(
  shifts: Judged[],
  cohorts: Cohort[],
  rotas: Rota[],
  rotaZones: ZoneReading[],
  names: Map<number, AccountName>,
  rows: Map<number, PostRef>,
  p: Params,
): Finding[] {
  const out: Finding[] = [];
  for (const s of shifts) {
    const name = names.get(s.aid)!;
    const z = s.zone.offset;
    const b = s.block;
    const sch = s.schedule;
    const cohort = cohorts[s.cohort]!;
    const inRota = s.rota >= 0;
    const inCohort = !inRota && cohort.members.length >= p.minCohort;
    const officeCohort = s.office?.week === "Monday to Friday";
    // a rota's zone rests on its schedule; a lone block's is one reading of it (a day shift)
    const offs = daysOffOf(s, s.rota < 0);
    const q = quality(s, p);
    // a cohort that reads as office hours is what colleagues look like, and one of offices following the sun is an
    // office too: no stronger than a single block
    const moderate = inCohort && !officeCohort && s.followTheSun === null;
    const strength: Strength = inRota ? "strong" : moderate ? "moderate" : "weak";
    const score = inRota ? 0.75 + 0.25 * q : moderate ? 0.45 + 0.2 * q : 0.2 + 0.15 * q;

    const parts: string[] = [];
    const where = inRota
      ? `${localBlock(b, z)} at UTC${formatOffset(z)} (${utcBlock(b)} UTC)`
      : `${utcBlock(b)} UTC (${localBlock(b, z)} at UTC${formatOffset(z)} if it is a day shift; a night shift ` +
        `elsewhere fits the same posts)`;
    parts.push(
      `Posts almost only between ${where}: ${pct(b.share)} of ${sch.posts} posts inside the block, on ` +
        `${sch.daysInside} of ${plural(sch.activeDays, "active day")}; activity runs at ${pct(b.innerRatio)} of the ` +
        `block's mean rate in its first and last hour and ${pct(b.outerRatio)} in the hour outside each edge ` +
        `(sharp edges, not a person's day fading in and out).`,
    );
    if (offs.length > 0) {
      parts.push(
        `Weekly day off: ${offs.map((o) => o.text).join("; ")}${weekendNote(
          offs.map((o) => o.weekday),
          inRota,
        )}.`,
      );
    }
    if (inRota) {
      const r = rotas[s.rota]!;
      const list = [...r.cohorts]
        .sort(
          (x, y) =>
            wrap(cohorts[x]!.block.start * QUARTER_MIN + z) - wrap(cohorts[y]!.block.start * QUARTER_MIN + z),
        )
        .map((c) => `${localBlock(cohorts[c]!.block, z)} (${plural(cohorts[c]!.members.length, "account")})`)
        .join(", ");
      parts.push(
        `One of ${r.cohorts.length} cohorts (${r.members} accounts) whose shifts follow one another and together ` +
          `cover ${hours(r.coverage)} hours of the day: ${list}.`,
      );
      const zr = rotaZones[s.rota]!;
      const alts =
        zr.alternatives.length > 0
          ? `; also consistent: ${zr.alternatives.map(formatOffset).join(", ")}`
          : "";
      parts.push(`Local times are at ${describeZone(z)}: ${zr.basis}${alts}.`);
    } else if (inCohort && s.followTheSun !== null && s.office !== null) {
      const o = s.office;
      const week = o.week === "every day" ? "open every day" : "Monday to Friday, Saturday and Sunday off";
      parts.push(
        `One of ${cohort.members.length} accounts whose blocks start and end within ${p.cohortTolerance} minutes of ` +
          `this one's. Their cohort and others tile the day, but each reads as office hours in a zone of its own ` +
          `(this one's ${localBlock(b, o.zone)} at UTC${formatOffset(o.zone)}, ${week}), and ${s.followTheSun}: ` +
          "offices following the sun, not one unit's shifts.",
      );
    } else if (inCohort && officeCohort) {
      parts.push(
        `One of ${cohort.members.length} accounts whose blocks start and end within ${p.cohortTolerance} minutes of ` +
          `this one's; the cohort reads as Monday-to-Friday office hours (Saturday and Sunday off), which is what ` +
          `colleagues or a company's accounts look like.`,
      );
    } else if (inCohort) {
      parts.push(
        `One of ${cohort.members.length} accounts whose blocks start and end within ${p.cohortTolerance} minutes of ` +
          `this one's; no cohorts with complementary shifts were found, and a shared block alone is also what ` +
          `colleagues' office hours look like.`,
      );
    } else if (cohort.members.length > 1) {
      // a cohort smaller than minCohort: said as it is, with the parameter that would judge it
      const others = cohort.members.length - 1;
      parts.push(
        `${others === 1 ? "One other account keeps" : `${others} other accounts keep`} the same block (within ` +
          `${p.cohortTolerance} minutes), fewer than the ${p.minCohort} a cohort needs to be judged ` +
          `(minCohort; --param rhythm.minCohort=${cohort.members.length} judges it). On its own a fixed block is ` +
          "also what office hours, a shift job or a scheduling tool look like.",
      );
    } else {
      parts.push(
        "No other account keeps the same block. On its own a fixed block is also what office hours, a shift job " +
          "or a scheduling tool look like.",
      );
    }
    const first = s.firstRow !== null ? rows.get(s.firstRow) : undefined;
    const last = s.lastRow !== null ? rows.get(s.lastRow) : undefined;
    out.push({
      detector: "rhythm",
      subject: name.key,
      strength,
      score,
      explanation: parts.join(" "),
      evidence: {
        block_utc: utcBlock(b),
        block_start_minute_utc: b.start * QUARTER_MIN,
        block_minutes: b.length * QUARTER_MIN,
        block_local: localBlock(b, z),
        zone: formatOffset(z),
        zone_determined: s.zone.determined,
        zone_basis: s.zone.basis,
        zone_alternatives: s.zone.alternatives.map(formatOffset),
        posts: sch.posts,
        posts_inside: b.inside,
        share_inside: b.share,
        log10_p_smooth_day: s.chanceLog10P,
        inner_ratio: b.innerRatio,
        outer_ratio: b.outerRatio,
        active_days: sch.activeDays,
        days_inside: sch.daysInside,
        weeks: sch.weeks,
        days_off: sch.daysOff.map((d, i) => ({
          weekday_local: WEEKDAYS[offs[i]!.weekday],
          observed_weeks: d.observed,
          weeks_without_posts: d.empty,
          posts: d.posts,
          expected: d.expected,
          p_value: d.pValue,
        })),
        median_minutes_to_first_post: sch.medianFirstMin,
        median_minutes_after_last_post: sch.medianLastMin,
        sleep_reading: {
          zone: formatOffset(s.sleep.offset),
          quiet_six_hours_share: s.sleep.quietShare,
          note: "the zone a person with this day would sleep in; a shift worker's day says little about where they live",
        },
        hour_of_week_utc: Array.from(sch.hourOfWeek),
        role: inRota
          ? "rota"
          : inCohort
            ? s.followTheSun !== null
              ? "office-hours tiling"
              : officeCohort
                ? "office-hours cohort"
                : "cohort"
            : "single",
        rota: inRota ? `R${s.rota + 1}` : null,
        office_reading: s.office ? { zone: formatOffset(s.office.zone), week: s.office.week } : null,
        cohort_size: cohort.members.length,
        first_post_inside: first ?? null,
        last_post_inside: last ?? null,
      },
    });
  }
  return out.sort((x, y) => (x.subject < y.subject ? -1 : x.subject > y.subject ? 1 : 0));
}

function hours(quarters: number): string {
  const h = (quarters * QUARTER_MIN) / 60;
  return Number.isInteger(h) ? String(h) : h.toFixed(2).replace(/0$/, "");
}

/**
 * Edges: every pair of one rota (significant: the rota is the binding fact, and every pair gets the same weight
 * so that clustering keeps the rota whole rather than splitting it into cohorts), and every pair of a cohort
 * outside any rota (context only). In a group of more than `maxPartners` + 1 accounts, each account is tied to
 * `maxPartners` others drawn by a stable hash of its key, and to those that drew it: a random graph of the group,
 * which holds it in one piece, built in time proportional to its accounts (drawing each account's partners by
 * ranking every other account took 76 s for a cohort of 8,000).
 */
export function rhythmEdges(
  shifts: Judged[],
  cohorts: Cohort[],
  rotas: Rota[],
  names: Map<number, AccountName>,
  p: Params,
): Edge[] {
  const groups: Array<{ members: number[]; rota: number }> = [];
  rotas.forEach((r, ri) => groups.push({ members: r.cohorts.flatMap((c) => cohorts[c]!.members), rota: ri }));
  cohorts.forEach((c) => {
    if (c.members.length >= 2 && shifts[c.members[0]!]!.rota < 0)
      groups.push({ members: c.members, rota: -1 });
  });
  const out: Edge[] = [];
  for (const g of groups) {
    const key = (m: number): string => names.get(shifts[m]!.aid)!.key;
    const members = [...g.members].sort((x, y) => (key(x) < key(y) ? -1 : 1));
    for (const [i, j] of samplePairs(members.map(key), p.maxPartners)) {
      const x = members[i]!;
      const y = members[j]!;
      const a = shifts[x]!;
      const b = shifts[y]!;
      const cos = cosine(a.schedule.hourOfWeek, b.schedule.hourOfWeek);
      const sameShift = a.cohort === b.cohort;
      const weeks = Math.max(1, sharedCount(a.schedule.activeWeeks, b.schedule.activeWeeks));
      const rota = g.rota >= 0;
      out.push({
        layer: "rhythm",
        a: key(x),
        b: key(y),
        weight: rota ? 1 : Math.max(0.01, cos),
        nObjects: weeks,
        lift: null,
        pValue: null,
        evidence: {
          significant: rota,
          tier: rota ? "significant" : "chance",
          relation: sameShift ? "same shift" : "complementary shifts of one rota",
          rota: rota ? `R${g.rota + 1}` : null,
          block_a_utc: utcBlock(a.block),
          block_b_utc: utcBlock(b.block),
          zone: formatOffset(a.zone.offset),
          cosine_hour_of_week: cos,
          shared_active_weeks: weeks,
          posts_a: a.schedule.posts,
          posts_b: b.schedule.posts,
          days_off_a: daysOffOf(a, a.rota < 0).map((d) => WEEKDAYS[d.weekday]),
          days_off_b: daysOffOf(b, b.rota < 0).map((d) => WEEKDAYS[d.weekday]),
        },
      });
    }
  }
  return out.sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0));
}
