/**
 * The plan of a synthetic world, decided before any post is written: who is who (organic accounts, hyperactive
 * accounts, celebrities and their fans, news bots, campaign members), when the viral moments, trending hashtags
 * and campaign bursts happen, and how much background posting each hour gets. Everything here is small
 * (proportional to accounts and planned events, never to posts), and the ground truth is read off the plan, so
 * `generateTruth` does not need to generate the posts.
 */
import { CLIENTS_BOTS } from "./banks.js";
import type { SynthConfig, SynthLang, TrapConfig } from "./config.js";
import { checkConfig } from "./config.js";
import { buildContent, pageUrl, type ContentModel } from "./content.js";
import { planCampaigns, type PlannedCampaign } from "./campaigns.js";
import { campaignAccount, HandleRegistry, organicAccount, type SynthAccount } from "./population.js";
import { AliasTable, Rng } from "./rng.js";
import { EMPTY_SCHEDULE, type Schedule } from "./schedule.js";
import { planNightWorkers, type NightWorker } from "./shifts.js";
import { planTextTraps, type TextTraps } from "./text-traps.js";

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Relative activity by local hour (people sleep, lunch and scroll in the evening); mean 1. */
export const DIURNAL: Float64Array = (() => {
  const raw = [
    0.55, 0.35, 0.22, 0.15, 0.12, 0.15, 0.3, 0.6, 0.9, 1.05, 1.1, 1.15, 1.25, 1.2, 1.1, 1.05, 1.1, 1.2, 1.35,
    1.5, 1.65, 1.7, 1.45, 1.0,
  ];
  const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
  return Float64Array.from(raw, (x) => x / mean);
})();

/** Draws a local hour of an ordinary person's day. */
const HOUR_TABLE = new AliasTable(DIURNAL);

/** Local hour (0-23) at UTC time `ms` in a zone `tzOffsetMin` minutes east of UTC. */
export function localHour(ms: number, tzOffsetMin: number): number {
  const h = Math.floor((ms + tzOffsetMin * 60_000) / HOUR_MS) % 24;
  return h < 0 ? h + 24 : h;
}

/** The main time zone of each language's audience, for events that are local to it. */
export const MAIN_TZ: Readonly<Record<SynthLang, number>> = { en: -300, fa: 210, ar: 180 };

export interface Fandom {
  celebrity: number;
  fans: Int32Array;
  /** Chance that the fan reposts a given post of the celebrity. */
  fidelity: Float64Array;
  /** Median repost delay in seconds (notification fans: tens of seconds; others: minutes). */
  delayMedianS: Float64Array;
  delaySigma: Float64Array;
}

export interface NewsOutlet {
  domain: string;
  lang: SynthLang;
  bots: number[];
  /** Each bot polls the outlet's feed with its own constant lag. */
  lagMs: number[];
  periodMs: number;
  phaseMs: number;
}

export interface ViralEvent {
  startMs: number;
  url: string;
  lang: SynthLang;
  originator: number;
  participants: Int32Array;
  /** Late sharers over the following hours, drawn at generation time. */
  tail: number;
}

export interface TrendingTag {
  tag: string;
  lang: SynthLang;
  peakMs: number;
  widthMs: number;
}

export interface BackgroundBucket {
  tzOffsetMin: number;
  accounts: Int32Array;
  table: AliasTable;
  weight: number;
}

export interface SynthPlan {
  cfg: SynthConfig;
  startMs: number;
  endMs: number;
  slices: number;
  accounts: SynthAccount[];
  organicCount: number;
  content: ContentModel;
  celebrities: number[];
  hyperactive: number[];
  /** Expected posts of each hyperactive account per unit of its flattened diurnal weight. */
  hyperactiveRate: number[];
  fandoms: Fandom[];
  outlets: NewsOutlet[];
  viral: ViralEvent[];
  /** Trending hashtags by day. */
  trending: TrendingTag[][];
  campaigns: PlannedCampaign[];
  buckets: BackgroundBucket[];
  /** Background posts per unit of bucket weight and diurnal factor. */
  backgroundRate: number;
  /** Ordinary people working night shifts (evalConfig), and their planned posts. */
  nightWorkers: NightWorker[];
  nightSchedule: Schedule;
  /** Holiday greetings and quoted sentences (evalConfig), or null. */
  textTraps: TextTraps | null;
  /** Expected organic posts by source, for the budget and the README. */
  expected: Record<string, number>;
}

function dayStart(startMs: number, day: number): number {
  return startMs + day * DAY_MS;
}

