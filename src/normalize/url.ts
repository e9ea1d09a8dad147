/**
 * URL canonicalisation: two posts share "the same link" when their canonical forms are equal. Campaigns share one
 * article through many accounts, and each copy picks up noise that is not part of the object: tracking
 * parameters stamped by the share button (utm_*, fbclid, si, …), http versus https, www. or a mobile subdomain,
 * youtu.be versus youtube.com, twitter.com versus x.com, parameter order, a trailing slash, percent-encoding case.
 * The canonical form removes that noise and keeps everything that can name a different page.
 *
 * Decisions (see the tests for each):
 * - The scheme is unified to https: the same article shared as http and https is one object for coordination.
 * - Userinfo ("user:pass@") is dropped from the canonical form and flagged with `hasUserinfo`; "https://bank.com@
 *   evil.example/" is a known phishing disguise, worth reporting, while the host is what names the page.
 * - "www." is dropped from the canonical host (not from `host`), as are mobile hosts (m.youtube.com,
 *   mobile.twitter.com, m.facebook.com). twitter.com becomes x.com for every path, not only status links.
 * - `si` is removed on any host: YouTube, Spotify and SoundCloud all use it as a share id.
 * - Platform forms: youtu.be/ID, /shorts/ID, /embed/ID, /live/ID → youtube.com/watch?v=ID; an x.com status link
 *   keeps the user lower-cased and drops `s`, `t` and a /photo/N-style suffix; t.co links drop their query.
 * - The fragment is dropped, except a "#!" hash-bang, which (as in old twitter.com/#!/user links) names content.
 * - Percent-encoding uses lowercase hex, and escapes of unreserved characters (%41 → A, %7E → ~) are decoded
 *   (RFC 3986 §6.2.2.2).
 * - `domain` is the registrable domain of the canonical host, so youtu.be links count under youtube.com.
 */
import { domainToASCII, domainToUnicode } from "node:url";
import { getDomain, parse as parseDomain } from "tldts";

import { StringMemo } from "./memo.js";
import { MAX_URL_LENGTH } from "./url-extract.js";

export { extractUrls, MAX_URL_LENGTH, URL_MARKS } from "./url-extract.js";

export interface CanonicalUrl {
  /** The comparison form, always https. */
  canonical: string;
  /** ASCII (punycode) host, lower case, no trailing dot; "www." kept. IPv6 in brackets. */
  host: string;
  /** `host` with IDN labels in Unicode, for display. */
  hostUnicode: string;
  /**
   * Registrable domain of the canonical host (tldts, private suffixes included, so user.blogspot.com stays
   * distinct from other blogs); the canonical host itself for IPs and hosts without a known suffix.
   */
  domain: string;
  /** The host is a known link shortener (`SHORTENERS`): the real target is hidden behind a redirect. */
  isShortener: boolean;
  isIp: boolean;
  /** The URL carried "user[:password]@" before the host (dropped from `canonical`). */
  hasUserinfo: boolean;
  /** The input as given. */
  raw: string;
}

/** Hosts (without "www.") of link shorteners. t.me is not one: it names a Telegram channel. */
export const SHORTENERS: ReadonlySet<string> = new Set([
  "adf.ly",
  "aje.io",
  "aka.ms",
  "amzn.to",
  "apple.co",
  "bbc.in",
  "bit.do",
  "bit.ly",
  "bitly.com",
  "bl.ink",
  "buff.ly",
  "clck.ru",
  "cnn.it",
  "cutt.ly",
  "db.tt",
  "dlvr.it",
  "fb.me",
  "goo.gl",
  "goo.su",
  "hubs.ly",
  "ift.tt",
  "is.gd",
  "j.mp",
  "lnkd.in",
  "nyti.ms",
  "ow.ly",
  "rb.gy",
  "rebrand.ly",
  "reut.rs",
  "s.id",
  "shorte.st",
  "shorturl.at",
  "soo.gd",
  "spoti.fi",
  "t.co",
  "t.ly",
  "tiny.cc",
  "tinyurl.com",
  "tr.im",
  "trib.al",
  "u.to",
  "v.gd",
  "vk.cc",
  "wapo.st",
  "x.co",
]);

