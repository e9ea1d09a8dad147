/**
 * The drawn account graph as data, apart from any drawing: which accounts and ties a view shows after its
 * filters (ties of several layers between one pair become one line that lists the layers), which neighbour an
 * arrow key moves to (positions come from graph-layout.ts), and the picture of the
 * view as SVG for export (every label escaped, hidden characters written as markers).
 *
 * @example
 * const v = filterGraph(nodes, edges, [{ name: "layer", value: "url" }]);
 * v.nodes.length; // accounts with at least one url tie... and the others that pass the score/platform filters
 */
import { filterValue, type Filter } from "./filters.js";
import { visible } from "./text.js";

export interface GNode {
  key: string;
  label: string;
  score: number;
  role: string;
  platform: string;
  /**
   * A campaign drawn as one node (whole-case graph), with its confidence; the accounts in no campaign, drawn as one
   * node too, have none (null).
   */
  group?: { id: string; members: number; confidence: number | null };
}

export interface GEdge {
  a: string;
  b: string;
  weight: number;
  layers: string[];
  minP: number | null;
}

export interface GraphViewData {
  nodes: GNode[];
  edges: GEdge[];
  /** Before filters. */
  totalNodes: number;
  totalEdges: number;
}

/** Per-layer ties (one row per pair and layer) merged to one line per pair. */
export function mergeTies(
  rows: ReadonlyArray<{ a: string; b: string; layer: string; weight: number; p_value?: number | null }>,
): GEdge[] {
  const byPair = new Map<string, GEdge>();
  for (const r of rows) {
    const [a, b] = r.a < r.b ? [r.a, r.b] : [r.b, r.a];
    const id = `${a}\u0000${b}`;
    const e = byPair.get(id) ?? { a, b, weight: 0, layers: [], minP: null };
    e.weight += r.weight;
    if (!e.layers.includes(r.layer)) e.layers.push(r.layer);
    const p = r.p_value ?? null;
    if (p !== null && (e.minP === null || p < e.minP)) e.minP = p;
    byPair.set(id, e);
  }
  return [...byPair.values()].sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : 1));
}

/**
 * The accounts and ties left by the filters, in filter order: layer keeps ties with that layer, score and
 * platform keep accounts, ties (a count) keeps accounts with at least that many ties among those left.
 */
export function filterGraph(
  nodes: readonly GNode[],
  edges: readonly GEdge[],
  filters: readonly Filter[],
): GraphViewData {
  let ns = [...nodes];
  let es = [...edges];
  const keep = () => {
    const alive = new Set(ns.map((n) => n.key));
    es = es.filter((e) => alive.has(e.a) && alive.has(e.b));
  };
  for (const f of filters) {
    if (f.name === "layer") es = es.filter((e) => e.layers.includes(f.value));
    else if (f.name === "score") ns = ns.filter((n) => n.group || n.score >= Number(f.value));
    else if (f.name === "platform") ns = ns.filter((n) => n.group || n.platform === f.value);
    else if (f.name === "ties") {
      const min = Number(f.value);
      const degree = new Map<string, number>();
      for (const e of es) {
        degree.set(e.a, (degree.get(e.a) ?? 0) + 1);
        degree.set(e.b, (degree.get(e.b) ?? 0) + 1);
      }
      ns = ns.filter((n) => (degree.get(n.key) ?? 0) >= min);
    }
    keep();
  }
  if (filterValue(filters, "layer") !== undefined) {
    // a layer filter leaves out accounts with no tie of that layer
    const tied = new Set(es.flatMap((e) => [e.a, e.b]));
    ns = ns.filter((n) => n.group || tied.has(n.key));
  }
  return { nodes: ns, edges: es, totalNodes: nodes.length, totalEdges: edges.length };
}

export type Positions = Map<string, { x: number; y: number }>;

export type Direction = "up" | "down" | "left" | "right";

/**
 * The neighbour of `from` that an arrow key moves to: the nearest one lying that way (within 90° of the arrow's
 * direction), its angle from the arrow counting against it; graph y grows upward. Null when none lies that way.
 */
