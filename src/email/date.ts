/**
 * When a message says it was written: its Date header, or no date at all. mailparser replaces a Date header it
 * cannot read with the time of parsing, which would record the day of triage as the day the message was sent, and
 * JavaScript's own date parser guesses: a header without a zone in the zone of the machine reading it, 31 February
 * as 2 March. So the message's first Date header is read here, strictly (`parseMailDate`: a zone always), within
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
const FULL_MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const DAYS = new Set(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
const FULL_DAYS = new Set(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]);
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
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})[t ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)? ?(z|[+-]\d{2}:?\d{2}|gmt|utc|ut)$/;
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/;
const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

/**
 * The instant a Date header names, in epoch milliseconds, or null when it names none for certain. Read: RFC 5322's
 * form (`Sat, 9 Nov 2024 07:00:00 +0000`, with its obsolete two- and three-digit years and zone names), and the
 * forms mailers and scripts write beside it when they give a zone: full day and month names, no comma, a day written
 * `9-Nov-2024`, fractional seconds, `+00:00`, `GMT+0000` and a zone name after the offset, JavaScript's own
 * `Sat Nov 09 2024 07:00:00 GMT+0000 (...)`, asctime with a zone, ISO 8601 with `T` or a space. Comments are left out,
 * nested ones too. A time without a zone, a day the month does not have (31 Feb), an hour past 23 or a zone past
 * ±23:59 is null: not a time to guess at. A year past 2100, or before 1990, is read, for the range check to name it.
 *
 * @example
 * parseMailDate("Sat, 7 Nov 2026 01:00:00 +0330"); // 2026-11-06T21:30:00Z, in epoch milliseconds
 * parseMailDate("Mon, 9 Nov 2024 07:00:00"); // null: no zone
 * parseMailDate("Mon, 31 Feb 2024 07:00:00 +0000"); // null
 */
export function parseMailDate(raw: string): number | null {
  // comments out (the zone's name after it, as "(PST)"), nested ones from the inside out
  let s = raw;
  for (let prev = ""; prev !== s;) {
    prev = s;
    s = s.replace(/\([^()]*\)/g, " ");
  }
  s = s.replace(/\s+/g, " ").trim().toLowerCase();
  const iso = ISO_DATE.exec(s);
  if (iso) {
    const [, y, mo, d, h, mi, sec, frac, zone] = iso;
    const offset = zoneOffset(zone!);
    return offset === null
      ? null
      : instant(
          Number(y),
          Number(mo) - 1,
          Number(d),
          Number(h),
          Number(mi),
          Number(sec ?? "0"),
          frac,
          offset,
        );
  }
  let day: number | undefined;
  let month: number | undefined;
  let year: number | undefined;
  let time: RegExpExecArray | undefined;
  let offset: number | undefined; // from digits: a name beside them ("+0000 GMT", "GMT+0000") adds nothing
  let named: number | undefined;
  const tokens = s
    .replace(/,/g, " ")
    .split(" ")
    .flatMap((t) => (/^\d{1,2}-[a-z]+-\d{2,}$/.test(t) ? t.split("-") : [t]))
    .flatMap((t) => {
      const m = /^(gmt|utc|ut)([+-].+)$/.exec(t);
      return m ? [m[1]!, m[2]!] : [t];
    })
    .filter((t) => t !== "");
  for (const t of tokens) {
    const clock = TIME.exec(t);
    if (clock) {
      if (time) return null;
      time = clock;
    } else if (OFFSET.test(t)) {
      if (offset !== undefined) return null;
      offset = zoneOffset(t) ?? undefined;
      if (offset === undefined) return null;
    } else if (/^\d+$/.test(t)) {
      if (day === undefined && t.length <= 2) day = Number(t);
      else if (year === undefined) year = obsoleteYear(t);
      else return null;
    } else if (MONTHS.includes(t) || FULL_MONTHS.includes(t) || t === "sept") {
      if (month !== undefined) return null;
      month = t === "sept" ? 8 : Math.max(MONTHS.indexOf(t), FULL_MONTHS.indexOf(t));
    } else if (DAYS.has(t) || FULL_DAYS.has(t)) {
      continue;
    } else if (NAMED_ZONES[t] !== undefined) {
      named ??= NAMED_ZONES[t];
    } else {
      return null;
    }
  }
  const zone = offset ?? named;
  if (day === undefined || month === undefined || year === undefined || !time || zone === undefined)
    return null;
  const [, h, mi, sec, frac] = time;
  return instant(year, month, day, Number(h), Number(mi), Number(sec ?? "0"), frac, zone);
}

/** A two-digit year as RFC 5322 reads it (49 and before: 20xx), a three-digit one plus 1900, others as written. */
function obsoleteYear(t: string): number {
  const y = Number(t);
  if (t.length === 2) return y + (y < 50 ? 2000 : 1900);
  if (t.length === 3) return y + 1900;
  return y;
}

/** Minutes east of UTC of `+hhmm`, `+hh:mm` or a zone name; null past ±23:59 or for a name not known. */
function zoneOffset(zone: string): number | null {
  const m = OFFSET.exec(zone);
  if (!m) return NAMED_ZONES[zone] ?? null;
  const [hh, mm] = [Number(m[2]), Number(m[3])];
  if (hh > 23 || mm > 59) return null;
  return (m[1] === "-" ? -1 : 1) * (hh * 60 + mm);
}

/**
 * The instant of a wall-clock time at `offset` minutes east of UTC, or null when the day is not one of the month's
 * (31 Feb) or the time is not one of the day's. A leap second is read as the second before it; a fraction to the
 * millisecond.
 */
function instant(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  fraction: string | undefined,
  offset: number,
): number | null {
  if (hour > 23 || minute > 59 || second > 60) return null;
  const d = new Date(0);
  // setUTCFullYear, not Date.UTC: that reads years 0-99 as 1900-1999
  d.setUTCFullYear(year, month, day);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month || d.getUTCDate() !== day) return null;
  const ms = fraction === undefined ? 0 : Math.floor(Number(`0${fraction}`) * 1000);
  d.setUTCHours(hour, minute, Math.min(59, second), ms);
  return d.getTime() - offset * 60_000;
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
