/**
 * The hour-of-week heat map in a chosen time zone. The case stores each campaign's posts per UTC hour of the week
 * (Monday 00:00 UTC first). Shown in another zone, each UTC hour is moved by the zone's offset; a zone with a
 * half-hour offset (Tehran, UTC+03:30) gets rows that start at :30, which is exact rather than rounded. A zone
 * whose offset changes (summer time) is shifted by its offset on one reference date, and the view says which.
 *
 * @example
 * zoneOffsetMinutes("Asia/Tehran", Date.parse("2024-03-10T00:00:00Z")); // 210
 * shiftHourOfWeek(utc, 210); // { cells: [...168 counts...], startMinute: 30 }
 */

/** The zone's offset from UTC in minutes at a moment (east positive). */
export function zoneOffsetMinutes(tz: string, at: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: tz,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return Math.round((asUtc - Math.floor(at / 1000) * 1000) / 60_000);
}

export interface ShiftedWeek {
  /** 168 counts; cell d*24+h is the local hour that starts at h:startMinute on weekday d (Monday 0). */
  cells: number[];
  /** Minutes past the hour at which each local row starts (30 for UTC+03:30). */
  startMinute: number;
}

/** The UTC hour-of-week counts moved into a zone `offset` minutes from UTC. */
export function shiftHourOfWeek(utc: readonly number[], offset: number): ShiftedWeek {
  const whole = Math.floor(offset / 60);
  const startMinute = ((offset % 60) + 60) % 60;
  const cells = new Array<number>(168).fill(0);
  for (let i = 0; i < 168; i++) {
    const j = (((i + whole) % 168) + 168) % 168;
    cells[j] = utc[i] ?? 0;
  }
  return { cells, startMinute };
}

/** A colour ramp step 0..5 for a count, on a square-root scale (a few loud hours do not wash out the rest). */
export function level(n: number, max: number): number {
  if (n <= 0 || max <= 0) return 0;
  return Math.max(1, Math.min(5, Math.ceil(Math.sqrt(n / max) * 5)));
}
