/**
 * GraphML for R (igraph), Python (networkx), Cytoscape and yEd. graphology's GraphML package only reads, so the
 * writer is ours: typed keys declared up front, one parallel edge per tie and layer, every value XML-escaped,
 * written line by line into a sink.
 */
import { edgeAttributes, nodeAttributes, type ExportGraph } from "./graph.js";
import { xmlText, type Sink } from "./xml.js";

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
    .map(([k, v]) => `<data key="${prefix}_${k}">${xmlText(String(v))}</data>`)
    .join("");
}

export function writeGraphml(g: ExportGraph, write: Sink): void {
  const head: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
      `xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">`,
  ];
  for (const [k, t] of NODE_KEYS)
    head.push(`  <key id="n_${k}" for="node" attr.name="${k}" attr.type="${t}"/>`);
  for (const [k, t] of EDGE_KEYS)
    head.push(`  <key id="e_${k}" for="edge" attr.name="${k}" attr.type="${t}"/>`);
  head.push(`  <graph id="chorus-run-${g.run.id}" edgedefault="undirected">`);
  write(head.join("\n") + "\n");
  const ids = new Map<string, string>();
  g.nodes.forEach((n, i) => {
    const id = `n${i}`;
    ids.set(n.key, id);
    write(`    <node id="${id}">` + data("n", nodeAttributes(n)) + `</node>\n`);
  });
  g.edges.forEach((e, i) => {
    const a = ids.get(e.a);
    const b = ids.get(e.b);
    if (!a || !b) return;
    write(`    <edge id="e${i}" source="${a}" target="${b}">` + data("e", edgeAttributes(e)) + `</edge>\n`);
  });
  write(`  </graph>\n</graphml>\n`);
}

/** The whole document as one string (for small graphs, e.g. an HTTP response). */
export function toGraphml(g: ExportGraph): string {
  const parts: string[] = [];
  writeGraphml(g, (s) => parts.push(s));
  return parts.join("");
}
