/**
 * Link wrappers: the services that rewrite every link of the mail they receive so that a click passes through
 * them first (Microsoft Safe Links, Proofpoint URL Defense) and the redirects that carry a link out of a page
 * (Google's `/url?q=`). The wrapper's own host says nothing about where a click leads; the address inside does,
 * so it is what the link checks read and what is listed as the indicator. A wrapped link also carries the
 * recipient's address (Safe Links' `data=`), which is the reader's own and no indicator.
 *
 * @example
 * unwrapLink("https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fevil.example%2F&data=05");
 * // { url: "https://evil.example/", wrappers: ["Microsoft Safe Links"] }
 */

/** How many wrappers deep a link is unwrapped (a Google redirect inside Safe Links is two). */
const MAX_DEPTH = 4;

export interface Unwrapped {
  /** The address a click finally leads to, as far as the wrappers tell it offline. */
  url: string;
  /** The services that wrapped it, outermost first; empty when the link was not wrapped. */
  wrappers: string[];
}

/**
 * The digits and letters that Proofpoint URL Defense v3 uses after `**` for a run of replaced characters: the
 * first stands for a run of 2, the next for 3, and so on.
 */
const V3_RUN_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const isWeb = (s: string): boolean => /^https?:\/\/[^\s/?#]+/i.test(s);

/** One wrapper taken off, or undefined when `url` is no wrapper this module knows (or its inner link is unreadable). */
function unwrapOnce(url: string): { url: string; wrapper: string } | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return undefined;
  const host = u.hostname.toLowerCase();
  // Safe Links: a regional host (nam12, eur03, gcc02) under safelinks.protection.outlook.com, or the government
  // clouds' office365.us
  if (/(^|\.)safelinks\.protection\.(outlook\.com|office365\.us)$/.test(host)) {
    const inner = u.searchParams.get("url");
    return inner && isWeb(inner) ? { url: inner, wrapper: "Microsoft Safe Links" } : undefined;
  }
  if (host === "urldefense.proofpoint.com" || host === "urldefense.com" || host === "urldefense.us") {
    const inner = proofpoint(url, u);
    return inner && isWeb(inner) ? { url: inner, wrapper: "Proofpoint URL Defense" } : undefined;
  }
  // Google's redirect on any of its country domains (www.google.com, google.de, www.google.co.uk)
  if (/^(www\.)?google\.[a-z]{2,3}(\.[a-z]{2})?$/.test(host) && u.pathname === "/url") {
    const inner = u.searchParams.get("q") ?? u.searchParams.get("url");
    return inner && isWeb(inner) ? { url: inner, wrapper: "Google redirect" } : undefined;
  }
  return undefined;
}

/**
 * The link inside a Proofpoint URL Defense link. v1 carries it percent-encoded in `u`; v2 in `u` with "-" for "%"
 * and "_" for "/"; v3 writes it between `__` and `__;`, with each character it had to replace written as "*" (or
 * "**" and a letter for a run of them), the replaced characters themselves base64url-encoded after the `;`.
 */
function proofpoint(raw: string, u: URL): string | undefined {
  try {
    if (u.pathname.startsWith("/v1/")) return u.searchParams.get("u") ?? undefined;
    if (u.pathname.startsWith("/v2/")) {
      const enc = u.searchParams.get("u");
      return enc ? decodeURIComponent(enc.replace(/_/g, "/").replace(/-/g, "%")) : undefined;
    }
  } catch {
    return undefined;
  }
  // v3 is read from the link as written: URL parsing would percent-encode the "*" runs and the "$" end. It is
  // found with indexOf, not a pattern: a lazy group between "__" and "__;" backtracks cubically on a link of
  // "/v3/__;" repeated (14 KB took 15 s).
  const start = raw.indexOf("/v3/__");
  if (start < 0) return undefined;
  const from = start + "/v3/__".length;
  // the link inside is at least one character long
  const semi = raw.indexOf("__;", from + 1);
  if (semi < 0) return undefined;
  const bang = raw.indexOf("!", semi + 3);
  if (bang < 0) return undefined;
  const written = raw.slice(from, semi);
  // a link is one line: a line break inside it is no v3 link
  if (/[\r\n\u2028\u2029]/.test(written)) return undefined;
  let inner: string;
  try {
    inner = decodeURIComponent(written);
  } catch {
    inner = written;
  }
  const replaced = [
    ...Buffer.from(
      raw
        .slice(semi + 3, bang)
        .replace(/-/g, "+")
        .replace(/_/g, "/"),
      "base64",
    ).toString("utf8"),
  ];
  let at = 0;
  let broken = false;
  const out = inner.replace(/\*(\*.)?/g, (token: string) => {
    const digit = token.length === 1 ? 0 : V3_RUN_DIGITS.indexOf(token[2]!);
    const run = token.length === 1 ? 1 : digit + 2;
    if (digit < 0 || at + run > replaced.length) {
      broken = true;
      return token;
    }
    const chars = replaced.slice(at, at + run).join("");
    at += run;
    return chars;
  });
  return broken ? undefined : out;
}

/**
 * The link inside any wrappers, and the wrappers' names; the link itself when it is not wrapped. Every step reads a
 * link in one pass, so no length bound is needed: a bound would let a phish pad its link past it and be judged by
 * the wrapper's host.
 */
export function unwrapLink(url: string): Unwrapped {
  const wrappers: string[] = [];
  let current = url;
  for (let i = 0; i < MAX_DEPTH; i++) {
    const next = unwrapOnce(current);
    if (!next) break;
    wrappers.push(next.wrapper);
    current = next.url;
  }
  return { url: current, wrappers };
}
