/**
 * Planted campaigns: small groups of accounts (10-60) that act together in short bursts during the operators'
 * office hours, over one to two weeks.
 *
 * - link-burst: a new URL, shared by 40-80% of the members within 5-60 seconds, again and again;
 * - repost-ring: a handler (or a member) posts, other members repost it within seconds;
 * - hashtag-flood: members post one hashtag within a minute or two, with slightly varied texts;
 * - copypasta: members paste one message (0-3 small edits per copy) within a few minutes, with no link or
 *   hashtag, so only the text binds them;
 * - shift-unit: cohorts post in their own shifts round the clock, each member at its own times (see shifts.ts).
 *
 * The signal is deliberately modest: each pair of members co-shares only a handful of times (participation
 * is partial and random per burst), far fewer than two fans of a celebrity or two syndication bots. What gives
 * a campaign away is the group: dense, repeated, tight in time, young accounts, several layers at once.
 */
import type { CampaignKind, PlantedCampaignSpec, SynthConfig, SynthLang } from "./config.js";
import { campaignDomains, organicTag, pageUrl, type ContentModel } from "./content.js";
import { CAMPAIGN_TAGS } from "./banks.js";
import { COPYPASTA, UNIT_TAGS } from "./banks-text.js";
import type { SynthAccount } from "./population.js";
import { Rng } from "./rng.js";
import { planShiftUnit, type PlannedShiftUnit } from "./shifts.js";

const DAY_MS = 86_400_000;

export interface PlannedBurst {
  startMs: number;
  kind: CampaignKind;
  /**
   * The URL or hashtag pushed; for copypasta, the message's template; for a repost ring, empty (the original is
   * created at generation).
   */
  object: string;
  /** A second hashtag some members add (a trending one, to ride it). */
  extraTag: string | null;
  /** The account that starts the burst: first sharer, or the author of the ring's original. */
  originator: number;
  /** Participants in order of action, the originator first, with their offsets from `startMs`. */
  members: number[];
  offsetsMs: number[];
}

export interface PlannedCampaign {
  id: string;
  spec: PlantedCampaignSpec;
  members: number[];
  /** Accounts whose posts a repost ring amplifies. */
  handlers: number[];
  /** The campaign's own sites. */
  domains: string[];
  tags: string[];
  /** An account the members mention (a target or an ally), or -1 when there is none. */
  target: number;
  bursts: PlannedBurst[];
  /** Shift units: cohorts, shifts and every post's time. */
  shift?: PlannedShiftUnit;
}

export interface CampaignPlanInput {
  cfg: SynthConfig;
  startMs: number;
  endMs: number;
  content: ContentModel;
  accounts: SynthAccount[];
  memberLists: number[][];
  celebrities: number[];
}

/** UTC day of week (0 = Sunday) on which the operators of a language rest. */
const REST_DAY: Readonly<Record<SynthLang, number>> = { fa: 5, ar: 5, en: 0 };

export function planCampaigns(input: CampaignPlanInput): PlannedCampaign[] {
  const { cfg, content } = input;
  const copyOrdinal = new Map<number, [number, number]>();
  for (const lang of ["en", "fa", "ar"] as const) {
    const mine = cfg.campaigns.flatMap((s, c) => (s.kind === "copypasta" && s.lang === lang ? [c] : []));
    mine.forEach((c, k) => copyOrdinal.set(c, [k, mine.length]));
  }
  return cfg.campaigns.map((spec, c) => {
    if (spec.kind === "copypasta") return planCopypasta(input, spec, c, copyOrdinal.get(c) ?? [0, 1]);
    if (spec.kind === "shift-unit") return planShift(input, spec, c);
    const rng = Rng.for(cfg.seed, "campaign", c);
    const members = input.memberLists[c] as number[];
    const handlers = spec.kind === "repost-ring" ? members.slice(0, members.length >= 20 ? 2 : 1) : [];
    for (const h of handlers) {
      const a = input.accounts[h] as SynthAccount;
      a.reach = Math.max(a.reach, 0.3);
    }
    const tags = rng.sample(CAMPAIGN_TAGS[spec.lang], 2);
    const domains = spec.kind === "hashtag-flood" ? [] : campaignDomains(rng, rng.intBetween(1, 2));
    const bursts: PlannedBurst[] = [];
    for (let b = 0; b < spec.bursts; b++) {
      const startMs = burstTime(rng, input, spec);
      const [lo, hi] = spec.participation;
      const k = Math.max(2, Math.round(rng.between(lo, hi) * members.length));
      const key = Rng.for(cfg.seed, "campaign-object", c, b);
      if (spec.kind === "repost-ring") {
        const originator = rng.chance(0.7) ? rng.pick(handlers) : rng.pick(members);
        const reposters = rng.sample(
          members.filter((m) => m !== originator),
          k - 1,
        );
        const offsets = reposters.map(() => Math.round(rng.between(3_000, 40_000))).sort((x, y) => x - y);
        bursts.push({
          startMs,
          kind: spec.kind,
          object: "",
          extraTag: null,
          originator,
          members: [originator, ...reposters],
          offsetsMs: [0, ...offsets],
        });
        continue;
      }
      const participants = rng.sample(members, k);
      const spanMs = spec.kind === "link-burst" ? rng.between(5_000, 60_000) : rng.between(45_000, 150_000);
      const offsets = participants.slice(1).map(() => Math.round(rng.next() * spanMs));
      offsets.sort((x, y) => x - y);
      let object: string;
      if (spec.kind === "link-burst") {
        // Mostly the campaign's own sites, sometimes a fresh article on an established site.
        const domain = rng.chance(0.6)
          ? rng.pick(domains)
          : (content.domains[rng.intBetween(5, Math.min(60, content.domains.length - 1))] as string);
        object = pageUrl(domain, startMs, key);
      } else {
        object = tags[b % tags.length] as string;
      }
      bursts.push({
        startMs,
        kind: spec.kind,
        object,
        extraTag:
          spec.kind === "hashtag-flood" && rng.chance(0.3) ? organicTag(content, key, spec.lang) : null,
        originator: participants[0] as number,
        members: participants,
        offsetsMs: [0, ...offsets],
      });
    }
    bursts.sort((x, y) => x.startMs - y.startMs);
    return {
      id: `P${c + 1}`,
      spec,
      members,
      handlers,
      domains,
      tags,
      target: input.celebrities.length > 0 ? rng.pick(input.celebrities) : -1,
      bursts,
    };
  });
}

