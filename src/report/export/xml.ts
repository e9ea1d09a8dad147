/** What the XML exports share: a sink they write into, and text made safe for XML content and attributes. */
import { xmlSafe } from "./graph.js";

/** Where an export writes its document, piece by piece. */
export type Sink = (chunk: string) => void;

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  // in an attribute a reader turns a tab or a line break into a space (XML 1.0, 3.3.3), and reads a CR LF written
  // as such as one line feed: written as references, they read back as they were
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};

/** Escape for XML content and quoted attribute values, after replacing characters XML cannot carry. */
export function xmlText(s: string): string {
  return xmlSafe(s).replace(/[&<>"'\t\n\r]/g, (c) => ENTITIES[c]!);
}
