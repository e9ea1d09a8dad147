/**
 * `automation`: accounts whose posting looks machine-driven: gaps between posts as regular as a metronome, posts
 * locked to the same second of the minute, hour or day, activity around the clock without a rest, posting through
 * scheduling tools, reposts only. Automation is not coordination: these findings are weak or moderate on their
 * own. See README.md beside this file.
 */
import { z } from "zod";
import type { Finding, Strength } from "../../model/index.js";
import { benjaminiHochberg } from "../../stats/poisson.js";
import { skipped, type Detector, type DetectorResult } from "../detector.js";
import { classifyClient, type ClientClass } from "./clients.js";
import { clockLock, periodName, phaseHistograms, phaseWords, type ClockLock } from "./clock.js";
import { accountNames, postRefs } from "./evidence.js";
import { ACCOUNTS_TABLE, KIND, loadAccountPosts, minuteOnlyAccounts, type AccountPosts } from "./load.js";
import { fromRoundedInput, markRoundedInputs, roundedWarning } from "../precision.js";
import { pText } from "../../stats/p-text.js";
import {
  intervalStats,
  postingTimes,
  restStats,
  THREAD_GAP_MS,
  type IntervalStats,
  type RestStats,
} from "./timing.js";

export const automationParams = z
  .object({
    minPosts: z
      .number()
      .int()
      .min(5)
      .default(20)
      .describe("fewest posts for the interval and rest signals (fewer make them noise)"),
    minClockPosts: z
      .number()
      .int()
      .min(4)
      .default(8)
      .describe("fewest posts for the clock-lock test (its p-value accounts for the count)"),
    periods: z
      .array(
        z
          .number()
          .int()
          .min(10)
          .max(7 * 86400),
      )
      .min(1)
      .default([60, 300, 600, 900, 1800, 3600, 86400])
      .describe("clock periods, seconds, whose phase a scheduler would lock to"),
    clockWidth: z
      .number()
      .int()
      .min(1)
      .max(60)
      .default(2)
      .describe("width of the phase window, seconds (a scheduler's jitter)"),
    alpha: z.number().gt(0).lt(1).default(0.01).describe("false-discovery rate for the clock-lock test"),
    maxCv: z
      .number()
      .positive()
      .default(0.35)
      .describe("gaps between posts with a coefficient of variation at most this are regular"),
    minModeShare: z
      .number()
      .gt(0)
      .max(1)
      .default(0.6)
      .describe("gaps are regular when at least this share is within 5% of the median gap"),
    maxIntervalEntropy: z
      .number()
      .min(0)
      .default(1)
      .describe("gaps are regular when their entropy (bits, half-octave bins) is at most this"),
    restHours: z
      .number()
      .positive()
      .max(12)
      .default(4)
      .describe("a silence this long, in hours, counts as rest"),
    maxRestShare: z
      .number()
      .min(0)
      .max(1)
      .default(0.25)
      .describe("no rest: at most this share of the account's 24-hour windows hold a rest"),
    minRestDays: z.number().positive().default(3).describe("days of activity needed for the rest signal"),
    minSchedulerShare: z
      .number()
      .gt(0)
      .max(1)
      .default(0.5)
      .describe("share of posts through a scheduling or automation client to name it"),
    minRepostShare: z
      .number()
      .gt(0)
      .max(1)
      .default(0.9)
      .describe("repost share that supports a timing signal (never flags on its own)"),
  })
  .strict();

export type AutomationParams = z.infer<typeof automationParams>;

type Signal = "clock-locked" | "regular" | "no-rest" | "scheduler-client" | "repost-only";
const TIMING: ReadonlySet<Signal> = new Set<Signal>(["clock-locked", "regular", "no-rest"]);

interface AccountFacts {
  aid: number;
  from: number;
  to: number;
  intervals: IntervalStats | null;
  rest: RestStats | null;
  lock: ClockLock | null;
  lockSignificant: boolean;
  /** Seconds its times are given to: 60 for an account whose source drops the seconds (load.ts). */
  resolution: number;
  clients: Array<{ name: string; posts: number; class: ClientClass | null }>;
  schedulerShare: number;
  repostShare: number;
  signals: Signal[];
}

