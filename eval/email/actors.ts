/**
 * Who sends and receives the synthetic mail: the targeted organisations (fictional, with the mail provider each
 * uses), people's names in English, Persian and Arabic, and the infrastructure attackers use according to public
 * threat reports of 2022-2026: freshly registered domains with generic words (account, session, drive, review),
 * lookalikes of the target's own domain, pages on free hosting and cloud storage, shorteners and open redirects,
 * compromised ordinary websites, free-mail accounts and free Microsoft 365 tenants. The lists are drawn from those
 * reports' descriptions of tactics, not from any detector's lists.
 */
import { domainToASCII } from "node:url";
import type { Receiver, Rng } from "./mime.js";

export type Lang = "en" | "fa" | "ar";

export interface Org {
  domain: string;
  name: string;
  nameFa: string;
  nameAr: string;
  /** Who receives its mail and writes Authentication-Results. */
  receiver: Exclude<Receiver, "none">;
  /** The DMARC policy it publishes. */
  policy: "none" | "quarantine" | "reject";
  webmail: string;
}

/** The organisations the evaluation protects (their domains are passed to triage as own domains). */
export const ORGS: readonly Org[] = [
  {
    domain: "civicrights.org",
    name: "Civic Rights Network",
    nameFa: "شبکه حقوق مدنی",
    nameAr: "شبكة الحقوق المدنية",
    receiver: "microsoft",
    policy: "quarantine",
    webmail: "outlook.office.com",
  },
  {
    domain: "diasporanews.net",
    name: "Diaspora News",
    nameFa: "خبرگزاری دیاسپورا",
    nameAr: "أخبار المهجر",
    receiver: "gmail",
    policy: "none",
    webmail: "mail.google.com",
  },
  {
    domain: "freepress-coalition.org",
    name: "Free Press Coalition",
    nameFa: "ائتلاف مطبوعات آزاد",
    nameAr: "تحالف الصحافة الحرة",
    receiver: "postfix",
    policy: "reject",
    webmail: "webmail.freepress-coalition.org",
  },
  {
    domain: "zananrights.org",
    name: "Zanan Rights Collective",
    nameFa: "کانون حقوق زنان",
    nameAr: "تجمع حقوق المرأة",
    receiver: "gmail",
    policy: "quarantine",
    webmail: "mail.google.com",
  },
];

export const OWN_DOMAINS: readonly string[] = ORGS.map((o) => o.domain);

const FIRST: Record<Lang, string[]> = {
  en: [
    "Sarah",
    "James",
    "Emily",
    "Daniel",
    "Laura",
    "Michael",
    "Anna",
    "David",
    "Julia",
    "Thomas",
    "Maria",
    "Peter",
  ],
  fa: ["مریم", "علی", "نسرین", "رضا", "سارا", "امید", "لیلا", "حسین", "نیلوفر", "کاوه", "شیرین", "بهروز"],
  ar: ["أحمد", "فاطمة", "محمد", "ليلى", "يوسف", "سارة", "عمر", "نور", "خالد", "رنا", "حسن", "مريم"],
};
const LAST: Record<Lang, string[]> = {
  en: ["Miller", "Clarke", "Weber", "Hughes", "Novak", "Bennett", "Schmidt", "Rossi", "Evans", "Larsen"],
  fa: ["احمدی", "رضایی", "کریمی", "حسینی", "موسوی", "تهرانی", "جعفری", "صادقی", "نوری", "کاظمی"],
  ar: ["الحسن", "منصور", "خليل", "عبدالله", "السعدي", "حداد", "نصار", "العلي", "يوسف", "الشامي"],
};
/** Latin spellings used in addresses for Persian and Arabic names. */
const LATIN: Record<string, string[]> = {
  fa: [
    "maryam",
    "ali",
    "nasrin",
    "reza",
    "sara",
    "omid",
    "leila",
    "hossein",
    "niloufar",
    "kaveh",
    "shirin",
    "behrouz",
  ],
  ar: [
    "ahmed",
    "fatima",
    "mohammed",
    "layla",
    "youssef",
    "sara",
    "omar",
    "nour",
    "khaled",
    "rana",
    "hassan",
    "mariam",
  ],
};
const LATIN_LAST: Record<string, string[]> = {
  fa: [
    "ahmadi",
    "rezaei",
    "karimi",
    "hosseini",
    "mousavi",
    "tehrani",
    "jafari",
    "sadeghi",
    "nouri",
    "kazemi",
  ],
  ar: [
    "alhassan",
    "mansour",
    "khalil",
    "abdullah",
    "alsaadi",
    "haddad",
    "nassar",
    "alali",
    "youssef",
    "alshami",
  ],
};

