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
import { bitcoinAddresses } from "./bitcoin.js";
import { checkAuth, firstExternalIp, isVouched, receivedChain, vouchedDomains } from "./auth.js";
import { domainForms, FREEMAIL, lookalikeOf, referenceDomains } from "./domains.js";
import { checkLanguage, checkPressure, credentialTerm } from "./language.js";
import { checkLink, collectLinks, linkReport, MAX_LINKS, type LinkContext } from "./links.js";
import {
  headerValues,
  isMbox,
  MAX_HTML_CHARS,
  MAX_MESSAGE_BYTES,
  parseMessage,
  splitMbox,
  type ParsedMessage,
} from "./parse.js";
import { checkAuthWithDns } from "./auth-dns.js";
import { messageDate } from "./date.js";
import { isCompoundFile, MSG_BOUNDS, msgToParsed, readMsg, type MsgMessage } from "./msg.js";
import { checkSenders } from "./senders.js";
import { groupReasons, rankReasons, verdictFor } from "./verdict.js";
import { loadYaraRules, scanWithYara, type ScanItem } from "./yara.js";
import type { LinkReport, Reason, TriageOptions, TriageResult } from "./types.js";

export type * from "./types.js";
export { VERDICTS } from "./types.js";
export { isMbox, splitMbox } from "./parse.js";
export { isCompoundFile, readMsg, msgFieldsToMessage, msgToParsed, MSG_BOUNDS } from "./msg.js";
export type { MsgMessage } from "./msg.js";

export { loadYaraRules, YaraRulesError, BUNDLED_RULES_DIR } from "./yara.js";
export type { YaraRules } from "./yara.js";
export { cachedResolver, DnsCacheError, loadDnsCache, networkResolver, saveDnsCache } from "./dns.js";
export type { DnsCache, Resolver } from "./dns.js";

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

/** Triage one RFC 5322 message. Never throws for bad input: an unreadable message gets the verdict `unknown`. */
export async function triage(raw: Buffer, options: TriageOptions = {}): Promise<TriageResult> {
  const sha256 = createHash("sha256").update(raw).digest("hex");
  const parsed = await parseMessage(raw);
  if (!parsed.ok) return unreadable(options.source ?? "", sha256, parsed.problem, parsed.overBounds);
  return triageParsed(parsed.message, parsed.message.raw, sha256, options);
}

/** Problems of a .msg that say it was built past a reader's bound (its reader reports them in words only). */
const OVER_BOUNDS_PROBLEM = /bomb|bound|nodes exceeded/i;

/**
 * The result for a message that could not be read: `unknown`, with the problem as its reason. One built past a
 * parser's bound also gets a `message.over-bounds` reason, without weight (nothing was read to score), by which
 * `--fail-on suspicious` counts it: such a message is a warning sign, and must not pass a script as harmless.
 */
function unreadable(
  source: string,
  sha256: string,
  problem: string,
  overBounds = OVER_BOUNDS_PROBLEM.test(problem),
): TriageResult {
  const result = emptyResult(source, sha256);
  const ref = source || "message";
  result.reasons.push({
    code: "message.unreadable",
    severity: "info",
    weight: 0,
    message:
      `The message could not be read: ${problem}.` +
      (overBounds
        ? " Real mail stays far inside these bounds: a message built like this is itself a warning sign."
        : ""),
    evidence: { kind: "message", ref },
  });
  if (overBounds) {
    result.reasons.push({
      code: "message.over-bounds",
      severity: "medium",
      weight: 0,
      message:
        "The message is built past the bounds that real mail stays far inside and could not be read: " +
        "`--fail-on suspicious` counts it as suspicious.",
      evidence: { kind: "message", ref },
    });
  }
  result.notChecked.push("everything: the message could not be read");
  return result;
}

/**
 * The checks over a parsed message. `raw` is the message as the parser read it (`ParsedMessage.raw`, for the DKIM
 * body hashes: cut back within the bounds, never the whole of a bomb), undefined when the message was rebuilt from
 * another format (.msg).
 */
