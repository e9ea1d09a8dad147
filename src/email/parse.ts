/**
 * Reading a message: size caps first, then mailparser. Hostile messages are the normal case here, so every
 * bound is checked before the parser sees the bytes, and anything refused becomes a reason, never a crash. A
 * message built past a bound (a header padded with thousands of lines, a body nested thousands of parts deep) is
 * cut back to what fits and read, the cut reported: padding is how such a message hides an attachment from
 * scanners, and real mail never comes near the bounds.
 */
import { simpleParser, type ParsedMail } from "mailparser";

/** Larger messages are not parsed: no mail provider delivers them, and parsing one would cost seconds. */
export const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;
/** The header block (up to the first empty line); real ones are a few kilobytes, even after many hops. */
export const MAX_HEADER_BYTES = 512 * 1024;
/** HTML bodies beyond this are not parsed for links. */
export const MAX_HTML_CHARS = 4 * 1024 * 1024;
/** Header lines kept; a message with more is cut back to its fields that fit (a header bomb). */
export const MAX_HEADER_LINES = 2_000;
/** A single header field longer than this is set aside when a header is cut back (real ones are a few kilobytes). */
export const MAX_FIELD_BYTES = 64 * 1024;

/**
 * The header fields the checks read, kept first when a header bomb is cut back: the sender's claims, the route
 * and its authentication, the MIME structure.
 */
const FIELDS_READ = new Set([
  "from",
  "to",
  "cc",
  "subject",
  "date",
  "message-id",
  "reply-to",
  "return-path",
  "sender",
  "received",
  "authentication-results",
  "arc-authentication-results",
  "dkim-signature",
  "list-unsubscribe",
  "list-id",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
  "content-disposition",
]);

export interface HeaderLine {
  /** Lower-case name. */
  key: string;
  /** The whole unfolded line, name included. */
  line: string;
  /** The value, after the colon, unfolded and trimmed. */
  value: string;
}

export interface ParsedMessage {
  headers: HeaderLine[];
  mail: ParsedMail;
  /**
   * The bounds the message was built past, each with what was set aside to read the rest, in plain words; empty for
   * every message real mail servers deliver.
   */
  overBounds: string[];
}

export type ParseOutcome = { ok: true; message: ParsedMessage } | { ok: false; problem: string };

/** Where the header block ends (index of the blank line), or -1 when there is none within `limit` bytes. */
export function headerEnd(raw: Buffer, limit: number): number {
  const n = Math.min(raw.length, limit);
  for (let i = 0; i < n; i++) {
    if (raw[i] !== 0x0a) continue;
    if (raw[i + 1] === 0x0a) return i + 1;
    if (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a) return i + 1;
  }
  return raw.length <= limit ? raw.length : -1;
}

/**
 * A header line's name, as mail uses them (letters, digits, "-" and "_"): the grammar allows any printable character
 * but ":", which a line of JSON (`{"platform":`) or CSV would meet too.
 */
const HEADER_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]*:/;

/**
 * The header block `head` cut back within the bounds: fields the checks read first (while they fit), then the
 * others, each no longer than MAX_FIELD_BYTES; the fields kept keep their order. Returns the block and how many
 * fields were set aside.
 */
function cutHeader(head: string): { head: string; dropped: number } {
  const fields = head.split(/\r?\n(?![ \t])/).filter((f) => f !== "");
  const lines = fields.map((f) => f.split("\n").length);
  const keep = new Array<boolean>(fields.length).fill(false);
  // room for the blank line and the line ends the split removed
  let lineRoom = MAX_HEADER_LINES - 2;
  let byteRoom = MAX_HEADER_BYTES - 2 * fields.length - 2;
  // the sender's claims and the MIME structure first, then the route (a bomb of Received headers must not crowd
  // out From), then the rest
  const rank = (name: string): number => (name === "received" ? 1 : FIELDS_READ.has(name) ? 0 : 2);
  for (const pass of [0, 1, 2]) {
    fields.forEach((f, i) => {
      if (keep[i] || f.length > MAX_FIELD_BYTES || lines[i]! > lineRoom || f.length > byteRoom) return;
      const name = f
        .slice(0, Math.max(0, f.indexOf(":")))
        .trim()
        .toLowerCase();
      if (rank(name) !== pass) return;
      keep[i] = true;
      lineRoom -= lines[i]!;
      byteRoom -= f.length + 2;
    });
  }
  const kept = fields.filter((_, i) => keep[i]);
  return { head: kept.map((f) => f + "\r\n").join(""), dropped: fields.length - kept.length };
}

