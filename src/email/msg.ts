/**
 * Outlook `.msg` files (MS-OXMSG, a compound file of MAPI properties) through @kenjiuno/msgreader, mapped to the
 * same parsed shape mailparser gives for an `.eml`: the transport headers when Outlook kept them (a received
 * message), otherwise headers rebuilt from the properties (sender, recipients, subject, date); the plain and HTML
 * bodies; attachments with their bytes. Embedded messages (a report forwarded "as attachment") are kept as
 * messages of their own, to a bounded depth, so that each can be triaged.
 */
import { createHash } from "node:crypto";
import { simpleParser, type Attachment } from "mailparser";
import MsgReaderModule, { type FieldsData } from "@kenjiuno/msgreader";
import type { ParsedMessage } from "./parse.js";
import { compoundFileProblem } from "./cfb-check.js";

// msgreader is CommonJS with `exports.default`; under Node's ESM loader the class sits one level down.
const MsgReader = ((MsgReaderModule as unknown as { default?: unknown }).default ??
  MsgReaderModule) as unknown as typeof MsgReaderModule.default;

export const MSG_BOUNDS = {
  /** Messages embedded in messages followed this deep (the file itself is depth 0). */
  maxDepth: 3,
  /** Embedded messages read per file, all levels together. */
  maxEmbedded: 20,
  /** Attachments read per message. */
  maxAttachments: 100,
};

/** A compound file starts with this signature (MS-CFB 2.2). */
export function isCompoundFile(buf: Buffer): boolean {
  return buf.length >= 8 && buf.readUInt32LE(0) === 0xe011cfd0 && buf.readUInt32LE(4) === 0xe11ab1a1;
}

/** One message read out of a .msg: what the triage needs, nothing Outlook-specific. */
export interface MsgMessage {
  /** The transport headers as received (PidTagTransportMessageHeaders), when Outlook kept them. */
  transportHeaders?: string;
  subject?: string;
  senderName?: string;
  senderEmail?: string;
  recipients: Array<{ name?: string; email?: string; type: "to" | "cc" | "bcc" }>;
  /** ISO time the message was sent or delivered, from the properties. */
  date?: string;
  messageId?: string;
  body?: string;
  html?: string;
  attachments: Array<{ filename: string; contentType: string; content: Buffer }>;
  /** Messages attached to this one, in order; `name` is the attachment's display name. */
  embedded: Array<{ name: string; sha256: string; message: MsgMessage }>;
  /** What was not read (bounds, unreadable parts), in plain words. */
  notRead: string[];
}

/** Reads the bytes of an attachment described by msgreader's fields; injected so the mapping is testable. */
export type AttachmentBytes = (a: FieldsData) => Uint8Array | undefined;

const SMTP_RE = /^[^@\s]+@[^@\s]+$/;

/** The SMTP address of a sender or recipient; Exchange-internal (EX) addresses are not email addresses. */
function smtpOf(...candidates: Array<string | undefined>): string | undefined {
  return candidates.find((c) => c !== undefined && SMTP_RE.test(c.trim()))?.trim();
}

function decodeHtml(f: FieldsData): string | undefined {
  const extra = f as FieldsData & { bodyHtml?: string; html?: Uint8Array };
  if (typeof extra.bodyHtml === "string" && extra.bodyHtml) return extra.bodyHtml;
  if (extra.html instanceof Uint8Array && extra.html.length > 0) {
    // PidTagHtml is bytes in the message's code page; UTF-8 is what Outlook writes for new mail.
    return Buffer.from(extra.html).toString(f.internetCodepage === 1252 ? "latin1" : "utf8");
  }
  return undefined;
}

/**
 * Fields msgreader gives as strings when their property holds a string type. A file whose property types were
 * changed gives bytes or numbers there instead (an attachment's name as bytes reached a `.trim()` in triage):
 * those are dropped, as if absent.
 */
const STRING_FIELDS = [
  "headers",
  "subject",
  "senderName",
  "senderSmtpAddress",
  "sentRepresentingSmtpAddress",
  "senderEmail",
  "clientSubmitTime",
  "messageDeliveryTime",
  "messageId",
  "body",
  "bodyHtml",
  "name",
  "fileName",
  "fileNameShort",
  "extension",
  "attachMimeTag",
  "smtpAddress",
  "email",
  "recipType",
] as const;

function stringsOnly<T extends object>(f: T): T {
  const out = { ...f } as Record<string, unknown>;
  for (const k of STRING_FIELDS) {
    if (out[k] !== undefined && typeof out[k] !== "string") delete out[k];
  }
  return out as T;
}