/** A time in the operators' office hours (09:00-18:00 local), on an active day that is not their rest day. */
function burstTime(rng: Rng, input: CampaignPlanInput, spec: PlantedCampaignSpec): number {
  let day = spec.firstDay + rng.int(spec.activeDays);
  for (let tries = 0; tries < 5; tries++) {
    const weekday = new Date(input.startMs + day * DAY_MS + 12 * 3_600_000).getUTCDay();
    if (weekday !== REST_DAY[spec.lang]) break;
    day = spec.firstDay + rng.int(spec.activeDays);
  }
  const localMs = rng.between(9, 18) * 3_600_000;
  const t = input.startMs + day * DAY_MS + Math.round(localMs - spec.tzOffsetMin * 60_000);
  return Math.min(Math.max(t, input.startMs), input.endMs - 600_000);
}

/**
 * A copypasta campaign: each burst pastes one message from the campaign's share of the bank (campaigns of one
 * language never paste the same message); 40-85% of the members, within one to five minutes.
 */
function planCopypasta(
  input: CampaignPlanInput,
  spec: PlantedCampaignSpec,
  c: number,
  [ordinal, of]: [number, number],
): PlannedCampaign {
  const { cfg } = input;
  const rng = Rng.for(cfg.seed, "copypasta", c);
  const members = input.memberLists[c] as number[];
  const bank = COPYPASTA[spec.lang];
  const perm = Rng.for(cfg.seed, "copypasta-bank", ["en", "fa", "ar"].indexOf(spec.lang)).shuffle(
    bank.map((_, i) => i),
  );
  const texts = perm.filter((_, i) => i % of === ordinal).map((i) => bank[i] as string);
  const bursts: PlannedBurst[] = [];
  for (let b = 0; b < spec.bursts; b++) {
    const startMs = burstTime(rng, input, spec);
    const [lo, hi] = spec.participation;
    const k = Math.max(2, Math.round(rng.between(lo, hi) * members.length));
    const participants = rng.sample(members, k);
    const spanMs = rng.between(60_000, 300_000);
    const offsets = participants.slice(1).map(() => Math.round(rng.next() * spanMs));
    offsets.sort((x, y) => x - y);
    bursts.push({
      startMs,
      kind: "copypasta",
      object: texts[b % texts.length] as string,
      extraTag: null,
      originator: participants[0] as number,
      members: participants,
      offsetsMs: [0, ...offsets],
    });
  }
  bursts.sort((x, y) => x.startMs - y.startMs);
  return { id: `P${c + 1}`, spec, members, handlers: [], domains: [], tags: [], target: -1, bursts };
}

function planShift(input: CampaignPlanInput, spec: PlantedCampaignSpec, c: number): PlannedCampaign {
  const { cfg } = input;
  const rng = Rng.for(cfg.seed, "shift-plan", c);
  const members = input.memberLists[c] as number[];
  const tags = rng.sample(UNIT_TAGS[spec.lang], Math.min(3, UNIT_TAGS[spec.lang].length));
  return {
    id: `P${c + 1}`,
    spec,
    members,
    handlers: [],
    domains: [],
    tags,
    target: input.celebrities.length > 0 ? rng.pick(input.celebrities) : -1,
    bursts: [],
    shift: planShiftUnit(cfg.seed, c, spec, members, input.startMs, input.endMs),
  };
}
