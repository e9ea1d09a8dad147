/**
 * Graph positions computed when the report is written (ForceAtlas2, graphology's implementation, from a seeded
 * circular start), so that the same case always draws the same picture and the browser only renders.
 */
import graphologyDefault from "graphology";
import forceAtlas2Default from "graphology-layout-forceatlas2";
import type { GraphEdge, GraphNode } from "./data.js";

const UndirectedGraph = (
  graphologyDefault as unknown as { UndirectedGraph: typeof import("graphology").UndirectedGraph }
).UndirectedGraph;
const forceAtlas2 = forceAtlas2Default as unknown as {
  assign(graph: unknown, params: { iterations: number; settings?: Record<string, unknown> }): void;
  inferSettings(order: number): Record<string, unknown>;
};

/** Colour-blind-safe palette (Okabe and Ito, 2008), campaign i gets colour i mod 8. */
export const PALETTE = [
  "#0072B2",
  "#D55E00",
  "#009E73",
  "#CC79A7",
  "#E69F00",
  "#56B4E9",
  "#8F7B00",
  "#000000",
];

/**
 * The colour of campaign `i`: the palette's for the first eight, then hues a golden angle apart at two
 * lightnesses, each kept only if it stands apart from every colour before it (CIE76 ΔE of at least
 * `MIN_DELTA_E`), so that thirty campaigns in one picture are thirty colours. Those past the eighth are not all
 * colour-blind safe: the legend and the campaign sections name them too.
 */
export function campaignColour(i: number): string {
  return coloursUpTo(i)[i]!;
}

/** Colours that differ less than this (CIE76 ΔE in L*a*b*) read as one at a glance. */
export const MIN_DELTA_E = 18;

const colours: string[] = [...PALETTE];
let candidate = 0;

function coloursUpTo(i: number): string[] {
  while (colours.length <= i) {
    // the golden-angle walk over hues never repeats; past 400 candidates the bound is relaxed rather than loop
    const k = candidate++;
    const c = hslHex((k * 137.508 + 20) % 360, 0.65, [0.38, 0.55, 0.7][k % 3]!);
    const bound = candidate > 400 ? MIN_DELTA_E / 3 : MIN_DELTA_E;
    if (colours.every((o) => deltaE(lab(o), lab(c)) >= bound)) colours.push(c);
  }
  return colours;
}

/** CIE76 colour difference of two L*a*b* colours. */
export function deltaE(x: readonly number[], y: readonly number[]): number {
  return Math.hypot(x[0]! - y[0]!, x[1]! - y[1]!, x[2]! - y[2]!);
}

/** A #rrggbb colour in CIE L*a*b* (sRGB, D65). */
export function lab(hex: string): [number, number, number] {
  const lin = [1, 3, 5].map((k) => {
    const v = parseInt(hex.slice(k, k + 2), 16) / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  const [r, g, b] = lin as [number, number, number];
  const xyz = [
    (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
    0.2126 * r + 0.7152 * g + 0.0722 * b,
    (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
  ].map((t) => (t > 216 / 24389 ? Math.cbrt(t) : (841 / 108) * t + 4 / 29));
  const [fx, fy, fz] = xyz as [number, number, number];
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** An HSL colour (hue in degrees, saturation and lightness in [0, 1]) as #rrggbb, which the graph's renderer reads. */
function hslHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number): string => {
    const k = (n + h / 30) % 12;
    const v = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(v * 255)
      .toString(16)
      .padStart(2, "0");
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

/** Drawn form: [key, label, x, y, size, colour] per node and [a, b, weight, layers] per edge (indices). */
export interface DrawnGraph {
  id: string;
  nodes: Array<[string, string, number, number, number, string]>;
  edges: Array<[number, number, number, string]>;
}

export function layoutGraph(
  id: string,
  nodes: ReadonlyArray<GraphNode>,
  edges: ReadonlyArray<GraphEdge>,
  colour: (n: GraphNode) => string,
): DrawnGraph {
  const g = new UndirectedGraph<{ x: number; y: number; size: number }, { weight: number }>();
  const n = nodes.length;
  nodes.forEach((node, i) => {
    const angle = (2 * Math.PI * i) / Math.max(1, n);
    g.addNode(node.key, { x: Math.cos(angle) * 100, y: Math.sin(angle) * 100, size: 1 });
  });
  for (const e of edges) {
    if (g.hasNode(e.a) && g.hasNode(e.b) && !g.hasEdge(e.a, e.b)) g.addEdge(e.a, e.b, { weight: e.weight });
  }
  if (n > 1 && g.size > 0) {
    forceAtlas2.assign(g, {
      iterations: n > 500 ? 60 : 150,
      settings: { ...forceAtlas2.inferSettings(n), edgeWeightInfluence: 0.5, linLogMode: false },
    });
  }
  const index = new Map(nodes.map((node, i) => [node.key, i]));
  const r = (v: number): number => Math.round(v * 100) / 100;
  return {
    id,
    nodes: nodes.map((node) => {
      const a = g.getNodeAttributes(node.key);
      return [
        node.key,
        node.label,
        r(a.x),
        r(a.y),
        r(3 + 9 * Math.max(0, Math.min(1, node.score))),
        colour(node),
      ];
    }),
    edges: edges
      .filter((e) => index.has(e.a) && index.has(e.b))
      .map((e) => [index.get(e.a)!, index.get(e.b)!, r(e.weight), e.layers.join(", ")]),
  };
}
