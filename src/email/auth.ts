/**
 * Authentication evidence. The receiving provider's Authentication-Results header is the primary evidence: it
 * was written at delivery, with DNS answers we cannot get back offline. What can be recomputed without DNS is
 * recomputed (DKIM body hashes and alignment, through mailauth with a resolver that refuses every lookup); what
 * needs DNS is listed as not checked.
 */
import { isIP } from "node:net";
import { getDomain } from "tldts";
import { dkimVerify } from "mailauth/lib/dkim/verify.js";
import { headerValues, type HeaderLine } from "./parse.js";
import type { AuthResult, AuthSummary, Reason, ReceivedHop } from "./types.js";

/** Split on `sep` outside parentheses (RFC 5322 comments) and double quotes. */
function splitOutside(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = "";
  for (const ch of s) {
    if (ch === '"' && depth === 0) quoted = !quoted;
    else if (!quoted && ch === "(") depth++;
    else if (!quoted && ch === ")" && depth > 0) depth--;
    if (ch === sep && depth === 0 && !quoted) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter(Boolean);
}

/** One `method=result (comment) ptype.prop=value ...` clause. */
function parseResinfo(s: string): AuthResult | undefined {
  const m = /^([A-Za-z0-9_.-]+)\s*=\s*([A-Za-z0-9_-]+)/.exec(s);
  if (!m) return undefined;
  const rest = s.slice(m[0].length);
  const comments = [...rest.matchAll(/\(([^()]*)\)/g)].map((c) => c[1]!.trim());
  const props: Record<string, string> = {};
  for (const p of rest.replace(/\([^()]*\)/g, " ").matchAll(/([A-Za-z0-9_.-]+)\s*=\s*("[^"]*"|[^\s;]+)/g)) {
    props[p[1]!.toLowerCase()] = p[2]!.replace(/^"|"$/g, "");
  }
  const r: AuthResult = { method: m[1]!.toLowerCase(), result: m[2]!.toLowerCase(), props };
  if (comments.length > 0) r.comment = comments.join("; ");
  return r;
}

/**
 * Parse an Authentication-Results value (RFC 8601). Microsoft's servers omit the authserv-id; it is then "".
 *
 * @example parseAuthResults("mx.example.org; dmarc=fail header.from=bank.example").results[0].result === "fail"
 */
export function parseAuthResults(value: string): { authservId: string; results: AuthResult[] } {
  const parts = splitOutside(value, ";");
  let authservId = "";
  if (parts.length > 0 && !/^[A-Za-z0-9_.-]+\s*=/.test(parts[0]!)) {
    authservId =
      parts
        .shift()!
        .replace(/\([^()]*\)/g, "")
        .trim()
        .split(/\s+/)[0] ?? "";
  }
  const results = parts.map(parseResinfo).filter((r): r is AuthResult => r !== undefined);
  return { authservId, results };
}

/** Received headers, top (latest) first, with the connecting IP of each hop. */
export function receivedChain(headers: HeaderLine[]): ReceivedHop[] {
  return headerValues(headers, "received").map((v, index) => {
    const hop: ReceivedHop = { index };
    const semi = v.lastIndexOf(";");
    const main = semi >= 0 ? v.slice(0, semi) : v;
    if (semi >= 0) hop.date = v.slice(semi + 1).trim();
    const from = /\bfrom\s+(\S+)([\s\S]*?)(?=\bby\b|$)/i.exec(main);
    if (from) {
      hop.from = from[1]!;
      const ip = /\[(?:IPv6:)?([0-9a-fA-F:.]+)\]/.exec(from[2]!) ?? /\(([0-9a-fA-F:.]+)\)/.exec(from[2]!);
      if (ip && isIP(ip[1]!)) hop.ip = ip[1]!;
      else if (isIP(hop.from.replace(/^\[|\]$/g, ""))) hop.ip = hop.from.replace(/^\[|\]$/g, "");
    }
    const by = /\bby\s+(\S+)/i.exec(main);
    if (by) hop.by = by[1]!;
    return hop;
  });
}

/** Loopback, private, link-local, CGNAT and documentation-free ranges: not a sender's public address. */
export function isPrivateIp(ip: string): boolean {
  if (isIP(ip) === 4) {
    const [a, b] = ip.split(".").map(Number) as [number, number];
    return (
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  const v = ip.toLowerCase();
  return v === "::1" || v.startsWith("fe80:") || v.startsWith("fc") || v.startsWith("fd");
}

/** The earliest hop (bottom-most Received) that came from a public address: where the message entered. */
export function firstExternalIp(chain: ReceivedHop[]): string | undefined {
  for (let i = chain.length - 1; i >= 0; i--) {
    const ip = chain[i]!.ip;
    if (ip && !isPrivateIp(ip)) return ip;
  }
  return undefined;
}

/** A resolver for mailauth that answers nothing: triage makes no network calls. */
export const offlineResolver = async (name: string, type: string): Promise<never> => {
  const err = new Error(`DNS lookups are off (${type} ${name})`) as Error & { code: string };
  err.code = "EREFUSED";
  throw err;
};

/**
 * mailauth 4 prints a debugging line to stdout when a signature's l= tag disagrees with the body, which a
 * hostile message can trigger at will and which would corrupt `--json` output; it is silenced while DKIM runs.
 */
export async function quietly<T>(run: () => Promise<T>): Promise<T> {
  const log = console.log;
  console.log = () => {};
  try {
    return await run();
  } finally {
    console.log = log;
  }
}

export interface AuthFindings {
  summary: AuthSummary;
  reasons: Reason[];
  notChecked: string[];
}

const H = "Authentication-Results";

/**
 * Domains the receiving provider vouched for: `dmarc=pass` for its `header.from`, `dkim=pass` for its `header.d`
 * (or the domain of `header.i`), and no result other than a pass for that domain. Only the receiver's own
 * results count: not ARC's, which the sender can write too, and not an offline DKIM body hash, which anyone can
 * compute. A pass proves who sent the message, not that the sender is honest: callers use it only for the big
 * providers' own notifications and a sender's own links.
 */
export function vouchedDomains(summary: AuthSummary): Set<string> {
  const domainOf = (r: AuthResult): string | undefined => {
    const m = r.method.toLowerCase();
    const d =
      m === "dmarc"
        ? r.props["header.from"]
        : m === "dkim"
          ? (r.props["header.d"] ?? r.props["header.i"]?.replace(/^.*@/, ""))
          : undefined;
    return d?.toLowerCase().replace(/\.$/, "");
  };
  const results = summary.receiver?.results ?? [];
  const passed = new Set<string>();
  const failed = new Set<string>();
  for (const r of results) {
    const d = domainOf(r);
    if (!d) continue;
    (r.result.toLowerCase() === "pass" ? passed : failed).add(d);
  }
  return new Set([...passed].filter((d) => !failed.has(d)));
}

/** Whether `domain` (or its registrable domain) is among the vouched domains, compared by registrable domain. */
export function isVouched(domain: string | undefined, vouched: ReadonlySet<string>): boolean {
  if (!domain) return false;
  const reg = registrableOf(domain);
  return [...vouched].some((v) => registrableOf(v) === reg);
}

const registrableOf = (d: string): string => getDomain(d, { allowPrivateDomains: false }) ?? d;

/**
 * Receiving services whose results a sender forges to vouch for itself, by the registrable domain of their
 * authserv-id, with the domains their own Received headers name as the receiving host. Only these are judged:
 * a self-hosted server's authserv-id is whatever its administrator chose (often a short host name, or
 * "OpenDMARC"), and a gateway may name itself under another domain than its hosts, so that for others the absence
 * of a matching Received header proves nothing.
 */
const JUDGED_RECEIVERS: ReadonlyMap<string, readonly string[]> = new Map([["google.com", ["google.com"]]]);

/**
 * Whether the topmost Authentication-Results, in the name of `authservId`, was written by the sender: it names
 * one of `JUDGED_RECEIVERS` (Gmail's "mx.google.com"), the message has a Received chain, and neither a Received
 * header above the results nor the first one below them names that service as the receiving host (Gmail's
 * results sit under its "by mx.google.com", or above it with only Gmail's internal hops, which name no host, on
 * top). A sender who also forges a Received header of that service just below the results is not caught.
 */
export function writtenBySender(headers: HeaderLine[], authservId: string): boolean {
  const server = authservId.toLowerCase().replace(/\.$/, "");
  const hosts = JUDGED_RECEIVERS.get(registrableOf(server));
  if (!server.includes(".") || hosts === undefined) return false;
  const at = headers.findIndex((h) => h.key === "authentication-results");
  if (at < 0 || receivedChain(headers).length === 0) return false;
  const ofServer = (host: string | undefined): boolean => {
    const h = host?.toLowerCase().replace(/\.$/, "");
    return h !== undefined && hosts.includes(registrableOf(h));
  };
  const above = receivedChain(headers.slice(0, at));
  const below = receivedChain(headers.slice(at + 1))[0];
  return !(above.some((hop) => ofServer(hop.by)) || ofServer(below?.by));
}

/** Reasons from the receiver's Authentication-Results, ARC, and the offline DKIM checks. */
/**
 * `raw` is the message as received, for the offline DKIM body hashes; pass undefined when the original MIME body
 * is not available (an Outlook .msg keeps the headers but rebuilds the body), and the DKIM checks are listed as
 * not checked instead.
 */
export async function checkAuth(raw: Buffer | undefined, headers: HeaderLine[]): Promise<AuthFindings> {
  const reasons: Reason[] = [];
  const notChecked: string[] = [];
  const summary: AuthSummary = { dkim: [] };

  // The topmost Authentication-Results is the receiver's; lower ones with another authserv-id may be forged by
  // the sender and are not used. The topmost too is the sender's when it names a big mail service that the
  // Received chain does not show receiving the message (`writtenBySender`): it is then set aside, and said to be
  // forged.
  const ars = headerValues(headers, "authentication-results").map(parseAuthResults);
  let top = ars[0];
  if (top && writtenBySender(headers, top.authservId)) {
    reasons.push({
      code: "auth.forged-results",
      severity: "medium",
      weight: 0.3,
      message:
        `The message carries authentication results in the name of ${top.authservId}, but no Received header ` +
        `shows that service receiving it: the sender wrote them to vouch for itself, and they are not used.`,
      evidence: { kind: "header", ref: H, value: top.authservId },
    });
    top = undefined;
  }
  if (top) {
    // several headers of the receiver are joined only when it names itself: headers without a name (Microsoft
    // writes none) cannot be told from ones the sender wrote, so the topmost alone counts
    const results = top.authservId
      ? ars.filter((a) => a.authservId === top.authservId).flatMap((a) => a.results)
      : top.results;
    summary.receiver = { authservId: top.authservId, results };
  }
  const arcs = headerValues(headers, "arc-authentication-results")
    .map((v) => {
      const m = /^\s*i\s*=\s*(\d+)\s*;/.exec(v);
      return m ? { instance: Number(m[1]), ...parseAuthResults(v.slice(m[0].length)) } : undefined;
    })
    .filter((a) => a !== undefined)
    .sort((a, b) => b.instance - a.instance);
  if (arcs[0]) summary.arc = arcs[0];

  const receiver = summary.receiver;
  const by = receiver?.authservId ? ` (${receiver.authservId})` : "";
  const find = (method: string): AuthResult | undefined => receiver?.results.find((r) => r.method === method);
  if (!receiver) {
    notChecked.push(
      "SPF, DKIM and DMARC as seen at delivery: there is no Authentication-Results header from a receiving provider " +
        "(these checks need DNS answers from the time of delivery)",
    );
  } else {
    const dmarc = find("dmarc");
    const fromDomain = dmarc?.props["header.from"];
    if (dmarc && ["fail", "permerror"].includes(dmarc.result)) {
      const policy = dmarc.props["action"] ?? dmarc.props["p"] ?? dmarc.props["policy.dmarc"];
      reasons.push({
        code: "auth.dmarc-fail",
        severity: "high",
        weight: 0.55,
        message:
          `The receiving server${by} reports that DMARC failed for ${fromDomain ?? "the From domain"}: the domain's ` +
          `owner did not authorise this sender, so the From address is likely forged` +
          (policy ? ` (policy: ${policy})` : "") +
          ".",
        evidence: {
          kind: "header",
          ref: H,
          value: `dmarc=${dmarc.result}${fromDomain ? ` header.from=${fromDomain}` : ""}`,
        },
      });
    } else if (dmarc && dmarc.result === "pass") {
      reasons.push({
        code: "auth.dmarc-pass",
        severity: "info",
        weight: 0,
        message: `DMARC passed for ${fromDomain ?? "the From domain"}${by}: the message did come from that domain, which says nothing about whether the domain is honest.`,
        evidence: { kind: "header", ref: H, value: "dmarc=pass" },
      });
    } else if (!dmarc) {
      notChecked.push("DMARC: the receiving server did not record a DMARC result");
    }
    const compauth = find("compauth");
    if (compauth?.result === "fail") {
      reasons.push({
        code: "auth.compauth-fail",
        severity: "medium",
        weight: 0.3,
        message: `The receiving server's composite authentication failed${compauth.props["reason"] ? ` (reason ${compauth.props["reason"]})` : ""}.`,
        evidence: { kind: "header", ref: H, value: "compauth=fail" },
      });
    }
    const spf = find("spf");
    if (spf && ["fail", "softfail"].includes(spf.result)) {
      const mailfrom = spf.props["smtp.mailfrom"];
      reasons.push({
        code: `auth.spf-${spf.result}`,
        severity: spf.result === "fail" ? "medium" : "low",
        weight: spf.result === "fail" ? 0.2 : 0.1,
        message: `SPF ${spf.result === "fail" ? "failed" : "soft-failed"}${mailfrom ? ` for ${mailfrom}` : ""}: the sending server is not one the envelope sender's domain lists.`,
        evidence: { kind: "header", ref: H, value: `spf=${spf.result}` },
      });
    }
    const dkims = receiver.results.filter((r) => r.method === "dkim");
    const failed = dkims.find((d) => ["fail", "permerror"].includes(d.result));
    if (failed && !dkims.some((d) => d.result === "pass")) {
      reasons.push({
        code: "auth.dkim-fail",
        severity: "low",
        weight: 0.15,
        message: `The DKIM signature${failed.props["header.d"] ? ` of ${failed.props["header.d"]}` : ""} failed at delivery: the message was altered or the signature forged.`,
        evidence: { kind: "header", ref: H, value: `dkim=${failed.result}` },
      });
    }
  }
  if (summary.arc) {
    const arcDmarc = summary.arc.results.find((r) => r.method === "dmarc");
    if (arcDmarc?.result === "fail" && !reasons.some((r) => r.code === "auth.dmarc-fail")) {
      reasons.push({
        code: "auth.arc-dmarc-fail",
        severity: "medium",
        weight: 0.3,
        message: `An intermediary (ARC instance ${summary.arc.instance}, ${summary.arc.authservId || "unnamed"}) recorded that DMARC failed before forwarding.`,
        evidence: { kind: "header", ref: "ARC-Authentication-Results", value: "dmarc=fail" },
      });
    }
    notChecked.push("the ARC seals' signatures (their keys are in DNS); ARC results are read as reported");
  }

  // Offline DKIM: mailauth recomputes body hashes and alignment; the key lookup is refused.
  if (!raw) {
    if (headerValues(headers, "dkim-signature").length > 0)
      notChecked.push(
        "DKIM body hashes: the file keeps the headers but not the original message body they were computed over",
      );
  } else {
    try {
      const dkim = await quietly(() => dkimVerify(raw, { resolver: offlineResolver }));
      for (const r of dkim.results) {
        if (!r.signingDomain) continue;
        const bodyHash = !r.bodyHashExpecting
          ? "absent"
          : r.bodyHash === r.bodyHashExpecting
            ? "match"
            : "mismatch";
        const aligned = Boolean(r.status.aligned);
        summary.dkim.push({ domain: r.signingDomain, selector: r.selector ?? "", bodyHash, aligned });
        if (bodyHash === "mismatch") {
          reasons.push({
            code: "auth.dkim-body-altered",
            severity: "medium",
            weight: 0.2,
            message: `The body no longer matches the DKIM signature of ${r.signingDomain}: it was changed after signing (a forwarder's footer can do this too).`,
            evidence: { kind: "header", ref: "DKIM-Signature", value: `d=${r.signingDomain}` },
          });
        }
        notChecked.push(
          `the DKIM signature of ${r.signingDomain} itself (its public key is in DNS at ${r.selector}._domainkey.${r.signingDomain}); ` +
            `offline, the body hash ${bodyHash === "match" ? "matches" : "does not match"} and the signer is ${aligned ? "" : "not "}aligned with From`,
        );
      }
    } catch (err) {
      notChecked.push(`DKIM signatures: they could not be read (${(err as Error).message})`);
    }
  }
  notChecked.push(
    "SPF and DMARC policy lookups (DNS); the receiving server's results above are used instead",
  );
  return { summary, reasons, notChecked };
}
