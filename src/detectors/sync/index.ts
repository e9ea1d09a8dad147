/**
 * `sync`: bursts in which many distinct accounts act within the same second or few seconds, beyond what the local
 * background rate explains; the accounts that keep turning up in them, and the pairs that turn up together; and
 * accounts that repost originals within seconds, repeatedly. See README.md beside this file.
 */
import { z } from "zod";
import { benjaminiHochberg } from "../../stats/poisson.js";
import type { Edge } from "../../model/index.js";
import { lapLogger, skipped, type Detector, type DetectorResult } from "../detector.js";
import { activityUnits, burstMembers, scanBursts } from "./bursts.js";
import { burstSlices, crowdSlices, someGroups } from "./crowds.js";
import { fastReposts } from "./fast-repost.js";
import { membership, testAccounts, testPairs } from "./groups.js";
import { buildAccounts, loadPosts, loadReposts, wholeMinuteShare } from "./load.js";
import { roundedWarning } from "../precision.js";
import { buildOutput, type Tiered } from "./report.js";
import { writeSyncTies } from "./ties.js";

export const syncParams = z
  .object({
    windows: z
      .array(z.number().int().min(1).max(60))
      .min(1)
      .max(4)
      .default([1, 5])
      .describe("widths of the burst windows, seconds (each window slides second by second)"),
    minAccounts: z
      .number()
      .int()
      .min(2)
      .default(5)
      .describe("fewest distinct accounts in a window for it to be tested as a burst"),
    alpha: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.01)
      .describe("false-discovery rate for bursts, accounts and pairs (Benjamini-Hochberg)"),
    backgroundMinutes: z
      .number()
      .int()
      .min(1)
      .max(720)
      .default(30)
      .describe("the background rate is taken from this many minutes either side of a window"),
    minBursts: z
      .number()
      .int()
      .min(1)
      .default(3)
      .describe("bursts an account must take part in, beyond chance, to be flagged"),
    minSharedBursts: z
      .number()
      .int()
      .min(2)
      .default(2)
      .describe("bursts (or fast-reposted originals) a pair of accounts must share for an edge"),
    maxMembersPerBurst: z
      .number()
      .int()
      .min(10)
      .default(1000)
      .describe("pair guard: recurring members of one burst paired with each other (most recurring kept)"),
    maxPairs: z
      .number()
      .int()
      .min(1000)
      .max(15_000_000)
      .default(5_000_000)
      .describe("pair guard: distinct pairs counted per layer"),
    fastRepostSeconds: z
      .number()
      .positive()
      .max(600)
      .default(10)
      .describe("a repost this many seconds or less after its original is fast"),
    minFastReposts: z
      .number()
      .int()
      .min(1)
      .default(3)
      .describe("fast reposts an account needs to be flagged as a fast reposter"),
    minFastShare: z
      .number()
      .gt(0)
      .max(1)
      .default(0.5)
      .describe("share of an account's timed reposts that must be fast for it to be flagged"),
    candidateP: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.001)
      .describe("per-pair p-value under which a tie may bind a group that passes the group tests"),
    keepInsignificant: z
      .number()
      .int()
      .min(0)
      .default(10_000)
      .describe("pairs that fail the chance test kept in the case as context, strongest first"),
    crowdAccounts: z
      .number()
      .int()
      .min(2)
      .default(100)
      .describe(
        "a burst longer than the widest window with more accounts than this is a crowd moment: its pairs are judged by the second, given the moment",
      ),
    maxBurstsReported: z
      .number()
      .int()
      .min(0)
      .default(100)
      .describe("most significant bursts described in the run's details"),
  })
  .strict();

export type SyncParams = z.infer<typeof syncParams>;

