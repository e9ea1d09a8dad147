/**
 * `email`: suspicious messages reported to a helpline, as `.eml` files (RFC 5322), mbox files (one message after
 * each "From " line) or Outlook `.msg` files (a compound file). Each message is triaged by `src/email` (verdict,
 * score, reasons, indicators, offline) and becomes one row of `messages`, with its attachments and the indicators
 * it carries: link URLs and domains, the sender, Reply-To and Return-Path addresses and domains, the IP of the
 * first external hop, and the attachments' hashes.
 *
 * Rows are 1-based positions in the file: 1 for an `.eml`, the n-th message of an mbox, and for a `.msg` the
 * message itself (1) then each message embedded in it, in the order `triageFile` visits them. A message that
 * cannot be read (not an email, over a parser bound, broken MIME) is a reject with the triage's reason.
 *
 * The format is told from the bytes: the compound-file signature, an mbox "From " line, or a header block that
 * names From, Received or Message-ID.
 *
 * @example
 * const items = await emailAdapter.readMessages!(readFileSync("inbox.mbox"), "inbox.mbox");
 * items[0]; // { type: "message", row: 1, record: { message: { fromAddress: "it-desk@...", verdict: "malicious", ... }, ... } }
 */
import { clipText } from "../../normalize/text.js";
import { isMbox, splitMbox, triage, triageFile, type TriageResult } from "../../email/index.js";
import { isCompoundFile } from "../../email/msg.js";
import { domainForms } from "../../email/domains.js";
import { headerEnd, mailboxAddress, MAX_HEADER_BYTES, splitMailboxes } from "../../email/parse.js";
import type { IndicatorKind, Message, MessageAttachment, MessageVerdict } from "../../model/index.js";
import {
  IngestError,
  rawExcerpt,
  type IngestAdapter,
  type MessageIndicator,
  type MessageItem,
  type MessageRecord,
  type SniffSample,
} from "../types.js";

/** File names the CLI treats as messages when it walks a directory. */
export const MESSAGE_FILE_RE = /\.(eml|mbox|mbx|msg)(\.gz)?$/i;

const HEADER_RE = /^[!-9;-~]+:/;
const TELLING_HEADERS = /^(from|received|message-id|return-path|delivered-to|x-mailer|mime-version):/i;

/** How much the first lines look like a message: an mbox separator, or a header block with telling names. */
export function sniffEmail(sample: SniffSample): number {
  const lines = sample.head.split(/\r?\n/, 60);
  const first = lines[0] ?? "";
  if (/^From \S+/.test(first) && lines.slice(1, 20).some((l) => TELLING_HEADERS.test(l))) return 0.95;
  if (!HEADER_RE.test(first)) return 0;
  let telling = 0;
  for (const l of lines) {
    if (l === "") break;
    if (/^[ \t]/.test(l)) continue;
    if (!HEADER_RE.test(l)) return 0;
    if (TELLING_HEADERS.test(l)) telling++;
  }
  return telling >= 2 ? 0.9 : telling === 1 ? 0.6 : 0;
}

/** The first value of each header of a message (lower-case names, folded lines joined), bounded. */
export function firstHeaders(raw: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  const end = headerEnd(raw, MAX_HEADER_BYTES);
  if (end < 0) return out;
  const block = raw
    .subarray(0, end)
    .toString("utf8")
    .replace(/\r?\n[ \t]+/g, " ");
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    if (!out.has(key)) out.set(key, line.slice(colon + 1).trim());
  }
  return out;
}

/**
 * The first address in a header value, lower-cased with its domain in ASCII (punycode): what indicators and the
 * detector compare. `"IT Desk" <it-desk@Example.org>` gives `it-desk@example.org`; of a display name that
 * quotes another address, `"<bank@x.example>" <evil@y.example>`, the last one is taken.
 */
