/**
 * Building blocks for the synthetic evaluation mail: a seeded random source, RFC 5322 headers (folding, encoded
 * words, dates), MIME entities (quoted-printable, base64, multipart), the transit headers a receiving provider
 * adds (Received, Authentication-Results in the styles of Gmail, Microsoft 365 and a Postfix/OpenDMARC relay),
 * and real DKIM signatures made with a throwaway key, so that body hashes check out offline as they would on real
 * mail. Written from the RFCs (5322, 2045-2047, 8601, 6376), not from any detector.
 */
import { createPrivateKey } from "node:crypto";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { dkimSign } = require("mailauth/lib/dkim/sign.js") as {
  dkimSign: (
    msg: Buffer,
    o: {
      canonicalization: string;
      signTime: Date;
      signatureData: Array<{ signingDomain: string; selector: string; privateKey: string }>;
    },
  ) => Promise<{ signatures: string }>;
};

export const CRLF = "\r\n";

/** A small seeded generator (mulberry32) with the helpers the message builders need. */
export class Rng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error("eval/email: pick from an empty list");
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  hex(n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += "0123456789abcdef"[this.int(0, 15)];
    return s;
  }
  alnum(n: number): string {
    const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let s = "";
    for (let i = 0; i < n; i++) s += abc[this.int(0, abc.length - 1)];
    return s;
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(0, 255);
    return b;
  }
  /** A public IPv4 address outside private, loopback and multicast ranges. */
  ip(): string {
    const first = this.pick([
      5, 23, 31, 37, 45, 46, 62, 77, 80, 85, 91, 94, 103, 141, 146, 176, 185, 193, 212,
    ]);
    return `${first}.${this.int(1, 254)}.${this.int(0, 255)}.${this.int(1, 254)}`;
  }
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** An RFC 5322 date for `utc` shown in a zone `offsetMinutes` east of UTC. */
export function rfcDate(utc: Date, offsetMinutes = 0): string {
  const local = new Date(utc.getTime() + offsetMinutes * 60_000);
  const p2 = (n: number): string => String(n).padStart(2, "0");
  const sign = offsetMinutes < 0 ? "-" : "+";
  const off = Math.abs(offsetMinutes);
  return (
    `${DAYS[local.getUTCDay()]}, ${local.getUTCDate()} ${MONTHS[local.getUTCMonth()]} ${local.getUTCFullYear()} ` +
    `${p2(local.getUTCHours())}:${p2(local.getUTCMinutes())}:${p2(local.getUTCSeconds())} ${sign}${p2(Math.floor(off / 60))}${p2(off % 60)}`
  );
}

/** A random instant between 2022-01-01 and 2026-10-31. */
export function randomDate(rng: Rng): Date {
  const lo = Date.UTC(2022, 0, 1);
  const hi = Date.UTC(2026, 9, 31);
  return new Date(lo + Math.floor((rng.next() * (hi - lo)) / 1000) * 1000);
}

const isAscii = (s: string): boolean => /^[\x20-\x7e]*$/.test(s);

/** RFC 2047 encoded words (B or Q), each at most 75 characters, split on character boundaries. */
export function encodeWords(s: string, how: "B" | "Q"): string {
  const chunks: string[] = [];
  let cur = "";
  for (const ch of s) {
    if (Buffer.byteLength(cur + ch, "utf8") > (how === "B" ? 39 : 18)) {
      chunks.push(cur);
      cur = "";
    }
    cur += ch;
  }
  if (cur) chunks.push(cur);
  return chunks
    .map((c) => {
      if (how === "B") return `=?UTF-8?B?${Buffer.from(c, "utf8").toString("base64")}?=`;
      let q = "";
      for (const b of Buffer.from(c, "utf8")) {
        const ch = String.fromCharCode(b);
        if (b === 0x20) q += "_";
        else if (/[A-Za-z0-9!*+\-/]/.test(ch)) q += ch;
        else q += "=" + b.toString(16).toUpperCase().padStart(2, "0");
      }
      return `=?UTF-8?Q?${q}?=`;
    })
    .join(CRLF + " ");
}