export interface Person {
  name: string;
  first: string;
  /** The local part of an address built from the name (ASCII). */
  local: string;
  lang: Lang;
}

export function person(rng: Rng, lang: Lang): Person {
  const i = rng.int(0, FIRST[lang].length - 1);
  const j = rng.int(0, LAST[lang].length - 1);
  const first = FIRST[lang][i]!;
  const name = `${first} ${LAST[lang][j]!}`;
  const latinFirst = lang === "en" ? first.toLowerCase() : LATIN[lang]![i]!;
  const latinLast = lang === "en" ? LAST.en[j]!.toLowerCase() : LATIN_LAST[lang]![j]!;
  const local = rng.pick([
    `${latinFirst}.${latinLast}`,
    `${latinFirst}${latinLast}`,
    `${latinFirst[0]}${latinLast}`,
    `${latinFirst}.${latinLast}${rng.int(1, 99)}`,
  ]);
  return { name, first, local, lang };
}

/** Free-mail providers and the outbound hosts they send from. */
export const FREEMAIL: ReadonlyArray<{ domain: string; host: () => string; policy: "none" | "reject" }> = [
  { domain: "gmail.com", host: () => "mail-sor-f41.google.com", policy: "none" },
  { domain: "outlook.com", host: () => "EUR05-DB8-obe.outbound.protection.outlook.com", policy: "none" },
  { domain: "hotmail.com", host: () => "EUR02-AM0-obe.outbound.protection.outlook.com", policy: "none" },
  { domain: "yahoo.com", host: () => "sonic310-21.consmr.mail.ne1.yahoo.com", policy: "reject" },
  { domain: "proton.me", host: () => "mail-4322.protonmail.ch", policy: "none" },
  { domain: "protonmail.com", host: () => "mail-40131.protonmail.ch", policy: "none" },
];

const GENERIC = [
  "account",
  "accounts",
  "secure",
  "verify",
  "login",
  "signin",
  "session",
  "drive",
  "docs",
  "file",
  "share",
  "review",
  "mail",
  "cloud",
  "check",
  "activity",
  "notice",
  "confirm",
  "portal",
  "service",
  "panel",
  "live",
  "online",
  "auth",
  "meet",
  "event",
  "invite",
];
const FRESH_TLDS = [
  "online",
  "site",
  "info",
  "live",
  "space",
  "xyz",
  "top",
  "icu",
  "cloud",
  "com",
  "net",
  "me",
  "app",
  "click",
  "link",
  "org",
  "co",
];

/** A freshly registered attacker domain of generic words, sometimes with a brand or the target's name. */
export function attackerDomain(rng: Rng, theme?: string): string {
  const words = [rng.pick(GENERIC), rng.pick(GENERIC)].filter((w, i, a) => a.indexOf(w) === i);
  if (theme && rng.chance(0.35)) words.splice(rng.int(0, words.length), 0, theme);
  return `${words.join(rng.chance(0.75) ? "-" : "")}.${rng.pick(FRESH_TLDS)}`;
}

const HOMOGLYPH: Record<string, string> = { a: "а", e: "е", o: "о", c: "с", p: "р", i: "і", x: "х", y: "у" };

/**
 * A lookalike of `domain` of the kinds attackers register: a Cyrillic letter, a dropped, doubled or swapped
 * letter, another suffix, a hyphen or extra word, or the genuine name as the start of a longer host.
 */
export function lookalikeOf(domain: string, rng: Rng): { host: string; unicode: string; how: string } {
  const l = lookalikeForm(domain, rng);
  // addresses and SMTP carry the ASCII (punycode) form; links are written either way
  return { host: domainToASCII(l.host) || l.host, unicode: l.host, how: l.how };
}

