/** GEXF 1.3 for Gephi (graphology's writer): accounts with their attributes, one edge per tie and layer. */
import graphologyDefault from "graphology";
import { write } from "graphology-gexf";
import { PALETTE } from "../html/layout.js";
import { edgeAttributes, nodeAttributes, xmlSafe, type ExportGraph } from "./graph.js";

const MultiUndirectedGraph = (
  graphologyDefault as unknown as { MultiUndirectedGraph: typeof import("graphology").MultiUndirectedGraph }
).MultiUndirectedGraph;

type Attrs = Record<string, string | number | boolean>;

/** Strings made XML-safe; nulls left out (GEXF has no null), so Gephi shows an empty cell. */
function attrs(o: Record<string, string | number | boolean | null>): Attrs {
  const out: Attrs = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === null) continue;
    out[k] = typeof v === "string" ? xmlSafe(v) : v;
  }
  return out;
}

export function toGexf(g: ExportGraph): string {
  const graph = new MultiUndirectedGraph<Attrs, Attrs>();
  const campaignIndex = new Map(g.doc.campaigns.map((c, i) => [String(c["id"]), i]));
  for (const n of g.nodes) {
    const ci = campaignIndex.get(n.campaign);
    graph.addNode(n.key, {
      ...attrs(nodeAttributes(n)),
      color: ci === undefined ? "#9aa3ad" : PALETTE[ci % PALETTE.length]!,
      size: 2 + 8 * n.score,
    });
  }
  g.edges.forEach((e, i) => {
    if (!graph.hasNode(e.a) || !graph.hasNode(e.b)) return;
    graph.addEdgeWithKey(`e${i}`, e.a, e.b, attrs(edgeAttributes(e)));
  });
  return write(graph as never, { version: "1.3", pretty: true });
}