export const syncDetector: Detector<SyncParams> = {
  id: "sync",
  version: "1",
  summary: "bursts of many accounts acting in the same seconds beyond the background rate; fast reposts",
  params: syncParams,
  needs: ["posts"],
  async run(ctx): Promise<DetectorResult> {
    const { store, params } = ctx;
    const total = (await store.scalar<number>("SELECT count(*)::INTEGER FROM posts")) ?? 0;
    if (total === 0) return skipped("no posts in the case");
    const wholeMinutes = await wholeMinuteShare(store);
    if (wholeMinutes > 0.5) {
      return skipped(
        `${Math.round(wholeMinutes * 100)}% of post times are whole minutes: the timestamps are rounded to the ` +
          `minute, so same-second bursts and repost delays cannot be measured`,
      );
    }
    const phase = lapLogger((m) => ctx.log.info(m), "sync: ");
    const { accounts, rounded } = await buildAccounts(store);
    ctx.progress(0, 3, "sync: posts");
    const posts = await loadPosts(store, accounts);
    const act = activityUnits(posts.account, posts.tsMs, accounts);
    phase(`loaded ${posts.rows} posts`);
    const scan = scanBursts(act, accounts, params);
    phase(`scanned ${scan.tested} windows, ${scan.bursts.length} bursts`);

    ctx.progress(1, 3, "sync: reposts");
    const reposts = await loadReposts(store);
    const fast = fastReposts(reposts, accounts, params.fastRepostSeconds * 1000, 5);
    phase(`timed ${reposts.rows} reposts`);
    const isTrigger = triggerPosts(posts.row, fast.triggers);
    const members = burstMembers(act, scan.bursts, accounts, isTrigger);
    const burstAccounts = testAccounts(
      members,
      act.perAccount,
      act.n,
      params.minBursts,
      params.alpha,
      params.minSharedBursts,
    );
    // pairs are counted in the bursts as groups of who acted together: a crowd moment is cut into seconds, and a
    // pair's shared seconds there are judged given the moment (crowds.ts). Accounts whose participation in bursts
    // is unlikely by chance are paired, as before; those who stand out in crowd moments alone (fans who post only
    // when something happens are in every one whatever their activity) are tied only by a significant pair: 200
    // chance candidates among 3,000 such fans (p < 0.001 among millions of pairs) bound 23 "campaigns" of three,
    // while leaving them unpaired lost a botnet of 200 whose storms were crowd moments and whose same 20 accounts
    // shared a second in each of 12 storms
    const cut = burstSlices(
      act,
      scan.bursts,
      Math.max(...params.windows),
      Math.min(...params.windows),
      params.crowdAccounts,
    );
    const slices = cut.crowds.length === 0 ? scan.bursts : cut.slices;
    const sliceMembers = cut.crowds.length === 0 ? members : burstMembers(act, slices, accounts, isTrigger);
    const crowds =
      cut.crowds.length === 0
        ? undefined
        : crowdSlices(members, cut.crowds, sliceMembers, cut.crowdOf, accounts);
    const crowdSet = new Set(cut.crowds);
    const ownAccounts =
      crowds === undefined
        ? burstAccounts
        : testAccounts(
            someGroups(members, (g) => !crowdSet.has(g)),
            act.perAccount,
            act.n,
            params.minBursts,
            params.alpha,
            params.minSharedBursts,
          );
    const logCandidate = Math.log(params.candidateP);
    const pairParams = {
      minShared: params.minSharedBursts,
      maxMembersPerGroup: params.maxMembersPerBurst,
      maxPairs: params.maxPairs,
    };
    const burstPairs = testPairs(
      sliceMembers,
      membership(sliceMembers, accounts),
      (a) => burstAccounts.logP[a]! <= logCandidate,
      act.perAccount,
      act.n,
      pairParams,
      crowds,
    );
    const fastPairs = testPairs(
      fast.groups,
      membership(fast.groups, accounts),
      () => true,
      fast.reposts,
      fast.totalReposts,
      pairParams,
    );

    phase(`tested accounts and ${burstPairs.a.length + fastPairs.a.length} pairs`);
    const warnings: string[] = [];
    for (const [what, t] of [
      ["bursts", burstPairs],
      ["fast-reposted originals", fastPairs],
    ] as const) {
      if (t.groupsCapped > 0) {
        warnings.push(
          `sync: ${t.groupsCapped} ${what} had more than ${params.maxMembersPerBurst} recurring accounts; pairs ` +
            `were counted among the ${params.maxMembersPerBurst} that recur most`,
        );
      }
      if (t.pairsDropped > 0) {
        warnings.push(
          `sync: pair limit ${params.maxPairs} reached in ${what}; ${t.pairsDropped} further pair meetings not counted`,
        );
      }
    }
    const roundedNote = roundedWarning(rounded, "same-second bursts and repost delays");
    if (roundedNote) warnings.push(`sync: ${roundedNote}`);
    if (fast.untimed > 0) {
      warnings.push(
        `sync: ${fast.untimed} reposts have an original outside the case${rounded.inputs > 0 ? " (or in an input rounded to the minute)" : ""} ` +
          `with no derivable time; their delay is unknown`,
      );
    }

    const tiers = (t: typeof burstPairs, noCandidate?: Uint8Array): Tiered => ({
      test: t,
      significant: benjaminiHochberg(t.logP, params.alpha, t.hypotheses),
      ...(noCandidate === undefined ? {} : { noCandidate }),
    });
    const ownBursts = (a: number): boolean => ownAccounts.logP[a]! <= logCandidate;
    const crowdOnly =
      crowds === undefined
        ? undefined
        : Uint8Array.from(burstPairs.a, (a, i) => (ownBursts(a) && ownBursts(burstPairs.b[i]!) ? 0 : 1));
    ctx.progress(2, 3, "sync: evidence");
    const out = await buildOutput(store, params, {
      posts,
      act,
      scan,
      members,
      slices,
      sliceMembers,
      burstAccounts,
      burstPairs: tiers(burstPairs, crowdOnly),
      reposts,
      fast,
      fastPairs: tiers(fastPairs),
    });
    phase("resolved evidence");
    ctx.progress(3, 3, "sync: done");
    const counts: Record<string, number> = {
      posts: posts.rows,
      accounts,
      account_seconds: act.n,
      windows_tested: scan.tested,
      windows_significant: scan.significantWindows,
      bursts: scan.bursts.length,
      crowd_moments: cut.crowds.length,
      accounts_in_bursts: countNonZero(burstAccounts.count),
      accounts_flagged_bursts: out.flaggedBursts,
      reposts: reposts.rows,
      reposts_timed: fast.totalTimed,
      reposts_fast: fast.totalFast,
      accounts_flagged_fast: out.flaggedFast,
      edges_significant: out.edgesSignificant,
      edges_candidate: out.edgesCandidate,
      edges_kept_insignificant: out.ties.layer.length - out.edgesSignificant - out.edgesCandidate,
    };
    const flagged = out.findings.length;
    const message =
      scan.bursts.length === 0 && flagged === 0
        ? "ran: no bursts beyond the background rate and no repeated fast reposters"
        : `${scan.bursts.length} burst${scan.bursts.length === 1 ? "" : "s"} beyond the background rate; ` +
          (flagged === 0
            ? "no account took part in bursts or fast reposts more than chance explains"
            : `${flagged} account${flagged === 1 ? "" : "s"} flagged (${out.flaggedBursts} by bursts, ` +
              `${out.flaggedFast} as fast reposters), ${out.edgesSignificant} significant pair${out.edgesSignificant === 1 ? "" : "s"}`);
    const ties = out.ties;
    let edges: Edge[] | undefined;
    return {
      status: "ok",
      message,
      counts,
      findings: out.findings,
      // up to millions of ties: as objects only for whoever asks; the campaign step reads the columns, and the
      // evidence with its examples is written to the case by SQL
      get edges(): Edge[] {
        return (edges ??= Array.from({ length: ties.layer.length }, (_, t) => ties.edge(t)));
      },
      ties,
      writeEdges: (runId) => writeSyncTies(store, runId, params.fastRepostSeconds),
      warnings,
      details: {
        windows_seconds: params.windows,
        background:
          "per-minute account-seconds over the surrounding " +
          `${2 * params.backgroundMinutes + 1} minutes: max(median, mean without the busiest tenth, case mean / 10)`,
        mean_rate_per_second: scan.meanRate,
        hypotheses_windows: scan.hypotheses,
        alpha: params.alpha,
        fast_repost_seconds: params.fastRepostSeconds,
        case_fast_repost_share: fast.totalTimed > 0 ? fast.totalFast / fast.totalTimed : 0,
        null_model:
          "bursts: Poisson tail of distinct accounts per window against the local rate, Benjamini-Hochberg over every " +
          "window start; accounts and pairs: slot model by activity (see README), Poisson tails, Benjamini-Hochberg",
        bursts: out.reportedBursts,
        deletions: "not measured: the case holds no deletion events",
      },
    };
  },
};

/** Post index -> whether it is an original that at least two accounts reposted within the fast window. */
function triggerPosts(rows: Float64Array, triggerRows: Set<number>): (post: number) => boolean {
  if (triggerRows.size === 0) return () => false;
  return (i) => triggerRows.has(rows[i]!);
}

function countNonZero(a: Int32Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i]! > 0) n++;
  return n;
}
