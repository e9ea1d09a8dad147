/**
 * What the synthetic generator is asked to produce: an organic population with its traps, and planted
 * campaigns. `defaultConfig(posts, seed)` scales everything from one number so the bundled sample (a few
 * thousand posts) and the benchmarks (millions) are the same world at different sizes.
 */
import { Rng } from "./rng.js";

export type SynthLang = "en" | "fa" | "ar";
export type CampaignKind = "link-burst" | "repost-ring" | "hashtag-flood" | "copypasta" | "shift-unit";

/** The kinds `defaultConfig` plants, in turn (the bundled sample and the benchmarks). */
export const CAMPAIGN_KINDS: readonly CampaignKind[] = ["link-burst", "repost-ring", "hashtag-flood"];

/** Every kind the generator can plant; `evalConfig` adds copypasta campaigns and a shift unit. */
export const ALL_CAMPAIGN_KINDS: readonly CampaignKind[] = [...CAMPAIGN_KINDS, "copypasta", "shift-unit"];

/**
 * A unit staffed in shifts: cohorts that each post only inside their own block of the day in the operators'
 * time zone (`tzOffsetMin` of the campaign), every week except one day off, each member at its own times.
 */
export interface ShiftSpec {
  /** Cohorts; their shifts follow one another from `firstStartHour`. */
  cohorts: number;
  /** Length of each shift in hours. */
  hours: number;
  /** Local hour (0-23) at which the first cohort's shift starts. */
  firstStartHour: number;
  /** Local weekday off (0 = Sunday ... 5 = Friday, the Iranian weekend), counted on the shift's start date. */
  dayOff: number;
  /** Posts of each member over its active weeks, drawn uniformly from this range. */
  postsPerMember: [number, number];
  /** Share of a member's posts that carry one of the unit's hashtags, drawn per member from this range. */
  tagShare: [number, number];
}

export interface PlantedCampaignSpec {
  kind: CampaignKind;
  /** Member accounts (10–60 is the realistic range). */
  size: number;
  /** Coordinated actions over the campaign's life: link bursts, ring originals, hashtag floods. */
  bursts: number;
  /** Main language of the members and of their coordinated posts. */
  lang: SynthLang;
  /** First active day, counted from `start` (0-based). */
  firstDay: number;
  activeDays: number;
  /** Share of the members taking part in each burst, drawn uniformly from this range per burst. */
  participation: [number, number];
  /** The operators' time zone, minutes east of UTC: bursts fall in its office hours. */
  tzOffsetMin: number;
  /** Share of members created within weeks before the campaign; the rest are older (bought or reused). */
  youngShare: number;
  /** Share of members with a templated handle (word + digits); the rest look like anyone else's. */
  templatedShare: number;
  /** shift-unit only: the rota. `bursts` and `participation` do not apply to a shift unit. */
  shift?: ShiftSpec;
}

export interface TrapConfig {
  /** Accounts that post hundreds of times, join every viral moment and repost celebrities fast. */
  hyperactive: number;
  /** Range of posts per hyperactive account over the whole period. */
  hyperactivePosts: [number, number];
  /** Popular accounts whose fans repost them within minutes, again and again (organic fandoms). */
  celebrities: number;
  fansPerCelebrity: number;
  celebrityPostsPerDay: number;
  /** Moments when a large share of the population posts one link within half an hour. */
  viralEvents: number;
  viralAccounts: number;
  /** News outlets whose feed is syndicated by several bots: same link, seconds apart, around the clock. */
  newsOutlets: number;
  botsPerOutlet: number;
  newsPostsPerDay: number;
  /** Hashtags that trend for a few hours each day. */
  trendingPerDay: number;
  /**
   * Traps for the text and rhythm layers (`evalConfig`; absent from `defaultConfig`, so the sample keeps its
   * bytes). Night-shift workers: ordinary people who post mostly at night on a rotating roster, and like
   * anyone else on their days off.
   */
  nightWorkers?: number;
  /** Holidays on which many ordinary accounts post the same greeting, each at its own time. */
  greetingDays?: number;
  /** Share of the organic accounts posting a greeting on a holiday. */
  greetingShare?: number;
  /** Sentences that go viral as text: a few accounts each quote one, hours apart, over a day or three. */
  viralQuotes?: number;
  quotersPerQuote?: [number, number];
}