/** Shorteners of one outlet or company: their domain still names whose link it is (bbc.in is the BBC's). */
const BRANDED_SHORTENERS: ReadonlySet<string> = new Set([
  "aje.io",
  "aka.ms",
  "amzn.to",
  "apple.co",
  "bbc.in",
  "cnn.it",
  "db.tt",
  "fb.me",
  "nyti.ms",
  "reut.rs",
  "spoti.fi",
  "wapo.st",
]);

/**
 * Shorteners anyone can use (t.co, bit.ly, dlvr.it, ...): their domain names no site, only the service that
 * wrapped the link, so two accounts sharing it have not shared a website.
 */
export const OPEN_SHORTENERS: ReadonlySet<string> = new Set(
  [...SHORTENERS].filter((h) => !BRANDED_SHORTENERS.has(h)),
);

/** Query parameters that identify a share or a campaign, never the page. Compared lower-cased. */
const TRACKING_PARAMS: ReadonlySet<string> = new Set([
  "__s",
  "__tn__",
  "__twitter_impression",
  "_branch_match_id",
  "_ga",
  "_gl",
  "_hsenc",
  "_hsmi",
  "dclid",
  "fbclid",
  "gbraid",
  "gclid",
  "igsh",
  "igshid",
  "li_fat_id",
  "mc_cid",
  "mc_eid",
  "mibextid",
  "mkt_tok",
  "msclkid",
  "ref_src",
  "ref_url",
  "share_id",
  "si",
  "spm",
  "ttclid",
  "twclid",
  "wbraid",
  "yclid",
]);

/** Canonical host for hosts that serve the same pages under another name. */
const HOST_ALIASES: ReadonlyMap<string, string> = new Map([
  ["m.youtube.com", "youtube.com"],
  ["youtube-nocookie.com", "youtube.com"],
  ["twitter.com", "x.com"],
  ["mobile.twitter.com", "x.com"],
  ["m.twitter.com", "x.com"],
  ["mobile.x.com", "x.com"],
  ["m.facebook.com", "facebook.com"],
  ["mbasic.facebook.com", "facebook.com"],
  ["touch.facebook.com", "facebook.com"],
  ["web.facebook.com", "facebook.com"],
]);

const DOMAIN_OPTS = { allowPrivateDomains: true, extractHostname: false, detectIp: false } as const;
/** Longest DNS name; longer hosts are not memoised. */
const MAX_HOST_LENGTH = 253;
/**
 * A collection holds millions of links to a few thousand hosts: a host's Unicode form (IDNA) and a canonical host's
 * registrable domain (a walk of the public-suffix list) are computed once per host, not once per link.
 */
const unicodeHosts = new StringMemo<string>(4096, MAX_HOST_LENGTH, (host) => domainToUnicode(host) || host);
const registrableDomains = new StringMemo<string>(
  4096,
  MAX_HOST_LENGTH,
  (host) => getDomain(host, DOMAIN_OPTS) ?? host,
);
const SCHEME_RE = /^([a-z][a-z0-9+.-]*):/i;
const IPV4_RE = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const PERCENT_RE = /%([0-9a-f]{2})/gi;
const YOUTUBE_ID_PATH_RE = /^\/(?:shorts|embed|live|v)\/([\w-]+)$/;
const STATUS_PATH_RE = /^\/([^/]+)\/status(?:es)?\/(\d+)(?:\/.*)?$/i;

