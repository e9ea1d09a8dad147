/** What the XML exports share: a sink they write into, and text made safe for XML content and attributes. */
import { xmlSafe } from "./graph.js";

/** Where an export writes its document, piece by piece. */
export type Sink = (chunk: string) => void;

/** Escape for XML content and quoted attribute values, after replacing characters XML cannot carry. */
export function xmlText(s: string): string {
  return xmlSafe(s).replace(/[&<>"']/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&apos;",
  );
}