export const automationDetector: Detector<AutomationParams> = {
  id: "automation",
  version: "1",
  summary: "machine-like posting: metronome gaps, clock-locked times, no rest, scheduling clients",
  params: automationParams,
  needs: ["posts"],
  async run(ctx): Promise<DetectorResult> {
    const { store, params } = ctx;
    const total = (await store.scalar<number>("SELECT count(*)::INTEGER FROM posts")) ?? 0;
    if (total === 0) return skipped("no posts in the case");
    const data = await loadAccountPosts(store);
    // an account whose posts come mostly from a source rounded to the minute posts "at second 0" and at
    // whole-minute gaps by its export, not by a scheduler: its timing is not tested (its clients and rest still are)
    const rounded = await markRoundedInputs(store);
    const roundedAids = new Set(
      rounded.inputs === 0
        ? []
        : (
            await store.all<{ aid: number }>(
              `SELECT a.aid FROM ${ACCOUNTS_TABLE} a JOIN posts p USING (platform, account_id)
                GROUP BY a.aid HAVING avg(CASE WHEN ${fromRoundedInput("p")} THEN 1 ELSE 0 END) > 0.5`,
            )
          ).map((r) => r.aid),
    );
    // an account given to the minute by a source of its own shows no seconds to judge: tested to the minute
    const minuteOnly = await minuteOnlyAccounts(store);
    for (const aid of roundedAids) minuteOnly.delete(aid);
    const hist = phaseHistograms(data.tsMs, params.periods);
    const facts: AccountFacts[] = [];
    let seen = 0;
    for (let i = 0; i < data.rows;) {
      const aid = data.account[i]!;
      let j = i;
      while (j < data.rows && data.account[j] === aid) j++;
      if (j - i >= Math.min(params.minPosts, params.minClockPosts)) {
        facts.push(
          accountFacts(data, aid, i, j, hist, params, roundedAids.has(aid), minuteOnly.has(aid) ? 60 : 1),
        );
      }
      i = j;
      if (++seen % 10_000 === 0) ctx.progress(i, data.rows, "automation");
    }
    const tested = facts.filter((f) => f.lock);
    const flags = benjaminiHochberg(
      Float64Array.from(tested, (f) => f.lock!.logP),
      params.alpha,
      tested.length,
    );
    tested.forEach((f, k) => (f.lockSignificant = flags[k] === 1));
    for (const f of facts) f.signals = signalsOf(f, params);
    const flagged = facts.filter((f) => f.signals.some((s) => TIMING.has(s) || s === "scheduler-client"));

    const examples = new Map<number, number[]>(flagged.map((f) => [f.aid, exampleRows(data, f, params)]));
    const names = await accountNames(
      store,
      flagged.map((f) => f.aid),
    );
    const refs = await postRefs(store, [...examples.values()].flat());
    const findings: Finding[] = flagged.map((f) =>
      toFinding(f, params, names.get(f.aid)!, examples.get(f.aid)!, refs),
    );
    findings.sort((x, y) => (x.subject < y.subject ? -1 : x.subject > y.subject ? 1 : 0));

    const count = (s: Signal): number => facts.filter((f) => f.signals.includes(s)).length;
    const counts: Record<string, number> = {
      posts: data.rows,
      accounts: data.accounts,
      accounts_tested: facts.length,
      accounts_flagged: findings.length,
      clock_locked: count("clock-locked"),
      regular: count("regular"),
      no_rest: count("no-rest"),
      scheduler_client: count("scheduler-client"),
      repost_only: count("repost-only"),
      moderate: findings.filter((x) => x.strength === "moderate").length,
      minute_only_accounts: facts.filter((f) => f.resolution === 60).length,
    };
    const minuteNote =
      counts["minute_only_accounts"]! > 0
        ? `${counts["minute_only_accounts"]} account${counts["minute_only_accounts"] === 1 ? " has" : "s have"} ` +
          `times at whole minutes in inputs that show no seconds (a source that drops them): their clock lock was ` +
          `tested to the minute, as being at second 0 says nothing there`
        : null;
    const message =
      findings.length === 0
        ? `ran on ${facts.length} accounts with enough posts: no machine-like timing and no scheduling clients`
        : `${findings.length} account${findings.length === 1 ? "" : "s"} with machine-like posting ` +
          `(${counts["moderate"]} moderate, the rest weak); automation is not coordination on its own`;
    return {
      status: "ok",
      message,
      counts,
      findings,
      edges: [],
      warnings: [roundedWarning(rounded, "the tests of regular and clock-locked timing"), minuteNote]
        .filter((w): w is string => w !== null)
        .map((w) => `automation: ${w}`),
      details: {
        periods_seconds: params.periods,
        clock_width_seconds: params.clockWidth,
        null_model:
          "clock lock: Poisson tail of the busiest phase window against the other accounts' share of those phase " +
          "bins (at least uniform), Bonferroni over window positions and periods, Benjamini-Hochberg over accounts",
      },
    };
  },
};

