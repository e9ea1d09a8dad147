/**
 * Timestamps from every source become one thing: epoch milliseconds, UTC. Ingest calls `parseTimestamp` once per
 * row (tens of millions of times per case), so the common layouts are read by hand, digit by digit, instead of
 * through `new Date(string)`, whose lenient parsing is both slower and accepts nonsense ("1" is the year 2001).
 * Anything ambiguous is refused with `null` rather than guessed: a zone-less datetime is only accepted when the
 * caller vouches that the source writes UTC, and numbers above the microsecond range are refused because a
 * Twitter snowflake id passed by mistake would otherwise read as a plausible nanosecond time.
 */
import { NormalizeError } from "./errors.js";

/** Earliest instant accepted: 1990-01-01T00:00:00.000Z. Earlier values are data errors, not posts. */
export const MIN_TIMESTAMP_MS = Date.UTC(1990, 0, 1);
/** Latest instant accepted: 2100-12-31T23:59:59.999Z. */
export const MAX_TIMESTAMP_MS = Date.UTC(2101, 0, 1) - 1;

/** Twitter's snowflake epoch (2010-11-04T01:42:54.657Z). */
const TWITTER_EPOCH_MS = 1288834974657;

export interface ParseTimestampOptions {
  /**
   * Read a datetime without a zone ("2018-01-01 12:34") as UTC. Only set this for sources documented to write
   * UTC, such as Twitter's information-operations archives; otherwise such values are refused.
   */
  assumeUtc?: boolean;
}

/** Three ASCII letters at `i`, lower-cased and packed into one number, for table look-ups without slicing. */
function key3(s: string, i: number): number {
  return (
    ((s.charCodeAt(i) | 0x20) << 16) | ((s.charCodeAt(i + 1) | 0x20) << 8) | (s.charCodeAt(i + 2) | 0x20)
  );
}
const packed = (word: string): number => key3(word, 0);

const MONTHS: ReadonlyMap<number, number> = new Map(
  ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].map((m, i) => [
    packed(m),
    i,
  ]),
);
const WEEKDAYS: ReadonlySet<number> = new Set(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map(packed));

const CH_SPACE = 32;
const CH_PLUS = 43;
const CH_COMMA = 44;
const CH_MINUS = 45;
const CH_DOT = 46;
const CH_0 = 48;
const CH_COLON = 58;
const CH_T = 84;
const CH_Z = 90;
const CH_t = 116;
const CH_z = 122;

/**
 * Parse a timestamp into epoch milliseconds (UTC), or `null` when it cannot be read without guessing or lies
 * outside 1990–2100.
 *
 * Accepted: ISO 8601 with a zone (`Z`, `+03:30`, `+0330`, `+03`, or a trailing ` UTC`/` GMT`), fractional
 * seconds kept to the millisecond (further digits truncated); date-only `YYYY-MM-DD` as midnight UTC; zone-less
 * `YYYY-MM-DD[T ]HH:MM[:SS[.fff]]` only with `assumeUtc`; Twitter v1 `Wed Oct 10 20:19:24 +0000 2018`; epoch
 * numbers or numeric strings, read as seconds below 1e11, milliseconds below 1e14 and microseconds below 1e17
 * (seconds may carry a fraction, "1629589836.123"); `Date` objects.
 *
 * @example
 * parseTimestamp("2018-10-10T20:19:24.5+03:30"); // 1539190164500 (16:49:24.500Z)
 * parseTimestamp("2018-01-01 12:34", { assumeUtc: true }); // 1514810040000
 * parseTimestamp("2018-01-01 12:34"); // null: no zone, and the caller did not vouch for UTC
 * parseTimestamp(1539202764); // 1539202764000
 */
export function parseTimestamp(value: unknown, opts?: ParseTimestampOptions): number | null {
  let assumeUtc = false;
  if (opts !== undefined) {
    for (const key in opts) {
      if (key !== "assumeUtc") throw new NormalizeError(`normalize/time: unknown option "${key}"`);
    }
    assumeUtc = opts.assumeUtc === true;
  }
  if (typeof value === "string") return parseTimestampString(value, assumeUtc);
  if (typeof value === "number") return fromEpochNumber(value);
  if (typeof value === "bigint") {
    return value > -(10n ** 17n) && value < 10n ** 17n ? fromEpochNumber(Number(value)) : null;
  }
  if (value instanceof Date) return inRange(value.getTime());
  return null;
}