/** A header value as written on the wire: plain ASCII as is, anything else as encoded words. */
export function headerText(s: string, rng: Rng): string {
  return isAscii(s) ? s : encodeWords(s, rng.chance(0.7) ? "B" : "Q");
}

/** `"Name" <addr>` with the name quoted or encoded as needed. */
export function address(name: string | undefined, addr: string, rng: Rng): string {
  if (!name) return `<${addr}>`;
  if (!isAscii(name)) return `${encodeWords(name, rng.chance(0.7) ? "B" : "Q")} <${addr}>`;
  return /[()<>@,;:\\".[\]]/.test(name)
    ? `"${name.replace(/(["\\])/g, "\\$1")}" <${addr}>`
    : `${name} <${addr}>`;
}

/** Fold a header line at spaces so that lines stay under 78 characters where possible. */
export function fold(name: string, value: string): string {
  if (value.includes(CRLF)) return `${name}: ${value}`;
  const words = value.split(" ");
  const lines: string[] = [];
  let cur = `${name}:`;
  for (const w of words) {
    if (cur.length + 1 + w.length > 76 && cur.trim().length > name.length + 1) {
      lines.push(cur);
      cur = " " + w;
    } else cur += " " + w;
  }
  lines.push(cur);
  return lines.join(CRLF);
}

/** Quoted-printable (RFC 2045 §6.7) of UTF-8 text with CRLF line ends. */
export function quotedPrintable(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => {
      const bytes = Buffer.from(line, "utf8");
      let out = "";
      let cur = "";
      bytes.forEach((b, i) => {
        const last = i === bytes.length - 1;
        const t =
          (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last)
            ? String.fromCharCode(b)
            : "=" + b.toString(16).toUpperCase().padStart(2, "0");
        if (cur.length + t.length > 75) {
          out += cur + "=" + CRLF;
          cur = "";
        }
        cur += t;
      });
      return out + cur;
    })
    .join(CRLF);
}

/** Base64 in 76-character lines. */
export function base64Lines(b: Buffer | string): string {
  const s = (Buffer.isBuffer(b) ? b : Buffer.from(b, "utf8")).toString("base64");
  return (s.match(/.{1,76}/g) ?? [""]).join(CRLF);
}

export type TextEncoding = "7bit" | "8bit" | "quoted-printable" | "base64";

/** A MIME entity: its own headers and its encoded body. */
export interface Entity {
  headers: Array<[string, string]>;
  body: string;
}

/** A text part; 7bit falls back to quoted-printable when the text is not ASCII. */
export function textPart(subtype: "plain" | "html", text: string, enc: TextEncoding): Entity {
  const crlf = text.replace(/\r?\n/g, CRLF);
  const ascii = /^[\x00-\x7f]*$/.test(crlf);
  const e = enc === "7bit" && !ascii ? "quoted-printable" : enc;
  const body = e === "base64" ? base64Lines(crlf) : e === "quoted-printable" ? quotedPrintable(crlf) : crlf;
  return {
    headers: [
      ["Content-Type", `text/${subtype}; charset="utf-8"`],
      ["Content-Transfer-Encoding", e],
    ],
    body,
  };
}

/** An attachment (or inline part with a Content-ID), always base64. */
export function filePart(
  filename: string,
  mime: string,
  content: Buffer,
  rng: Rng,
  opts: { inline?: boolean; cid?: string } = {},
): Entity {
  const name = isAscii(filename) ? `"${filename}"` : `"${encodeWords(filename, "B").replace(/\r\n /g, " ")}"`;
  const headers: Array<[string, string]> = [
    ["Content-Type", `${mime}; name=${name}`],
    ["Content-Disposition", `${opts.inline ? "inline" : "attachment"}; filename=${name}`],
    ["Content-Transfer-Encoding", "base64"],
  ];
  if (opts.cid) headers.push(["Content-ID", `<${opts.cid}>`]);
  void rng;
  return { headers, body: base64Lines(content) };
}

