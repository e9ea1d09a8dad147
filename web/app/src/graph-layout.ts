/**
 * Where each account of a drawn graph sits: a circle by key order, then ForceAtlas2 for a number of steps that
 * falls with size. Deterministic: the same accounts and ties give the same picture. Kept apart from
 * graph-model.ts so that graphology loads with the graph view, not with the first screen.
 *
 * @example
 * const pos = layout(view.nodes, view.edges); // Map key -> { x, y }
 */
import Graph from "graphology";
import { circular } from "graphology-layout";
import forceAtlas2 from "graphology-layout-forceatlas2";
import type { GEdge, GNode, Positions } from "./graph-model.js";

export function layout(nodes: readonly GNode[], edges: readonly GEdge[]): Positions {
  const g = new Graph({ type: "undirected" });
  for (const n of [...nodes].sort((a, b) => (a.key < b.key ? -1 : 1))) g.addNode(n.key);
  for (const e of edges)
    if (g.hasNode(e.a) && g.hasNode(e.b) && !g.hasEdge(e.a, e.b))
      g.addEdge(e.a, e.b, { weight: Math.log1p(e.weight) });
  circular.assign(g);
  if (g.order > 1 && g.size > 0) {
    const iterations = Math.max(20, Math.min(200, Math.round(40_000 / g.order)));
    forceAtlas2.assign(g, {
      iterations,
      getEdgeWeight: "weight",
      settings: { ...forceAtlas2.inferSettings(g), barnesHutOptimize: g.order > 2000 },
    });
  }
  const out: Positions = new Map();
  g.forEachNode((key, attrs) => out.set(key, { x: attrs["x"] as number, y: attrs["y"] as number }));
  return out;
}
