/**
 * A synthetic, self-made phishing corpus for evaluating `chorus email`: `generatePhish({ seed, perKind })`.
 *
 * Each kind follows a tactic documented in public threat reporting on campaigns against activists, journalists
 * and diaspora communities in 2022-2026 (credential pages on lookalike or free-hosted sites, fake conference and
 * interview invitations, fake provider security alerts, shared-document and OAuth consent lures, HTML attachments
 * that rebuild a login page, archives with scripts or shortcuts, macro documents, QR codes, payment-change fraud,
 * extortion, threats in Persian and Arabic, reply-chain hijacking, mail from compromised accounts). The wording is
 * our own, varied by seeded choices, in English, Persian and Arabic; no real message, address or victim is used.
 * The `hard` kinds are built to look like ordinary mail (clean authentication from free mail, no links, plain
 * words) so that a detection rate over this set is not flattering by construction.
 *
 * What this set measures: coverage of the documented tactics as we rendered them. It is not a sample of real
 * phishing and its rates are not real-world detection rates.
 */
import { ORGS, person, type Lang, type Org, type Person } from "./actors.js";
import { build } from "./compose.js";
import { randomDate, Rng } from "./mime.js";
import type { KindMaker } from "./lure.js";
import {
  compromisedAccount,
  credentialFreeHost,
  credentialLookalike,
  fakeInvitation,
  oauthConsent,
  securityAlert,
  sharedDocument,
} from "./kinds-links.js";
import { archiveScript, htmlAttachment, macroInvoice, pdfLure, qrCode } from "./kinds-files.js";
import {
  becPayment,
  extortion,
  hardBec,
  hardCompromisedLink,
  hardRapport,
  hardVeiledThreat,
  replyChain,
  threatKind,
} from "./kinds-people.js";

export type { AttachmentShape, Expectation, SyntheticMessage } from "./lure.js";
import type { SyntheticMessage } from "./lure.js";

export interface KindSpec {
  kind: string;
  hard: boolean;
  /** Shares of en, fa, ar. */
  langs: [number, number, number];
  /** The tactic, in one line, as the threat reports describe it. */
  tactic: string;
  make: KindMaker;
}

function victimOf(rng: Rng, org: Org, lang: Lang): Person & { addr: string } {
  const p = person(rng, lang);
  return { ...p, addr: `${p.local}@${org.domain}` };
}