/** A multipart entity with a fresh boundary. */
export function multipart(subtype: "mixed" | "alternative" | "related", parts: Entity[], rng: Rng): Entity {
  const boundary =
    rng.pick(["----=_Part_", "=_b", "--_000_", "000000000000", "_----------=_"]) + rng.alnum(20);
  const body = [
    ...(rng.chance(0.5) ? ["This is a multi-part message in MIME format.", ""] : []),
    ...parts.flatMap((p) => [`--${boundary}`, renderEntity(p)]),
    `--${boundary}--`,
    "",
  ].join(CRLF);
  return { headers: [["Content-Type", `multipart/${subtype}; boundary="${boundary}"`]], body };
}

export function renderEntity(e: Entity): string {
  return [...e.headers.map(([k, v]) => fold(k, v)), "", e.body].join(CRLF);
}

/** The author's headers plus the body entity: the message as it left the sender's client. */
export function composeMessage(top: Array<[string, string]>, e: Entity): string {
  const lines = [
    ...top.map(([k, v]) => fold(k, v)),
    "MIME-Version: 1.0",
    ...e.headers.map(([k, v]) => fold(k, v)),
  ];
  return lines.join(CRLF) + CRLF + CRLF + e.body + (e.body.endsWith(CRLF) ? "" : CRLF);
}

// One throwaway key for every signing domain: the evaluation cannot fetch keys from DNS anyway, and what triage
// checks offline (body hash, alignment) is the same as with each domain's own key. The key is derived from a fixed
// seed, so that every run writes the same bytes (node:crypto has no seeded key generation).
let signingKey: string | undefined;

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  for (; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
  }
  return r;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [a % m, m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return ((s0 % m) + m) % m;
}

const SMALL_PRIMES = [
  3n,
  5n,
  7n,
  11n,
  13n,
  17n,
  19n,
  23n,
  29n,
  31n,
  37n,
  41n,
  43n,
  47n,
  53n,
  59n,
  61n,
  67n,
  71n,
];

/** Miller-Rabin with fixed bases: enough for a throwaway test key. */
function isProbablePrime(n: bigint): boolean {
  if (SMALL_PRIMES.some((p) => n % p === 0n)) return false;
  let d = n - 1n;
  let r = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    r++;
  }
  for (const a of [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n]) {
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let composite = true;
    for (let i = 1; i < r && composite; i++) {
      x = (x * x) % n;
      if (x === n - 1n) composite = false;
    }
    if (composite) return false;
  }
  return true;
}

function seededPrime(rng: Rng, bits: number): bigint {
  for (;;) {
    let n = BigInt("0x" + rng.hex(bits / 4));
    n |= (1n << BigInt(bits - 1)) | (1n << BigInt(bits - 2)) | 1n;
    if ((n - 1n) % 65537n !== 0n && isProbablePrime(n)) return n;
  }
}

const b64url = (n: bigint): string => {
  let h = n.toString(16);
  if (h.length % 2) h = "0" + h;
  return Buffer.from(h, "hex").toString("base64url");
};

function key(): string {
  if (signingKey) return signingKey;
  const rng = new Rng(0x5eed);
  const e = 65537n;
  const p = seededPrime(rng, 512);
  let q = seededPrime(rng, 512);
  while (q === p) q = seededPrime(rng, 512);
  const d = modInverse(e, (p - 1n) * (q - 1n));
  const jwk = {
    kty: "RSA",
    n: b64url(p * q),
    e: b64url(e),
    d: b64url(d),
    p: b64url(p),
    q: b64url(q),
    dp: b64url(d % (p - 1n)),
    dq: b64url(d % (q - 1n)),
    qi: b64url(modInverse(q, p)),
  };
  signingKey = createPrivateKey({ key: jwk, format: "jwk" })
    .export({ type: "pkcs8", format: "pem" })
    .toString();
  return signingKey;
}

