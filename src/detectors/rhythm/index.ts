/**
 * `rhythm`: accounts that work shifts. Per account, the day in UTC quarter-hours and the week in UTC hours; the
 * block of the day that holds its activity, how sharply activity stops at the block's edges, recurring weekly days
 * off; then cohorts of accounts with the same block and rotas of cohorts whose blocks tile the day round the clock,
 * read in the time zone where the schedule looks like an organisation's. See README.md beside this file.
 */
import { z } from "zod";
import { skipped, type Detector, type DetectorResult } from "../detector.js";
import { accountFindings, rhythmEdges, type Judged } from "./explain.js";
import { accountNames, loadCandidatePosts, loadProfiles, postsByRowid } from "./load.js";
import {
  QUARTERS,
  QUARTER_MIN,
  SMOOTH_DAY_SHARE,
  densestBlock,
  logBinomialUpperTail,
  sleepZone,
  type Block,
} from "./profile.js";
import { cohortWeek, officeReading, officeZone, readTiling, ruledOutReason } from "./offices.js";
import { readSchedule } from "./schedule.js";
import { dayShiftZone, findRotas, formCohorts, rotaZone, type ZoneReading } from "./tiling.js";
import { formatOffset, parseOffset } from "./zones.js";

export const rhythmParams = z
  .object({
    minPosts: z.number().int().min(10).default(30).describe("fewest posts for an account to be judged"),
    minActiveDays: z
      .number()
      .int()
      .min(2)
      .default(7)
      .describe("fewest distinct UTC days with posts for an account to be judged"),
    minShiftHours: z.number().min(2).max(12).default(6).describe("shortest working block looked for, hours"),
    maxShiftHours: z.number().min(4).max(14).default(10).describe("longest working block looked for, hours"),
    minBlockShare: z
      .number()
      .gt(0.5)
      .max(1)
      .default(0.9)
      .describe("least share of an account's posts inside its block"),
    minInnerRatio: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe(
        "least activity in the block's first and last hour, relative to the block's mean (no fading in); each " +
          "end alone at least a quarter of it",
      ),
    maxOuterRatio: z
      .number()
      .min(0)
      .max(1)
      .default(0.15)
      .describe(
        "most activity in the hour just outside each edge, relative to the block's mean (sharp edges)",
      ),
    blockP: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.01)
      .describe(
        "chance a smooth day would fill the block as full, Bonferroni over judged accounts, below which a block counts",
      ),
    minDaysInside: z
      .number()
      .min(0)
      .max(1)
      .default(0.75)
      .describe("least share of active days with at least 80% of their posts inside the block"),
    dayOffP: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.01)
      .describe("Poisson p-value under which a quiet weekday counts as a weekly day off"),
    minCohort: z
      .number()
      .int()
      .min(2)
      .default(3)
      .describe("fewest accounts with the same block for a cohort that can take part in a rota"),
    cohortTolerance: z
      .number()
      .int()
      .min(15)
      .max(180)
      .default(45)
      .describe("minutes within which blocks' starts and ends must agree to be one cohort"),
    maxSeam: z
      .number()
      .int()
      .min(0)
      .max(240)
      .default(90)
      .describe("minutes of gap or overlap allowed where one cohort's shift ends and the next one's starts"),
    minCoverageHours: z
      .number()
      .min(8)
      .max(24)
      .default(20)
      .describe("hours of the day a rota's cohorts must cover together"),
    maxOverlapHours: z
      .number()
      .min(0)
      .max(12)
      .default(3)
      .describe("hours of the day a rota's cohorts may cover twice, summed"),
    zone: z
      .string()
      .refine((s) => s === "auto" || parseOffset(s) !== null, {
        message: "zone must be 'auto' or an offset such as +03:30",
      })
      .default("auto")
      .describe("UTC offset to state local times in (e.g. +03:30), or 'auto' to read it from the schedules"),
    maxPartners: z
      .number()
      .int()
      .min(1)
      .default(50)
      .describe(
        "partners each account draws in a larger rota or cohort, by a stable hash (smaller ones keep every pair)",
      ),
  })
  .strict();

