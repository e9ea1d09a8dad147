/**
 * When a message says it was written: its Date header, or no date at all. mailparser replaces a Date header it
 * cannot read with the time of parsing, which would record the day of triage as the day the message was sent, and
 * a header may name a year no store holds (99999). So mailparser's date is trusted only when the message's own
 * first Date header reads as the same instant, within the years Chorus accepts for any timestamp (1990–2100);
 * otherwise the message has no date and an informational reason quotes the header.
 */
import { clipText } from "../normalize/text.js";
import { MAX_TIMESTAMP_MS, MIN_TIMESTAMP_MS } from "../normalize/time.js";
import { headerValues, type ParsedMessage } from "./parse.js";
import type { Reason } from "./types.js";

/** How much of a rejected Date header a reason quotes. */
const QUOTED_CHARS = 100;

/**
 * The date of a message as ISO 8601 UTC, or a reason saying why its Date header was not taken as one. A message
 * without a Date header has no date (nor a reason), unless it is an Outlook .msg whose properties gave one.
 *
 * @example
 * messageDate(parsed); // { date: "2026-11-03T08:13:59.000Z" } for "Date: Tue, 3 Nov 2026 08:13:59 +0000"
 * messageDate(parsed); // { reason: { code: "header.date-unreadable", ... } } for "Date: 2024-13-45 99:99"
 */
export function messageDate(msg: ParsedMessage): { date?: string; reason?: Reason } {
  const given = msg.mail.date?.getTime();
  const raw = headerValues(msg.headers, "date")[0];
  // mailparser never dates a message without the header; such a date comes from a .msg's properties (msgToParsed)
  if (raw === undefined) return given !== undefined && inYears(given) ? { date: iso(given) } : {};
  const ms = Date.parse(raw);
  if (Number.isNaN(ms) || ms !== given) {
    return {
      reason: dateReason(
        "header.date-unreadable",
        `Unreadable Date header: "${quoted(raw)}". The message is kept without a date.`,
        raw,
      ),
    };
  }
  if (!inYears(ms)) {
    return {
      reason: dateReason(
        "header.date-out-of-range",
        `The Date header "${quoted(raw)}" names a time outside 1990–2100. The message is kept without a date.`,
        raw,
      ),
    };
  }
  return { date: iso(ms) };
}

const inYears = (ms: number): boolean => ms >= MIN_TIMESTAMP_MS && ms <= MAX_TIMESTAMP_MS;
const iso = (ms: number): string => new Date(ms).toISOString();
const quoted = (raw: string): string => (raw.length > QUOTED_CHARS ? `${clipText(raw, QUOTED_CHARS)}…` : raw);

function dateReason(code: string, message: string, raw: string): Reason {
  return {
    code,
    severity: "info",
    weight: 0,
    message,
    evidence: { kind: "header", ref: "Date", value: clipText(raw, QUOTED_CHARS) },
  };
}
