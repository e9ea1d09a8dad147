/**
 * What a message's infrastructure is made of, as features two messages can share: the sender's domain, the
 * Reply-To address and domain, the Return-Path domain, link URLs and link domains, the IP of the first external
 * hop, attachment hashes, and families of lookalike domains. Each feature has a kind weight (how much sharing it
 * says on its own) and may be marked as never binding: big providers, mail services, image hosts and CDNs are
 * shared by strangers all the time.
 */
import { getDomainWithoutSuffix } from "tldts";
import { FREE_HOSTS } from "../../email/links.js";
import { isProvider, PROVIDERS, registrable } from "../../email/providers.js";

export { isProvider, PROVIDERS, registrable };
import { matchKey } from "../../normalize/confusables.js";

export type FeatureKind =
  | "sender-domain"
  | "reply-to"
  | "reply-to-domain"
  | "return-path-domain"
  | "url"
  | "provider-url"
  | "link-domain"
  | "first-hop-ip"
  | "attachment"
  | "lookalike";

/** How much sharing one feature of each kind says, before rarity; 1 = enough on its own when rare. */
export const KIND_WEIGHTS: Record<FeatureKind, number> = {
  attachment: 1,
  "reply-to": 1,
  url: 0.8,
  "provider-url": 0.4,
  "sender-domain": 0.8,
  "link-domain": 0.5,
  "first-hop-ip": 0.6,
  "reply-to-domain": 0.6,
  "return-path-domain": 0.5,
  lookalike: 0.5,
};

/**
 * How strongly rarity discounts a feature of each kind (weight × rarity^exponent). An attachment, a Reply-To
 * mailbox or a specific URL is not shared by unrelated senders, so even one on a tenth of the case (the case is
 * then largely one operation) keeps most of its weight; a domain or an IP on a tenth of the case is just common.
 */
export const RARITY_EXPONENTS: Record<FeatureKind, number> = {
  attachment: 0.25,
  "reply-to": 0.25,
  url: 0.25,
  "provider-url": 1,
  "sender-domain": 1,
  "link-domain": 1,
  "first-hop-ip": 1,
  "reply-to-domain": 1,
  "return-path-domain": 1,
  lookalike: 1,
};

/** Words for a feature kind in explanations. */
export const KIND_WORDS: Record<FeatureKind, string> = {
  attachment: "attachment (sha256)",
  "reply-to": "Reply-To address",
  url: "link",
  "provider-url": "link on a big provider",
  "sender-domain": "sender domain",
  "link-domain": "link domain",
  "first-hop-ip": "first external hop (IP)",
  "reply-to-domain": "Reply-To domain",
  "return-path-domain": "Return-Path domain",
  lookalike: "lookalike domain family",
};

/**
 * The key of a link host: a customer's own site on a hosting platform (`evil-login.netlify.app`) is its host;
 * any other host is its registrable domain. Returns null for provider hosts, which never bind.
 */
export function linkDomainKey(host: string, extra: ReadonlySet<string>): string | null {
  for (const platform of FREE_HOSTS) {
    if (host.endsWith("." + platform) && host !== "www." + platform) return host;
  }
  return isProvider(host, extra) ? null : registrable(host);
}

/** A URL is specific when it has a path beyond "/" or a query: a bare home page says no more than its domain. */
export function isSpecificUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.pathname !== "/" && u.pathname !== "") || u.search !== "";
  } catch {
    return false;
  }
}

/** The lookalike key of a registrable domain: the confusable skeleton of its name without the public suffix. */
export function lookalikeKey(domain: string): string {
  const name =
    getDomainWithoutSuffix(domain, { allowPrivateDomains: false }) ?? domain.split(".")[0] ?? domain;
  return matchKey(name.replace(/[-_.]/g, ""));
}

/** One feature of one message: `kind:value` is what two messages share; `binding` false never ties them. */
export interface Feature {
  kind: FeatureKind;
  value: string;
  /** Kind weight (a URL on a provider's host is a `provider-url`, which weighs half: it never binds alone). */
  weight: number;
}

/** The indicators of one message as the case stores them (indicator_sources rows), plus its sender. */
export interface MessageIndicators {
  fromDomain: string | null;
  replyTo: string | null;
  returnPathDomain: string | null;
  urls: string[];
  linkHosts: string[];
  firstHopIp: string | null;
  attachments: string[];
}

/**
 * The features of one message. Provider domains are left out (they never bind); the first hop's IP is left out
 * when the sender's domain is a provider (the hop is then the provider's own server, shared by all its users).
 */
export function messageFeatures(m: MessageIndicators, extra: ReadonlySet<string>): Feature[] {
  const out: Feature[] = [];
  const seen = new Set<string>();
  const add = (kind: FeatureKind, value: string | null, weight = KIND_WEIGHTS[kind]): void => {
    if (!value) return;
    const key = `${kind}\u0000${value}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ kind, value, weight });
  };
  const senderProvider = m.fromDomain !== null && isProvider(m.fromDomain, extra);
  if (m.fromDomain && !senderProvider) add("sender-domain", registrable(m.fromDomain));
  if (m.replyTo) {
    add("reply-to", m.replyTo);
    const d = m.replyTo.slice(m.replyTo.lastIndexOf("@") + 1);
    if (!isProvider(d, extra)) add("reply-to-domain", registrable(d));
  }
  if (m.returnPathDomain && !isProvider(m.returnPathDomain, extra)) {
    add("return-path-domain", registrable(m.returnPathDomain));
  }
  if (m.firstHopIp && !senderProvider) add("first-hop-ip", m.firstHopIp);
  for (const url of m.urls) {
    if (!isSpecificUrl(url)) continue;
    let host: string;
    try {
      host = new URL(url).hostname.toLowerCase();
    } catch {
      continue;
    }
    add(isProvider(host, extra) ? "provider-url" : "url", url);
  }
  for (const h of m.linkHosts) add("link-domain", linkDomainKey(h, extra));
  for (const a of m.attachments) add("attachment", a);
  return out;
}

/**
 * Families of lookalike domains among the non-provider domains of the case: registrable domains whose names
 * share a confusable skeleton (`civicrights` and `civicrіghts` with a Cyrillic і; one name under two suffixes).
 * Returns domain -> family key, for families of at least two distinct domains.
 */
export function lookalikeFamilies(domains: Iterable<string>): Map<string, string> {
  const byKey = new Map<string, Set<string>>();
  for (const d of domains) {
    const k = lookalikeKey(d);
    if (k.length < 4) continue; // short names collide by chance
    let set = byKey.get(k);
    if (!set) byKey.set(k, (set = new Set()));
    set.add(d);
  }
  const out = new Map<string, string>();
  for (const [k, set] of byKey) if (set.size >= 2) for (const d of set) out.set(d, k);
  return out;
}

/**
 * Rarity of a feature seen in `df` of `n` messages, in (0, 1]: ln((n + b) / df) / ln(n + b), with `b`
 * pseudo-messages that share nothing, so that a case made only of one campaign still ties its messages and a
 * feature on every message of a large case weighs almost nothing. (Inverse document frequency: Spärck Jones 1972.)
 */
export function rarity(df: number, n: number, b: number): number {
  const total = n + b;
  if (total <= 1 || df <= 0) return 0;
  return Math.max(0, Math.min(1, Math.log(total / df) / Math.log(total)));
}
