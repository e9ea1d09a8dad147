/**
 * Domain comparisons shared by the sender and link checks: both IDN forms, registrable domains, and lookalikes
 * of the domains an organisation protects or that phishers imitate most.
 */
import { domainToASCII, domainToUnicode } from "node:url";
import { getDomain, getDomainWithoutSuffix } from "tldts";
import { boundedEditDistance, matchKey } from "../normalize/confusables.js";

/** Brands phishing imitates most, with the domain each really sends from. Lower-case labels. */
export const BRANDS: ReadonlyArray<{ name: string; domains: string[] }> = [
  { name: "PayPal", domains: ["paypal.com"] },
  {
    name: "Microsoft",
    domains: ["microsoft.com", "office.com", "outlook.com", "live.com", "microsoftonline.com"],
  },
  { name: "Office 365", domains: ["office.com", "microsoft.com"] },
  { name: "Outlook", domains: ["outlook.com", "microsoft.com"] },
  { name: "Google", domains: ["google.com", "gmail.com", "accounts.google.com"] },
  { name: "Gmail", domains: ["gmail.com", "google.com"] },
  { name: "Apple", domains: ["apple.com", "icloud.com"] },
  { name: "iCloud", domains: ["icloud.com", "apple.com"] },
  { name: "Amazon", domains: ["amazon.com"] },
  { name: "DHL", domains: ["dhl.com"] },
  { name: "FedEx", domains: ["fedex.com"] },
  { name: "Facebook", domains: ["facebook.com", "facebookmail.com"] },
  { name: "Instagram", domains: ["instagram.com", "mail.instagram.com"] },
  { name: "WhatsApp", domains: ["whatsapp.com"] },
  { name: "Telegram", domains: ["telegram.org"] },
  { name: "Signal", domains: ["signal.org"] },
  { name: "Proton", domains: ["proton.me", "protonmail.com"] },
  { name: "LinkedIn", domains: ["linkedin.com"] },
  { name: "Twitter", domains: ["twitter.com", "x.com"] },
  { name: "Dropbox", domains: ["dropbox.com"] },
  { name: "DocuSign", domains: ["docusign.com", "docusign.net"] },
  { name: "Yahoo", domains: ["yahoo.com"] },
];

/** Free webmail providers: anyone can open an account there under any display name. */
export const FREEMAIL: ReadonlySet<string> = new Set([
  "gmail.com",
  "googlemail.com",
  "yahoo.com",
  "ymail.com",
  "outlook.com",
  "hotmail.com",
  "live.com",
  "msn.com",
  "aol.com",
  "icloud.com",
  "me.com",
  "proton.me",
  "protonmail.com",
  "tutanota.com",
  "tuta.io",
  "gmx.com",
  "gmx.net",
  "gmx.de",
  "mail.com",
  "mail.ru",
  "yandex.com",
  "yandex.ru",
  "zoho.com",
  "qq.com",
  "163.com",
]);

const BRAND_DOMAINS: ReadonlySet<string> = new Set(BRANDS.flatMap((b) => b.domains));
/** Brand names that are also everyday words or product names other companies use in their domains. */
const COMMON_WORDS: ReadonlySet<string> = new Set([
  "signal",
  "office",
  "outlook",
  "apple",
  "proton",
  "amazon",
]);

export interface DomainForms {
  /** Lower-case ASCII (punycode) form; "" when not a valid domain. */
  ascii: string;
  /** Unicode form. */
  unicode: string;
  /** Registrable domain (ASCII), or the host itself when there is none. */
  registrable: string;
}

/** Both IDN forms and the registrable domain of a host, whichever form it was written in. */
export function domainForms(host: string): DomainForms {
  const known = formsCache.get(host);
  if (known) return known;
  const h = host.trim().toLowerCase().replace(/\.$/, "");
  const ascii = domainToASCII(h) || h;
  const unicode = domainToUnicode(ascii) || h;
  const registrable = getDomain(ascii, { allowPrivateDomains: false }) ?? ascii;
  const forms = Object.freeze({ ascii, unicode, registrable });
  remember(formsCache, host, forms);
  return forms;
}

/**
 * The same hosts come back in every message (the reference domains for each link and sender, a newsletter's
 * tracking host hundreds of times), and each conversion runs IDNA and the public-suffix list: the answers are
 * kept, up to this many hosts, and the cache starts again when full.
 */
const CACHE_HOSTS = 20_000;
const formsCache = new Map<string, DomainForms>();
const labelCache = new Map<string, string>();
function remember<T>(cache: Map<string, T>, key: string, value: T): void {
  if (key.length > 253) return; // longer than any domain name: not worth keeping, and bounded memory stays bounded
  if (cache.size >= CACHE_HOSTS) cache.clear();
  cache.set(key, value);
}

/** True when `host` is `domain` or one of its subdomains (ASCII forms). */
export function isWithin(host: string, domain: string): boolean {
  const h = domainForms(host).ascii;
  const d = domainForms(domain).ascii;
  return h === d || h.endsWith("." + d);
}

