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
/**
 * A single header field longer than this is shortened (a field the checks read) or set aside (any other) when a
 * header is cut back; real ones are a few kilobytes.
 */
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
  /**
   * The bytes the checks of the message as received read (the DKIM body hashes): the message as the parser read it,
   * cut back within the bounds, with its DKIM signatures past the first MAX_DKIM_SIGNATURES left out; absent for a
   * message rebuilt from another format (.msg).
   */
  raw?: Buffer;
}

/** `overBounds`, for a message that could not be read, is whether it was built past a bound (a warning sign). */
export type ParseOutcome =
  { ok: true; message: ParsedMessage } | { ok: false; problem: string; overBounds: boolean };

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

/** DKIM-Signature fields verified, the first ones; real mail carries one to three (a list or a forwarder adds one). */
export const MAX_DKIM_SIGNATURES = 10;

/**
 * Each header field of `raw[0, end)` in order, as byte offsets (`stop` before its line end), with how many lines it
 * spans; `visit` returns false to stop. Read over the bytes without making strings of them: a header bomb holds
 * millions of fields.
 */
function forEachField(
  raw: Buffer,
  end: number,
  visit: (start: number, stop: number, lines: number) => boolean,
): void {
  let start = 0;
  let lines = 1;
  for (let i = 0; i < end; i++) {
    if (raw[i] !== 0x0a) continue;
    const next = raw[i + 1];
    if (i + 1 < end && (next === 0x20 || next === 0x09)) {
      lines++;
      continue;
    }
    const stop = i > start && raw[i - 1] === 0x0d ? i - 1 : i;
    if (stop > start && !visit(start, stop, lines)) return;
    start = i + 1;
    lines = 1;
  }
  if (end > start) visit(start, end, lines);
}

/** The names of FIELDS_READ by their length, as bytes. */
const NAMES_BY_LENGTH = new Map<number, Buffer[]>();
for (const name of FIELDS_READ) {
  const list = NAMES_BY_LENGTH.get(name.length) ?? [];
  list.push(Buffer.from(name, "latin1"));
  NAMES_BY_LENGTH.set(name.length, list);
}

/**
 * Which of FIELDS_READ names the field at `raw[start, stop)` (case aside), or "" for any other: compared over the
 * bytes, since a bomb's millions of fields must not each become a string.
 */
function fieldName(raw: Buffer, start: number, stop: number): string {
  // the colon is looked for in the field's first bytes alone: a bomb of lines without one would otherwise send every
  // search to the next colon of the file, a scan per line (a million lines took 20 s)
  const at = raw.subarray(start, Math.min(stop, start + 42)).indexOf(0x3a);
  const colon = at < 0 ? -1 : start + at;
  if (colon < 0 || colon - start > 40) return "";
  let end = colon;
  while (end > start && (raw[end - 1] === 0x20 || raw[end - 1] === 0x09)) end--;
  for (const name of NAMES_BY_LENGTH.get(end - start) ?? []) {
    let same = true;
    for (let i = 0; same && i < name.length; i++) {
      const c = raw[start + i]!;
      same = (c >= 0x41 && c <= 0x5a ? c | 0x20 : c) === name[i];
    }
    if (same) return name.toString("latin1");
  }
  return "";
}

/**
 * A field of the checks cut to MAX_FIELD_BYTES: its start, and its last 4 KB, where an address field keeps its
 * address after a padded display name. The cut avoids the middle of a line end.
 */
function shortened(raw: Buffer, start: number, stop: number): Buffer {
  const tail = 4 * 1024;
  let a = start + MAX_FIELD_BYTES - tail;
  let b = stop - tail;
  while (a > start && (raw[a - 1] === 0x0d || raw[a - 1] === 0x0a)) a--;
  while (b < stop && (raw[b] === 0x0d || raw[b] === 0x0a)) b++;
  return Buffer.concat([raw.subarray(start, a), raw.subarray(b, stop)]);
}

/**
 * The header block `raw[0, end)` cut back within the bounds: the fields the checks read first (while they fit,
 * the first MAX_DKIM_SIGNATURES DKIM signatures among them), then the route, then the others; the fields kept
 * keep their order. A field the checks read that is longer than MAX_FIELD_BYTES is kept shortened (`shortened`),
 * any other set aside. Each pass reads the bytes once and stops when the room is full, so that a bomb of millions of
 * fields is counted without being copied. Returns the block and how many fields were set aside.
 */
