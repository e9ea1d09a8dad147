/**
 * The synthetic population: profiles (ids, handles, names, bios, creation dates), languages and time zones, and
 * how active each account is. Activity is heavy-tailed (log-normal), as in every real platform: most accounts
 * post a handful of times, a few post constantly. Some organic accounts are young or have default-style
 * handles (name + 8 digits) too, so "young account with digits in the handle" alone never identifies a troll.
 */
import {
  BIOS,
  CAMPAIGN_BIOS,
  CLIENT_WEIGHTS,
  CLIENTS_PEOPLE,
  EMOJI,
  FAMILY,
  GIVEN,
  HANDLE_WORDS,
  TEMPLATE_WORDS,
} from "./banks.js";
import type { PlantedCampaignSpec, SynthLang } from "./config.js";
import { accountId } from "./ids.js";
import { AliasTable, mix32, Rng } from "./rng.js";

export type AccountRole = "organic" | "celebrity" | "hyperactive" | "news-bot" | "campaign";

export interface SynthAccount {
  index: number;
  id: string;
  handle: string;
  displayName: string;
  bio: string | null;
  createdMs: number;
  /** ISO 8601, cached: written on every post of the account. */
  createdAt: string;
  lang: SynthLang;
  /** Minutes east of UTC. */
  tzOffsetMin: number;
  client: string;
  /** Relative weight of the account in organic (background) posting. */
  activity: number;
  /** Share of its background posts that are reposts. */
  repostRate: number;
  /** How followed the account is: its originals are picked for reposts in proportion. */
  reach: number;
  role: AccountRole;
  /** Index of the planted campaign, or -1. */
  campaign: number;
}

const DAY_MS = 86_400_000;

/** Time zones (minutes east of UTC) and their weights per language: diaspora included. */
const TZ_BY_LANG: Readonly<Record<SynthLang, ReadonlyArray<readonly [number, number]>>> = {
  en: [
    [-480, 0.15],
    [-420, 0.04],
    [-360, 0.08],
    [-300, 0.25],
    [0, 0.2],
    [60, 0.14],
    [330, 0.08],
    [480, 0.03],
    [540, 0.03],
  ],
  fa: [
    [210, 0.76],
    [60, 0.08],
    [-300, 0.06],
    [-480, 0.06],
    [240, 0.04],
  ],
  ar: [
    [180, 0.45],
    [120, 0.2],
    [240, 0.15],
    [60, 0.1],
    [0, 0.1],
  ],
};

const LANGS: readonly SynthLang[] = ["en", "fa", "ar"];
const LANG_TABLE = new AliasTable([0.45, 0.33, 0.22]);
const TZ_TABLES = Object.fromEntries(
  LANGS.map((l) => [l, new AliasTable(TZ_BY_LANG[l].map((x) => x[1]))]),
) as Record<SynthLang, AliasTable>;
const CLIENT_TABLE = new AliasTable(CLIENT_WEIGHTS);

export function pickLang(rng: Rng): SynthLang {
  return LANGS[LANG_TABLE.draw(rng)] as SynthLang;
}

export function pickTz(rng: Rng, lang: SynthLang): number {
  return (TZ_BY_LANG[lang][TZ_TABLES[lang].draw(rng)] as readonly [number, number])[0];
}

export function pickClient(rng: Rng): string {
  return CLIENTS_PEOPLE[CLIENT_TABLE.draw(rng)] as string;
}