/** A calendar date alone, `YYYY-MM-DD`. */
const DATE_ONLY =
  /^\s*[0-9\u0660-\u0669\u06f0-\u06f9]{4}-[0-9\u0660-\u0669\u06f0-\u06f9]{2}-[0-9\u0660-\u0669\u06f0-\u06f9]{2}\s*$/;

/**
 * Why `value`, given as a post's time under the name `key`, cannot be one, or null when it may: a date without a
 * time of day would read as midnight, every post of a day at one instant, which the timing detectors would take for
 * a burst or a machine's clock. (An account's creation date may be a day: this is for the times of posts.)
 *
 * @example
 * dateWithoutTime("ts", "2024-05-01"); // "ts '2024-05-01' is a date without a time of day: ..."
 */
export function dateWithoutTime(key: string, value: unknown): string | null {
  if (typeof value !== "string" || !DATE_ONLY.test(value)) return null;
  return (
    `${key} '${value.trim()}' is a date without a time of day: a post needs its time (ISO 8601 with a time and ` +
    `zone, or epoch seconds/milliseconds)`
  );
}

/**
 * A tweet's time from its id, to the millisecond, when the id is a snowflake within `toleranceMs` of the time the
 * record gives (which is rounded: to the second, or to the minute); else the given time. An id that disagrees
 * (renumbered or pseudonymised in a shared dataset, or not a snowflake) would date the tweet years away.
 *
 * @example
 * timeFromSnowflake("1050118621198921728", 1539202764000, 2000); // 1539202764211
 */
export function timeFromSnowflake(id: string, givenMs: number, toleranceMs: number): number {
  const fromId = snowflakeToMs(id);
  return fromId !== null && Math.abs(fromId - givenMs) <= toleranceMs ? fromId : givenMs;
}

/**
 * The creation time encoded in a Twitter/X snowflake id, or `null` for ids that are not snowflakes (sequential
 * ids from before November 2010 are shorter than 15 digits) or whose time falls outside 1990–2100.
 *
 * @example
 * snowflakeToMs("1050118621198921728"); // 1539202764211 (2018-10-10T20:19:24.211Z)
 */
export function snowflakeToMs(id: string): number | null {
  const s = id.trim();
  if (s.length < 15 || s.length > 20 || s.charCodeAt(0) === CH_0) return null;
  for (let i = 0; i < s.length; i++) {
    if (digitAt(s, i) < 0) return null;
  }
  const ms = Number(BigInt(s) >> 22n) + TWITTER_EPOCH_MS;
  return ms >= TWITTER_EPOCH_MS && ms <= MAX_TIMESTAMP_MS ? ms : null;
}

/**
 * Format epoch milliseconds as ISO 8601 UTC with milliseconds, the form the store keeps.
 *
 * @throws NormalizeError when `ms` is not a finite time (a caller bug: parsed times are always finite).
 * @example
 * toIsoUtc(1539202764000); // "2018-10-10T20:19:24.000Z"
 */
export function toIsoUtc(ms: number): string {
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
    throw new NormalizeError(`normalize/time: toIsoUtc expects epoch milliseconds, got ${String(ms)}`);
  }
  return new Date(ms).toISOString();
}

function inRange(ms: number): number | null {
  return ms >= MIN_TIMESTAMP_MS && ms <= MAX_TIMESTAMP_MS ? ms : null;
}

/** Seconds are rounded to the millisecond (a double such as 1629589836.123 is never exact); finer units truncate. */
function fromEpochNumber(v: number): number | null {
  if (!Number.isFinite(v)) return null;
  const a = Math.abs(v);
  if (a < 1e11) return inRange(Math.round(v * 1000));
  if (a < 1e14) return inRange(Math.floor(v));
  if (a < 1e17) return inRange(Math.floor(v / 1000));
  return null;
}