export interface Lookalike {
  /** The genuine domain it imitates. */
  target: string;
  /** "homoglyph": looks the same; "typo": one edit away; "tld": same name under another suffix; "embedded": the genuine domain's name inside a longer one or as a subdomain of another. */
  how: "homoglyph" | "typo" | "tld" | "embedded";
}

function labelOf(registrableAscii: string): string {
  const known = labelCache.get(registrableAscii);
  if (known !== undefined) return known;
  const ascii = getDomainWithoutSuffix(registrableAscii) ?? registrableAscii.split(".")[0] ?? "";
  const label = domainToUnicode(ascii) || ascii;
  remember(labelCache, registrableAscii, label);
  return label;
}

/**
 * Whether `host` imitates one of `targets` without being within it. Compares the Unicode form by confusable
 * skeleton (so Cyrillic "а" and Latin "a" meet, and "rn" meets "m"), then edit distance, then suffix swaps.
 *
 * @example lookalikeOf("xn--pypal-4ve.com", ["paypal.com"]) // { target: "paypal.com", how: "homoglyph" }
 */
export function lookalikeOf(host: string, targets: Iterable<string>): Lookalike | undefined {
  const f = domainForms(host);
  if (!f.ascii) return undefined;
  // a known free-mail provider or a brand's own domain is itself genuine, whatever it resembles (mail.ru,
  // ymail.com and email.com are one letter from gmail.com)
  if (FREEMAIL.has(f.registrable) || BRAND_DOMAINS.has(f.registrable)) return undefined;
  const label = labelOf(f.registrable);
  const key = matchKey(label);
  for (const target of targets) {
    const t = domainForms(target);
    if (!t.ascii || isWithin(f.ascii, t.ascii) || f.registrable === t.registrable) continue;
    const tLabel = labelOf(t.registrable);
    const tKey = matchKey(tLabel);
    if (tKey.length < 3) continue;
    // Brands own their name under many suffixes (google.de, amazon.co.uk) and some names are common words
    // (signal, office, apple): for brands only homoglyphs count in full; typos and embedding need a longer,
    // distinctive name. Own and protected domains get every check.
    // The length is the name's as written: its skeleton spells "m" as "rn", which made the five letters of
    // "gmail" six and "mail.ru" a typo of it.
    const brand = BRAND_DOMAINS.has(t.registrable);
    const distinctive = !brand || ([...tLabel].length >= 6 && !COMMON_WORDS.has(tLabel));
    if (key === tKey) {
      if (label !== tLabel) return { target: t.registrable, how: "homoglyph" };
      if (!brand) return { target: t.registrable, how: "tld" };
      continue;
    }
    // one edit, or two neighbouring letters swapped ("civicrigths"), which plain edit distance counts as two
    if (distinctive && tKey.length >= 5 && (boundedEditDistance(key, tKey, 1) <= 1 || swapsTwo(key, tKey))) {
      return { target: t.registrable, how: "typo" };
    }
    // the whole domain run together as one name: "civicrightsorg.com" for civicrights.org
    if (
      distinctive &&
      tKey.length >= 4 &&
      key ===
        matchKey(
          labelOf(t.registrable) + t.registrable.slice(t.registrable.indexOf(".") + 1).replace(/\./g, ""),
        )
    ) {
      return { target: t.registrable, how: "embedded" };
    }
    // "paypal-secure.example", not "officedepot.example": the name must stand as a hyphen-separated part
    if (distinctive && tKey.length >= 4 && key.split(/[-_]/).includes(tKey)) {
      return { target: t.registrable, how: "embedded" };
    }
    // "paypal.com.login.example", "paypal.com-verify.net": the genuine domain written whole at the start of a
    // label of another host, followed by a dot or a hyphen
    if (embedsDomain(f.ascii, t.ascii)) return { target: t.registrable, how: "embedded" };
  }
  return undefined;
}

/** Whether `a` is `b` with two neighbouring characters swapped. */
function swapsTwo(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  let i = 0;
  while (a[i] === b[i]) i++;
  return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/** Whether `host` holds `domain` whole at the start of one of its labels, followed by a dot or a hyphen. */
function embedsDomain(host: string, domain: string): boolean {
  for (let at = host.indexOf(domain); at >= 0; at = host.indexOf(domain, at + 1)) {
    const after = host[at + domain.length];
    if ((at === 0 || host[at - 1] === ".") && (after === "." || after === "-")) return true;
  }
  return false;
}

/** A plain-language phrase for a lookalike. */
export function describeLookalike(host: string, l: Lookalike): string {
  const f = domainForms(host);
  const shown = f.unicode !== f.ascii ? `${f.unicode} (written ${f.ascii})` : f.ascii;
  switch (l.how) {
    case "homoglyph":
      return `${shown} looks like ${l.target} but uses different characters`;
    case "typo":
      return `${shown} is one character away from ${l.target}`;
    case "tld":
      return `${shown} has the name of ${l.target} under another suffix`;
    case "embedded":
      return `${shown} carries the name of ${l.target} but is not part of it`;
  }
}

/** Every domain a message may legitimately claim: own domains, protected identities' domains, brands. */
export function referenceDomains(own: string[], protectedDomains: string[]): string[] {
  return [...new Set([...own, ...protectedDomains, ...BRANDS.flatMap((b) => b.domains)])];
}
