/**
 * Every link in the message, from the plain text and from the HTML (hrefs and form actions), and what is wrong
 * with each: link text that shows another host than the link goes to, userinfo hiding the real host
 * (`https://bank.com@evil.example` goes to evil.example), IP-literal hosts, data: and javascript: URLs,
 * shorteners, free file and site hosts, lookalike domains.
 */
import { parse as parseHost } from "tldts";
import { SHORTENERS } from "../normalize/url.js";
import { decodeHTMLAttribute } from "entities";
import { extractUrls } from "../normalize/url-extract.js";
import { stripHtml } from "../normalize/html.js";
import { describeLookalike, domainForms, isWithin, lookalikeOf } from "./domains.js";
import { clickTracker } from "./click-trackers.js";
import { unwrapLink, type Unwrapped } from "./unwrap.js";
import type { LinkReport, Reason } from "./types.js";

/** Links beyond this many are not examined (and the cut is reported). */
export const MAX_LINKS = 500;

/** Hosts where anyone can publish a file or a page under the host's good name. */
export const FREE_HOSTS: ReadonlySet<string> = new Set([
  "drive.google.com",
  "docs.google.com",
  "sites.google.com",
  "storage.googleapis.com",
  "firebasestorage.googleapis.com",
  "dropbox.com",
  "dl.dropboxusercontent.com",
  "1drv.ms",
  "onedrive.live.com",
  "wetransfer.com",
  "we.tl",
  "mega.nz",
  "mediafire.com",
  "ipfs.io",
  "cloudflare-ipfs.com",
  "web.app",
  "firebaseapp.com",
  "pages.dev",
  "workers.dev",
  "glitch.me",
  "netlify.app",
  "vercel.app",
  "github.io",
  "herokuapp.com",
  "ngrok.io",
  "ngrok-free.app",
  "000webhostapp.com",
  "weebly.com",
  "wixsite.com",
  "blogspot.com",
  "forms.gle",
  "form.jotform.com",
  "typeform.com",
  "telegra.ph",
  "transfer.sh",
  "anonfiles.com",
  "gofile.io",
]);