export function addressOf(value: string | undefined | null): string | null {
  if (!value) return null;
  // the first mailbox of a list is the one the triage reads; within it, the last angle-bracketed address is the
  // real one: a display name may quote another ("<bank@x>" <evil@y>)
  const found = mailboxAddress(firstMailbox(value.slice(0, 4096)));
  if (found === null) return null;
  const address = found.replace(/\.+$/, "");
  const at = address.lastIndexOf("@");
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (!local || !domain || !domain.includes(".") || address.length > 320) return null;
  return `${local.toLowerCase()}@${domainForms(domain).ascii}`;
}

function domainOfAddress(address: string | null): string | null {
  return address ? address.slice(address.lastIndexOf("@") + 1) : null;
}

/** The first mailbox of an address list ("A" <a@x>, "B" <b@y> gives "A" <a@x>). */
export function firstMailbox(value: string): string {
  return splitMailboxes(value)[0] ?? "";
}

/** The display name of a From value's first mailbox, when it is more than the address. */
export function displayName(from: string | undefined, address: string | null): string | null {
  if (!from) return null;
  from = firstMailbox(from);
  // the name is what comes before the address's angle brackets at the end, unquoted: a name may itself hold an
  // address in brackets ("PayPal Service <service@paypal.com>" <x@evil.example>), the decoy the triage flags,
  // and quotes and backslashes escaped inside it
  let name = from.replace(/\s*<[^<>]*>\s*$/, "").trim();
  const quoted = /^"((?:[^"\\]|\\.)*)"$/s.exec(name);
  if (quoted) name = quoted[1]!.replace(/\\(.)/gs, "$1").trim();
  if (!name || name.toLowerCase() === address) return null;
  return clipText(name, 512);
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function ipKind(ip: string): IndicatorKind {
  return IPV4.test(ip) ? "ipv4" : "ipv6";
}

const clip = (s: string | undefined | null, max: number): string | null =>
  s === undefined || s === null || s === "" ? null : s.length > max ? s.slice(0, max) : s;

/**
 * The row, attachments and indicators of one triaged message. `headers` are the message's first header values
 * when its bytes are at hand (`.eml`, mbox); a `.msg` has only what the triage read (From).
 */
export function toMessageRecord(r: TriageResult, headers: Map<string, string>): MessageRecord {
  const fromAddress = addressOf(headers.get("from") ?? r.from);
  // without the header block (a .msg), a Reply-To or Return-Path that differs from From is still named by the
  // triage's sender reasons
  const named = (header: string): string | undefined =>
    r.reasons.find((x) => x.evidence.kind === "header" && x.evidence.ref === header)?.evidence.value;
  const replyTo = addressOf(headers.get("reply-to") ?? named("Reply-To"));
  const returnPath = addressOf(headers.get("return-path") ?? named("Return-Path"));
  const message: Message = {
    sha256: r.sha256,
    messageId: clip(r.messageId, 1024),
    ts: r.date ?? null,
    fromAddress,
    fromDomain: domainOfAddress(fromAddress),
    fromName: displayName(r.from, fromAddress),
    replyTo,
    returnPath,
    subject: clip(r.subject, 4096),
    verdict: r.verdict as MessageVerdict,
    score: r.score,
  };
  const attachments: MessageAttachment[] = [];
  for (const a of r.attachments) {
    attachments.push({
      messageSha256: r.sha256,
      path: a.filename,
      filename: a.filename,
      declaredType: clip(a.declaredType, 256),
      detectedType: a.detectedType?.mime ?? null,
      size: a.size,
      sha256: a.sha256,
      md5: a.md5,
    });
    for (const e of a.entries ?? []) {
      const name = e.path.slice(e.path.lastIndexOf("/") + 1);
      attachments.push({
        messageSha256: r.sha256,
        path: `${a.filename}/${e.path}`.slice(0, 4096),
        filename: name || null,
        declaredType: null,
        detectedType: null,
        size: e.size,
        sha256: null,
        md5: null,
      });
    }
  }
  const indicators: MessageIndicator[] = [];
  const seen = new Set<string>();
  const add = (kind: IndicatorKind, value: string | null | undefined, role: string): void => {
    if (!value || value.length > 8192) return;
    const key = `${kind}\u0000${value}\u0000${role}`;
    if (seen.has(key)) return;
    seen.add(key);
    indicators.push({ kind, value, role });
  };
  add("email", fromAddress, "from");
  add("domain", message.fromDomain, "from");
  add("email", replyTo, "reply-to");
  add("domain", domainOfAddress(replyTo), "reply-to");
  add("email", returnPath, "return-path");
  add("domain", domainOfAddress(returnPath), "return-path");
  if (r.firstExternalIp) add(ipKind(r.firstExternalIp), r.firstExternalIp, "first-hop");
  for (const l of r.links) {
    add("url", l.url, "link");
    if (!l.host) continue;
    const host = l.host.replace(/^\[|\]$/g, "");
    if (IPV4.test(host) || host.includes(":")) add(ipKind(host), host, "link");
    else add("domain", domainForms(host).ascii, "link");
  }
  for (const a of r.attachments) {
    add("sha256", a.sha256, "attachment");
    add("md5", a.md5, "attachment");
  }
  // the Bitcoin addresses an extortion mail asks the reader to pay (their checksums checked by the triage)
  for (const addr of r.indicators.btc ?? []) add("btc", addr, "payment");
  return { message, attachments, indicators, triage: r };
}