/** Plan the world for a configuration. Pure: the same configuration always gives the same plan. */
export function planWorld(cfg: SynthConfig): SynthPlan {
  checkConfig(cfg);
  const startMs = Math.floor(Date.parse(cfg.start) / HOUR_MS) * HOUR_MS;
  const slices = cfg.days * 24;
  const endMs = startMs + slices * HOUR_MS;
  const content = buildContent(cfg.seed, startMs, cfg.posts / cfg.days);
  const handles = new HandleRegistry();
  const accounts: SynthAccount[] = [];
  for (let i = 0; i < cfg.accounts; i++) {
    accounts.push(organicAccount({ rng: Rng.for(cfg.seed, "account", i), index: i, startMs, handles }));
  }
  const roles = Rng.for(cfg.seed, "roles");
  const order = roles.shuffle(accounts.map((a) => a.index));
  const t = cfg.traps;
  let next = 0;
  const take = (n: number): number[] => order.slice(next, (next += n));
  const hyperactive = take(t.hyperactive);
  const celebrities = take(t.celebrities);
  const botIds = take(t.newsOutlets * t.botsPerOutlet);
  const nightIds = take(t.nightWorkers ?? 0);
  for (const i of nightIds) (accounts[i] as SynthAccount).activity = 0;
  for (const i of hyperactive) assignHyperactive(accounts[i] as SynthAccount, roles);
  for (const i of celebrities) assignCelebrity(accounts[i] as SynthAccount, roles);
  const ordinary = order.slice(next);

  const byLang: Record<SynthLang, number[]> = { en: [], fa: [], ar: [] };
  for (const i of ordinary) byLang[(accounts[i] as SynthAccount).lang].push(i);
  const fandoms = celebrities.map((c, k) => planFandom(cfg, accounts, c, byLang, hyperactive, k));
  const outlets = planOutlets(cfg, content, accounts, botIds, handles);

  const campaignRng = Rng.for(cfg.seed, "campaign-members");
  const memberLists: number[][] = [];
  cfg.campaigns.forEach((spec, c) => {
    const wave = { centerMs: startMs - campaignRng.between(7, 40) * DAY_MS, scheme: campaignRng.int(3) };
    const members: number[] = [];
    for (let j = 0; j < spec.size; j++) {
      const index = accounts.length;
      const rng = Rng.for(cfg.seed, "member", c, j);
      const a = campaignAccount({ rng, index, startMs, handles }, spec, c, wave);
      // A shift unit's members post only in their shifts: nothing of theirs comes from the background.
      if (spec.kind === "shift-unit") a.activity = 0;
      accounts.push(a);
      members.push(index);
    }
    memberLists.push(members);
  });
  const campaigns = planCampaigns({
    cfg,
    startMs,
    endMs,
    content,
    accounts,
    memberLists,
    celebrities,
  });

  const everyone = [...ordinary, ...memberLists.flat()].filter(
    (i) => (accounts[i] as SynthAccount).activity > 0,
  );
  const viral = planViral(cfg, content, accounts, everyone, hyperactive, startMs);
  const trending = planTrending(cfg, content, startMs);
  const night = planNightWorkers(cfg.seed, accounts, nightIds, startMs, endMs, HOUR_TABLE);
  const textTraps =
    (t.greetingDays ?? 0) > 0 || (t.viralQuotes ?? 0) > 0
      ? planTextTraps(cfg, accounts, ordinary, startMs)
      : null;

  const expected: Record<string, number> = {};
  expected["celebrity posts"] = t.celebrities * t.celebrityPostsPerDay * cfg.days;
  let fidelity = 0;
  for (const f of fandoms) for (const x of f.fidelity) fidelity += x;
  expected["fan reposts"] = fidelity * t.celebrityPostsPerDay * cfg.days;
  expected["viral shares"] = viral.reduce((s, v) => s + v.participants.length + 1 + v.tail, 0);
  expected["news-bot posts"] = t.newsOutlets * t.botsPerOutlet * t.newsPostsPerDay * cfg.days;
  const hyperPosts = hyperactive.map((i) => Rng.for(cfg.seed, "hyper-posts", i));
  const hyperTotals = hyperPosts.map((r) => r.between(t.hyperactivePosts[0], t.hyperactivePosts[1]));
  expected["hyperactive posts"] = hyperTotals.reduce((a, b) => a + b, 0);
  if (nightIds.length > 0) expected["night-worker posts"] = night.schedule.ms.length;
  if (textTraps !== null) {
    expected["holiday greetings"] = textTraps.greetings.ms.length;
    expected["quoted sentences"] = textTraps.quoteSchedule.ms.length;
  }
  const trapPosts = Object.values(expected).reduce((a, b) => a + b, 0);
  const background = Math.max(0.25 * cfg.posts, cfg.posts - trapPosts);
  expected["background posts"] = background;

  const hyperactiveRate = hyperactive.map((i, k) => {
    const tz = (accounts[i] as SynthAccount).tzOffsetMin;
    let sum = 0;
    for (let s = 0; s < slices; s++) sum += hyperFlat(localHour(startMs + s * HOUR_MS, tz));
    return (hyperTotals[k] as number) / sum;
  });

  const buckets = planBuckets(accounts, ordinary, memberLists.flat());
  let norm = 0;
  for (let s = 0; s < slices; s++) {
    const ms = startMs + s * HOUR_MS;
    for (const b of buckets) norm += b.weight * (DIURNAL[localHour(ms, b.tzOffsetMin)] as number);
  }
  return {
    cfg,
    startMs,
    endMs,
    slices,
    accounts,
    organicCount: cfg.accounts,
    content,
    celebrities,
    hyperactive,
    hyperactiveRate,
    fandoms,
    outlets,
    viral,
    trending,
    campaigns,
    buckets,
    backgroundRate: background / norm,
    expected,
    nightWorkers: night.workers,
    nightSchedule: nightIds.length > 0 ? night.schedule : EMPTY_SCHEDULE,
    textTraps,
  };
}

