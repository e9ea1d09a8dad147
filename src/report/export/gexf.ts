/**
 * GEXF 1.3 for Gephi: accounts with their attributes, colour (their campaign's) and size (their score), one edge
 * per tie and layer. Written line by line into a sink, so a case with millions of ties never becomes one string
 * (graphology's writer builds the whole document in memory, which ran out of heap on a 1M-post case).
 */
import { campaignColour } from "../html/layout.js";
import { edgeAttributes, nodeAttributes, type ExportGraph } from "./graph.js";
import { xmlText, type Sink } from "./xml.js";

type Kind = "string" | "double" | "boolean" | "integer";

const NODE_KINDS: Record<string, Kind> = {
  platform: "string",
  account_id: "string",
  handle: "string",
  display_name: "string",
  created_at: "string",
  followers: "double",
  score: "double",
  campaign: "string",
  role: "string",
  findings: "integer",
};
/** The weight travels as the edge's own `weight` (Gephi's Weight column), not as a second attribute. */
const EDGE_KINDS: Record<string, Kind> = {
  layer: "string",
  n_objects: "integer",
  lift: "double",
  p_value: "double",
  significant: "boolean",
  tier: "string",
};

function attvalues(
  values: Record<string, string | number | boolean | null>,
  kinds: Record<string, Kind>,
): string {
  const out: string[] = [];
  for (const [k, v] of Object.entries(values)) {
    if (!(k in kinds) || v === null || (typeof v === "number" && !Number.isFinite(v))) continue;
    out.push(`<attvalue for="${k}" value="${xmlText(String(v))}"/>`);
  }
  return out.length === 0 ? "" : `<attvalues>${out.join("")}</attvalues>`;
}

function declare(cls: "node" | "edge", kinds: Record<string, Kind>): string {
  const rows = Object.entries(kinds).map(([k, t]) => `      <attribute id="${k}" title="${k}" type="${t}"/>`);
  return [`    <attributes class="${cls}">`, ...rows, `    </attributes>`].join("\n");
}

export function writeGexf(g: ExportGraph, write: Sink): void {
  write(
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
      `<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">\n` +
      `  <meta><creator>chorus ${xmlText(g.doc.tool.version)}</creator>` +
      `<description>analysis run ${g.run.id}</description></meta>\n` +
      `  <graph defaultedgetype="undirected" mode="static">\n` +
      `${declare("node", NODE_KINDS)}\n${declare("edge", EDGE_KINDS)}\n    <nodes>\n`,
  );
  const campaignIndex = new Map(g.doc.campaigns.map((c, i) => [String(c["id"]), i]));
  const known = new Set<string>();
  for (const n of g.nodes) {
    known.add(n.key);
    const ci = campaignIndex.get(n.campaign);
    // the report's colour of the campaign
    const colour = ci === undefined ? "#9aa3ad" : campaignColour(ci);
    const attrs = nodeAttributes(n);
    write(
      `      <node id="${xmlText(n.key)}" label="${xmlText(String(attrs["label"]))}">` +
        `${attvalues(attrs, NODE_KINDS)}<viz:color hex="${colour}"/><viz:size value="${2 + 8 * n.score}"/></node>\n`,
    );
  }
  write(`    </nodes>\n    <edges>\n`);
  g.edges.forEach((e, i) => {
    if (!known.has(e.a) || !known.has(e.b)) return;
    write(
      // one edge per tie and layer: `kind` (GEXF 1.3) keeps a pair's layers apart, which Gephi would otherwise merge
      // into one edge, adding their weights
      `      <edge id="e${i}" source="${xmlText(e.a)}" target="${xmlText(e.b)}" kind="${xmlText(e.layer)}" weight="${e.weight}">` +
        `${attvalues(edgeAttributes(e), EDGE_KINDS)}</edge>\n`,
    );
  });
  write(`    </edges>\n  </graph>\n</gexf>\n`);
}

/** The whole document as one string (for small graphs, e.g. an HTTP response). */
export function toGexf(g: ExportGraph): string {
  const parts: string[] = [];
  writeGexf(g, (s) => parts.push(s));
  return parts.join("");
}
