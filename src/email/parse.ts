/**
 * Reading a message: size caps first, then mailparser. Hostile messages are the normal case here, so every
 * bound is checked before the parser sees the bytes, and anything refused becomes a reason, never a crash.
 */
import { simpleParser, type ParsedMail } from "mailparser";

/** Larger messages are not parsed: no mail provider delivers them, and parsing one would cost seconds. */
export const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;
/** The header block (up to the first empty line); real ones are a few kilobytes, even after many hops. */
export const MAX_HEADER_BYTES = 512 * 1024;
/** HTML bodies beyond this are not parsed for links. */
export const MAX_HTML_CHARS = 4 * 1024 * 1024;
/** Header lines kept; a message with more is refused as a header bomb. */
export const MAX_HEADER_LINES = 2_000;

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

/** Parse a message within the bounds; `problem` says in plain words why one was not read. */
export async function parseMessage(raw: Buffer): Promise<ParseOutcome> {
  if (raw.length === 0) return { ok: false, problem: "the file is empty" };
  if (raw.length > MAX_MESSAGE_BYTES) {
    return {
      ok: false,
      problem: `the message is ${raw.length} bytes, over the ${MAX_MESSAGE_BYTES}-byte bound`,
    };
  }
  // a file that is not a message at all (posts, a CSV) has no blank line after a header block either: say what
  // it is not before weighing its header block
  const firstLine = raw
    .subarray(0, Math.min(raw.length, MAX_HEADER_BYTES))
    .toString("latin1")
    .split(/\r?\n/, 1)[0];
  if (!HEADER_NAME_RE.test(firstLine ?? "")) {
    return { ok: false, problem: "the file does not start with a header line (Name: value); not an email" };
  }
  const end = headerEnd(raw, MAX_HEADER_BYTES);
  if (end < 0) {
    return {
      ok: false,
      problem: `the header block is longer than ${MAX_HEADER_BYTES} bytes (a header bomb)`,
    };
  }
  const head = raw.subarray(0, end).toString("latin1");
  const lineCount = head.split("\n").length;
  if (lineCount > MAX_HEADER_LINES) {
    return {
      ok: false,
      problem: `the header block has ${lineCount} lines, over the ${MAX_HEADER_LINES}-line bound`,
    };
  }
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, {
      skipTextToHtml: true,
      skipImageLinks: true,
      maxHtmlLengthToParse: MAX_HTML_CHARS,
    });
  } catch (err) {
    return { ok: false, problem: `the MIME structure could not be parsed: ${(err as Error).message}` };
  }
  const headers = mail.headerLines.map((h) => {
    const line = h.line.replace(/\r?\n[ \t]+/g, " ");
    const colon = line.indexOf(":");
    return { key: h.key.toLowerCase(), line, value: colon >= 0 ? line.slice(colon + 1).trim() : "" };
  });
  const known = headers.filter((h) =>
    ["from", "to", "subject", "date", "message-id", "received"].includes(h.key),
  );
  if (known.length === 0) {
    return { ok: false, problem: "none of From, To, Subject, Date, Message-ID or Received is present" };
  }
  return { ok: true, message: { headers, mail } };
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
 * Split an mbox into messages: a line starting with "From " after an empty line (or at the start) begins one;
 * ">From " quoting (mboxrd) is undone. Returns byte ranges' contents.
 */
export function splitMbox(raw: Buffer): Buffer[] {
  const text = raw.toString("latin1");
  const starts: number[] = [];
  const re = /(^|\n)From [^\n]*\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index + m[1]!.length;
    if (at === 0 || text[at - 2] === "\n" || (text[at - 2] === "\r" && text[at - 3] === "\n"))
      starts.push(at);
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
