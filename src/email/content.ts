/**
 * What is inside a file: the format is told from its bytes (and, for text formats, its name), then the matching
 * inspector looks for what runs or fetches something when the file is opened. Used for every attachment and
 * every archive entry that could be read within the bounds.
 */
import { isCompoundFile } from "./msg.js";
import { inspectOle, inspectOoxmlZip } from "./office.js";
import { isZip } from "./zip.js";
import type { Reason } from "./types.js";

export interface ContentFindings {
  reasons: Reason[];
  notChecked: string[];
  /** URLs the file would open or fetch, as link indicators. */
  urls: string[];
  /** Decoded content (VBA source, inflated PDF streams) for rule scanning, with where it came from. */
  extracted: Array<{ label: string; bytes: Buffer }>;
  /** Which inspector read the file, if any: "ole", "ooxml", ... */
  format?: string;
}

export const noFindings = (): ContentFindings => ({ reasons: [], notChecked: [], urls: [], extracted: [] });

function merge(
  into: ContentFindings,
  from: Omit<ContentFindings, "format">,
  format: string,
): ContentFindings {
  into.reasons.push(...from.reasons);
  into.notChecked.push(...from.notChecked);
  into.urls.push(...from.urls);
  into.extracted.push(...from.extracted);
  into.format = format;
  return into;
}

/**
 * Inspect one file's bytes; `label` names it in reasons ("invoice.zip > invoice.docm"), `ext` is the extension
 * of its name (lower case, no dot).
 */
export function inspectContent(buf: Buffer, label: string, ext: string): ContentFindings {
  const out = noFindings();
  if (isCompoundFile(buf)) {
    if (ext === "msg") return out; // an attached Outlook message: its own attachments are not opened here
    return merge(out, inspectOle(buf, label), "ole");
  }
  if (isZip(buf)) {
    const office = inspectOoxmlZip(buf, label);
    if (office) return merge(out, office, "ooxml");
    return out;
  }
  return out;
}