/**
 * Canonical form of an http(s) URL, or `null` when `raw` is not one (other schemes such as javascript:, data:,
 * mailto:; unparseable or over-long input). Scheme-less input is accepted when it starts with "www." or its host
 * ends in a known public suffix ("example.com/x"). Never throws. See the module banner for each rule.
 *
 * @example
 * canonicalUrl("HTTP://www.Example.com:80/a/?utm_source=x&b=2&a=1#top")?.canonical;
 * // "https://example.com/a?a=1&b=2"
 * canonicalUrl("youtu.be/dQw4w9WgXcQ?si=abc")?.canonical; // "https://youtube.com/watch?v=dQw4w9WgXcQ"
 */
export function canonicalUrl(raw: string): CanonicalUrl | null {
  const input = raw.trim();
  if (input.length === 0 || input.length > MAX_URL_LENGTH) return null;
  const absolute = withScheme(input);
  if (absolute === null) return null;
  let url: URL;
  try {
    url = new URL(absolute);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  const host = url.hostname.endsWith(".") ? url.hostname.slice(0, -1) : url.hostname;
  if (host === "" || host.startsWith(".") || host.endsWith(".") || host.includes("..")) return null; // empty labels
  const isIp = host.startsWith("[") || IPV4_RE.test(host);

  const bareHost = host.startsWith("www.") && host.indexOf(".", 4) > 0 ? host.slice(4) : host;
  const site = applySiteRules({
    host: HOST_ALIASES.get(bareHost) ?? bareHost,
    path: normalizePercent(url.pathname),
    params: splitQuery(url.search),
    hashBang: url.hash.startsWith("#!") && url.hash.length > 2 ? normalizePercent(url.hash) : "",
    isStatus: false,
  });
  const { host: chost, hashBang } = site;
  const isYouTube = chost === "youtube.com";
  const kept =
    chost === "t.co" // t.co adds only ?amp=1 / ?ssr=true, never anything that names the target
      ? []
      : site.params.filter((p) => !isTrackingParam(p, site.isStatus, isYouTube));
  kept.sort(compareParamKeys);

  const path = withoutTrailingSlashes(site.path);
  const port = url.port === "" || url.port === "80" || url.port === "443" ? "" : `:${url.port}`;
  const query = kept.length > 0 ? `?${kept.join("&")}` : "";
  const canonical = `https://${chost}${port}${path}${query}${hashBang}`;

  return {
    canonical,
    host,
    hostUnicode: isIp ? host : unicodeHosts.get(host),
    domain: isIp ? host : registrableDomains.get(chost),
    isShortener: SHORTENERS.has(bareHost),
    isIp,
    hasUserinfo: url.username !== "" || url.password !== "",
    raw,
  };
}

interface SiteParts {
  host: string;
  path: string;
  params: string[];
  hashBang: string;
  /** An x.com status link, whose `s` and `t` parameters are share noise. */
  isStatus: boolean;
}

/** Rewrite platform-specific equivalent forms: YouTube short and embed links, x.com status and #! links. */
function applySiteRules(parts: SiteParts): SiteParts {
  const { host, path, params, hashBang } = parts;
  if (host === "youtu.be") {
    const id = path.slice(1).split("/")[0] ?? "";
    return {
      ...parts,
      host: "youtube.com",
      path: id === "" ? "/" : "/watch",
      params: id === "" ? params : [...params, `v=${id}`],
    };
  }
  if (host === "youtube.com") {
    const m = YOUTUBE_ID_PATH_RE.exec(path);
    return m ? { ...parts, path: "/watch", params: [...params, `v=${m[1] ?? ""}`] } : parts;
  }
  if (host === "x.com") {
    const routed = path === "/" && hashBang.startsWith("#!/");
    const p = routed ? hashBang.slice(2) : path;
    const m = STATUS_PATH_RE.exec(p);
    return {
      ...parts,
      path: m ? `/${(m[1] ?? "").toLowerCase()}/status/${m[2] ?? ""}` : p,
      hashBang: routed ? "" : hashBang,
      isStatus: m !== null,
    };
  }
  return parts;
}

/** `input` with an http(s) scheme, or `null` when it has another scheme or does not look like a web address. */
function withScheme(input: string): string | null {
  const m = SCHEME_RE.exec(input);
  if (m) {
    const scheme = (m[1] ?? "").toLowerCase();
    if (scheme === "http" || scheme === "https") return input;
    // "example.com:8080/x" reads as scheme "example.com"; a real scheme has no dot and no port after it.
    const afterColon = input.charCodeAt(m[0].length);
    if (!scheme.includes(".") || !(afterColon >= 0x30 && afterColon <= 0x39)) return null;
  }
  if (input.startsWith("//")) return `http:${input}`;
  const hostEnd = input.search(/[/?#]/);
  const hostPart = (hostEnd < 0 ? input : input.slice(0, hostEnd)).replace(/:\d+$/, "");
  if (hostPart.includes("@")) return null; // "alice@example.com" is an email address
  if (/^www\./i.test(hostPart) || (IPV4_RE.test(hostPart) && hostEnd >= 0)) return `http://${input}`;
  const ascii = domainToASCII(hostPart);
  if (ascii === "" || !ascii.includes(".")) return null;
  const parsed = parseDomain(ascii, { allowPrivateDomains: true, extractHostname: false });
  return parsed.isIcann === true || parsed.isPrivate === true ? `http://${input}` : null;
}

/** Lower-case hex in percent escapes; decode escapes of unreserved characters (A-Z a-z 0-9 - . _ ~). */
function normalizePercent(s: string): string {
  if (!s.includes("%")) return s;
  return s.replace(PERCENT_RE, (_m, hex: string) => {
    const c = parseInt(hex, 16);
    const unreserved =
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x2d ||
      c === 0x2e ||
      c === 0x5f ||
      c === 0x7e;
    return unreserved ? String.fromCharCode(c) : `%${hex.toLowerCase()}`;
  });
}

/** "/a/" → "/a", "/" stays "/". A loop, not /\/+$/, which backtracks quadratically on long runs of "/". */
function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) === 0x2f /* / */) end--;
  return path.slice(0, end);
}