/** Prepend a real DKIM-Signature for `domain` (relaxed/relaxed). */
export async function dkimSigned(
  message: string,
  domain: string,
  selector: string,
  at: Date,
): Promise<string> {
  const { signatures } = await dkimSign(Buffer.from(message, "utf8"), {
    canonicalization: "relaxed/relaxed",
    signTime: at,
    signatureData: [{ signingDomain: domain, selector, privateKey: key() }],
  });
  return signatures + message;
}

export type AuthVerdict = "pass" | "fail" | "softfail" | "none" | "neutral";

/** What the receiving provider concluded at delivery. */
export interface AuthOutcome {
  spf: AuthVerdict;
  dkim: AuthVerdict;
  dmarc: AuthVerdict;
  /** Published DMARC policy of the From domain, when it has one. */
  policy?: "none" | "quarantine" | "reject";
  mailfrom: string;
  fromDomain: string;
  dkimDomain?: string;
}

export type Receiver = "gmail" | "microsoft" | "postfix" | "none";

/** The header lines a receiver adds on top: its Authentication-Results (unless "none") and Received hops. */
export function transitHeaders(
  receiver: Receiver,
  auth: AuthOutcome,
  route: { senderHost: string; senderIp: string; rcptDomain: string },
  at: Date,
  rng: Rng,
): string[] {
  const d = rfcDate(new Date(at.getTime() + rng.int(1, 40) * 1000), 0);
  const out: string[] = [];
  const spfComment = (who: string): string =>
    auth.spf === "pass"
      ? `${who}: domain of ${auth.mailfrom} designates ${route.senderIp} as permitted sender`
      : `${who}: domain of ${auth.mailfrom} does not designate ${route.senderIp} as permitted sender`;
  const p = (auth.policy ?? "none").toUpperCase();
  if (receiver === "gmail") {
    const lines = [`Authentication-Results: mx.google.com;`];
    if (auth.dkim !== "none")
      lines.push(
        `       dkim=${auth.dkim} header.i=@${auth.dkimDomain ?? auth.fromDomain} header.s=s1 header.b=${rng.alnum(8)};`,
      );
    lines.push(
      `       spf=${auth.spf} (${spfComment("google.com")}) smtp.mailfrom=${auth.mailfrom}` +
        (auth.dmarc === "none" ? "" : ";"),
    );
    if (auth.dmarc !== "none")
      lines.push(
        `       dmarc=${auth.dmarc} (p=${p} sp=${p} dis=${auth.dmarc === "fail" ? (p === "NONE" ? "NONE" : p) : "NONE"}) header.from=${auth.fromDomain}`,
      );
    out.push(...lines);
    out.push(
      `Received: from ${route.senderHost} (${route.senderHost}. [${route.senderIp}])`,
      `        by mx.google.com with ESMTPS id ${rng.alnum(12)}.${rng.int(10, 99)}.${at.getUTCFullYear()}.${rng.int(10, 99)};`,
      `        ${d}`,
    );
    out.unshift(
      `Received: by 2002:a05:${rng.hex(4)}:${rng.hex(4)}:b0:${rng.hex(3)}:${rng.hex(4)}:${rng.hex(4)} with SMTP id ${rng.alnum(10)};`,
      `        ${d}`,
    );
  } else if (receiver === "microsoft") {
    const comp =
      auth.dmarc === "pass"
        ? "pass reason=100"
        : auth.dmarc === "fail"
          ? "fail reason=000"
          : rng.pick(["softpass reason=201", "none reason=405"]);
    out.push(
      `Authentication-Results: spf=${auth.spf} (sender IP is ${route.senderIp})`,
      ` smtp.mailfrom=${auth.mailfrom.split("@").pop()}; dkim=${auth.dkim} (${auth.dkim === "pass" ? "signature was verified" : "message not signed"})`,
      ` header.d=${auth.dkimDomain ?? auth.fromDomain};dmarc=${auth.dmarc === "none" ? "none" : auth.dmarc} action=${auth.dmarc === "fail" ? (p === "REJECT" ? "oreject" : "none") : "none"}`,
      ` header.from=${auth.fromDomain};compauth=${comp}`,
      `Received: from ${route.senderHost} (${route.senderIp}) by`,
      ` AM${rng.int(1, 9)}PEPF0000${rng.hex(4).toUpperCase()}.mail.protection.outlook.com (10.167.${rng.int(1, 250)}.${rng.int(1, 250)}) with Microsoft SMTP Server`,
      ` (version=TLS1_3, cipher=TLS_AES_256_GCM_SHA384) id 15.20.${rng.int(1000, 9999)}.${rng.int(10, 99)} via Frontend Transport; ${d}`,
    );
    out.unshift(
      `Received: from DB${rng.int(6, 9)}PR0${rng.int(1, 9)}MB${rng.int(1000, 9999)}.eurprd0${rng.int(1, 9)}.prod.outlook.com`,
      ` (2603:10a6:10:${rng.hex(3)}::${rng.int(10, 99)}) by AS8PR0${rng.int(1, 9)}MB${rng.int(1000, 9999)}.eurprd0${rng.int(1, 9)}.prod.outlook.com with`,
      ` HTTPS; ${d}`,
    );
  } else {
    const mx = `mx${rng.int(1, 3)}.${route.rcptDomain}`;
    if (receiver === "postfix") {
      out.push(`Authentication-Results: ${mx};`);
      const clauses = [
        `\tspf=${auth.spf} (${spfComment(mx)}) smtp.mailfrom=${auth.mailfrom.split("@").pop()}`,
        ...(auth.dkim !== "none"
          ? [`\tdkim=${auth.dkim} header.d=${auth.dkimDomain ?? auth.fromDomain} header.s=s1`]
          : []),
        `\tdmarc=${auth.dmarc} (p=${auth.policy ?? "none"} dis=none) header.from=${auth.fromDomain}`,
      ];
      out.push(...clauses.map((c, i) => (i < clauses.length - 1 ? c + ";" : c)));
    }
    out.push(
      `Received: from ${route.senderHost} (${route.senderHost} [${route.senderIp}])`,
      `\tby ${mx} (Postfix) with ESMTPS id ${rng.alnum(10)}`,
      `\tfor <${"x@" + route.rcptDomain}>; ${d}`,
    );
  }
  return out;
}