function toIso(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/**
 * Map msgreader's fields (of the file or of an embedded message) to a `MsgMessage`, following embedded messages
 * up to `MSG_BOUNDS.maxDepth`. `budget.embedded` counts embedded messages across the whole file.
 *
 * @example
 * msgFieldsToMessage({ dataType: "msg", subject: "Hi", senderEmail: "a@b.example", attachments: [], recipients: [] }, () => undefined)
 * // { subject: "Hi", senderEmail: "a@b.example", recipients: [], attachments: [], embedded: [], notRead: [] }
 */
export function msgFieldsToMessage(
  f: FieldsData,
  bytesOf: AttachmentBytes,
  depth = 0,
  budget = { embedded: 0 },
): MsgMessage {
  f = stringsOnly(f);
  const m: MsgMessage = { recipients: [], attachments: [], embedded: [], notRead: [] };
  if (f.headers?.trim()) m.transportHeaders = f.headers;
  if (f.subject !== undefined) m.subject = f.subject;
  if (f.senderName) m.senderName = f.senderName;
  const sender = smtpOf(f.senderSmtpAddress, f.sentRepresentingSmtpAddress, f.senderEmail);
  if (sender) m.senderEmail = sender;
  const date = toIso(f.clientSubmitTime) ?? toIso(f.messageDeliveryTime);
  if (date) m.date = date;
  if (f.messageId) m.messageId = f.messageId;
  if (f.body) m.body = f.body;
  const html = decodeHtml(f);
  if (html) m.html = html;
  for (const r of (f.recipients ?? []).map(stringsOnly)) {
    const email = smtpOf(r.smtpAddress, r.email);
    m.recipients.push({
      ...(r.name ? { name: r.name } : {}),
      ...(email ? { email } : {}),
      type: r.recipType ?? "to",
    });
  }
  const atts = f.attachments ?? [];
  if (atts.length > MSG_BOUNDS.maxAttachments) {
    m.notRead.push(`attachments after the first ${MSG_BOUNDS.maxAttachments} (${atts.length} in all)`);
  }
  for (const [i, a] of atts.slice(0, MSG_BOUNDS.maxAttachments).map(stringsOnly).entries()) {
    if (a.innerMsgContent && a.innerMsgContentFields) {
      const name = `${a.name || a.innerMsgContentFields.subject || `message-${i + 1}`}.msg`;
      if (depth + 1 > MSG_BOUNDS.maxDepth) {
        m.notRead.push(`${name}: messages embedded deeper than ${MSG_BOUNDS.maxDepth} levels are not read`);
      } else if (budget.embedded >= MSG_BOUNDS.maxEmbedded) {
        m.notRead.push(`${name}: more than ${MSG_BOUNDS.maxEmbedded} embedded messages in one file`);
      } else {
        budget.embedded++;
        let own: Uint8Array | undefined;
        try {
          own = bytesOf(a); // an embedded message is written out as a .msg of its own for its hash
        } catch {
          own = undefined;
        }
        m.embedded.push({
          name,
          sha256: createHash("sha256")
            .update(own ?? Buffer.alloc(0))
            .digest("hex"),
          message: msgFieldsToMessage(a.innerMsgContentFields, bytesOf, depth + 1, budget),
        });
      }
      continue;
    }
    const filename = a.fileName || a.fileNameShort || a.name || `attachment-${i + 1}${a.extension ?? ""}`;
    let content: Uint8Array | undefined;
    try {
      content = bytesOf(a);
    } catch {
      content = undefined;
    }
    if (!content) {
      m.notRead.push(`the attachment ${filename}: its data could not be read (an OLE object or a link)`);
      continue;
    }
    m.attachments.push({
      filename,
      contentType: a.attachMimeTag || "application/octet-stream",
      content: Buffer.from(content),
    });
  }
  return m;
}

export type MsgOutcome = { ok: true; message: MsgMessage } | { ok: false; problem: string };

/** Read a .msg file; `problem` says in plain words why one could not be read. */
export function readMsg(bytes: Buffer): MsgOutcome {
  if (!isCompoundFile(bytes))
    return { ok: false, problem: "the file is not an Outlook .msg (compound file)" };
  // the reader follows sector chains without a bound: a chain that loops would hang it, growing without limit
  const damage = compoundFileProblem(bytes);
  if (damage) return { ok: false, problem: `the .msg is corrupt: ${damage}` };
  let reader: InstanceType<typeof MsgReader>;
  let fields: FieldsData;
  try {
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    reader = new MsgReader(ab);
    fields = reader.getFileData();
  } catch (err) {
    // the reader's own faults (a TypeError, a RangeError past the end of the data) mean a structure that points
    // outside the file or to parts that are not there: a file cut short or damaged, not a reason in itself
    const internal = err instanceof TypeError || err instanceof RangeError;
    return {
      ok: false,
      problem: internal
        ? "the .msg is truncated or corrupt (its compound-file structure points to parts that are not there)"
        : `the .msg could not be read: ${(err as Error).message}`,
    };
  }
  if (fields.error) return { ok: false, problem: `the .msg could not be read: ${fields.error}` };
  if (fields.dataType !== "msg") return { ok: false, problem: "the compound file is not an Outlook message" };
  const bytesOf: AttachmentBytes = (a) =>
    typeof a.dataId === "number" || typeof a.folderId === "number"
      ? reader.getAttachment(a).content
      : undefined;
  // outside the reader's guard: a fault in the mapping is this code's, not the file's, and is not reported as damage
  return { ok: true, message: msgFieldsToMessage(fields, bytesOf) };
}

/** Quote a display name for a header when it needs it; control characters are dropped. */
function displayName(name: string): string {
  const clean = name.replace(/[\r\n\t\u0000-\u001f]/g, " ").trim();
  return /^[\w .-]*$/.test(clean) ? clean : `"${clean.replace(/(["\\])/g, "\\$1")}"`;
}

function encodeHeader(value: string): string {
  const clean = value.replace(/[\r\n]+/g, " ");
  return /^[\x20-\x7e]*$/.test(clean)
    ? clean
    : `=?UTF-8?B?${Buffer.from(clean, "utf8").toString("base64")}?=`;
}

function mailbox(name: string | undefined, email: string | undefined): string | undefined {
  if (!email) return name ? `${encodeHeader(displayName(name))} <>` : undefined;
  return name && name !== email ? `${encodeHeader(displayName(name))} <${email}>` : email;
}

/**
 * The header block the triage reads: the transport headers when present (they hold Received,
 * Authentication-Results and the sender as delivered), else headers rebuilt from the MAPI properties.
 */
export function msgHeaderBlock(m: MsgMessage): string {
  if (m.transportHeaders) {
    const lines = m.transportHeaders.replace(/\r?\n/g, "\r\n").split("\r\n");
    const blank = lines.findIndex((l) => l.trim() === "");
    // Content-Type and Content-Transfer-Encoding described the original MIME body, which the .msg no longer
    // holds; the bodies come from the properties. Their folded continuation lines go with them.
    const out: string[] = [];
    let skipping = false;
    for (const l of lines.slice(0, blank >= 0 ? blank : lines.length)) {
      if (/^[ \t]/.test(l)) {
        if (!skipping) out.push(l);
        continue;
      }
      skipping = /^content-(type|transfer-encoding):/i.test(l);
      if (!skipping) out.push(l);
    }
    return out.join("\r\n") + "\r\n";
  }
  const h: string[] = [];
  const from = mailbox(m.senderName, m.senderEmail);
  if (from) h.push(`From: ${from}`);
  for (const type of ["to", "cc"] as const) {
    const list = m.recipients
      .filter((r) => r.type === type)
      .map((r) => mailbox(r.name, r.email))
      .filter((x): x is string => !!x);
    if (list.length > 0) h.push(`${type === "to" ? "To" : "Cc"}: ${list.join(", ")}`);
  }
  if (m.subject !== undefined) h.push(`Subject: ${encodeHeader(m.subject)}`);
  if (m.date) h.push(`Date: ${new Date(m.date).toUTCString().replace("GMT", "+0000")}`);
  if (m.messageId) h.push(`Message-ID: ${m.messageId.replace(/[\r\n]/g, "")}`);
  return h.join("\r\n") + (h.length > 0 ? "\r\n" : "");
}

/**
 * The parsed shape the checks read, built from a .msg message: mailparser reads the header block (so addresses
 * and encoded words are decoded as for an .eml), and the bodies and attachments come from the properties.
 */
export async function msgToParsed(m: MsgMessage): Promise<ParsedMessage> {
  const head = msgHeaderBlock(m);
  const mail = await simpleParser(Buffer.from(head + "\r\n", "utf8"), { skipTextToHtml: true });
  const headers = mail.headerLines.map((h) => {
    const line = h.line.replace(/\r?\n[ \t]+/g, " ");
    const colon = line.indexOf(":");
    return { key: h.key.toLowerCase(), line, value: colon >= 0 ? line.slice(colon + 1).trim() : "" };
  });
  // Outlook's properties are what the user saw; prefer them over a header block that may be partial
  if (m.subject !== undefined) mail.subject = m.subject;
  if (!mail.date && m.date) mail.date = new Date(m.date);
  if (!mail.messageId && m.messageId) mail.messageId = m.messageId;
  if (m.body !== undefined) mail.text = m.body;
  else delete mail.text;
  mail.html = m.html ?? false;
  mail.attachments = m.attachments.map((a): Attachment => ({
    filename: a.filename,
    contentType: a.contentType,
    content: a.content,
    size: a.content.length,
  }));
  return { headers, mail, overBounds: [] };
}