function lookalikeForm(domain: string, rng: Rng): { host: string; how: string } {
  const dot = domain.indexOf(".");
  const name = domain.slice(0, dot);
  const tld = domain.slice(dot + 1);
  const how = rng.pick(["homoglyph", "drop", "double", "swap", "suffix", "hyphen", "word", "prefix-host"]);
  const at = rng.int(1, name.length - 2);
  switch (how) {
    case "homoglyph": {
      const idx = [...name].findIndex((ch, i) => i >= at && HOMOGLYPH[ch]);
      const k = idx >= 0 ? idx : [...name].findIndex((ch) => HOMOGLYPH[ch]);
      if (k < 0) return { host: `${name}-${tld.replace(/\./g, "")}.com`, how: "hyphen" };
      return { host: `${name.slice(0, k)}${HOMOGLYPH[name[k]!]}${name.slice(k + 1)}.${tld}`, how };
    }
    case "drop":
      return { host: `${name.slice(0, at)}${name.slice(at + 1)}.${tld}`, how };
    case "double":
      return { host: `${name.slice(0, at)}${name[at]}${name.slice(at)}.${tld}`, how };
    case "swap":
      return { host: `${name.slice(0, at)}${name[at + 1]}${name[at]}${name.slice(at + 2)}.${tld}`, how };
    case "suffix":
      return {
        host: `${name}.${rng.pick(["com", "net", "info", "co", "org.uk", "online"].filter((t) => t !== tld))}`,
        how,
      };
    case "hyphen": {
      const cut = name.includes("-")
        ? name.replace("-", "")
        : `${name.slice(0, at + 1)}-${name.slice(at + 1)}`;
      return { host: `${cut}.${tld}`, how };
    }
    case "word":
      return {
        host: `${rng.chance(0.5) ? `${name}-${rng.pick(["mail", "webmail", "secure", "support", "team", "hr"])}` : `${rng.pick(["mail", "my", "portal"])}-${name}`}.${rng.pick([tld, "com", "net"])}`,
        how,
      };
    default:
      return {
        host: `${domain}.${rng.pick(["auth", "session", "login", "verify"])}-${rng.pick(GENERIC)}.${rng.pick(FRESH_TLDS)}`,
        how,
      };
  }
}

/** A page on free hosting or cloud storage, the way credential pages were hosted in the reports. */
export function freeHostedUrl(rng: Rng): string {
  const slug = `${rng.pick(["secure", "doc", "share", "portal", "auth", "mail", "review", "files"])}-${rng.alnum(6).toLowerCase()}`;
  const forms: Array<() => string> = [
    () => `https://sites.google.com/view/${slug}/home`,
    () => `https://docs.google.com/forms/d/e/1FAIpQL${rng.alnum(50)}/viewform`,
    () => `https://storage.googleapis.com/${slug}/index.html#${rng.alnum(8)}`,
    () =>
      `https://firebasestorage.googleapis.com/v0/b/${slug}.appspot.com/o/index.html?alt=media&token=${rng.hex(8)}-${rng.hex(4)}`,
    () => `https://${slug}.web.app/`,
    () => `https://${slug}.pages.dev/login`,
    () => `https://${slug}.${rng.alnum(6).toLowerCase()}.workers.dev/`,
    () => `https://pub-${rng.hex(32)}.r2.dev/${rng.pick(["auth", "index", "sign"])}.html`,
    () => `https://${slug}.netlify.app/`,
    () => `https://${slug}.vercel.app/`,
    () => `https://${rng.alnum(8).toLowerCase()}.github.io/${slug}/`,
    () => `https://ipfs.io/ipfs/bafybei${rng.alnum(52).toLowerCase()}?filename=index.html`,
    () => `https://${slug}.blogspot.com/`,
    () => `https://${slug}.webflow.io/`,
    () => `https://${slug}.notion.site/${rng.hex(32)}`,
    () => `https://${slug}.square.site/`,
    () => `https://${slug}.azurewebsites.net/`,
    () => `https://${slug}.blob.core.windows.net/$web/index.html`,
    () => `https://s3.amazonaws.com/${slug}/index.html`,
    () => `https://${slug}.onrender.com/`,
    () => `https://${slug}.trycloudflare.com/`,
    () => `https://forms.office.com/r/${rng.alnum(10)}`,
    () => `https://telegra.ph/${slug}-${rng.int(1, 12)}-${rng.int(1, 28)}`,
  ];
  return rng.pick(forms)();
}

const BUSINESS_WORDS = [
  "bakery",
  "dental",
  "garden",
  "travel",
  "motors",
  "studio",
  "printing",
  "florist",
  "yoga",
  "legal",
  "farm",
  "music",
  "photo",
  "tiles",
];
const BUSINESS_TLDS = ["com", "net", "co.uk", "de", "com.br", "in", "it", "es", "com.au", "nl"];