/** Why a triage result is not a message the case can store, or null when it is one. */
function unreadable(r: TriageResult): string | null {
  const why = r.reasons.find((x) => x.code === "message.unreadable");
  return r.verdict === "unknown" && why ? why.message : null;
}

export const emailAdapter: IngestAdapter = {
  id: "email",
  summary: "suspicious emails: .eml messages, mbox files and Outlook .msg files, triaged offline",
  files: "*.eml, *.mbox, *.msg",
  sniff: sniffEmail,
  read(src) {
    throw new IngestError(`${src.path}: email files are read whole, as messages (ingestMessages)`);
  },
  async readMessages(bytes: Buffer, name: string): Promise<MessageItem[]> {
    const out: MessageItem[] = [];
    const push = (row: number, r: TriageResult, raw: Buffer | null): void => {
      const problem = unreadable(r);
      if (problem) {
        const excerpt = raw ? raw.subarray(0, 2048).toString("latin1") : "";
        out.push({ type: "reject", row, reason: problem, raw: rawExcerpt(excerpt) });
        return;
      }
      out.push({ type: "message", row, record: toMessageRecord(r, raw ? firstHeaders(raw) : new Map()) });
    };
    // triage never throws for bad input; should it fail all the same, the message is a reject, not a crash
    const failed = (row: number, err: unknown, raw: Buffer | null): void => {
      const excerpt = raw ? raw.subarray(0, 2048).toString("latin1") : "";
      out.push({ type: "reject", row, reason: `triage failed: ${(err as Error).message}`, raw: excerpt });
    };
    if (isCompoundFile(bytes)) {
      try {
        (await triageFile(bytes, name)).forEach((r, i) => push(i + 1, r, null));
      } catch (err) {
        failed(1, err, null);
      }
      return out;
    }
    const parts = isMbox(bytes) ? splitMbox(bytes) : [bytes];
    if (parts.length === 0) {
      out.push({ type: "reject", row: 1, reason: "the mbox holds no message", raw: "" });
      return out;
    }
    for (const [i, raw] of parts.entries()) {
      const source = parts.length > 1 || isMbox(bytes) ? `${name}#${i + 1}` : name;
      try {
        push(i + 1, await triage(raw, { source }), raw);
      } catch (err) {
        failed(i + 1, err, raw);
      }
    }
    return out;
  },
};