export interface SynthConfig {
  seed: number;
  /** Approximate number of organic posts (traps included, planted campaign posts come on top). */
  posts: number;
  /** Organic accounts; campaign members are added on top. */
  accounts: number;
  days: number;
  /** Start of the period, ISO 8601. */
  start: string;
  platform: string;
  campaigns: PlantedCampaignSpec[];
  traps: TrapConfig;
}

export class SynthConfigError extends Error {
  override name = "SynthConfigError";
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** Operators' time zones by campaign language (Tehran is UTC+03:30). */
const OPERATOR_TZ: Readonly<Record<SynthLang, readonly number[]>> = {
  fa: [210],
  ar: [180, 180, 240, 120],
  en: [210, 180, 0, -300],
};

/**
 * A realistic configuration for about `posts` organic posts: a population of accounts growing a little slower
 * than the posts, three weeks of time (unless `days` says otherwise), three planted campaigns at sample size
 * and more as the data grows.
 *
 * @example
 * const cfg = defaultConfig(6000, 7); // ~330 organic accounts, 3 campaigns, 21 days from 2024-03-01
 */
export function defaultConfig(posts: number, seed = 1, days = 21): SynthConfig {
  // Below this the traps' minimum sizes (three fandoms, two viral moments, bots) outweigh the rest.
  if (!Number.isFinite(posts) || posts < 2000) {
    throw new SynthConfigError(`synth: posts must be at least 2000, got ${String(posts)}`);
  }
  if (!Number.isInteger(days) || days < 7 || days > 366) {
    throw new SynthConfigError(`synth: days must be a whole number in 7..366, got ${String(days)}`);
  }
  const rng = Rng.for(seed, "default-config");
  const accounts = Math.max(120, Math.round(330 * Math.pow(posts / 6000, 0.82)));
  const small = posts <= 12_000;
  const celebrities = clamp(Math.round(Math.sqrt(accounts) / 6), 3, 40);
  const celebrityPostsPerDay = 2;
  const hyperactive = clamp(Math.round(accounts * 0.006), 3, 400);
  // Hyperactive accounts write about 15% of small datasets; in large ones each posts 150-450 times.
  const hyperMean = Math.min(300, (0.15 * posts) / hyperactive);
  const botsPerOutlet = small ? 2 : 3;
  const newsOutlets = clamp(Math.round(accounts / 150), 2, 40);
  const nCampaigns = posts <= 12_000 ? 3 : Math.min(24, Math.round(3 * Math.log10(posts / 600)));
  const langs: SynthLang[] = rng.shuffle(["fa", "en", "ar"]);
  const campaigns: PlantedCampaignSpec[] = [];
  for (let i = 0; i < nCampaigns; i++) {
    const kind = CAMPAIGN_KINDS[i % CAMPAIGN_KINDS.length] as CampaignKind;
    const lang = langs[i % langs.length] as SynthLang;
    const activeDays = Math.min(days, rng.intBetween(7, 14));
    const bursts =
      kind === "link-burst"
        ? rng.intBetween(12, 20)
        : kind === "repost-ring"
          ? rng.intBetween(14, 24)
          : rng.intBetween(8, 14);
    campaigns.push({
      kind,
      size: small ? rng.intBetween(14, 30) : rng.intBetween(10, 60),
      bursts,
      lang,
      firstDay: rng.intBetween(0, days - activeDays),
      activeDays,
      participation: [0.4, 0.8],
      tzOffsetMin: rng.pick(OPERATOR_TZ[lang]),
      youngShare: rng.between(0.55, 0.8),
      templatedShare: rng.between(0.5, 0.75),
    });
  }
  return {
    seed,
    posts: Math.round(posts),
    accounts,
    days,
    start: "2024-03-01T00:00:00.000Z",
    platform: "twitter",
    campaigns,
    traps: {
      hyperactive,
      hyperactivePosts: [Math.round(hyperMean * 0.5), Math.round(hyperMean * 1.5)],
      celebrities,
      // Fan reposts make about a tenth of the posts (a fan reposts a third of the posts on average).
      fansPerCelebrity: clamp(
        Math.round((0.1 * posts) / (celebrities * celebrityPostsPerDay * days * 0.33)),
        8,
        Math.round(accounts * 0.3),
      ),
      celebrityPostsPerDay,
      viralEvents: small ? 2 : 3,
      viralAccounts: clamp(Math.round(accounts * 0.3), 40, 4000),
      newsOutlets,
      botsPerOutlet,
      // Syndication makes about 8% of small datasets, at most one link an hour per outlet in large ones.
      newsPostsPerDay: clamp(Math.round((0.08 * posts) / (newsOutlets * botsPerOutlet * days)), 2, 24),
      trendingPerDay: 2,
    },
  };
}

/** Throws SynthConfigError for a configuration the generator cannot honour. */
export function checkConfig(cfg: SynthConfig): void {
  const fail = (msg: string): never => {
    throw new SynthConfigError(`synth: ${msg}`);
  };
  if (!Number.isFinite(cfg.seed)) fail("seed must be a finite number");
  if (!(cfg.posts >= 100)) fail(`posts must be at least 100, got ${cfg.posts}`);
  if (!(cfg.accounts >= 50)) fail(`accounts must be at least 50, got ${cfg.accounts}`);
  if (!(cfg.days >= 1 && cfg.days <= 366)) fail(`days must be in 1..366, got ${cfg.days}`);
  if (!Number.isFinite(Date.parse(cfg.start))) fail(`start '${cfg.start}' is not an ISO 8601 time`);
  if (!cfg.platform) fail("platform is empty");
  const t = cfg.traps;
  const special = t.hyperactive + t.celebrities + t.newsOutlets * t.botsPerOutlet + (t.nightWorkers ?? 0);
  if (special > cfg.accounts / 3) fail(`traps take ${special} of ${cfg.accounts} accounts; at most a third`);
  if (t.fansPerCelebrity > cfg.accounts / 2) fail("fansPerCelebrity exceeds half the accounts");
  if (t.viralAccounts > cfg.accounts) fail("viralAccounts exceeds the accounts");
  if (t.hyperactivePosts[0] > t.hyperactivePosts[1]) fail("hyperactivePosts range is reversed");
  cfg.campaigns.forEach((c, i) => {
    if (!(c.size >= 3)) fail(`campaign ${i + 1}: size must be at least 3`);
    if (c.kind === "shift-unit") return checkShift(c, i, cfg.days, fail);
    if (!(c.bursts >= 1)) fail(`campaign ${i + 1}: bursts must be at least 1`);
    if (c.firstDay < 0 || c.activeDays < 1 || c.firstDay + c.activeDays > cfg.days) {
      fail(`campaign ${i + 1}: active days ${c.firstDay}+${c.activeDays} fall outside ${cfg.days} days`);
    }
    const [lo, hi] = c.participation;
    if (!(lo > 0 && lo <= hi && hi <= 1))
      fail(`campaign ${i + 1}: participation must satisfy 0 < lo <= hi <= 1`);
  });
}

function checkShift(c: PlantedCampaignSpec, i: number, days: number, fail: (msg: string) => never): void {
  const s = c.shift;
  if (s === undefined) return fail(`campaign ${i + 1}: a shift unit needs its shift`);
  if (c.firstDay < 0 || c.activeDays < 14 || c.firstDay + c.activeDays > days) {
    fail(`campaign ${i + 1}: a shift unit needs 14 or more active days inside ${days} days`);
  }
  if (!(s.cohorts >= 1 && s.cohorts <= c.size)) fail(`campaign ${i + 1}: cohorts must be in 1..size`);
  if (!(s.hours >= 1 && s.hours * s.cohorts <= 24))
    fail(`campaign ${i + 1}: the shifts overlap or exceed a day`);
  if (!(s.firstStartHour >= 0 && s.firstStartHour < 24)) fail(`campaign ${i + 1}: firstStartHour in 0..23`);
  if (!(s.dayOff >= 0 && s.dayOff <= 6)) fail(`campaign ${i + 1}: dayOff must be a weekday 0..6`);
  const [lo, hi] = s.postsPerMember;
  if (!(lo >= 1 && lo <= hi)) fail(`campaign ${i + 1}: postsPerMember must satisfy 1 <= lo <= hi`);
  const [tl, th] = s.tagShare;
  if (!(tl >= 0 && tl <= th && th <= 1)) fail(`campaign ${i + 1}: tagShare must satisfy 0 <= lo <= hi <= 1`);
}

export interface EvalWorldOptions {
  /** Plant copypasta campaigns (Persian and English, then Arabic as the data grows). Default true. */
  copypasta?: boolean;
  /** Plant a shift unit (three 8-hour shifts in Tehran time, Fridays off). Default true. */
  shiftUnit?: boolean;
  /** Days of data; weekly patterns need several weeks (default 42). */
  days?: number;
}

/**
 * The evaluation's world: `defaultConfig` over six weeks (so weekly days off can be seen), plus copypasta
 * campaigns bound only by their texts, a shift unit bound only by its schedule, and the organic traps for those
 * two layers (night-shift workers, holiday greetings, quotes that go viral as text). The bundled sample keeps
 * `defaultConfig`; everything added here draws from its own random streams.
 *
 * @example
 * const cfg = evalConfig(300_000, 1); // 8 campaigns of the old kinds, 2 copypasta campaigns, 1 shift unit
 */
export function evalConfig(posts: number, seed = 1, opts: EvalWorldOptions = {}): SynthConfig {
  const days = opts.days ?? 42;
  const cfg = defaultConfig(posts, seed, days);
  const rng = Rng.for(seed, "eval-config");
  const campaigns = [...cfg.campaigns];
  if (opts.copypasta ?? true) {
    const n = Math.max(2, Math.round(campaigns.length / 4));
    const langs: SynthLang[] = ["fa", "en", "ar"];
    for (let i = 0; i < n; i++) {
      const lang = langs[i % langs.length] as SynthLang;
      const activeDays = Math.min(days, rng.intBetween(7, 14));
      campaigns.push({
        kind: "copypasta",
        size: rng.intBetween(20, 40),
        bursts: rng.intBetween(10, 20),
        lang,
        firstDay: rng.intBetween(0, days - activeDays),
        activeDays,
        participation: [0.45, 0.85],
        tzOffsetMin: rng.pick(OPERATOR_TZ[lang]),
        youngShare: rng.between(0.55, 0.8),
        templatedShare: rng.between(0.5, 0.75),
      });
    }
  }
  if ((opts.shiftUnit ?? true) && days >= 21) {
    const units = posts >= 3_000_000 ? 2 : 1;
    for (let u = 0; u < units; u++) {
      const activeDays = rng.intBetween(21, Math.min(42, days));
      campaigns.push({
        kind: "shift-unit",
        size: rng.intBetween(30, 45),
        bursts: 0,
        lang: "fa",
        firstDay: rng.intBetween(0, days - activeDays),
        activeDays,
        participation: [1, 1],
        tzOffsetMin: 210,
        youngShare: rng.between(0.4, 0.7),
        templatedShare: rng.between(0.3, 0.6),
        // A second unit in a large world keeps other hours (06-14, 14-22, 22-06), so the two stay apart.
        shift: {
          cohorts: 3,
          hours: 8,
          firstStartHour: u * 6,
          dayOff: 5,
          postsPerMember: [40, 150],
          tagShare: [0.1, 0.2],
        },
      });
    }
  }
  return {
    ...cfg,
    campaigns,
    traps: {
      ...cfg.traps,
      nightWorkers: clamp(Math.round(cfg.accounts / 800), 4, 80),
      greetingDays: 1,
      greetingShare: 0.08,
      viralQuotes: posts <= 12_000 ? 2 : 3,
      quotersPerQuote: [8, 25],
    },
  };
}