function cutHeader(raw: Buffer, end: number): { head: Buffer; dropped: number } {
  const kept: Array<{ start: number; bytes: Buffer }> = [];
  // room for the blank line; each field kept takes its bytes and a line end
  let lineRoom = MAX_HEADER_LINES - 1;
  let byteRoom = MAX_HEADER_BYTES - 2;
  let fields = 0;
  // the sender's claims and the MIME structure first, then the route (a bomb of Received headers must not crowd
  // out From), then the rest; DKIM signatures past those verified are of the rest
  let signatures = 0;
  const rank = (name: string): number => {
    if (name === "received") return 1;
    if (name === "dkim-signature") return ++signatures <= MAX_DKIM_SIGNATURES ? 0 : 2;
    return FIELDS_READ.has(name) ? 0 : 2;
  };
  const full = (): boolean => lineRoom < 1 || byteRoom < 3;
  for (const pass of [0, 1, 2]) {
    // the first pass counts every field; the later ones stop where nothing more fits
    if (pass > 0 && full()) break;
    signatures = 0;
    forEachField(raw, end, (start, stop, lines) => {
      if (pass === 0) fields++;
      else if (full()) return false;
      if (full() || rank(fieldName(raw, start, stop)) !== pass) return true;
      const long = stop - start > MAX_FIELD_BYTES;
      if (long && pass === 2) return true;
      const bytes = long ? shortened(raw, start, stop) : raw.subarray(start, stop);
      let n = lines;
      if (long) {
        n = 1;
        for (const c of bytes) if (c === 0x0a) n++;
      }
      if (n > lineRoom || bytes.length + 2 > byteRoom) return true;
      kept.push({ start, bytes });
      lineRoom -= n;
      byteRoom -= bytes.length + 2;
      return true;
    });
  }
  kept.sort((x, y) => x.start - y.start);
  const crlf = Buffer.from("\r\n");
  return { head: Buffer.concat(kept.flatMap((k) => [k.bytes, crlf])), dropped: fields - kept.length };
}

/**
 * The message with its DKIM-Signature fields past the first MAX_DKIM_SIGNATURES left out, for the DKIM checks
 * (mailauth's time grows faster than the number of signatures: 20,000 took 16 s), and how many were; the message
 * itself when it has no more.
 */
function firstSignaturesOnly(raw: Buffer, end: number): { raw: Buffer; dropped: number } {
  const cuts: Array<[number, number]> = [];
  let seen = 0;
  forEachField(raw, end, (start, stop) => {
    if (fieldName(raw, start, stop) === "dkim-signature" && ++seen > MAX_DKIM_SIGNATURES) {
      // the field and its line end
      const next = raw[stop] === 0x0d ? stop + 2 : stop + 1;
      cuts.push([start, Math.min(next, end)]);
    }
    return true;
  });
  if (cuts.length === 0) return { raw, dropped: 0 };
  const parts: Buffer[] = [];
  let at = 0;
  for (const [a, b] of cuts) {
    parts.push(raw.subarray(at, a));
    at = b;
  }
  parts.push(raw.subarray(at));
  return { raw: Buffer.concat(parts), dropped: cuts.length };
}

/** Line feeds in `raw[0, end)`. */
function lineFeeds(raw: Buffer, end: number): number {
  let n = 0;
  for (let i = raw.indexOf(0x0a); i >= 0 && i < end; i = raw.indexOf(0x0a, i + 1)) n++;
  return n;
}

