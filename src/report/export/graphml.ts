/**
 * GraphML for R (igraph), Python (networkx), Cytoscape and yEd. graphology's GraphML package only reads, so the
 * writer is ours: typed keys declared up front, one parallel edge per tie and layer, every value XML-escaped.
 */
import { edgeAttributes, nodeAttributes, xmlSafe, type ExportGraph } from "./graph.js";

function esc(s: string): string {
  return xmlSafe(s).replace(/[&<>"']/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&apos;",
  );
}

type Kind = "string" | "double" | "boolean" | "long";

const NODE_KEYS: Array<[string, Kind]> = [
  ["label", "string"],
  ["platform", "string"],
  ["account_id", "string"],
  ["handle", "string"],
  ["display_name", "string"],
  ["created_at", "string"],
  ["followers", "double"],
  ["score", "double"],
  ["campaign", "string"],
  ["role", "string"],
  ["findings", "long"],
];
const EDGE_KEYS: Array<[string, Kind]> = [
  ["layer", "string"],
  ["weight", "double"],
  ["n_objects", "long"],
  ["lift", "double"],
  ["p_value", "double"],
  ["significant", "boolean"],
  ["tier", "string"],
];

function data(prefix: string, values: Record<string, string | number | boolean | null>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== null && !(typeof v === "number" && !Number.isFinite(v)))
    .map(([k, v]) => `<data key="${prefix}_${k}">${esc(String(v))}</data>`)
    .join("");
}

export function toGraphml(g: ExportGraph): string {
  const out: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
      `xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">`,
  ];
  for (const [k, t] of NODE_KEYS)
    out.push(`  <key id="n_${k}" for="node" attr.name="${k}" attr.type="${t}"/>`);
  for (const [k, t] of EDGE_KEYS)
    out.push(`  <key id="e_${k}" for="edge" attr.name="${k}" attr.type="${t}"/>`);
  out.push(`  <graph id="chorus-run-${g.run.id}" edgedefault="undirected">`);
  const ids = new Map<string, string>();
  g.nodes.forEach((n, i) => {
    const id = `n${i}`;
    ids.set(n.key, id);
    out.push(`    <node id="${id}">` + data("n", nodeAttributes(n)) + `</node>`);
  });
  g.edges.forEach((e, i) => {
    const a = ids.get(e.a);
    const b = ids.get(e.b);
    if (!a || !b) return;
    out.push(`    <edge id="e${i}" source="${a}" target="${b}">` + data("e", edgeAttributes(e)) + `</edge>`);
  });
  out.push(`  </graph>`, `</graphml>`, ``);
  return out.join("\n");
}