function accountFacts(
  d: AccountPosts,
  aid: number,
  from: number,
  to: number,
  hist: ReturnType<typeof phaseHistograms>,
  p: AutomationParams,
  rounded = false,
  resolution = 1,
): AccountFacts {
  const n = to - from;
  const ts = d.tsMs.subarray(from, to);
  // posts within 2 s of the one before are one posting time (a thread, a post with its follow-ups): a person's
  // thread of seven posts in a second would otherwise be seven posts "in the same 2 s of the day" and gaps of 0 s
  const times = postingTimes(ts, THREAD_GAP_MS);
  const perClient = new Map<number, number>();
  let reposts = 0;
  for (let i = from; i < to; i++) {
    perClient.set(d.client[i]!, (perClient.get(d.client[i]!) ?? 0) + 1);
    if (d.kind[i] === KIND.repost) reposts++;
  }
  const clients = [...perClient]
    .filter(([c]) => c >= 0)
    .sort((x, y) => y[1] - x[1] || x[0] - y[0])
    .map(([c, posts]) => ({
      name: d.clients[c]!,
      posts,
      class: classifyClient(d.clients[c]!, d.platform[aid]!),
    }));
  const scheduled = clients.filter((c) => c.class).reduce((s, c) => s + c.posts, 0);
  return {
    aid,
    from,
    to,
    intervals: times.length >= p.minPosts && !rounded ? intervalStats(times) : null,
    rest: n >= p.minPosts ? restStats(ts, p.restHours) : null,
    lock:
      times.length >= p.minClockPosts && !rounded
        ? clockLock(times, hist, p.clockWidth, true, resolution)
        : null,
    lockSignificant: false,
    resolution,
    clients,
    schedulerShare: scheduled / n,
    repostShare: reposts / n,
    signals: [],
  };
}

function signalsOf(f: AccountFacts, p: AutomationParams): Signal[] {
  const out: Signal[] = [];
  if (f.lockSignificant) out.push("clock-locked");
  const iv = f.intervals;
  // "within 5% of the median" means something only where 5% of the median is more than the times' precision: at a
  // median of a few seconds, the floor of 1 s took a person's thread posted 0.3-1.2 s apart (posting times 2-3 s
  // apart) as a bot with downtime
  const modal = iv !== null && iv.modeShare >= p.minModeShare && iv.medianSeconds >= 20 * f.resolution;
  if (iv && (iv.cv <= p.maxCv || modal || iv.entropyBits <= p.maxIntervalEntropy)) {
    out.push("regular");
  }
  const r = f.rest;
  if (r && r.spanDays >= p.minRestDays && r.restShare <= p.maxRestShare && r.hoursActive >= 23)
    out.push("no-rest");
  if (f.schedulerShare >= p.minSchedulerShare) out.push("scheduler-client");
  // a context signal of the posts, not of their timing: judged on every account with enough posts
  if (f.to - f.from >= p.minPosts && f.repostShare >= p.minRepostShare) out.push("repost-only");
  return out;
}

/** Up to five posts that show the strongest signal: those in the locked phase window, else the first ones. */
function exampleRows(d: AccountPosts, f: AccountFacts, p: AutomationParams): number[] {
  const out: number[] = [];
  const lock = f.lock;
  if (f.signals.includes("clock-locked") && lock) {
    for (let i = f.from; i < f.to && out.length < 5; i++) {
      const ph = (((d.tsMs[i]! % (lock.period * 1000)) + lock.period * 1000) % (lock.period * 1000)) / 1000;
      const off = (((ph - lock.phase) % lock.period) + lock.period) % lock.period;
      if (off < p.clockWidth) out.push(d.row[i]!);
    }
  } else if (f.signals.includes("scheduler-client")) {
    const tools = new Set(f.clients.filter((c) => c.class).map((c) => c.name));
    for (let i = f.from; i < f.to && out.length < 5; i++) {
      if (d.client[i]! >= 0 && tools.has(d.clients[d.client[i]!]!)) out.push(d.row[i]!);
    }
  }
  for (let i = f.from; i < f.to && out.length < 5; i++) if (!out.includes(d.row[i]!)) out.push(d.row[i]!);
  return out;
}