async function triageParsed(
  msg: ParsedMessage,
  raw: Buffer | undefined,
  sha256: string,
  options: TriageOptions,
  extraNotChecked: string[] = [],
): Promise<TriageResult> {
  const result = emptyResult(options.source ?? "", sha256);
  const { mail } = msg;
  const reasons: Reason[] = [];
  const notChecked: string[] = [...extraNotChecked];
  if (mail.messageId) result.messageId = mail.messageId;
  if (mail.subject) result.subject = mail.subject;
  if (mail.from?.text) result.from = mail.from.text;
  if (msg.overBounds.length > 0) {
    reasons.push({
      code: "message.over-bounds",
      severity: "medium",
      weight: 0.3,
      message:
        `The message is built past the bounds that real mail stays far inside: ${msg.overBounds.join("; ")}. ` +
        "Padding like this is a way to slip past scanners; the rest of the message was triaged.",
      evidence: { kind: "message", ref: options.source || "message" },
    });
  }
  const date = messageDate(msg);
  if (date.date) result.date = date.date;
  if (date.reason) reasons.push(date.reason);

  const auth = await checkAuth(raw, msg.headers);
  result.auth = auth.summary;
  reasons.push(...auth.reasons);
  notChecked.push(...auth.notChecked);
  result.received = receivedChain(msg.headers);
  const ip = firstExternalIp(result.received);
  if (ip) result.firstExternalIp = ip;
  if (options.resolver && raw) {
    const hop = [...result.received].reverse().find((h) => h.ip === ip);
    const returnPath = headerValues(msg.headers, "return-path")[0]?.replace(/[<>\s]/g, "") || undefined;
    const dns = await checkAuthWithDns(raw, options.resolver, hop, returnPath, !!auth.summary.receiver);
    reasons.push(...dns.reasons);
    // what DNS answered is no longer "not checked"
    for (let i = notChecked.length - 1; i >= 0; i--) {
      if (/^SPF and DMARC policy lookups|^the DKIM signature of \S+ itself/.test(notChecked[i]!))
        notChecked.splice(i, 1);
    }
    notChecked.push(...dns.notChecked);
  } else if (options.resolver) {
    notChecked.push("authentication with DNS: the original message body is not in this file format");
  }

  const vouched = vouchedDomains(auth.summary);
  const senders = checkSenders(msg, options, vouched, auth.summary.receiver);
  reasons.push(...senders.reasons);

  const own = options.ownDomains ?? [];
  const protectedDomains = (options.protect ?? []).flatMap((p) => (p.domain ? [p.domain] : []));
  const refs = referenceDomains(own, protectedDomains);
  const html = typeof mail.html === "string" ? mail.html : undefined;
  const { links, cut } = collectLinks(mail.text, html);
  result.links = links;
  if (cut) notChecked.push(`links after the first ${MAX_LINKS}`);
  const fromDomain = senders.fromAddress?.split("@").pop();
  const fromRegistrable = fromDomain ? domainForms(fromDomain).registrable : undefined;
  const linkContext: LinkContext = {
    ...(fromRegistrable ? { fromRegistrable } : {}),
    fromVouched: isVouched(fromRegistrable, vouched),
    bulk: headerValues(msg.headers, "list-unsubscribe").length > 0,
    receiverChecked: auth.summary.receiver !== undefined,
    fromLookalike: fromDomain !== undefined && lookalikeOf(domainForms(fromDomain).ascii, refs) !== undefined,
  };
  for (const l of links) reasons.push(...checkLink(l, refs, linkContext));
  if (links.some((l) => l.host && l.url.match(/^https?:/i))) {
    notChecked.push("where links lead after redirects (links are not opened offline)");
  }

  const scanned: ScanItem[] = [];
  for (const [i, a] of mail.attachments.slice(0, MAX_ATTACHMENTS).entries()) {
    const found = await checkAttachment(a, i);
    result.attachments.push(found.report);
    scanned.push(...found.scanned);
    reasons.push(...found.reasons);
    notChecked.push(...found.notChecked);
    // links inside attachments (remote templates, PDF link targets) are links of the message too
    for (const u of found.urls) {
      if (links.length >= MAX_LINKS) {
        notChecked.push(`links inside attachments after the first ${MAX_LINKS} links`);
        break;
      }
      if (links.some((l) => l.url === u.url && l.attachment === u.in)) continue;
      const l: LinkReport = { ...linkReport(u.url, "attachment"), attachment: u.in };
      links.push(l);
      reasons.push(...checkLink(l, refs, linkContext));
    }
  }
  if (scanned.length > 0 && options.yara !== false) {
    try {
      const rules = options.yara ?? (await loadYaraRules());
      const y = await scanWithYara(rules, scanned);
      reasons.push(...y.reasons);
      notChecked.push(...y.notChecked);
    } catch (err) {
      notChecked.push(`YARA rules: they could not be run (${(err as Error).message})`);
    }
  }
  if (mail.attachments.length > MAX_ATTACHMENTS) {
    notChecked.push(`attachments after the first ${MAX_ATTACHMENTS} (${mail.attachments.length} in all)`);
  }

  // what a reader sees: mail clients show the HTML part where there is one, so its words are read beside the text
  // part's (a threat in the HTML alone went unread); past the parser's bound, mailparser leaves the text empty
  const shownHtml =
    html === undefined ? "" : stripHtml(html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html);
  if (html !== undefined && html.length > MAX_HTML_CHARS) {
    notChecked.push(`the words of the HTML body past its first ${MAX_HTML_CHARS / 1024 / 1024} MiB`);
  }
  const body = [mail.text ?? "", shownHtml].filter((t) => t.trim() !== "").join("\n");
  // bulk mail is spared the pressure checks (a charity's appeal names families too) and its threat and extortion
  // phrases are only noted (a news digest quotes the threats it reports), but only an authenticated sender's that
  // is no free-mail account: anyone can write a List-Unsubscribe header into a threat
  const bulkSender =
    linkContext.bulk &&
    linkContext.fromVouched &&
    !(fromRegistrable !== undefined && FREEMAIL.has(fromRegistrable));
  reasons.push(...checkLanguage(mail.subject ?? "", body, { bulk: bulkSender }).reasons);
  reasons.push(...checkPressure(mail.subject ?? "", body, { bulk: bulkSender }));
  // sign-in talk whose link leads to a shortener, a free host or a bare IP: the shape of credential phishing
  const hidden = new Set(
    reasons
      .filter((r) => r.weight > 0 && ["link.shortener", "link.free-host", "link.ip-host"].includes(r.code))
      .map((r) => r.evidence.ref),
  );
  const lure = links.find((l) => hidden.has(l.url) && l.source !== "attachment");
  const term = lure ? credentialTerm(mail.subject ?? "", body) : undefined;
  if (lure && term) {
    reasons.push({
      code: "link.credential-lure",
      severity: "medium",
      weight: 0.3,
      message: `The message talks about signing in ("${term}") and its link goes to ${lure.hostUnicode ?? lure.host}, a place anyone can publish a page or hide where a link leads.`,
      evidence: { kind: "link", ref: lure.url, value: term },
    });
  }

  result.reasons = groupReasons(rankReasons(reasons));
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
  const btc = bitcoinAddresses(`${mail.subject ?? ""}\n${body}`);
  if (btc.length > 0) result.indicators.btc = btc;
  return result;
}