export type RhythmParams = z.infer<typeof rhythmParams>;

export const rhythmDetector: Detector<RhythmParams> = {
  id: "rhythm",
  version: "1",
  summary:
    "accounts that post only inside fixed shift blocks with sharp edges and weekly days off, and cohorts whose shifts tile the day",
  params: rhythmParams,
  needs: ["posts"],
  async run(ctx): Promise<DetectorResult> {
    const { store, params } = ctx;
    const minLen = Math.round((params.minShiftHours * 60) / QUARTER_MIN);
    const maxLen = Math.round((params.maxShiftHours * 60) / QUARTER_MIN);
    if (maxLen < minLen) return skipped("rhythm: maxShiftHours is below minShiftHours");
    const prof = await loadProfiles(store, params.minPosts, params.minActiveDays);
    if (prof.posts === 0) return skipped("no posts in the case");
    const sparse = prof.accounts - prof.judged;
    const counts: Record<string, number> = {
      accounts: prof.accounts,
      posts: prof.posts,
      judged: prof.judged,
      too_sparse: sparse,
    };
    const judgedNote =
      `${prof.judged.toLocaleString("en-US")} of ${prof.accounts.toLocaleString("en-US")} accounts judged; ` +
      `${sparse.toLocaleString("en-US")} had fewer than ${params.minPosts} posts or ${params.minActiveDays} active days and cannot be judged`;

    // 1. block-shaped days, from the daily profiles
    const zoneFits = new Map<string, number>();
    const candidates: Array<{
      aid: number;
      block: Block;
      sleep: { offset: number; quietShare: number };
      chance: number;
    }> = [];
    const logChanceCut = Math.log(params.blockP / Math.max(1, prof.judged));
    let byChance = 0;
    for (let aid = 0; aid < prof.judged; aid++) {
      ctx.progress(aid, prof.judged, "rhythm profiles");
      const profile = prof.daily.subarray(aid * QUARTERS, (aid + 1) * QUARTERS);
      const sleep = sleepZone(profile);
      const k = formatOffset(sleep.offset);
      zoneFits.set(k, (zoneFits.get(k) ?? 0) + 1);
      if (!mayHoldBlock(profile, maxLen, params.minBlockShare)) continue;
      const block = densestBlock(profile, minLen, maxLen);
      if (!block || block.share < params.minBlockShare) continue;
      // each end at some rate too (a quarter of the least mean rate): a day of evening posts, shorter than the least
      // block, padded with an empty hour at one end, is no shift
      if (
        block.innerRatio < params.minInnerRatio ||
        block.weakerEdge < params.minInnerRatio / 4 ||
        block.outerRatio > params.maxOuterRatio
      ) {
        continue;
      }
      // with few posts a smooth day can fill a window by chance: among many judged accounts, some will
      const chance = logBinomialUpperTail(block.inside, block.total, SMOOTH_DAY_SHARE);
      if (chance > logChanceCut) {
        byChance++;
        continue;
      }
      candidates.push({ aid, block, sleep, chance });
    }
    counts["block_candidates"] = candidates.length;
    counts["blocks_explained_by_chance"] = byChance;

    // 2. schedules of the candidates, from their post times
    const posts = await loadCandidatePosts(
      store,
      candidates.map((c) => c.aid),
    );
    const shifts: Judged[] = [];
    const weekOpts = { minWeeks: 2, dayOffP: params.dayOffP };
    candidates.forEach((c, k) => {
      const from = posts.offsets[k]!;
      const to = posts.offsets[k + 1]!;
      if (to <= from) return;
      const schedule = readSchedule(posts.ts, from, to, c.block, weekOpts);
      if (schedule.daysInside < params.minDaysInside * schedule.activeDays) return;
      shifts.push({
        aid: c.aid,
        block: c.block,
        sleep: c.sleep,
        chanceLog10P: c.chance / Math.LN10,
        schedule,
        firstRow: schedule.firstInside >= 0 ? posts.rowid[schedule.firstInside]! : null,
        lastRow: schedule.lastInside >= 0 ? posts.rowid[schedule.lastInside]! : null,
        profile: prof.daily.subarray(c.aid * QUARTERS, (c.aid + 1) * QUARTERS),
        cohort: -1,
        rota: -1,
        followTheSun: null,
        office: null,
        zone: dayShiftZone(c.block),
      });
    });
    counts["shift_accounts"] = shifts.length;

    // 3. cohorts and rotas
    const tolerance = Math.round(params.cohortTolerance / QUARTER_MIN);
    const cohorts = formCohorts(
      shifts.map((s) => ({
        start: s.block.start,
        length: s.block.length,
        profile: s.profile,
        daysOff: s.schedule.daysOff.map((d) => d.utcWeekday),
      })),
      tolerance,
      minLen,
      maxLen,
    );
    cohorts.forEach((c, ci) => c.members.forEach((m) => (shifts[m]!.cohort = ci)));
    const tiling = findRotas(cohorts, {
      minCohort: params.minCohort,
      maxSeam: Math.round(params.maxSeam / QUARTER_MIN),
      minCoverage: Math.round((params.minCoverageHours * 60) / QUARTER_MIN),
      maxOverlap: Math.round((params.maxOverlapHours * 60) / QUARTER_MIN),
    });
    const memberDays = (m: number): { startMin: number; daysOff: number[] } => ({
      startMin: shifts[m]!.block.start * QUARTER_MIN,
      daysOff: shifts[m]!.schedule.daysOff.map((d) => d.utcWeekday),
    });
    // each cohort's week, read from its members' working days pooled (the days it rests as a whole)
    const weeks = cohorts.map((c) =>
      cohortWeek(
        c.block,
        c.members.map((m) => ({ ...shifts[m]!.schedule, startMin: shifts[m]!.block.start * QUARTER_MIN })),
        weekOpts,
      ),
    );
    // follow the sun: offices in zones eight hours apart tile the day as exactly as one unit's shifts do; the
    // week tells them apart
    const readings = tiling.map((r) =>
      readTiling(
        r,
        r.cohorts.map((c) => weeks[c]!),
        r.cohorts.map((c) => cohorts[c]!.block),
      ),
    );
    const officeRotas = tiling.filter((_, i) => readings[i]!.followTheSun !== null);
    const officeReadings = readings.filter((t) => t.followTheSun !== null);
    const rotas = tiling.filter((r) => !officeRotas.includes(r));
    cohorts.forEach((c, ci) => {
      const office = c.members.length >= params.minCohort ? officeReading(c.block, weeks[ci]!) : null;
      for (const m of c.members) shifts[m]!.office = office;
    });
    officeRotas.forEach((r, i) => {
      for (const c of r.cohorts)
        for (const m of cohorts[c]!.members) shifts[m]!.followTheSun = officeReadings[i]!.followTheSun;
    });
    const fixed = params.zone === "auto" ? null : parseOffset(params.zone)!;
    const rotaZones: ZoneReading[] = rotas.map((r, ri) => {
      const members = r.cohorts.flatMap((c) => cohorts[c]!.members);
      for (const m of members) shifts[m]!.rota = ri;
      const reading = rotaZone(
        r.cohorts.map((c) => cohorts[c]!.block),
        members.map(memberDays),
      );
      return fixed === null
        ? reading
        : { ...reading, offset: fixed, determined: true, basis: "given by the zone parameter" };
    });
    // a cohort outside any rota is read in one zone for all its members, from its pooled block
    // (an office cohort, or one of a tiling of offices, in the zone where it reads as an office)
    const cohortZones = cohorts.map((c): ZoneReading => {
      const { office, followTheSun } = shifts[c.members[0]!]!;
      if (office === null || (office.week !== "Monday to Friday" && followTheSun === null))
        return dayShiftZone(c.block);
      return officeZone(office);
    });
    for (const s of shifts) {
      if (s.rota >= 0) s.zone = rotaZones[s.rota]!;
      else if (cohorts[s.cohort]!.members.length >= params.minCohort) s.zone = cohortZones[s.cohort]!;
      if (fixed !== null && s.rota < 0)
        s.zone = { ...s.zone, offset: fixed, basis: "given by the zone parameter" };
    }
    counts["cohorts"] = cohorts.filter((c) => c.members.length >= params.minCohort).length;
    counts["rotas"] = rotas.length;
    counts["office_hour_tilings"] = officeRotas.length;
    counts["rota_accounts"] = rotas.reduce((n, r) => n + r.members, 0);

    // 4. evidence, findings and edges
    const names = await accountNames(
      store,
      shifts.map((s) => s.aid),
    );
    const rows = await postsByRowid(
      store,
      shifts.flatMap((s) => [s.firstRow, s.lastRow].filter((r): r is number => r !== null)),
    );
    const findings = accountFindings(shifts, cohorts, rotas, rotaZones, names, rows, params);
    const edges = rhythmEdges(shifts, cohorts, rotas, names, params);
    const significant = edges.filter((e) => e.evidence["significant"]).length;
    counts["edges_significant"] = significant;
    counts["edges_context"] = edges.length - significant;
    await store.conn.run("DROP TABLE IF EXISTS chorus_rhythm_accounts");

    const message =
      shifts.length === 0
        ? `no account posts inside a fixed shift block (${judgedNote})`
        : `${shifts.length} account${shifts.length === 1 ? "" : "s"} work${shifts.length === 1 ? "s" : ""} fixed shifts; ` +
          `${rotas.length} rota${rotas.length === 1 ? "" : "s"} of cohorts covering the day ` +
          `(${counts["rota_accounts"]} accounts); ${judgedNote}`;
    return {
      status: "ok",
      message,
      counts,
      findings,
      edges,
      warnings: [],
      details: {
        sleep_zone_fits: Object.fromEntries(
          [...zoneFits].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
        ),
        rotas: rotas.map((r, ri) => ({
          id: `R${ri + 1}`,
          zone: formatOffset(rotaZones[ri]!.offset),
          zone_determined: rotaZones[ri]!.determined,
          zone_basis: rotaZones[ri]!.basis,
          zone_alternatives: rotaZones[ri]!.alternatives.map(formatOffset),
          coverage_hours: (r.coverage * QUARTER_MIN) / 60,
          overlap_hours: (r.overlap * QUARTER_MIN) / 60,
          cohorts: r.cohorts.map((c) => ({
            block_utc_start_minute: cohorts[c]!.block.start * QUARTER_MIN,
            block_minutes: cohorts[c]!.block.length * QUARTER_MIN,
            size: cohorts[c]!.members.length,
          })),
          members: r.cohorts
            .flatMap((c) => cohorts[c]!.members.map((m) => names.get(shifts[m]!.aid)!.key))
            .sort(),
        })),
        ruled_out: officeRotas.map((r, i) => ({
          reason: ruledOutReason(officeReadings[i]!),
          cohorts: r.cohorts.map((c, k) => {
            const office = officeReadings[i]!.offices[k]!;
            return {
              block_utc_start_minute: cohorts[c]!.block.start * QUARTER_MIN,
              block_minutes: cohorts[c]!.block.length * QUARTER_MIN,
              size: cohorts[c]!.members.length,
              office_zone: formatOffset(office.zone),
              office_week: office.week,
            };
          }),
          members: r.cohorts
            .flatMap((c) => cohorts[c]!.members.map((m) => names.get(shifts[m]!.aid)!.key))
            .sort(),
        })),
        rule:
          "a rota (cohorts whose blocks tile the day) binds its members with significant edges; a cohort without " +
          "complementary shifts, or a single block-shaped account, is reported but does not bind a campaign",
      },
    };
  },
};

/** Cheap pre-test: can any window of `maxLen` quarter-hours hold `minShare` of the day at all? */
function mayHoldBlock(profile: Int32Array, maxLen: number, minShare: number): boolean {
  let total = 0;
  for (let q = 0; q < QUARTERS; q++) total += profile[q]!;
  let w = 0;
  for (let q = 0; q < maxLen; q++) w += profile[q]!;
  let best = w;
  for (let s = 1; s < QUARTERS; s++) {
    w += profile[(s + maxLen - 1) % QUARTERS]! - profile[s - 1]!;
    if (w > best) best = w;
  }
  return best >= minShare * total;
}