/** Parse a message within the bounds; `problem` says in plain words why one was not read. */
export async function parseMessage(raw: Buffer): Promise<ParseOutcome> {
  if (raw.length === 0) return { ok: false, problem: "the file is empty" };
  const overBounds: string[] = [];
  // a file that is not a message at all (posts, a CSV) has no blank line after a header block either: say what
  // it is not before weighing its header block
  const firstLine = raw
    .subarray(0, Math.min(raw.length, MAX_HEADER_BYTES))
    .toString("latin1")
    .split(/\r?\n/, 1)[0];
  if (!HEADER_NAME_RE.test(firstLine ?? "")) {
    return { ok: false, problem: "the file does not start with a header line (Name: value); not an email" };
  }
  if (raw.length > MAX_MESSAGE_BYTES) {
    overBounds.push(
      `the message is ${raw.length} bytes, over the ${MAX_MESSAGE_BYTES}-byte bound (only its first ` +
        `${MAX_MESSAGE_BYTES / 1024 / 1024} MiB were read)`,
    );
    raw = raw.subarray(0, MAX_MESSAGE_BYTES);
  }
  // the whole header block, however long: a bomb is cut back to the fields that fit rather than refused
  const end = headerEnd(raw, raw.length);
  const head = raw.subarray(0, end).toString("latin1");
  const lineCount = head.split("\n").length - (head.endsWith("\n") ? 1 : 0);
  let bomb = "";
  if (end > MAX_HEADER_BYTES || lineCount > MAX_HEADER_LINES) {
    const cut = cutHeader(head);
    bomb =
      `the header block has ${lineCount} lines and ${end} bytes, over the bounds of ${MAX_HEADER_LINES} lines ` +
      `and ${MAX_HEADER_BYTES} bytes (a header bomb)`;
    overBounds.push(
      `${bomb}: ${cut.dropped} of its fields ${cut.dropped === 1 ? "was" : "were"} set aside, those the checks read kept first`,
    );
    raw = Buffer.concat([Buffer.from(cut.head, "latin1"), raw.subarray(end)]);
  }
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, PARSER_OPTIONS);
  } catch (err) {
    // a MIME structure past the parser's bounds (thousands of nested parts): the header is still read
    const problem = `the MIME structure could not be parsed: ${(err as Error).message}`;
    const headOnly = raw.subarray(0, headerEnd(raw, raw.length));
    try {
      mail = await simpleParser(
        Buffer.concat([stripMimeFields(headOnly), Buffer.from("\r\n")]),
        PARSER_OPTIONS,
      );
    } catch {
      return { ok: false, problem };
    }
    overBounds.push(`${problem} (only the header was read)`);
  }
  const headers = mail.headerLines.map((h) => {
    const line = utf8Header(h.line.replace(/\r?\n[ \t]+/g, " "));
    const colon = line.indexOf(":");
    return { key: h.key.toLowerCase(), line, value: colon >= 0 ? line.slice(colon + 1).trim() : "" };
  });
  // mailparser leaves UTF-7 encoded words undecoded ("+BEAEMAQ-"), a charset spam uses to slip words past filters
  const subject = headers.find((h) => h.key === "subject")?.value;
  if (subject && /=\?utf-7\?/i.test(subject)) mail.subject = decodeEncodedWords(subject);
  const known = headers.filter((h) =>
    ["from", "to", "subject", "date", "message-id", "received"].includes(h.key),
  );
  if (known.length === 0) {
    const none = "none of From, To, Subject, Date, Message-ID or Received is present";
    return { ok: false, problem: bomb ? `${bomb}, and ${none} among the fields that fit` : none };
  }
  return { ok: true, message: { headers, mail, overBounds } };
}

/**
 * A header line as its sender wrote it: raw UTF-8 (RFC 6532, and what most mail programs send without encoding),
 * which the parser gives byte by byte as Latin-1 ("pÐ°ypal" for "pаypal"), read as UTF-8 when it is valid UTF-8.
 */
function utf8Header(line: string): string {
  if (!/[\u0080-\u00ff]/.test(line) || /[^\u0000-\u00ff]/.test(line)) return line;
  const bytes = Buffer.from(line, "latin1");
  const text = bytes.toString("utf8");
  return text.includes("\ufffd") ? line : text;
}

const ENCODED_WORD_RE = /=\?([^?\s]+)\?([bq])\?([^?\s]*)\?=/gi;

/**
 * A header value with its RFC 2047 encoded words decoded, UTF-7 (RFC 2152) among them; charsets other than UTF-7
 * and UTF-8 are read as Latin-1. Whitespace between two encoded words is dropped, as RFC 2047 says.
 */
