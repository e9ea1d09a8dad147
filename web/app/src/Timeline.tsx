/**
 * Posts per day as bars, and the main way to filter by time: drag across the bars (or use the keyboard: focus
 * a bar, Shift+arrows extend the range, Enter applies) and the date-range filter applies to every view. The
 * table under it holds the same numbers.
 */
import { useRef, useState, type KeyboardEvent, type PointerEvent } from "react";
import { useCtx } from "./ctx.js";
import { dateRange, daysValue, inRange, removeFilter, setFilter } from "./filters.js";

export interface Day {
  day: string;
  posts: number;
}

/** Every UTC day from the first to the last, zero where nothing was posted (gaps stay visible). */
export function fillDays(days: readonly Day[]): Day[] {
  if (days.length === 0) return [];
  const sorted = [...days].sort((a, b) => (a.day < b.day ? -1 : 1));
  const by = new Map(sorted.map((d) => [d.day, d.posts]));
  const out: Day[] = [];
  const end = Date.parse(`${sorted[sorted.length - 1]!.day}T00:00:00Z`);
  for (let ms = Date.parse(`${sorted[0]!.day}T00:00:00Z`); ms <= end && out.length < 3700; ms += 86_400_000) {
    const day = new Date(ms).toISOString().slice(0, 10);
    out.push({ day, posts: by.get(day) ?? 0 });
  }
  return out;
}

export function Timeline({ days, label }: { days: readonly Day[]; label: string }) {
  const { t, num, date, route, go } = useCtx();
  const all = fillDays(days);
  const range = dateRange(route.filters);
  const [drag, setDrag] = useState<[number, number] | null>(null);
  const [cursor, setCursor] = useState(0);
  const svg = useRef<SVGSVGElement>(null);
  const W = 900;
  const H = 160;
  const max = Math.max(1, ...all.map((d) => d.posts));
  const bw = all.length ? W / all.length : W;
  const indexAt = (clientX: number): number => {
    const r = svg.current!.getBoundingClientRect();
    let x = ((clientX - r.left) / r.width) * W;
    if (document.documentElement.dir === "rtl") x = W - x;
    return Math.max(0, Math.min(all.length - 1, Math.floor(x / bw)));
  };
  const apply = (a: number, b: number) => {
    const from = all[Math.min(a, b)]!.day;
    const to = all[Math.max(a, b)]!.day;
    go({ filters: setFilter(route.filters, { name: "dates", value: daysValue(from, to) }) });
  };
  const down = (e: PointerEvent<SVGSVGElement>) => {
    if (!all.length) return;
    svg.current!.setPointerCapture(e.pointerId);
    const i = indexAt(e.clientX);
    setDrag([i, i]);
  };
  const move = (e: PointerEvent<SVGSVGElement>) => {
    if (drag) setDrag([drag[0], indexAt(e.clientX)]);
  };
  const up = () => {
    if (drag) apply(drag[0], drag[1]);
    setDrag(null);
  };
  const key = (e: KeyboardEvent<SVGSVGElement>) => {
    const rtl = document.documentElement.dir === "rtl";
    const step = e.key === "ArrowRight" ? (rtl ? -1 : 1) : e.key === "ArrowLeft" ? (rtl ? 1 : -1) : 0;
    if (step) {
      e.preventDefault();
      const next = Math.max(0, Math.min(all.length - 1, cursor + step));
      if (e.shiftKey) setDrag([drag ? drag[0] : cursor, next]);
      else setDrag(null);
      setCursor(next);
    } else if (e.key === "Enter") {
      e.preventDefault();
      apply(drag ? drag[0] : cursor, drag ? drag[1] : cursor);
      setDrag(null);
    } else if (e.key === "Escape") {
      setDrag(null);
      go({ filters: removeFilter(route.filters, "dates") });
    }
  };
  const inDrag = (i: number) => drag !== null && i >= Math.min(...drag) && i <= Math.max(...drag);
  const shownDays = all.filter((d) => inRange(d.day, range));
  if (all.length === 0) return <p>{t("noData")}</p>;
  return (
    <figure className="timeline">
      <figcaption>
        {label} · <span className="muted">{t("brushHelp")}</span>
      </figcaption>
      <svg
        ref={svg}
        viewBox={`0 0 ${W} ${H + 20}`}
        className="brush"
        role="slider"
        tabIndex={0}
        aria-label={t("f_dates")}
        aria-valuemin={0}
        aria-valuemax={all.length - 1}
        aria-valuenow={cursor}
        aria-valuetext={all[cursor] ? date(all[cursor]!.day) : ""}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onKeyDown={key}
      >
        {all.map((d, i) => {
          const h = (d.posts / max) * H;
          const on = inRange(d.day, range);
          return (
            <rect
              key={d.day}
              x={i * bw + 1}
              y={H - h}
              width={Math.max(1, bw - 2)}
              height={Math.max(h, d.posts > 0 ? 1 : 0)}
              className={`bar${on ? "" : " out"}${inDrag(i) ? " drag" : ""}${i === cursor ? " cursor" : ""}`}
            >
              <title>{`${date(d.day)}: ${num(d.posts)}`}</title>
            </rect>
          );
        })}
        <text x={2} y={H + 16} className="axis">
          {date(all[0]!.day)}
        </text>
        <text x={W - 2} y={H + 16} className="axis" textAnchor="end">
          {date(all[all.length - 1]!.day)}
        </text>
      </svg>
      <details>
        <summary>
          {t("timelineTable")} (
          {t("showing", { n: num(shownDays.length), m: num(all.length), what: t("daysWord") })})
        </summary>
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t("day")}</th>
              <th scope="col">{t("posts")}</th>
            </tr>
          </thead>
          <tbody>
            {shownDays.map((d) => (
              <tr key={d.day}>
                <th scope="row">
                  <time dateTime={d.day}>{date(d.day)}</time>
                </th>
                <td>{num(d.posts)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
