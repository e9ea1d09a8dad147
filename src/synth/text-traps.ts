/**
 * Organic traps for the text layer: the same words from many unrelated accounts without any coordination.
 *
 * - Holiday greetings: on a holiday, a share of the ordinary accounts each post one greeting ("Happy new year
 *   to all my friends and family", "سال نو بر همه‌ی دوستان مبارک") at its own time of the day: hundreds of
 *   accounts, one text, but any two of them meet once at most.
 * - Viral quotes: a sentence goes round as text; a dozen or two accounts each quote it once, hours apart, over
 *   a day or three.
 */
import { GREETINGS, VIRAL_QUOTES } from "./banks-text.js";
import type { SynthConfig, SynthLang } from "./config.js";
import type { SynthAccount } from "./population.js";
import { Rng } from "./rng.js";
import { buildSchedule, type Schedule } from "./schedule.js";

const MIN_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface ViralQuote {
  lang: SynthLang;
  text: string;
  accounts: number[];
  firstMs: number;
  lastMs: number;
}

export interface TextTraps {
  /** Holidays, as day indices from the start. */
  greetingDays: number[];
  greetingAccounts: number[];
  /** `arg` is the index of the greeting in `GREETINGS` of the account's language. */
  greetings: Schedule;
  quotes: ViralQuote[];
  /** `arg` is the index of the quote in `quotes`. */
  quoteSchedule: Schedule;
}

export function planTextTraps(
  cfg: SynthConfig,
  accounts: readonly SynthAccount[],
  pool: readonly number[],
  startMs: number,
): TextTraps {
  const t = cfg.traps;
  const rng = Rng.for(cfg.seed, "text-traps");
  const greetingDays = rng
    .sample(
      Array.from({ length: cfg.days }, (_, d) => d),
      Math.min(cfg.days, t.greetingDays ?? 0),
    )
    .sort((x, y) => x - y);
  const entries: Array<[number, number, number]> = [];
  const greeted = new Set<number>();
  for (const day of greetingDays) {
    const who = rng.sample(pool, Math.round(pool.length * (t.greetingShare ?? 0)));
    for (const i of who) {
      const a = accounts[i] as SynthAccount;
      // Late morning to night, local time.
      const localMs = rng.between(8, 24) * HOUR_MS;
      const ms = startMs + day * DAY_MS + localMs - a.tzOffsetMin * MIN_MS;
      entries.push([Math.round(ms), i, rng.int(GREETINGS[a.lang].length)]);
      greeted.add(i);
    }
  }
  const quotes: ViralQuote[] = [];
  const quoteEntries: Array<[number, number, number]> = [];
  const endMs = startMs + cfg.days * DAY_MS;
  const [lo, hi] = t.quotersPerQuote ?? [8, 25];
  for (let q = 0; q < (t.viralQuotes ?? 0); q++) {
    const lang: SynthLang = (["fa", "en", "ar"] as const)[q % 3] as SynthLang;
    const text = rng.pick(VIRAL_QUOTES[lang]);
    const speakers = pool.filter((i) => (accounts[i] as SynthAccount).lang === lang);
    const who = rng.sample(speakers.length > 0 ? speakers : pool, rng.intBetween(lo, hi));
    let ms = startMs + rng.next() * Math.max(DAY_MS, endMs - startMs - 3 * DAY_MS);
    const times: number[] = [];
    for (const i of who) {
      ms += rng.exponential(2.5 * HOUR_MS);
      if (ms >= endMs) break;
      times.push(Math.round(ms));
      quoteEntries.push([Math.round(ms), i, q]);
    }
    quotes.push({
      lang,
      text,
      accounts: who.slice(0, times.length),
      firstMs: times[0] ?? 0,
      lastMs: times[times.length - 1] ?? 0,
    });
  }
  return {
    greetingDays,
    greetingAccounts: [...greeted],
    greetings: buildSchedule(entries),
    quotes,
    quoteSchedule: buildSchedule(quoteEntries),
  };
}