/** An ordinary small business's website, as compromised WordPress sites hosting phishing pages appear. */
export function businessDomain(rng: Rng): string {
  return `${rng.pick(["sunny", "green", "bright", "city", "lakeside", "royal", "oak", "blue", "family", "north"])}${rng.pick(BUSINESS_WORDS)}.${rng.pick(BUSINESS_TLDS)}`;
}

export function compromisedSiteUrl(rng: Rng): string {
  const y = rng.int(2022, 2026);
  return `https://www.${businessDomain(rng)}${rng.pick([
    `/wp-content/uploads/${y}/${String(rng.int(1, 12)).padStart(2, "0")}/${rng.alnum(6).toLowerCase()}/`,
    `/wp-includes/${rng.pick(["js", "css"])}/${rng.alnum(5).toLowerCase()}/index.php`,
    `/.well-known/${rng.alnum(6).toLowerCase()}/`,
    `/${rng.pick(["doc", "files", "share", "cloud"])}/${rng.alnum(10)}/`,
  ])}`;
}

/** Wrap a URL in a shortener or an open redirect, as links were laundered in the reports. */
export function launder(url: string, rng: Rng): string {
  return rng.pick([
    () => `https://bit.ly/${rng.alnum(7)}`,
    () => `https://tinyurl.com/${rng.alnum(8).toLowerCase()}`,
    () => `https://cutt.ly/${rng.alnum(7)}`,
    () => `https://t.ly/${rng.alnum(5)}`,
    () => `https://is.gd/${rng.alnum(6)}`,
    () => `https://rebrand.ly/${rng.alnum(6).toLowerCase()}`,
    () =>
      `https://www.google.com/url?q=${encodeURIComponent(url)}&sa=D&ust=${rng.int(1e15, 9e15)}&usg=${rng.alnum(28)}`,
    () => `https://www.youtube.com/redirect?q=${encodeURIComponent(url)}&event=video_description`,
  ])();
}

/** A login path with the target's address carried along, as credential kits prefill the form. */
export function loginPath(rng: Rng, email: string): string {
  const b64 = Buffer.from(email).toString("base64").replace(/=+$/, "");
  return rng.pick([
    `/auth/?u=${b64}`,
    `/login.php?session=${rng.hex(16)}&email=${encodeURIComponent(email)}`,
    `/v3/signin/identifier?continue=mail&id=${rng.hex(12)}`,
    `/owa/auth/logon.aspx?replaceCurrent=1&url=${b64}`,
    `/#${b64}`,
    `/${rng.alnum(10)}/?e=${b64}`,
    `/secure/${rng.hex(8)}/index.html`,
  ]);
}

/** A free Microsoft 365 tenant's default address, from which SharePoint and OneDrive lures are sent. */
export function tenantAddress(rng: Rng): string {
  return `${rng.pick(["admin", "share", "noreply", "info", "docs"])}@${rng.pick(["global", "intl", "team", "group", "partners"])}${rng.alnum(4).toLowerCase()}.onmicrosoft.com`;
}

/** A partner institution with its own genuine domain (universities, NGOs, media), as compromised accounts are. */
export const PARTNERS: ReadonlyArray<{ domain: string; name: string }> = [
  { domain: "uni-eastbridge.edu", name: "Eastbridge University" },
  { domain: "policy-dialogue.org", name: "Policy Dialogue Institute" },
  { domain: "mideast-review.com", name: "Middle East Review" },
  { domain: "humanrightsfund.org", name: "Human Rights Fund" },
  { domain: "journalists-network.eu", name: "European Journalists Network" },
  { domain: "exile-pen.org", name: "Exile PEN Centre" },
  { domain: "lawforall.org", name: "Law for All" },
  { domain: "globalaffairs-forum.org", name: "Global Affairs Forum" },
];

/** Invented events and outlets in whose name invitations are sent. */
export const EVENTS: readonly string[] = [
  "Berlin Forum on Civil Society",
  "Geneva Dialogue on Digital Rights",
  "Vienna Media Freedom Summit",
  "Annual Conference on Iran and the Region",
  "London Roundtable on Press Freedom",
  "Oslo Human Rights Symposium",
  "Brussels Workshop on Diaspora Voices",
];
export const OUTLETS: readonly string[] = [
  "Middle East Review",
  "The Evening Chronicle",
  "Global Affairs Weekly",
  "Radio Horizon",
  "The Policy Quarterly",
  "Independent World Report",
];