function parseTimestampString(raw: string, assumeUtc: boolean): number | null {
  let s = raw;
  const n0 = s.length;
  if (n0 === 0) return null;
  if (s.charCodeAt(0) <= CH_SPACE || s.charCodeAt(n0 - 1) <= CH_SPACE) s = s.trim();
  if (s.length === 0) return null;
  // Arabic-Indic and Persian digits (۲۰۲۴-۰۵-۰۸T۱۴:۰۳:۰۰Z, as a Persian or Arabic keyboard types them) are digits
  if (digitAt(s, 0) < 0 && EASTERN_DIGIT_RE.test(s)) {
    s = s.replace(EASTERN_DIGITS_RE, (c) => String((c.charCodeAt(0) - 0x0660) % 0x90));
  }
  if (digitAt(s, 0) >= 0) {
    return s.length >= 10 && s.charCodeAt(4) === CH_MINUS ? parseIso(s, assumeUtc) : parseEpochString(s);
  }
  return parseTwitterClassic(s);
}

const EASTERN_DIGIT_RE = /^[\u0660-\u0669\u06f0-\u06f9]/;
const EASTERN_DIGITS_RE = /[\u0660-\u0669\u06f0-\u06f9]/g;

/** Value of the ASCII digit at `i`, or -1. */
function digitAt(s: string, i: number): number {
  const d = s.charCodeAt(i) - CH_0;
  return d >= 0 && d <= 9 ? d : -1;
}