/** Non-empty "key=value" pieces of a search string, percent-normalised, in their original order. */
function splitQuery(search: string): string[] {
  if (search.length <= 1) return [];
  return search
    .slice(1)
    .split("&")
    .filter((p) => p !== "")
    .map(normalizePercent);
}

function paramKey(p: string): string {
  const eq = p.indexOf("=");
  return eq < 0 ? p : p.slice(0, eq);
}

/** Stable sort by key alone, by code unit (not locale): values keep their relative order. */
function compareParamKeys(a: string, b: string): number {
  const ka = paramKey(a);
  const kb = paramKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function decodedLower(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " ")).toLowerCase();
  } catch {
    return s.toLowerCase();
  }
}

function isTrackingParam(p: string, isStatus: boolean, isYouTube: boolean): boolean {
  const key = decodedLower(paramKey(p));
  if (key.startsWith("utm_") || key.startsWith("__cft__") || TRACKING_PARAMS.has(key)) return true;
  if (isStatus && (key === "s" || key === "t")) return true;
  if (key === "feature") return isYouTube || decodedLower(p.slice(p.indexOf("=") + 1)) === "share";
  return false;
}

/**
 * The id of the tweet a link names (`https://twitter.com/user/status/123`, `x.com`, `mobile.twitter.com`,
 * `/i/web/status/123`, `/statuses/123`), or null for any other link. A quote tweet carries the tweet it quotes as
 * such a link among its own: it is the quote (the `quote` object), not a link the author shared.
 */
export function tweetLinkId(url: string): string | null {
  const m =
    /^https?:\/\/(?:(?:www|mobile)\.)?(?:twitter|x)\.com\/(?:i\/web|[^/?#\s]+)\/status(?:es)?\/(\d+)(?:[/?#]|$)/i.exec(
      url.trim(),
    );
  return m ? m[1]! : null;
}