export function neighbourToward(
  from: string,
  neighbours: readonly string[],
  pos: Positions,
  dir: Direction,
): string | null {
  const p = pos.get(from);
  if (!p) return null;
  const want = { right: 0, up: Math.PI / 2, left: Math.PI, down: -Math.PI / 2 }[dir];
  let best: string | null = null;
  let bestCost = Infinity;
  for (const n of neighbours) {
    const q = pos.get(n);
    if (!q || n === from) continue;
    const dx = q.x - p.x;
    const dy = q.y - p.y;
    const dist = Math.hypot(dx, dy);
    let diff = Math.abs(Math.atan2(dy, dx) - want);
    if (diff > Math.PI) diff = 2 * Math.PI - diff;
    if (diff > Math.PI / 2 + 1e-9) continue; // behind the arrow
    const cost = dist * (1 + 2 * diff);
    if (cost < bestCost || (cost === bestCost && best !== null && n < best)) {
      best = n;
      bestCost = cost;
    }
  }
  return best;
}

const XML: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };
/**
 * Text for SVG: escaped, with what XML does not allow dropped: control characters, the non-characters U+FFFE and
 * U+FFFF, and halves of surrogate pairs standing alone (a handle with U+FFFE made the exported SVG unreadable, and
 * the PNG drawn from it failed).
 */
export const escapeXml = (s: string): string =>
  s
    .replace(
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      "",
    )
    .replace(/[&<>"']/g, (c) => XML[c]!);

export interface SvgOptions {
  title: string;
  caption: string;
  legend: Array<{ color: string; text: string }>;
  colorOf: (n: GNode) => string;
  width?: number;
  height?: number;
}

/** The view as a standalone SVG document: ties, accounts sized by score, labels, a legend and the filters' caption. */
export function graphSvg(view: GraphViewData, pos: Positions, o: SvgOptions): string {
  const W = o.width ?? 1200;
  const H = o.height ?? 900;
  const top = 60;
  const bottom = 40 + o.legend.length * 22 + 30;
  const xs = view.nodes.map((n) => pos.get(n.key)?.x ?? 0);
  const ys = view.nodes.map((n) => pos.get(n.key)?.y ?? 0);
  const [minX, maxX, minY, maxY] = [
    Math.min(...xs, 0),
    Math.max(...xs, 1),
    Math.min(...ys, 0),
    Math.max(...ys, 1),
  ];
  const pad = 40;
  const sx = (x: number) => pad + ((x - minX) / (maxX - minX || 1)) * (W - 2 * pad);
  const sy = (y: number) => top + (1 - (y - minY) / (maxY - minY || 1)) * (H - top - bottom);
  const at = new Map(view.nodes.map((n) => [n.key, pos.get(n.key) ?? { x: 0, y: 0 }]));
  const lines = view.edges
    .filter((e) => at.has(e.a) && at.has(e.b))
    .map((e) => {
      const p = at.get(e.a)!;
      const q = at.get(e.b)!;
      const w = Math.min(4, 0.5 + Math.log1p(e.weight) / 2).toFixed(2);
      return `<line x1="${sx(p.x).toFixed(1)}" y1="${sy(p.y).toFixed(1)}" x2="${sx(q.x).toFixed(1)}" y2="${sy(q.y).toFixed(1)}" stroke="#b8c0ca" stroke-width="${w}"/>`;
    });
  const circles = view.nodes.map((n) => {
    const p = at.get(n.key)!;
    const r = (n.group ? 10 + Math.sqrt(n.group.members) * 2 : 4 + n.score * 8).toFixed(1);
    return (
      `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="${r}" fill="${escapeXml(o.colorOf(n))}" stroke="#1d2329" stroke-width="${n.role === "core" ? 2 : 0.5}"/>` +
      `<text x="${(sx(p.x) + Number(r) + 3).toFixed(1)}" y="${(sy(p.y) + 4).toFixed(1)}" font-size="11">${escapeXml(visible(n.label, 60))}</text>`
    );
  });
  const legend = o.legend.map(
    (l, i) =>
      `<rect x="${pad}" y="${H - bottom + 30 + i * 22}" width="14" height="14" fill="${escapeXml(l.color)}" stroke="#1d2329"/>` +
      `<text x="${pad + 22}" y="${H - bottom + 42 + i * 22}" font-size="13">${escapeXml(l.text)}</text>`,
  );
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Vazirmatn, system-ui, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${pad}" y="28" font-size="18" font-weight="700">${escapeXml(o.title)}</text>`,
    `<text x="${pad}" y="48" font-size="12" fill="#39424d">${escapeXml(o.caption)}</text>`,
    `<g>${lines.join("")}</g>`,
    `<g>${circles.join("")}</g>`,
    `<g>${legend.join("")}</g>`,
    `</svg>`,
  ].join("\n");
}
