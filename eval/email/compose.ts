/**
 * From a draft (who, what, which attachments, how it was sent) to the bytes a mailbox holds: the MIME tree with
 * varied transfer encodings, the author's headers, a real DKIM signature where the sending domain signs, and the
 * receiving provider's transit headers (or none, as in a message exported from a client that drops them).
 */
import type { Lang, Org } from "./actors.js";
import { FREEMAIL } from "./actors.js";
import {
  address,
  composeMessage,
  deliver,
  filePart,
  headerText,
  multipart,
  rfcDate,
  textPart,
  type AuthOutcome,
  type Entity,
  type Receiver,
  type Rng,
  type TextEncoding,
} from "./mime.js";

export interface Attachment {
  filename: string;
  mime: string;
  content: Buffer;
  /** Shown inside the HTML through a Content-ID. */
  cid?: string;
}

/** How a message was sent, which decides what the receiver's Authentication-Results say. */
export type SenderSetup =
  /** A domain the attacker registered (lookalike or generic); SPF passes, DKIM and DMARC as they set them up. */
  | { how: "own-domain"; domain: string }
  /** A free-mail account: everything passes for the provider's domain. */
  | { how: "freemail"; domain: string }
  /** A genuine account of a real domain (compromised, or a legitimate sender): everything passes. */
  | { how: "genuine"; domain: string; host?: string }
  /** Another domain's address written in From, sent from elsewhere: SPF and DMARC fail. */
  | { how: "spoof"; domain: string; policy: "none" | "quarantine" | "reject"; envelope: string };

export interface Draft {
  from: { name?: string; addr: string };
  to: { name?: string; addr: string };
  replyTo?: string;
  subject: string;
  text?: string;
  html?: string;
  attachments?: Attachment[];
  /** In-Reply-To, References and the like. */
  headers?: Array<[string, string]>;
  lang: Lang;
  sender: SenderSetup;
}

function authFor(
  s: SenderSetup,
  fromAddr: string,
  rng: Rng,
): { auth: AuthOutcome; host: string; signAs?: string } {
  const fromDomain = fromAddr.split("@").pop()!.toLowerCase();
  switch (s.how) {
    case "freemail": {
      const p = FREEMAIL.find((f) => f.domain === s.domain);
      return {
        auth: {
          spf: "pass",
          dkim: "pass",
          dmarc: "pass",
          policy: p?.policy ?? "none",
          mailfrom: fromAddr,
          fromDomain,
        },
        host: p?.host() ?? `smtp.${s.domain}`,
        signAs: s.domain,
      };
    }
    case "genuine":
      return {
        auth: {
          spf: "pass",
          dkim: "pass",
          dmarc: "pass",
          policy: rng.pick(["none", "quarantine", "reject"]),
          mailfrom: `bounce-${rng.hex(6)}@${s.domain}`,
          fromDomain,
        },
        host: s.host ?? `${rng.pick(["mail", "smtp", "mx-out", "out"])}.${s.domain}`,
        signAs: s.domain,
      };
    case "own-domain": {
      const signs = rng.chance(0.7);
      const dmarc = rng.chance(0.5);
      return {
        auth: {
          spf: "pass",
          dkim: signs ? "pass" : "none",
          dmarc: dmarc ? "pass" : "none",
          ...(dmarc ? { policy: "none" as const } : {}),
          mailfrom: fromAddr,
          fromDomain,
        },
        host: `${rng.pick(["mail", "smtp", "mx", "srv" + rng.int(1, 9)])}.${s.domain}`,
        ...(signs ? { signAs: s.domain } : {}),
      };
    }
    case "spoof":
      return {
        auth: {
          spf: rng.pick(["fail", "softfail", "none"] as const),
          dkim: "none",
          dmarc: "fail",
          policy: s.policy,
          mailfrom: s.envelope,
          fromDomain,
        },
        host: `${rng.pick(["vps", "srv", "host", "static"])}${rng.int(100, 9999)}.${rng.pick(["contabo.net", "hostinger.example", "vultrusercontent.com", "your-server.de", "ovh.net"])}`,
      };
  }
}

const ENCODINGS: readonly TextEncoding[] = [
  "7bit",
  "quoted-printable",
  "quoted-printable",
  "base64",
  "base64",
  "8bit",
];

