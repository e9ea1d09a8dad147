/**
 * What organic posts share: links on a few hundred domains and hashtags, both Zipf-distributed, so the most
 * popular objects are shared by many unrelated accounts within minutes of each other every day (raw co-shares
 * that mean nothing). An article's URL is a pure function of (seed, day, rank): nothing is stored per article,
 * which keeps memory flat however many posts are generated.
 */
import {
  HASHTAGS,
  HEAD_DOMAINS,
  SLUG_WORDS,
  STEM_TAILS,
  STEMS,
  URL_SECTIONS,
  CAMPAIGN_DOMAIN_PARTS,
  CAMPAIGN_TLDS,
} from "./banks.js";
import type { SynthLang } from "./config.js";
import { AliasTable, Rng, zipfWeights } from "./rng.js";

const DAY_MS = 86_400_000;
const LONG_TAIL_TLDS: readonly string[] = [
  "com",
  "com",
  "net",
  "org",
  "co.uk",
  "ir",
  "com.sa",
  "news",
  "info",
];
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

export interface ContentModel {
  seed: number;
  startMs: number;
  /** Domains by popularity rank: platforms and big outlets first, then a long tail. */
  domains: string[];
  domainTable: AliasTable;
  articlesPerDay: number;
  articleTable: AliasTable;
  tagsByLang: Record<SynthLang, string[]>;
  tagTables: Record<SynthLang, AliasTable>;
}

export function buildContent(seed: number, startMs: number, postsPerDay: number): ContentModel {
  const rng = Rng.for(seed, "content");
  const tail = new Set<string>();
  const combos: string[] = [];
  for (const s of STEMS) for (const t of STEM_TAILS) combos.push(s + t);
  rng.shuffle(combos);
  for (const c of combos) {
    if (tail.size >= 320) break;
    tail.add(`${c}.${rng.pick(LONG_TAIL_TLDS)}`);
  }
  const domains = [...HEAD_DOMAINS, ...tail];
  const articlesPerDay = Math.max(300, Math.min(60_000, Math.round(postsPerDay / 3)));
  const longTailTags = combos.slice(0, 200).map((c) => c.charAt(0).toUpperCase() + c.slice(1));
  const tagsByLang = {} as Record<SynthLang, string[]>;
  const tagTables = {} as Record<SynthLang, AliasTable>;
  for (const lang of ["en", "fa", "ar"] as const) {
    // Each language's own tags take the head; the shared long tail follows.
    const tags = [...HASHTAGS[lang], ...rng.sample(longTailTags, 120)];
    tagsByLang[lang] = tags;
    tagTables[lang] = new AliasTable(zipfWeights(tags.length, 1.05, 1.5));
  }
  return {
    seed,
    startMs,
    domains,
    domainTable: new AliasTable(zipfWeights(domains.length, 1.1, 2)),
    articlesPerDay,
    articleTable: new AliasTable(zipfWeights(articlesPerDay, 1.0, 3)),
    tagsByLang,
    tagTables,
  };
}

function token(rng: Rng, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += B64.charAt(rng.int(64));
  return s;
}

function datePath(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** The URL of a page on `domain` published on `day`; `key` makes it unique. Shapes follow the site's kind. */
export function pageUrl(domain: string, dayMs: number, key: Rng): string {
  const id = key.intBetween(100_000, 9_999_999);
  switch (domain) {
    case "youtube.com":
      return `https://www.youtube.com/watch?v=${token(key, 11)}`;
    case "t.me":
      return `https://t.me/${key.pick(STEMS)}${key.pick(STEM_TAILS)}/${id % 90_000}`;
    case "instagram.com":
      return `https://www.instagram.com/p/${token(key, 11)}/`;
    case "tiktok.com":
      return `https://www.tiktok.com/@${key.pick(STEMS)}${id % 1000}/video/7${key.intBetween(1e8, 9e8)}${id}`;
    case "wikipedia.org":
      return `https://en.wikipedia.org/wiki/${capitalWords(key)}`;
  }
  const slug = `${key.pick(SLUG_WORDS)}-${key.pick(SLUG_WORDS)}`;
  const style = (domain.length + domain.charCodeAt(0)) % 3;
  const host = domain.split(".").length === 2 && style !== 2 ? `www.${domain}` : domain;
  if (style === 0) return `https://${host}/${key.pick(URL_SECTIONS)}/${slug}-${id}`;
  if (style === 1) return `https://${host}/${datePath(dayMs)}/${slug}-${id % 100_000}`;
  return `https://${host}/a/${id}`;
}

function capitalWords(rng: Rng): string {
  const w = rng.pick(SLUG_WORDS);
  return `${w.charAt(0).toUpperCase()}${w.slice(1)}_${rng.pick(STEMS)}`;
}

/** The article of popularity `rank` published on `day`: the same URL whoever shares it. */
export function articleUrl(m: ContentModel, day: number, rank: number): string {
  const key = Rng.for(m.seed, "article", day, rank);
  const domain = m.domains[m.domainTable.draw(key)] as string;
  return pageUrl(domain, m.startMs + day * DAY_MS, key);
}

/** An article an ordinary user would share on `day`: mostly today's, popular ones far more often. */
export function organicUrl(m: ContentModel, rng: Rng, day: number): string {
  const r = rng.next();
  const back = r < 0.72 ? 0 : r < 0.92 ? 1 : 2;
  return articleUrl(m, Math.max(0, day - back), m.articleTable.draw(rng));
}

export function organicTag(m: ContentModel, rng: Rng, lang: SynthLang): string {
  return m.tagsByLang[lang][m.tagTables[lang].draw(rng)] as string;
}

/** Sharing buttons add tracking parameters; canonicalisation must see through them. */
export function withTracking(rng: Rng, url: string): string {
  if (url.includes("?")) return url;
  const r = rng.next();
  if (r < 0.5) return `${url}?utm_source=twitter&utm_medium=social`;
  if (r < 0.8) return `${url}?utm_source=share&utm_campaign=app`;
  return `${url}?s=${rng.intBetween(10, 99)}`;
}

/** A campaign's own sites: new, cheap domains on generic top-level domains. */
export function campaignDomains(rng: Rng, n: number): string[] {
  const out = new Set<string>();
  while (out.size < n)
    out.add(`${rng.pick(CAMPAIGN_DOMAIN_PARTS)}${rng.intBetween(1, 99)}.${rng.pick(CAMPAIGN_TLDS)}`);
  return [...out];
}
