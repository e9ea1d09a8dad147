/**
 * The multiplex account graph and its communities. Significant and candidate edges of every layer and detector
 * (candidate: unlikely by chance for the pair, not yet after multiple-testing control) are merged into
 * one undirected graph (weights summed, layers remembered); seeded Louvain (Blondel et al. 2008, graphology's
 * implementation) splits it into communities; graphs too small for modularity to mean much fall back to
 * connected components.
 */
import graphologyDefault from "graphology";
import louvainDefault from "graphology-communities-louvain";
import type { Edge } from "../model/index.js";

// graphology ships CommonJS with hand-written types: take the constructors off the default export.
const UndirectedGraph = (
  graphologyDefault as unknown as { UndirectedGraph: typeof import("graphology").UndirectedGraph }
).UndirectedGraph;
const louvain = louvainDefault as unknown as {
  (graph: unknown, options?: Record<string, unknown>): Record<string, number>;
};

export interface TieAttributes {
  weight: number;
  layers: Record<string, number>;
  edges: number[];
}

export type AccountGraph = InstanceType<typeof UndirectedGraph<Record<string, never>, TieAttributes>>;

/** One graph from the significant edges; `edges[i]` indices are kept on each tie for evidence. */
export function buildAccountGraph(edges: Edge[]): AccountGraph {
  const g = new UndirectedGraph<Record<string, never>, TieAttributes>();
  edges.forEach((e, i) => {
    if (!e.evidence["significant"] && e.evidence["tier"] !== "candidate") return;
    if (!g.hasNode(e.a)) g.addNode(e.a);
    if (!g.hasNode(e.b)) g.addNode(e.b);
    const existing = g.edge(e.a, e.b);
    if (existing === undefined) {
      g.addEdge(e.a, e.b, { weight: e.weight, layers: { [String(e.layer)]: e.weight }, edges: [i] });
    } else {
      g.updateEdgeAttributes(existing, (attr) => {
        const a = attr!;
        a.weight += e.weight;
        a.layers[String(e.layer)] = (a.layers[String(e.layer)] ?? 0) + e.weight;
        a.edges.push(i);
        return a;
      });
    }
  });
  return g;
}

/** Community of each node: seeded Louvain, or connected components for graphs under `minLouvainNodes`. */
export function communities(g: AccountGraph, rng: () => number, minLouvainNodes = 8): Map<string, number> {
  const out = new Map<string, number>();
  if (g.order === 0) return out;
  if (g.order < minLouvainNodes || g.size === 0) {
    let next = 0;
    for (const start of [...g.nodes()].sort()) {
      if (out.has(start)) continue;
      const stack = [start];
      out.set(start, next);
      while (stack.length > 0) {
        const n = stack.pop()!;
        for (const m of g.neighbors(n)) {
          if (!out.has(m)) {
            out.set(m, next);
            stack.push(m);
          }
        }
      }
      next++;
    }
    return out;
  }
  const mapping = louvain(g, { getEdgeWeight: "weight", rng, resolution: 1 });
  for (const n of [...g.nodes()].sort()) out.set(n, mapping[n]!);
  return out;
}