/** The bytes of a delivered message, as the recipient's mailbox holds them. */
export async function build(
  d: Draft,
  org: Org,
  at: Date,
  rng: Rng,
  opts: { withReceiverHeaders: boolean },
): Promise<Buffer> {
  const enc = rng.pick(ENCODINGS);
  const bodies: Entity[] = [];
  if (d.text !== undefined) bodies.push(textPart("plain", d.text, enc));
  if (d.html !== undefined) bodies.push(textPart("html", d.html, enc === "7bit" ? "quoted-printable" : enc));
  let body: Entity = bodies.length === 1 ? bodies[0]! : multipart("alternative", bodies, rng);
  const inline = (d.attachments ?? []).filter((a) => a.cid);
  const attached = (d.attachments ?? []).filter((a) => !a.cid);
  if (inline.length > 0)
    body = multipart(
      "related",
      [
        body,
        ...inline.map((a) => filePart(a.filename, a.mime, a.content, rng, { inline: true, cid: a.cid! })),
      ],
      rng,
    );
  if (attached.length > 0)
    body = multipart(
      "mixed",
      [body, ...attached.map((a) => filePart(a.filename, a.mime, a.content, rng))],
      rng,
    );

  const tz =
    d.lang === "fa" ? 210 : d.lang === "ar" ? rng.pick([120, 180, 240]) : rng.pick([0, 60, 120, -300, -240]);
  const fromDomain = d.from.addr.split("@").pop()!;
  const top: Array<[string, string]> = [
    ["From", address(d.from.name, d.from.addr, rng)],
    ["To", address(d.to.name, d.to.addr, rng)],
    ["Subject", headerText(d.subject, rng)],
    ["Date", rfcDate(at, tz)],
    [
      "Message-ID",
      `<${rng.pick([rng.alnum(24), `${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`, `CA+${rng.alnum(40)}`])}@${fromDomain === "gmail.com" ? "mail.gmail.com" : fromDomain}>`,
    ],
    ...(d.replyTo ? ([["Reply-To", d.replyTo]] as Array<[string, string]>) : []),
    ...(d.headers ?? []),
  ];
  const composed = composeMessage(top, body);
  const setup = authFor(d.sender, d.from.addr, rng);
  const receiver: Receiver = opts.withReceiverHeaders ? org.receiver : "none";
  return deliver({
    composed,
    auth: setup.auth,
    receiver,
    senderHost: setup.host,
    senderIp: rng.ip(),
    rcptDomain: org.domain,
    at,
    rng,
    ...(setup.signAs ? { signAs: setup.signAs } : {}),
    ...(rng.chance(0.5) ? { clientIp: rng.ip() } : {}),
  });
}

/** A simple HTML body: paragraphs, an optional button-like link, a footer; right to left for Persian and Arabic. */
export function htmlBody(
  lang: Lang,
  paragraphs: string[],
  opts: { button?: { href: string; text: string }; footer?: string; image?: string } = {},
): string {
  const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const dir = lang === "en" ? "ltr" : "rtl";
  return [
    "<!DOCTYPE html>",
    `<html dir="${dir}"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>`,
    `<body style="font-family:Segoe UI,Tahoma,Arial,sans-serif;font-size:14px;color:#222">`,
    `<div style="max-width:600px;margin:0 auto;padding:16px">`,
    ...paragraphs.map((p) => `<p>${esc(p).replace(/\n/g, "<br>")}</p>`),
    ...(opts.image ? [`<p><img src="cid:${opts.image}" width="232" height="232" alt=""></p>`] : []),
    ...(opts.button
      ? [
          `<table role="presentation" cellpadding="0" cellspacing="0"><tr><td style="background:#1a73e8;border-radius:4px;padding:10px 22px">`,
          `<a href="${opts.button.href.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}" style="color:#fff;text-decoration:none;font-weight:600">${esc(opts.button.text)}</a>`,
          `</td></tr></table>`,
        ]
      : []),
    ...(opts.footer
      ? [`<p style="color:#777;font-size:12px">${esc(opts.footer).replace(/\n/g, "<br>")}</p>`]
      : []),
    "</div></body></html>",
  ].join("\n");
}