const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;

function toFinding(
  f: AccountFacts,
  p: AutomationParams,
  who: { key: string; handle: string | null },
  rows: number[],
  refs: Map<number, { post_id: string; ts: string; input_id: number; source_row: number }>,
): Finding {
  const n = f.to - f.from;
  const timing = f.signals.filter((s) => TIMING.has(s)).length;
  const context = f.signals.length - timing;
  const strength: Strength = timing >= 2 || (timing >= 1 && context >= 1) ? "moderate" : "weak";
  const score = Math.min(0.7, 0.3 * timing + 0.1 * context);
  const parts: string[] = [];
  const evidence: Record<string, unknown> = { signals: f.signals, posts: n };
  if (f.lock) {
    const l = f.lock;
    evidence["clock"] = {
      period_seconds: l.period,
      phase_seconds: round(l.phase),
      width_seconds: p.clockWidth,
      posts_in_window: l.count,
      log10_p: Math.max(-400, round(l.logP / Math.LN10)),
      significant: f.lockSignificant,
      time_resolution_seconds: f.resolution,
    };
    if (f.lockSignificant) {
      parts.push(
        `${l.count} of ${l.n} ${l.n === n ? "posts" : "posting times (posts within 2 s of a first, as a thread's, counted once)"} ` +
          (f.resolution === 60
            ? `fall on the same minute of the ${periodName(l.period)} (${phaseWords(l.period, l.phase)}; its ` +
              `source gives times to the minute only, so the second is not known), as a scheduler fires ` +
              `(${pText(l.logP)}).`
            : `fall within the same ${p.clockWidth} s of the ${periodName(l.period)} ` +
              `(${phaseWords(l.period, l.phase)}), as a scheduler fires (${pText(l.logP)}).`),
      );
    }
  }
  if (f.intervals) {
    const iv = f.intervals;
    evidence["intervals"] = {
      count: iv.intervals,
      median_seconds: round(iv.medianSeconds),
      cv: round(iv.cv),
      burstiness: round(iv.burstiness),
      mode_share: round(iv.modeShare),
      entropy_bits: round(iv.entropyBits),
    };
    if (f.signals.includes("regular")) {
      parts.push(
        `Gaps between posts are regular: median ${round(iv.medianSeconds, 1)} s, coefficient of variation ` +
          `${round(iv.cv, 2)}, ${Math.round(iv.modeShare * 100)}% within 5% of the median (people are bursty, ` +
          `with a coefficient of variation near or above 1).`,
      );
    }
  }
  if (f.rest) {
    const r = f.rest;
    evidence["rest"] = {
      span_days: round(r.spanDays),
      rest_hours: p.restHours,
      rest_share: round(r.restShare),
      hours_active: r.hoursActive,
      hour_entropy: round(r.hourEntropy),
    };
    if (f.signals.includes("no-rest")) {
      parts.push(
        `Active in ${r.hoursActive} hours of the day over ${round(r.spanDays, 1)} days, with a silence of ` +
          `${p.restHours} h in only ${Math.round(r.restShare * 100)}% of its 24-hour windows.`,
      );
    }
  }
  evidence["clients"] = f.clients.slice(0, 5).map((c) => ({
    name: c.name,
    posts: c.posts,
    ...(c.class ? { automation: c.class.kind, tool: c.class.tool } : {}),
  }));
  if (f.signals.includes("scheduler-client")) {
    const tools = [...new Set(f.clients.filter((c) => c.class).map((c) => c.class!.tool))];
    parts.push(
      `${Math.round(f.schedulerShare * 100)}% of posts came through ${tools.join(", ")}: scheduled, which ` +
        `newsrooms and organisations do openly; not a sign of inauthenticity by itself.`,
    );
  }
  evidence["repost_share"] = round(f.repostShare);
  if (f.signals.includes("repost-only"))
    parts.push(`${Math.round(f.repostShare * 100)}% of its posts are reposts.`);
  evidence["examples"] = rows.map((r) => refs.get(r)).filter((r) => r !== undefined);
  const name = who.handle ? `@${who.handle}` : who.key;
  return {
    detector: "automation",
    subject: who.key,
    strength,
    score: round(score),
    explanation:
      `${name}: ${parts.join(" ")} Automation is not coordination: news feeds, RSS and scheduling tools look ` +
      `like this too.`,
    evidence,
  };
}