/** Parse a message within the bounds; `problem` says in plain words why one was not read. */
export async function parseMessage(raw: Buffer): Promise<ParseOutcome> {
  if (raw.length === 0) return { ok: false, problem: "the file is empty", overBounds: false };
  const overBounds: string[] = [];
  // a file that is not a message at all (posts, a CSV) has no blank line after a header block either: say what
  // it is not before weighing its header block
  const firstLine = raw
    .subarray(0, Math.min(raw.length, MAX_HEADER_BYTES))
    .toString("latin1")
    .split(/\r?\n/, 1)[0];
  if (!HEADER_NAME_RE.test(firstLine ?? "")) {
    return {
      ok: false,
      problem: "the file does not start with a header line (Name: value); not an email",
      overBounds: false,
    };
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
  const newlines = lineFeeds(raw, end);
  const lineCount = newlines - (end > 0 && raw[end - 1] === 0x0a ? 1 : 0) + 1;
  let bomb = "";
  if (end > MAX_HEADER_BYTES || lineCount > MAX_HEADER_LINES) {
    const cut = cutHeader(raw, end);
    bomb =
      `the header block has ${lineCount} lines and ${end} bytes, over the bounds of ${MAX_HEADER_LINES} lines ` +
      `and ${MAX_HEADER_BYTES} bytes (a header bomb)`;
    overBounds.push(
      `${bomb}: ${cut.dropped} of its fields ${cut.dropped === 1 ? "was" : "were"} set aside, those the checks read kept first`,
    );
    raw = Buffer.concat([cut.head, raw.subarray(end)]);
  }
  const signed = firstSignaturesOnly(raw, headerEnd(raw, raw.length));
  if (signed.dropped > 0) {
    overBounds.push(
      `the header has ${signed.dropped + MAX_DKIM_SIGNATURES} DKIM signatures (real mail has one to three): ` +
        `the first ${MAX_DKIM_SIGNATURES} were checked`,
    );
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
      return { ok: false, problem, overBounds: true };
    }
    overBounds.push(`${problem} (only the header was read)`);
  }
  const headers = mail.headerLines.map((h) => {
    const line = utf8Header(h.line.replace(/\r?\n[ \t]+/g, " "));
    const colon = line.indexOf(":");
    return { key: h.key.toLowerCase(), line, value: colon >= 0 ? line.slice(colon + 1).trim() : "" };
  });
  // mailparser leaves UTF-7 encoded words undecoded ("+BEAEMAQ-"), a charset spam uses to slip words past filters
  const subjectLine = mail.headerLines.find((h) => h.key.toLowerCase() === "subject")?.line;
  if (subjectLine && /=\?utf-?7\?/i.test(subjectLine)) mail.subject = await decodeSubject(subjectLine);
  const known = headers.filter((h) =>
    ["from", "to", "subject", "date", "message-id", "received"].includes(h.key),
  );
  if (known.length === 0) {
    const none = "none of From, To, Subject, Date, Message-ID or Received is present";
    return {
      ok: false,
      problem: bomb ? `${bomb}, and ${none} among the fields that fit` : none,
      overBounds: overBounds.length > 0,
    };
  }
  return { ok: true, message: { headers, mail, overBounds, raw: signed.raw } };
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

/** The bytes an RFC 2047 encoded word's text stands for, in its encoding ("B" base64, "Q" quoted-printable). */
export function encodedWordBytes(encoding: string, text: string): Buffer {
  return encoding.toLowerCase() === "b"
    ? Buffer.from(text, "base64")
    : Buffer.from(
        text
          .replace(/_/g, " ")
          .replace(/=([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
        "latin1",
      );
}

/**
 * A header value with its UTF-7 (RFC 2152) encoded words rewritten as UTF-8 ones of the same text; the other
 * encoded words are left as written, for mailparser to decode in whatever charset they name.
 */
export function utf7WordsAsUtf8(value: string): string {
  return value.replace(ENCODED_WORD_RE, (word: string, charset: string, enc: string, text: string) => {
    if (!/^utf-?7$/i.test(charset)) return word;
    const bytes = encodedWordBytes(enc, text);
    return `=?UTF-8?B?${Buffer.from(decodeUtf7(bytes.toString("latin1")), "utf8").toString("base64")}?=`;
  });
}

/**
 * A Subject line (name included, as mailparser gives it) decoded by mailparser after its UTF-7 encoded words were
 * rewritten as UTF-8 ones: the others keep mailparser's reading of their charsets (windows-1256 Arabic, KOI8-R).
 */
async function decodeSubject(line: string): Promise<string | undefined> {
  const head = Buffer.from(`${utf7WordsAsUtf8(line)}\r\n\r\n`, "latin1");
  return (await simpleParser(head, PARSER_OPTIONS)).subject;
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
