/**
 * Static charts as inline SVG, drawn when the report is written: they need no script, print well, and each comes
 * with the same numbers as a table for readers who cannot see the chart (and for checking it).
 */
import { html, type SafeHtml } from "./escape.js";

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

function round(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}

/** Daily activity as bars; gaps between days with no posts are kept, so a pause shows as a pause. */
export function timelineChart(
  points: ReadonlyArray<{ day: string; posts: number }>,
  label: string,
): SafeHtml {
  if (points.length === 0) return html`<p class="muted">No dated activity.</p>`;
  const first = Date.parse(points[0]!.day + "T00:00:00Z");
  const last = Date.parse(points[points.length - 1]!.day + "T00:00:00Z");
  const days = Math.max(1, Math.round((last - first) / 86400000) + 1);
  const max = Math.max(...points.map((p) => p.posts), 1);
  const w = 640;
  const h = 120;
  const pad = 24;
  const bw = (w - pad) / days;
  const bars = points.map((p) => {
    const i = Math.round((Date.parse(p.day + "T00:00:00Z") - first) / 86400000);
    const bh = (p.posts / max) * (h - pad);
    return html`<rect
      x="${round(pad + i * bw)}"
      y="${round(h - pad - bh)}"
      width="${round(Math.max(1, bw - 1))}"
      height="${round(bh)}"
      class="bar"
      ><title>${p.day}: ${p.posts} posts</title></rect
    >`;
  });
  return html`<figure class="chart">
    <svg
      viewBox="0 0 ${w} ${h}"
      role="img"
      aria-label="${label}"
      width="100%"
      preserveAspectRatio="xMinYMin meet"
    >
      <line x1="${pad}" y1="${h - pad}" x2="${w}" y2="${h - pad}" class="axis" />
      <text x="${pad}" y="${h - 6}" class="tick">${points[0]!.day}</text>
      <text x="${w}" y="${h - 6}" class="tick" text-anchor="end">${points[points.length - 1]!.day}</text>
      <text x="${pad - 4}" y="12" class="tick" text-anchor="end">${max}</text>
      ${bars}
    </svg>
    <figcaption>${label} (members' posts per day inside its bursts, UTC; peak ${max})</figcaption>
  </figure>`;
}

/** Seven rows (Monday first) of 24 hours, UTC; darker is busier. */
export function hourOfWeekChart(counts: ReadonlyArray<number>, label: string): SafeHtml {
  const max = Math.max(...counts, 0);
  if (max === 0) return html`<p class="muted">No activity to place in the week.</p>`;
  const cell = 22;
  const left = 36;
  const top = 16;
  const cells: SafeHtml[] = [];
  for (let d = 0; d < 7; d++) {
    for (let hr = 0; hr < 24; hr++) {
      const n = counts[d * 24 + hr] ?? 0;
      // five steps, so the shade is readable and the exact number is in the tooltip and the table
      const level = n === 0 ? 0 : 1 + Math.min(4, Math.floor((n / max) * 4.999));
      cells.push(
        html`<rect
          x="${left + hr * cell}"
          y="${top + d * cell}"
          width="${cell - 2}"
          height="${cell - 2}"
          class="heat heat-${level}"
          ><title>${DAYS[d]} ${String(hr).padStart(2, "0")}:00 UTC: ${n} posts</title></rect
        >`,
      );
    }
  }
  const hours = [0, 6, 12, 18].map(
    (hr) => html`<text x="${left + hr * cell}" y="11" class="tick">${String(hr).padStart(2, "0")}h</text>`,
  );
  const days = DAYS.map(
    (d, i) =>
      html`<text x="${left - 6}" y="${top + i * cell + 15}" class="tick" text-anchor="end">${d}</text>`,
  );
  const w = left + 24 * cell;
  const h = top + 7 * cell;
  return html`<figure class="chart">
    <svg
      viewBox="0 0 ${w} ${h}"
      role="img"
      aria-label="${label}"
      width="100%"
      preserveAspectRatio="xMinYMin meet"
    >
      ${hours}${days}${cells}
    </svg>
    <figcaption>${label} (posts by hour of the week, UTC; darkest = ${max} posts)</figcaption>
    <details>
      <summary>The same as a table</summary>
      ${heatTable(counts)}
    </details>
  </figure>`;
}

function heatTable(counts: ReadonlyArray<number>): SafeHtml {
  const head = Array.from({ length: 24 }, (_, hr) => html`<th scope="col">${hr}</th>`);
  const rows = DAYS.map(
    (d, i) =>
      html`<tr>
        <th scope="row">${d}</th>
        ${Array.from({ length: 24 }, (_, hr) => html`<td>${counts[i * 24 + hr] ?? 0}</td>`)}
      </tr>`,
  );
  // a table of 25 columns: it scrolls inside its figure rather than widen the page
  return html`<div class="scroll-x"><table class="heat-table">
    <thead>
      <tr>
        <th></th>
        ${head}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table></div>`;
}