/** Hyperactive accounts sleep less: half of their activity ignores the clock. */
export function hyperFlat(hour: number): number {
  return 0.5 + 0.5 * (DIURNAL[hour] as number);
}

function assignHyperactive(a: SynthAccount, rng: Rng): void {
  a.role = "hyperactive";
  a.activity = 0;
  a.reach = Math.min(1, 0.05 + rng.next() * 0.2);
}

function assignCelebrity(a: SynthAccount, rng: Rng): void {
  a.role = "celebrity";
  a.activity = 0;
  a.reach = 1;
  a.client = rng.chance(0.5) ? "Twitter for iPhone" : "Twitter Web App";
}

function planFandom(
  cfg: SynthConfig,
  accounts: SynthAccount[],
  celebrity: number,
  byLang: Record<SynthLang, number[]>,
  hyperactive: number[],
  k: number,
): Fandom {
  const rng = Rng.for(cfg.seed, "fandom", k);
  const lang = (accounts[celebrity] as SynthAccount).lang;
  const same = byLang[lang];
  const others = (["en", "fa", "ar"] as const).filter((l) => l !== lang).map((l) => byLang[l]);
  const n = cfg.traps.fansPerCelebrity;
  const nSame = Math.min(same.length, Math.round(n * 0.75));
  // Fans from other languages: split between them by their size.
  const [o1, o2] = others as [number[], number[]];
  const n1 = Math.round(((n - nSame) * o1.length) / Math.max(1, o1.length + o2.length));
  const fans = [
    ...rng.sample(same, nSame),
    ...rng.sample(o1, n1),
    ...rng.sample(o2, n - nSame - n1),
    ...hyperactive,
  ];
  const fidelity = new Float64Array(fans.length);
  const delayMedianS = new Float64Array(fans.length);
  const delaySigma = new Float64Array(fans.length);
  fans.forEach((f, j) => {
    const hyper = (accounts[f] as SynthAccount).role === "hyperactive";
    const notified = hyper || rng.chance(0.3);
    fidelity[j] = hyper ? rng.between(0.5, 0.8) : notified ? rng.between(0.45, 0.85) : rng.between(0.08, 0.4);
    delayMedianS[j] = notified ? rng.between(12, 60) : rng.between(120, 1500);
    delaySigma[j] = notified ? 0.5 : 0.9;
  });
  return { celebrity, fans: Int32Array.from(fans), fidelity, delayMedianS, delaySigma };
}

