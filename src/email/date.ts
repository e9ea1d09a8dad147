/**
 * When a message says it was written: its Date header, or no date at all. mailparser replaces a Date header it
 * cannot read with the time of parsing, which would record the day of triage as the day the message was sent, and
 * JavaScript's own date parser guesses: a header without a zone in the zone of the machine reading it, 31 February
 * as 2 March. So the message's first Date header is read here, strictly (RFC 5322, or ISO 8601 with a zone), within
 * the years Chorus accepts for any timestamp (1990–2100); otherwise the message has no date and an informational
 * reason quotes the header.
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
  const ms = parseMailDate(raw);
  if (ms === null) {
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

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = new Set(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
/** RFC 5322's obsolete zone names, in minutes east of UTC (its military letters carry no reliable zone: refused). */
const NAMED_ZONES: Record<string, number> = {
  ut: 0,
  gmt: 0,
  utc: 0,
  z: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
};
const RFC5322_DATE =
  /^(?:([a-z]{3}) ?, ?)?(\d{1,2}) ([a-z]{3}) (\d{2,}) (\d{1,2}) ?: ?(\d{2})(?: ?: ?(\d{2}))?(?: ([+-]\d{4}|[a-z]{1,3}))?$/;

/**
 * The instant a Date header names, in epoch milliseconds, or null when it names none for certain: RFC 5322's form
 * (its obsolete two- and three-digit years and zone names too), or ISO 8601 with a zone. A time without a zone, a
 * day the month does not have (31 Feb), an hour past 23 or a zone past ±23:59 is null: not a time to guess at. A
 * year past 2100 is read, for the range check to name it.
 *
 * @example
 * parseMailDate("Sat, 7 Nov 2026 01:00:00 +0330"); // 2026-11-06T21:30:00Z, in epoch milliseconds
 * parseMailDate("Mon, 9 Nov 2024 07:00:00"); // null: no zone
 * parseMailDate("Mon, 31 Feb 2024 07:00:00 +0000"); // null
 */
export function parseMailDate(raw: string): number | null {
  // comments out (the zone's name after it, as "(PST)"), folding and runs of spaces as one
  const s = raw
    .replace(/\([^()]*\)/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
  const m = RFC5322_DATE.exec(s);
  if (!m) return /^\d{4}-\d{2}-\d{2}t/.test(s) ? isoWithZone(raw.trim()) : null;
  const [, dow, dd, mon, yyyy, hh, mi, ss, zone] = m;
  if (dow !== undefined && !DAYS.has(dow)) return null;
  const month = MONTHS.indexOf(mon!);
  if (month < 0 || zone === undefined) return null;
  let year = Number(yyyy);
  if (yyyy!.length === 2) year += year < 50 ? 2000 : 1900;
  else if (yyyy!.length === 3) year += 1900;
  const [day, hour, minute] = [Number(dd), Number(hh), Number(mi)];
  // a leap second is read as the second before it
  const second = Math.min(59, Number(ss ?? "0"));
  let offset: number;
  if (zone[0] === "+" || zone[0] === "-") {
    const [zh, zm] = [Number(zone.slice(1, 3)), Number(zone.slice(3, 5))];
    if (zh > 23 || zm > 59) return null;
    offset = (zone[0] === "-" ? -1 : 1) * (zh * 60 + zm);
  } else {
    const named = NAMED_ZONES[zone];
    if (named === undefined) return null;
    offset = named;
  }
  if (hour > 23 || minute > 59 || Number(ss ?? "0") > 60) return null;
  const local = Date.UTC(year, month, day, hour, minute, second);
  const d = new Date(local);
  // Date.UTC rolls 31 Feb over into March: a day the month does not have is not a date
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month || d.getUTCDate() !== day) return null;
  return local - offset * 60_000;
}

/** ISO 8601 with a zone (some mailers write it): the instant, or null without a zone. */
function isoWithZone(s: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})t(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(z|[+-]\d{2}:?\d{2})$/i.exec(s);
  if (!m) return null;
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) return null;
  // Date.parse also rolls impossible days over: the date it read must be the one written, in its own zone
  const zone = m[7]!.toLowerCase();
  const offset =
    zone === "z" ? 0 : (zone[0] === "-" ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  const local = new Date(ms + offset * 60_000);
  return local.getUTCDate() === Number(m[3]) && local.getUTCMonth() + 1 === Number(m[2]) ? ms : null;
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
