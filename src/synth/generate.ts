/**
 * Synthetic social-media data with planted coordination, for the bundled sample, evaluations and benchmarks.
 *
 * The world has an organic population that coordinates by accident in every way a naive co-share count can be
 * fooled by: heavy-tailed activity (a few hyperactive accounts), Zipf-popular links and hashtags, celebrity
 * fandoms that repost within seconds, viral links shared by thousands within half an hour, syndication bots
 * that post the same link seconds apart all day, trending hashtags, diurnal rhythms in time zones from UTC-8
 * to UTC+9 (Tehran at +03:30), and short texts in English, Persian and Arabic. Into it, campaigns are planted:
 * link bursts, repost rings and hashtag floods by small groups of mostly young accounts, and in the evaluation's
 * world (`evalConfig`) copypasta campaigns bound only by their texts and a shift unit bound only by its
 * schedule, with the organic traps for those layers (night-shift workers, holiday greetings, quoted sentences).
 * The ground truth (`generateTruth`) lists the planted accounts and the organic traps.
 *
 * Output is deterministic for a configuration (seed included) and streams: memory is bounded by one hour of
 * posts and the account table, so 10 million posts take no more memory than 100,000.
 */
import type { CampaignKind, SynthConfig, SynthLang } from "./config.js";
import { planWorld, type SynthPlan } from "./plan.js";
import type { SynthAccount } from "./population.js";
import type { SynthPost } from "./post.js";
import type { PlannedShiftUnit } from "./shifts.js";
import { Timeline } from "./timeline.js";

export {
  defaultConfig,
  evalConfig,
  checkConfig,
  SynthConfigError,
  CAMPAIGN_KINDS,
  ALL_CAMPAIGN_KINDS,
} from "./config.js";
export type {
  CampaignKind,
  EvalWorldOptions,
  PlantedCampaignSpec,
  ShiftSpec,
  SynthConfig,
  SynthLang,
  TrapConfig,
} from "./config.js";
export { planWorld } from "./plan.js";
export type { SynthPlan } from "./plan.js";
export type { SynthPost } from "./post.js";
export { toJsonLine } from "./jsonl.js";

/**
 * The posts of the world described by `cfg`, hour by hour (sorted within each hour; reactions to an event may
 * fall a few hours later). Pass a plan already made for `cfg` to avoid planning twice.
 *
 * @example
 * for (const post of generatePosts(defaultConfig(6000, 7))) process.stdout.write(JSON.stringify(post) + "\n");
 */
export function* generatePosts(cfg: SynthConfig, plan: SynthPlan = planWorld(cfg)): Generator<SynthPost> {
  const timeline = new Timeline(plan);
  for (let s = 0; s < plan.slices; s++) yield* timeline.slice(s);
}

export type OrganicTrapKind =
  | "hyperactive"
  | "fandom"
  | "viral"
  | "news-bots"
  | "trending-hashtag"
  | "night-shift"
  | "holiday-greeting"
  | "viral-quote";

export interface TruthBurst {
  start: string;
  end: string;
  /**
   * URL or hashtag pushed; for copypasta, the message's template (copies carry 0-3 edits); for a repost ring,
   * the account id of the original's author.
   */
  object: string;
  accounts: string[];
}

export interface TruthCampaign {
  id: string;
  kind: CampaignKind;
  lang: SynthLang;
  accounts: string[];
  handles: string[];
  /** Repost rings: the accounts whose posts the ring amplifies (also listed in `accounts`). */
  handlers: string[];
  /** The campaign's hashtags and sites. */
  tags: string[];
  domains: string[];
  first_seen: string;
  last_seen: string;
  /** Empty for a shift unit, whose members never act together. */
  bursts: TruthBurst[];
  /** Shift units only: the zone, the day off and the cohorts with their shifts. */
  shift?: TruthShift;
}

export interface TruthShift {
  /** The operators' UTC offset, e.g. "+03:30". */
  zone: string;
  day_off: string;
  cohorts: Array<{ local: string; utc: string; accounts: string[] }>;
  posts: number;
}

export interface OrganicTrap {
  kind: OrganicTrapKind;
  description: string;
  accounts?: string[];
  objects?: string[];
  start?: string;
}