// Bounded repetitions: hostile HTML with thousands of unclosed tags must not make matching quadratic.
// a quoted attribute may hold ">" (title=">"): the tag ends at the first ">" outside quotes
const ANCHOR_RE = /<a\b((?:[^>"']|"[^"]{0,4000}"|'[^']{0,4000}'){0,4000})>([\s\S]{0,4000}?)<\/a\s*>/gi;
const FORM_RE = /<form\b([^>]{0,4000})>/gi;
const ATTR_RE = (name: string): RegExp =>
  new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, "i");
const USERINFO_URL_RE = /\bhttps?:\/\/[^\s/?#@<>"']{1,256}@[^\s<>"']{1,2048}/giu;
// a domain ends where a character that cannot continue a host name follows: "paypal.com." "(www.paypal.com)",
// "paypal.com," and a zero-width space after it all show paypal.com
const HOST_IN_TEXT_RE =
  /(?:https?:\/\/)?((?:[\p{L}\p{N}-]+\.)+[\p{L}]{2,})(?=$|[^\p{L}\p{N}.-]|\.(?:$|[^\p{L}\p{N}]))/u;

/**
 * File extensions that are also top-level domains: link text ending in one ("Minutes.zip", "setup.py",
 * "README.md") names a file far more often than a site.
 */
const FILE_EXTENSION_TLDS: ReadonlySet<string> = new Set(["zip", "mov", "py", "sh", "md"]);

/** Special-use names (RFC 6761, RFC 7686): no public suffix, but a reader still takes "intranet.local" for a site. */
const SPECIAL_USE_TLDS: ReadonlySet<string> = new Set([
  "example",
  "test",
  "invalid",
  "localhost",
  "local",
  "onion",
]);

/**
 * Whether text that looks like a host name ("paypal.com", "Budget 2024.xlsx") names a site: its ending must be a
 * suffix of the public suffix list's ICANN section (or a special-use name) and not a file extension that is also
 * one.
 */
export function namesSite(asciiHost: string): boolean {
  const p = parseHost(asciiHost, { allowPrivateDomains: false });
  const suffix = p.publicSuffix ?? "";
  if (!p.domainWithoutSuffix || FILE_EXTENSION_TLDS.has(suffix)) return false;
  return p.isIcann === true || SPECIAL_USE_TLDS.has(suffix.slice(suffix.lastIndexOf(".") + 1));
}

/** How a reason names the wrappers around a link, or "" for a link that is not wrapped. */
function insideWrapper(link: LinkReport): string {
  return link.wrappers?.length ? `the address inside its ${link.wrappers.join(" and ")} wrapper` : "";
}

/**
 * An attribute's value as a browser reads it: every HTML character reference decoded (`&colon;`, `&Tab;` and
 * references without their semicolon too), and for a URL the tabs and line breaks that the URL parser removes
 * (`java&Tab;script:` runs as `javascript:`).
 */
function attr(attrs: string, name: string): string | undefined {
  const m = ATTR_RE(name).exec(attrs);
  if (!m) return undefined;
  return decodeHTMLAttribute(m[2] ?? m[3] ?? m[4] ?? "")
    .replace(/[\t\n\r]/g, "")
    .trim();
}

/**
 * A link's report: its host in both IDN forms, and the visible text when it is not the URL itself. A link wrapped
 * by a link-protection service or a redirect (see `unwrapLink`) is reported by the address inside it, the
 * wrapper kept beside it.
 *
 * @example linkReport("https://xn--ivicrights-bwi.org/x", "text").hostUnicode // "сivicrights.org"
 */
export function linkReport(
  written: string,
  source: string,
  linkText?: string,
  unwrapped: Unwrapped = unwrapLink(written),
): LinkReport {
  const { url, wrappers } = unwrapped;
  const r: LinkReport = { url, host: "", source };
  const t = linkText?.replace(/\s+/g, " ").trim();
  if (t && t !== url && t !== written) r.text = t.slice(0, 200);
  if (wrappers.length > 0) {
    r.wrappedUrl = written;
    r.wrappers = wrappers;
  }
  try {
    const u = new URL(/^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `http://${url}`);
    if (u.hostname) {
      const f = domainForms(u.hostname.replace(/^\[|\]$/g, ""));
      r.host = f.ascii;
      if (f.unicode !== f.ascii) r.hostUnicode = f.unicode;
    }
  } catch {
    // kept with an empty host: still an indicator
  }
  return r;
}

/** Links as found, in order, without repeats (by the address inside any wrapper, source and text). */
export function collectLinks(
  text: string | undefined,
  html: string | undefined,
): { links: LinkReport[]; cut: boolean } {
  const out: LinkReport[] = [];
  const seen = new Set<string>();
  let cut = false;
  // each link is unwrapped once per message: the same link is looked up as a key, against the HTML's links and
  // for its report, and a message may repeat one link thousands of times
  const unwrapped = new Map<string, Unwrapped>();
  const inside = (url: string): Unwrapped => {
    let u = unwrapped.get(url);
    if (u === undefined) {
      u = unwrapLink(url);
      unwrapped.set(url, u);
    }
    return u;
  };
  const add = (url: string, source: string, linkText?: string): void => {
    const key = `${inside(url).url}\u0000${source}\u0000${linkText ?? ""}`;
    if (seen.has(key)) return;
    if (out.length >= MAX_LINKS) {
      cut = true;
      return;
    }
    seen.add(key);
    const r = linkReport(url, source, linkText, inside(url));
    out.push(r);
  };
  if (html) {
    for (const m of html.matchAll(ANCHOR_RE)) {
      const href = attr(m[1]!, "href");
      if (href && !href.startsWith("#") && !/^mailto:/i.test(href)) add(href, "html", stripHtml(m[2]!));
    }
    for (const m of html.matchAll(FORM_RE)) {
      const action = attr(m[1]!, "action");
      if (action) add(action, "html-form");
    }
  }
  // the plain-text part usually repeats the HTML's links: those are examined once, as HTML links
  // (and a URL shown as an HTML link's text is not a link of its own)
  // (a wrapped link is written wrapped in both parts, and its text part may show the address inside)
  const inHtml = new Set(
    out.flatMap((l) => [l.url, ...(l.text ? [l.text] : []), ...(l.wrappedUrl ? [l.wrappedUrl] : [])]),
  );
  const plain = text ?? (html ? stripHtml(html) : "");
  // The shared extractor stops at "user@" (for posts, an address is likelier than userinfo); in mail the
  // userinfo trick is the point, so such links are taken whole, before the cut versions.
  const withUserinfo = [...plain.matchAll(USERINFO_URL_RE)].map((m) =>
    m[0].replace(/[.,;:!?)\]}»"']+$/u, ""),
  );
  for (const u of withUserinfo) if (!inHtml.has(u) && !inHtml.has(inside(u).url)) add(u, "text");
  // an HTML link with a space in it is cut there in the text (mailparser's text of an HTML-only message): the cut
  // is the same link, not another resource
  const htmlLinks = [...inHtml];
  const cutFromHtml = (u: string): boolean =>
    htmlLinks.some((h) => h.length > u.length && h.startsWith(u) && /\s/.test(h[u.length]!));
  for (const u of extractUrls(plain)) {
    if (
      inHtml.has(u) ||
      inHtml.has(inside(u).url) ||
      withUserinfo.some((w) => w.startsWith(u + "@") || w.startsWith(u + ":"))
    )
      continue;
    if (cutFromHtml(u)) continue;
    add(u, "text");
  }
  return { links: out, cut };
}

/** Bulk-mail click trackers: see click-trackers.ts, where each is listed with its source. */
export { CLICK_TRACKERS } from "./click-trackers.js";

/** What the message says about its sender, for the links' checks. */
export interface LinkContext {
  /** The registrable domain of the From address. */
  fromRegistrable?: string;
  /** Whether the receiving provider authenticated the From domain (DMARC or aligned DKIM pass). */
  fromVouched: boolean;
  /** Whether the message is bulk mail (it has a List-Unsubscribe header). */
  bulk: boolean;
  /**
   * Whether a receiving provider's Authentication-Results were read. When they were and do not vouch for the From
   * domain, a link through a mailing service's click tracking is no longer taken for the sender's own: anyone can
   * open an account with the service and write any From. Without them (old corpora, headers stripped), the sender
   * is only unknown.
   */
  receiverChecked?: boolean;
  /** Whether the From domain imitates a domain the reader protects or a brand (`lookalikeOf`). */
  fromLookalike?: boolean;
}

/** Reasons for one link; `refs` are the domains it must not imitate; `context` what is known of the sender. */
export function checkLink(
  link: LinkReport,
  refs: string[],
  context: LinkContext = { fromVouched: false, bulk: false },
): Reason[] {
  const reasons: Reason[] = [];
  const ev = { kind: "link" as const, ref: link.url };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(link.url)?.[1]?.toLowerCase();
  if (scheme === "javascript" || scheme === "vbscript") {
    reasons.push({
      code: "link.script-url",
      severity: "high",
      weight: 0.6,
      message: "A link runs script code when clicked instead of opening a page.",
      evidence: ev,
    });
    return reasons;
  }
  if (scheme === "data") {
    reasons.push({
      code: "link.data-url",
      severity: "high",
      weight: 0.5,
      message:
        "A link carries a whole page or file inside itself (a data: URL), a way to show a fake login page without a server.",
      evidence: { ...ev, ref: link.url.slice(0, 80) },
    });
    return reasons;
  }
  if (!link.host) return reasons;
  let userinfo = "";
  try {
    const u = new URL(/^[a-z][a-z0-9+.-]*:/i.test(link.url) ? link.url : `http://${link.url}`);
    userinfo = decodeURIComponent(u.username + (u.password ? ":" + u.password : ""));
  } catch {
    // unparseable: no userinfo to show
  }
  const shownHost = link.hostUnicode ?? link.host;
  if (userinfo) {
    reasons.push({
      code: "link.userinfo",
      severity: "high",
      weight: 0.5,
      message: `A link starts with "${userinfo}@" so it seems to go to ${userinfo}, but it goes to ${shownHost}.`,
      evidence: { ...ev, value: shownHost },
    });
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(link.host) || link.host.includes(":")) {
    reasons.push({
      code: "link.ip-host",
      severity: "medium",
      weight: 0.3,
      message: `A link goes to a bare IP address (${link.host}) instead of a named site.`,
      evidence: ev,
    });
  }
  const inside = insideWrapper(link);
  if (link.text) {
    // a text that is itself a wrapped link shows the address inside it (a reader hovering sees that too)
    const shown = HOST_IN_TEXT_RE.exec(unwrapLink(link.text).url)?.[1];
    if (shown) {
      const a = domainForms(shown);
      const b = domainForms(link.host);
      if (a.registrable !== b.registrable && namesSite(a.ascii)) {
        // Newsletters' click-tracking redirects do this too; it is strong when the text claims a domain the
        // organisation protects or a brand.
        const claimed = refs.some((r) => isWithin(a.ascii, r));
        const tracker = clickTracker(b.registrable);
        // a newsletter showing its own site through its mailing service's redirect: noted when the receiver
        // authenticated the sender, a weak reason when no receiver's results were there to say (old corpora,
        // stripped headers); not when the receiver did not authenticate the sender, or the sender's domain
        // imitates a protected one or a brand: anyone can send through these services under any From
        const ownSiteTracked =
          tracker !== undefined &&
          !claimed &&
          context.bulk &&
          !context.fromLookalike &&
          (context.fromVouched || !context.receiverChecked) &&
          context.fromRegistrable !== undefined &&
          a.registrable === context.fromRegistrable;
        if (ownSiteTracked) {
          reasons.push({
            code: "link.text-mismatch",
            severity: context.fromVouched ? "info" : "low",
            weight: context.fromVouched ? 0 : 0.05,
            message:
              `A link shows ${a.unicode}, the sender's own site, but goes through the click tracking of the mailing ` +
              `service ${tracker.service} (${b.registrable})` +
              (context.fromVouched
                ? " (the receiving provider authenticated the sender)."
                : "; no receiving provider's authentication results say who sent it."),
            evidence: { ...ev, value: link.text },
          });
        } else
          reasons.push({
            code: "link.text-mismatch",
            severity: claimed ? "high" : "medium",
            weight: claimed ? 0.5 : 0.2,
            message:
              `A link shows ${a.unicode} but goes to ${shownHost}` +
              (inside ? `, ${inside}` : "") +
              (claimed
                ? "."
                : tracker && context.bulk && a.registrable === context.fromRegistrable
                  ? `, the click tracking of ${tracker.service}, which anyone can send through: ` +
                    (context.fromLookalike
                      ? "the sender's domain imitates a protected domain or a brand."
                      : "the receiving provider did not authenticate the sender.")
                  : " (click-tracking redirects in newsletters do this too)."),
            evidence: { ...ev, value: link.text },
          });
      }
    }
  }
  const f = domainForms(link.host);
  const bare = link.host.replace(/^www\./, "");
  if (SHORTENERS.has(bare)) {
    reasons.push({
      code: "link.shortener",
      severity: "low",
      weight: 0.1,
      message: `A link goes through the shortener ${bare}, which hides where it leads (not expanded offline).`,
      evidence: ev,
    });
  }
  // a free host of the authenticated sender itself (docs.google.com in a notification from google.com) is its own site
  const sendersOwn = context.fromVouched && f.registrable === context.fromRegistrable;
  if ((FREE_HOSTS.has(bare) || FREE_HOSTS.has(f.registrable)) && !sendersOwn) {
    reasons.push({
      code: "link.free-host",
      severity: "low",
      weight: 0.15,
      message: `A link goes to ${bare}, where anyone can publish files or pages.`,
      evidence: ev,
    });
  }
  const look = lookalikeOf(link.host, refs);
  if (look) {
    reasons.push({
      code: "link.lookalike-domain",
      severity: "high",
      weight: 0.55,
      message: `A link's domain ${describeLookalike(link.host, look)}${inside ? ` (${inside})` : ""}.`,
      evidence: ev,
    });
  } else if (f.ascii.split(".").some((l) => l.startsWith("xn--"))) {
    reasons.push({
      code: "link.idn-domain",
      severity: "low",
      weight: 0.1,
      message: `A link goes to an internationalised domain: ${f.unicode} is written ${f.ascii}.`,
      evidence: ev,
    });
  }
  return reasons;
}