function planOutlets(
  cfg: SynthConfig,
  content: ContentModel,
  accounts: SynthAccount[],
  botIds: number[],
  handles: HandleRegistry,
): NewsOutlet[] {
  const t: TrapConfig = cfg.traps;
  const rng = Rng.for(cfg.seed, "outlets");
  const headCount = 22;
  const candidates = content.domains.slice(headCount, headCount + Math.max(60, t.newsOutlets * 2));
  const domains = rng.sample(candidates, t.newsOutlets);
  const periodMs = Math.round(DAY_MS / t.newsPostsPerDay);
  return domains.map((domain, o) => {
    const lang: SynthLang = rng.pick(["en", "en", "fa", "ar"]);
    const bots = botIds.slice(o * t.botsPerOutlet, (o + 1) * t.botsPerOutlet);
    const stem = (domain.split(".")[0] as string).slice(0, 10);
    bots.forEach((b, j) => {
      const a = accounts[b] as SynthAccount;
      a.role = "news-bot";
      a.activity = 0;
      a.lang = lang;
      a.reach = 0.05;
      a.client = rng.pick(CLIENTS_BOTS);
      a.handle = handles.claim(rng, `${stem}${["_feed", "_news", "Now", "_live", "_bot"][j % 5]}`);
      a.displayName = `${stem.charAt(0).toUpperCase()}${stem.slice(1)} ${["Feed", "News", "Now", "Live", "Bot"][j % 5]}`;
      a.bio = `Automated headlines from ${domain}`;
    });
    return {
      domain,
      lang,
      bots,
      lagMs: bots.map((_, j) =>
        Math.round(j === 0 ? rng.between(2_000, 20_000) : rng.between(5_000, 90_000)),
      ),
      periodMs,
      phaseMs: rng.int(periodMs),
    };
  });
}

function planViral(
  cfg: SynthConfig,
  content: ContentModel,
  accounts: SynthAccount[],
  pool: number[],
  hyperactive: number[],
  startMs: number,
): ViralEvent[] {
  const rng = Rng.for(cfg.seed, "viral");
  const weights = pool.map((i) => Math.sqrt((accounts[i] as SynthAccount).activity) + 0.2);
  const table = new AliasTable(weights);
  const days = rng.sample(
    Array.from({ length: cfg.days }, (_, d) => d),
    cfg.traps.viralEvents,
  );
  return days.map((day, e) => {
    const lang: SynthLang = rng.pick(["en", "fa", "ar"]);
    const localMin = rng.between(10 * 60, 21 * 60);
    const t0 = dayStart(startMs, day) + Math.round((localMin - MAIN_TZ[lang]) * 60_000);
    const inRange = Math.min(Math.max(t0, startMs + HOUR_MS), startMs + cfg.days * DAY_MS - 8 * HOUR_MS);
    const domain = rng.pick(["youtube.com", "bbc.com", "reuters.com", "instagram.com", "t.me", "cnn.com"]);
    const url = pageUrl(domain, dayStart(startMs, day), Rng.for(cfg.seed, "viral-url", e));
    const candidates = pool.filter((i) => (accounts[i] as SynthAccount).lang === lang);
    const originator = rng.pick(candidates.length > 0 ? candidates : pool);
    const chosen = new Set<number>([originator]);
    const want = Math.min(cfg.traps.viralAccounts, Math.floor(pool.length * 0.8));
    for (const h of hyperactive) chosen.add(h);
    for (let tries = 0; chosen.size < want + 1 && tries < want * 20; tries++) {
      chosen.add(pool[table.draw(rng)] as number);
    }
    chosen.delete(originator);
    return {
      startMs: inRange,
      url,
      lang,
      originator,
      participants: Int32Array.from(chosen),
      tail: Math.round(chosen.size * 0.1),
    };
  });
}

function planTrending(cfg: SynthConfig, content: ContentModel, startMs: number): TrendingTag[][] {
  const rng = Rng.for(cfg.seed, "trending");
  const out: TrendingTag[][] = [];
  for (let d = 0; d < cfg.days; d++) {
    const today: TrendingTag[] = [];
    for (let k = 0; k < cfg.traps.trendingPerDay; k++) {
      const lang: SynthLang = rng.pick(["en", "fa", "ar"]);
      const tags = content.tagsByLang[lang];
      const localMin = rng.between(12 * 60, 22 * 60);
      today.push({
        tag: tags[rng.int(Math.min(10, tags.length))] as string,
        lang,
        peakMs: dayStart(startMs, d) + Math.round((localMin - MAIN_TZ[lang]) * 60_000),
        widthMs: Math.round(rng.between(1, 2.5) * HOUR_MS),
      });
    }
    out.push(today);
  }
  return out;
}

function planBuckets(accounts: SynthAccount[], ordinary: number[], members: number[]): BackgroundBucket[] {
  const byTz = new Map<number, number[]>();
  for (const i of [...ordinary, ...members]) {
    const a = accounts[i] as SynthAccount;
    if (a.activity <= 0) continue;
    const list = byTz.get(a.tzOffsetMin) ?? [];
    list.push(i);
    byTz.set(a.tzOffsetMin, list);
  }
  return [...byTz.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([tz, list]) => {
      const w = list.map((i) => (accounts[i] as SynthAccount).activity);
      return {
        tzOffsetMin: tz,
        accounts: Int32Array.from(list),
        table: new AliasTable(w),
        weight: w.reduce((a, b) => a + b, 0),
      };
    });
}