/** Ground truth of a synthetic dataset (schema `chorus.synth-truth/v1`). */
export interface SynthTruth {
  schema: "chorus.synth-truth/v1";
  generator: {
    seed: number;
    posts: number;
    accounts: number;
    days: number;
    start: string;
    end: string;
    platform: string;
  };
  /** Expected organic posts by source (the generated counts vary around these). */
  expected: Record<string, number>;
  campaigns: TruthCampaign[];
  organicTraps: OrganicTrap[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The ground truth of the world described by `cfg`, read off its plan (no posts are generated). */
export function generateTruth(cfg: SynthConfig, plan: SynthPlan = planWorld(cfg)): SynthTruth {
  const acc = (i: number): SynthAccount => plan.accounts[i] as SynthAccount;
  const ids = (list: ArrayLike<number>): string[] => Array.from(list, (i) => acc(i).id);
  const campaigns: TruthCampaign[] = plan.campaigns.map((c) => {
    const bursts: TruthBurst[] = c.bursts.map((b) => ({
      start: iso(b.startMs),
      end: iso(b.startMs + Math.max(...b.offsetsMs) + 1000),
      object: b.kind === "repost-ring" ? acc(b.originator).id : b.object,
      accounts: ids(b.members),
    }));
    const out: TruthCampaign = {
      id: c.id,
      kind: c.spec.kind,
      lang: c.spec.lang,
      accounts: ids(c.members),
      handles: c.members.map((i) => acc(i).handle),
      handlers: ids(c.handlers),
      tags: c.tags,
      domains: c.domains,
      first_seen: bursts[0]?.start ?? "",
      last_seen: bursts[bursts.length - 1]?.end ?? "",
      bursts,
    };
    if (c.shift !== undefined) {
      const times = c.shift.schedule.ms;
      out.first_seen = times.length > 0 ? iso(times[0] as number) : "";
      out.last_seen = times.length > 0 ? iso(times[times.length - 1] as number) : "";
      out.shift = truthShift(c.shift, ids);
    }
    return out;
  });
  const traps: OrganicTrap[] = [];
  traps.push({
    kind: "hyperactive",
    description: "post hundreds of times, join every viral moment, repost every celebrity within a minute",
    accounts: ids(plan.hyperactive),
  });
  for (const f of plan.fandoms) {
    const c = acc(f.celebrity);
    traps.push({
      kind: "fandom",
      description: `fans of @${c.handle} (account ${c.id}); notified fans repost within seconds, others within minutes`,
      accounts: ids(f.fans),
      objects: [c.id],
    });
  }
  for (const v of plan.viral) {
    traps.push({
      kind: "viral",
      description: `${v.participants.length + 1} accounts share one link within 30 minutes, then a tail for hours`,
      accounts: ids([v.originator, ...v.participants]),
      objects: [v.url],
      start: iso(v.startMs),
    });
  }
  for (const o of plan.outlets) {
    traps.push({
      kind: "news-bots",
      description: `${o.bots.length} bots syndicate the feed of ${o.domain}: same link seconds apart, around the clock`,
      accounts: ids(o.bots),
      objects: [o.domain],
    });
  }
  traps.push({
    kind: "trending-hashtag",
    description: "hashtags that trend for a few hours on one day (many unrelated accounts, one hashtag)",
    objects: [...new Set(plan.trending.flat().map((t) => t.tag))],
  });
  if (plan.nightWorkers.length > 0) {
    traps.push({
      kind: "night-shift",
      description:
        "ordinary night-shift workers: most posts at night on a rotating roster, an ordinary day on days off",
      accounts: ids(plan.nightWorkers.map((w) => w.account)),
    });
  }
  const tt = plan.textTraps;
  if (tt !== null && tt.greetingDays.length > 0) {
    traps.push({
      kind: "holiday-greeting",
      description: `${tt.greetingAccounts.length} accounts post the same few greetings on a holiday, each at its own time`,
      accounts: ids(tt.greetingAccounts),
      start: iso(plan.startMs + (tt.greetingDays[0] as number) * 86_400_000),
    });
  }
  for (const q of tt?.quotes ?? []) {
    traps.push({
      kind: "viral-quote",
      description: `${q.accounts.length} accounts quote one sentence, hours apart, until ${iso(q.lastMs)}`,
      accounts: ids(q.accounts),
      objects: [q.text],
      start: iso(q.firstMs),
    });
  }
  return {
    schema: "chorus.synth-truth/v1",
    generator: {
      seed: cfg.seed,
      posts: cfg.posts,
      accounts: cfg.accounts,
      days: cfg.days,
      start: iso(plan.startMs),
      end: iso(plan.endMs),
      platform: cfg.platform,
    },
    expected: Object.fromEntries(Object.entries(plan.expected).map(([k, v]) => [k, Math.round(v)])),
    campaigns,
    organicTraps: traps,
  };
}

/** Lists of strings in pretty-printed JSON (which puts one item per line). */
const STRING_LIST = /\[\n\s+("(?:[^"\\]|\\.)*"(?:,\n\s+"(?:[^"\\]|\\.)*")*)\n\s+\]/g;

/** truth.json text: indented, with lists of strings kept on one line so it stays readable. */
export function truthToJson(truth: SynthTruth): string {
  const pretty = JSON.stringify(truth, null, 2);
  return pretty.replace(STRING_LIST, (_m, body: string) => `[${body.replace(/,\n\s+/g, ", ")}]`) + "\n";
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

function hhmm(min: number): string {
  const m = ((min % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

function truthShift(u: PlannedShiftUnit, ids: (list: ArrayLike<number>) => string[]): TruthShift {
  const tz = u.tzOffsetMin;
  const zone = `${tz < 0 ? "-" : "+"}${hhmm(Math.abs(tz))}`;
  return {
    zone,
    day_off: WEEKDAYS[u.dayOff] as string,
    cohorts: u.cohorts.map((c) => {
      const end = c.startLocalMin + c.hours * 60;
      return {
        local: `${hhmm(c.startLocalMin)}-${end === 1440 ? "24:00" : hhmm(end)}`,
        utc: `${hhmm(c.startLocalMin - tz)}-${hhmm(end - tz)}`,
        accounts: ids(c.members),
      };
    }),
    posts: u.schedule.ms.length,
  };
}