/**
 * Triage a file as a user hands it over: one .eml message, an mbox (one result per message, sources
 * `name#1`, `name#2`, …) or an Outlook .msg. After each message come the messages attached to it (an .msg's
 * embedded messages; an .eml's `message/rfc822` parts and .eml/.msg files), each as its own result with the
 * source `name > Forwarded.msg`, bounded by `MSG_BOUNDS`. The format is told from the bytes, not the name.
 * Never throws for bad input.
 *
 * @example
 * const results = await triageFile(readFileSync("report.msg"), "report.msg", { ownDomains: ["ngo.example"] });
 * results.map((r) => `${r.source}: ${r.verdict}`); // ["report.msg: suspicious", "report.msg > Invoice.msg: malicious"]
 */
export async function triageFile(
  bytes: Buffer,
  name: string,
  options: Omit<TriageOptions, "source"> = {},
): Promise<TriageResult[]> {
  if (isCompoundFile(bytes)) return triageMsg(bytes, name, options);
  if (isMbox(bytes)) {
    const parts = splitMbox(bytes);
    if (parts.length === 0) return [unreadable(name, sha256Of(bytes), "the mbox holds no message")];
    const out: TriageResult[] = [];
    for (const [i, m] of parts.entries())
      out.push(...(await triageWithAttachedMessages(m, `${name}#${i + 1}`, options, 0, { n: 0 })));
    return out;
  }
  return triageWithAttachedMessages(bytes, name, options, 0, { n: 0 });
}

/**
 * One RFC 5322 message, then the messages attached to it (`message/rfc822` parts, `.eml` and Outlook `.msg`
 * files), each triaged on its own as `source > name`, within the same bounds as embedded `.msg` messages.
 */
