/**
 * Hostile-email triage: `triage(bytes, options)` reads one message and returns a verdict with a score, ranked
 * reasons (each naming the header, link or attachment behind it), the indicators found, and what could not be
 * checked offline. No network calls: DNS-dependent checks are read from the receiving provider's headers or
 * listed as not checked.
 *
 * @example
 * const r = await triage(readFileSync("suspicious.eml"), { ownDomains: ["ngo.example"] });
 * r.verdict; // "suspicious"
 * r.reasons[0].message; // "A link shows www.ngo.example but goes to ngo-login.example."
 */
import { createHash } from "node:crypto";
import { stripHtml } from "../normalize/html.js";
import { checkAttachment } from "./attachments.js";
import { checkAuth, firstExternalIp, receivedChain } from "./auth.js";
import { domainForms, referenceDomains } from "./domains.js";
import { checkLanguage } from "./language.js";
import { checkLink, collectLinks, MAX_LINKS } from "./links.js";
import { parseMessage } from "./parse.js";
import { checkSenders } from "./senders.js";
import { rankReasons, verdictFor } from "./verdict.js";
import type { Reason, TriageOptions, TriageResult } from "./types.js";

export type * from "./types.js";
export { VERDICTS } from "./types.js";
export { isMbox, splitMbox } from "./parse.js";

/** Attachments beyond this many are listed by count only. */
export const MAX_ATTACHMENTS = 100;

function emptyResult(source: string, sha256: string): TriageResult {
  return {
    schema: "chorus.email/v1",
    source,
    sha256,
    verdict: "unknown",
    score: 0,
    reasons: [],
    notChecked: [],
    auth: { dkim: [] },
    received: [],
    links: [],
    attachments: [],
    indicators: { urls: [], domains: [], ips: [], sha256: [], md5: [] },
  };
}

/** Triage one message. Never throws for bad input: an unreadable message gets the verdict `unknown`. */
export async function triage(raw: Buffer, options: TriageOptions = {}): Promise<TriageResult> {
  const sha256 = createHash("sha256").update(raw).digest("hex");
  const result = emptyResult(options.source ?? "", sha256);
  const parsed = await parseMessage(raw);
  if (!parsed.ok) {
    result.reasons.push({
      code: "message.unreadable",
      severity: "info",
      weight: 0,
      // verdict stays unknown (nothing was checked), but a message built past parser bounds is itself a warning
      message:
        `The message could not be read: ${parsed.problem}.` +
        (/bomb|bound|nodes exceeded/i.test(parsed.problem)
          ? " Real mail stays far inside these bounds: a message built like this is itself a warning sign."
          : ""),
      evidence: { kind: "message", ref: options.source ?? "message" },
    });
    result.notChecked.push("everything: the message could not be read");
    return result;
  }
  const msg = parsed.message;
  const { mail } = msg;
  const reasons: Reason[] = [];
  const notChecked: string[] = [];
  if (mail.messageId) result.messageId = mail.messageId;
  if (mail.subject) result.subject = mail.subject;
  if (mail.from?.text) result.from = mail.from.text;
  if (mail.date && !Number.isNaN(mail.date.getTime())) result.date = mail.date.toISOString();

  const auth = await checkAuth(raw, msg.headers);
  result.auth = auth.summary;
  reasons.push(...auth.reasons);
  notChecked.push(...auth.notChecked);
  result.received = receivedChain(msg.headers);
  const ip = firstExternalIp(result.received);
  if (ip) result.firstExternalIp = ip;

  const senders = checkSenders(msg, options);
  reasons.push(...senders.reasons);

  const own = options.ownDomains ?? [];
  const protectedDomains = (options.protect ?? []).flatMap((p) => (p.domain ? [p.domain] : []));
  const refs = referenceDomains(own, protectedDomains);
  const html = typeof mail.html === "string" ? mail.html : undefined;
  const { links, cut } = collectLinks(mail.text, html);
  result.links = links;
  if (cut) notChecked.push(`links after the first ${MAX_LINKS}`);
  for (const l of links) reasons.push(...checkLink(l, refs));
  if (links.some((l) => l.host && l.url.match(/^https?:/i))) {
    notChecked.push("where links lead after redirects (links are not opened offline)");
  }

  for (const [i, a] of mail.attachments.slice(0, MAX_ATTACHMENTS).entries()) {
    const found = await checkAttachment(a, i);
    result.attachments.push(found.report);
    reasons.push(...found.reasons);
    notChecked.push(...found.notChecked);
  }
  if (mail.attachments.length > MAX_ATTACHMENTS) {
    notChecked.push(`attachments after the first ${MAX_ATTACHMENTS} (${mail.attachments.length} in all)`);
  }

  const body = mail.text ?? (html ? stripHtml(html) : "");
  reasons.push(...checkLanguage(mail.subject ?? "", body).reasons);

  result.reasons = rankReasons(reasons);
  const v = verdictFor(reasons, true);
  result.verdict = v.verdict;
  result.score = v.score;
  result.notChecked = [...new Set(notChecked)];

  const domains = new Set(senders.domains);
  for (const l of links) if (l.host) domains.add(l.host);
  result.indicators = {
    urls: [...new Set(links.map((l) => l.url))],
    domains: [...domains].filter((d) => d && !/^[\d.:]+$/.test(d)).map((d) => domainForms(d).ascii),
    ips: [
      ...new Set(
        [ip, ...links.map((l) => l.host).filter((h) => /^[\d.]+$|:/.test(h))].filter((x): x is string => !!x),
      ),
    ],
    sha256: result.attachments.map((a) => a.sha256),
    md5: result.attachments.map((a) => a.md5),
  };
  return result;
}
