/**
 * Synthetic social-media data with planted coordination, for the bundled sample, evaluations and benchmarks.
 *
 * The world has an organic population that coordinates by accident in every way a naive co-share count can be
 * fooled by: heavy-tailed activity (a few hyperactive accounts), Zipf-popular links and hashtags, celebrity
 * fandoms that repost within seconds, viral links shared by thousands within half an hour, syndication bots
 * that post the same link seconds apart all day, trending hashtags, diurnal rhythms in time zones from UTC-8
 * to UTC+9 (Tehran at +03:30), and short texts in English, Persian and Arabic. Into it, campaigns are planted:
 * link bursts, repost rings and hashtag floods by small groups of mostly young accounts. The ground truth
 * (`generateTruth`) lists the planted accounts and the organic traps.
 *
 * Output is deterministic for a configuration (seed included) and streams: memory is bounded by one hour of
 * posts and the account table, so 10 million posts take no more memory than 100,000.
 */
import type { CampaignKind, SynthConfig, SynthLang } from "./config.js";
import { planWorld, type SynthPlan } from "./plan.js";
import type { SynthAccount } from "./population.js";
import type { SynthPost } from "./post.js";
import { Timeline } from "./timeline.js";

export { defaultConfig, checkConfig, SynthConfigError, CAMPAIGN_KINDS } from "./config.js";
export type { CampaignKind, PlantedCampaignSpec, SynthConfig, SynthLang, TrapConfig } from "./config.js";
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

export type OrganicTrapKind = "hyperactive" | "fandom" | "viral" | "news-bots" | "trending-hashtag";

export interface TruthBurst {
  start: string;
  end: string;
  /** URL or hashtag pushed; for a repost ring, the account id of the original's author. */
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
  bursts: TruthBurst[];
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
    return {
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