export function decodeEncodedWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(ENCODED_WORD_RE, (_, charset: string, enc: string, text: string) => {
      const bytes =
        enc.toLowerCase() === "b"
          ? Buffer.from(text, "base64")
          : Buffer.from(
              text
                .replace(/_/g, " ")
                .replace(/=([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
              "latin1",
            );
      if (/^utf-?7$/i.test(charset)) return decodeUtf7(bytes.toString("latin1"));
      return bytes.toString(/^utf-?8$/i.test(charset) ? "utf8" : "latin1");
    });
}

/** UTF-7 text: "+" starts modified base64 of UTF-16BE up to a "-" or any other character, "+-" is a "+". */
function decodeUtf7(s: string): string {
  return s.replace(/\+([A-Za-z0-9+/]*)-?/g, (_, b64: string) => {
    if (b64 === "") return "+";
    const bytes = Buffer.from(b64, "base64");
    let out = "";
    for (let i = 0; i + 1 < bytes.length; i += 2) out += String.fromCharCode(bytes.readUInt16BE(i));
    return out;
  });
}

const PARSER_OPTIONS = { skipTextToHtml: true, skipImageLinks: true, maxHtmlLengthToParse: MAX_HTML_CHARS };

/** A header block without its Content-* fields, to be read as a message of its own with an empty body. */
function stripMimeFields(head: Buffer): Buffer {
  const text = head.toString("latin1");
  return Buffer.from(
    text
      .split(/\r?\n(?![ \t])/)
      .filter((f) => f !== "" && !/^content-/i.test(f))
      .map((f) => f + "\r\n")
      .join(""),
    "latin1",
  );
}

/**
 * The mailboxes of an address header's value: split at each comma outside a quoted string, an angle-bracketed
 * address and a comment ("A, B" <a@x>, b@y gives two), each trimmed, empty ones left out.
 */
export function splitMailboxes(value: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let angle = 0;
  let comment = 0;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted) {
      if (c === "\\") i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === "<") angle++;
    else if (c === ">" && angle > 0) angle--;
    else if (c === "(") comment++;
    else if (c === ")" && comment > 0) comment--;
    else if (c === "," && angle === 0 && comment === 0) {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out.filter((m) => m !== "");
}

const ANGLE_ADDRESS = /<\s*([^<>\s"]+@[^<>\s"]+?)\s*>/g;
const BARE_ADDRESS = /([^\s<>"',;:()[\]]+@[^\s<>"',;:()[\]]+)/;

/**
 * The address of one mailbox as written: its last angle-bracketed address (a display name may show another,
 * `"<bank@x.example>" <evil@y.example>`), else a bare one; null when it holds none.
 */
export function mailboxAddress(box: string): string | null {
  return ([...box.matchAll(ANGLE_ADDRESS)].at(-1) ?? BARE_ADDRESS.exec(box))?.[1] ?? null;
}

/** All values of a header, top first. */
export function headerValues(headers: HeaderLine[], key: string): string[] {
  return headers.filter((h) => h.key === key).map((h) => h.value);
}

/**
 * An mbox separator line as mbox writers produce it: "From ", the envelope sender, and the date in asctime form
 * ("Tue Mar 12 10:00:00 2024"), with a zone before or after the year as some writers add ("+0000 2024").
 */
const SEPARATOR_RE =
  /^From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) +(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} +\d{1,2}:\d{2}(?::\d{2})? +(?:(?:[A-Z]{3,5}|[+-]\d{4}) +)?\d{4}(?: +(?:[A-Z]{3,5}|[+-]\d{4}))?[ \t]*\r?$/;

/**
 * Split an mbox into messages: a separator line (see SEPARATOR_RE) after an empty line, or at the start, begins
 * one; ">From " quoting (mboxrd) is undone. A body line that only starts with "From " ("From the meeting: ...",
 * left unquoted by a writer of the mboxo kind) does not split a message. Returns byte ranges' contents.
 */
export function splitMbox(raw: Buffer): Buffer[] {
  const text = raw.toString("latin1");
  const starts: number[] = [];
  const re = /(^|\n)(From [^\n]*)\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index + m[1]!.length;
    // the file's first line is its first separator whatever its form (isMbox took the file for an mbox by it)
    if (at === 0) starts.push(at);
    else if (
      (text[at - 2] === "\n" || (text[at - 2] === "\r" && text[at - 3] === "\n")) &&
      SEPARATOR_RE.test(m[2]!)
    )
      starts.push(at);
    re.lastIndex = at + m[2]!.length;
  }
  const out: Buffer[] = [];
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i]!;
    const body = text.slice(text.indexOf("\n", s) + 1, starts[i + 1] ?? text.length);
    out.push(Buffer.from(body.replace(/^>(>*From )/gm, "$1"), "latin1"));
  }
  return out;
}

/** An mbox starts with a "From " separator line; an RFC 5322 message never does. */
export function isMbox(raw: Buffer): boolean {
  return raw.subarray(0, 5).toString("latin1") === "From ";
}