async function triageWithAttachedMessages(
  raw: Buffer,
  source: string,
  options: Omit<TriageOptions, "source">,
  depth: number,
  budget: { n: number },
): Promise<TriageResult[]> {
  const sha256 = sha256Of(raw);
  const parsed = await parseMessage(raw);
  if (!parsed.ok) return [unreadable(source, sha256, parsed.problem, parsed.overBounds)];
  const r = await triageParsed(parsed.message, parsed.message.raw, sha256, { ...options, source });
  const out = [r];
  for (const [i, a] of parsed.message.mail.attachments.slice(0, MAX_ATTACHMENTS).entries()) {
    const outlook = isCompoundFile(a.content) && /\.msg$/i.test(a.filename ?? "");
    if (!outlook && a.contentType.toLowerCase() !== "message/rfc822" && !/\.eml$/i.test(a.filename ?? ""))
      continue;
    const name = a.filename ?? `message-${i + 1}.eml`;
    await triageAttached(r, out, name, source, depth, budget, (inner) =>
      outlook
        ? triageMsg(a.content, inner, options)
        : triageWithAttachedMessages(a.content, inner, options, depth + 1, budget),
    );
  }
  r.reasons = rankReasons(r.reasons);
  return out;
}

/**
 * A message attached to `carrier` (found at `depth`), triaged by `run` as `source > name` after it, within the
 * depth and count bounds of MSG_BOUNDS; the carrier gets a note naming its verdict, or says what the bounds left.
 */
async function triageAttached(
  carrier: TriageResult,
  out: TriageResult[],
  name: string,
  source: string,
  depth: number,
  budget: { n: number },
  run: (inner: string) => Promise<TriageResult[]>,
): Promise<void> {
  const inner = `${source} > ${name}`;
  if (depth + 1 > MSG_BOUNDS.maxDepth || budget.n >= MSG_BOUNDS.maxEmbedded) {
    carrier.notChecked.push(
      `${inner}: attached messages are triaged ${MSG_BOUNDS.maxDepth} levels deep and ${MSG_BOUNDS.maxEmbedded} per file`,
    );
    return;
  }
  budget.n++;
  const at = out.length;
  out.push(...(await run(inner)));
  carrier.reasons.push({
    code: "message.embedded",
    severity: "info",
    weight: 0,
    message: `${name} is a message attached to this one; it is triaged on its own as ${inner} (verdict: ${out[at]?.verdict ?? "unknown"}).`,
    evidence: { kind: "attachment", ref: name },
  });
}

const sha256Of = (b: Buffer): string => createHash("sha256").update(b).digest("hex");

async function triageMsg(
  bytes: Buffer,
  name: string,
  options: Omit<TriageOptions, "source">,
): Promise<TriageResult[]> {
  const sha256 = sha256Of(bytes);
  if (bytes.length > MAX_MESSAGE_BYTES) {
    return [
      unreadable(name, sha256, `the file is ${bytes.length} bytes, over the ${MAX_MESSAGE_BYTES}-byte bound`),
    ];
  }
  const read = readMsg(bytes);
  if (!read.ok) return [unreadable(name, sha256, read.problem)];
  const out: TriageResult[] = [];
  const budget = { n: 0 };
  const visit = async (m: MsgMessage, source: string, hash: string, depth: number): Promise<void> => {
    const parsed = await msgToParsed(m);
    const notes = [...m.notRead];
    if (!m.transportHeaders) {
      notes.push(
        "the route and the receiving server's authentication results: this .msg has no transport headers " +
          "(a draft, a sent item, or a message saved without them)",
      );
    }
    const r = await triageParsed(parsed, undefined, hash, { ...options, source }, notes);
    out.push(r);
    for (const e of m.embedded) {
      const inner = `${source} > ${e.name}`;
      const at = out.length;
      await visit(e.message, inner, e.sha256, depth + 1);
      r.reasons.push({
        code: "message.embedded",
        severity: "info",
        weight: 0,
        message: `${e.name} is a message attached to this one; it is triaged on its own as ${inner} (verdict: ${out[at]?.verdict ?? "unknown"}).`,
        evidence: { kind: "attachment", ref: e.name },
      });
    }
    // an .eml saved as a file attachment of the .msg (not an embedded Outlook message) is a message too
    for (const a of m.attachments) {
      if (a.contentType.toLowerCase() !== "message/rfc822" && !/\.eml$/i.test(a.filename)) continue;
      await triageAttached(r, out, a.filename, source, depth, budget, (inner) =>
        triageWithAttachedMessages(a.content, inner, options, depth + 1, budget),
      );
    }
    r.reasons = rankReasons(r.reasons);
  };
  await visit(read.message, name, sha256, 0);
  return out;
}
