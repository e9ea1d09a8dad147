/**
 * Time zones as the rhythm detector speaks of them: fixed offsets from UTC in minutes, the offsets in civil use
 * today (with places that use them, as examples only: daylight saving moves many places between offsets), and the
 * clock and weekday arithmetic that turns a UTC quarter-hour into a local time. Everything is UTC inside; local
 * time exists only in explanations and in the zone a group's schedule fits best.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

/** Offsets in civil use (standard and summer time), minutes east of UTC, with example places. */
export const ZONES: ReadonlyArray<{ offset: number; places: string }> = [
  { offset: -600, places: "Hawaii" },
  { offset: -540, places: "Alaska (winter)" },
  { offset: -480, places: "US Pacific (winter)" },
  { offset: -420, places: "US Pacific (summer), US Mountain (winter)" },
  { offset: -360, places: "US Central (winter), Mexico City" },
  { offset: -300, places: "US Eastern (winter), Bogotá, Lima" },
  { offset: -240, places: "US Eastern (summer), Caracas, Santiago (winter)" },
  { offset: -210, places: "Newfoundland (winter)" },
  { offset: -180, places: "Buenos Aires, São Paulo" },
  { offset: -120, places: "South Georgia" },
  { offset: -60, places: "Azores (winter), Cape Verde" },
  { offset: 0, places: "UTC, London and Lisbon (winter)" },
  { offset: 60, places: "Central Europe (winter), London (summer), Lagos" },
  { offset: 120, places: "Central Europe (summer), Cairo, Kyiv (winter)" },
  { offset: 180, places: "Moscow, Istanbul, Riyadh, Baghdad" },
  { offset: 210, places: "Iran" },
  { offset: 240, places: "Dubai, Baku, Tbilisi" },
  { offset: 270, places: "Afghanistan" },
  { offset: 300, places: "Pakistan, Tashkent" },
  { offset: 330, places: "India, Sri Lanka" },
  { offset: 345, places: "Nepal" },
  { offset: 360, places: "Bangladesh, Almaty" },
  { offset: 390, places: "Myanmar" },
  { offset: 420, places: "Bangkok, Jakarta, Hanoi" },
  { offset: 480, places: "China, Singapore, Manila" },
  { offset: 540, places: "Japan, Korea" },
  { offset: 570, places: "Central Australia (winter)" },
  { offset: 600, places: "Eastern Australia (winter)" },
  { offset: 630, places: "Central Australia (summer)" },
  { offset: 660, places: "Eastern Australia (summer)" },
  { offset: 720, places: "New Zealand (winter)" },
  { offset: 780, places: "New Zealand (summer), Tonga" },
];

export const WEEKDAYS = [
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
] as const;

/** "+03:30", "-05:00", "+00:00". */
export function formatOffset(offsetMin: number): string {
  const sign = offsetMin < 0 ? "-" : "+";
  const a = Math.abs(offsetMin);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
}

/** Parses "+03:30", "-5", "UTC+4:30", "0"; null when it is not an offset between -12:00 and +14:00. */
export function parseOffset(s: string): number | null {
  const m = /^(?:UTC)?\s*([+-])?(\d{1,2})(?::?(\d{2}))?$/i.exec(s.trim());
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  const v = m[1] === "-" ? -minutes : minutes;
  return v >= -720 && v <= 840 && Number(m[3] ?? 0) < 60 ? v : null;
}

/** "UTC+03:30 (e.g. Iran)". */
export function describeZone(offsetMin: number): string {
  const known = ZONES.find((z) => z.offset === offsetMin);
  return `UTC${formatOffset(offsetMin)}${known ? ` (e.g. ${known.places})` : ""}`;
}

/** Minutes after midnight, wrapped into [0, 1440). */
export function wrapMinutes(m: number): number {
  return ((m % 1440) + 1440) % 1440;
}

/** "08:00" for 480 minutes after midnight (wrapped; 1440 is shown as 24:00 when `endOfDay`). */
export function clock(minutes: number, endOfDay = false): string {
  const w = wrapMinutes(minutes);
  const m = endOfDay && w === 0 ? 1440 : w;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

/** "08:00-16:00" for a block starting at `startMin` (minutes after midnight) lasting `lengthMin`. */
export function block(startMin: number, lengthMin: number): string {
  return `${clock(startMin)}-${clock(startMin + lengthMin, true)}`;
}

/** Weekday (0 = Monday) of the instant `ms` in a zone `offsetMin` east of UTC. */
export function weekdayAt(ms: number, offsetMin: number): number {
  const day = Math.floor((ms + offsetMin * MINUTE_MS) / DAY_MS);
  // 1970-01-01 was a Thursday (index 3)
  return (((day + 3) % 7) + 7) % 7;
}

/** Distance in minutes from `m` to the nearest whole hour. */
export function offWholeHour(m: number): number {
  const r = wrapMinutes(m) % 60;
  return Math.min(r, 60 - r);
}
