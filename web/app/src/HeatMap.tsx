/**
 * Hour-of-week activity as a table whose cells are shaded by count and always print the count (colour is never
 * the only signal), with a time-zone picker. The case holds UTC hours; the zone shifts them (see heatmap.ts).
 */
import { useCtx } from "./ctx.js";
import { level, shiftHourOfWeek, zoneOffsetMinutes } from "./heatmap.js";
import type { Key } from "./i18n.js";

export const ZONES = [
  "UTC",
  "Asia/Tehran",
  "Asia/Dubai",
  "Asia/Riyadh",
  "Asia/Baghdad",
  "Asia/Kabul",
  "Europe/Istanbul",
  "Europe/Moscow",
  "Europe/Berlin",
  "Europe/London",
  "America/New_York",
  "America/Los_Angeles",
  "Asia/Kolkata",
  "Asia/Shanghai",
];

export function ZonePicker() {
  const { t, route, go } = useCtx();
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zones = [...new Set([...ZONES, own, route.tz])].filter(Boolean);
  return (
    <label className="zone">
      {t("timeZone")}{" "}
      <select value={route.tz} onChange={(e) => go({ tz: e.target.value }, true)}>
        {zones.map((z) => (
          <option key={z} value={z}>
            {z}
          </option>
        ))}
      </select>
    </label>
  );
}

export interface WeekCells {
  /** 168 counts, Monday first, cell d*24+h. */
  cells: number[];
  /** Minutes past the hour at which each row starts (a half-hour zone shifted from UTC bins). */
  startMinute: number;
  /** How the hours were placed in the zone, for the caption. */
  note: string;
}

/** The campaign's UTC hour-of-week counts moved into the chosen zone (used when the server has no heat map). */
export function fromUtc(
  utc: readonly number[],
  tz: string,
  refDate: string | null,
  note: (date: string) => string,
): WeekCells {
  const at = refDate ? Date.parse(refDate) : 0;
  const offset = zoneOffsetMinutes(tz, Number.isNaN(at) ? 0 : at);
  return { ...shiftHourOfWeek(utc, offset), note: note(refDate ?? "") };
}

export function HeatMap({ week, label }: { week: WeekCells; label: string }) {
  const { t, num } = useCtx();
  const { cells, startMinute } = week;
  const max = Math.max(0, ...cells);
  const hh = (h: number) => `${num(h).padStart(2, num(0))}:${num(startMinute).padStart(2, num(0))}`;
  const total = cells.reduce((a, b) => a + b, 0);
  return (
    <figure className="heatmap">
      <figcaption>
        {label} · <ZonePicker />
        <span className="muted small block">
          {week.note} · {t("total")}: <span data-count="heat-total">{num(total)}</span>
        </span>
      </figcaption>
      <div className="scroll">
        <table className="heat" aria-label={t("heatmapTable")}>
          <thead>
            <tr>
              <th scope="col">{t("hour")}</th>
              {[0, 1, 2, 3, 4, 5, 6].map((d) => (
                <th scope="col" key={d}>
                  {t(`weekday${d}` as Key)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: 24 }, (_, h) => (
              <tr key={h}>
                <th scope="row">{hh(h)}</th>
                {[0, 1, 2, 3, 4, 5, 6].map((d) => {
                  const n = cells[d * 24 + h] ?? 0;
                  return (
                    <td key={d} className={`heat-${level(n, max)}`}>
                      {n > 0 ? num(n) : ""}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