/** The sender side's own Received hop (its submission server), below the receiver's. */
export function submissionHop(senderHost: string, at: Date, rng: Rng, clientIp?: string): string[] {
  const d = rfcDate(at, 0);
  return clientIp
    ? [
        `Received: from [${rng.pick(["192.168.1.", "10.0.0.", "172.16.4."])}${rng.int(2, 250)}] (${clientIp.includes(".") ? `unknown [${clientIp}]` : clientIp})`,
        `\tby ${senderHost} with ESMTPSA id ${rng.alnum(12)};`,
        `\t${d}`,
      ]
    : [`Received: by ${senderHost} with SMTP id ${rng.alnum(12)};`, `        ${d}`];
}

/** A whole message: transit headers on top of a (possibly signed) composed message. */
export async function deliver(opts: {
  composed: string;
  auth: AuthOutcome;
  receiver: Receiver;
  senderHost: string;
  senderIp: string;
  rcptDomain: string;
  at: Date;
  rng: Rng;
  /** Sign with DKIM for this domain before transit (a real signature; body hash verifiable offline). */
  signAs?: string;
  clientIp?: string;
}): Promise<Buffer> {
  let m = opts.composed;
  if (opts.signAs) m = await dkimSigned(m, opts.signAs, "s1", opts.at);
  const hops = submissionHop(opts.senderHost, opts.at, opts.rng, opts.clientIp);
  const transit = transitHeaders(
    opts.receiver,
    opts.auth,
    { senderHost: opts.senderHost, senderIp: opts.senderIp, rcptDomain: opts.rcptDomain },
    opts.at,
    opts.rng,
  );
  const returnPath = `Return-Path: <${opts.auth.mailfrom}>`;
  return Buffer.from([returnPath, ...transit, ...hops].join(CRLF) + CRLF + m, "utf8");
}