function digits(rng: Rng, n: number): string {
  let s = String(rng.intBetween(1, 9));
  for (let i = 1; i < n; i++) s += String(rng.int(10));
  return s;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

type Name = readonly [latin: string, native: string];

/** A handle as people choose them: names, name + year, words, and the platform's default name + 8 digits. */
function organicHandle(rng: Rng, given: Name, family: Name): string {
  const [g, f] = [given[0], family[0]];
  const r = rng.next();
  if (r < 0.22) return `${g}_${f}`;
  if (r < 0.36) return `${g}${f}`;
  if (r < 0.48) return `${g}_${f}${rng.intBetween(1, 99)}`;
  if (r < 0.58) return `${g}${rng.intBetween(1970, 2006)}`;
  if (r < 0.72) return `${rng.pick(HANDLE_WORDS)}_${g}`;
  if (r < 0.8) return `${g}${digits(rng, 8)}`;
  if (r < 0.9) return `${capital(g)}${capital(f).slice(0, 1)}`;
  return `${g}_${f.slice(0, 3)}${rng.intBetween(10, 99)}`;
}

/** Templated handles of a campaign's account factory: one word list, one digit pattern. */
function templatedHandle(rng: Rng, lang: SynthLang, scheme: number, given: Name): string {
  const w = rng.pick(TEMPLATE_WORDS[lang]);
  if (scheme === 0) return `${w}${digits(rng, rng.intBetween(4, 6))}`;
  if (scheme === 1) return `${given[0]}${digits(rng, 8)}`;
  return `${w}_${given[0]}${digits(rng, 2)}`;
}

/** The name shown: mostly the person's own (in their script), sometimes only the first name or a nickname. */
function displayName(rng: Rng, lang: SynthLang, given: Name, family: Name): string {
  const latin = lang !== "en" && rng.chance(0.2);
  const g = latin ? capital(given[0]) : given[1];
  const f = latin ? capital(family[0]) : family[1];
  const r = rng.next();
  const name =
    r < 0.55 ? `${g} ${f}` : r < 0.85 ? g : r < 0.93 ? `${g} ${f.slice(0, 1)}.` : rng.pick(GIVEN[lang])[1];
  return rng.chance(0.12) ? `${name} ${rng.pick(EMOJI)}` : name;
}

/** Registry of handles in use, case-insensitively, so every generated handle is unique. */
export class HandleRegistry {
  private readonly taken = new Set<string>();
  claim(rng: Rng, wanted: string): string {
    let h = wanted.slice(0, 15);
    while (this.taken.has(h.toLowerCase())) h = (wanted.slice(0, 11) + digits(rng, 4)).slice(0, 15);
    this.taken.add(h.toLowerCase());
    return h;
  }
}

export interface ProfileOptions {
  rng: Rng;
  index: number;
  startMs: number;
  handles: HandleRegistry;
}

/** An organic account: created any time in the platform's history, a few of them recently. */
export function organicAccount(o: ProfileOptions): SynthAccount {
  const { rng, startMs } = o;
  const lang = pickLang(rng);
  const given = rng.pick(GIVEN[lang]);
  const family = rng.pick(FAMILY[lang]);
  const earliest = Date.UTC(2009, 5, 1);
  const createdMs = rng.chance(0.06)
    ? startMs - rng.between(2, 90) * DAY_MS
    : earliest + rng.next() * (startMs - 120 * DAY_MS - earliest);
  return account(o, {
    lang,
    createdMs: Math.floor(createdMs),
    handle: organicHandle(rng, given, family),
    displayName: displayName(rng, lang, given, family),
    bio: rng.chance(0.62) ? rng.pick(BIOS[lang]) : null,
    tz: pickTz(rng, lang),
    activity: rng.lognormal(1, 1.1),
    repostRate: 0.05 + 0.55 * rng.kumaraswamy(1.2, 3),
    reach: Math.min(1, rng.lognormal(0.03, 1.2)),
    campaign: -1,
  });
}

/**
 * A campaign member: mostly young accounts from one creation wave with templated handles, working from the
 * operators' time zone; the rest look like ordinary (bought or reused) accounts.
 */
export function campaignAccount(
  o: ProfileOptions,
  spec: PlantedCampaignSpec,
  campaign: number,
  wave: { centerMs: number; scheme: number },
): SynthAccount {
  const { rng } = o;
  const lang = rng.chance(0.9) ? spec.lang : pickLang(rng);
  const young = rng.chance(spec.youngShare);
  const createdMs = young
    ? wave.centerMs + rng.normal() * 3 * DAY_MS
    : Date.UTC(2011, 0, 1) + rng.next() * (Date.UTC(2022, 0, 1) - Date.UTC(2011, 0, 1));
  const templated = rng.chance(spec.templatedShare);
  const given = rng.pick(GIVEN[lang]);
  const family = rng.pick(FAMILY[lang]);
  return account(o, {
    lang,
    createdMs: Math.floor(createdMs),
    handle: templated
      ? templatedHandle(rng, spec.lang, wave.scheme, given)
      : organicHandle(rng, given, family),
    displayName: displayName(rng, lang, given, family),
    bio: rng.chance(0.5) ? rng.pick(rng.chance(0.6) ? CAMPAIGN_BIOS[spec.lang] : BIOS[lang]) : null,
    tz: rng.chance(0.85) ? spec.tzOffsetMin : pickTz(rng, lang),
    activity: rng.lognormal(0.6, 0.8),
    repostRate: 0.2 + 0.4 * rng.next(),
    reach: Math.min(1, rng.lognormal(0.01, 0.8)),
    campaign,
  });
}

interface ProfileFields {
  lang: SynthLang;
  createdMs: number;
  handle: string;
  displayName: string;
  bio: string | null;
  tz: number;
  activity: number;
  repostRate: number;
  reach: number;
  campaign: number;
}

function account(o: ProfileOptions, f: ProfileFields): SynthAccount {
  const { rng, index } = o;
  // Creation times have second precision, as platforms report them.
  const createdMs = Math.floor(Math.min(f.createdMs, o.startMs - DAY_MS) / 1000) * 1000;
  return {
    index,
    id: accountId(createdMs, index, mix32(index ^ 0x5bd1e995)),
    handle: o.handles.claim(rng, f.handle),
    displayName: f.displayName,
    bio: f.bio,
    createdMs,
    createdAt: new Date(createdMs).toISOString().replace(".000Z", "Z"),
    lang: f.lang,
    tzOffsetMin: f.tz,
    client: pickClient(rng),
    activity: f.activity,
    repostRate: f.repostRate,
    reach: f.reach,
    role: f.campaign >= 0 ? "campaign" : "organic",
    campaign: f.campaign,
  };
}
