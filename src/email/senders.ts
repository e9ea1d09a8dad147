/**
 * Who the message claims to be from, and whether the claims agree: From against Reply-To, Return-Path and
 * Sender; display names that embed another address or a brand; lookalike and IDN domains; free-mail accounts
 * posing as institutions; names of protected people sent from outside their domains.
 */
import { hiddenCharacters, scriptOf } from "../normalize/text.js";
import { matchKey } from "../normalize/confusables.js";
import {
  BRANDS,
  describeLookalike,
  domainForms,
  FREEMAIL,
  isWithin,
  lookalikeOf,
  referenceDomains,
} from "./domains.js";
import {
  encodedWordBytes,
  headerValues,
  mailboxAddress,
  splitMailboxes,
  type ParsedMessage,
} from "./parse.js";
import { isVouched } from "./auth.js";
import { PROVIDERS } from "./providers.js";
import type { AuthSummary, Reason, TriageOptions } from "./types.js";

export const RTL_ORDINARY: ReadonlySet<string> = new Set(["U+200C", "U+200D", "U+200E", "U+200F"]);

const ADDRESS_RE = /[A-Za-z0-9._%+'-]+@((?:[\p{L}\p{N}-]+\.)+[\p{L}\p{N}-]{2,})/u;

/** Words that make a display name claim an institution, in English, Persian and Arabic. */
const INSTITUTION_WORDS = [
  "bank",
  "ministry",
  "police",
  "embassy",
  "consulate",
  "government",
  "court",
  "security team",
  "support team",
  "helpdesk",
  "help desk",
  "administrator",
  "it department",
  "account team",
  "united nations",
  "tax office",
  "customs",
  "human rights",
  "وزارت",
  "پلیس",
  "سفارت",
  "دادگاه",
  "بانک",
  "پشتیبانی",
  "وزارة",
  "الشرطة",
  "سفارة",
  "محكمة",
  "بنك",
  "الدعم",
].map((w) => matchKey(w));

function domainOf(address: string | undefined): string | undefined {
  const at = address?.lastIndexOf("@") ?? -1;
  return at >= 0 ? address!.slice(at + 1).toLowerCase() : undefined;
}

function firstAddress(value: string): string | undefined {
  const m = /<([^<>]*@[^<>]*)>/.exec(value) ?? ADDRESS_RE.exec(value);
  return m ? (m[1]!.includes("@") ? m[1]! : m[0]) : undefined;
}

/**
 * The reader's addresses as the receiving side wrote them: the topmost Delivered-To and X-Original-To (a receiving
 * server adds its own above any the sender wrote), and the `for <address>` of the topmost Received header that
 * names one (the hop that took the message for its mailbox).
 */
export function readerAddresses(msg: ParsedMessage): Set<string> {
  const out = new Set<string>();
  for (const key of [
    "delivered-to",
    "x-original-to",
    "envelope-to",
    "x-envelope-to",
    "x-ms-exchange-organization-originalenveloperecipients",
  ]) {
    const a = firstAddress(headerValues(msg.headers, key)[0] ?? "");
    if (a) out.add(a.toLowerCase());
  }
  for (const v of headerValues(msg.headers, "received")) {
    const m = /\bfor\s+<?([^\s<>;@]+@[^\s<>;]+?)>?\s*(?:;|\(|$)/i.exec(v);
    if (m) {
      out.add(m[1]!.toLowerCase());
      break;
    }
  }
  return out;
}

export interface SenderFindings {
  reasons: Reason[];
  fromAddress?: string;
  fromName?: string;
  domains: string[];
}

/** Addresses that send notifications on someone's behalf and take no replies. */
const NO_REPLY = /(^|[-_.+])(no-?reply|do-?not-?reply|donotreply|notifications?|notify)([-_.+@]|$)/i;

/**
 * `vouched` are the domains the receiving provider authenticated (see `vouchedDomains`): a notification from a big
 * platform's authenticated no-reply address that sets Reply-To to the person behind it (a document share, an
 * invitation) is what such services do.
 */
export function checkSenders(
  msg: ParsedMessage,
  opts: TriageOptions,
  vouched: ReadonlySet<string> = new Set(),
  receiver?: AuthSummary["receiver"],
): SenderFindings {
  const reasons: Reason[] = [];
  const from = msg.mail.from?.value[0];
  const fromAddress = from?.address?.toLowerCase();
  const fromName = from?.name?.trim() ?? "";
  const fromDomain = domainOf(fromAddress);
  const own = (opts.ownDomains ?? []).map((d) => d.toLowerCase());
  const protectedDomains = (opts.protect ?? []).flatMap((p) => (p.domain ? [p.domain.toLowerCase()] : []));
  const refs = referenceDomains(own, protectedDomains);
  const domains = fromDomain ? [domainForms(fromDomain).ascii] : [];
  const fromRaw = headerValues(msg.headers, "from")[0] ?? "";

  // an encoded word where the address belongs (the "Mailsploit" trick): mail programs decode it and show its text
  // as the sender, here "service@paypal.com", though no such address is in the header as mail servers read it
  const spoof = encodedAddress(fromRaw);
  if (spoof !== null) {
    reasons.push({
      code: "sender.encoded-address",
      severity: "high",
      weight: 0.55,
      message:
        `The From header hides an address in an encoded word (${spoof}): a mail program may show it as the ` +
        `sender, while the mail servers read another address or none.`,
      evidence: { kind: "header", ref: "From", value: fromRaw },
    });
  }

  if (!fromDomain) {
    reasons.push({
      code: "sender.no-from",
      severity: "low",
      weight: 0.1,
      message: "The message has no readable From address.",
      evidence: { kind: "header", ref: "From", value: fromRaw },
    });
    return { reasons, domains };
  }
  const fromForms = domainForms(fromDomain);
  const sameOrg = (d: string): boolean => domainForms(d).registrable === fromForms.registrable;

  // One message, one author (RFC 5322): two From headers, or two mailboxes in one, are shown differently by
  // different mail programs (the first, the last, or both), which a spoofer uses to show one sender and be another.
  const fromHeaders = headerValues(msg.headers, "from");
  // each mailbox's own address: the one in angle brackets, else the bare one (an address written in a display
  // name, "JANE.DOE@corp.example <jdoe@corp.example>", is not a second sender)
  const boxes = fromHeaders.flatMap(splitMailboxes);
  const mailboxes = [...new Set(boxes.flatMap((box) => mailboxAddress(box)?.toLowerCase() ?? []))];
  if (fromHeaders.length > 1 || boxes.length > 1) {
    for (const m of mailboxes) {
      const d = domainOf(m);
      if (d && !domains.includes(domainForms(d).ascii)) domains.push(domainForms(d).ascii);
    }
    reasons.push({
      code: "sender.several-from",
      severity: "medium",
      weight: 0.3,
      message:
        (fromHeaders.length > 1
          ? `The message has ${fromHeaders.length} From headers`
          : `The From header names ${boxes.length} senders`) +
        ` (${mailboxes.join(", ")}): mail programs disagree on which to show, so the sender you see may not be ` +
        `the one the others see. This triage reads the first, ${fromAddress}.`,
      evidence: { kind: "header", ref: "From", value: fromHeaders.join(" | ") },
    });
  }

  // Reply-To elsewhere: answers go to someone other than the apparent sender.
  for (const rt of msg.mail.replyTo?.value ?? []) {
    const d = domainOf(rt.address);
    if (!d || sameOrg(d)) continue;
    domains.push(domainForms(d).ascii);
    const free = FREEMAIL.has(domainForms(d).registrable) && !FREEMAIL.has(fromForms.registrable);
    const local = fromAddress!.slice(0, fromAddress!.lastIndexOf("@"));
    // only the big platforms' own notification addresses: a phisher's domain can pass DKIM and DMARC too
    const platform = PROVIDERS.has(fromForms.registrable) && !FREEMAIL.has(fromForms.registrable);
    if (platform && isVouched(fromForms.registrable, vouched) && NO_REPLY.test(local)) {
      reasons.push({
        code: "sender.reply-to-mismatch",
        severity: "info",
        weight: 0,
        message: `Replies go to ${rt.address}, not to ${fromAddress}: an authenticated notification address of ${fromForms.unicode}, which sets Reply-To to the person behind the notification.`,
        evidence: { kind: "header", ref: "Reply-To", value: rt.address ?? "" },
      });
      continue;
    }
    reasons.push({
      code: "sender.reply-to-mismatch",
      severity: free ? "high" : "medium",
      weight: free ? 0.4 : 0.25,
      message: `Replies go to ${rt.address}, not to the sender's domain ${fromForms.unicode}${free ? " (a free-mail account)" : ""}.`,
      evidence: { kind: "header", ref: "Reply-To", value: rt.address ?? "" },
    });
    // replies sent to a lookalike of the sender's own domain, or of one the reader protects or a brand: the
    // shape of business email compromise (From director@ngo.org, Reply-To director@ngo-org.com)
    const look = lookalikeOf(domainForms(d).ascii, [fromForms.ascii, ...refs]);
    if (look) {
      const ours =
        isWithin(look.target, fromForms.ascii) ||
        own.some((o) => isWithin(look.target, o)) ||
        protectedDomains.some((o) => isWithin(look.target, o));
      reasons.push({
        code: "sender.reply-to-lookalike",
        severity: "high",
        weight: ours ? 0.65 : 0.55,
        message: `Replies go to ${rt.address}, whose domain ${describeLookalike(domainForms(d).ascii, look)}.`,
        evidence: { kind: "header", ref: "Reply-To", value: rt.address ?? "" },
      });
    }
  }
  // From the reader's own address, unauthenticated: anyone can write any From, and extortion mail writes the
  // reader's own to claim the account was hacked ("I sent this from your account"). Mail one really sends oneself
  // (to oneself, the others in Bcc) passes the provider's authentication, or its SPF at least; without the
  // receiving server's results (old or saved mail) nothing tells the two apart, and it is only noted. The reader
  // is told by what the receiving side wrote (`readerAddresses`) before To or Cc: bulk phishing writes its own
  // address in To and its victims in Bcc, and its From is then the attacker's, not the reader's.
  const recipients = [msg.mail.to, msg.mail.cc]
    .flatMap((a) => (a === undefined ? [] : Array.isArray(a) ? a : [a]))
    .flatMap((a) => a.value.map((v) => v.address?.toLowerCase()));
  const ownAddress = own.some((d) => isWithin(fromForms.ascii, d)) && recipients.includes(fromAddress);
  const spfPassed = (receiver?.results ?? []).some(
    (r) =>
      r.method.toLowerCase() === "spf" &&
      r.result.toLowerCase() === "pass" &&
      sameOrg(domainOf(r.props["smtp.mailfrom"]) ?? r.props["smtp.mailfrom"] ?? ""),
  );
  // when the receiving side wrote no recipient at all (Microsoft 365 writes neither Delivered-To nor "for"), To
  // and Cc are what there is: without it, self-addressed extortion to every Exchange mailbox went unnamed, and its
  // "sender", the reader, was exported as the attacker
  const readers = readerAddresses(msg);
  const toSelf = readers.size > 0 ? readers.has(fromAddress!) : recipients.includes(fromAddress);
  if ((toSelf || ownAddress) && !isVouched(fromForms.registrable, vouched) && !spfPassed) {
    const judged = receiver !== undefined;
    reasons.push({
      code: "sender.self-addressed",
      severity: judged ? "medium" : "info",
      weight: judged ? 0.25 : 0,
      message:
        `The message claims to come from ${fromAddress}, the address it was delivered to, ` +
        (judged
          ? "and the receiving server did not authenticate it: a forged From, a classic trick of extortion mail " +
            "that claims to have taken over the account. The address is the reader's, not the sender's."
          : "and no receiving server's results say whether it was authenticated (extortion mail forges the " +
            "reader's own address; people also write to themselves with others in Bcc)."),
      evidence: { kind: "header", ref: "From", value: fromAddress ?? "" },
    });
  }
  // Return-Path and Sender differ routinely (mailing services, lists): weak on their own.
  const returnPath = firstAddress(headerValues(msg.headers, "return-path")[0] ?? "");
  const rpDomain = domainOf(returnPath);
  if (rpDomain && !sameOrg(rpDomain)) {
    reasons.push({
      code: "sender.return-path-mismatch",
      severity: "low",
      weight: 0.05,
      message: `Bounces go to ${rpDomain}, another domain than From (${fromForms.unicode}); common for mailing services.`,
      evidence: { kind: "header", ref: "Return-Path", value: returnPath ?? "" },
    });
  }
  const senderDomain = domainOf(msg.mail.sender?.value[0]?.address);
  if (senderDomain && !sameOrg(senderDomain)) {
    reasons.push({
      code: "sender.sender-mismatch",
      severity: "low",
      weight: 0.1,
      message: `The Sender header names ${senderDomain}, another domain than From (${fromForms.unicode}).`,
      evidence: { kind: "header", ref: "Sender", value: senderDomain },
    });
  }

  // A display name that carries an address: the reader sees that address, the mail comes from another.
  const embedded = ADDRESS_RE.exec(fromName);
  if (embedded && !sameOrg(embedded[1]!)) {
    reasons.push({
      code: "sender.display-name-address",
      severity: "high",
      weight: 0.45,
      message: `The display name shows the address ${embedded[0]}, but the message comes from ${fromAddress}.`,
      evidence: { kind: "header", ref: "From", value: fromRaw },
    });
  }

  // Lookalike domains, compared in both IDN forms.
  const look = lookalikeOf(fromForms.ascii, refs);
  if (look) {
    const ours =
      own.some((d) => isWithin(look.target, d)) || protectedDomains.some((d) => isWithin(look.target, d));
    reasons.push({
      code: "sender.lookalike-domain",
      severity: "high",
      weight: ours ? 0.65 : 0.55,
      message: `The sender's domain ${describeLookalike(fromForms.ascii, look)}${ours ? ", a domain you protect" : ""}.`,
      evidence: { kind: "header", ref: "From", value: fromAddress ?? "" },
    });
  } else if (fromForms.ascii.split(".").some((l) => l.startsWith("xn--"))) {
    const mixed = scriptOf(fromForms.unicode.replace(/\./g, "")) === "mixed";
    reasons.push({
      code: "sender.idn-domain",
      severity: mixed ? "medium" : "info",
      weight: mixed ? 0.3 : 0,
      message: `The sender's domain is internationalised: ${fromForms.unicode} is written ${fromForms.ascii}${mixed ? ", mixing writing systems" : ""}.`,
      evidence: { kind: "header", ref: "From", value: fromAddress ?? "" },
    });
  }

  // Brand or protected-person names in the display name, sent from elsewhere.
  const nameKey = matchKey(fromName);
  if (nameKey.length > 0) {
    for (const b of BRANDS) {
      const bk = matchKey(b.name);
      if (
        !new RegExp(`(^|[^\\p{L}])${bk.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^\\p{L}])`, "u").test(
          nameKey,
        )
      )
        continue;
      if (b.domains.some((d) => isWithin(fromForms.ascii, d) || sameOrg(d))) continue;
      reasons.push({
        code: "sender.brand-in-name",
        severity: "medium",
        weight: 0.35,
        message: `The display name says "${b.name}" but the message comes from ${fromForms.unicode}, which is not ${b.name}'s.`,
        evidence: { kind: "header", ref: "From", value: fromRaw },
      });
      break;
    }
    for (const p of opts.protect ?? []) {
      const keys = [p.display_name, p.handle].filter((k): k is string => !!k && k.length >= 4).map(matchKey);
      // spaces left out as well: a Persian name is as often joined by a zero-width non-joiner (which the key drops)
      // as spaced, "نرگس‌محمدی" for "نرگس محمدی"
      const joined = nameKey.replace(/\s+/g, "");
      if (!keys.some((k) => k.length >= 4 && (nameKey.includes(k) || joined.includes(k.replace(/\s+/g, "")))))
        continue;
      const home = [p.domain, ...own].filter((d): d is string => !!d);
      if (home.some((d) => sameOrg(d) || isWithin(fromForms.ascii, d))) continue;
      reasons.push({
        code: "sender.protected-name",
        severity: "high",
        weight: 0.5,
        message: `The display name uses the name of ${p.display_name ?? p.handle}, a protected identity, from ${fromAddress}${p.domain ? `, outside ${p.domain}` : ""}.`,
        evidence: { kind: "header", ref: "From", value: fromRaw },
      });
      break;
    }
    if (FREEMAIL.has(fromForms.registrable) && INSTITUTION_WORDS.some((w) => nameKey.includes(w))) {
      reasons.push({
        code: "sender.freemail-institution",
        severity: "medium",
        weight: 0.3,
        message: `The display name "${fromName}" claims an institution, but the address is a free-mail account at ${fromForms.registrable}.`,
        evidence: { kind: "header", ref: "From", value: fromRaw },
      });
    }
  }
  // ZWNJ, ZWJ and the LRM/RLM marks are ordinary in Persian and Arabic writing; overrides and isolates are not
  const hidden = hiddenCharacters(fromName + (msg.mail.subject ?? "")).filter(
    (h) => !RTL_ORDINARY.has(h.codePoint),
  );
  if (hidden.length > 0) {
    reasons.push({
      code: "sender.hidden-characters",
      severity: "medium",
      weight: 0.2,
      message: `The display name or subject contains invisible characters (${[...new Set(hidden.map((h) => h.name))].join(", ")}).`,
      evidence: { kind: "header", ref: "From/Subject", value: hidden.map((h) => h.codePoint).join(" ") },
    });
  }
  return { reasons, fromAddress, fromName, domains };
}

const ENCODED_WORD_RE = /=\?([^?\s]+)\?([bq])\?([^?\s]*)\?=/gi;

/** The text of an RFC 2047 encoded word (as UTF-8 or Latin-1 bytes; other charsets read as Latin-1 here). */
function decodeWord(charset: string, encoding: string, text: string): string {
  const bytes = encodedWordBytes(encoding, text);
  return bytes.toString(/^utf-?8$/i.test(charset) ? "utf8" : "latin1");
}

/**
 * The address an encoded word stands in for in a From header, or null: an encoded word right before the "@" of an
 * address (=?utf-8?b?...?=@evil.example), an encoded word that decodes to an address (or a NUL) where the header
 * holds no address of its own outside encoded words.
 */
export function encodedAddress(fromRaw: string): string | null {
  const words = [...fromRaw.matchAll(ENCODED_WORD_RE)];
  if (words.length === 0) return null;
  const decoded = words.map((m) => decodeWord(m[1]!, m[2]!, m[3]!));
  for (let i = 0; i < words.length; i++) {
    const m = words[i]!;
    const after = fromRaw.slice(m.index + m[0].length);
    if (/^\s*@/.test(after) || /\u0000/.test(decoded[i]!))
      return `${decoded[i]!.replace(/\u0000/g, "\\0")}${after.trim()}`;
  }
  const outside = fromRaw.replace(ENCODED_WORD_RE, "");
  const shown = decoded.join("");
  return !outside.includes("@") && /[^\s<>@]+@[^\s<>@]+\.[a-z]{2,}/i.test(shown) ? shown : null;
}