export const PHISH_KINDS: readonly KindSpec[] = [
  {
    kind: "credential-lookalike",
    hard: false,
    langs: [0.6, 0.25, 0.15],
    tactic: "webmail login page on a lookalike of the target's own domain",
    make: credentialLookalike,
  },
  {
    kind: "credential-free-host",
    hard: false,
    langs: [0.6, 0.25, 0.15],
    tactic: "login page on free hosting or cloud storage, sometimes behind a shortener or open redirect",
    make: credentialFreeHost,
  },
  {
    kind: "fake-invitation",
    hard: false,
    langs: [0.6, 0.25, 0.15],
    tactic: "conference, interview or roundtable invitation leading to a credential page",
    make: fakeInvitation,
  },
  {
    kind: "security-alert",
    hard: false,
    langs: [0.6, 0.3, 0.1],
    tactic: "fake sign-in alert from Google, Microsoft, Yahoo or Proton",
    make: securityAlert,
  },
  {
    kind: "shared-document",
    hard: false,
    langs: [0.6, 0.25, 0.15],
    tactic: "Drive, OneDrive, Dropbox or DocuSign share notification leading to a login page",
    make: sharedDocument,
  },
  {
    kind: "oauth-consent",
    hard: false,
    langs: [0.7, 0.2, 0.1],
    tactic: "link to the genuine Microsoft or Google consent page for an attacker's app",
    make: oauthConsent,
  },
  {
    kind: "html-attachment",
    hard: false,
    langs: [0.7, 0.15, 0.15],
    tactic:
      "HTML attachment that rebuilds a login page (plain, base64 or escaped; some post to a Telegram bot)",
    make: htmlAttachment,
  },
  {
    kind: "archive-script",
    hard: false,
    langs: [0.6, 0.25, 0.15],
    tactic: "zip (sometimes nested) with a shortcut or script posing as a document",
    make: archiveScript,
  },
  {
    kind: "macro-invoice",
    hard: false,
    langs: [0.8, 0.1, 0.1],
    tactic: "invoice with a macro document (docm, xlsm, doc) or a remote-template docx",
    make: macroInvoice,
  },
  {
    kind: "qr-code",
    hard: false,
    langs: [0.6, 0.25, 0.15],
    tactic: "image of a QR code, text asks to scan it; no link in the body",
    make: qrCode,
  },
  {
    kind: "pdf-link",
    hard: false,
    langs: [0.7, 0.15, 0.15],
    tactic: "PDF whose only link (to a credential page) is inside the document",
    make: pdfLure,
  },
  {
    kind: "bec-payment",
    hard: false,
    langs: [0.6, 0.25, 0.15],
    tactic: "bank-detail change or urgent transfer from a lookalike, free-mail or spoofed director",
    make: becPayment,
  },
  {
    kind: "extortion",
    hard: false,
    langs: [0.7, 0.15, 0.15],
    tactic:
      "sextortion or hacked-device extortion with a Bitcoin address, often spoofing the victim's own address",
    make: extortion,
  },
  {
    kind: "threat-fa",
    hard: false,
    langs: [0, 1, 0],
    tactic: "threats of arrest or violence against the reader or family, in Persian",
    make: threatKind("fa"),
  },
  {
    kind: "threat-ar",
    hard: false,
    langs: [0, 0, 1],
    tactic: "threats of arrest or violence against the reader or family, in Arabic",
    make: threatKind("ar"),
  },
  {
    kind: "reply-chain",
    hard: false,
    langs: [0.6, 0.25, 0.15],
    tactic: "reply in a real thread from a compromised partner account, with a link or an archive",
    make: replyChain,
  },
  {
    kind: "compromised-account",
    hard: false,
    langs: [0.6, 0.25, 0.15],
    tactic:
      "mail from a partner's compromised account (passes SPF, DKIM and DMARC) with a link to a credential page",
    make: compromisedAccount,
  },
  {
    kind: "hard-rapport",
    hard: true,
    langs: [0.5, 0.3, 0.2],
    tactic: "rapport-building first contact from free mail, no link (the payload comes later)",
    make: hardRapport,
  },
  {
    kind: "hard-bec",
    hard: true,
    langs: [0.6, 0.25, 0.15],
    tactic: "'are you at your desk?' from a free-mail account under a colleague's name",
    make: hardBec,
  },
  {
    kind: "hard-compromised-link",
    hard: true,
    langs: [0.6, 0.25, 0.15],
    tactic: "one plain link to a compromised ordinary website from a compromised partner account",
    make: hardCompromisedLink,
  },
  {
    kind: "hard-veiled-threat",
    hard: true,
    langs: [0.4, 0.3, 0.3],
    tactic: "veiled intimidation about family, without stock threat phrases",
    make: hardVeiledThreat,
  },
];

function pickLang(rng: Rng, shares: [number, number, number]): Lang {
  const x = rng.next();
  return x < shares[0] ? "en" : x < shares[0] + shares[1] ? "fa" : "ar";
}

/** Seeded: the same seed and counts give the same bytes. Each kind draws from its own stream. */
export async function generatePhish(opts: {
  seed: number;
  perKind: number;
  kinds?: readonly string[];
}): Promise<SyntheticMessage[]> {
  const out: SyntheticMessage[] = [];
  for (const [k, spec] of PHISH_KINDS.entries()) {
    if (opts.kinds && !opts.kinds.includes(spec.kind)) continue;
    const rng = new Rng(opts.seed * 1_000_003 + (k + 1) * 7919);
    for (let i = 0; i < opts.perKind; i++) {
      const org = rng.pick(ORGS);
      const lang = pickLang(rng, spec.langs);
      const victim = victimOf(rng, org, lang);
      const made = await spec.make({ rng, org, victim, lang });
      const at = randomDate(rng);
      const raw = await build(made.draft, org, at, rng, { withReceiverHeaders: rng.chance(0.75) });
      out.push({
        id: `${spec.kind}-${String(i + 1).padStart(3, "0")}`,
        kind: spec.kind,
        label: "phish",
        hard: spec.hard,
        lang,
        raw,
        expect: made.expect,
      });
    }
  }
  return out;
}