/** Value of the two ASCII digits at `i`, or -1. */
function twoDigits(s: string, i: number): number {
  const a = digitAt(s, i);
  const b = digitAt(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

function fourDigits(s: string, i: number): number {
  const a = twoDigits(s, i);
  const b = twoDigits(s, i + 2);
  return a < 0 || b < 0 ? -1 : a * 100 + b;
}

/**
 * Milliseconds since the epoch of a UTC calendar time, for the validated fields the parsers produce. Same result
 * as `Date.UTC` (a test checks every day from 1989 to 2101), computed directly because `Date.UTC` was the hot
 * path's largest cost. Days from the civil date count years from March, so the leap day comes last: H. Hinnant,
 * "chrono-Compatible Low-Level Date Algorithms", `days_from_civil`, https://howardhinnant.github.io/date_algorithms.html
 */
function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146097 + doe - 719468;
  return days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Year, month (1-12) and day form a real calendar date within the accepted years (with a day's slack for zones). */
function validDate(year: number, month: number, day: number): boolean {
  return (
    year >= 1989 && year <= 2101 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
  );
}

/** "1629589836", "1629589836.123", "1629589836123": digits with an optional fraction. */
function parseEpochString(s: string): number | null {
  const n = s.length;
  let i = 0;
  let int = 0;
  while (i < n) {
    const d = digitAt(s, i);
    if (d < 0) break;
    int = int * 10 + d;
    i++;
  }
  if (i > 17) return null;
  let fracMs = 0;
  if (i < n) {
    if (s.charCodeAt(i) !== CH_DOT || i + 1 === n) return null;
    let scale = 100;
    for (i++; i < n; i++) {
      const d = digitAt(s, i);
      if (d < 0) return null;
      fracMs += d * scale;
      scale /= 10;
    }
    fracMs = Math.floor(fracMs);
  }
  if (int < 1e11) return inRange(int * 1000 + fracMs);
  if (int < 1e14) return inRange(int);
  if (int < 1e17) return inRange(Math.floor(int / 1000));
  return null;
}

/** The ISO 8601 subset real exports use; see `parseTimestamp`. `s` has "YYYY-" at its start. */
function parseIso(s: string, assumeUtc: boolean): number | null {
  const n = s.length;
  if (s.charCodeAt(7) !== CH_MINUS) return null;
  const year = fourDigits(s, 0);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  if (!validDate(year, month, day)) return null;
  if (n === 10) return inRange(utcMs(year, month, day));

  const sep = s.charCodeAt(10);
  if ((sep !== CH_T && sep !== CH_t && sep !== CH_SPACE) || n < 16 || s.charCodeAt(13) !== CH_COLON)
    return null;
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return null;
  let second = 0;
  let ms = 0;
  let i = 16;
  if (i < n && s.charCodeAt(i) === CH_COLON) {
    second = twoDigits(s, i + 1);
    if (second < 0 || second > 59) return null;
    i += 3;
    const c = s.charCodeAt(i);
    if (i < n && (c === CH_DOT || c === CH_COMMA)) {
      const start = ++i;
      let scale = 100;
      for (; i < n; i++) {
        const d = digitAt(s, i);
        if (d < 0) break;
        ms += d * scale;
        scale /= 10;
      }
      if (i === start) return null;
      ms = Math.floor(ms);
    }
  }
  const local = utcMs(year, month, day, hour, minute, second, ms);
  if (i === n) return assumeUtc ? inRange(local) : null;

  if (s.charCodeAt(i) === CH_SPACE) i++;
  const z = s.charCodeAt(i);
  if (z === CH_Z || z === CH_z) return i + 1 === n ? inRange(local) : null;
  if (z === CH_PLUS || z === CH_MINUS) {
    const offset = parseOffset(s, i + 1);
    return offset === null ? null : inRange(z === CH_PLUS ? local - offset : local + offset);
  }
  const rest = s.slice(i);
  return rest === "UTC" || rest === "GMT" ? inRange(local) : null;
}

/** "HH", "HHMM" or "HH:MM" running to the end of `s`, as milliseconds; `null` otherwise. */
function parseOffset(s: string, i: number): number | null {
  const left = s.length - i;
  const hh = twoDigits(s, i);
  let mm: number;
  if (left === 2) mm = 0;
  else if (left === 4) mm = twoDigits(s, i + 2);
  else if (left === 5 && s.charCodeAt(i + 2) === CH_COLON) mm = twoDigits(s, i + 3);
  else return null;
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59) return null;
  return (hh * 60 + mm) * 60_000;
}

/** Twitter API v1 `created_at`: "Wed Oct 10 20:19:24 +0000 2018". */
function parseTwitterClassic(s: string): number | null {
  if (s.length !== 30) return null;
  if (
    s.charCodeAt(3) !== CH_SPACE ||
    s.charCodeAt(7) !== CH_SPACE ||
    s.charCodeAt(10) !== CH_SPACE ||
    s.charCodeAt(13) !== CH_COLON ||
    s.charCodeAt(16) !== CH_COLON ||
    s.charCodeAt(19) !== CH_SPACE ||
    s.charCodeAt(25) !== CH_SPACE
  ) {
    return null;
  }
  if (!WEEKDAYS.has(key3(s, 0))) return null;
  const month = MONTHS.get(key3(s, 4));
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  const year = fourDigits(s, 26);
  if (month === undefined || !validDate(year, month + 1, day)) return null;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  const sign = s.charCodeAt(20);
  if (sign !== CH_PLUS && sign !== CH_MINUS) return null;
  const offset = parseOffset(s.slice(0, 25), 21);
  if (offset === null) return null;
  const local = utcMs(year, month + 1, day, hour, minute, second);
  return inRange(sign === CH_PLUS ? local - offset : local + offset);
}

/**
 * A time zone named by the user for times written without one: `UTC`, a fixed offset (`+03:30`, `-05:00`), or an
 * IANA name (`Asia/Tehran`, `Europe/Berlin`), whose offset follows its summer time from the zone database Node
 * carries (no network).
 */
export interface TimeZone {
  /** As the user wrote it, for messages and for the input's recorded options. */
  name: string;
  /** Fixed offset east of UTC, ms; null for an IANA zone. */
  offsetMs: number | null;
  /** The IANA name, for Intl; null for a fixed offset. */
  iana: string | null;
}

/**
 * The zone `name` names, or null when it names none.
 *
 * @example
 * timeZone("+03:30"); // { name: "+03:30", offsetMs: 12600000, iana: null }
 * timeZone("Asia/Tehran")?.iana; // "Asia/Tehran"
 * timeZone("Mars/Olympus"); // null
 */
export function timeZone(name: string): TimeZone | null {
  const t = name.trim();
  if (/^(utc|gmt|z)$/i.test(t)) return { name: t, offsetMs: 0, iana: null };
  const fixed = /^(?:utc|gmt)?([+-])([01][0-9]|2[0-3]):?([0-5][0-9])?$/i.exec(t);
  if (fixed) {
    const ms = (Number(fixed[2]) * 60 + Number(fixed[3] ?? 0)) * 60_000;
    return { name: t, offsetMs: fixed[1] === "-" ? -ms : ms, iana: null };
  }
  try {
    const iana = new Intl.DateTimeFormat("en-US", { timeZone: t }).resolvedOptions().timeZone;
    return { name: t, offsetMs: null, iana };
  } catch {
    return null;
  }
}

const ZONE_FORMATS = new Map<string, Intl.DateTimeFormat>();
/** Offsets by zone and UTC hour: a zone's offset changes on the hour or half hour, a few times a year at most. */
const ZONE_OFFSETS = new Map<string, Map<number, number>>();

/** The offset east of UTC (ms) of IANA zone `iana` at instant `utcMs`. */
function ianaOffset(iana: string, utcMs: number): number {
  const slot = Math.floor(utcMs / 900_000); // quarter hours: Nepal, the Chatham Islands
  let byHour = ZONE_OFFSETS.get(iana);
  if (byHour === undefined) ZONE_OFFSETS.set(iana, (byHour = new Map()));
  const known = byHour.get(slot);
  if (known !== undefined) return known;
  let fmt = ZONE_FORMATS.get(iana);
  if (fmt === undefined) {
    fmt = new Intl.DateTimeFormat("en-US", {
      timeZone: iana,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    ZONE_FORMATS.set(iana, fmt);
  }
  const at = slot * 900_000;
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(at)) if (p.type !== "literal") parts[p.type] = Number(p.value);
  const wall = utcMs0(
    parts["year"]!,
    parts["month"]!,
    parts["day"]!,
    parts["hour"]!,
    parts["minute"]!,
    parts["second"]!,
  );
  const offset = wall - at;
  if (byHour.size > 100_000) byHour.clear();
  byHour.set(slot, offset);
  return offset;
}

/** `utcMs` for the zone code below (the parsers' own is declared further up). */
const utcMs0 = (y: number, mo: number, d: number, h: number, mi: number, s: number): number =>
  Date.UTC(y, mo - 1, d, h, mi, s);

/**
 * The instant of wall-clock time `wallMs` (a zone-less time read as if it were UTC) in `zone`. In a zone's autumn
 * hour that happens twice, the first; in its spring hour that never happens, the offset before the change.
 */
export function wallTimeToUtc(wallMs: number, zone: TimeZone): number {
  if (zone.offsetMs !== null) return wallMs - zone.offsetMs;
  const iana = zone.iana!;
  // the offsets a day before and after: the wall time is one of the two (or both, in the repeated hour)
  const before = wallMs - ianaOffset(iana, wallMs - 86_400_000);
  const after = wallMs - ianaOffset(iana, wallMs + 86_400_000);
  const valid = [before, after].filter((t) => wallMs - t === ianaOffset(iana, t));
  return valid.length > 0 ? Math.min(...valid) : before;
}

/**
 * Parse a timestamp as `parseTimestamp` does; one written without a zone is read in `zone` (when given) instead of
 * being refused.
 *
 * @example
 * parseTimestampIn("2024-03-08 09:00", timeZone("Asia/Tehran")!); // 2024-03-08T05:30:00.000Z
 * parseTimestampIn("2024-03-08T09:00Z", timeZone("Asia/Tehran")!); // 2024-03-08T09:00:00.000Z: its own zone
 */
export function parseTimestampIn(value: unknown, zone: TimeZone | undefined): number | null {
  const ms = parseTimestamp(value);
  if (ms !== null || zone === undefined || typeof value !== "string") return ms;
  const wall = parseTimestamp(value, { assumeUtc: true });
  return wall === null ? null : inRange(wallTimeToUtc(wall, zone));
}

/** How a user names the zone of times written without one, for messages that refuse such a time. */
export const TIME_ZONE_REMEDY = "--time-zone (UTC, +03:30, Asia/Tehran)";

/**
 * Whether a value `parseTimestampIn(value, zone)` refused is a time written without a zone, with none named: it
 * reads as one once a zone is assumed. Such a time is refused with `TIME_ZONE_REMEDY`, never guessed.
 */
export function lacksTimeZone(value: unknown, zone: TimeZone | undefined): boolean {
  return (
    zone === undefined && typeof value === "string" && parseTimestamp(value, { assumeUtc: true }) !== null
  );
}
